//! The feed pane's title, drawn on its top border by `ui::feed`: its text
//! for a width and where the sort tab ("tab: rising") sits in it, so that
//! a mouse click on the tab (`app/mouse.rs`) and the drawing agree.

use super::{Action, App, FeedSort, Loading};
use crate::text;
use std::ops::Range;

/// The title of the feed pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedTitle {
    /// The text, within the width asked for.
    pub text: String,
    /// The cells of `text` (0 = its first) showing the other sort's tab
    /// (`tab: rising`); `None` when the title had no room for it.
    pub tab: Option<Range<u16>>,
}

/// What leads the sort tab in the title, and its word.
const TAB_LEAD: &str = " · tab: ";
const TAB_WORD: &str = "tab: ";

/// The feed pane's title within `width` cells: sort, new posts, counts and
/// filter, posts hidden by mutes, pause, ranking age, loading and the tab hint. When it is too
/// long, parts are shortened one step at a time in a fixed order (hints
/// and words first, numbers and the filter's text last); only then is the
/// end cut with "…".
pub fn feed_title(app: &App, width: u16) -> FeedTitle {
    let width = usize::from(width);
    let feed = app.feed();
    let top = app.keymap.first_key(Action::First);
    let more = if feed.loaded() && !feed.at_end() {
        "+"
    } else {
        ""
    };
    let sort = feed.sort().label();
    let head = vec![format!(" Feed · {sort}"), format!(" {sort}")];
    let new = feed.new_above();
    let news = if new > 0 {
        vec![
            format!(" · ▲ {new} new ({top})"),
            format!(" · ▲ {new} new"),
            format!(" · ▲{new}"),
        ]
    } else if feed.detached() {
        let n = feed.newer_above();
        let what = if n > 0 {
            format!("{n}+ newer")
        } else {
            "newer posts".to_string()
        };
        vec![
            format!(" · ▲ {what} ({top})"),
            format!(" · ▲ {what}"),
            " · ▲".to_string(),
        ]
    } else {
        vec![String::new()]
    };
    let label = app.filter.label();
    // Posts the mutes hide are counted apart, never in the other counts.
    let hidden = feed.hidden();
    let (count, filter) = if label.is_empty() {
        let n = feed.view_len();
        let noun = if n == 1 && more.is_empty() {
            "post"
        } else {
            "posts"
        };
        (vec![format!(" · {n}{more} {noun}")], vec![String::new()])
    } else {
        let (shown, all) = (feed.view_len(), feed.items().len().saturating_sub(hidden));
        (
            vec![
                format!(" · {shown} of {all}{more}"),
                format!(" · {shown}/{all}{more}"),
            ],
            vec![
                format!(" · filter: {label}"),
                format!(" · {label}"),
                format!(" · {}", text::truncate(&label, 16)),
                format!(" · {}", text::truncate(&label, 8)),
                " · filtered".to_string(),
            ],
        )
    };
    let hid = if hidden > 0 {
        vec![format!(" · {hidden} hidden"), format!(" · {hidden} hid")]
    } else {
        vec![String::new()]
    };
    let paused = vec![if app.paused { " · paused" } else { "" }.to_string()];
    let ranked = match (feed.sort(), feed.read_at()) {
        (FeedSort::Rising, Some(t)) => {
            // Rising is a ranking: say how old it is and how to redo it.
            let ago = crate::duration::ago(crate::duration::since_secs(t, app.now));
            vec![
                format!(
                    " · ranked {ago} · {} to re-rank",
                    app.keymap.first_key(Action::Refresh)
                ),
                format!(" · ranked {ago}"),
                format!(" · {ago}"),
                String::new(),
            ]
        }
        _ => vec![String::new()],
    };
    let loading = match feed.loading() {
        Some(Loading::First) => vec![" · loading…".to_string(), " · …".to_string()],
        Some(Loading::More) => vec![" · loading more…".to_string(), " · …".to_string()],
        Some(Loading::Merge) | None => vec![String::new()],
    };
    let tab = vec![
        format!("{TAB_LEAD}{} ", feed.sort().other().label()),
        " ".to_string(),
    ];
    let mut parts = [head, news, count, filter, hid, paused, ranked, loading, tab];
    // (part, step) in the order parts give way.
    const HEAD: usize = 0;
    const NEW: usize = 1;
    const COUNT: usize = 2;
    const FILTER: usize = 3;
    const HIDDEN: usize = 4;
    const RANKED: usize = 6;
    const LOADING: usize = 7;
    const TAB: usize = 8;
    let order = [
        RANKED, TAB, FILTER, HEAD, LOADING, NEW, FILTER, COUNT, HIDDEN, RANKED, FILTER, NEW,
        RANKED, FILTER,
    ];
    let len = |parts: &[Vec<String>]| -> usize {
        parts
            .iter()
            .map(|p| p.first().map_or(0, |s| text::width(s)))
            .sum()
    };
    for &i in &order {
        if len(&parts) <= width {
            break;
        }
        if parts[i].len() > 1 {
            parts[i].remove(0);
        }
    }
    let whole: String = parts.iter().filter_map(|p| p.first().cloned()).collect();
    // The tab hint's cells: " · tab: rising " without the dot and the
    // spaces around it; what the "…" of a cut title hides is not in it.
    let shown = if text::width(&whole) > width {
        width.saturating_sub(1)
    } else {
        width
    };
    let before: usize = parts[..TAB]
        .iter()
        .map(|p| p.first().map_or(0, |s| text::width(s)))
        .sum();
    let tab = parts[TAB]
        .first()
        .filter(|t| t.starts_with(TAB_LEAD))
        .map(|t| {
            let start = before + text::width(TAB_LEAD) - TAB_WORD.len();
            let end = (before + text::width(t) - 1).min(shown);
            start..end
        })
        .filter(|r| !r.is_empty())
        .and_then(|r| Some(u16::try_from(r.start).ok()?..u16::try_from(r.end).ok()?));
    FeedTitle {
        text: text::truncate(&whole, width),
        tab,
    }
}
