//! The external editor (`$VISUAL`, else `$EDITOR`, else `vi`): the text
//! goes into a private temporary file (mode 0600, removed afterwards, also
//! when the editor fails), the editor runs on it without a shell (the
//! variable split into words as a POSIX shell would, `shell-words`) and
//! without the agent key in its environment, and the file's text comes
//! back. The caller hands the terminal over around [`run`]
//! (`runtime/terminal.rs`, `Tui::hand_over`).

use std::io::{Read, Write};
use std::process::Command;

/// Longest text read back from the editor, in bytes (a comment or caption
/// is a few KiB at most; a huge file is refused rather than loaded).
pub const MAX_EDITED_BYTES: u64 = 1024 * 1024;

/// The editor used when neither variable is set (as git does).
pub const FALLBACK_EDITOR: &str = "vi";

/// The editor command: `$VISUAL`, else `$EDITOR` (empty ones skipped),
/// else [`FALLBACK_EDITOR`], split into words. `env` reads a variable.
/// `Err` is a sentence for the status line.
pub fn command_from(env: impl Fn(&str) -> Option<String>) -> Result<Vec<String>, String> {
    let (var, line) = ["VISUAL", "EDITOR"]
        .into_iter()
        .find_map(|v| env(v).filter(|s| !s.trim().is_empty()).map(|s| (v, s)))
        .unwrap_or(("", FALLBACK_EDITOR.to_string()));
    let words = shell_words::split(&line).map_err(|e| {
        format!(
            "Could not read ${var} ({e}): fix its quoting, e.g. export {var}='code --wait'; your text is kept."
        )
    })?;
    if words.is_empty() {
        return Err(format!("${var} names no program; your text is kept."));
    }
    Ok(words)
}

/// The editor command from the process environment (see [`command_from`]).
pub fn command_from_env() -> Result<Vec<String>, String> {
    command_from(|v| std::env::var(v).ok())
}

/// Writes `text` (plus a final newline) into a fresh private temporary
/// file, runs `command` (program and arguments, the file's path appended)
/// with the terminal inherited and [`crate::keysource::KEY_ENV`] removed
/// from its environment, waits for it and returns the file's text, its
/// trailing line breaks removed. The file is removed in every case.
/// `Err` is a sentence for the status line (the caller keeps the text).
pub fn run(command: &[String], text: &str, what: &str) -> Result<String, String> {
    let Some((program, args)) = command.split_first() else {
        return Err("No editor command; your text is kept.".into());
    };
    let shown = crate::text::clean_line(program);
    let file = private_file(text).map_err(|e| {
        format!("Could not make a temporary file for the editor ({e}); your text is kept.")
    })?;
    let mut cmd = Command::new(program);
    cmd.args(args).arg(file.path());
    crate::keysource::without_key(&mut cmd);
    let status = cmd.status().map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            " (not found): set $VISUAL or $EDITOR to an editor you have, e.g. export EDITOR=nano"
        } else {
            ""
        };
        format!("Could not start the editor {shown}{hint} ({e}); your {what} is kept.")
    })?;
    if !status.success() {
        return Err(format!(
            "The editor {shown} failed ({status}); your {what} is as it was."
        ));
    }
    read_back(file.path())
        .map_err(|e| format!("Could not read the editor's file back ({e}); your {what} is kept."))
}

/// A new temporary file readable and writable by its owner only, holding
/// `text` and a final newline.
fn private_file(text: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut b = tempfile::Builder::new();
    b.prefix("aispace-").suffix(".txt");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut f = b.tempfile()?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    f.flush()?;
    Ok(f)
}

/// The file's text (by path: editors may replace the file), at most
/// [`MAX_EDITED_BYTES`], trailing line breaks removed.
fn read_back(path: &std::path::Path) -> std::io::Result<String> {
    let f = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    f.take(MAX_EDITED_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_EDITED_BYTES {
        return Err(std::io::Error::other(format!(
            "over {} KiB",
            MAX_EDITED_BYTES / 1024
        )));
    }
    let text = String::from_utf8_lossy(&bytes);
    Ok(text.trim_end_matches(['\n', '\r']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visual_wins_over_editor_and_words_are_split_without_a_shell() {
        let env = |v: &str| match v {
            "VISUAL" => Some("'/opt/my editor/bin/ed' --wait -c 'set tw=0'".to_string()),
            "EDITOR" => Some("nano".to_string()),
            _ => None,
        };
        assert_eq!(
            command_from(env).unwrap(),
            ["/opt/my editor/bin/ed", "--wait", "-c", "set tw=0"]
        );
        let only_editor = |v: &str| (v == "EDITOR").then(|| "nano -R".to_string());
        assert_eq!(command_from(only_editor).unwrap(), ["nano", "-R"]);
        let blank_visual = |v: &str| match v {
            "VISUAL" => Some("  ".to_string()),
            "EDITOR" => Some("ed".to_string()),
            _ => None,
        };
        assert_eq!(command_from(blank_visual).unwrap(), ["ed"]);
        assert_eq!(command_from(|_| None).unwrap(), [FALLBACK_EDITOR]);
        let bad = |v: &str| (v == "EDITOR").then(|| "vim 'unclosed".to_string());
        let e = command_from(bad).unwrap_err();
        assert!(e.contains("$EDITOR") && e.contains("quoting"), "{e}");
    }

    #[test]
    fn the_text_round_trips_through_a_private_file_that_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let seen = dir.path().join("seen");
        // `sh -c SCRIPT ARG0 FILE`: records the file's mode and path, appends.
        let script = format!(
            "stat -c %a \"$1\" > '{s}'; echo \"$1\" >> '{s}'; echo second >> \"$1\"",
            s = seen.display()
        );
        let cmd = ["sh", "-c", &script, "editor"].map(String::from);
        let out = run(&cmd, "first", "comment").unwrap();
        assert_eq!(out, "first\nsecond");
        let seen = std::fs::read_to_string(&seen).unwrap();
        let mut lines = seen.lines();
        assert_eq!(lines.next(), Some("600"));
        let path = lines.next().unwrap();
        assert!(!std::path::Path::new(path).exists(), "{path} removed");
    }

    #[test]
    fn a_failing_or_missing_editor_says_so() {
        let e = run(&["false".to_string()], "x", "comment").unwrap_err();
        assert!(
            e.contains("failed") && e.contains("your comment is as it was"),
            "{e}"
        );
        let e = run(&["/no/such/editor".to_string()], "x", "comment").unwrap_err();
        assert!(e.contains("not found") && e.contains("$EDITOR"), "{e}");
    }
}
