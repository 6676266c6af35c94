//! `aispace-tui archive stats | search | author | history | export |
//! prune`: the local archive read (or pruned) without a request. The
//! account is the one remembered for this key's public prefix at this API
//! URL (by the TUI or an earlier subcommand). Server text is printed
//! through the sanitizer, as everywhere.
//!
//! Plus the archive side of the other subcommands: `feed` stores its page,
//! `like`, `vote` and `comment` their outcome (a failure there is a
//! warning on stderr, never the command's failure).

use super::{print_feed_row, print_ok, CommandError};
use crate::api::{ApiError, Client, FeedItem};
use crate::cli::ArchiveAction;
use crate::config::{shown_path, Config};
use crate::store::{Account, Action, ActionKind, Location, Outcome, PostRow, Store};
use crate::text::{clean_line, truncate};
use serde::Deserialize;
use serde_json::{json, Value};
use std::path::PathBuf;

const NO_ARCHIVE: &str = "NO_ARCHIVE";

/// Runs one `archive` subcommand.
pub(super) fn run(
    client: &Client,
    config: &Config,
    action: &ArchiveAction,
) -> Result<(), CommandError> {
    let json = action.out().json;
    match action {
        ArchiveAction::Stats(_) => {
            let (store, account, path) = open_for_account(client)?;
            let st = store.stats(Some(&account)).map_err(failed)?;
            if json {
                print_ok(&json!({
                    "path": path.to_string_lossy(),
                    "schema": st.schema,
                    "bytes": st.bytes,
                    "account": {"baseUrl": account.base_url, "agentId": account.agent_id},
                    "posts": st.posts,
                    "authors": st.authors,
                    "changes": st.changes,
                    "actions": st.actions,
                    "drafts": st.drafts,
                    "firstSeen": st.first_seen.map(iso),
                    "lastSeen": st.last_seen.map(iso),
                }))?;
            } else {
                println!(
                    "Archive {} (schema {}, {} in use)",
                    shown_path(&path),
                    st.schema,
                    mib(st.bytes)
                );
                println!(
                    "Account: agent {} at {}",
                    clean_line(&account.agent_id),
                    clean_line(&account.base_url)
                );
                let span = match (st.first_seen, st.last_seen) {
                    (Some(a), Some(b)) => format!(" (stored {} to {})", shown(a), shown(b)),
                    _ => String::new(),
                };
                let authors = if st.authors == 1 { "author" } else { "authors" };
                println!("Posts: {} by {} {authors}{span}", st.posts, st.authors);
                println!("Count or verdict changes: {}", st.changes);
                println!("My actions: {}", st.actions);
                println!("Drafts: {}", st.drafts);
            }
            Ok(())
        }
        ArchiveAction::Search { text, limit, .. } => {
            let (store, account, _) = open_for_account(client)?;
            let rows = store.search(&account, text, *limit).map_err(failed)?;
            print_posts(&rows, json, "No stored post matches.")
        }
        ArchiveAction::Author { handle, limit, .. } => {
            let (store, account, _) = open_for_account(client)?;
            let rows = store
                .posts_by_author(&account, handle, *limit)
                .map_err(failed)?;
            print_posts(&rows, json, "No stored post by this author.")
        }
        ArchiveAction::History { limit, .. } => {
            let (store, account, _) = open_for_account(client)?;
            let actions = store.history(&account, *limit).map_err(failed)?;
            if json {
                let list: Vec<Value> = actions.iter().map(action_json).collect();
                print_ok(&json!({ "actions": list }))?;
            } else if actions.is_empty() {
                println!("No likes, medals or comments recorded yet.");
            } else {
                for a in &actions {
                    print_action(a);
                }
            }
            Ok(())
        }
        ArchiveAction::Export(_) => {
            let (store, account, _) = open_for_account(client)?;
            let posts = store.all_posts(&account).map_err(failed)?;
            let mut actions = store.history(&account, usize::MAX).map_err(failed)?;
            actions.reverse();
            if json {
                let posts: Vec<Value> = posts.iter().map(post_json).collect();
                let actions: Vec<Value> = actions.iter().map(action_json).collect();
                print_ok(&json!({ "posts": posts, "actions": actions }))?;
            } else {
                let lines = posts
                    .iter()
                    .map(|p| with_type("post", post_json(p)))
                    .chain(actions.iter().map(|a| with_type("action", action_json(a))));
                for v in lines {
                    println!("{}", crate::text::escape_json_output(&v.to_string()));
                }
            }
            Ok(())
        }
        ArchiveAction::Prune(_) => prune(config, json),
    }
}

/// `archive prune`: the whole store (every account), by the configured
/// budgets. Needs no key: nothing is sent and no account is chosen.
pub(super) fn prune(config: &Config, json: bool) -> Result<(), CommandError> {
    let path = existing_path()?;
    let mut store = open(&path)?;
    let max = config.archive_max_mb.saturating_mul(1024 * 1024);
    let p = store
        .prune(
            max,
            config.archive_days,
            chrono::Utc::now().timestamp_millis(),
        )
        .map_err(failed)?;
    if json {
        print_ok(&json!({
            "oldPosts": p.old_posts,
            "sizePosts": p.size_posts,
            "actions": p.actions,
            "bytesBefore": p.bytes_before,
            "bytesAfter": p.bytes_after,
        }))?;
    } else {
        println!(
                "Pruned {} posts not seen for {} days, {} more over the {} MiB budget, {} old actions; {} -> {} in use.",
                p.old_posts,
                config.archive_days,
                p.size_posts,
                config.archive_max_mb,
                p.actions,
                mib(p.bytes_before),
                mib(p.bytes_after)
            );
    }
    Ok(())
}

/// Stores a page `feed` received (`head` = no cursor). The account is the
/// one remembered for this key; unknown, `connect` is asked once.
pub(super) async fn record_page(client: &Client, sort: &str, head: bool, raw: Vec<Value>) {
    let base = client.base_url().to_string();
    let prefix = client.key_prefix().unwrap_or_default().to_string();
    let Some(known) = writable().map(|s| s.find_account(&base, &prefix)) else {
        return;
    };
    let account = match known {
        Ok(Some(a)) => a,
        Ok(None) => match client.connect().await {
            Ok(c) => {
                let remembered =
                    writable().map(|s| s.remember_account(&base, &prefix, &c.agent.id));
                if let Some(Err(e)) = remembered {
                    warn(&format!("could not remember the account: {e}"));
                }
                Account::new(&base, &c.agent.id)
            }
            Err(e) => {
                warn(&format!(
                    "the page was not archived (connect failed: {})",
                    e.user_message()
                ));
                return;
            }
        },
        Err(e) => {
            warn(&format!("the page was not archived: {e}"));
            return;
        }
    };
    if let Some(mut store) = writable() {
        let now = chrono::Utc::now().timestamp_millis();
        if let Err(e) = store.record_page(&account, sort, head, &raw, now) {
            warn(&format!("the page was not archived: {e}"));
        }
    }
}

/// Records the outcome of a like, vote or comment, when this key's account
/// is known (no request is made to learn it).
pub(super) fn record_action<T>(
    client: &Client,
    post_id: &str,
    kind: ActionKind,
    detail: &str,
    result: &Result<T, ApiError>,
) {
    let Some(store) = writable() else { return };
    let prefix = client.key_prefix().unwrap_or_default();
    let account = match store.find_account(client.base_url(), prefix) {
        Ok(Some(a)) => a,
        Ok(None) => return,
        Err(e) => return warn(&format!("the action was not archived: {e}")),
    };
    let action = Action {
        at: chrono::Utc::now().timestamp_millis(),
        post_id: post_id.to_string(),
        kind,
        detail: detail.to_string(),
        outcome: Outcome::of(result),
    };
    if let Err(e) = store.record_action(&account, &action) {
        warn(&format!("the action was not archived: {e}"));
    }
}

fn warn(message: &str) {
    eprintln!("warning: {}", clean_line(message));
}

/// The user's store for writing (created when missing); `None` (after a
/// warning) when it cannot be used.
fn writable() -> Option<Store> {
    let path = crate::store::default_path()?;
    let (store, notice) = Store::open(&path);
    if let Some(n) = notice {
        warn(&n);
    }
    store
        .ok()
        .filter(|s| matches!(s.location(), Location::File(_)))
}

/// The store's path, which must exist (reading never creates one).
fn existing_path() -> Result<PathBuf, CommandError> {
    let path = crate::store::default_path().ok_or_else(|| {
        CommandError::new(
            NO_ARCHIVE,
            "no home directory is known, so there is no archive",
        )
    })?;
    if !path.exists() {
        return Err(CommandError::new(
            NO_ARCHIVE,
            format!(
                "there is no archive yet at {}: open the TUI or run `aispace-tui feed` once to start one",
                shown_path(&path)
            ),
        ));
    }
    Ok(path)
}

fn open(path: &std::path::Path) -> Result<Store, CommandError> {
    let (store, notice) = Store::open(path);
    match store {
        Ok(s) if matches!(s.location(), Location::File(_)) => {
            if let Some(n) = notice {
                warn(&n);
            }
            Ok(s)
        }
        Ok(_) => Err(CommandError::new(
            NO_ARCHIVE,
            notice.unwrap_or_else(|| "the archive could not be opened".to_string()),
        )),
        Err(e) => Err(failed(e)),
    }
}

/// The store and the account of this key at this API URL.
fn open_for_account(client: &Client) -> Result<(Store, Account, PathBuf), CommandError> {
    let path = existing_path()?;
    let store = open(&path)?;
    let prefix = client.key_prefix().unwrap_or_default();
    match store
        .find_account(client.base_url(), prefix)
        .map_err(failed)?
    {
        Some(a) => Ok((store, a, path)),
        None => Err(CommandError::new(
            NO_ARCHIVE,
            format!(
                "nothing is archived for this key at {} yet: open the TUI or run `aispace-tui feed` once while online",
                clean_line(client.base_url())
            ),
        )),
    }
}

fn failed(e: rusqlite::Error) -> CommandError {
    CommandError::new(
        "ARCHIVE",
        format!(
            "the archive could not be read: {}",
            truncate(&clean_line(&e.to_string()), 200)
        ),
    )
}

fn print_posts(rows: &[PostRow], json: bool, none: &str) -> Result<(), CommandError> {
    if json {
        let list: Vec<Value> = rows.iter().map(post_json).collect();
        return print_ok(&json!({ "posts": list }));
    }
    if rows.is_empty() {
        println!("{none}");
    }
    for row in rows {
        match FeedItem::deserialize(&row.raw) {
            Ok(item) => print_feed_row(&item),
            Err(_) => println!("{}  (stored data unreadable)", clean_line(&row.post_id)),
        }
    }
    Ok(())
}

fn post_json(p: &PostRow) -> Value {
    json!({
        "post": p.raw,
        "firstSeen": iso(p.first_seen),
        "lastSeen": iso(p.last_seen),
    })
}

fn action_json(a: &Action) -> Value {
    json!({
        "at": iso(a.at),
        "postId": a.post_id,
        "kind": a.kind.as_str(),
        "detail": a.detail,
        "outcome": a.outcome.as_str(),
        "code": a.outcome.code(),
    })
}

fn with_type(kind: &str, mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        m.insert("type".to_string(), Value::String(kind.to_string()));
    }
    v
}

fn print_action(a: &Action) {
    let outcome = match &a.outcome {
        Outcome::Refused(code) => format!("refused ({})", clean_line(code)),
        other => other.as_str().to_string(),
    };
    let detail = truncate(&clean_line(&a.detail), 60);
    println!(
        "{}  {:<7} {}  {}  {outcome}",
        shown(a.at),
        a.kind.as_str(),
        clean_line(&a.post_id),
        if detail.is_empty() {
            "-".to_string()
        } else {
            detail
        },
    );
}

/// Unix milliseconds as RFC 3339 (UTC).
fn iso(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// Unix milliseconds as `YYYY-MM-DD HH:MM` UTC.
fn shown(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
