//! `Action`: what a user wants (resolved from a key by the keymap), and
//! `Mode`: which key table is active.

use crate::api::Medal;

/// Which key table is active: the main screen, the comment editor, the
/// discard question of the editor, or the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Feed and post panes.
    Feed,
    /// The comment editor is open (keys not bound here are typed into it).
    Editor,
    /// "Unsent comment: keep as draft / discard / back" question.
    Confirm,
    /// The help overlay.
    Help,
    /// The one-line filter input in the footer (keys not bound here are
    /// typed into it).
    Filter,
    /// The post composer (keys not bound here are typed into its field).
    Post,
    /// The one-line search input of the archive (keys not bound here are
    /// typed into it).
    Search,
    /// The profile switcher: which agent acts.
    Profiles,
    /// The triage queue: one post at a time, medal or skip.
    Triage,
    /// The outbox list: triage medals waiting to be sent.
    Outbox,
    /// The full-screen picture (`app/full.rs`).
    Full,
    /// The list of mutes (`V`).
    Mutes,
    /// Which tag of the post `X` mutes.
    MuteTag,
}

impl Mode {
    /// All modes, in help-overlay order.
    pub const ALL: [Mode; 13] = [
        Mode::Feed,
        Mode::Full,
        Mode::Triage,
        Mode::Outbox,
        Mode::Editor,
        Mode::Confirm,
        Mode::Post,
        Mode::Filter,
        Mode::Search,
        Mode::Profiles,
        Mode::Mutes,
        Mode::MuteTag,
        Mode::Help,
    ];

    /// Keys not bound here are typed into a text (the comment editor and
    /// its question, the filter and search inputs, the composer): Ctrl-C
    /// there says how to leave instead of quitting.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Mode::Editor | Mode::Confirm | Mode::Filter | Mode::Post | Mode::Search
        )
    }

    /// Title of this mode's section in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Feed => "Feed",
            Mode::Editor => "Comment editor",
            Mode::Confirm => "Unsent comment",
            Mode::Help => "Help",
            Mode::Filter => "Filter input",
            Mode::Post => "Post composer",
            Mode::Search => "Search input",
            Mode::Profiles => "Profile switcher",
            Mode::Triage => "Triage queue",
            Mode::Outbox => "Outbox",
            Mode::Full => "Full-screen picture",
            Mode::Mutes => "Mutes",
            Mode::MuteTag => "Mute which tag",
        }
    }
}

/// One row of the action table: everything about one action in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionRow {
    pub action: Action,
    /// The name used in the config file's `[keys]` table, e.g. `"medal_gold"`.
    pub name: &'static str,
    /// The mode whose key table holds the action.
    pub mode: Mode,
    /// One-line description for the help overlay.
    pub description: &'static str,
    /// Short label for the hint bar; `None` for actions not shown there.
    /// Adjacent actions with the same label share one hint (`j/k move`).
    pub hint: Option<&'static str>,
    /// The default keys (names as `keymap::KeyChord::parse` reads them).
    pub keys: &'static [&'static str],
    /// Writes to the server (refused in read-only mode).
    pub writes: bool,
}

/// Declares [`Action`] and [`ACTIONS`] from one table: each row is an
/// action's variant, config name, mode, description, hint, default keys
/// and whether it writes. Row order is help order.
macro_rules! actions {
    ($(
        $(#[$doc:meta])*
        $variant:ident: $name:literal, $mode:ident, $desc:literal, $hint:expr, [$($key:literal),*], $writes:expr;
    )*) => {
        /// A user intent. Every action has a stable config name (used in
        /// the config file's `[keys]` table), a one-line description (help
        /// overlay) and default keys: its row of [`ACTIONS`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $($(#[$doc])* $variant,)*
        }

        /// The action table, in help order (row `i` is the action whose
        /// discriminant is `i`).
        pub const ACTIONS: &[ActionRow] = &[$(
            ActionRow {
                action: Action::$variant,
                name: $name,
                mode: Mode::$mode,
                description: $desc,
                hint: $hint,
                keys: &[$($key),*],
                writes: $writes,
            },
        )*];
    };
}

const W: bool = true;
const R: bool = false;

actions! {
    MoveDown: "down", Feed, "next post", Some("move"), ["j", "down"], R;
    MoveUp: "up", Feed, "previous post", Some("move"), ["k", "up"], R;
    PageDown: "page_down", Feed, "page down", None, ["pgdown", "ctrl-d"], R;
    PageUp: "page_up", Feed, "page up", None, ["pgup", "ctrl-u"], R;
    First: "first", Feed, "newest post (clears the new marker)", Some("top"), ["t", "home"], R;
    Last: "last", Feed, "last loaded post", None, ["end"], R;
    SwitchSort: "switch_sort", Feed, "switch latest / rising", Some("sort"), ["tab"], R;
    Refresh: "refresh", Feed, "reload feed and quotas now", Some("refresh"), ["r"], R;
    ToggleLike: "like", Feed, "like / unlike", Some("like"), ["l"], W;
    MedalGold: "medal_gold", Feed, "give a gold medal", Some("medal"), ["g"], W;
    MedalSilver: "medal_silver", Feed, "give a silver medal", Some("medal"), ["s"], W;
    MedalBronze: "medal_bronze", Feed, "give a bronze medal", Some("medal"), ["b"], W;
    Comment: "comment", Feed, "write a comment", Some("comment"), ["c"], W;
    /// Open the post composer.
    NewPost: "new_post", Feed, "post an image (the composer)", Some("post"), ["P"], W;
    OpenInBrowser: "open", Feed, "open the post in a browser", Some("open"), ["o"], R;
    CopyUrl: "copy_url", Feed, "copy the post URL (OSC 52)", Some("copy"), ["y"], R;
    TogglePost: "toggle_post", Feed, "enlarge / restore the post pane", None, ["z"], R;
    /// Scroll the post pane's caption down one line.
    PostDown: "post_down", Feed, "scroll the post text down", None, ["J"], R;
    /// Scroll the post pane's caption up one line.
    PostUp: "post_up", Feed, "scroll the post text up", None, ["K"], R;
    /// Image previews on / off.
    TogglePreviews: "previews", Feed, "image previews on / off", Some("images"), ["i"], R;
    /// The selected post's picture full screen.
    FullImage: "full_image", Feed, "show the pictures full screen (steps through posts)", None, ["enter"], R;
    /// Follow mode (tail -f): the newest post stays selected as posts
    /// arrive; any manual move leaves it.
    Follow: "follow", Feed, "follow the newest post as posts arrive (tail -f)", None, ["F"], R;
    /// Pause / resume the automatic refresh.
    TogglePause: "pause", Feed, "pause / resume auto-refresh", Some("pause"), ["p"], R;
    /// Open the filter input.
    OpenFilter: "filter", Feed, "filter by text (caption, tags, author)", Some("filter"), ["/"], R;
    /// Cycle the AI verdict filter.
    CycleVerdict: "verdict_filter", Feed, "AI verdict filter: all/gold/silver/bronze/not judged", Some("verdict"), ["v"], R;
    /// Show only posts not medalled by the agent (toggle).
    ToggleUnmedalled: "unmedalled_filter", Feed, "only posts you have not medalled", Some("unmedalled"), ["m"], R;
    /// Feed: every stored post of the selected post's author.
    AuthorView: "author_view", Feed, "stored posts of the selected post's author", None, ["a"], R;
    /// Feed: search every stored post.
    OpenSearch: "search", Feed, "search all stored posts", None, ["S"], R;
    /// Feed: my likes, medals and comments.
    History: "history", Feed, "history of my likes, medals and comments", None, ["H"], R;
    /// Feed: the stats screen (charts from the local archive).
    Stats: "stats", Feed, "stats: charts of the stored posts and my actions", None, ["#"], R;
    /// Feed: close the author / search / history / stats view (the description keeps the help overlay narrow).
    CloseView: "close_view", Feed, "back to the feed from author / search / history", None, ["esc"], R;
    /// Feed: send the last failed like / medal / comment again.
    Retry: "retry", Feed, "retry the last failed like / medal / comment", None, ["R"], W;
    /// Feed: take back the like or medal still waiting to be sent.
    Undo: "undo", Feed, "take back the like / medal not sent yet (undo_secs)", None, ["u"], R;
    /// Feed: the triage queue (unmedalled posts one at a time).
    Triage: "triage", Feed, "triage queue: judge unmedalled posts one by one", None, ["T"], W;
    /// Feed: the outbox of the triage queue.
    Outbox: "outbox", Feed, "outbox: triage medals waiting for the medal window", None, ["O"], R;
    /// Feed: hide the selected post from the feed.
    HidePost: "hide_post", Feed, "hide the post from the feed", None, ["x"], R;
    /// Feed: mute the selected post's author.
    MuteAuthor: "mute_author", Feed, "mute the post's author (hidden from the feed)", None, ["M"], R;
    /// Feed: mute a tag of the selected post (asks which when several).
    MuteTag: "mute_tag", Feed, "mute a tag of the post (asks which)", None, ["X"], R;
    /// Feed: the list of mutes (remove one there).
    Mutes: "mutes", Feed, "hidden posts, muted authors and tags", None, ["V"], R;
    /// Feed: the profile switcher (which agent acts).
    Profiles: "profiles", Feed, "switch agent: the profiles of the config", None, ["A"], R;
    /// Repaint the whole screen (after another program drew over it).
    Redraw: "redraw", Feed, "redraw the whole screen", None, ["ctrl-l"], R;
    Help: "help", Feed, "this help", Some("help"), ["?"], R;
    Quit: "quit", Feed, "quit", Some("quit"), ["q", "ctrl-c"], R;
    /// Editor: send the comment.
    Send: "send", Editor, "send the comment", Some("send"), ["ctrl-s", "alt-enter"], R;
    /// Editor: edit the text in `$VISUAL` / `$EDITOR` (the terminal is
    /// handed over; the text comes back into the editor).
    ExternalEditor: "external_editor", Editor, "edit the text in $VISUAL / $EDITOR", Some("$EDITOR"), ["ctrl-e"], R;
    /// Editor: close (asks when there is text).
    Cancel: "cancel", Editor, "close the editor", Some("cancel"), ["esc"], R;
    /// Post composer: send the post.
    PostSend: "post_send", Post, "send the post (checked first)", Some("send"), ["ctrl-s"], W;
    /// Post composer: complete the path in the file field, else next field.
    PostTab: "post_tab", Post, "complete the file path / next field", Some("complete/next"), ["tab"], R;
    /// Post composer: previous field.
    PostPrevField: "post_prev_field", Post, "previous field", None, ["backtab"], R;
    /// Post composer: re-encode a picture over 5 MiB as JPEG.
    PostReencode: "post_reencode", Post, "re-encode a picture over 5 MiB as JPEG", Some("re-encode"), ["ctrl-r"], R;
    /// Post composer: edit the caption in the external editor.
    PostEditor: "post_external_editor", Post, "edit the caption in $VISUAL / $EDITOR", Some("$EDITOR"), ["ctrl-e"], R;
    /// Post composer: close (what was typed is kept for the next `P`).
    PostClose: "post_close", Post, "close the composer (kept until sent)", Some("close"), ["esc"], R;
    /// Confirm: keep the text as this post's draft and close the editor.
    KeepDraft: "keep_draft", Confirm, "keep as draft and close", Some("keep draft"), ["k"], R;
    /// Confirm: throw the text away and close the editor.
    Discard: "discard", Confirm, "discard the text", Some("discard"), ["d"], R;
    /// Confirm: return to the editor.
    BackToEditor: "back", Confirm, "back to the editor", Some("back"), ["esc"], R;
    /// Help: close the overlay.
    CloseHelp: "close_help", Help, "close help", Some("close"), ["esc", "?", "q"], R;
    /// Help: scroll down one line.
    HelpDown: "help_down", Help, "scroll help down", Some("scroll"), ["j", "down"], R;
    /// Help: scroll up one line.
    HelpUp: "help_up", Help, "scroll help up", Some("scroll"), ["k", "up"], R;
    /// Filter input: apply the typed text.
    ApplyFilter: "apply_filter", Filter, "apply the filter", Some("apply"), ["enter"], R;
    /// Filter input: clear the text filter and close.
    ClearFilter: "clear_filter", Filter, "clear the text filter", Some("clear"), ["esc"], R;
    /// Search input: search the stored posts for the typed words.
    RunSearch: "run_search", Search, "search the stored posts", Some("search"), ["enter"], R;
    /// Search input: close it.
    CancelSearch: "cancel_search", Search, "close the search input", Some("cancel"), ["esc"], R;
    /// Triage: a gold medal, then the next post.
    TriageGold: "triage_gold", Triage, "gold medal, next post", Some("gold"), ["g", "1"], W;
    /// Triage: a silver medal, then the next post.
    TriageSilver: "triage_silver", Triage, "silver medal, next post", Some("silver"), ["s", "2"], W;
    /// Triage: a bronze medal, then the next post.
    TriageBronze: "triage_bronze", Triage, "bronze medal, next post", Some("bronze"), ["b", "3"], W;
    /// Triage: no medal, the next post.
    TriageSkip: "triage_skip", Triage, "skip: no medal, next post", Some("skip"), ["n", "space"], R;
    /// Triage: take back the last decision and show its post again.
    TriageUndo: "triage_undo", Triage, "undo the last decision (unless already sent)", Some("undo"), ["u", "backspace"], R;
    /// Triage: hide the post on screen (as `x` in the feed), then the next.
    TriageHide: "triage_hide", Triage, "hide this post, next post", Some("hide"), ["x"], R;
    /// Triage: mute the author of the post on screen (as `M`), then the next.
    TriageMuteAuthor: "triage_mute_author", Triage, "mute this post's author, next post", None, ["M"], R;
    /// Triage: the other order (latest oldest first / rising).
    TriageOrder: "triage_order", Triage, "oldest first / by rising", Some("order"), ["tab"], R;
    /// Triage: the outbox list.
    TriageOutbox: "triage_outbox", Triage, "the outbox: medals waiting to be sent", Some("outbox"), ["O"], R;
    /// Triage: back to the feed (the outbox goes on sending).
    TriageLeave: "triage_leave", Triage, "leave the triage queue", Some("leave"), ["esc", "q", "T"], R;
    /// Outbox: next decision.
    OutboxDown: "outbox_down", Outbox, "next decision", Some("move"), ["j", "down"], R;
    /// Outbox: previous decision.
    OutboxUp: "outbox_up", Outbox, "previous decision", Some("move"), ["k", "up"], R;
    /// Outbox: cancel the selected decision before it is sent.
    OutboxCancel: "outbox_cancel", Outbox, "cancel the selected medal (not sent yet)", Some("cancel"), ["x", "d"], R;
    /// Outbox: close the list.
    CloseOutbox: "close_outbox", Outbox, "close the outbox", Some("close"), ["esc", "O", "q"], R;
    /// Profile switcher: next profile.
    ProfileDown: "profile_down", Profiles, "next profile", Some("move"), ["j", "down"], R;
    /// Profile switcher: previous profile.
    ProfileUp: "profile_up", Profiles, "previous profile", Some("move"), ["k", "up"], R;
    /// Profile switcher: act as the chosen profile.
    ProfileChoose: "profile_choose", Profiles, "act as this profile", Some("switch"), ["enter"], R;
    /// Profile switcher: close it.
    CloseProfiles: "close_profiles", Profiles, "close the switcher", Some("close"), ["esc", "A", "q"], R;
    /// Full-screen picture: the next post's (moves the selection).
    FullNextPost: "full_next_post", Full, "next post", Some("post"), ["j", "down", "n"], R;
    /// Full-screen picture: the previous post's (moves the selection).
    FullPrevPost: "full_prev_post", Full, "previous post", Some("post"), ["k", "up", "p"], R;
    /// Full-screen picture: the post's previous picture.
    FullPrevImage: "full_prev_image", Full, "previous picture of the post", Some("picture"), ["h", "left"], R;
    /// Full-screen picture: the post's next picture.
    FullNextImage: "full_next_image", Full, "next picture of the post", Some("picture"), ["l", "right"], R;
    /// Full-screen picture: back to the feed, on the post now selected.
    CloseFull: "close_full", Full, "back to the feed (on this post)", Some("back"), ["esc", "q", "enter"], R;
    /// Mutes: next mute.
    MutesDown: "mutes_down", Mutes, "next mute", Some("move"), ["j", "down"], R;
    /// Mutes: previous mute.
    MutesUp: "mutes_up", Mutes, "previous mute", Some("move"), ["k", "up"], R;
    /// Mutes: remove the selected mute (its posts come back).
    Unmute: "unmute", Mutes, "remove the mute (its posts come back)", Some("remove"), ["d", "x"], R;
    /// Mutes: close the list.
    CloseMutes: "close_mutes", Mutes, "close the list", Some("close"), ["esc", "q", "V"], R;
    /// Tag question: next tag.
    TagDown: "tag_down", MuteTag, "next tag", Some("move"), ["j", "down"], R;
    /// Tag question: previous tag.
    TagUp: "tag_up", MuteTag, "previous tag", Some("move"), ["k", "up"], R;
    /// Tag question: mute the chosen tag.
    TagChoose: "tag_choose", MuteTag, "mute this tag", Some("mute"), ["enter"], R;
    /// Tag question: mute nothing.
    CloseTags: "close_tags", MuteTag, "mute nothing", Some("cancel"), ["esc", "q"], R;
}

impl Action {
    /// Every action, in help order.
    pub fn all() -> impl Iterator<Item = Action> {
        ACTIONS.iter().map(|r| r.action)
    }

    /// This action's row of [`ACTIONS`].
    pub fn row(self) -> &'static ActionRow {
        &ACTIONS[self as usize]
    }

    /// The mode whose key table holds this action.
    pub fn mode(self) -> Mode {
        self.row().mode
    }

    /// The name used in the config file's `[keys]` table, e.g. `"medal_gold"`.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// Parses a config name (see [`Action::name`]); `None` when unknown.
    pub fn from_name(name: &str) -> Option<Action> {
        ACTIONS.iter().find(|r| r.name == name).map(|r| r.action)
    }

    /// One-line description for the help overlay.
    pub fn description(self) -> &'static str {
        self.row().description
    }

    /// Short label for the hint bar; `None` for actions not shown there.
    /// Adjacent actions with the same label share one hint (`j/k move`).
    pub fn hint(self) -> Option<&'static str> {
        self.row().hint
    }

    /// Whether the action writes to the server (refused in read-only mode).
    pub fn is_write(self) -> bool {
        self.row().writes
    }

    /// The medal this action gives, for the three medal actions.
    pub fn medal(self) -> Option<Medal> {
        match self {
            Action::MedalGold => Some(Medal::Gold),
            Action::MedalSilver => Some(Medal::Silver),
            Action::MedalBronze => Some(Medal::Bronze),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::{KeyChord, Keymap};
    use std::collections::HashSet;

    #[test]
    fn every_action_is_named_described_bound_and_round_trips() {
        let km = Keymap::default();
        let mut names = HashSet::new();
        for (i, row) in ACTIONS.iter().enumerate() {
            let a = row.action;
            assert_eq!(a as usize, i, "{a:?}: table order is declaration order");
            assert!(!a.name().is_empty(), "{a:?} has no config name");
            assert!(
                names.insert(a.name()),
                "{a:?}: name {:?} used twice",
                a.name()
            );
            assert_eq!(Action::from_name(a.name()), Some(a), "{a:?}");
            assert!(!a.description().is_empty(), "{a:?} has no description");
            assert!(!row.keys.is_empty(), "{a:?} has no default key");
            for k in row.keys {
                let chord = KeyChord::parse(k).unwrap_or_else(|e| panic!("{a:?}: {e}"));
                assert!(km.keys(a).contains(&chord), "{a:?}: default {k} not bound");
                assert_eq!(
                    km.resolve(a.mode(), &crate::app::Key::new(chord.code, chord.mods)),
                    Some(a),
                    "{a:?}: {k} resolves to another action"
                );
            }
        }
        assert_eq!(Action::all().count(), ACTIONS.len());
        assert_eq!(Action::from_name("no_such_action"), None);
    }
}
