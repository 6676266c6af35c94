//! What the watch rules' alerts write and run (the app only asks for
//! them: `Effect::Title`, `Effect::Alert`, `Effect::NotifyCommand`).
//!
//! - The title: the first time it is set, the terminal's own title is
//!   saved on its title stack (`CSI 22;0 t`, xterm's window operation;
//!   tmux keeps such a stack per pane too) and then set with OSC 2. When
//!   the count clears, and on every way out (quit, signal, panic, suspend,
//!   the external editor: [`restore_title`], called by `tui::restore`),
//!   the saved title is put back (`CSI 23;0 t`); a terminal without the
//!   stack shows `aispace-tui` instead of the count.
//! - The bell: BEL.
//! - A desktop notification through the terminal: OSC 777 (`notify;title;
//!   body`) where the terminal is known to take it (VTE terminals such as
//!   GNOME Terminal: `VTE_VERSION`; foot; urxvt), else OSC 9 (iTerm2,
//!   WezTerm, Ghostty, kitty, Windows Terminal). Inside tmux it is wrapped
//!   in tmux's passthrough (`ESC P tmux; … ESC \`), for which the pane's
//!   `allow-passthrough` is switched on at start (and put back on exit).
//! - `notify_command`: run without a shell, the notification's title and
//!   text appended as two arguments (sanitized server text, never a shell
//!   word), without the agent key variables in its environment, stopped
//!   after [`COMMAND_WAIT`].

use crate::app::Note;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// Save the title on the terminal's title stack.
pub const PUSH_TITLE: &str = "\x1b[22;0t";
/// Put the saved title back.
pub const POP_TITLE: &str = "\x1b[23;0t";
/// Longest run of the notify command.
pub const COMMAND_WAIT: Duration = Duration::from_secs(10);

/// The title was pushed and not yet popped.
static PUSHED: AtomicBool = AtomicBool::new(false);
/// The title we set last (set again after a suspend or the editor).
static LAST: Mutex<Option<String>> = Mutex::new(None);

/// OSC 2: set the window title (controls dropped).
pub fn osc2(title: &str) -> String {
    let clean: String = title.chars().filter(|c| !c.is_control()).collect();
    format!("\x1b]2;{clean}\x07")
}

/// The bytes that set the title to `title`, or (`None`) put back the
/// terminal's own.
pub fn title_sequence(title: Option<&str>) -> String {
    *LAST.lock().unwrap_or_else(PoisonError::into_inner) = title.map(str::to_string);
    match title {
        Some(t) => {
            let push = if PUSHED.swap(true, Ordering::SeqCst) {
                ""
            } else {
                PUSH_TITLE
            };
            format!("{push}{}", osc2(t))
        }
        None if PUSHED.swap(false, Ordering::SeqCst) => {
            format!("{}{POP_TITLE}", osc2(crate::app::TITLE))
        }
        None => String::new(),
    }
}

/// The bytes that put the terminal's own title back, when we changed it
/// (`tui::restore`: every exit, suspend, the external editor). Empty
/// otherwise; safe to call any number of times.
pub fn restore_title() -> &'static str {
    if PUSHED.swap(false, Ordering::SeqCst) {
        POP_TITLE
    } else {
        ""
    }
}

/// The bytes that set our title again after [`restore_title`] (resume).
pub fn resume_title() -> String {
    let last = LAST.lock().unwrap_or_else(PoisonError::into_inner).clone();
    match last {
        Some(t) => title_sequence(Some(&t)),
        None => String::new(),
    }
}

/// Which desktop notification sequence the terminal takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Desktop {
    /// `OSC 9 ; text`.
    Osc9,
    /// `OSC 777 ; notify ; title ; body`.
    Osc777,
}

impl Desktop {
    /// The choice for the terminal the environment describes (`env`
    /// looks a variable up).
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Desktop {
        let term = env("TERM").unwrap_or_default();
        if env("VTE_VERSION").is_some_and(|v| !v.is_empty())
            || term.starts_with("foot")
            || term.starts_with("rxvt")
        {
            Desktop::Osc777
        } else {
            Desktop::Osc9
        }
    }
}

/// Text for inside an OSC string: no control chars, and for OSC 777 no
/// `;` in the title (it separates the fields).
fn field(s: &str, semicolons: bool) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .map(|c| if c == ';' && !semicolons { ',' } else { c })
        .collect()
}

/// The desktop notification sequence for `note`, wrapped for tmux's
/// passthrough when `tmux`.
pub fn desktop_sequence(kind: Desktop, note: &Note, tmux: bool) -> String {
    let seq = match kind {
        Desktop::Osc9 => format!(
            "\x1b]9;{}: {}\x07",
            field(&note.title, true),
            field(&note.body, true)
        ),
        Desktop::Osc777 => format!(
            "\x1b]777;notify;{};{}\x07",
            field(&note.title, false),
            field(&note.body, true)
        ),
    };
    if tmux {
        tmux_wrap(&seq)
    } else {
        seq
    }
}

/// `seq` in tmux's passthrough: `ESC P tmux;` + `seq` with every ESC
/// doubled + `ESC \`.
pub fn tmux_wrap(seq: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
}

/// Runs `argv` with the note's title and text appended (no shell; stdin,
/// stdout and stderr closed; the agent key variables removed). `Err` is a
/// sentence for the status line.
pub async fn run_command(argv: &[String], note: &Note) -> Result<(), String> {
    let Some((program, args)) = argv.split_first() else {
        return Err("notify_command names no program".to_string());
    };
    let shown = crate::text::clean_line_max(program, 60);
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args)
        .arg(crate::text::clean_line(&note.title))
        .arg(crate::text::clean_line(&note.body))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    for var in crate::keysource::KEY_VARIABLES {
        cmd.env_remove(var);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("notify_command {shown} could not start: {e}"))?;
    match tokio::time::timeout(COMMAND_WAIT, child.wait()).await {
        Ok(Ok(s)) if s.success() => Ok(()),
        Ok(Ok(s)) => Err(format!("notify_command {shown} exited with {s}")),
        Ok(Err(e)) => Err(format!("notify_command {shown} failed: {e}")),
        Err(_) => {
            let _ = child.kill().await;
            Err(format!(
                "notify_command {shown} did not finish within {} s and was stopped",
                COMMAND_WAIT.as_secs()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note() -> Note {
        Note {
            title: "AI;space".into(),
            body: "2 new posts by @x; \x1b]0;evil\x07".into(),
        }
    }

    #[test]
    fn desktop_sequences_carry_no_controls_and_wrap_for_tmux() {
        let s = desktop_sequence(Desktop::Osc9, &note(), false);
        assert_eq!(s, "\x1b]9;AI;space: 2 new posts by @x; ]0;evil\x07");
        let s = desktop_sequence(Desktop::Osc777, &note(), false);
        assert_eq!(s, "\x1b]777;notify;AI,space;2 new posts by @x; ]0;evil\x07");
        let s = desktop_sequence(Desktop::Osc9, &note(), true);
        assert!(s.starts_with("\x1bPtmux;\x1b\x1b]9;AI;space"), "{s:?}");
        assert!(s.ends_with("\x07\x1b\\"), "{s:?}");
        assert_eq!(s.matches('\x1b').count(), 4, "{s:?}");
    }

    #[test]
    fn the_terminal_picks_the_sequence() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Desktop::from_env(env(&[])), Desktop::Osc9);
        assert_eq!(
            Desktop::from_env(env(&[("VTE_VERSION", "7600")])),
            Desktop::Osc777
        );
        assert_eq!(
            Desktop::from_env(env(&[("TERM", "foot-extra")])),
            Desktop::Osc777
        );
        assert_eq!(
            Desktop::from_env(env(&[("TERM", "xterm-kitty")])),
            Desktop::Osc9
        );
    }

    // One test for the process-wide title state.
    #[test]
    fn the_title_is_pushed_once_and_popped_once() {
        assert_eq!(title_sequence(None), "");
        assert_eq!(
            title_sequence(Some("(1) aispace-tui")),
            "\x1b[22;0t\x1b]2;(1) aispace-tui\x07"
        );
        assert_eq!(
            title_sequence(Some("(2) aispace-tui")),
            "\x1b]2;(2) aispace-tui\x07"
        );
        // Suspend: popped; resume: pushed and set again.
        assert_eq!(restore_title(), POP_TITLE);
        assert_eq!(restore_title(), "");
        assert_eq!(resume_title(), "\x1b[22;0t\x1b]2;(2) aispace-tui\x07");
        // Read: our title, then the saved one back.
        assert_eq!(title_sequence(None), "\x1b]2;aispace-tui\x07\x1b[23;0t");
        assert_eq!(restore_title(), "");
        assert_eq!(resume_title(), "");
    }

    #[tokio::test]
    async fn the_command_gets_title_and_text_as_arguments_and_no_key() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let script = format!(
            "printf '%s|' \"$@\" > '{}'; printf '%s' \"${{AISPACE_AGENT_KEY-unset}}\" >> '{}'",
            out.display(),
            out.display()
        );
        // As keysource's test does (same value): the process has the key.
        std::env::set_var("AISPACE_AGENT_KEY", "leaked");
        let argv = vec!["sh".to_string(), "-c".to_string(), script, "sh".to_string()];
        let n = Note {
            title: "AIspace".into(),
            body: "$(touch pwned) `x`".into(),
        };
        run_command(&argv, &n).await.unwrap();
        let got = std::fs::read_to_string(&out).unwrap();
        assert_eq!(got, "AIspace|$(touch pwned) `x`|unset");
        assert!(!dir.path().join("pwned").exists());
        let e = run_command(&["/nonexistent/notifier".to_string()], &n)
            .await
            .unwrap_err();
        assert!(e.contains("could not start"), "{e}");
        let e = run_command(&["false".to_string()], &n).await.unwrap_err();
        assert!(e.contains("exited with"), "{e}");
    }
}
