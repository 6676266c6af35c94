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
}

impl Mode {
    /// All modes, in help-overlay order.
    pub const ALL: [Mode; 5] = [
        Mode::Feed,
        Mode::Editor,
        Mode::Confirm,
        Mode::Filter,
        Mode::Help,
    ];

    /// Title of this mode's section in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Feed => "Feed",
            Mode::Editor => "Comment editor",
            Mode::Confirm => "Unsent comment",
            Mode::Help => "Help",
            Mode::Filter => "Filter input",
        }
    }
}

/// A user intent. Every action has a stable config name (used in the
/// config file's `[keys]` table) and a one-line description (help overlay).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    MoveDown,
    MoveUp,
    PageDown,
    PageUp,
    First,
    Last,
    SwitchSort,
    Refresh,
    /// Pause / resume the automatic refresh.
    TogglePause,
    /// Open the filter input.
    OpenFilter,
    /// Cycle the AI verdict filter.
    CycleVerdict,
    /// Show only posts not medalled by the agent (toggle).
    ToggleUnmedalled,
    ToggleLike,
    MedalGold,
    MedalSilver,
    MedalBronze,
    Comment,
    OpenInBrowser,
    CopyUrl,
    TogglePost,
    /// Scroll the post pane's caption down one line.
    PostDown,
    /// Scroll the post pane's caption up one line.
    PostUp,
    /// Image previews on / off.
    TogglePreviews,
    /// The selected post's picture full screen.
    FullImage,
    Help,
    Quit,
    /// Editor: send the comment.
    Send,
    /// Editor: close (asks when there is text).
    Cancel,
    /// Confirm: keep the text as this post's draft and close the editor.
    KeepDraft,
    /// Confirm: throw the text away and close the editor.
    Discard,
    /// Confirm: return to the editor.
    BackToEditor,
    /// Help: close the overlay.
    CloseHelp,
    /// Help: scroll down one line.
    HelpDown,
    /// Help: scroll up one line.
    HelpUp,
    /// Filter input: apply the typed text.
    ApplyFilter,
    /// Filter input: clear the text filter and close.
    ClearFilter,
    /// Feed: send the last failed like / medal / comment again.
    Retry,
}

impl Action {
    /// Every action, in help order.
    pub const ALL: [Action; 37] = [
        Action::MoveDown,
        Action::MoveUp,
        Action::PageDown,
        Action::PageUp,
        Action::First,
        Action::Last,
        Action::SwitchSort,
        Action::Refresh,
        Action::ToggleLike,
        Action::MedalGold,
        Action::MedalSilver,
        Action::MedalBronze,
        Action::Comment,
        Action::OpenInBrowser,
        Action::CopyUrl,
        Action::TogglePost,
        Action::PostDown,
        Action::PostUp,
        Action::TogglePreviews,
        Action::FullImage,
        Action::TogglePause,
        Action::OpenFilter,
        Action::CycleVerdict,
        Action::ToggleUnmedalled,
        Action::Retry,
        Action::Help,
        Action::Quit,
        Action::Send,
        Action::Cancel,
        Action::KeepDraft,
        Action::Discard,
        Action::BackToEditor,
        Action::CloseHelp,
        Action::HelpDown,
        Action::HelpUp,
        Action::ApplyFilter,
        Action::ClearFilter,
    ];

    /// The mode whose key table holds this action.
    pub fn mode(self) -> Mode {
        match self {
            Action::Send | Action::Cancel => Mode::Editor,
            Action::KeepDraft | Action::Discard | Action::BackToEditor => Mode::Confirm,
            Action::CloseHelp | Action::HelpDown | Action::HelpUp => Mode::Help,
            Action::ApplyFilter | Action::ClearFilter => Mode::Filter,
            _ => Mode::Feed,
        }
    }

    /// The name used in the config file's `[keys]` table, e.g. `"medal_gold"`.
    pub fn name(self) -> &'static str {
        match self {
            Action::MoveDown => "down",
            Action::MoveUp => "up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::First => "first",
            Action::Last => "last",
            Action::SwitchSort => "switch_sort",
            Action::Refresh => "refresh",
            Action::TogglePause => "pause",
            Action::OpenFilter => "filter",
            Action::CycleVerdict => "verdict_filter",
            Action::ToggleUnmedalled => "unmedalled_filter",
            Action::ToggleLike => "like",
            Action::MedalGold => "medal_gold",
            Action::MedalSilver => "medal_silver",
            Action::MedalBronze => "medal_bronze",
            Action::Comment => "comment",
            Action::OpenInBrowser => "open",
            Action::CopyUrl => "copy_url",
            Action::TogglePost => "toggle_post",
            Action::PostDown => "post_down",
            Action::PostUp => "post_up",
            Action::TogglePreviews => "previews",
            Action::FullImage => "full_image",
            Action::Help => "help",
            Action::Quit => "quit",
            Action::Send => "send",
            Action::Cancel => "cancel",
            Action::KeepDraft => "keep_draft",
            Action::Discard => "discard",
            Action::BackToEditor => "back",
            Action::CloseHelp => "close_help",
            Action::HelpDown => "help_down",
            Action::HelpUp => "help_up",
            Action::ApplyFilter => "apply_filter",
            Action::ClearFilter => "clear_filter",
            Action::Retry => "retry",
        }
    }

    /// Parses a config name (see [`Action::name`]); `None` when unknown.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// One-line description for the help overlay.
    pub fn description(self) -> &'static str {
        match self {
            Action::MoveDown => "next post",
            Action::MoveUp => "previous post",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::First => "newest post (clears the new marker)",
            Action::Last => "last loaded post",
            Action::SwitchSort => "switch latest / rising",
            Action::Refresh => "reload feed and quotas now",
            Action::TogglePause => "pause / resume auto-refresh",
            Action::OpenFilter => "filter by text (caption, tags, author)",
            Action::CycleVerdict => "AI verdict filter: all/gold/silver/bronze/not judged",
            Action::ToggleUnmedalled => "only posts you have not medalled",
            Action::ToggleLike => "like / unlike",
            Action::MedalGold => "give a gold medal",
            Action::MedalSilver => "give a silver medal",
            Action::MedalBronze => "give a bronze medal",
            Action::Comment => "write a comment",
            Action::OpenInBrowser => "open the post in a browser",
            Action::CopyUrl => "copy the post URL (OSC 52)",
            Action::TogglePost => "enlarge / restore the post pane",
            Action::PostDown => "scroll the post text down",
            Action::PostUp => "scroll the post text up",
            Action::TogglePreviews => "image previews on / off",
            Action::FullImage => "show the picture full screen",
            Action::Help => "this help",
            Action::Quit => "quit",
            Action::Send => "send the comment",
            Action::Cancel => "close the editor",
            Action::KeepDraft => "keep as draft and close",
            Action::Discard => "discard the text",
            Action::BackToEditor => "back to the editor",
            Action::CloseHelp => "close help",
            Action::HelpDown => "scroll help down",
            Action::HelpUp => "scroll help up",
            Action::ApplyFilter => "apply the filter",
            Action::ClearFilter => "clear the text filter",
            Action::Retry => "retry the last failed like / medal / comment",
        }
    }

    /// Short label for the hint bar; `None` for actions not shown there.
    /// Adjacent actions with the same label share one hint (`j/k move`).
    pub fn hint(self) -> Option<&'static str> {
        Some(match self {
            Action::MoveDown | Action::MoveUp => "move",
            Action::SwitchSort => "sort",
            Action::Refresh => "refresh",
            Action::First => "top",
            Action::TogglePause => "pause",
            Action::OpenFilter => "filter",
            Action::CycleVerdict => "verdict",
            Action::ToggleUnmedalled => "unmedalled",
            Action::ToggleLike => "like",
            Action::MedalGold | Action::MedalSilver | Action::MedalBronze => "medal",
            Action::Comment => "comment",
            Action::OpenInBrowser => "open",
            Action::CopyUrl => "copy",
            Action::TogglePreviews => "images",
            Action::Help => "help",
            Action::Quit => "quit",
            Action::Send => "send",
            Action::Cancel => "cancel",
            Action::KeepDraft => "keep draft",
            Action::Discard => "discard",
            Action::BackToEditor => "back",
            Action::CloseHelp => "close",
            Action::HelpDown | Action::HelpUp => "scroll",
            Action::ApplyFilter => "apply",
            Action::ClearFilter => "clear",
            _ => return None,
        })
    }

    /// Whether the action writes to the server (refused in read-only mode).
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Action::ToggleLike
                | Action::MedalGold
                | Action::MedalSilver
                | Action::MedalBronze
                | Action::Comment
                | Action::Retry
        )
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
