//! Where the agent key comes from (CONTRACT.md "Authentication": the key is
//! a secret, never printed or logged).
//!
//! Sources, the first configured one wins (a failing source is an error, it
//! does not fall through to the next):
//! 1. the environment variable [`KEY_ENV`] (`AISPACE_AGENT_KEY`), trimmed;
//! 2. `key_file` from the config: its first non-empty line, trimmed. The file
//!    must not be accessible by group or others (the fix, `chmod 600 PATH`,
//!    is in the message);
//! 3. `key_command` from the config, run with `sh -c` (stdin inherited so
//!    it can prompt, e.g. for a GPG passphrase through pinentry; stdout and
//!    stderr captured; the environment without [`KEY_ENV`]): the first
//!    non-empty line of its stdout, trimmed. It is stopped after
//!    `key_command_timeout_secs` (default [`DEFAULT_KEY_COMMAND_TIMEOUT`]).
//!    A non-zero exit is an error quoting the first line of its stderr,
//!    cleaned, with anything shaped like a key masked.
//!
//! Nothing here logs or displays the key; errors and [`KeyOrigin`] describe
//! where a key came from, never the key.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::api::AgentKey;
use crate::config::{shown_path, Config};
use crate::text;

/// The environment variable holding the agent key.
pub const KEY_ENV: &str = "AISPACE_AGENT_KEY";

/// The variables that hold or find the key: removed from the environment
/// of the programs the watch rules run (`notify_command`).
pub const KEY_VARIABLES: [&str; 3] = [KEY_ENV, "AISPACE_KEY_COMMAND", "AISPACE_KEY_FILE"];

/// Largest key file read, in bytes (a key is well under 1 KiB).
pub const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// How long `key_command` may run before it is stopped.
pub const DEFAULT_KEY_COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Removes the agent key from the environment of a program we start
/// (browser opener, key command, tmux): it has no business with it.
pub fn without_key(cmd: &mut Command) -> &mut Command {
    cmd.env_remove(KEY_ENV)
}

/// Where a key came from. `Display` gives a phrase for messages, e.g.
/// "key file /home/me/agent.key".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    /// The `AISPACE_AGENT_KEY` environment variable.
    Env,
    /// The config's `key_file`.
    File(PathBuf),
    /// The config's `key_command` (the command text, not its output).
    Command(String),
}

impl fmt::Display for KeyOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyOrigin::Env => write!(f, "environment variable {KEY_ENV}"),
            KeyOrigin::File(p) => write!(f, "key file {}", shown_path(p)),
            KeyOrigin::Command(c) => write!(f, "key command `{}`", text::clean_line(c)),
        }
    }
}

/// A key and where it came from. `Debug` hides the key.
#[derive(Clone, PartialEq, Eq)]
pub struct FoundKey {
    key: String,
    /// Where the key came from.
    pub origin: KeyOrigin,
}

impl FoundKey {
    /// The raw key text (trimmed, one line). Hand it to [`AgentKey::parse`]
    /// or use [`FoundKey::agent_key`]; never show or log it.
    pub fn expose(&self) -> &str {
        &self.key
    }

    /// The key checked as an [`AgentKey`]; a malformed key is a
    /// [`KeyError::Malformed`] naming the source but not the key.
    pub fn agent_key(&self) -> Result<AgentKey, KeyError> {
        AgentKey::parse(&self.key).map_err(|e| KeyError::Malformed {
            origin: self.origin.clone(),
            reason: match e {
                crate::api::ApiError::MalformedKey(reason) => reason,
                other => other.to_string(),
            },
        })
    }
}

impl fmt::Debug for FoundKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FoundKey")
            .field("key", &"***")
            .field("origin", &self.origin)
            .finish()
    }
}

/// Why no key could be obtained from a configured source. Messages never
/// contain the key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file could not be read.
    #[error("cannot read key file {}: {source}", shown_path(.path))]
    FileRead {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The key file is a directory, device or other non-regular file.
    #[error("key file {} is not a regular file: point key_file / --key-file at a file holding only the key", shown_path(.path))]
    NotAFile {
        /// The path given.
        path: PathBuf,
    },
    /// The key file is accessible by group or others.
    #[error(
        "key file {} is accessible by other users (mode {mode:04o}); \
         it holds a secret, so it must be private: run `chmod 600 {}`",
        shown_path(.path),
        shown_path(.path)
    )]
    FilePermissions {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The key command could not be started.
    #[error("cannot run key command `{}` with sh -c: {source}", text::clean_line(.command))]
    CommandSpawn {
        /// The command.
        command: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The key command exited unsuccessfully.
    #[error(
        "key command `{}` failed ({status}){}",
        text::clean_line(.command),
        .stderr_line.as_ref().map(|l| format!(": {l}")).unwrap_or_default()
    )]
    CommandFailed {
        /// The command.
        command: String,
        /// Its exit status, e.g. "exit status: 1".
        status: String,
        /// The first non-empty line of its stderr, cleaned, key-shaped words
        /// masked, at most 200 chars.
        stderr_line: Option<String>,
    },
    /// The key command did not finish in time and was stopped.
    #[error(
        "key command `{}` did not finish within {secs} s and was stopped; \
         if it waits for a passphrase, answer sooner, or raise key_command_timeout_secs in the config",
        text::clean_line(.command)
    )]
    CommandTimeout {
        /// The command.
        command: String,
        /// The limit, in seconds.
        secs: u64,
    },
    /// The source gave nothing (empty variable value, file or output).
    #[error("{origin} gave no key (it is empty)")]
    Empty {
        /// The source.
        origin: KeyOrigin,
    },
    /// The file or command output is not UTF-8 text.
    #[error("{origin} did not give UTF-8 text")]
    NotText {
        /// The source.
        origin: KeyOrigin,
    },
    /// The key is not of the form `prefix.secret`.
    #[error(
        "the key from {origin} is malformed ({reason}): an agent key looks like \
         prefix.secret, each part made of letters, digits, _ and -"
    )]
    Malformed {
        /// The source.
        origin: KeyOrigin,
        /// What is wrong (without the key).
        reason: String,
    },
}

/// Finds the key using the process environment and `config.key_file` /
/// `config.key_command`. `Ok(None)` when no source is configured (the
/// client then runs without a key).
pub fn find_key(config: &Config) -> Result<Option<FoundKey>, KeyError> {
    find_key_with(
        |name| std::env::var(name).ok(),
        config.key_file.as_deref(),
        config.key_command.as_deref(),
    )
}

/// [`find_key`] with the command stopped after `timeout`.
pub fn find_key_timed(config: &Config, timeout: Duration) -> Result<Option<FoundKey>, KeyError> {
    find_key_within(
        |name| std::env::var(name).ok(),
        config.key_file.as_deref(),
        config.key_command.as_deref(),
        timeout,
    )
}

/// [`find_key`] with the environment as a lookup function (for tests).
/// An empty or all-whitespace `AISPACE_AGENT_KEY` counts as unset.
pub fn find_key_with(
    env: impl Fn(&str) -> Option<String>,
    key_file: Option<&Path>,
    key_command: Option<&str>,
) -> Result<Option<FoundKey>, KeyError> {
    find_key_within(env, key_file, key_command, DEFAULT_KEY_COMMAND_TIMEOUT)
}

/// [`find_key_with`] with the key command stopped after `timeout`.
pub fn find_key_within(
    env: impl Fn(&str) -> Option<String>,
    key_file: Option<&Path>,
    key_command: Option<&str>,
    timeout: Duration,
) -> Result<Option<FoundKey>, KeyError> {
    if let Some(value) = env(KEY_ENV) {
        let key = value.trim();
        if !key.is_empty() {
            return Ok(Some(FoundKey {
                key: key.to_string(),
                origin: KeyOrigin::Env,
            }));
        }
    }
    if let Some(path) = key_file {
        return read_key_file(path).map(Some);
    }
    if let Some(command) = key_command {
        return run_key_command(command, timeout).map(Some);
    }
    Ok(None)
}

fn first_line(s: &str) -> Option<&str> {
    s.lines().map(str::trim).find(|l| !l.is_empty())
}

fn read_key_file(path: &Path) -> Result<FoundKey, KeyError> {
    use std::io::Read;
    let origin = KeyOrigin::File(path.to_path_buf());
    let read_err = |source| KeyError::FileRead {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if !meta.is_file() {
        return Err(KeyError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let file = std::fs::File::open(path).map_err(read_err)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o7777;
        if mode & 0o077 != 0 {
            return Err(KeyError::FilePermissions {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    let mut bytes = Vec::new();
    file.take(MAX_KEY_FILE_BYTES)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    let content = String::from_utf8(bytes).map_err(|_| KeyError::NotText {
        origin: origin.clone(),
    })?;
    match first_line(&content) {
        Some(key) => Ok(FoundKey {
            key: key.to_string(),
            origin,
        }),
        None => Err(KeyError::Empty { origin }),
    }
}

/// Reads all of a pipe (at most 64 KiB kept) on its own thread.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(p) = pipe {
            let _ = p.take(MAX_KEY_FILE_BYTES).read_to_end(&mut buf);
        }
        buf
    })
}

/// `line` with every word that parses as an agent key replaced by `***`
/// (a command that prints the key on stderr must not put it on screen).
fn mask_keys(line: &str) -> String {
    line.split(' ')
        .map(|w| {
            let bare = w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '-');
            if bare.contains('.') && AgentKey::parse(bare).is_ok() {
                w.replace(bare, "***")
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Stops a key command and everything it started (it runs in its own
/// process group), then reaps it.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let group = rustix::process::Pid::from_child(child);
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::Kill);
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn run_key_command(command: &str, timeout: Duration) -> Result<FoundKey, KeyError> {
    let origin = KeyOrigin::Command(command.to_string());
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    without_key(&mut cmd);
    // Its own process group: a timeout stops everything it started.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn().map_err(|source| KeyError::CommandSpawn {
        command: command.to_string(),
        source,
    })?;
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(None) => {
                kill_group(&mut child);
                return Err(KeyError::CommandTimeout {
                    command: command.to_string(),
                    secs: timeout.as_secs().max(1),
                });
            }
            Err(source) => {
                return Err(KeyError::CommandSpawn {
                    command: command.to_string(),
                    source,
                })
            }
        }
    };
    // The pipes close when the command and anything it left running end.
    let stdout = out.join().unwrap_or_default();
    if !status.success() {
        let stderr = err.join().unwrap_or_default();
        let stderr = String::from_utf8_lossy(&stderr);
        let stderr_line =
            first_line(&stderr).map(|l| text::truncate(&mask_keys(&text::clean_line(l)), 200));
        return Err(KeyError::CommandFailed {
            command: command.to_string(),
            status: status.to_string(),
            stderr_line,
        });
    }
    let stdout = String::from_utf8(stdout).map_err(|_| KeyError::NotText {
        origin: origin.clone(),
    })?;
    match first_line(&stdout) {
        Some(key) => Ok(FoundKey {
            key: key.to_string(),
            origin,
        }),
        None => Err(KeyError::Empty { origin }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn key_file(dir: &Path, content: &str, mode: u32) -> PathBuf {
        let path = dir.join("agent.key");
        std::fs::write(&path, content).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        path
    }

    #[test]
    fn nothing_configured_is_none() {
        assert!(find_key_with(no_env, None, None).unwrap().is_none());
        let blank = |_: &str| Some("  ".to_string());
        assert!(find_key_with(blank, None, None).unwrap().is_none());
    }

    #[test]
    fn env_wins_over_file_and_command() {
        let env = |n: &str| (n == KEY_ENV).then(|| " ak_env.s3cret\n".to_string());
        let found = find_key_with(env, Some(Path::new("/nonexistent")), Some("exit 1"))
            .unwrap()
            .unwrap();
        assert_eq!(found.expose(), "ak_env.s3cret");
        assert_eq!(found.origin, KeyOrigin::Env);
    }

    #[test]
    fn file_first_line_trimmed() {
        let dir = tempfile::tempdir().unwrap();
        let path = key_file(dir.path(), "\n  ak_file.s3cret  \nsecond line\n", 0o600);
        let found = find_key_with(no_env, Some(&path), Some("exit 1"))
            .unwrap()
            .unwrap();
        assert_eq!(found.expose(), "ak_file.s3cret");
        assert_eq!(found.origin, KeyOrigin::File(path));
        assert_eq!(found.agent_key().unwrap().prefix(), "ak_file");
    }

    #[test]
    fn file_readable_by_others_is_refused_with_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = key_file(dir.path(), "ak_x.s3cret\n", 0o644);
        let err = find_key_with(no_env, Some(&path), None).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, KeyError::FilePermissions { mode: 0o644, .. }),
            "{msg}"
        );
        assert!(
            msg.contains(&format!("chmod 600 {}", shown_path(&path))),
            "{msg}"
        );
        assert!(!msg.contains("s3cret"), "{msg}");
    }

    #[test]
    fn missing_or_empty_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = find_key_with(no_env, Some(&dir.path().join("none")), None).unwrap_err();
        assert!(matches!(err, KeyError::FileRead { .. }), "{err}");
        let path = key_file(dir.path(), "\n \n", 0o600);
        let err = find_key_with(no_env, Some(&path), None).unwrap_err();
        assert!(matches!(err, KeyError::Empty { .. }), "{err}");
        assert!(err.to_string().contains("key file"), "{err}");
    }

    #[test]
    fn command_output_first_line() {
        let found = find_key_with(no_env, None, Some("printf 'ak_cmd.s3cret\\nmeta: x\\n'"))
            .unwrap()
            .unwrap();
        assert_eq!(found.expose(), "ak_cmd.s3cret");
        assert!(matches!(found.origin, KeyOrigin::Command(_)));
    }

    #[test]
    fn failing_command_reports_stderr_first_line() {
        let cmd = "echo; echo 'gpg: decryption failed' >&2; echo more >&2; exit 2";
        let err = find_key_with(no_env, None, Some(cmd)).unwrap_err();
        match &err {
            KeyError::CommandFailed { stderr_line, .. } => {
                assert_eq!(stderr_line.as_deref(), Some("gpg: decryption failed"));
            }
            other => panic!("expected CommandFailed, got {other}"),
        }
        let msg = err.to_string();
        assert!(
            msg.contains("exit status: 2") && msg.contains("decryption failed"),
            "{msg}"
        );
    }

    #[test]
    fn failing_command_stderr_is_cleaned() {
        let err = find_key_with(
            no_env,
            None,
            Some("printf '\\033]0;x\\007boom' >&2; exit 1"),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(!msg.contains('\u{1b}') && msg.contains("boom"), "{msg:?}");
    }

    #[test]
    fn a_hanging_command_is_stopped_with_a_clear_message() {
        let started = Instant::now();
        let err = find_key_within(no_env, None, Some("sleep 30"), Duration::from_millis(300))
            .unwrap_err();
        assert!(matches!(err, KeyError::CommandTimeout { .. }), "{err}");
        let msg = err.to_string();
        assert!(msg.contains("did not finish within 1 s"), "{msg}");
        assert!(msg.contains("key_command_timeout_secs"), "{msg}");
        // Stopped, not waited for (a safety net, not a timing assertion).
        assert!(started.elapsed() < Duration::from_secs(20));
    }

    /// Whether process `pid` still runs (a zombie waiting to be reaped by
    /// its new parent has ended).
    #[cfg(target_os = "linux")]
    fn running(pid: u32) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => false,
            Ok(stat) => stat
                .rsplit_once(") ")
                .is_some_and(|(_, rest)| !rest.starts_with('Z')),
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_timed_out_command_leaves_nothing_running() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("child.pid");
        let cmd = format!("sleep 120 & echo $! > '{}'; wait", pidfile.display());
        let err = find_key_within(no_env, None, Some(&cmd), Duration::from_secs(3)).unwrap_err();
        assert!(matches!(err, KeyError::CommandTimeout { .. }), "{err}");
        let pid: u32 = std::fs::read_to_string(&pidfile)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // The kill is sent before the error returns; the grace is for the
        // kernel to finish it (a safety net, not a timing assertion).
        let deadline = Instant::now() + Duration::from_secs(10);
        while running(pid) {
            assert!(
                Instant::now() < deadline,
                "the command's child {pid} still runs"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    #[test]
    fn the_command_runs_without_the_key_in_its_environment() {
        // The process has the variable (the lookup below ignores it, as if
        // it were blank, so the command is consulted); the command prints
        // it if it is passed on. No other unit test reads the variable.
        std::env::set_var(KEY_ENV, "leaked");
        let found = find_key_with(
            no_env,
            None,
            Some("echo \"ak_cmd.${AISPACE_AGENT_KEY:-unset}x${HOME:+home}\""),
        )
        .unwrap()
        .unwrap();
        // The rest of the environment reaches the command, the key does not.
        assert_eq!(found.expose(), "ak_cmd.unsetxhome");
    }

    #[test]
    fn a_key_printed_on_stderr_is_masked() {
        // The key is put together by the command (the command text is shown).
        let cmd = "k=Sup3r; echo \"gpg: wrote ak_live.${k}SecretValue to stdout\" >&2; exit 1";
        let err = find_key_with(no_env, None, Some(cmd)).unwrap_err();
        let msg = err.to_string();
        assert!(!msg.contains("Sup3rSecretValue"), "{msg}");
        assert!(msg.contains("gpg: wrote *** to stdout"), "{msg}");
    }

    #[test]
    fn silent_command_is_empty_error() {
        let err = find_key_with(no_env, None, Some("true")).unwrap_err();
        assert!(matches!(err, KeyError::Empty { .. }), "{err}");
    }

    #[test]
    fn debug_and_errors_hide_the_key() {
        let env = |_: &str| Some("ak_dbg.topsecret".to_string());
        let found = find_key_with(env, None, None).unwrap().unwrap();
        assert!(!format!("{found:?}").contains("topsecret"));
        let bad = FoundKey {
            key: "no-dot-topsecret".into(),
            origin: KeyOrigin::Env,
        };
        let msg = bad.agent_key().unwrap_err().to_string();
        assert!(msg.contains(KEY_ENV) && !msg.contains("topsecret"), "{msg}");
    }
}
