//! Layers point one way (docs/ARCHITECTURE.md, "Layers"): these tests read
//! the source and fail when a file names a layer it must not know.
//!
//! - `src/app/` knows no terminal and nothing drawn: it never names
//!   `crossterm`, ratatui beyond its pure geometry (`ratatui::layout`), or
//!   the layers above it (`crate::ui`, `crate::runtime`, `crate::tui`,
//!   `crate::effects`), nor does IO (`tokio`, `reqwest`).
//! - `src/preview/` sits below the app (`App` embeds its state machine)
//!   and below the effects that run its tasks: it never names
//!   `crate::app`, `crate::effects`, `crate::runtime`, `crate::ui` or
//!   `crate::tui` (no import cycle with `effects.rs`).
//! - `src/sandbox/` has its own representation of the API: it never names
//!   the client's API types (`crate::api`), so the contract tests really
//!   test the client's parsing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: fail loudly where set-up breaks

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The code of a Rust file without its comments and string literals (a
/// doc comment may name any layer; a URL path such as "/api/agent" is no
/// import), whitespace collapsed so that `crate :: ui` is `crate::ui`.
fn code_of(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'"' => {
                // A raw string r"..." / r#"..."#: skip to the matching end.
                let hashes = src[..i].bytes().rev().take_while(|c| *c == b'#').count();
                let raw = i > hashes && b[i - hashes - 1] == b'r';
                i += 1;
                while i < b.len() {
                    if !raw && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == b'"'
                        && (!raw
                            || src[i + 1..].bytes().take_while(|c| *c == b'#').count() >= hashes)
                    {
                        i += 1 + if raw { hashes } else { 0 };
                        break;
                    }
                    i += 1;
                }
                out.push_str("\"\"");
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{1b}') or a lifetime ('a).
                let rest = &src[i + 1..];
                let end = if rest.starts_with('\\') {
                    rest.get(2..).and_then(|r| r.find('\'')).map(|n| n + 4)
                } else {
                    let mut ch = rest.chars();
                    match (ch.next(), ch.next()) {
                        (Some(c), Some('\'')) => Some(c.len_utf8() + 2),
                        _ => None,
                    }
                };
                match end {
                    Some(n) => {
                        out.push_str("' '");
                        i += n;
                    }
                    None => {
                        out.push('\'');
                        i += 1;
                    }
                }
            }
            c if c.is_ascii_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                i += 1;
            }
            _ => {
                let ch = src[i..].chars().next().expect("a char");
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    out.replace(" ::", "::").replace(":: ", "::")
}

/// The identifier-bounded occurrences of `word` in `code`, each with what
/// follows it.
fn uses<'a>(code: &'a str, word: &str) -> Vec<&'a str> {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(word)
        .filter(|(at, _)| {
            let before = code[..*at].chars().next_back();
            let after = code[at + word.len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
        .map(|(at, _)| &code[at..])
        .collect()
}

/// The crate-root modules a file names: `crate::x` paths and the members
/// of `crate::{...}` groups.
fn crate_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for rest in uses(code, "crate") {
        let Some(path) = rest.strip_prefix("crate::") else {
            continue;
        };
        if let Some(group) = path.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for member in group.split(',') {
                let name: String = member
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push(name);
            }
        } else {
            out.push(
                path.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect(),
            );
        }
    }
    out
}

/// What a file under `src/app/` must not name.
fn app_violations(code: &str) -> Vec<String> {
    let mut v = Vec::new();
    for word in ["crossterm", "tokio", "reqwest"] {
        if !uses(code, word).is_empty() {
            v.push(word.to_string());
        }
    }
    for rest in uses(code, "ratatui") {
        if !rest.starts_with("ratatui::layout::") {
            v.push(rest.chars().take(40).collect());
        }
    }
    for m in crate_modules(code) {
        if ["ui", "runtime", "tui", "effects"].contains(&m.as_str()) {
            v.push(format!("crate::{m}"));
        }
    }
    v
}

/// What a file under `src/preview/` must not name.
fn preview_violations(code: &str) -> Vec<String> {
    crate_modules(code)
        .into_iter()
        .filter(|m| ["app", "effects", "runtime", "ui", "tui"].contains(&m.as_str()))
        .map(|m| format!("crate::{m}"))
        .collect()
}

/// What a file under `src/sandbox/` must not name.
fn sandbox_violations(code: &str) -> Vec<String> {
    let mut v: Vec<String> = crate_modules(code)
        .into_iter()
        .filter(|m| m == "api")
        .map(|m| format!("crate::{m}"))
        .collect();
    for rest in uses(code, "aispace_tui") {
        if rest.starts_with("aispace_tui::api") {
            v.push("aispace_tui::api".into());
        }
    }
    v
}

fn check(dir: &str, violations: fn(&str) -> Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let files = rust_files(&root);
    assert!(files.len() > 5, "no sources found in {}", root.display());
    let mut bad = Vec::new();
    for f in files {
        let src = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for v in violations(&code_of(&src)) {
            bad.push(format!("{}: names {v}", f.display()));
        }
    }
    assert!(bad.is_empty(), "layer violations:\n{}", bad.join("\n"));
}

#[test]
fn app_knows_no_terminal_and_nothing_above_it() {
    check("src/app", app_violations);
}

#[test]
fn preview_names_nothing_above_it() {
    check("src/preview", preview_violations);
}

#[test]
fn the_sandbox_never_names_the_clients_api_types() {
    check("src/sandbox", sandbox_violations);
}

#[test]
fn the_checks_catch_what_they_are_meant_to() {
    let bad_app = [
        "use crossterm::event::KeyEvent;",
        "use ratatui::widgets::Block;",
        "fn f(t: &mut ratatui::Terminal<B>) {}",
        "let x = crate::ui::render;",
        "use crate::{api, ui::layout};",
        "use crate :: runtime :: Harness;",
        "tokio::spawn(async {});",
    ];
    for src in bad_app {
        assert!(!app_violations(&code_of(src)).is_empty(), "missed: {src}");
    }
    let fine_app = [
        "use ratatui::layout::Rect;",
        "// crossterm and crate::ui are named in this comment only",
        "/// Draws with `crate::ui::render`.\nfn f() {}",
        "let s = \"crate::ui crossterm\"; let c = '\"'; let t = \"tokio\";",
        "let q = '\\''; let s = \"crossterm\";",
        "let r = r#\"ratatui::Frame \"quoted\"\"#;",
        "use crate::app::uid; fn f<'a>(x: &'a str) {}",
    ];
    for src in fine_app {
        assert!(
            app_violations(&code_of(src)).is_empty(),
            "false alarm: {src}: {:?}",
            app_violations(&code_of(src))
        );
    }
    for src in [
        "use crate::app::Msg;",
        "use crate::effects::{Outcome, TerminalEffect};",
        "use crate::{api::Client, runtime::Harness};",
        "let t: crate::tui::Tui;",
        "crate::ui::render(f, app);",
    ] {
        assert!(
            !preview_violations(&code_of(src)).is_empty(),
            "missed: {src}"
        );
    }
    for src in [
        "use crate::api::Client;",
        "use crate::text;",
        "/// Run by `crate::effects::Runner`.\nfn f() {}",
    ] {
        assert!(
            preview_violations(&code_of(src)).is_empty(),
            "false alarm: {src}"
        );
    }
    for src in [
        "use crate::api::FeedItem;",
        "use crate::{text, api::types::Medal};",
        "let x: aispace_tui::api::Quota;",
    ] {
        assert!(
            !sandbox_violations(&code_of(src)).is_empty(),
            "missed: {src}"
        );
    }
    for src in ["let route = \"/api/agent/feed\";", "use crate::text;"] {
        assert!(
            sandbox_violations(&code_of(src)).is_empty(),
            "false alarm: {src}"
        );
    }
}
