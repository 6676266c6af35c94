//! Diagnostics log: `tracing` events written to a file, never to the
//! terminal (the TUI owns it).
//!
//! - File: [`default_log_path`] (`$XDG_STATE_HOME/aispace-tui/aispace-tui.log`),
//!   mode 0600, appended to; its directory is created with mode 0700.
//! - Rotation at start and while running: a file larger than
//!   [`ROTATE_BYTES`] (5 MiB) becomes `aispace-tui.log.1` (the previous `.1`
//!   becomes `.2`; older ones are dropped), so at most [`KEEP_OLD`] old
//!   files are kept and a TUI left running for days stays within
//!   3 x 5 MiB of logs.
//! - Level: `AISPACE_LOG`, else `RUST_LOG`, in `tracing_subscriber::EnvFilter`
//!   syntax (e.g. `debug` or `aispace_tui=debug,info`); default `info`.
//! - Safety: every event is one line. The writer escapes control, bidi,
//!   invisible and tag characters in the finished line with
//!   [`crate::text::clean_log`]'s rules (`\n`, `\u{1b}`, ...), so a server
//!   string logged as a field cannot inject terminal sequences or fake
//!   lines, whoever later reads the file with `cat` or `less`. Lines are cut
//!   at [`MAX_LINE_CHARS`]. No colours (no ANSI) are written.
//! - The agent key is never logged (nothing here sees it; callers must not
//!   pass it to `tracing`).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

use crate::config::{shown_path, state_dir};

/// Size above which the log is rotated at start, in bytes (5 MiB).
pub const ROTATE_BYTES: u64 = 5 * 1024 * 1024;
/// How many rotated files (`.log.1`, `.log.2`) are kept.
pub const KEEP_OLD: usize = 2;
/// Longest log line written, in chars (longer ones end with `…`).
pub const MAX_LINE_CHARS: usize = 16_000;

/// `state_dir()/aispace-tui.log`; `None` when no home directory is known.
pub fn default_log_path() -> Option<PathBuf> {
    state_dir().map(|d| d.join("aispace-tui.log"))
}

/// Why logging could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The log file or its directory could not be created or opened.
    #[error("cannot open log file {}: {source}", shown_path(.path))]
    Open {
        /// The log file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// `AISPACE_LOG` / `RUST_LOG` is not a valid filter.
    #[error("{var}={} is not a valid log filter ({message}); try `info` or `aispace_tui=debug`", crate::text::clean_line(.value))]
    Filter {
        /// The variable.
        var: &'static str,
        /// Its value.
        value: String,
        /// The parser's message.
        message: String,
    },
    /// A global subscriber was already installed.
    #[error("logging is already set up in this process")]
    AlreadySet,
}

/// Keeps the log file; dropping it flushes the file to disk. Hold it for the
/// whole run (in `main`).
#[derive(Debug)]
pub struct LogGuard {
    file: Arc<Mutex<File>>,
    path: PathBuf,
}

impl LogGuard {
    /// The log file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        let file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let _ = file.sync_data();
    }
}

/// Sets up logging to `path` (usually [`default_log_path`]) as the global
/// `tracing` subscriber (and captures `log` records too), with the level
/// from `AISPACE_LOG` / `RUST_LOG` (default `info`). Rotates first. Errors:
/// [`LogError`].
pub fn init(path: &Path) -> Result<LogGuard, LogError> {
    let filter = filter_from_env(|name| std::env::var(name).ok())?;
    let (writer, guard) = open(path)?;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(writer)
        .finish()
        .try_init()
        .map_err(|_| LogError::AlreadySet)?;
    Ok(guard)
}

/// The filter from `AISPACE_LOG`, else `RUST_LOG` (empty = unset), else `info`.
pub fn filter_from_env(env: impl Fn(&str) -> Option<String>) -> Result<EnvFilter, LogError> {
    for var in ["AISPACE_LOG", "RUST_LOG"] {
        if let Some(value) = env(var).filter(|v| !v.trim().is_empty()) {
            return EnvFilter::try_new(&value).map_err(|e| LogError::Filter {
                var,
                value,
                message: e.to_string(),
            });
        }
    }
    Ok(EnvFilter::new("info"))
}

/// Rotates if needed and opens `path` for appending; returns the sanitizing
/// writer for `tracing_subscriber::fmt().with_writer(..)` and its guard.
pub fn open(path: &Path) -> Result<(SafeWriter, LogGuard), LogError> {
    open_with_limit(path, ROTATE_BYTES)
}

/// [`open`] with another rotation size in bytes (for tests).
pub fn open_with_limit(path: &Path, limit: u64) -> Result<(SafeWriter, LogGuard), LogError> {
    let err = |source| LogError::Open {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir).map_err(err)?;
    }
    rotate_at(path, limit).map_err(err)?;
    let opened = open_append(path).map_err(err)?;
    let size = opened.metadata().map(|m| m.len()).unwrap_or(0);
    let file = Arc::new(Mutex::new(opened));
    Ok((
        SafeWriter {
            file: file.clone(),
            path: Arc::new(path.to_path_buf()),
            written: Arc::new(AtomicU64::new(size)),
            limit,
        },
        LogGuard {
            file,
            path: path.to_path_buf(),
        },
    ))
}

fn open_append(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// If `path` is larger than [`ROTATE_BYTES`]: `.log.1` → `.log.2`, `.log` →
/// `.log.1`. A missing file is fine.
pub fn rotate(path: &Path) -> io::Result<()> {
    rotate_at(path, ROTATE_BYTES)
}

fn rotate_at(path: &Path, limit: u64) -> io::Result<()> {
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if size <= limit {
        return Ok(());
    }
    let numbered = |n: usize| {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".{n}"));
        path.with_file_name(name)
    };
    for n in (1..KEEP_OLD).rev() {
        let from = numbered(n);
        if from.exists() {
            std::fs::rename(&from, numbered(n + 1))?;
        }
    }
    std::fs::rename(path, numbered(1))
}

/// A [`MakeWriter`] that appends to the log file, escaping every char a
/// terminal could interpret (see the module docs). Each `write` call is
/// treated as one finished event line (tracing-subscriber's fmt layer
/// writes each event with one `write_all`).
#[derive(Debug, Clone)]
pub struct SafeWriter {
    file: Arc<Mutex<File>>,
    path: Arc<PathBuf>,
    /// Bytes in the current file.
    written: Arc<AtomicU64>,
    /// Rotate once the file is larger than this (bytes).
    limit: u64,
}

impl SafeWriter {
    /// The escaped form of one chunk: its final `'\n'` kept, everything else
    /// (including inner line breaks) escaped onto one line.
    pub fn escape_chunk(buf: &[u8]) -> String {
        let text = String::from_utf8_lossy(buf);
        let (body, newline) = match text.strip_suffix('\n') {
            Some(b) => (b, true),
            None => (text.as_ref(), false),
        };
        let mut out = crate::text::escape_log(body, MAX_LINE_CHARS);
        if newline {
            out.push('\n');
        }
        out
    }
}

impl Write for SafeWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let line = SafeWriter::escape_chunk(buf);
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(line.as_bytes())?;
        let size = self.written.fetch_add(line.len() as u64, Ordering::Relaxed) + line.len() as u64;
        if size > self.limit {
            // Rotate while running; on failure keep writing where we are.
            let _ = file.flush();
            if rotate_at(&self.path, self.limit).is_ok() {
                if let Ok(fresh) = open_append(&self.path) {
                    *file = fresh;
                    self.written.store(0, Ordering::Relaxed);
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.lock().unwrap_or_else(|e| e.into_inner()).flush()
    }
}

impl<'a> MakeWriter<'a> for SafeWriter {
    type Writer = SafeWriter;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn events_are_one_escaped_line_each() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("logs/aispace-tui.log");
        let (writer, guard) = open(&path).unwrap();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new("info"))
            .with_ansi(false)
            .with_writer(writer)
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::info!(
                caption = "evil\u{1b}]0;pwned\u{7}\nFAKE LINE",
                "post \u{9b}2J loaded"
            );
            tracing::debug!("hidden at info");
            tracing::warn!("second\r\nline");
        });
        drop(guard);
        let content = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = content.lines().collect();
        assert_eq!(lines.len(), 2, "{content}");
        assert!(lines[0].contains("post \\u{9b}2J loaded"), "{}", lines[0]);
        assert!(
            lines[0].contains("\\u{1b}]0;pwned\\u{7}\\nFAKE LINE"),
            "{}",
            lines[0]
        );
        assert!(lines[1].contains("second\\r\\nline"), "{}", lines[1]);
        assert!(!content.chars().any(|c| c.is_control() && c != '\n'));
        assert!(!content.contains("hidden"));
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn writer_caps_line_length() {
        let out = SafeWriter::escape_chunk(format!("{}\n", "x".repeat(50_000)).as_bytes());
        assert_eq!(out.chars().count(), MAX_LINE_CHARS + 1);
        assert!(out.ends_with("…\n"));
    }

    #[test]
    fn rotation_keeps_two_old_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aispace-tui.log");
        let big = vec![b'a'; usize::try_from(ROTATE_BYTES).unwrap() + 1];
        std::fs::write(&path, &big).unwrap();
        std::fs::write(dir.path().join("aispace-tui.log.1"), "one").unwrap();
        std::fs::write(dir.path().join("aispace-tui.log.2"), "two").unwrap();
        rotate(&path).unwrap();
        assert!(!path.exists());
        assert_eq!(
            std::fs::metadata(dir.path().join("aispace-tui.log.1"))
                .unwrap()
                .len(),
            ROTATE_BYTES + 1
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("aispace-tui.log.2")).unwrap(),
            "one"
        );
        assert!(!dir.path().join("aispace-tui.log.3").exists());
    }

    #[test]
    fn a_long_run_rotates_while_writing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aispace-tui.log");
        let (mut writer, guard) = open_with_limit(&path, 1000).unwrap();
        for i in 0..90 {
            writer
                .write_all(format!("event {i:03} {}\n", "x".repeat(40)).as_bytes())
                .unwrap();
        }
        drop(guard);
        let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
        let one = dir.path().join("aispace-tui.log.1");
        let two = dir.path().join("aispace-tui.log.2");
        assert!(size(&path) <= 1000 + 60, "{}", size(&path));
        assert!(size(&one) > 1000 && size(&two) > 1000);
        assert!(!dir.path().join("aispace-tui.log.3").exists());
        let last = std::fs::read_to_string(&path).unwrap();
        assert!(last.contains("event 089"), "{last}");
    }

    #[test]
    fn small_file_is_not_rotated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("aispace-tui.log");
        std::fs::write(&path, "small").unwrap();
        rotate(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "small");
        rotate(&dir.path().join("missing.log")).unwrap();
    }

    #[test]
    fn filter_prefers_aispace_log_and_reports_bad_values() {
        let env = |n: &str| match n {
            "AISPACE_LOG" => Some("debug".to_string()),
            "RUST_LOG" => Some("error".to_string()),
            _ => None,
        };
        assert_eq!(filter_from_env(env).unwrap().to_string(), "debug");
        let env = |n: &str| (n == "RUST_LOG").then(|| "warn".to_string());
        assert_eq!(filter_from_env(env).unwrap().to_string(), "warn");
        assert_eq!(filter_from_env(|_| None).unwrap().to_string(), "info");
        let env = |n: &str| (n == "AISPACE_LOG").then(|| "aispace_tui=loud".to_string());
        let err = filter_from_env(env).unwrap_err();
        assert!(
            err.to_string().contains("AISPACE_LOG=aispace_tui=loud"),
            "{err}"
        );
    }

    #[test]
    fn default_log_path_is_in_state_dir() {
        if let Some(p) = default_log_path() {
            assert!(
                p.ends_with("aispace-tui/aispace-tui.log"),
                "{}",
                p.display()
            );
        }
    }
}
