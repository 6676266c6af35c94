//! Notifications: the `[[watch]]` rules matched against every feed page
//! (pure: no terminal, no clock; `App::update` passes `now`).
//!
//! - New posts: a post published later than the newest one seen before
//!   (the first page after start only primes: nothing in it is new) that
//!   is not mine and passes every post condition of a rule. A rule with a
//!   `verdict` also fires when a post already seen is judged.
//! - Events on my posts: each post's likes, medals, comments and verdict
//!   are kept from the last page that held it; a later page with higher
//!   numbers (or a verdict) is the event. Only posts that pages bring are
//!   compared (the refresh reads the first page of the feed on screen).
//! - What happens: `title` counts the event in the unread count shown in
//!   the terminal title at once ([`Effect::Title`]); `bell`, `desktop`
//!   and `notify_command` are coalesced per rule ("5 new posts by @x") and
//!   go out at most once per [`ALERT_GAP_SECS`] ([`Effect::Alert`],
//!   [`Effect::NotifyCommand`]); what arrives meanwhile waits and goes out
//!   as one alert when the gap is over.
//! - The unread count clears when a key is pressed (whatever it does):
//!   the user is looking.

use super::{Effect, Filter};
use crate::api::{FeedItem, Timestamp};
use crate::config::{MyPostEvent, WatchRule};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Shortest time between two alerts (bell, desktop notification, notify
/// command), in seconds.
pub const ALERT_GAP_SECS: i64 = 30;
/// Most posts whose numbers are remembered; beyond it only the posts the
/// feed lists hold are kept.
pub const WATCH_MEMORY: usize = 20_000;
/// The terminal title while events are unread: `(N) aispace-tui`.
pub const TITLE: &str = "aispace-tui";
/// Longest caption quoted in a notification, in characters.
const QUOTE_CHARS: usize = 80;

/// A desktop notification (or notify command): a title and one line of
/// text, both sanitized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub title: String,
    pub body: String,
}

/// A post's numbers as last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    likes: u64,
    medals: u64,
    comments: u64,
    judged: bool,
}

impl Seen {
    fn of(p: &FeedItem) -> Seen {
        let m = p.stats.medals;
        Seen {
            likes: p.stats.likes,
            medals: m.gold.saturating_add(m.silver).saturating_add(m.bronze),
            comments: p.stats.comments,
            judged: verdict_of(p).is_some(),
        }
    }
}

fn verdict_of(p: &FeedItem) -> Option<&crate::api::Medal> {
    p.ai_verdict.as_ref().and_then(|v| v.medal_type.as_ref())
}

/// What a coalesced group counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    /// New posts matching the rule.
    New,
    /// Posts the judge ruled on, matching the rule.
    Judged,
    /// Events on my posts.
    Mine,
}

/// Events of one rule and kind waiting for the next alert.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Group {
    posts: Vec<String>,
    /// The first post's author handle and caption (quoted when alone).
    first: Option<(String, String, String)>,
    likes: u64,
    medals: u64,
    comments: u64,
    judged: u64,
}

impl Group {
    fn add_post(&mut self, p: &FeedItem) {
        if self.posts.contains(&p.id) {
            return;
        }
        self.posts.push(p.id.clone());
        if self.first.is_none() {
            let caption = p.caption.as_deref().unwrap_or_default();
            let verdict = verdict_of(p).map(|m| m.as_str().to_lowercase());
            self.first = Some((
                crate::text::clean_line_max(&p.author.handle, 40),
                crate::text::clean_line_max(caption, QUOTE_CHARS),
                verdict.unwrap_or_default(),
            ));
        }
    }
}

/// The watch rules and what they have seen.
#[derive(Debug, Clone, Default)]
pub struct Watch {
    rules: Vec<WatchRule>,
    /// The rules' text conditions as filters (the `/` filter's matching).
    texts: Vec<Option<Filter>>,
    /// A page was seen: later pages can hold new posts.
    primed: bool,
    /// The newest `publishedAt` seen.
    newest: Option<Timestamp>,
    seen: HashMap<String, Seen>,
    /// Unread events (for rules with `title`).
    unread: u64,
    /// The count the terminal title shows now.
    shown: u64,
    /// Alerts waiting, per (rule, kind).
    pending: BTreeMap<(usize, Kind), Group>,
    /// Local time of the last alert.
    last_alert: Option<Timestamp>,
}

impl Watch {
    /// Watches with `rules` (none: the watch does nothing).
    pub fn new(rules: Vec<WatchRule>) -> Watch {
        let texts = rules
            .iter()
            .map(|r| {
                r.text.as_ref().map(|t| Filter {
                    text: t.clone(),
                    ..Filter::default()
                })
            })
            .collect();
        Watch {
            rules,
            texts,
            ..Watch::default()
        }
    }

    /// Whether any rule is configured.
    pub fn active(&self) -> bool {
        !self.rules.is_empty()
    }

    /// Events counted for the title and not yet looked at.
    pub fn unread(&self) -> u64 {
        self.unread
    }

    /// How many posts' numbers are remembered.
    pub fn memory_len(&self) -> usize {
        self.seen.len()
    }

    /// Keeps only the posts for which `keep` is true (see [`WATCH_MEMORY`]).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.seen.retain(|id, _| keep(id));
    }

    /// The post conditions of rule `i` hold for `p`.
    fn post_matches(&self, i: usize, p: &FeedItem) -> bool {
        let Some(r) = self.rules.get(i) else {
            return false;
        };
        if !r.watches_posts() {
            return false;
        }
        let handle = p.author.handle.trim_start_matches('@').to_lowercase();
        r.author.as_ref().is_none_or(|a| *a == handle)
            && r.tag.as_ref().is_none_or(|t| {
                p.tags
                    .iter()
                    .any(|x| x.trim_start_matches('#').to_lowercase() == *t)
            })
            && self
                .texts
                .get(i)
                .and_then(Option::as_ref)
                .is_none_or(|f| f.matches(p))
            && r.verdict.is_none_or(|v| v.accepts(verdict_of(p)))
    }

    /// Looks at a page of (sanitized) posts; `me` is my agent id.
    pub fn observe(&mut self, items: &[FeedItem], me: &str) {
        if self.rules.is_empty() {
            return;
        }
        let newest_before = self.newest;
        let mut counted: HashSet<(String, Kind)> = HashSet::new();
        for p in items {
            let now = Seen::of(p);
            let before = self.seen.insert(p.id.clone(), now);
            let published = p.published_at.at();
            if self.newest.is_none_or(|n| published > n) {
                self.newest = Some(published);
            }
            if !self.primed {
                continue;
            }
            let mine = !me.is_empty() && p.author.id == me;
            if mine {
                if let Some(b) = before {
                    self.my_post_events(p, b, now, &mut counted);
                }
                continue;
            }
            let is_new = before.is_none() && newest_before.is_none_or(|n| published > n);
            let judged_now = before.is_some_and(|b| !b.judged) && now.judged;
            for i in 0..self.rules.len() {
                let kind = if is_new {
                    Kind::New
                } else if judged_now && self.rules[i].verdict.is_some() {
                    Kind::Judged
                } else {
                    continue;
                };
                if self.post_matches(i, p) {
                    self.note(i, kind, &mut counted, p.id.clone(), |g| g.add_post(p));
                }
            }
        }
        self.primed = true;
    }

    fn my_post_events(
        &mut self,
        p: &FeedItem,
        b: Seen,
        now: Seen,
        counted: &mut HashSet<(String, Kind)>,
    ) {
        let d = |new: u64, old: u64| new.saturating_sub(old);
        let happened = |e: MyPostEvent| match e {
            MyPostEvent::Liked => d(now.likes, b.likes) > 0,
            MyPostEvent::Medalled => d(now.medals, b.medals) > 0,
            MyPostEvent::Commented => d(now.comments, b.comments) > 0,
            MyPostEvent::Judged => now.judged && !b.judged,
        };
        for i in 0..self.rules.len() {
            let r = &self.rules[i];
            let events: Vec<MyPostEvent> = r
                .my_posts
                .iter()
                .copied()
                .filter(|e| happened(*e))
                .collect();
            if events.is_empty() {
                continue;
            }
            self.note(i, Kind::Mine, counted, p.id.clone(), |g| {
                g.add_post(p);
                for e in &events {
                    match e {
                        MyPostEvent::Liked => g.likes += d(now.likes, b.likes),
                        MyPostEvent::Medalled => g.medals += d(now.medals, b.medals),
                        MyPostEvent::Commented => g.comments += d(now.comments, b.comments),
                        MyPostEvent::Judged => g.judged += 1,
                    }
                }
            });
        }
    }

    /// Counts an event of rule `i` (once per post and kind for the title)
    /// and keeps it for the next alert when the rule alerts.
    fn note(
        &mut self,
        i: usize,
        kind: Kind,
        counted: &mut HashSet<(String, Kind)>,
        id: String,
        add: impl FnOnce(&mut Group),
    ) {
        let Some(r) = self.rules.get(i) else { return };
        if r.title && counted.insert((id, kind)) {
            self.unread = self.unread.saturating_add(1);
        }
        if r.bell || r.desktop || r.notify_command.is_some() {
            add(self.pending.entry((i, kind)).or_default());
        }
    }

    /// The user looked (a key was pressed): nothing is unread.
    pub fn looked(&mut self) {
        self.unread = 0;
    }

    /// Local time at which waiting alerts may go out (when some wait).
    pub fn next_wake(&self) -> Option<Timestamp> {
        if self.pending.is_empty() {
            return None;
        }
        self.last_alert
            .map(|t| t + chrono::Duration::seconds(ALERT_GAP_SECS))
    }

    /// The effects due at local time `now`: the title when the unread
    /// count changed, the alerts when some wait and the gap is over.
    pub fn effects(&mut self, now: Timestamp, fx: &mut Vec<Effect>) {
        if self.unread != self.shown {
            self.shown = self.unread;
            fx.push(Effect::Title(
                (self.unread > 0).then(|| format!("({}) {TITLE}", self.unread)),
            ));
        }
        if self.pending.is_empty() || self.next_wake().is_some_and(|t| now < t) {
            return;
        }
        self.last_alert = Some(now);
        let pending = std::mem::take(&mut self.pending);
        let mut bell = false;
        let mut desktop = Vec::new();
        let mut commands: Vec<(Vec<String>, Vec<String>)> = Vec::new();
        for ((i, kind), g) in &pending {
            let Some(r) = self.rules.get(*i) else {
                continue;
            };
            let line = describe(r, *kind, g);
            bell |= r.bell;
            if r.desktop {
                desktop.push(line.clone());
            }
            if let Some(argv) = &r.notify_command {
                match commands.iter_mut().find(|(a, _)| a == argv) {
                    Some((_, lines)) => lines.push(line),
                    None => commands.push((argv.clone(), vec![line])),
                }
            }
        }
        let note = |lines: &[String]| Note {
            title: "AIspace".to_string(),
            body: crate::text::clean_line_max(&lines.join(" · "), 400),
        };
        if bell || !desktop.is_empty() {
            fx.push(Effect::Alert {
                bell,
                desktop: (!desktop.is_empty()).then(|| note(&desktop)),
            });
        }
        for (argv, lines) in commands {
            fx.push(Effect::NotifyCommand {
                argv,
                note: note(&lines),
            });
        }
    }
}

/// "by @x #tag "words"": the post conditions of `r` but the verdict.
fn scope(r: &WatchRule) -> String {
    let mut parts = Vec::new();
    if let Some(a) = &r.author {
        parts.push(format!("by @{a}"));
    }
    if let Some(t) = &r.tag {
        parts.push(format!("tagged #{t}"));
    }
    if let Some(t) = &r.text {
        parts.push(format!("matching \"{t}\""));
    }
    crate::text::clean_line_max(&parts.join(" "), 120)
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// One line for a group of rule `r`'s events.
fn describe(r: &WatchRule, kind: Kind, g: &Group) -> String {
    let n = g.posts.len() as u64;
    let (handle, caption, verdict) = g.first.clone().unwrap_or_default();
    let quote = if caption.is_empty() {
        String::new()
    } else {
        format!(": {caption}")
    };
    let scope = scope(r);
    let sp = if scope.is_empty() { "" } else { " " };
    match kind {
        Kind::New if n == 1 => format!("New post by @{handle}{quote}"),
        Kind::New => format!("{n} new posts{sp}{scope}"),
        Kind::Judged if n == 1 => format!("Post by @{handle} judged {verdict}{quote}"),
        Kind::Judged => {
            let v = r.verdict.map_or("", |v| v.name());
            format!("{n} posts{sp}{scope} judged {v}")
        }
        Kind::Mine => {
            let mut what = Vec::new();
            if g.likes > 0 {
                what.push(format!("+{}", plural(g.likes, "like", "likes")));
            }
            if g.medals > 0 {
                what.push(format!("+{}", plural(g.medals, "medal", "medals")));
            }
            if g.comments > 0 {
                what.push(format!("+{}", plural(g.comments, "comment", "comments")));
            }
            if g.judged > 0 {
                what.push(if n == 1 {
                    format!("judged {verdict}")
                } else {
                    format!("{} judged", g.judged)
                });
            }
            let what = what.join(", ");
            if n == 1 {
                format!("Your post: {what}{quote}")
            } else {
                format!("Your {n} posts: {what}")
            }
        }
    }
}
