//! Which terminal graphics protocol previews use, decided once at start
//! (after entering the alternate screen, before the input reader starts).
//!
//! `auto` asks the terminal: a kitty graphics query, primary device
//! attributes (sixel = attribute 4), the cell size in pixels (`CSI 16 t`)
//! and a status report (`CSI 5 n`) that every terminal answers, which ends
//! the probe. Answers are read byte by byte from stdin with `poll(2)` and a
//! deadline ([`PROBE_TIMEOUT`]); nothing keeps reading after the probe, and
//! nothing after the status answer is consumed, so no keystroke typed later
//! is eaten. Plain keys typed while the probe waits are picked out of the
//! answers ([`ProbeAnswers::typed`]) for the caller to replay. A terminal
//! that never answers costs the timeout and gets halfblocks.
//!
//! Inside tmux the queries go to tmux itself (it answers DA1 and DSR), without
//! the kitty query (tmux takes an APC string for a pane title and keeps it);
//! a tmux that reports sixel gets sixel directly. Kitty or iTerm2 outside
//! tmux are guessed from the environment (as ratatui-image does) and used
//! through tmux's passthrough, which is switched on for the pane
//! (`tmux set -p allow-passthrough on`; the pane's value before is put
//! back when the app ends, see `crate::tmux`).

use ratatui_image::picker::cap_parser::{Parser, QueryStdioOptions, Response};
use std::time::Duration;
#[cfg(unix)]
use std::time::Instant;

/// Longest wait for the terminal's answers to the start-up probe.
pub const PROBE_TIMEOUT: Duration = Duration::from_millis(1000);

/// Cell size in pixels assumed when the terminal does not say (width, height).
pub const DEFAULT_CELL_PX: (u16, u16) = (10, 20);

/// A terminal graphics protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphicsKind {
    /// Unicode half blocks with colours: works in every terminal.
    Halfblocks,
    /// DEC sixel graphics.
    Sixel,
    /// The kitty graphics protocol (unicode placeholders).
    Kitty,
    /// iTerm2's inline images.
    Iterm2,
}

impl GraphicsKind {
    /// `"halfblocks"`, `"sixel"`, `"kitty"` or `"iterm2"`.
    pub fn name(self) -> &'static str {
        match self {
            GraphicsKind::Halfblocks => "halfblocks",
            GraphicsKind::Sixel => "sixel",
            GraphicsKind::Kitty => "kitty",
            GraphicsKind::Iterm2 => "iterm2",
        }
    }
}

/// What previews draw with: the protocol, the cell size in pixels, whether
/// escape sequences must be wrapped for tmux passthrough, and whether the
/// terminal takes 24-bit colours (halfblocks fall back to 256 colours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Graphics {
    /// The protocol.
    pub kind: GraphicsKind,
    /// Cell size in pixels (width, height); only pixel protocols use it.
    pub cell_px: (u16, u16),
    /// Wrap graphics sequences in tmux passthrough (`ESC P tmux; ... ESC \`).
    pub passthrough: bool,
    /// The terminal takes 24-bit colours (`COLORTERM` is `truecolor`/`24bit`).
    pub truecolor: bool,
}

impl Default for Graphics {
    /// Halfblocks, truecolor, no tmux: what tests and headless runs use.
    fn default() -> Self {
        Graphics {
            kind: GraphicsKind::Halfblocks,
            cell_px: DEFAULT_CELL_PX,
            passthrough: false,
            truecolor: true,
        }
    }
}

impl Graphics {
    /// Halfblocks with the colour depth of `env`.
    pub fn halfblocks(env: &TermEnv) -> Self {
        Graphics {
            truecolor: env.truecolor,
            ..Graphics::default()
        }
    }

    /// Label for the post pane, e.g. `"sixel"`, `"kitty via tmux"`,
    /// `"halfblocks (256 colours)"`.
    pub fn label(&self) -> String {
        let mut s = self.kind.name().to_string();
        if self.passthrough {
            s.push_str(" via tmux");
        }
        if self.kind == GraphicsKind::Halfblocks && !self.truecolor {
            s.push_str(" (256 colours)");
        }
        s
    }

    /// The kitty sequence deleting image `id` and freeing its data
    /// (`a=d,d=I`), wrapped for tmux when needed.
    pub fn kitty_delete(&self, id: u32) -> String {
        wrap_passthrough(&format!("\x1b_Ga=d,d=I,i={id},q=2\x1b\\"), self.passthrough)
    }

    /// The kitty sequence deleting every visible image and freeing data
    /// (`a=d,d=A`), wrapped for tmux when needed.
    pub fn kitty_delete_all(&self) -> String {
        wrap_passthrough("\x1b_Ga=d,d=A,q=2\x1b\\", self.passthrough)
    }
}

/// Wraps `seq` in a tmux passthrough (every ESC doubled) when `tmux`.
pub fn wrap_passthrough(seq: &str, tmux: bool) -> String {
    if !tmux {
        return seq.to_string();
    }
    format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
}

/// What the environment says about the terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermEnv {
    /// Running inside tmux (`TMUX` set, or `TERM`/`TERM_PROGRAM` say tmux).
    pub tmux: bool,
    /// `COLORTERM` is `truecolor` or `24bit`.
    pub truecolor: bool,
    /// The (outer) terminal is kitty (`KITTY_WINDOW_ID`, `TERM=xterm-kitty`).
    pub kitty_hint: bool,
    /// The (outer) terminal speaks iTerm2 images (iTerm2, WezTerm, mintty,
    /// VS Code... by `TERM_PROGRAM`, `LC_TERMINAL`, `ITERM_SESSION_ID`).
    pub iterm2_hint: bool,
}

impl TermEnv {
    /// Reads the process environment.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).unwrap_or_default();
        let term = var("TERM");
        let term_program = var("TERM_PROGRAM");
        let colorterm = var("COLORTERM").to_ascii_lowercase();
        let iterm_programs = [
            "iTerm",
            "WezTerm",
            "mintty",
            "vscode",
            "Tabby",
            "Hyper",
            "rio",
            "Bobcat",
            "WarpTerminal",
        ];
        TermEnv {
            tmux: !var("TMUX").is_empty() || term.starts_with("tmux") || term_program == "tmux",
            truecolor: colorterm.contains("truecolor") || colorterm.contains("24bit"),
            kitty_hint: !var("KITTY_WINDOW_ID").is_empty() || term.contains("kitty"),
            iterm2_hint: iterm_programs.iter().any(|p| term_program.contains(p))
                || var("LC_TERMINAL").contains("iTerm")
                || !var("ITERM_SESSION_ID").is_empty()
                || !var("WEZTERM_EXECUTABLE").is_empty(),
        }
    }
}

/// The terminal's answers to the probe.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProbeAnswers {
    /// The status report arrived (the terminal answered in time).
    pub complete: bool,
    /// The kitty graphics query was answered OK.
    pub kitty: bool,
    /// Device attributes list sixel (4).
    pub sixel: bool,
    /// Cell size in pixels (width, height), from `CSI 16 t`.
    pub cell_px: Option<(u16, u16)>,
    /// Plain keys typed during the probe (printable ASCII, `\r`, `\t`),
    /// outside any escape sequence, in order: replay them as key presses.
    pub typed: Vec<char>,
}

/// Where a byte stands relative to escape sequences (to tell typed keys
/// from the terminal's answers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Seq {
    /// Outside any sequence.
    #[default]
    Text,
    /// After ESC.
    Esc,
    /// Inside `ESC [ ...` until a final byte.
    Csi,
    /// Inside a string (`ESC _`, `ESC P`, `ESC ]`) until ST or BEL.
    Str,
    /// ESC inside a string (ST is `ESC \`).
    StrEsc,
}

impl Seq {
    /// The next state after `b`; `Some(c)` when `b` is a typed key.
    fn push(self, b: u8) -> (Seq, Option<char>) {
        match self {
            Seq::Text => match b {
                0x1b => (Seq::Esc, None),
                b'\r' | b'\t' | 0x20..=0x7e => (Seq::Text, Some(char::from(b))),
                _ => (Seq::Text, None),
            },
            Seq::Esc => match b {
                b'[' => (Seq::Csi, None),
                b'_' | b'P' | b']' => (Seq::Str, None),
                _ => (Seq::Text, None),
            },
            Seq::Csi if (0x40..=0x7e).contains(&b) => (Seq::Text, None),
            Seq::Csi => (Seq::Csi, None),
            Seq::Str => match b {
                0x1b => (Seq::StrEsc, None),
                0x07 => (Seq::Text, None),
                _ => (Seq::Str, None),
            },
            Seq::StrEsc if b == b'\\' => (Seq::Text, None),
            Seq::StrEsc => (Seq::Str, None),
        }
    }
}

/// The probe's query string: the kitty query (when `kitty`), primary device
/// attributes, cell size and the status report; never wrapped for tmux
/// (inside tmux, tmux itself answers, and the kitty query is left out).
pub fn probe_query(kitty: bool) -> String {
    if kitty {
        Parser::query(
            false,
            QueryStdioOptions {
                text_sizing_protocol: false,
                ..QueryStdioOptions::default()
            },
        )
    } else {
        "\x1b[c\x1b[16t\x1b[5n".to_string()
    }
}

/// Feeds answer bytes to the parser; returns true once the status report
/// (the last answer) has arrived.
fn feed(parser: &mut Parser, seq: &mut Seq, answers: &mut ProbeAnswers, byte: u8) -> bool {
    let (next, typed) = seq.push(byte);
    *seq = next;
    answers.typed.extend(typed);
    for r in parser.push(char::from(byte)) {
        match r {
            Response::Kitty => answers.kitty = true,
            Response::Sixel => answers.sixel = true,
            Response::CellSize(Some(c)) => answers.cell_px = Some(c),
            Response::Status => {
                answers.complete = true;
                return true;
            }
            _ => {}
        }
    }
    false
}

/// Parses a complete answer string (for tests and the probe).
pub fn parse_answers(bytes: &[u8]) -> ProbeAnswers {
    let mut parser = Parser::new();
    let mut seq = Seq::default();
    let mut a = ProbeAnswers::default();
    for b in bytes {
        if feed(&mut parser, &mut seq, &mut a, *b) {
            break;
        }
    }
    a
}

/// The user's choice (`auto`, `kitty`, `sixel`, `iterm2`, `halfblocks`),
/// the environment and the probe's answers (`None`: no probe was made)
/// give the graphics to use.
pub fn choose(choice: &str, env: &TermEnv, answers: Option<&ProbeAnswers>) -> Graphics {
    let none = ProbeAnswers::default();
    let a = answers.unwrap_or(&none);
    let cell_px = a.cell_px.unwrap_or(DEFAULT_CELL_PX);
    let make = |kind: GraphicsKind, passthrough: bool| Graphics {
        kind,
        cell_px,
        passthrough,
        truecolor: env.truecolor,
    };
    match choice.trim().to_ascii_lowercase().as_str() {
        "halfblocks" => Graphics::halfblocks(env),
        // Outside tmux a forced protocol is used as is; inside, sixel is
        // native when tmux itself says so, everything else is passed through.
        "kitty" => make(GraphicsKind::Kitty, env.tmux),
        "sixel" => make(GraphicsKind::Sixel, env.tmux && !a.sixel),
        "iterm2" | "iterm" => make(GraphicsKind::Iterm2, env.tmux),
        _ => {
            if env.tmux {
                if a.sixel {
                    make(GraphicsKind::Sixel, false)
                } else if env.kitty_hint {
                    make(GraphicsKind::Kitty, true)
                } else if env.iterm2_hint {
                    make(GraphicsKind::Iterm2, true)
                } else {
                    Graphics::halfblocks(env)
                }
            } else if env.iterm2_hint {
                make(GraphicsKind::Iterm2, false)
            } else if a.kitty {
                make(GraphicsKind::Kitty, false)
            } else if a.sixel {
                make(GraphicsKind::Sixel, false)
            } else {
                Graphics::halfblocks(env)
            }
        }
    }
}

/// Decides the graphics for `choice` on the real terminal: probes it
/// (unless the choice is `halfblocks`, stdin/stdout are not terminals, or
/// it runs inside tmux, where `auto` means halfblocks),
/// switches on tmux passthrough when it is used. Call in raw mode, after
/// entering the alternate screen and before the input reader starts.
/// Returns the graphics and the plain keys typed during the probe (replay
/// them).
pub fn detect(choice: &str) -> (Graphics, Vec<char>) {
    use std::io::IsTerminal;
    let env = TermEnv::from_env();
    if choice.trim().eq_ignore_ascii_case("halfblocks")
        || !std::io::stdin().is_terminal()
        || !std::io::stdout().is_terminal()
    {
        return (Graphics::halfblocks(&env), Vec::new());
    }
    // tmux takes the kitty query (an APC string) for a pane title and keeps
    // it after we quit: inside tmux only DA1, cell size and DSR are asked.
    let mut answers = probe(PROBE_TIMEOUT, !env.tmux).unwrap_or_default();
    if answers.cell_px.is_none() {
        answers.cell_px = cell_px_from_winsize();
    }
    tracing::info!(?answers, ?env, "terminal graphics probe");
    let g = choose(choice, &env, Some(&answers));
    if g.passthrough {
        enable_tmux_passthrough();
    }
    (g, answers.typed)
}

/// Writes the probe (with the kitty query when `kitty`) and reads the
/// answers until the status report or `timeout`. Errors: writing or polling
/// stdin failed.
#[cfg(not(unix))]
pub fn probe(_timeout: Duration, _kitty: bool) -> std::io::Result<ProbeAnswers> {
    Ok(ProbeAnswers::default())
}

/// Writes the probe (with the kitty query when `kitty`) and reads the
/// answers until the status report or `timeout`. Errors: writing or polling
/// stdin failed.
#[cfg(unix)]
pub fn probe(timeout: Duration, kitty: bool) -> std::io::Result<ProbeAnswers> {
    use rustix::event::{poll, PollFd, PollFlags};
    use std::io::Write;
    let mut out = std::io::stdout();
    out.write_all(probe_query(kitty).as_bytes())?;
    out.flush()?;
    let stdin = std::io::stdin();
    let deadline = Instant::now() + timeout;
    let mut parser = Parser::new();
    let mut seq = Seq::default();
    let mut answers = ProbeAnswers::default();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
        let ms = i32::try_from(left.as_millis().max(1)).unwrap_or(i32::MAX);
        match poll(&mut fds, ms) {
            Ok(0) => break,
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => continue,
            Err(e) => return Err(e.into()),
        }
        // One byte at a time: nothing after the status report is consumed.
        let mut b = [0u8; 1];
        match rustix::io::read(&stdin, &mut b) {
            Ok(1) => {
                if feed(&mut parser, &mut seq, &mut answers, b[0]) {
                    break;
                }
            }
            Ok(_) => break,
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(answers)
}

/// Cell size from the tty's window size in pixels (`TIOCGWINSZ`), when
/// the terminal fills it in.
#[cfg(not(unix))]
pub fn cell_px_from_winsize() -> Option<(u16, u16)> {
    None
}

/// Cell size from the tty's window size in pixels (`TIOCGWINSZ`), when
/// the terminal fills it in.
#[cfg(unix)]
pub fn cell_px_from_winsize() -> Option<(u16, u16)> {
    let ws = rustix::termios::tcgetwinsize(std::io::stdout()).ok()?;
    if ws.ws_xpixel == 0 || ws.ws_ypixel == 0 || ws.ws_col == 0 || ws.ws_row == 0 {
        return None;
    }
    Some((ws.ws_xpixel / ws.ws_col, ws.ws_ypixel / ws.ws_row))
}

/// Switches tmux passthrough on for this pane, remembering its value
/// (put back by `tui::restore` on every exit path).
fn enable_tmux_passthrough() {
    if let Some(t) = crate::tmux::Tmux::from_env() {
        crate::tmux::enable_passthrough(&t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(tmux: bool) -> TermEnv {
        TermEnv {
            tmux,
            truecolor: true,
            ..TermEnv::default()
        }
    }

    #[test]
    fn parses_answers_and_stops_at_status() {
        let a = parse_answers(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;4;22c\x1b[6;20;10t\x1b[0nXYZ");
        assert!(a.complete && a.kitty && a.sixel);
        assert_eq!(a.cell_px, Some((10, 20)));
        let none = parse_answers(b"\x1b[?1;2c");
        assert!(!none.complete && !none.sixel);
    }

    #[test]
    fn the_tmux_query_has_no_apc_string() {
        let q = probe_query(false);
        assert!(!q.contains("\x1b_"), "{q:?}");
        assert!(q.ends_with("\x1b[5n"));
        assert!(probe_query(true).contains("\x1b_Gi=31"));
    }

    #[test]
    fn keys_typed_during_the_probe_are_kept_apart_from_answers() {
        let a = parse_answers(
            b"jk\x1b_Gi=31;OK\x1b\\q\x1b[?62;4c\r\x1b[6;20;10t\x1b]11;x\x07 \x1b[0nzz",
        );
        assert!(a.complete && a.kitty && a.sixel);
        assert_eq!(a.typed, vec!['j', 'k', 'q', '\r', ' ']);
        // Nothing after the status report is read.
        assert!(!a.typed.contains(&'z'));
    }

    #[test]
    fn auto_prefers_kitty_then_sixel_then_halfblocks() {
        let kitty = parse_answers(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;4c\x1b[0n");
        assert_eq!(
            choose("auto", &env(false), Some(&kitty)).kind,
            GraphicsKind::Kitty
        );
        let sixel = parse_answers(b"\x1b[?63;4c\x1b[0n");
        let g = choose("auto", &env(false), Some(&sixel));
        assert_eq!((g.kind, g.passthrough), (GraphicsKind::Sixel, false));
        let plain = parse_answers(b"\x1b[?1;2c\x1b[0n");
        assert_eq!(
            choose("auto", &env(false), Some(&plain)).kind,
            GraphicsKind::Halfblocks
        );
        // No answer at all.
        assert_eq!(
            choose("auto", &env(false), None).kind,
            GraphicsKind::Halfblocks
        );
    }

    #[test]
    fn tmux_uses_native_sixel_or_passthrough_hints() {
        let plain = parse_answers(b"\x1b[?1;2c\x1b[0n");
        assert_eq!(
            choose("auto", &env(true), Some(&plain)).kind,
            GraphicsKind::Halfblocks
        );
        let mut e = env(true);
        e.kitty_hint = true;
        let g = choose("auto", &e, Some(&plain));
        assert_eq!((g.kind, g.passthrough), (GraphicsKind::Kitty, true));
        let sixel = parse_answers(b"\x1b[?1;2;4c\x1b[0n");
        let g = choose("auto", &env(true), Some(&sixel));
        assert_eq!((g.kind, g.passthrough), (GraphicsKind::Sixel, false));
        let g = choose("sixel", &env(true), Some(&plain));
        assert_eq!((g.kind, g.passthrough), (GraphicsKind::Sixel, true));
    }

    #[test]
    fn forced_choices_and_colours() {
        let mut e = env(false);
        e.truecolor = false;
        let g = choose("halfblocks", &e, None);
        assert_eq!(g.kind, GraphicsKind::Halfblocks);
        assert!(!g.truecolor);
        assert_eq!(g.label(), "halfblocks (256 colours)");
        assert_eq!(choose("iterm2", &e, None).kind, GraphicsKind::Iterm2);
        assert_eq!(choose("kitty", &e, None).cell_px, DEFAULT_CELL_PX);
    }

    #[test]
    fn kitty_delete_is_wrapped_for_tmux() {
        let g = Graphics {
            kind: GraphicsKind::Kitty,
            passthrough: true,
            ..Graphics::default()
        };
        assert_eq!(
            g.kitty_delete(7),
            "\x1bPtmux;\x1b\x1b_Ga=d,d=I,i=7,q=2\x1b\x1b\\\x1b\\"
        );
        let plain = Graphics::default();
        assert_eq!(plain.kitty_delete(7), "\x1b_Ga=d,d=I,i=7,q=2\x1b\\");
    }
}
