//! `AgentKey`: the agent's secret `prefix.secret` (CONTRACT.md "Authentication").

use super::error::ApiError;
use std::fmt;

/// An agent key `prefix.secret`, checked at construction.
///
/// Format: two non-empty parts split at the first `.`, each made only of
/// `A-Z a-z 0-9 _ -`. `Debug` and `Display` show only `prefix.***`; the full
/// key is available through [`AgentKey::expose`] for the Authorization
/// header and nothing else.
#[derive(Clone, PartialEq, Eq)]
pub struct AgentKey(String);

impl AgentKey {
    /// Checks the format (surrounding whitespace, e.g. a trailing newline
    /// from a file, is ignored). Error: [`ApiError::MalformedKey`] whose text
    /// says what is wrong without repeating the key.
    pub fn parse(raw: &str) -> Result<AgentKey, ApiError> {
        let key = raw.trim();
        if key.is_empty() {
            return Err(ApiError::MalformedKey("the key is empty".to_string()));
        }
        let Some((prefix, secret)) = key.split_once('.') else {
            return Err(ApiError::MalformedKey(
                "there is no `.` between prefix and secret".to_string(),
            ));
        };
        let allowed = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        for (name, part) in [("prefix", prefix), ("secret", secret)] {
            if part.is_empty() {
                return Err(ApiError::MalformedKey(format!("the {name} is empty")));
            }
            if let Some(pos) = part.chars().position(|c| !allowed(c)) {
                return Err(ApiError::MalformedKey(format!(
                    "the {name} contains a character other than A-Z a-z 0-9 _ - (at position {})",
                    pos + 1
                )));
            }
        }
        Ok(AgentKey(key.to_string()))
    }

    /// The part before the first `.` (not secret; shown to identify the key).
    pub fn prefix(&self) -> &str {
        self.0.split_once('.').map_or("", |(p, _)| p)
    }

    /// The full key, for the `Authorization: Bearer` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for AgentKey {
    type Err = ApiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AgentKey::parse(s)
    }
}

impl fmt::Display for AgentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.***", self.prefix())
    }
}

impl fmt::Debug for AgentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AgentKey({}.***)", self.prefix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(AgentKey::parse("ab_c-1.SeCr3t_-").is_ok());
        assert_eq!(AgentKey::parse(" p.s\n").unwrap().expose(), "p.s");
        // split at the first '.', so a second '.' lands in the secret: refused
        assert!(AgentKey::parse("p.s.t").is_err());
        for bad in ["", "nodot", ".s", "p.", "p q.s", "p.s/t", "pé.s", "p.s t"] {
            assert!(
                matches!(AgentKey::parse(bad), Err(ApiError::MalformedKey(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn redacted() {
        let k = AgentKey::parse("pre.topsecret").unwrap();
        assert_eq!(k.to_string(), "pre.***");
        assert_eq!(format!("{k:?}"), "AgentKey(pre.***)");
        assert_eq!(k.prefix(), "pre");
    }
}
