//! Feed filters: a text query over caption, tags and author, the AI
//! verdict, and "not medalled by me". A filter only hides posts from the
//! view; the loaded list, paging and refreshes are unchanged underneath.

use crate::api::{FeedItem, Medal};

/// Which AI verdicts are shown (`v` cycles through them in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VerdictFilter {
    /// Every post.
    #[default]
    All,
    /// Judged GOLD.
    Gold,
    /// Judged SILVER.
    Silver,
    /// Judged BRONZE.
    Bronze,
    /// Not judged yet (`aiVerdict` is `null`).
    NotJudged,
}

impl VerdictFilter {
    /// The next value in the `v` cycle.
    pub fn next(self) -> Self {
        match self {
            VerdictFilter::All => VerdictFilter::Gold,
            VerdictFilter::Gold => VerdictFilter::Silver,
            VerdictFilter::Silver => VerdictFilter::Bronze,
            VerdictFilter::Bronze => VerdictFilter::NotJudged,
            VerdictFilter::NotJudged => VerdictFilter::All,
        }
    }

    /// Short label for the feed title (`all`, `gold`, ..., `not judged`).
    pub fn label(self) -> &'static str {
        match self {
            VerdictFilter::All => "all",
            VerdictFilter::Gold => "gold",
            VerdictFilter::Silver => "silver",
            VerdictFilter::Bronze => "bronze",
            VerdictFilter::NotJudged => "not judged",
        }
    }

    fn matches(self, item: &FeedItem) -> bool {
        let medal = item.ai_verdict.as_ref().and_then(|v| v.medal_type.as_ref());
        match self {
            VerdictFilter::All => true,
            VerdictFilter::Gold => medal == Some(&Medal::Gold),
            VerdictFilter::Silver => medal == Some(&Medal::Silver),
            VerdictFilter::Bronze => medal == Some(&Medal::Bronze),
            VerdictFilter::NotJudged => item.ai_verdict.is_none(),
        }
    }
}

/// The active filters. The default filter shows everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    /// Words that must all appear (case and accents ignored) in the caption, a tag,
    /// or the author's handle or name; empty = no text filter. Typed by the
    /// user (not server text), already trimmed.
    pub text: String,
    /// AI verdict filter.
    pub verdict: VerdictFilter,
    /// Only posts the agent has not medalled (its own posts, which it
    /// cannot medal, are hidden too).
    pub unmedalled: bool,
    /// The agent's id (to recognise its own posts); set by the app.
    pub me: String,
}

impl Filter {
    /// Whether any filter hides posts.
    pub fn is_active(&self) -> bool {
        !self.text.is_empty() || self.verdict != VerdictFilter::All || self.unmedalled
    }

    /// Whether `item` passes every active filter.
    pub fn matches(&self, item: &FeedItem) -> bool {
        if !self.verdict.matches(item) {
            return false;
        }
        if self.unmedalled
            && (item.agent_medal.is_some() || (!self.me.is_empty() && item.author.id == self.me))
        {
            return false;
        }
        if self.text.is_empty() {
            return true;
        }
        let hay = haystack(item);
        self.text.split_whitespace().all(|w| hay.contains(&fold(w)))
    }

    /// The active filters for the feed title, e.g.
    /// `"cat" · verdict gold · not medalled`; empty when none is active.
    /// The text is the user's own input, passed through `text::clean_line`.
    pub fn label(&self) -> String {
        let mut parts = Vec::new();
        if !self.text.is_empty() {
            parts.push(format!("\"{}\"", crate::text::clean_line(&self.text)));
        }
        if self.verdict != VerdictFilter::All {
            parts.push(format!("verdict {}", self.verdict.label()));
        }
        if self.unmedalled {
            parts.push("not medalled".to_string());
        }
        parts.join(" · ")
    }
}

/// `s` lower-cased and without accents (decomposed, combining marks
/// dropped), so "unicode" finds "Ünïcödé".
pub fn fold(s: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
}

/// Folded ([`fold`]) caption, tags (with and without `#`) and author handle and
/// name, separated by newlines so words do not join across fields.
fn haystack(item: &FeedItem) -> String {
    let mut s = String::new();
    if let Some(c) = &item.caption {
        s.push_str(c);
    }
    for t in &item.tags {
        s.push_str("\n#");
        s.push_str(t);
    }
    s.push_str("\n@");
    s.push_str(&item.author.handle);
    s.push('\n');
    s.push_str(&item.author.name);
    fold(&s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{AiVerdict, Author};

    fn item(caption: &str, tags: &[&str], handle: &str) -> FeedItem {
        FeedItem {
            id: "x".into(),
            caption: Some(caption.into()),
            published_at: chrono::DateTime::from_timestamp(0, 0)
                .unwrap_or_default()
                .into(),
            author: Author {
                id: "a1".into(),
                handle: handle.into(),
                name: "Pixel Poet".into(),
                ..Default::default()
            },
            media: vec![],
            tags: tags.iter().map(|t| t.to_string()).collect(),
            stats: Default::default(),
            ai_verdict: None,
            agent_liked: false,
            agent_medal: None,
        }
    }

    #[test]
    fn text_filter_ignores_case_and_accents() {
        let f = Filter {
            text: "unicode CAFE".into(),
            ..Default::default()
        };
        assert!(f.matches(&item("Ünïcödé at the Café", &[], "x")));
        let f = Filter {
            text: "Ünïcödé".into(),
            ..Default::default()
        };
        assert!(f.matches(&item("plain unicode", &[], "x")));
        assert!(!f.matches(&item("ascii only", &[], "x")));
    }

    #[test]
    fn text_matches_caption_tags_and_author_case_insensitively() {
        let it = item("A Neon City at night", &["cyberpunk"], "pixel-poet");
        let f = |t: &str| Filter {
            text: t.into(),
            ..Filter::default()
        };
        assert!(f("neon").matches(&it));
        assert!(f("CYBER").matches(&it));
        assert!(f("#cyberpunk").matches(&it));
        assert!(f("@pixel").matches(&it));
        assert!(f("poet neon").matches(&it));
        assert!(!f("neon forest").matches(&it));
        assert!(!f("night#cyber").matches(&it));
    }

    #[test]
    fn verdict_and_unmedalled() {
        let mut it = item("x", &[], "h");
        let gold = Filter {
            verdict: VerdictFilter::Gold,
            ..Filter::default()
        };
        let not_judged = Filter {
            verdict: VerdictFilter::NotJudged,
            ..Filter::default()
        };
        assert!(!gold.matches(&it));
        assert!(not_judged.matches(&it));
        it.ai_verdict = Some(AiVerdict {
            medal_type: Some(Medal::Gold),
            reason: None,
            judge_version: None,
        });
        assert!(gold.matches(&it));
        assert!(!not_judged.matches(&it));
        let mut um = Filter {
            unmedalled: true,
            ..Filter::default()
        };
        assert!(um.matches(&it));
        it.agent_medal = Some(Medal::Bronze);
        assert!(!um.matches(&it));
        it.agent_medal = None;
        um.me = "a1".into();
        assert!(!um.matches(&it), "own posts cannot be medalled");
    }

    #[test]
    fn cycle_and_label() {
        let mut v = VerdictFilter::All;
        let mut seen = vec![];
        for _ in 0..5 {
            v = v.next();
            seen.push(v.label());
        }
        assert_eq!(seen, ["gold", "silver", "bronze", "not judged", "all"]);
        let f = Filter {
            text: "cat".into(),
            verdict: VerdictFilter::Silver,
            unmedalled: true,
            me: String::new(),
        };
        assert!(f.is_active());
        assert_eq!(f.label(), "\"cat\" · verdict silver · not medalled");
        assert!(!Filter::default().is_active());
    }
}
