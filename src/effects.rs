//! Runs the app's effects: [`dispatch`] is the one dispatcher the real
//! loop (`runtime.rs`) and the test harness (`runtime/harness.rs`) share.
//!
//! Network and picture work run as tokio tasks ([`Runner::run`]) that each
//! send exactly one [`Msg`] back on the runner's channel. What touches the
//! terminal or the desktop (the clipboard, graphics sequences, drafts on
//! disk, the full-screen picture, a browser) goes through the small
//! [`TerminalEffects`] trait: the runtime does it for real
//! (`runtime/terminal.rs`), the harness records it. Image preview effects
//! are run by [`crate::preview::tasks::PreviewTasks`].

use crate::api::{Client, Timestamp};
use crate::app::{
    App, ArchiveAnswer, CopyVia, EditTarget, Effect, HistoryEntry, Msg, Note, ViewKind, VIEW_LIMIT,
};
use crate::preview::tasks::{PreviewOutcome, Reply};
use crate::store::ActionKind;
use std::process::Stdio;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

/// How long the browser opener may run before it is taken as launched.
const OPENER_WAIT: Duration = Duration::from_secs(10);

/// What touches the terminal or the desktop. The runtime does it for
/// real; the test harness records it. [`dispatch`] turns each call's
/// outcome into the message the app expects.
pub trait TerminalEffects {
    /// Puts `text` on the clipboard (OSC 52); the app then hears
    /// `Msg::Copied`.
    fn copy(&mut self, text: &str) -> anyhow::Result<()>;
    /// Writes a graphics control sequence (e.g. delete a kitty image).
    fn graphics(&mut self, sequence: &str) -> anyhow::Result<()>;
    /// Persists the drafts (in the background; the app then hears
    /// `Msg::DraftsSaved` on the runner's channel).
    fn save_drafts(&mut self, drafts: crate::drafts::Drafts);
    /// Opens `url` in a browser. `Some` is the outcome known at once;
    /// `None` means a task will send `Msg::Opened`.
    fn open_url(&mut self, url: &str) -> Option<Result<(), String>>;
    /// Edits `text` in the external editor (`crate::editor`), the terminal
    /// handed over meanwhile; `what` names the text for messages
    /// ("comment"). Returns the editor's text or a sentence saying what
    /// went wrong, and the terminal size after it when known.
    fn external_editor(&mut self, text: &str, what: &str) -> anyhow::Result<Edited>;
    /// Clears the terminal so that the next draw repaints every cell.
    fn redraw(&mut self) -> anyhow::Result<()>;
    /// Sets the terminal title (`Some`; the terminal's own is saved the
    /// first time) or puts the saved one back (`None`); see `notify`.
    fn title(&mut self, title: Option<&str>) -> anyhow::Result<()>;
    /// Rings the bell and / or shows a desktop notification (OSC 9 /
    /// OSC 777, wrapped for tmux inside tmux).
    fn alert(&mut self, bell: bool, desktop: Option<&Note>) -> anyhow::Result<()>;
}

/// What [`TerminalEffects::external_editor`] brings back.
#[derive(Debug, Clone, PartialEq)]
pub struct Edited {
    /// The edited text, or a sentence for the status line.
    pub result: Result<String, String>,
    /// The terminal size after the editor, when known.
    pub size: Option<(u16, u16)>,
}

/// An effect for [`TerminalEffects`] (what [`Runner::run`] hands back).
#[derive(Debug, Clone, PartialEq)]
pub enum TerminalEffect {
    /// Write this text to the clipboard with an OSC 52 sequence.
    Copy(String),
    /// Persist the drafts.
    SaveDrafts(crate::drafts::Drafts),
    /// Leave the program (the loop sees `App::should_quit`).
    Quit,
    /// Write this graphics control sequence (e.g. delete a kitty image).
    Graphics(String),
    /// Open this URL in a browser.
    Open(String),
    /// Edit this text in the external editor.
    Edit { target: EditTarget, text: String },
    /// Clear the terminal; the next draw repaints everything.
    Redraw,
    /// Set the terminal title, or put the terminal's own back.
    Title(Option<String>),
    /// Ring the bell and / or show a desktop notification.
    Alert { bell: bool, desktop: Option<Note> },
}

/// Runs `fx`, the effects of one `App::update`: tasks through `runner`,
/// terminal work through `term`. The messages known at once (copied,
/// opened, full-screen view closed) are applied to `app` at local time
/// `now()` and their effects run in turn. Returns how many tasks were
/// spawned: each sends exactly one `Msg` on the runner's channel.
pub fn dispatch(
    app: &mut App,
    runner: &Runner,
    term: &mut dyn TerminalEffects,
    fx: Vec<Effect>,
    now: &dyn Fn() -> Timestamp,
) -> anyhow::Result<usize> {
    let mut spawned = 0;
    for effect in fx {
        let answers = match runner.run(effect, now()) {
            Outcome::Spawned => {
                spawned += 1;
                Vec::new()
            }
            Outcome::Done | Outcome::Terminal(TerminalEffect::Quit) => Vec::new(),
            Outcome::Terminal(TerminalEffect::Copy(text)) => {
                term.copy(&text)?;
                vec![Msg::Copied(Ok(CopyVia::Osc52))]
            }
            Outcome::Terminal(TerminalEffect::SaveDrafts(d)) => {
                term.save_drafts(d);
                Vec::new()
            }
            Outcome::Terminal(TerminalEffect::Graphics(seq)) => {
                term.graphics(&seq)?;
                Vec::new()
            }
            Outcome::Terminal(TerminalEffect::Open(url)) => {
                term.open_url(&url).map(Msg::Opened).into_iter().collect()
            }
            Outcome::Terminal(TerminalEffect::Edit { target, text }) => {
                let edited = term.external_editor(&text, target.noun())?;
                let resize = edited.size.map(|(w, h)| Msg::Resize(w, h));
                let back = Msg::Edited {
                    target,
                    result: edited.result,
                };
                resize.into_iter().chain([back]).collect()
            }
            Outcome::Terminal(TerminalEffect::Redraw) => {
                term.redraw()?;
                Vec::new()
            }
            Outcome::Terminal(TerminalEffect::Title(t)) => {
                term.title(t.as_deref())?;
                Vec::new()
            }
            Outcome::Terminal(TerminalEffect::Alert { bell, desktop }) => {
                term.alert(bell, desktop.as_ref())?;
                Vec::new()
            }
        };
        for msg in answers {
            let more = app.update(msg, now());
            spawned += dispatch(app, runner, term, more, now)?;
        }
    }
    Ok(spawned)
}

/// What [`Runner::run`] did with an effect.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// A task was spawned; it will send exactly one `Msg`.
    Spawned,
    /// The caller must perform this; no `Msg` will come.
    Terminal(TerminalEffect),
    /// Done on the spot (e.g. a load aborted); no `Msg` will come.
    Done,
}

/// Spawns effect tasks on the current tokio runtime.
#[derive(Clone)]
pub struct Runner {
    client: Client,
    tx: UnboundedSender<Msg>,
    /// The preview tasks' answers, into `tx` as `Msg::Preview`.
    preview_reply: Reply,
    preview: crate::preview::tasks::PreviewTasks,
    /// The tmux we run in: copies go to its paste buffer.
    tmux: Option<crate::tmux::Tmux>,
    /// Where feed pages and write outcomes are recorded (the archive).
    recorder: Option<crate::store::Recorder>,
}

impl Runner {
    /// A runner using `client` and sending results on `tx`; previews are
    /// encoded as halfblocks until [`Runner::with_graphics`].
    pub fn new(client: Client, tx: UnboundedSender<Msg>) -> Self {
        let to_loop = tx.clone();
        let preview_reply: Reply = std::sync::Arc::new(move |m| {
            // The receiver is gone only when the program is leaving.
            let _ = to_loop.send(Msg::Preview(m));
        });
        Runner {
            client,
            tx,
            preview_reply,
            preview: crate::preview::tasks::PreviewTasks::new(Default::default()),
            tmux: None,
            recorder: None,
        }
    }

    /// The same runner recording every feed page and every write outcome
    /// through `recorder` (in the request's task, queued to the store's
    /// thread: never on the UI thread).
    pub fn with_recorder(mut self, recorder: Option<crate::store::Recorder>) -> Self {
        self.recorder = recorder;
        self
    }

    /// The same runner copying into `tmux`'s paste buffer (inside tmux,
    /// an application's OSC 52 is ignored with tmux's default settings).
    pub fn with_tmux(mut self, tmux: Option<crate::tmux::Tmux>) -> Self {
        self.tmux = tmux;
        self
    }

    /// The same runner encoding previews for `graphics`.
    pub fn with_graphics(mut self, graphics: crate::preview::Graphics) -> Self {
        self.preview = crate::preview::tasks::PreviewTasks::new(graphics);
        self
    }

    /// Whether the app runs inside tmux (desktop notifications are then
    /// wrapped in tmux's passthrough).
    pub fn in_tmux(&self) -> bool {
        self.tmux.is_some()
    }

    /// The graphics previews are encoded for.
    pub fn graphics(&self) -> crate::preview::Graphics {
        *self.preview.graphics()
    }

    /// Opens `url` in a browser in a task that sends `Msg::Opened`.
    pub fn open_url(&self, url: &str) {
        let url = url.to_string();
        self.spawn(async move { Msg::Opened(open_in_browser(&url).await) });
    }

    /// A sender of messages to the loop (for answers that come from
    /// elsewhere than a runner task, e.g. the store's thread).
    pub fn sender(&self) -> UnboundedSender<Msg> {
        self.tx.clone()
    }

    /// The post page URL `{base}/p/{id}`.
    pub fn post_url(&self, post_id: &str) -> String {
        self.client.post_url(post_id)
    }

    fn spawn<F>(&self, fut: F) -> Outcome
    where
        F: std::future::Future<Output = Msg> + Send + 'static,
    {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            let msg = fut.await;
            // The receiver is gone only when the program is leaving.
            let _ = tx.send(msg);
        });
        Outcome::Spawned
    }

    /// Runs one effect at the app's time `now` (the loop's clock, the
    /// harness's fake one in tests: likes, medals and comments are
    /// recorded in the archive at that time, so the stats screen's "last
    /// 24 h", which follows the app's clock too, counts them). Must be
    /// called inside a tokio runtime.
    pub fn run(&self, effect: Effect, now: Timestamp) -> Outcome {
        let c = self.client.clone();
        let at = now.timestamp_millis();
        match effect {
            Effect::FetchMe => self.spawn(async move { Msg::Me(c.me().await) }),
            Effect::OutboxSave(changes) => {
                if let Some(rec) = &self.recorder {
                    rec.outbox(changes);
                }
                Outcome::Done
            }
            Effect::LoadFeed {
                sort,
                generation,
                cursor,
                kind,
            } => {
                let rec = self.recorder.clone().filter(|r| r.keeps_posts());
                self.spawn(async move {
                    let api_sort = sort.to_api();
                    let result = match rec {
                        Some(rec) => c.feed_raw(&api_sort, None, cursor.as_deref()).await.map(
                            |(page, raw)| {
                                rec.page(api_sort.as_str(), cursor.is_none(), raw);
                                page
                            },
                        ),
                        None => c.feed(&api_sort, None, cursor.as_deref()).await,
                    };
                    Msg::Feed {
                        sort,
                        generation,
                        kind,
                        result,
                    }
                })
            }
            Effect::ToggleLike { post_id, request } => {
                let rec = self.recorder.clone();
                self.spawn(async move {
                    let result = c.like(&post_id).await;
                    if let Some(rec) = rec {
                        let detail = match &result {
                            Ok(r) if r.liked => "liked",
                            Ok(_) => "unliked",
                            Err(_) => "",
                        };
                        rec.action(&post_id, ActionKind::Like, detail.into(), &result, at);
                    }
                    Msg::Like {
                        post_id,
                        request,
                        result,
                    }
                })
            }
            Effect::Vote {
                post_id,
                medal,
                request,
            } => {
                let rec = self.recorder.clone();
                self.spawn(async move {
                    let result = c.vote(&post_id, &medal).await;
                    if let Some(rec) = rec {
                        let detail = medal.as_str().to_string();
                        rec.action(&post_id, ActionKind::Medal, detail, &result, at);
                    }
                    Msg::Vote {
                        post_id,
                        request,
                        result,
                    }
                })
            }
            Effect::Comment {
                post_id,
                body,
                request,
            } => {
                let rec = self.recorder.clone();
                self.spawn(async move {
                    let result = c.comment(&post_id, &body).await;
                    if let Some(rec) = rec {
                        rec.action(&post_id, ActionKind::Comment, body, &result, at);
                    }
                    Msg::Comment {
                        post_id,
                        request,
                        result,
                    }
                })
            }
            Effect::OpenPost { post_id } => {
                Outcome::Terminal(TerminalEffect::Open(c.post_url(&post_id)))
            }
            Effect::CopyPostUrl { post_id } => match self.tmux.clone() {
                Some(tmux) => {
                    let url = c.post_url(&post_id);
                    self.spawn(async move {
                        Msg::Copied(tmux.load_buffer(&url).await.map(|()| CopyVia::Tmux))
                    })
                }
                None => Outcome::Terminal(TerminalEffect::Copy(c.post_url(&post_id))),
            },
            Effect::SaveDrafts(d) => Outcome::Terminal(TerminalEffect::SaveDrafts(d)),
            Effect::CompletePath { typed } => self.spawn(async move {
                let asked = typed.clone();
                let (done, many) = tokio::task::spawn_blocking(move || {
                    crate::upload::complete(&asked, crate::upload::home().as_deref())
                })
                .await
                .unwrap_or_else(|_| (typed.clone(), Vec::new()));
                Msg::PathCompleted { typed, done, many }
            }),
            Effect::CheckImage {
                request,
                typed,
                reencode,
            } => self.spawn(async move {
                let asked = typed.clone();
                let result = tokio::task::spawn_blocking(move || {
                    let home = crate::upload::home();
                    if reencode {
                        crate::upload::reencode_jpeg(&asked, home.as_deref())
                    } else {
                        crate::upload::check_file(&asked, home.as_deref())
                    }
                })
                .await
                .unwrap_or_else(|_| {
                    Err(crate::app::ImageProblem {
                        typed,
                        text: "Checking the file failed; try again.".into(),
                        too_large: false,
                    })
                });
                Msg::ImageChecked { request, result }
            }),
            Effect::Post {
                request,
                image,
                post,
            } => {
                let tx = self.tx.clone();
                self.spawn(async move {
                    let (source, progress) = match image {
                        crate::app::PostImage::Url(u) => (crate::api::PostSource::Url(u), None),
                        crate::app::PostImage::File(f) => {
                            let p: crate::api::Progress =
                                std::sync::Arc::new(move |sent, total| {
                                    // The receiver is gone only when the program is leaving.
                                    let _ = tx.send(Msg::PostProgress {
                                        request,
                                        sent,
                                        total,
                                    });
                                });
                            let bytes = std::sync::Arc::unwrap_or_clone(f.bytes);
                            (
                                crate::api::PostSource::File {
                                    name: f.name,
                                    bytes,
                                },
                                Some(p),
                            )
                        }
                    };
                    let result = c.post_with_progress(source, &post, progress).await;
                    Msg::Posted { request, result }
                })
            }
            Effect::ExternalEditor { target, text } => {
                Outcome::Terminal(TerminalEffect::Edit { target, text })
            }
            Effect::ArchiveQuery {
                request,
                query,
                now_ms,
            } => {
                let tx = self.tx.clone();
                let send = move |result| {
                    // The receiver is gone only when the program is leaving.
                    let _ = tx.send(Msg::Archive { request, result });
                };
                match &self.recorder {
                    Some(rec) => {
                        let account = rec.account();
                        rec.store()
                            .read(move |s| archive_answer(s, &account, &query, now_ms), send);
                    }
                    None => send(Err(NO_ARCHIVE.to_string())),
                }
                Outcome::Spawned
            }
            Effect::SaveMute(change) => {
                let tx = self.tx.clone();
                let send = move |r| {
                    // The receiver is gone only when the program is leaving.
                    let _ = tx.send(Msg::MuteSaved(r));
                };
                match &self.recorder {
                    Some(rec) => rec.store().change_mute(&rec.account(), change, send),
                    None => send(Err(NO_ARCHIVE.to_string())),
                }
                Outcome::Spawned
            }
            Effect::Title(t) => Outcome::Terminal(TerminalEffect::Title(t)),
            Effect::Alert { bell, desktop } => {
                Outcome::Terminal(TerminalEffect::Alert { bell, desktop })
            }
            Effect::NotifyCommand { argv, note } => {
                self.spawn(
                    async move { Msg::Notified(crate::notify::run_command(&argv, &note).await) },
                )
            }
            Effect::Quit => Outcome::Terminal(TerminalEffect::Quit),
            Effect::Redraw => Outcome::Terminal(TerminalEffect::Redraw),
            Effect::Preview(p) => match self.preview.run(p, &c, &self.preview_reply) {
                PreviewOutcome::Spawned => Outcome::Spawned,
                PreviewOutcome::Done => Outcome::Done,
                PreviewOutcome::Graphics(seq) => Outcome::Terminal(TerminalEffect::Graphics(seq)),
            },
        }
    }
}

/// What an archive view says when this session keeps no archive.
const NO_ARCHIVE: &str =
    "No local archive in this session (the store could not be opened; see the log)";

/// A view's rows from the store (on the store's thread): stored posts as
/// the server sent them, parsed by the feed's own tolerant parser; the app
/// sanitizes them.
fn archive_answer(
    s: &mut crate::store::Store,
    account: &crate::store::Account,
    query: &ViewKind,
    now_ms: i64,
) -> rusqlite::Result<ArchiveAnswer> {
    use crate::store::PostRow;
    Ok(match query {
        ViewKind::Author(handle) => {
            let rows = s.posts_by_author(account, handle, VIEW_LIMIT)?;
            ArchiveAnswer::Posts(PostRow::page(&rows).items)
        }
        ViewKind::Search(text) => {
            let rows = s.search(account, text, VIEW_LIMIT)?;
            ArchiveAnswer::Posts(PostRow::page(&rows).items)
        }
        ViewKind::History => {
            let mut entries = Vec::new();
            for action in s.history(account, VIEW_LIMIT)? {
                let post = s
                    .post(account, &action.post_id)?
                    .and_then(|r| PostRow::page(&[r]).items.into_iter().next());
                entries.push(HistoryEntry { action, post });
            }
            ArchiveAnswer::History(entries)
        }
        ViewKind::Stats => ArchiveAnswer::Stats(Box::new(s.charts(account, now_ms)?)),
    })
}

/// The platform's opener command: `open` (macOS), `cmd /C start` (Windows),
/// else `xdg-open`.
fn opener() -> (&'static str, Vec<&'static str>) {
    if cfg!(target_os = "macos") {
        ("open", vec![])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", ""])
    } else {
        ("xdg-open", vec![])
    }
}

/// Opens `url` in a browser with the platform opener, its output
/// suppressed (it must not draw over the TUI) and the agent key removed
/// from its environment. `Err` is a sentence for the
/// status line.
pub async fn open_in_browser(url: &str) -> Result<(), String> {
    let (cmd, args) = opener();
    let child = tokio::process::Command::new(cmd)
        .args(args)
        .arg(url)
        .env_remove(crate::keysource::KEY_ENV)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(false)
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            return Err(format!(
                "Could not open a browser ({cmd}: {e}); press y to copy the link instead."
            ))
        }
    };
    match tokio::time::timeout(OPENER_WAIT, child.wait()).await {
        Ok(Ok(status)) if status.success() => Ok(()),
        Ok(Ok(status)) => Err(format!(
            "Could not open a browser ({cmd} exited with {status}); press y to copy the link instead."
        )),
        Ok(Err(e)) => Err(format!(
            "Could not open a browser ({cmd}: {e}); press y to copy the link instead."
        )),
        Err(_) => Ok(()), // still running: it launched something
    }
}

/// The OSC 52 "set clipboard" sequence for `text` (base64, BEL-terminated).
pub fn osc52(text: &str) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{b64}\x07")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ClientConfig;
    use crate::app::testing::{t0, TestApp};
    use crate::preview::PreviewEffect;

    #[test]
    fn osc52_sequence() {
        assert_eq!(super::osc52("hi"), "\x1b]52;c;aGk=\x07");
    }

    /// A terminal that logs what it is asked and, when told, fails a copy.
    #[derive(Default)]
    struct Logged {
        log: Vec<String>,
        broken: bool,
    }

    impl TerminalEffects for Logged {
        fn copy(&mut self, text: &str) -> anyhow::Result<()> {
            if self.broken {
                anyhow::bail!("the terminal is gone");
            }
            self.log.push(format!("copy {text}"));
            Ok(())
        }
        fn graphics(&mut self, sequence: &str) -> anyhow::Result<()> {
            self.log.push(format!("graphics {sequence}"));
            Ok(())
        }
        fn save_drafts(&mut self, drafts: crate::drafts::Drafts) {
            self.log.push(format!("drafts {}", drafts.len()));
        }
        fn open_url(&mut self, url: &str) -> Option<Result<(), String>> {
            self.log.push(format!("open {url}"));
            None
        }
        fn external_editor(&mut self, text: &str, what: &str) -> anyhow::Result<Edited> {
            self.log.push(format!("edit {what} {text}"));
            Ok(Edited {
                result: Ok(format!("{text} edited")),
                size: Some((90, 30)),
            })
        }
        fn redraw(&mut self) -> anyhow::Result<()> {
            self.log.push("redraw".into());
            Ok(())
        }
        fn title(&mut self, title: Option<&str>) -> anyhow::Result<()> {
            self.log.push(format!("title {title:?}"));
            Ok(())
        }
        fn alert(&mut self, bell: bool, desktop: Option<&Note>) -> anyhow::Result<()> {
            self.log.push(format!("alert {bell} {desktop:?}"));
            Ok(())
        }
    }

    fn runner() -> Runner {
        // Nothing here reaches the network: no request is sent.
        let Ok(client) = Client::new(ClientConfig::new("http://127.0.0.1:9")) else {
            panic!("a client for a loopback URL");
        };
        let (tx, _rx) = tokio::sync::mpsc::unbounded_channel();
        Runner::new(client, tx)
    }

    #[test]
    fn terminal_effects_go_through_the_trait_and_their_answers_are_applied() {
        let mut app = TestApp::new().build();
        let mut term = Logged::default();
        let fx = vec![
            Effect::ExternalEditor {
                target: EditTarget::Caption,
                text: "words".into(),
            },
            Effect::CopyPostUrl {
                post_id: "p0".into(),
            },
            Effect::SaveDrafts(crate::drafts::Drafts::from_map(
                &std::collections::BTreeMap::from([("p1".to_string(), "draft".to_string())]),
                None,
            )),
            Effect::OpenPost {
                post_id: "p2".into(),
            },
            Effect::Preview(PreviewEffect::DeleteKitty { id: 7 }),
            Effect::Redraw,
            Effect::Quit,
        ];
        let spawned = dispatch(&mut app, &runner(), &mut term, fx, &t0);
        assert_eq!(spawned.ok(), Some(0), "nothing spawned");
        assert_eq!(
            term.log,
            [
                "edit caption words",
                "copy http://127.0.0.1:9/p/p0",
                "drafts 1",
                "open http://127.0.0.1:9/p/p2",
                "graphics \x1b_Ga=d,d=I,i=7,q=2\x1b\\",
                "redraw",
            ]
        );
        // The answers known at once reached the app: the copy is
        // confirmed, the size after the external editor applied.
        let status = app.status.as_ref().map(|s| s.text.clone());
        assert_eq!(
            status.as_deref(),
            Some("Copied the post link (OSC 52 clipboard).")
        );
        assert_eq!(app.viewport, (90, 30));
    }

    #[test]
    fn a_failing_terminal_stops_the_dispatch_with_its_error() {
        let mut app = TestApp::new().build();
        let mut term = Logged {
            broken: true,
            ..Logged::default()
        };
        let fx = vec![
            Effect::CopyPostUrl {
                post_id: "p0".into(),
            },
            Effect::SaveDrafts(crate::drafts::Drafts::new()),
        ];
        let r = dispatch(&mut app, &runner(), &mut term, fx, &t0);
        assert!(r.is_err_and(|e| e.to_string().contains("the terminal is gone")));
        assert!(term.log.is_empty(), "{:?}", term.log);
        assert!(app.status.is_none(), "no copy confirmed");
    }
}
