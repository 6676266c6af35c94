//! `Msg` (everything that reaches `update`) and `Effect` (everything
//! `update` asks the outside world to do).

use super::feed::Loading;
use super::key::Key;
use crate::api::{ApiError, Comment, FeedPage, LikeResponse, Me, Medal, Sort, VoteResponse};

/// The two feed orderings the TUI shows, each with its own list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedSort {
    /// Newest first (`sort=latest`).
    Latest,
    /// Engagement with time decay (`sort=rising`).
    Rising,
}

impl FeedSort {
    /// The API's sort value.
    pub fn to_api(self) -> Sort {
        match self {
            FeedSort::Latest => Sort::Latest,
            FeedSort::Rising => Sort::Rising,
        }
    }
    /// `"latest"` or `"rising"`.
    pub fn label(self) -> &'static str {
        match self {
            FeedSort::Latest => "latest",
            FeedSort::Rising => "rising",
        }
    }
    /// The other sort.
    pub fn other(self) -> FeedSort {
        match self {
            FeedSort::Latest => FeedSort::Rising,
            FeedSort::Rising => FeedSort::Latest,
        }
    }
}

/// A message into `App::update`. Results carry the id they belong to (post
/// id plus request number, or feed sort plus generation); a result that is
/// no longer current is dropped.
#[derive(Debug)]
pub enum Msg {
    /// A key press (releases never arrive; see `runtime::keys`).
    Key(Key),
    /// A click or a wheel notch (only with the `mouse` setting; see
    /// `app/mouse.rs`).
    Mouse(super::mouse::Mouse),
    /// Text pasted into the terminal (bracketed paste), in one piece.
    Paste(String),
    /// The terminal was resized to (columns, rows).
    Resize(u16, u16),
    /// Time passed (sent by the runtime at `App::next_wake`).
    Tick,
    /// Result of `GET /api/agent/me`.
    Me(Result<Me, ApiError>),
    /// Result of one feed page request.
    Feed {
        sort: FeedSort,
        /// The feed generation the request was made for.
        generation: u64,
        /// What the page is for: replace, append or merge.
        kind: Loading,
        result: Result<FeedPage, ApiError>,
    },
    /// Result of a like toggle.
    Like {
        post_id: String,
        request: u64,
        result: Result<LikeResponse, ApiError>,
    },
    /// Result of a vote.
    Vote {
        post_id: String,
        request: u64,
        result: Result<VoteResponse, ApiError>,
    },
    /// Result of a comment.
    Comment {
        post_id: String,
        request: u64,
        result: Result<Comment, ApiError>,
    },
    /// The browser opener finished; `Err` holds a sentence for the status line.
    Opened(Result<(), String>),
    /// The post link was copied (and how), or `Err`: a sentence saying why not.
    Copied(Result<CopyVia, String>),
    /// An image preview result (load, encode, full-screen view closed).
    Preview(crate::preview::PreviewMsg),
    /// The store's answer to [`Effect::SaveDrafts`]: `Err` is a sentence
    /// saying why the drafts could not be saved.
    DraftsSaved(Result<(), String>),
    /// Path completion for the composer's file field (`typed` as it was
    /// asked): the completed text and, when several names match, them.
    PathCompleted {
        typed: String,
        done: String,
        many: Vec<String>,
    },
    /// The runner's check (or re-encoding) of the composer's file.
    ImageChecked {
        request: u64,
        result: Result<super::PickedImage, super::ImageProblem>,
    },
    /// Upload progress of the post `request`: bytes sent of the total.
    PostProgress { request: u64, sent: u64, total: u64 },
    /// The answer to the post `request`.
    Posted {
        request: u64,
        result: Result<crate::api::PostResponse, ApiError>,
    },
    /// The store's answer to [`Effect::ArchiveQuery`] number `request`
    /// (`Err`: a sentence saying why it could not answer).
    Archive {
        request: u64,
        result: Result<super::ArchiveAnswer, String>,
    },
    /// The external editor closed: the text it left, or `Err`, a sentence
    /// saying what went wrong (the text in the app is kept).
    Edited {
        target: EditTarget,
        result: Result<String, String>,
    },
    /// The notify command of a watch rule ended (`Err`: a sentence).
    Notified(Result<(), String>),
    /// The store's answer to [`Effect::SaveMute`] (`Err`: a sentence).
    MuteSaved(Result<(), String>),
}

/// Which text an external editor edits (its answer goes back there only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditTarget {
    /// The open comment editor, on this post.
    Comment { post_id: String },
    /// The post composer's caption.
    Caption,
}

impl EditTarget {
    /// What the text is, for messages ("your comment is kept").
    pub fn noun(&self) -> &'static str {
        match self {
            EditTarget::Comment { .. } => "comment",
            EditTarget::Caption => "caption",
        }
    }
}

/// Where a copied link went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyVia {
    /// An OSC 52 sequence to the terminal (which may ignore it).
    Osc52,
    /// tmux's paste buffer (`tmux load-buffer -w`; tmux also hands it to
    /// the system clipboard where it may).
    Tmux,
}

/// Work for the effects runner (HTTP, processes) or the runtime (terminal
/// writes, quitting). Each effect run by the runner reports back exactly one
/// [`Msg`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// `GET /api/agent/me`, answered by [`Msg::Me`].
    FetchMe,
    /// Changes to the triage outbox kept in the store (no answer).
    OutboxSave(Vec<crate::store::OutboxChange>),
    /// One feed page, answered by [`Msg::Feed`].
    LoadFeed {
        sort: FeedSort,
        generation: u64,
        cursor: Option<String>,
        kind: Loading,
    },
    /// Like toggle, answered by [`Msg::Like`]. Never retried.
    ToggleLike { post_id: String, request: u64 },
    /// Vote, answered by [`Msg::Vote`].
    Vote {
        post_id: String,
        medal: Medal,
        request: u64,
    },
    /// Comment, answered by [`Msg::Comment`]. Never retried.
    Comment {
        post_id: String,
        body: String,
        request: u64,
    },
    /// Open `{base}/p/{post_id}` in a browser, answered by [`Msg::Opened`].
    OpenPost { post_id: String },
    /// Copy `{base}/p/{post_id}`: into tmux's paste buffer inside tmux
    /// (runner), else with an OSC 52 sequence (runtime); answered by
    /// [`Msg::Copied`].
    CopyPostUrl { post_id: String },
    /// Persist unsent comment drafts (and which editor is open) (runtime;
    /// the store answers with [`Msg::DraftsSaved`]).
    SaveDrafts(crate::drafts::Drafts),
    /// Edit `text` in the external editor (runtime: the terminal is handed
    /// over meanwhile), answered by [`Msg::Edited`].
    ExternalEditor { target: EditTarget, text: String },
    /// Complete the composer's file path (runner), answered by
    /// [`Msg::PathCompleted`].
    CompletePath { typed: String },
    /// Read and check the composer's file, or re-encode it as JPEG
    /// (runner), answered by [`Msg::ImageChecked`].
    CheckImage {
        request: u64,
        typed: String,
        reencode: bool,
    },
    /// Post the image (runner), answered by [`Msg::PostProgress`] while a
    /// file uploads and [`Msg::Posted`]. Never retried automatically.
    Post {
        request: u64,
        image: super::PostImage,
        post: crate::api::NewPost,
    },
    /// Ask the local archive for a view's rows (runner: on the store's
    /// thread), answered by [`Msg::Archive`].
    ArchiveQuery {
        request: u64,
        query: super::ViewKind,
        /// The app's time (Unix milliseconds): the stats screen's "last
        /// 24 h" ends here.
        now_ms: i64,
    },
    /// Keep or forget a mute in the store (runner: on the store's
    /// thread), answered by [`Msg::MuteSaved`].
    SaveMute(crate::store::MuteChange),
    /// Leave the program (runtime; no Msg).
    Quit,
    /// Clear the terminal and repaint every cell on the next draw
    /// (runtime; no Msg).
    Redraw,
    /// Image preview work (loads, cancels, encodes: runner; kitty deletes
    /// and the full-screen view: runtime).
    Preview(crate::preview::PreviewEffect),
    /// Set the terminal title (`Some`), or put back the terminal's own
    /// (`None`) (runtime; no Msg).
    Title(Option<String>),
    /// Ring the bell and / or show a desktop notification through the
    /// terminal (runtime; no Msg).
    Alert {
        bell: bool,
        desktop: Option<super::Note>,
    },
    /// Run a watch rule's notify command with the note appended
    /// (runner), answered by [`Msg::Notified`].
    NotifyCommand {
        argv: Vec<String>,
        note: super::Note,
    },
}
