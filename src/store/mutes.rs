//! Mutes, per account: posts I hid, authors and tags I muted, each with
//! the time it was made. The app hides what they match from the feed
//! (`app/mutes.rs`); here they are only kept, listed and removed.

use super::{Account, Store, StoreHandle};
use rusqlite::params;
use std::time::Duration;

/// What a mute hides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MuteKind {
    /// One post, by id.
    Post,
    /// Every post of an author, by handle.
    Author,
    /// Every post carrying a tag.
    Tag,
}

impl MuteKind {
    /// The stored name: `post`, `author`, `tag`.
    pub fn as_str(self) -> &'static str {
        match self {
            MuteKind::Post => "post",
            MuteKind::Author => "author",
            MuteKind::Tag => "tag",
        }
    }

    fn parse(s: &str) -> Option<MuteKind> {
        match s {
            "post" => Some(MuteKind::Post),
            "author" => Some(MuteKind::Author),
            "tag" => Some(MuteKind::Tag),
            _ => None,
        }
    }
}

/// One mute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mute {
    pub kind: MuteKind,
    /// The post id; the author's handle or the tag, lower-cased, without
    /// `@` or `#` (see [`Mute::normalize`]).
    pub value: String,
    /// What a hidden post was (author and caption, as shown when it was
    /// hidden), for the list of mutes; empty for the other kinds.
    pub label: String,
    /// When it was made (Unix milliseconds).
    pub at: i64,
}

impl Mute {
    /// A mute of `kind` on `value` (normalized), made at `at`.
    pub fn new(kind: MuteKind, value: &str, label: &str, at: i64) -> Mute {
        Mute {
            kind,
            value: Mute::normalize(kind, value),
            label: label.to_string(),
            at,
        }
    }

    /// The stored form of `value`: a post id as it is; a handle or a tag
    /// trimmed, without its `@` / `#`, lower-cased (matching ignores case).
    pub fn normalize(kind: MuteKind, value: &str) -> String {
        match kind {
            MuteKind::Post => value.to_string(),
            MuteKind::Author => value.trim().trim_start_matches('@').to_lowercase(),
            MuteKind::Tag => value.trim().trim_start_matches('#').to_lowercase(),
        }
    }
}

/// A change the app asks the store to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MuteChange {
    /// Keep this mute (an existing one with the same kind and value keeps
    /// its first time).
    Put(Mute),
    /// Forget the mute of this kind on this (normalized) value.
    Remove(MuteKind, String),
}

impl Store {
    /// Keeps `mute` for `account`; the same mute made again changes
    /// nothing.
    pub fn put_mute(&self, account: &Account, mute: &Mute) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO mutes (base_url, agent_id, kind, value, label, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (base_url, agent_id, kind, value) DO NOTHING",
            params![
                account.base_url,
                account.agent_id,
                mute.kind.as_str(),
                mute.value,
                mute.label,
                mute.at
            ],
        )?;
        Ok(())
    }

    /// Forgets the mute of `kind` on `value`; whether there was one.
    pub fn remove_mute(
        &self,
        account: &Account,
        kind: MuteKind,
        value: &str,
    ) -> rusqlite::Result<bool> {
        let n = self.conn.execute(
            "DELETE FROM mutes WHERE base_url = ?1 AND agent_id = ?2 AND kind = ?3 AND value = ?4",
            params![account.base_url, account.agent_id, kind.as_str(), value],
        )?;
        Ok(n > 0)
    }

    /// Makes `change` for `account`.
    pub fn change_mute(&self, account: &Account, change: &MuteChange) -> rusqlite::Result<()> {
        match change {
            MuteChange::Put(m) => self.put_mute(account, m),
            MuteChange::Remove(kind, value) => self.remove_mute(account, *kind, value).map(drop),
        }
    }

    /// The mutes of `account`, oldest first (a row of an unknown kind,
    /// written by a newer build, is left out).
    pub fn mutes(&self, account: &Account) -> rusqlite::Result<Vec<Mute>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, value, label, created_at FROM mutes
             WHERE base_url = ?1 AND agent_id = ?2 ORDER BY created_at, kind, value",
        )?;
        let rows = stmt.query_map(params![account.base_url, account.agent_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (kind, value, label, at) = row?;
            if let Some(kind) = MuteKind::parse(&kind) {
                out.push(Mute {
                    kind,
                    value,
                    label,
                    at,
                });
            }
        }
        Ok(out)
    }
}

impl StoreHandle {
    /// The mutes of `account`, waiting at most `timeout` (start-up).
    pub fn mutes_wait(&self, account: &Account, timeout: Duration) -> Result<Vec<Mute>, String> {
        let account = account.clone();
        self.read_wait(timeout, move |s| s.mutes(&account))
    }

    /// Makes `change` for `account` in the background; `done` hears the
    /// outcome on the store's thread.
    pub fn change_mute(
        &self,
        account: &Account,
        change: MuteChange,
        done: impl FnOnce(Result<(), String>) + Send + 'static,
    ) {
        let account = account.clone();
        self.read(move |s| s.change_mute(&account, &change), done);
    }
}
