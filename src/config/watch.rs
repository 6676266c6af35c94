//! The config file's `[[watch]]` rules: what the TUI tells you about while
//! you look elsewhere (read by `app/watch.rs`, which matches them).
//!
//! ```toml
//! [[watch]]
//! author = "pixel-poet"          # no action named: title count + bell
//!
//! [[watch]]
//! tag = "moderation"
//! text = "spam"                  # every condition given must hold
//! desktop = true                 # a desktop notification (OSC 9 / OSC 777)
//! notify_command = ["notify-send", "AIspace"]   # title and text appended
//!
//! [[watch]]
//! my_posts = ["liked", "medalled", "commented", "judged"]
//! title = true
//! ```

use serde::Deserialize;

/// An AI verdict a rule waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictWatch {
    Gold,
    Silver,
    Bronze,
    /// Any verdict.
    Any,
}

impl VerdictWatch {
    /// Whether a post judged `medal` (`None`: not judged) satisfies it.
    pub fn accepts(self, medal: Option<&crate::api::Medal>) -> bool {
        use crate::api::Medal;
        match (self, medal) {
            (_, None) => false,
            (VerdictWatch::Any, Some(_)) => true,
            (VerdictWatch::Gold, Some(m)) => *m == Medal::Gold,
            (VerdictWatch::Silver, Some(m)) => *m == Medal::Silver,
            (VerdictWatch::Bronze, Some(m)) => *m == Medal::Bronze,
        }
    }

    /// The name as written in the file (`gold`, ..., `any`).
    pub fn name(self) -> &'static str {
        match self {
            VerdictWatch::Gold => "gold",
            VerdictWatch::Silver => "silver",
            VerdictWatch::Bronze => "bronze",
            VerdictWatch::Any => "any",
        }
    }
}

/// Something that happened to one of my own posts, found by comparing its
/// counts between refreshes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MyPostEvent {
    Liked,
    Medalled,
    Commented,
    Judged,
}

impl MyPostEvent {
    pub const NAMES: [&'static str; 4] = ["liked", "medalled", "commented", "judged"];

    fn parse(s: &str) -> Option<MyPostEvent> {
        match s.trim().to_ascii_lowercase().as_str() {
            "liked" => Some(MyPostEvent::Liked),
            "medalled" | "medaled" => Some(MyPostEvent::Medalled),
            "commented" => Some(MyPostEvent::Commented),
            "judged" => Some(MyPostEvent::Judged),
            _ => None,
        }
    }
}

/// One checked `[[watch]]` rule. Post conditions (`author`, `tag`,
/// `text`, `verdict`) must all hold for a new post (or, with `verdict`, a
/// post the judge has just ruled on); `my_posts` names events on my own
/// posts. Actions: `title` (the unread count in the terminal title),
/// `bell`, `desktop` (a notification through the terminal) and
/// `notify_command`; a rule naming none gets `title` and `bell`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WatchRule {
    /// Author handle, lower case, without `@`.
    pub author: Option<String>,
    /// Tag, lower case, without `#`.
    pub tag: Option<String>,
    /// Words looked for in caption, tags and author (folded as the `/`
    /// filter folds: case and accents ignored).
    pub text: Option<String>,
    pub verdict: Option<VerdictWatch>,
    pub my_posts: Vec<MyPostEvent>,
    pub title: bool,
    pub bell: bool,
    pub desktop: bool,
    /// A program and its first arguments (no shell); the notification's
    /// title and text are appended as two more arguments.
    pub notify_command: Option<Vec<String>>,
}

impl WatchRule {
    /// Whether the rule looks at new posts (any post condition).
    pub fn watches_posts(&self) -> bool {
        self.author.is_some() || self.tag.is_some() || self.text.is_some() || self.verdict.is_some()
    }
}

/// A `[[watch]]` table as written (every key optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchLayer {
    pub author: Option<String>,
    pub tag: Option<String>,
    pub text: Option<String>,
    pub verdict: Option<String>,
    pub my_posts: Option<Vec<String>>,
    pub title: Option<bool>,
    pub bell: Option<bool>,
    pub desktop: Option<bool>,
    pub notify_command: Option<super::KeyNames>,
}

impl WatchLayer {
    /// Checks the table; `Err((key, message))` names the bad key.
    pub fn check(self) -> Result<WatchRule, (&'static str, String)> {
        let word = |key: &'static str, v: Option<String>, strip: char| {
            v.map(|s| {
                let s = s.trim().trim_start_matches(strip).trim().to_lowercase();
                if s.is_empty() {
                    Err((key, "is empty".to_string()))
                } else {
                    Ok(s)
                }
            })
            .transpose()
        };
        let author = word("author", self.author, '@')?;
        let tag = word("tag", self.tag, '#')?;
        let text = word("text", self.text, ' ')?;
        let verdict = self
            .verdict
            .map(|v| match v.trim().to_ascii_lowercase().as_str() {
                "gold" => Ok(VerdictWatch::Gold),
                "silver" => Ok(VerdictWatch::Silver),
                "bronze" => Ok(VerdictWatch::Bronze),
                "any" => Ok(VerdictWatch::Any),
                _ => Err((
                    "verdict",
                    format!(
                        "`{}` is not a verdict (expected gold, silver, bronze or any)",
                        crate::text::clean_line(&v)
                    ),
                )),
            })
            .transpose()?;
        let mut my_posts = Vec::new();
        for e in self.my_posts.unwrap_or_default() {
            let ev = MyPostEvent::parse(&e).ok_or_else(|| {
                (
                    "my_posts",
                    format!(
                        "`{}` is not an event (expected {})",
                        crate::text::clean_line(&e),
                        MyPostEvent::NAMES.join(", ")
                    ),
                )
            })?;
            if !my_posts.contains(&ev) {
                my_posts.push(ev);
            }
        }
        let notify_command = match self.notify_command {
            None => None,
            Some(super::KeyNames::One(line)) => Some(
                shell_words::split(&line)
                    .map_err(|e| ("notify_command", format!("cannot be split into words: {e}")))?,
            ),
            Some(super::KeyNames::Many(words)) => Some(words),
        };
        if notify_command
            .as_ref()
            .is_some_and(|w| w.first().is_none_or(|p| p.trim().is_empty()))
        {
            return Err(("notify_command", "names no program".to_string()));
        }
        let named = self.title.is_some()
            || self.bell.is_some()
            || self.desktop.is_some()
            || notify_command.is_some();
        let rule = WatchRule {
            author,
            tag,
            text,
            verdict,
            my_posts,
            title: self.title.unwrap_or(!named),
            bell: self.bell.unwrap_or(!named),
            desktop: self.desktop.unwrap_or(false),
            notify_command,
        };
        if !rule.watches_posts() && rule.my_posts.is_empty() {
            return Err((
                "author",
                "the rule watches nothing: give author, tag, text, verdict or my_posts".to_string(),
            ));
        }
        Ok(rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(toml_text: &str) -> Result<WatchRule, (&'static str, String)> {
        let layer: WatchLayer = toml::from_str(toml_text).unwrap();
        layer.check()
    }

    #[test]
    fn a_rule_without_actions_sets_the_title_and_rings() {
        let r = rule(r#"author = "@Pixel-Poet""#).unwrap();
        assert_eq!(r.author.as_deref(), Some("pixel-poet"));
        assert!(r.title && r.bell && !r.desktop && r.notify_command.is_none());
        // Naming one action turns the defaults off.
        let r = rule("tag = \"#Cats\"\ndesktop = true").unwrap();
        assert_eq!(r.tag.as_deref(), Some("cats"));
        assert!(!r.title && !r.bell && r.desktop);
    }

    #[test]
    fn bad_rules_name_their_key() {
        assert_eq!(rule("title = true").unwrap_err().0, "author");
        assert_eq!(rule(r#"verdict = "platinum""#).unwrap_err().0, "verdict");
        assert_eq!(rule(r#"my_posts = ["loved"]"#).unwrap_err().0, "my_posts");
        assert_eq!(rule(r#"author = " @ ""#).unwrap_err().0, "author");
        let e = rule("author = \"x\"\nnotify_command = []").unwrap_err();
        assert_eq!(e.0, "notify_command");
        let r = rule("author = \"x\"\nnotify_command = \"notify-send 'AI space'\"").unwrap();
        assert_eq!(
            r.notify_command,
            Some(vec!["notify-send".to_string(), "AI space".to_string()])
        );
        let r = rule(r#"my_posts = ["liked", "Judged", "liked"]"#).unwrap();
        assert_eq!(r.my_posts, [MyPostEvent::Liked, MyPostEvent::Judged]);
    }
}
