//! The real [`TerminalEffects`]: OSC 52 and graphics sequences written to
//! the terminal, drafts handed to the store, the external editor run with
//! the input reader stopped, the browser opened by a task. Plus the drafts
//! snapshot that the exits and the panic hook save.

use crate::app::App;
use crate::app::Msg;
use crate::app::Note;
use crate::drafts::{Drafts, SharedDrafts};
use crate::effects::{osc52, Edited, Runner, TerminalEffects};
use crate::tui::Tui;
use anyhow::Context;
use crossterm::event::EventStream;

/// The terminal side of the running loop, borrowed for one dispatch.
pub(super) struct Screen<'a> {
    pub tui: &'a mut Tui,
    /// The loop's input reader (replaced around the external editor).
    pub events: &'a mut EventStream,
    pub runner: &'a Runner,
    /// Where drafts are saved; `None` = not persisted.
    pub shared: Option<&'a SharedDrafts>,
}

impl TerminalEffects for Screen<'_> {
    fn copy(&mut self, text: &str) -> anyhow::Result<()> {
        self.tui.write_raw(&osc52(text))?;
        Ok(())
    }

    fn graphics(&mut self, sequence: &str) -> anyhow::Result<()> {
        self.tui.write_raw(sequence)?;
        Ok(())
    }

    fn save_drafts(&mut self, drafts: Drafts) {
        save_drafts_in_background(self.shared, self.runner, drafts);
    }

    fn open_url(&mut self, url: &str) -> Option<Result<(), String>> {
        self.runner.open_url(url);
        None
    }

    /// Stops the input reader (drops the event stream, whose reader thread
    /// exits; a new one starts reading when next polled), hands the
    /// terminal to the editor (`Tui::hand_over`: main screen, cooked mode)
    /// and takes it back with a full redraw. A command that cannot be
    /// read is said without leaving the screen.
    fn external_editor(&mut self, text: &str, what: &str) -> anyhow::Result<Edited> {
        let command = match crate::editor::command_from_env() {
            Ok(c) => c,
            Err(e) => {
                return Ok(Edited {
                    result: Err(e),
                    size: None,
                })
            }
        };
        drop(std::mem::replace(self.events, EventStream::new()));
        let edit = || crate::editor::run(&command, text, what);
        let multi = tokio::runtime::Handle::current().runtime_flavor()
            == tokio::runtime::RuntimeFlavor::MultiThread;
        let result = self
            .tui
            .hand_over(|| {
                if multi {
                    tokio::task::block_in_place(edit)
                } else {
                    edit()
                }
            })
            .context("could not take the terminal back from the editor")?;
        Ok(Edited {
            result,
            size: Some(self.tui.size()?),
        })
    }

    fn redraw(&mut self) -> anyhow::Result<()> {
        self.tui.clear()?;
        Ok(())
    }

    fn title(&mut self, title: Option<&str>) -> anyhow::Result<()> {
        let seq = crate::notify::title_sequence(title);
        if !seq.is_empty() {
            self.tui.write_raw(&seq)?;
        }
        Ok(())
    }

    fn alert(&mut self, bell: bool, desktop: Option<&Note>) -> anyhow::Result<()> {
        let mut seq = String::new();
        if bell {
            seq.push('\x07');
        }
        if let Some(note) = desktop {
            let kind = crate::notify::Desktop::from_env(|k| std::env::var(k).ok());
            seq.push_str(&crate::notify::desktop_sequence(
                kind,
                note,
                self.runner.in_tmux(),
            ));
        }
        self.tui.write_raw(&seq)?;
        Ok(())
    }
}

/// Puts the app's drafts (and the open editor's post) into the snapshot the
/// panic hook and the exits save.
pub(super) fn snapshot(shared: &SharedDrafts, app: &App) {
    shared.set(app.drafts_snapshot());
}

/// Saves the drafts snapshot into the store and waits for it (a failure
/// is logged and returned).
pub(super) fn save(shared: &SharedDrafts) -> Result<(), String> {
    let r = shared.save();
    if let Err(e) = &r {
        tracing::warn!("could not save drafts: {e}");
    }
    r
}

/// Saves `drafts` through `shared` on the store's thread; the outcome
/// comes back to `runner`'s app as `Msg::DraftsSaved` (the receiver is
/// gone only when the program is leaving, and then the exit saves again,
/// waiting).
pub(super) fn save_drafts_in_background(
    shared: Option<&SharedDrafts>,
    runner: &Runner,
    drafts: Drafts,
) {
    if let Some(s) = shared {
        let tx = runner.sender();
        s.save_in_background(drafts, move |r| {
            let _ = tx.send(Msg::DraftsSaved(r));
        });
    }
}
