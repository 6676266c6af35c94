//! `[profiles.NAME]`: several agents in one config file. Each profile
//! names its server (`api_url`, default [`DEFAULT_API_URL`]), its key
//! source (`key_file` or `key_command`, exactly one; never the key
//! itself) and optionally a `colour` for the header. The profile acting
//! is chosen by `--profile NAME`, `AISPACE_PROFILE` or the file's
//! top-level `profile = "NAME"`; with one, the agent's server and key come
//! from the profile only (`AISPACE_AGENT_KEY`, `AISPACE_API_URL`,
//! `AISPACE_KEY_FILE` and `AISPACE_KEY_COMMAND` are not used, and the
//! flags `--api-url` / `--key-file` are refused beside it).

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer};

use super::{check_url, expand_home, shown_path, Config, ConfigError, DEFAULT_API_URL};
use crate::text;

/// Longest profile name, in characters.
pub const MAX_PROFILE_NAME: usize = 32;

/// The colours a profile may have (besides `#rrggbb`), as ratatui names them.
pub const COLOUR_NAMES: [&str; 15] = [
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "white",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
];

/// The colours given, in order, to profiles without a `colour`.
pub const DEFAULT_COLOURS: [&str; 6] = [
    "cyan",
    "magenta",
    "yellow",
    "green",
    "lightblue",
    "lightred",
];

/// One checked profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// API base URL, checked as the top-level `api_url` is.
    pub api_url: String,
    /// File holding the key (mode 0600, checked when read); `~/` expanded.
    pub key_file: Option<PathBuf>,
    /// Shell command printing the key.
    pub key_command: Option<String>,
    /// Header colour: a name from [`COLOUR_NAMES`] or `#rrggbb`, lowercase.
    pub colour: Option<String>,
}

/// A `[profiles.NAME]` table as written (unchecked).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileLayer {
    pub api_url: Option<String>,
    pub key_file: Option<PathBuf>,
    pub key_command: Option<String>,
    #[serde(alias = "color")]
    pub colour: Option<String>,
    /// A key written inline: refused (its value is never kept).
    #[serde(default, alias = "agent_key", alias = "api_key", alias = "secret")]
    pub key: Option<InlineKey>,
}

/// Marks a key written inline in the file; the value is read and dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlineKey;

impl<'de> Deserialize<'de> for InlineKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(d).map(|_| InlineKey)
    }
}

/// The sentence refusing a key written in the config file.
pub(super) fn inline_key_refused() -> String {
    "the agent key must not be written in the config file: put it alone in a file \
     (chmod 600) and set key_file = \"PATH\", or set key_command to a command that \
     prints it"
        .to_string()
}

/// Checks the file's `[profiles]` table (`origin(key)` names a key of it).
pub(super) fn check_profiles(
    raw: BTreeMap<String, ProfileLayer>,
    origin: &dyn Fn(&str) -> String,
) -> Result<BTreeMap<String, Profile>, ConfigError> {
    let mut out = BTreeMap::new();
    for (name, p) in raw {
        let key = |k: &str| format!("profiles.{}.{k}", text::clean_line(&name));
        let invalid = |k: &str, message: String| ConfigError::Invalid {
            origin: origin(&key(k)),
            message,
        };
        check_name(&name).map_err(|m| ConfigError::Invalid {
            origin: origin(&format!("profiles.{}", text::clean_line(&name))),
            message: m,
        })?;
        if p.key.is_some() {
            return Err(invalid("key", inline_key_refused()));
        }
        let api_url = match p.api_url {
            Some(u) => check_url(&u).map_err(|m| invalid("api_url", m))?,
            None => DEFAULT_API_URL.to_string(),
        };
        let key_command = match p.key_command {
            Some(c) if c.trim().is_empty() => {
                return Err(invalid("key_command", "the command is empty".into()))
            }
            other => other,
        };
        let key_file = p.key_file.map(|f| expand_home(&f));
        match (&key_file, &key_command) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    "key_command",
                    "a profile has one key source: keep key_file or key_command, not both".into(),
                ))
            }
            (None, None) => {
                return Err(ConfigError::Invalid {
                    origin: origin(&format!("profiles.{}", text::clean_line(&name))),
                    message: "the profile has no key source: add key_file = \"PATH\" (a file \
                              with mode 600 holding the key) or key_command = \"COMMAND\""
                        .into(),
                })
            }
            _ => {}
        }
        let colour = p
            .colour
            .map(|c| check_colour(&c).map_err(|m| invalid("colour", m)))
            .transpose()?;
        out.insert(
            name,
            Profile {
                api_url,
                key_file,
                key_command,
                colour,
            },
        );
    }
    Ok(out)
}

/// A profile name: 1 to [`MAX_PROFILE_NAME`] of `A-Z a-z 0-9 _ -`.
fn check_name(name: &str) -> Result<(), String> {
    let ok = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if name.is_empty() || name.chars().count() > MAX_PROFILE_NAME || !name.chars().all(ok) {
        Err(format!(
            "a profile name is 1 to {MAX_PROFILE_NAME} letters, digits, _ or - \
             (it is typed after --profile)"
        ))
    } else {
        Ok(())
    }
}

/// A colour name from [`COLOUR_NAMES`] (case, spaces, `-` and `_`
/// ignored) or `#rrggbb`; returned normalized.
pub(super) fn check_colour(raw: &str) -> Result<String, String> {
    let c: String = raw
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .collect();
    let c = match c.as_str() {
        "grey" => "gray".to_string(),
        "darkgrey" => "darkgray".to_string(),
        _ => c,
    };
    let hex =
        c.len() == 7 && c.starts_with('#') && c.chars().skip(1).all(|d| d.is_ascii_hexdigit());
    if hex || COLOUR_NAMES.contains(&c.as_str()) {
        Ok(c)
    } else {
        Err(format!(
            "`{}` is not a colour (use #rrggbb or one of: {})",
            text::clean_line(raw),
            COLOUR_NAMES.join(", ")
        ))
    }
}

impl Config {
    /// The settings acting as profile `name`: its server and key source
    /// replace the top-level ones (the environment's key is not used: see
    /// `launch::agent_key`); `profile` is set to `name`.
    ///
    /// Errors: no such profile (the message lists the known ones).
    pub fn for_profile(&self, name: &str) -> Result<Config, ConfigError> {
        let Some(p) = self.profiles.get(name) else {
            return Err(self.unknown_profile(name));
        };
        let mut c = self.clone();
        c.api_url = p.api_url.clone();
        c.key_file = p.key_file.clone();
        c.key_command = p.key_command.clone();
        c.profile = Some(name.to_string());
        Ok(c)
    }

    /// The settings of the chosen profile (`profile`), or these settings
    /// when none is chosen.
    ///
    /// Errors: the chosen profile does not exist.
    pub fn chosen(&self) -> Result<Config, ConfigError> {
        match &self.profile {
            Some(name) => self.for_profile(name),
            None => Ok(self.clone()),
        }
    }

    /// The header colour of profile `name`: its own, else one of
    /// [`DEFAULT_COLOURS`] by its place among the profiles.
    pub fn profile_colour(&self, name: &str) -> String {
        if let Some(c) = self.profiles.get(name).and_then(|p| p.colour.clone()) {
            return c;
        }
        let i = self.profiles.keys().position(|k| k == name).unwrap_or(0);
        DEFAULT_COLOURS[i % DEFAULT_COLOURS.len()].to_string()
    }

    /// The names of the profiles, sorted, comma-separated (for messages).
    pub fn profile_names(&self) -> String {
        self.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
    }

    fn unknown_profile(&self, name: &str) -> ConfigError {
        let file = self.file.as_deref().map_or_else(
            || "the config file".to_string(),
            |p| format!("config file {}", shown_path(p)),
        );
        let message = if self.profiles.is_empty() {
            format!(
                "{file} defines no profiles: add a [profiles.{}] table with api_url and \
                 key_file or key_command",
                text::clean_line(name)
            )
        } else {
            format!("the profiles in {file} are: {}", self.profile_names())
        };
        ConfigError::UnknownProfile {
            name: text::clean_line(name),
            message,
        }
    }
}
