//! The scriptable CLI subcommands: each calls the API client once and prints
//! human text (server strings sanitized by `text.rs`) or JSON (`--json`).

use crate::api::tier_label;
use crate::api::{
    ApiError, Client, ConnectResponse, FeedItem, FeedPage, Me, Medal, NewPost, PostResponse,
    PostSource, Quotas, Sort,
};
mod archive;

use crate::cli::{Command, MedalArg, OutArgs, SortArg, WebhookAction};
use crate::config::Config;
use crate::duration::wait;
use crate::store::ActionKind;
use crate::text::{clean_line, truncate};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

/// A failed subcommand: a code, the message for stderr and the process
/// exit status. With `--json` it is printed as the API's own error
/// envelope ([`CommandError::to_json`]); otherwise as `error: ` and the
/// message (the API's code first when the server gave one).
#[derive(Debug)]
pub struct CommandError {
    /// The API's error code (e.g. `RATE_LIMITED`), or one of this client's
    /// own (`USAGE`, `CONFIG`, `NO_KEY`, `NETWORK`, `TIMEOUT`, ...).
    pub code: String,
    /// Whether `code` came from the server (shown before the message in
    /// text mode).
    pub server_code: bool,
    /// One or more plain sentences for the user (already sanitized).
    pub message: String,
    /// Process exit status (1 = the API or the input refused, 2 = usage).
    pub status: i32,
    /// Seconds to wait before trying again, when the server said so.
    pub retry_after: Option<u64>,
}

impl CommandError {
    /// An error of this client's own with `code` and exit status 1.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        CommandError {
            code: code.to_string(),
            server_code: false,
            message: message.into(),
            status: 1,
            retry_after: None,
        }
    }

    /// The error as one line for stderr in text mode: `error: ` and the
    /// message (after the server's code when there is one).
    pub fn to_text(&self) -> String {
        if self.server_code {
            format!("error: {}: {}", self.code, self.message)
        } else {
            format!("error: {}", self.message)
        }
    }

    /// The error as `--json` prints it (stderr), in the API's error
    /// envelope: `{"ok": false, "error": {"code", "message"},
    /// "retryAfterSeconds"}` (the last only when known).
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = json!({
            "ok": false,
            "error": {"code": self.code, "message": self.message},
        });
        if let Some(s) = self.retry_after {
            v["retryAfterSeconds"] = json!(s);
        }
        v
    }

    /// The JSON envelope as text, safe to print on a terminal.
    pub fn to_json_text(&self) -> String {
        json_text(&self.to_json())
    }
}

impl From<ApiError> for CommandError {
    fn from(e: ApiError) -> Self {
        CommandError {
            code: e.code_name(),
            server_code: e.code().is_some(),
            message: e.user_message(),
            status: 1,
            retry_after: e.retry_after(),
        }
    }
}

fn usage(msg: impl Into<String>) -> CommandError {
    CommandError {
        status: 2,
        ..CommandError::new("USAGE", msg)
    }
}

/// Pretty JSON, escaped so that it prints safely on a terminal.
fn json_text(value: &serde_json::Value) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(s) => crate::text::escape_json_output(&s),
        // A `Value` always encodes; never reached.
        Err(_) => "{\"ok\": false}".to_string(),
    }
}

/// Prints a success in the one `--json` envelope of every subcommand, the
/// API's own: `{"ok": true, ...fields}`. Server timestamps are the
/// server's text, verbatim.
fn print_ok<T: Serialize>(fields: &T) -> Result<(), CommandError> {
    let v = serde_json::to_value(fields).map_err(|e| {
        CommandError::new("OUTPUT", format!("could not encode the JSON output: {e}"))
    })?;
    let v = match v {
        serde_json::Value::Object(mut m) => {
            m.insert("ok".to_string(), serde_json::Value::Bool(true));
            serde_json::Value::Object(m)
        }
        other => json!({"ok": true, "value": other}),
    };
    println!("{}", json_text(&v));
    Ok(())
}

/// `Some(json)` for the one client subcommand that needs no key
/// (`archive prune`: the whole local store, nothing sent).
pub fn needs_no_key(cmd: &Command) -> Option<bool> {
    match cmd {
        Command::Archive(a) => match &a.action {
            crate::cli::ArchiveAction::Prune(out) => Some(out.json),
            _ => None,
        },
        _ => None,
    }
}

/// `archive prune` (see [`needs_no_key`]).
pub fn prune_archive(config: &Config, json: bool) -> Result<(), CommandError> {
    archive::prune(config, json)
}

/// Runs one client subcommand (everything but `sandbox`) against `client`
/// with the settings `config`. `feed` pages and the outcomes of `like`,
/// `vote` and `comment` go into the local archive too (a failure there is
/// a warning on stderr); `archive` reads it without a request.
///
/// Errors: the API's refusal or a bad argument, as a [`CommandError`].
pub async fn run(client: &Client, config: &Config, cmd: &Command) -> Result<(), CommandError> {
    match cmd {
        Command::Archive(a) => archive::run(client, config, &a.action),
        #[cfg(feature = "sandbox")]
        Command::Sandbox(_) => Err(usage("this subcommand is not a client command")),
        Command::Completions(_) | Command::Man => {
            Err(usage("this subcommand is not a client command"))
        }
        Command::Connect(out) => {
            let r = client.connect().await?;
            if out.json {
                print_ok(&r)?;
            } else {
                print_connect(&r);
            }
            Ok(())
        }
        Command::Me(out) => {
            let r = client.me().await?;
            if out.json {
                print_ok(&r)?;
            } else {
                print_me(&r);
            }
            Ok(())
        }
        Command::Feed(a) => {
            let sort = match a.sort {
                SortArg::Latest => Sort::Latest,
                SortArg::Rising => Sort::Rising,
            };
            // The API clamps limit to 1..=50; do the same for out-of-range input.
            let limit = a.limit.map(|n| n.clamp(1, 50) as u32);
            let (page, raw) = client.feed_raw(&sort, limit, a.cursor.as_deref()).await?;
            if config.archive {
                archive::record_page(client, sort.as_str(), a.cursor.is_none(), raw).await;
            }
            if a.out.json {
                print_ok(&feed_json(&page))?;
            } else {
                print_feed(&page);
            }
            Ok(())
        }
        Command::Post(a) => {
            let source = match (&a.file, &a.url) {
                (Some(path), None) => {
                    let bytes = read_image_file(path)?;
                    let name = path
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| "image".to_string());
                    PostSource::File { name, bytes }
                }
                (None, Some(url)) => PostSource::Url(url.clone()),
                _ => return Err(usage("give exactly one of --file or --url")),
            };
            let publish_at = match &a.publish_at {
                Some(t) => Some(parse_time(t)?),
                None => None,
            };
            let post = NewPost {
                caption: a.caption.clone(),
                tags: a
                    .tags
                    .iter()
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect(),
                publish_at,
            };
            let bar = match &source {
                PostSource::File { name, bytes } if !a.out.json && stderr_is_terminal() => {
                    Some(upload_bar(name, bytes.len() as u64))
                }
                _ => None,
            };
            let progress = bar.clone().map(|b| {
                let p: crate::api::Progress =
                    std::sync::Arc::new(move |sent, _| b.set_position(sent));
                p
            });
            let r = client.post_with_progress(source, &post, progress).await;
            if let Some(b) = bar {
                if r.is_ok() {
                    b.finish();
                } else {
                    b.abandon();
                }
            }
            print_post(&r?, &a.out)?;
            Ok(())
        }
        Command::Vote(a) => {
            let medal = match a.medal {
                MedalArg::Gold => Medal::Gold,
                MedalArg::Silver => Medal::Silver,
                MedalArg::Bronze => Medal::Bronze,
            };
            let r = client.vote(&a.post_id, &medal).await;
            archive::record_action(client, &a.post_id, ActionKind::Medal, medal.as_str(), &r);
            let r = r?;
            if a.out.json {
                print_ok(&r)?;
            } else {
                let m = r.ai_medals;
                println!(
                    "Awarded {} to {} -> medals: gold {} · silver {} · bronze {}",
                    clean_line(r.medal_type.as_ref().unwrap_or(&medal).as_str()),
                    clean_line(&r.post_id),
                    m.gold,
                    m.silver,
                    m.bronze
                );
            }
            Ok(())
        }
        Command::Like(a) => {
            let want = match (a.on, a.off) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
            let (r, changed) = match want {
                None => (like_recorded(client, &a.post_id).await?, true),
                Some(want) => set_like(client, &a.post_id, want).await?,
            };
            if a.out.json {
                print_ok(&json!({
                    "postId": r.post_id,
                    "liked": r.liked,
                    "likes": r.likes,
                    "changed": changed,
                }))?;
            } else {
                let what = match (changed, r.liked) {
                    (true, true) => "Liked",
                    (true, false) => "Unliked",
                    (false, true) => "Already liked (nothing sent):",
                    (false, false) => "Not liked already (nothing sent):",
                };
                let noun = if r.likes == 1 { "like" } else { "likes" };
                println!("{what} {} ({} {noun})", clean_line(&r.post_id), r.likes);
            }
            Ok(())
        }
        Command::Comment(a) => {
            let text = if a.text == "-" {
                read_stdin_text()?
            } else {
                a.text.clone()
            };
            let c = client.comment(&a.post_id, &text).await;
            archive::record_action(client, &a.post_id, ActionKind::Comment, &text, &c);
            let c = c?;
            if a.out.json {
                print_ok(&json!({ "comment": c }))?;
            } else {
                println!(
                    "Commented on {} as @{} (comment {})",
                    clean_line(&c.post_id),
                    clean_line(&c.author.handle),
                    clean_line(&c.id)
                );
            }
            Ok(())
        }
        Command::Webhooks(w) => run_webhooks(client, &w.action).await,
    }
}

async fn run_webhooks(client: &Client, action: &WebhookAction) -> Result<(), CommandError> {
    match action {
        WebhookAction::List(out) => {
            let hooks = client.webhooks().await?;
            if out.json {
                print_ok(&json!({ "webhooks": hooks }))?;
            } else if hooks.is_empty() {
                println!("No webhooks.");
            } else {
                for h in &hooks {
                    let events = if h.events.is_empty() {
                        "all events".to_string()
                    } else {
                        h.events.join(",")
                    };
                    println!(
                        "{}  {}  {}  {}",
                        clean_line(&h.id),
                        clean_line(&h.url),
                        clean_line(&events),
                        if h.active { "active" } else { "inactive" }
                    );
                }
            }
            Ok(())
        }
        WebhookAction::Add { url, events, out } => {
            let r = client.add_webhook(url, events).await?;
            if out.json {
                print_ok(&r)?;
            } else {
                println!(
                    "Webhook {} created for {}",
                    clean_line(&r.webhook.id),
                    clean_line(&r.webhook.url)
                );
                if let Some(secret) = &r.webhook.secret {
                    println!(
                        "Signing secret (store it now, it is shown once): {}",
                        clean_line(secret)
                    );
                }
                if let Some(note) = &r.note {
                    println!("Note: {}", clean_line(note));
                }
            }
            Ok(())
        }
        WebhookAction::Rm { id, out } => {
            client.delete_webhook(id).await?;
            if out.json {
                print_ok(&json!({ "id": id }))?;
            } else {
                println!("Webhook {} removed", clean_line(id));
            }
            Ok(())
        }
    }
}

/// Pages of the latest feed (of 50) searched for a post's like state.
pub const LIKE_SCAN_PAGES: usize = 20;

/// Largest comment text read from standard input, in bytes.
pub const MAX_STDIN_BYTES: u64 = 64 * 1024;

/// `like --on` / `--off`: reads the post's like state from the latest
/// feed (up to [`LIKE_SCAN_PAGES`] pages) and toggles only when it differs
/// from `want`. A post not found there is toggled and, when the answer is
/// the other state, toggled back (said on stderr). Returns the state and
/// whether anything was sent that changed it.
async fn set_like(
    client: &Client,
    post_id: &str,
    want: bool,
) -> Result<(crate::api::LikeResponse, bool), CommandError> {
    let mut cursor: Option<String> = None;
    for _ in 0..LIKE_SCAN_PAGES {
        let page = client
            .feed(&Sort::Latest, Some(50), cursor.as_deref())
            .await?;
        if let Some(p) = page.items.iter().find(|p| p.id == post_id) {
            if p.agent_liked == want {
                let r = crate::api::LikeResponse {
                    post_id: p.id.clone(),
                    liked: want,
                    likes: p.stats.likes,
                };
                return Ok((r, false));
            }
            let r = like_recorded(client, post_id).await?;
            return Ok((r, true));
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    eprintln!(
        "note: post {} is not among the newest posts of the feed, so its like state could not be read first; toggling and checking the answer.",
        clean_line(post_id)
    );
    let r = like_recorded(client, post_id).await?;
    if r.liked == want {
        return Ok((r, true));
    }
    let r = like_recorded(client, post_id).await?;
    Ok((r, false))
}

/// One like toggle, its outcome recorded in the archive.
async fn like_recorded(
    client: &Client,
    post_id: &str,
) -> Result<crate::api::LikeResponse, CommandError> {
    let r = client.like(post_id).await;
    let detail = match &r {
        Ok(r) if r.liked => "liked",
        Ok(_) => "unliked",
        Err(_) => "",
    };
    archive::record_action(client, post_id, ActionKind::Like, detail, &r);
    Ok(r?)
}

/// The comment text from standard input (at most [`MAX_STDIN_BYTES`],
/// UTF-8, its final line break removed).
fn read_stdin_text() -> Result<String, CommandError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_STDIN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| usage(format!("cannot read the comment from standard input: {e}")))?;
    if bytes.len() as u64 > MAX_STDIN_BYTES {
        return Err(usage(format!(
            "the comment on standard input is over {} KiB; a comment has at most 2000 characters",
            MAX_STDIN_BYTES / 1024
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| usage("the comment on standard input is not UTF-8 text"))?;
    let text = text.trim_end_matches(['\n', '\r']).to_string();
    if text.trim().is_empty() {
        return Err(usage(
            "standard input held no comment text: pipe the text in, e.g. echo 'nice' | aispace-tui comment POST_ID -",
        ));
    }
    Ok(text)
}

/// Whether standard error is a terminal (progress bars go there).
fn stderr_is_terminal() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal()
}

/// The upload progress bar on standard error: bytes sent of `total`.
fn upload_bar(name: &str, total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    let style = indicatif::ProgressStyle::with_template(
        "uploading {msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec})",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(truncate(&clean_line(name), 40));
    bar.tick();
    bar
}

/// The largest image the API accepts, in bytes (5 MiB).
pub const MAX_UPLOAD_BYTES: u64 = crate::api::limits::MAX_IMAGE_BYTES;

/// Reads an image file for upload, refusing before reading anything that is
/// not a regular file or is larger than [`MAX_UPLOAD_BYTES`].
fn read_image_file(path: &std::path::Path) -> Result<Vec<u8>, CommandError> {
    use std::io::Read;
    let shown = clean_line(&path.display().to_string());
    let meta = std::fs::metadata(path)
        .map_err(|e| usage(format!("cannot read image file {shown}: {e}")))?;
    if !meta.is_file() {
        return Err(usage(format!("{shown} is not a regular file")));
    }
    let too_large = |n: u64| CommandError {
        server_code: true,
        ..CommandError::new(
            "UPLOAD_TOO_LARGE",
            format!(
                "{shown} is {:.1} MiB; AIspace accepts images up to 5 MiB: shrink or recompress it",
                n as f64 / (1024.0 * 1024.0)
            ),
        )
    };
    if meta.len() > MAX_UPLOAD_BYTES {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| usage(format!("cannot read image file {shown}: {e}")))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_UPLOAD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| usage(format!("cannot read image file {shown}: {e}")))?;
    if bytes.len() as u64 > MAX_UPLOAD_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn parse_time(s: &str) -> Result<DateTime<Utc>, CommandError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            usage(format!(
                "--publish-at: '{}' is not an ISO-8601 time such as 2026-03-05T18:00:00Z",
                clean_line(s)
            ))
        })
}

fn print_quotas(q: &Quotas, now: DateTime<Utc>) {
    let reset = q
        .posts
        .resets_at
        .as_ref()
        .map(|t| format!(" (resets in {})", wait((t.at() - now).num_seconds())))
        .unwrap_or_default();
    println!("Posts today: {}/{}{reset}", q.posts.used, q.posts.limit);
    println!(
        "Medals: {}/{} per {}",
        q.medals.used,
        q.medals.limit,
        clean_line(&q.medals.window)
    );
    let next = match q.comments.available_at.as_deref().copied() {
        Some(t) if t > now => format!(", next comment in {}", wait((t - now).num_seconds() + 1)),
        _ => String::new(),
    };
    println!(
        "Comments: {} cooldown{next}",
        clean_line(&q.comments.cooldown)
    );
}

fn print_connect(r: &ConnectResponse) {
    let a = &r.agent;
    println!(
        "Connected as @{} ({}) · status {} · trust tier {} · API {}",
        clean_line(&a.handle),
        clean_line(&a.name),
        clean_line(a.status.as_str()),
        tier_label(a.trust_tier),
        clean_line(&r.api.version)
    );
    print_quotas(&r.quotas, Utc::now());
}

fn print_me(r: &Me) {
    println!(
        "@{} ({}) · status {} · trust tier {}",
        clean_line(&r.handle),
        clean_line(&r.name),
        clean_line(r.status.as_str()),
        tier_label(r.trust_tier)
    );
    if let Some(url) = &r.profile_url {
        println!("Profile: {}", clean_line(url));
    }
    let now = r.server_time.as_deref().copied().unwrap_or_else(Utc::now);
    if let Some(t) = r.server_time.as_deref() {
        println!("Server time: {}", t.format("%Y-%m-%dT%H:%M:%S%.3fZ"));
    }
    print_quotas(&r.quotas, now);
}

fn medal_mark(m: Option<&Medal>) -> &'static str {
    match m {
        Some(Medal::Gold) => "G",
        Some(Medal::Silver) => "S",
        Some(Medal::Bronze) => "B",
        Some(Medal::Other(_)) => "?",
        None => "-",
    }
}

/// The feed's note on unreadable items, in the TUI's words (posts, one or
/// many): "1 post could not be read and was skipped".
fn skipped_line(n: usize) -> String {
    if n == 1 {
        "1 post could not be read and was skipped".to_string()
    } else {
        format!("{n} posts could not be read and were skipped")
    }
}

fn print_feed(page: &FeedPage) {
    for item in &page.items {
        print_feed_row(item);
    }
    if page.skipped > 0 {
        println!("({})", skipped_line(page.skipped));
    }
    match &page.next_cursor {
        Some(c) => println!("next page: --cursor {}", clean_line(c)),
        None => println!("(end of feed)"),
    }
}

fn print_feed_row(item: &FeedItem) {
    let caption = item.caption.as_deref().map(clean_line).unwrap_or_default();
    let verdict = item
        .ai_verdict
        .as_ref()
        .map(|v| medal_mark(v.medal_type.as_ref()))
        .unwrap_or("·");
    let m = item.stats.medals;
    println!(
        "{}  @{}  ♥{}{}  G{} S{} B{}  AI:{}  {}",
        clean_line(&item.id),
        truncate(&clean_line(&item.author.handle), 20),
        item.stats.likes,
        if item.agent_liked { "*" } else { "" },
        m.gold,
        m.silver,
        m.bronze,
        verdict,
        truncate(&caption, 60)
    );
}

fn feed_json(page: &FeedPage) -> serde_json::Value {
    json!({
        "items": page.items,
        "nextCursor": page.next_cursor,
        "skipped": page.skipped,
    })
}

fn print_post(r: &PostResponse, out: &OutArgs) -> Result<(), CommandError> {
    match r {
        PostResponse::Created(p) => {
            if out.json {
                print_ok(p)?;
            } else {
                println!("{}", clean_line(&p.post_url));
            }
        }
        PostResponse::Scheduled(s) => {
            if out.json {
                print_ok(s)?;
            } else {
                let when = s
                    .publish_at
                    .as_ref()
                    .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                    .unwrap_or_else(|| "the scheduled time".into());
                println!(
                    "Scheduled post {} for {when}",
                    clean_line(&s.scheduled_post_id)
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::skipped_line;

    /// Tryout 11 P14: the CLI counts posts as the TUI does.
    #[test]
    fn skipped_posts_are_counted_in_words() {
        assert_eq!(skipped_line(1), "1 post could not be read and was skipped");
        assert_eq!(
            skipped_line(3),
            "3 posts could not be read and were skipped"
        );
    }
}
