//! The local store: one SQLite database (the `rusqlite` crate with its
//! bundled SQLite) at [`default_path`]
//! (`$XDG_DATA_HOME/aispace-tui/archive.sqlite3`, directory mode 0700,
//! file mode 0600), shared safely by several running instances (WAL
//! journal, a busy timeout). The schema is versioned by SQLite's
//! `user_version` and brought up to date by [`MIGRATIONS`] when opened.
//!
//! Everything in it belongs to an [`Account`]: the API base URL plus the
//! agent id that `connect` answered. Offline, the account is found from the
//! base URL and the key's public prefix, remembered at the last successful
//! connect ([`Store::remember_account`]); the key's secret part is never
//! stored.
//!
//! [`Store::open`] never fails: a damaged file is moved aside (a new name
//! with a time stamp, never replacing an earlier one) and a fresh store is
//! made; a directory or file that cannot be used gives a store in memory.
//! Either way a sentence for the status line says what happened.
//!
//! This module is synchronous; the running app talks to it through the
//! background thread of `store/writer.rs` ([`StoreHandle`]), never from the
//! UI thread.

mod actions;
mod adopt;
mod archive;
mod charts;
mod mutes;
mod outbox;
mod posts;
mod prune;
mod search;
mod writer;

pub use actions::{Action, ActionKind, Outcome};
pub use archive::Recorder;
pub use charts::{Charts, HOURS, TOP_AUTHORS};
pub use mutes::{Mute, MuteChange, MuteKind};
pub use outbox::{OutboxChange, Queued};
pub use posts::{PostRow, TimelineRow, FEED_ROWS_KEPT, SEEN_STEP_MS};
pub use prune::ACTIONS_KEPT_DAYS;
pub use prune::{Pruned, Stats};
pub use search::fts_query;
pub use writer::{StoreHandle, WAIT};

use crate::config::shown_path;
use crate::drafts::Drafts;
use rusqlite::{params, Connection, ErrorCode, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The store's file name inside the data directory.
pub const FILE_NAME: &str = "archive.sqlite3";

/// How long a write waits for another instance's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The schema, one step per version: applying `MIGRATIONS[i]` takes a store
/// at `user_version` i to i + 1. Never edit a step once released; add one.
pub const MIGRATIONS: &[&str] = &[
    // 1: accounts, drafts, one-off markers.
    "CREATE TABLE accounts (
         base_url   TEXT NOT NULL,
         key_prefix TEXT NOT NULL,
         agent_id   TEXT NOT NULL,
         seen_at    INTEGER NOT NULL,
         PRIMARY KEY (base_url, key_prefix)
     );
     CREATE TABLE drafts (
         base_url   TEXT NOT NULL,
         agent_id   TEXT NOT NULL,
         post_id    TEXT NOT NULL,
         body       TEXT NOT NULL,
         open       INTEGER NOT NULL DEFAULT 0,
         updated_at INTEGER NOT NULL,
         PRIMARY KEY (base_url, agent_id, post_id)
     );
     CREATE TABLE meta (
         key   TEXT PRIMARY KEY,
         value TEXT NOT NULL
     );",
    // 2: the archive: posts as received, their counts/verdict timeline,
    // the last feed per sort, my actions, and a full-text index.
    "CREATE TABLE posts (
         id           INTEGER PRIMARY KEY,
         base_url     TEXT NOT NULL,
         agent_id     TEXT NOT NULL,
         post_id      TEXT NOT NULL,
         raw          TEXT NOT NULL,
         author       TEXT NOT NULL,
         caption      TEXT NOT NULL,
         tags         TEXT NOT NULL,
         reason       TEXT NOT NULL,
         published_ms INTEGER,
         likes        INTEGER NOT NULL,
         medals       INTEGER NOT NULL,
         comments     INTEGER NOT NULL,
         verdict      TEXT,
         first_seen   INTEGER NOT NULL,
         last_seen    INTEGER NOT NULL,
         UNIQUE (base_url, agent_id, post_id)
     );
     CREATE INDEX posts_by_author ON posts (base_url, agent_id, author COLLATE NOCASE, published_ms);
     CREATE INDEX posts_by_last_seen ON posts (last_seen);
     CREATE TABLE post_counts (
         post  INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
         at    INTEGER NOT NULL,
         likes    INTEGER NOT NULL,
         medals   INTEGER NOT NULL,
         comments INTEGER NOT NULL,
         verdict  TEXT
     );
     CREATE INDEX post_counts_by_post ON post_counts (post, at);
     CREATE TABLE feed_rows (
         base_url TEXT NOT NULL,
         agent_id TEXT NOT NULL,
         sort     TEXT NOT NULL,
         seq      INTEGER NOT NULL,
         post     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
         PRIMARY KEY (base_url, agent_id, sort, post)
     );
     CREATE INDEX feed_rows_in_order ON feed_rows (base_url, agent_id, sort, seq);
     CREATE INDEX feed_rows_by_post ON feed_rows (post);
     CREATE TABLE actions (
         id       INTEGER PRIMARY KEY,
         base_url TEXT NOT NULL,
         agent_id TEXT NOT NULL,
         at       INTEGER NOT NULL,
         post_id  TEXT NOT NULL,
         kind     TEXT NOT NULL,
         detail   TEXT NOT NULL,
         outcome  TEXT NOT NULL,
         code     TEXT
     );
     CREATE INDEX actions_by_time ON actions (base_url, agent_id, at);
     CREATE VIRTUAL TABLE posts_fts USING fts5 (
         caption, tags, author, reason,
         content = 'posts', content_rowid = 'id',
         tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
     );
     CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
         INSERT INTO posts_fts (rowid, caption, tags, author, reason)
         VALUES (new.id, new.caption, new.tags, new.author, new.reason);
     END;
     CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
         INSERT INTO posts_fts (posts_fts, rowid, caption, tags, author, reason)
         VALUES ('delete', old.id, old.caption, old.tags, old.author, old.reason);
     END;
     CREATE TRIGGER posts_fts_update AFTER UPDATE OF caption, tags, author, reason ON posts BEGIN
         INSERT INTO posts_fts (posts_fts, rowid, caption, tags, author, reason)
         VALUES ('delete', old.id, old.caption, old.tags, old.author, old.reason);
         INSERT INTO posts_fts (rowid, caption, tags, author, reason)
         VALUES (new.id, new.caption, new.tags, new.author, new.reason);
     END;",
    // 3: cheaper page writes: the full-text index without prefix indexes
    // (a prefix query scans one sorted range of terms anyway) and no index
    // on last_seen (only the background prune orders by it).
    "DROP INDEX posts_by_last_seen;
     DROP TABLE posts_fts;
     CREATE VIRTUAL TABLE posts_fts USING fts5 (
         caption, tags, author, reason,
         content = 'posts', content_rowid = 'id',
         tokenize = 'unicode61 remove_diacritics 2'
     );
     INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');",
    // 4: mutes: posts I hid, authors and tags I muted (`store/mutes.rs`).
    "CREATE TABLE mutes (
         base_url   TEXT NOT NULL,
         agent_id   TEXT NOT NULL,
         kind       TEXT NOT NULL CHECK (kind IN ('post', 'author', 'tag')),
         value      TEXT NOT NULL,
         label      TEXT NOT NULL DEFAULT '',
         created_at INTEGER NOT NULL,
         PRIMARY KEY (base_url, agent_id, kind, value)
     );",
    // 5: the triage queue's outbox: medals decided but not yet answered
    // by the server (sent as the medal window frees, also after a restart).
    "CREATE TABLE outbox (
         base_url  TEXT NOT NULL,
         agent_id  TEXT NOT NULL,
         post_id   TEXT NOT NULL,
         medal     TEXT NOT NULL,
         author    TEXT NOT NULL,
         queued_at INTEGER NOT NULL,
         PRIMARY KEY (base_url, agent_id, post_id)
     );",
];

/// How large the write-ahead log may grow before an idle moment folds it
/// back into the store file (SQLite's own default: 1000 pages of 4 KiB).
const WAL_CHECKPOINT_BYTES: u64 = 4 * 1024 * 1024;

impl Store {
    /// Folds the write-ahead log back into the store file when it has
    /// grown past [`WAL_CHECKPOINT_BYTES`] (the store's thread calls this
    /// when it has nothing else to do). A reader of another instance may
    /// hold part of it back; the next idle moment finishes.
    pub fn checkpoint_if_due(&mut self) {
        let Location::File(path) = &self.location else {
            return;
        };
        let mut wal = path.clone().into_os_string();
        wal.push("-wal");
        let big = std::fs::metadata(&wal).is_ok_and(|m| m.len() >= WAL_CHECKPOINT_BYTES);
        if big {
            let done = self
                .conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            if let Err(e) = done {
                tracing::warn!("could not fold the archive's log into it: {e}");
            }
        }
    }
}

/// The schema version this build writes.
pub fn schema_version() -> u32 {
    u32::try_from(MIGRATIONS.len()).unwrap_or(u32::MAX)
}

/// `$XDG_DATA_HOME/aispace-tui/archive.sqlite3`; `None` when no home
/// directory is known.
pub fn default_path() -> Option<PathBuf> {
    crate::config::data_dir().map(|d| d.join(FILE_NAME))
}

/// How a stand-in account's agent id starts.
const STAND_IN: &str = "key:";

/// Whose data a row is: the API base URL and the agent id from `connect`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Account {
    /// The normalized API base URL.
    pub base_url: String,
    /// The agent id `connect` answered (or, for a key never connected,
    /// `key:<public prefix>`).
    pub agent_id: String,
}

impl Account {
    /// The account of `agent_id` at `base_url`.
    pub fn new(base_url: &str, agent_id: &str) -> Self {
        Account {
            base_url: base_url.to_string(),
            agent_id: agent_id.to_string(),
        }
    }

    /// The stand-in for a key that never connected to `base_url` (offline
    /// at its first start): its drafts are kept under its public prefix.
    pub fn unconnected(base_url: &str, key_prefix: &str) -> Self {
        Account::new(base_url, &format!("{STAND_IN}{key_prefix}"))
    }

    /// Whether this is a stand-in (see [`Account::unconnected`]).
    pub fn is_stand_in(&self) -> bool {
        self.agent_id.starts_with(STAND_IN)
    }
}

/// Where the store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// This file.
    File(PathBuf),
    /// Memory only: gone when the process ends.
    Memory,
}

/// An open store (one connection).
pub struct Store {
    conn: Connection,
    location: Location,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

/// Why a store could not be opened.
#[derive(Debug, thiserror::Error)]
enum OpenError {
    /// The file is not a database or is damaged: move it aside.
    #[error("{0}")]
    Damaged(String),
    /// Anything else (permissions, a full disk, a newer schema): leave it.
    #[error("{0}")]
    Unusable(String),
}

fn classify(e: &rusqlite::Error) -> OpenError {
    let text = crate::text::truncate(&crate::text::clean_line(&e.to_string()), 200);
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => OpenError::Damaged(text),
        _ => OpenError::Unusable(text),
    }
}

impl Store {
    /// A store that lives in memory only (`--demo`, and the fallback when
    /// the file cannot be used). Fails only when SQLite cannot allocate.
    pub fn memory() -> rusqlite::Result<Store> {
        let conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", true)?;
        let mut store = Store {
            conn,
            location: Location::Memory,
        };
        store.migrate().map_err(|e| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
                Some(e.to_string()),
            )
        })?;
        Ok(store)
    }

    /// Opens (creating or migrating) the store at `path`. Never fails: a
    /// damaged file is moved aside and a fresh one made; an unusable
    /// directory or file gives a store in memory. The sentence, when there
    /// is one, is for the status line.
    pub fn open(path: &Path) -> (rusqlite::Result<Store>, Option<String>) {
        match Store::try_open(path) {
            Ok(store) => (Ok(store), None),
            Err(OpenError::Damaged(reason)) => {
                let moved = match move_aside(path) {
                    Ok(to) => to,
                    Err(e) => {
                        return (
                            Store::memory(),
                            Some(format!(
                                "The archive {} is damaged ({reason}) and could not be moved aside ({e}); drafts and the triage outbox are kept in memory only until you quit.",
                                shown_path(path)
                            )),
                        )
                    }
                };
                match Store::try_open(path) {
                    Ok(store) => (
                        Ok(store),
                        Some(format!(
                            "The archive was damaged ({reason}); it was moved to {} and a new one started.",
                            shown_path(&moved)
                        )),
                    ),
                    Err(e) => (Store::memory(), Some(memory_warning(path, &e.to_string()))),
                }
            }
            Err(OpenError::Unusable(reason)) => {
                (Store::memory(), Some(memory_warning(path, &reason)))
            }
        }
    }

    fn try_open(path: &Path) -> Result<Store, OpenError> {
        let unusable = |e: std::io::Error| {
            OpenError::Unusable(crate::text::truncate(
                &crate::text::clean_line(&e.to_string()),
                200,
            ))
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(unusable)?;
        }
        create_private_file(path).map_err(unusable)?;
        let conn = Connection::open(path).map_err(|e| classify(&e))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| classify(&e))?;
        // The first statement that reads the file: a damaged one fails here.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| classify(&e))?;
        // The log is folded back into the file when the store's thread is
        // idle ([`Store::checkpoint_if_due`]), not in the middle of a page
        // write (it was half of a 50-post page's time).
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(|e| classify(&e))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| classify(&e))?;
        incremental_vacuum_on(&conn);
        let mut store = Store {
            conn,
            location: Location::File(path.to_path_buf()),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Where this store lives.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The schema version of the open store.
    pub fn version(&self) -> rusqlite::Result<u32> {
        self.conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
    }

    /// Applies the migrations the store lacks, each in its own transaction.
    /// A store newer than this build is left untouched (an error).
    fn migrate(&mut self) -> Result<(), OpenError> {
        let have = self.version().map_err(|e| classify(&e))?;
        let want = schema_version();
        if have > want {
            return Err(OpenError::Unusable(format!(
                "it was written by a newer aispace-tui (schema {have}, this one knows {want})"
            )));
        }
        for (i, step) in MIGRATIONS.iter().enumerate().skip(have as usize) {
            let tx = self.conn.transaction().map_err(|e| classify(&e))?;
            tx.execute_batch(step).map_err(|e| classify(&e))?;
            tx.pragma_update(None, "user_version", i + 1)
                .map_err(|e| classify(&e))?;
            tx.commit().map_err(|e| classify(&e))?;
        }
        Ok(())
    }

    /// Remembers that the key with `key_prefix` is `agent_id` at
    /// `base_url` (after a successful `connect`).
    pub fn remember_account(
        &self,
        base_url: &str,
        key_prefix: &str,
        agent_id: &str,
    ) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO accounts (base_url, key_prefix, agent_id, seen_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (base_url, key_prefix)
             DO UPDATE SET agent_id = excluded.agent_id, seen_at = excluded.seen_at",
            params![base_url, key_prefix, agent_id, now_millis()],
        )?;
        Ok(())
    }

    /// The account remembered for the key with `key_prefix` at `base_url`.
    pub fn find_account(
        &self,
        base_url: &str,
        key_prefix: &str,
    ) -> rusqlite::Result<Option<Account>> {
        self.conn
            .query_row(
                "SELECT agent_id FROM accounts WHERE base_url = ?1 AND key_prefix = ?2",
                params![base_url, key_prefix],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map(|id| id.map(|id| Account::new(base_url, &id)))
    }

    /// The drafts of `account` (and which one had its editor open).
    pub fn drafts(&self, account: &Account) -> rusqlite::Result<Drafts> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT post_id, body, open FROM drafts
             WHERE base_url = ?1 AND agent_id = ?2 ORDER BY post_id",
        )?;
        let rows = stmt.query_map(params![account.base_url, account.agent_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        let mut map = std::collections::BTreeMap::new();
        let mut open = None;
        for row in rows {
            let (id, body, is_open) = row?;
            if is_open {
                open = Some(id.clone());
            }
            map.insert(id, body);
        }
        Ok(Drafts::from_map(&map, open.as_deref()))
    }

    /// Writes the rows of `account` that differ between `before` (what
    /// this process last read or wrote) and `after`, in one transaction:
    /// other posts' rows (another instance's drafts) are left alone.
    pub fn write_drafts(
        &mut self,
        account: &Account,
        before: &Drafts,
        after: &Drafts,
    ) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO drafts (base_url, agent_id, post_id, body, open, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (base_url, agent_id, post_id)
                 DO UPDATE SET body = excluded.body, open = excluded.open,
                               updated_at = excluded.updated_at",
            )?;
            let mut delete = tx.prepare_cached(
                "DELETE FROM drafts WHERE base_url = ?1 AND agent_id = ?2 AND post_id = ?3",
            )?;
            let now = now_millis();
            for (id, body) in after.iter() {
                let is_open = after.open() == Some(id);
                let same = before.get(id) == Some(body) && (before.open() == Some(id)) == is_open;
                if !same {
                    upsert.execute(params![
                        account.base_url,
                        account.agent_id,
                        id,
                        body,
                        is_open,
                        now
                    ])?;
                }
            }
            for (id, _) in before.iter() {
                if after.get(id).is_none() {
                    delete.execute(params![account.base_url, account.agent_id, id])?;
                }
            }
        }
        tx.commit()
    }

    /// Imports the drafts of the old `drafts.json` at `legacy` into
    /// `account`, once per store (later calls do nothing; the file is left
    /// alone). Drafts already in the store win. Returns how many were
    /// imported and a warning when the file could not be read.
    pub fn import_legacy_drafts(
        &mut self,
        account: &Account,
        legacy: &Path,
    ) -> rusqlite::Result<(usize, Option<String>)> {
        const DONE: &str = "legacy_drafts_imported";
        let done: Option<String> = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [DONE], |r| {
                r.get(0)
            })
            .optional()?;
        if done.is_some() {
            return Ok((0, None));
        }
        let (old, warning) = Drafts::load(legacy);
        let tx = self.conn.transaction()?;
        let mut n = 0;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO drafts (base_url, agent_id, post_id, body, open, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            let now = now_millis();
            for (id, body) in old.iter() {
                let is_open = old.open() == Some(id);
                n += insert.execute(params![
                    account.base_url,
                    account.agent_id,
                    id,
                    body,
                    is_open,
                    now
                ])?;
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)",
                params![DONE, format!("{} {}", account.base_url, account.agent_id)],
            )?;
        }
        tx.commit()?;
        Ok((n, warning))
    }
}

/// Turns on foreign keys (a pruned post takes its timeline and feed rows
/// with it) and incremental vacuum (pruning gives the space back): a new
/// file takes the setting at once, a store from before it (schema 1, drafts
/// only, small) is vacuumed once. A failure only costs disk space.
fn incremental_vacuum_on(conn: &Connection) {
    if let Err(e) = conn.pragma_update(None, "foreign_keys", true) {
        tracing::warn!("could not turn on foreign keys in the archive: {e}");
    }
    let mode: i64 = conn
        .pragma_query_value(None, "auto_vacuum", |r| r.get(0))
        .unwrap_or(2);
    if mode == 2 {
        return;
    }
    let r = conn
        .pragma_update(None, "auto_vacuum", "INCREMENTAL")
        .and_then(|()| conn.execute_batch("VACUUM"));
    if let Err(e) = r {
        tracing::warn!("could not turn on incremental vacuum in the archive: {e}");
    }
}

fn memory_warning(path: &Path, reason: &str) -> String {
    format!(
        "Cannot use the archive {} ({reason}); drafts and the triage outbox are kept in memory only until you quit.",
        shown_path(path)
    )
}

fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Renames the damaged store at `path` (and its `-wal`/`-shm` files) to
/// `<name>.damaged-<UTC time stamp>[-N]`, never over an existing file.
/// Returns the new name.
fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let name = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let mut n = 1u32;
    let target = loop {
        let candidate = if n == 1 {
            path.with_file_name(format!("{name}.damaged-{stamp}"))
        } else {
            path.with_file_name(format!("{name}.damaged-{stamp}-{n}"))
        };
        // hard_link fails when the target exists: never replaces one.
        match std::fs::hard_link(path, &candidate) {
            Ok(()) => break candidate,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(e),
        }
    };
    std::fs::remove_file(path)?;
    for suffix in ["-wal", "-shm"] {
        let side = path.with_file_name(format!("{name}{suffix}"));
        if side.exists() {
            let mut to = target.as_os_str().to_owned();
            to.push(suffix);
            let _ = std::fs::rename(&side, PathBuf::from(to));
        }
    }
    Ok(target)
}

pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Creates `path` with mode 0600 when it does not exist (SQLite would use
/// the umask), and makes an existing one private.
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode() & 0o777;
        if mode != 0o600 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod archive_tests;
#[cfg(test)]
mod charts_tests;
#[cfg(test)]
mod mutes_tests;
#[cfg(test)]
mod tests;
