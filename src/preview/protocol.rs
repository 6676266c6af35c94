//! Which terminal graphics protocol previews use, decided once at start
//! (after entering the alternate screen, before the input reader starts).
//!
//! `auto` asks the terminal: a kitty graphics query, its name and version
//! (`XTVERSION`, `CSI > q`, e.g. `kitty(0.26.5)`), primary device
//! attributes (sixel = attribute 4), the cell size in pixels (`CSI 16 t`)
//! and a status report (`CSI 5 n`) that every terminal answers, which ends
//! the probe. Answers are read byte by byte from stdin with `poll(2)` and a
//! deadline ([`PROBE_TIMEOUT`]); nothing keeps reading after the probe, and
//! nothing after the status answer is consumed, so no keystroke typed later
//! is eaten. Plain keys typed while the probe waits are picked out of the
//! answers ([`ProbeAnswers::typed`]) for the caller to replay. A terminal
//! that never answers costs the timeout and gets halfblocks.
//!
//! A terminal's "kitty graphics OK" is not enough: [`choose`] uses kitty
//! only where the terminal is known to draw its Unicode placeholders
//! (kitty 0.28 and later, Ghostty; see `docs/terminals.md` for what was
//! seen where) and otherwise falls back, saying why in the picture title.
//!
//! Inside tmux the queries go to tmux itself (it answers DA1 and DSR), without
//! the kitty query (tmux takes an APC string for a pane title and keeps it);
//! a tmux that reports sixel gets sixel directly. The outer terminal is the
//! one tmux learnt from its own `XTVERSION` query (`#{client_termtype}`),
//! else the environment; kitty or iTerm2 there are used through tmux's
//! passthrough (kitty in 4 KiB sequences, an iTerm2 or sixel picture made
//! small enough for one sequence under tmux's 1 MiB limit, see
//! `encode`), which is switched on for the pane
//! (`tmux set -p allow-passthrough on`; the pane's value before is put
//! back when the app ends, see `crate::tmux`).

use super::terminal::{EnvNames, Terminal, KITTY_PLACEHOLDERS};
use ratatui_image::picker::cap_parser::{Parser, Response};
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

/// The length in bytes of the longest tmux passthrough sequence
/// (`ESC P tmux; ... ESC \`, inner ESCs doubled) in `bytes`, and the
/// bytes outside every passthrough sequence.
pub fn passthrough_sequences(bytes: &[u8]) -> (usize, Vec<u8>) {
    const START: &[u8] = b"\x1bPtmux;";
    let mut longest = 0;
    let mut outside = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i..].starts_with(START) {
            outside.push(bytes[i]);
            i += 1;
            continue;
        }
        let mut j = i + START.len();
        let end = loop {
            match (bytes.get(j), bytes.get(j + 1)) {
                (Some(0x1b), Some(0x1b)) => j += 2,
                (Some(0x1b), Some(b'\\')) => break j + 2,
                (Some(_), _) => j += 1,
                (None, _) => break bytes.len(),
            }
        };
        longest = longest.max(end - i);
        i = end;
    }
    (longest, outside)
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
    /// The variables naming the terminal (Konsole, kitty, `TERM_PROGRAM`).
    pub names: EnvNames,
    /// Inside tmux: the outer terminal as tmux knows it
    /// (`#{client_termtype}`, its `XTVERSION` answer, e.g. `kitty(0.26.5)`).
    pub outer: Option<String>,
}

impl TermEnv {
    /// Reads the process environment (not tmux: see [`TermEnv::outer`]).
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
        let kitty_hint = !var("KITTY_WINDOW_ID").is_empty() || term.contains("kitty");
        TermEnv {
            tmux: !var("TMUX").is_empty() || term.starts_with("tmux") || term_program == "tmux",
            truecolor: colorterm.contains("truecolor") || colorterm.contains("24bit"),
            kitty_hint,
            iterm2_hint: iterm_programs.iter().any(|p| term_program.contains(p))
                || var("LC_TERMINAL").contains("iTerm")
                || !var("ITERM_SESSION_ID").is_empty()
                || !var("WEZTERM_EXECUTABLE").is_empty(),
            names: EnvNames {
                konsole: !var("KONSOLE_VERSION").is_empty(),
                kitty: kitty_hint,
                term_program: if !var("WEZTERM_EXECUTABLE").is_empty() {
                    "WezTerm".into()
                } else {
                    term_program
                },
            },
            outer: None,
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
    /// The terminal's name and version (`XTVERSION`, `CSI > q`), e.g.
    /// `"kitty(0.26.5)"`, at most [`MAX_VERSION_LEN`] bytes.
    pub version: Option<String>,
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

/// The probe's query string: the kitty query (when `kitty`), the
/// terminal's name and version (`XTVERSION`), primary device attributes,
/// cell size and the status report; never wrapped for tmux (inside tmux,
/// tmux itself answers, and the kitty query is left out).
pub fn probe_query(kitty: bool) -> String {
    let rest = "\x1b[>q\x1b[c\x1b[16t\x1b[5n";
    if kitty {
        format!("{KITTY_QUERY}{rest}")
    } else {
        rest.to_string()
    }
}

/// The kitty graphics query (a one-pixel image, id 31, query only).
const KITTY_QUERY: &str = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\";

/// Longest `XTVERSION` text kept, in bytes.
pub const MAX_VERSION_LEN: usize = 64;

/// Reads the terminal's answers byte by byte.
#[derive(Default)]
struct Reader {
    parser: Parser,
    seq: Seq,
    /// The device control string being read (`ESC P ...`), capped.
    dcs: Option<Vec<u8>>,
    answers: ProbeAnswers,
}

impl Reader {
    /// Feeds one answer byte; returns true once the status report (the
    /// last answer) has arrived.
    fn feed(&mut self, byte: u8) -> bool {
        let before = self.seq;
        let (next, typed) = self.seq.push(byte);
        self.seq = next;
        self.answers.typed.extend(typed);
        match (before, next) {
            (Seq::Esc, Seq::Str) if byte == b'P' => self.dcs = Some(Vec::new()),
            (Seq::Str, Seq::Str) => {
                if let Some(d) = self.dcs.as_mut().filter(|d| d.len() < MAX_VERSION_LEN + 2) {
                    d.push(byte);
                }
            }
            (Seq::StrEsc | Seq::Str, Seq::Text) => {
                if let Some(d) = self.dcs.take() {
                    if let Some(v) = d.strip_prefix(b">|") {
                        let text: String = String::from_utf8_lossy(v)
                            .chars()
                            .filter(|c| !c.is_control())
                            .collect();
                        self.answers.version = Some(text);
                    }
                }
            }
            (_, Seq::Text) => self.dcs = None,
            _ => {}
        }
        for r in self.parser.push(char::from(byte)) {
            match r {
                Response::Kitty => self.answers.kitty = true,
                Response::Sixel => self.answers.sixel = true,
                Response::CellSize(Some(c)) => self.answers.cell_px = Some(c),
                Response::Status => {
                    self.answers.complete = true;
                    return true;
                }
                _ => {}
            }
        }
        false
    }
}

/// Parses a complete answer string (for tests and the probe).
pub fn parse_answers(bytes: &[u8]) -> ProbeAnswers {
    let mut r = Reader::default();
    for b in bytes {
        if r.feed(*b) {
            break;
        }
    }
    r.answers
}

/// The graphics chosen, who the terminal is, and why a better protocol
/// the terminal claims was not used (a fallback).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// What previews draw with.
    pub graphics: Graphics,
    /// The terminal drawing (inside tmux: the outer one).
    pub terminal: Terminal,
    /// On a fallback, why (short, for the picture's title), e.g.
    /// `"kitty 0.26.5 is older than 0.28"`.
    pub fallback: Option<String>,
}

impl Choice {
    /// The protocol for the picture's title, with the fallback's reason:
    /// `"sixel"`, `"halfblocks: kitty 0.26.5 is older than 0.28"`.
    pub fn label(&self) -> String {
        match &self.fallback {
            Some(why) => format!("{}: {why}", self.graphics.label()),
            None => self.graphics.label(),
        }
    }
}

/// How `terminal` takes kitty graphics with Unicode placeholders: `Ok`
/// when it draws them, else why not (for the title).
fn kitty_placeholders(terminal: &Terminal) -> Result<(), String> {
    match terminal {
        Terminal::Kitty(Some(v)) if *v >= KITTY_PLACEHOLDERS => Ok(()),
        Terminal::Ghostty => Ok(()),
        Terminal::Kitty(Some(v)) => Err(format!(
            "kitty {v} is older than {}.{}",
            KITTY_PLACEHOLDERS.0, KITTY_PLACEHOLDERS.1
        )),
        Terminal::Kitty(None) => Err("kitty version unknown".into()),
        Terminal::WezTerm => Err("WezTerm draws no kitty placeholders".into()),
        other => Err(format!("{} draws no kitty placeholders", other.name())),
    }
}

/// The user's choice (`auto`, `kitty`, `sixel`, `iterm2`, `halfblocks`),
/// the environment and the probe's answers (`None`: no probe was made)
/// give the graphics to use. A forced choice is used as is; `auto` uses
/// only what the terminal is known to draw correctly:
///
/// | terminal (outer one in tmux)      | auto                               |
/// |-----------------------------------|------------------------------------|
/// | kitty >= 0.28, Ghostty            | kitty (tmux: passthrough)          |
/// | kitty < 0.28 or version unknown   | sixel if offered, else halfblocks  |
/// | Konsole                           | halfblocks (kitty and sixel images |
/// |                                   | stay over the overlays)            |
/// | WezTerm, iTerm2, mintty, VS Code  | iterm2 (tmux: passthrough)         |
/// | any other answering kitty         | sixel if offered, else halfblocks  |
/// | xterm -ti vt340, foot, mlterm...  | sixel                              |
/// | tmux reporting sixel itself       | sixel (native, no passthrough)     |
/// | no answer                         | halfblocks                         |
pub fn choose(choice: &str, env: &TermEnv, answers: Option<&ProbeAnswers>) -> Choice {
    let none = ProbeAnswers::default();
    let a = answers.unwrap_or(&none);
    let cell_px = a.cell_px.unwrap_or(DEFAULT_CELL_PX);
    let make = |kind: GraphicsKind, passthrough: bool| Graphics {
        kind,
        cell_px,
        passthrough,
        truecolor: env.truecolor,
    };
    // Inside tmux the probe's answers are tmux's own; the outer terminal
    // is known from tmux's view of it and the environment.
    let said = if env.tmux {
        env.outer.as_deref()
    } else {
        a.version.as_deref()
    };
    let terminal = Terminal::identify(said, &env.names);
    let pick = |graphics: Graphics, fallback: Option<String>| Choice {
        graphics,
        terminal: terminal.clone(),
        fallback,
    };
    match choice.trim().to_ascii_lowercase().as_str() {
        "halfblocks" => pick(Graphics::halfblocks(env), None),
        // Outside tmux a forced protocol is used as is; inside, sixel is
        // native when tmux itself says so, everything else is passed through.
        "kitty" => pick(make(GraphicsKind::Kitty, env.tmux), None),
        "sixel" => pick(make(GraphicsKind::Sixel, env.tmux && !a.sixel), None),
        "iterm2" | "iterm" => pick(make(GraphicsKind::Iterm2, env.tmux), None),
        _ => {
            // What the (outer) terminal claims: kitty graphics, iTerm2 images.
            let claims_kitty = if env.tmux {
                env.kitty_hint || matches!(terminal, Terminal::Kitty(_) | Terminal::Ghostty)
            } else {
                a.kitty
            };
            let iterm2 =
                env.iterm2_hint || matches!(terminal, Terminal::WezTerm | Terminal::Iterm2);
            // Sixel drawn by the terminal itself (tmux's own when in tmux).
            let sixel = a.sixel;
            let placeholders = kitty_placeholders(&terminal);
            if claims_kitty && placeholders.is_ok() {
                return pick(make(GraphicsKind::Kitty, env.tmux), None);
            }
            if iterm2 {
                return pick(make(GraphicsKind::Iterm2, env.tmux), None);
            }
            let why = if terminal == Terminal::Konsole {
                // Konsole answers both; neither leaves room for the overlays.
                Some("Konsole's pictures cover overlays".to_string())
            } else if claims_kitty {
                placeholders.err()
            } else {
                None
            };
            if sixel && terminal != Terminal::Konsole {
                pick(make(GraphicsKind::Sixel, false), why)
            } else {
                pick(Graphics::halfblocks(env), why)
            }
        }
    }
}

/// Decides the graphics for `choice` on the real terminal: probes it
/// (unless the choice is `halfblocks` or stdin/stdout are not terminals),
/// asks tmux who the outer terminal is when inside tmux, and switches on
/// tmux passthrough when it is used. Call in raw mode, after entering the
/// alternate screen and before the input reader starts. Returns the choice
/// and the plain keys typed during the probe (replay them).
pub fn detect(choice: &str) -> (Choice, Vec<char>) {
    use std::io::IsTerminal;
    let mut env = TermEnv::from_env();
    if choice.trim().eq_ignore_ascii_case("halfblocks")
        || !std::io::stdin().is_terminal()
        || !std::io::stdout().is_terminal()
    {
        return (choose("halfblocks", &env, None), Vec::new());
    }
    let tmux = env.tmux.then(crate::tmux::Tmux::from_env).flatten();
    if let Some(t) = &tmux {
        env.outer = t.client_termtype();
    }
    // tmux takes the kitty query (an APC string) for a pane title and keeps
    // it after we quit: inside tmux only XTVERSION, DA1, cell size and DSR
    // are asked.
    let mut answers = probe(PROBE_TIMEOUT, !env.tmux).unwrap_or_default();
    if answers.cell_px.is_none() {
        answers.cell_px = cell_px_from_winsize();
    }
    let c = choose(choice, &env, Some(&answers));
    tracing::info!(?answers, ?env, ?c, "terminal graphics probe");
    if c.graphics.passthrough {
        if let Some(t) = &tmux {
            crate::tmux::enable_passthrough(t);
        }
    }
    (c, answers.typed)
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
    let mut reader = Reader::default();
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
                if reader.feed(b[0]) {
                    break;
                }
            }
            Ok(_) => break,
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Ok(reader.answers)
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

    /// The answers a terminal gives: kitty graphics OK, sixel in DA1,
    /// XTVERSION text.
    fn said(kitty: bool, sixel: bool, version: Option<&str>) -> ProbeAnswers {
        ProbeAnswers {
            complete: true,
            kitty,
            sixel,
            version: version.map(str::to_string),
            ..ProbeAnswers::default()
        }
    }

    fn kind_and_why(c: &Choice) -> (GraphicsKind, bool, Option<&str>) {
        (
            c.graphics.kind,
            c.graphics.passthrough,
            c.fallback.as_deref(),
        )
    }

    #[test]
    fn the_xtversion_answer_is_read_among_the_others() {
        let a = parse_answers(
            b"\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.26.5)\x1b\\\x1b[?62;c\x1b[6;20;10t\x1b[0n",
        );
        assert!(a.complete && a.kitty && !a.sixel);
        assert_eq!(a.version.as_deref(), Some("kitty(0.26.5)"));
        assert!(a.typed.is_empty(), "{:?}", a.typed);
        // Another device control string is not a version; a hostile one is cut.
        let a = parse_answers(b"\x1bP1$r0m\x1b\\\x1b[0n");
        assert_eq!(a.version, None);
        let long = format!("\x1bP>|{}\x1b\\\x1b[0n", "x".repeat(500));
        let a = parse_answers(long.as_bytes());
        assert!(a.version.unwrap().len() <= MAX_VERSION_LEN);
        assert!(probe_query(false).contains("\x1b[>q"));
    }

    /// The choice table: terminal (answers and environment) to protocol and
    /// the reason of a fallback.
    #[test]
    fn auto_uses_only_what_the_terminal_draws() {
        let out = env(false);
        let c = |a: &ProbeAnswers, e: &TermEnv| choose("auto", e, Some(a));
        // kitty with placeholders: kitty.
        let k = c(&said(true, false, Some("kitty(0.32.2)")), &out);
        assert_eq!(kind_and_why(&k), (GraphicsKind::Kitty, false, None));
        assert_eq!(k.label(), "kitty");
        let k = c(&said(true, false, Some("kitty(0.28.0)")), &out);
        assert_eq!(k.graphics.kind, GraphicsKind::Kitty);
        // Debian 12's kitty: halfblocks, and the title says why.
        let old = c(&said(true, false, Some("kitty(0.26.5)")), &out);
        assert_eq!(
            kind_and_why(&old),
            (
                GraphicsKind::Halfblocks,
                false,
                Some("kitty 0.26.5 is older than 0.28")
            )
        );
        assert_eq!(old.label(), "halfblocks: kitty 0.26.5 is older than 0.28");
        // kitty that does not say its version (older than XTVERSION).
        let mut kitty_env = env(false);
        kitty_env.names.kitty = true;
        kitty_env.kitty_hint = true;
        let unknown = c(&said(true, false, None), &kitty_env);
        assert_eq!(
            kind_and_why(&unknown),
            (
                GraphicsKind::Halfblocks,
                false,
                Some("kitty version unknown")
            )
        );
        // Ghostty draws placeholders.
        let g = c(&said(true, false, Some("ghostty 1.1.3")), &out);
        assert_eq!(g.graphics.kind, GraphicsKind::Kitty);
        // Konsole answers kitty and sixel; neither keeps out of the overlays.
        let mut konsole = env(false);
        konsole.names.konsole = true;
        let k = c(&said(true, true, None), &konsole);
        assert_eq!(k.graphics.kind, GraphicsKind::Halfblocks);
        assert!(k.fallback.as_deref().unwrap().contains("Konsole"), "{k:?}");
        // WezTerm: iTerm2 images (no kitty placeholders there).
        let w = c(
            &said(true, true, Some("WezTerm 20240203-110809-5046fc22")),
            &out,
        );
        assert_eq!(kind_and_why(&w), (GraphicsKind::Iterm2, false, None));
        // An unknown terminal claiming kitty graphics: sixel when offered.
        let other = c(&said(true, true, Some("newterm 1.0")), &out);
        assert_eq!(
            kind_and_why(&other),
            (
                GraphicsKind::Sixel,
                false,
                Some("newterm 1.0 draws no kitty placeholders")
            )
        );
        let other = c(&said(true, false, None), &out);
        assert_eq!(other.graphics.kind, GraphicsKind::Halfblocks);
        assert!(other.fallback.is_some());
        // xterm -ti vt340: sixel, no fallback to explain.
        let x = c(&said(false, true, Some("XTerm(379)")), &out);
        assert_eq!(kind_and_why(&x), (GraphicsKind::Sixel, false, None));
        // Nothing offered, or no answer at all.
        let plain = c(&said(false, false, Some("XTerm(379)")), &out);
        assert_eq!(
            kind_and_why(&plain),
            (GraphicsKind::Halfblocks, false, None)
        );
        assert_eq!(
            choose("auto", &out, None).graphics.kind,
            GraphicsKind::Halfblocks
        );
        // The cell size comes from the answers.
        let mut a = said(true, false, Some("kitty(0.35.0)"));
        a.cell_px = Some((9, 18));
        assert_eq!(c(&a, &out).graphics.cell_px, (9, 18));
    }

    #[test]
    fn in_tmux_the_outer_terminal_decides() {
        // tmux answers the probe itself: its DA1, its own XTVERSION.
        let tmux_answers = said(false, false, Some("tmux 3.3a"));
        let mut e = env(true);
        e.kitty_hint = true;
        e.names.kitty = true;
        e.outer = Some("kitty(0.32.2)".into());
        let k = choose("auto", &e, Some(&tmux_answers));
        assert_eq!(kind_and_why(&k), (GraphicsKind::Kitty, true, None));
        assert_eq!(k.label(), "kitty via tmux");
        e.outer = Some("kitty(0.26.5)".into());
        let old = choose("auto", &e, Some(&tmux_answers));
        assert_eq!(
            kind_and_why(&old),
            (
                GraphicsKind::Halfblocks,
                false,
                Some("kitty 0.26.5 is older than 0.28")
            )
        );
        // tmux does not know the outer terminal: the hint alone is not enough.
        e.outer = None;
        let unknown = choose("auto", &e, Some(&tmux_answers));
        assert_eq!(unknown.graphics.kind, GraphicsKind::Halfblocks);
        // tmux built with sixel draws it natively.
        let sixel = said(false, true, Some("tmux 3.4"));
        let s = choose("auto", &env(true), Some(&sixel));
        assert_eq!(kind_and_why(&s), (GraphicsKind::Sixel, false, None));
        // Plain tmux in a plain terminal.
        let h = choose("auto", &env(true), Some(&tmux_answers));
        assert_eq!(kind_and_why(&h), (GraphicsKind::Halfblocks, false, None));
        // WezTerm outside: iTerm2 images through passthrough.
        let mut w = env(true);
        w.outer = Some("WezTerm 20240203".into());
        let i = choose("auto", &w, Some(&tmux_answers));
        assert_eq!(kind_and_why(&i), (GraphicsKind::Iterm2, true, None));
        // A forced sixel without tmux's own sixel is passed through.
        let g = choose("sixel", &env(true), Some(&tmux_answers));
        assert_eq!(kind_and_why(&g), (GraphicsKind::Sixel, true, None));
    }

    #[test]
    fn forced_choices_and_colours() {
        let mut e = env(false);
        e.truecolor = false;
        let g = choose("halfblocks", &e, None).graphics;
        assert_eq!(g.kind, GraphicsKind::Halfblocks);
        assert!(!g.truecolor);
        assert_eq!(g.label(), "halfblocks (256 colours)");
        assert_eq!(
            choose("iterm2", &e, None).graphics.kind,
            GraphicsKind::Iterm2
        );
        // A forced kitty is used as is, even where auto would not.
        let old = said(true, false, Some("kitty(0.26.5)"));
        let k = choose("kitty", &e, Some(&old));
        assert_eq!(kind_and_why(&k), (GraphicsKind::Kitty, false, None));
        assert_eq!(k.graphics.cell_px, DEFAULT_CELL_PX);
    }

    #[test]
    fn passthrough_sequences_are_measured() {
        let (one, rest) = passthrough_sequences(b"ab\x1bPtmux;\x1b\x1b_Gx\x1b\x1b\\\x1b\\cd");
        assert_eq!((one, rest.as_slice()), (17, &b"abcd"[..]));
        let wrapped = wrap_passthrough("\x1b[5X\x1bPq~~\x1b\\", true);
        let (n, rest) = passthrough_sequences(wrapped.as_bytes());
        assert_eq!((n, rest.len()), (wrapped.len(), 0));
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
