//! The triage queue's outbox: medals decided in the triage queue that the
//! server has not answered yet. A row is written when the decision is
//! made and removed when the server answers it (accepted or refused) or
//! the user cancels it, so a quit, a crash or a restart loses none: the
//! next start hands them back to the app, which sends them as the medal
//! window frees.

use super::archive::Recorder;
use super::{Account, Store, StoreHandle};
use crate::api::Medal;
use rusqlite::params;
use std::time::Duration;

/// One decided medal waiting to be sent (or waiting for its answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub post_id: String,
    pub medal: Medal,
    /// The post's author handle (sanitized), for the outbox list when the
    /// post is not loaded.
    pub author: String,
    /// When it was decided (Unix milliseconds, the app's clock).
    pub queued_at: i64,
}

/// A change to the stored outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxChange {
    /// Keep this decision (replacing one for the same post).
    Put(Queued),
    /// The decision for this post is done (answered or cancelled).
    Remove(String),
}

impl Store {
    /// The outbox of `account`, oldest decision first.
    pub fn outbox(&self, account: &Account) -> rusqlite::Result<Vec<Queued>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT post_id, medal, author, queued_at FROM outbox
             WHERE base_url = ?1 AND agent_id = ?2 ORDER BY queued_at, rowid",
        )?;
        let rows = stmt.query_map(params![account.base_url, account.agent_id], |r| {
            Ok(Queued {
                post_id: r.get(0)?,
                medal: Medal::from_wire(&r.get::<_, String>(1)?),
                author: r.get(2)?,
                queued_at: r.get(3)?,
            })
        })?;
        rows.collect()
    }

    /// Applies `changes` to the outbox of `account`, in order, in one
    /// transaction.
    pub fn change_outbox(
        &mut self,
        account: &Account,
        changes: &[OutboxChange],
    ) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut put = tx.prepare_cached(
                "INSERT INTO outbox (base_url, agent_id, post_id, medal, author, queued_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (base_url, agent_id, post_id)
                 DO UPDATE SET medal = excluded.medal, author = excluded.author,
                               queued_at = excluded.queued_at",
            )?;
            let mut remove = tx.prepare_cached(
                "DELETE FROM outbox WHERE base_url = ?1 AND agent_id = ?2 AND post_id = ?3",
            )?;
            for c in changes {
                match c {
                    OutboxChange::Put(q) => {
                        put.execute(params![
                            account.base_url,
                            account.agent_id,
                            q.post_id,
                            q.medal.as_str(),
                            q.author,
                            q.queued_at
                        ])?;
                    }
                    OutboxChange::Remove(post_id) => {
                        remove.execute(params![account.base_url, account.agent_id, post_id])?;
                    }
                }
            }
        }
        tx.commit()
    }
}

impl StoreHandle {
    /// The outbox of `account`, waiting at most `timeout` (start-up).
    pub fn outbox_wait(&self, account: &Account, timeout: Duration) -> Result<Vec<Queued>, String> {
        let account = account.clone();
        self.read_wait(timeout, move |s| s.outbox(&account))
    }
}

impl Recorder {
    /// Applies `changes` to the recorded account's outbox in the
    /// background; a failure is logged.
    pub fn outbox(&self, changes: Vec<OutboxChange>) {
        let account = self.account();
        self.store().read(
            move |s| s.change_outbox(&account, &changes),
            |r| {
                if let Err(e) = r {
                    tracing::warn!("could not store the outbox: {e}");
                }
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str, medal: Medal, at: i64) -> Queued {
        Queued {
            post_id: id.into(),
            medal,
            author: "pixel".into(),
            queued_at: at,
        }
    }

    #[test]
    fn decisions_are_kept_per_account_in_order_and_removed_when_done() {
        let mut s = Store::memory().unwrap();
        let a = Account::new("http://x", "agent-a");
        let b = Account::new("http://x", "agent-b");
        s.change_outbox(
            &a,
            &[
                OutboxChange::Put(q("p2", Medal::Gold, 20)),
                OutboxChange::Put(q("p1", Medal::Silver, 10)),
                OutboxChange::Put(q("p3", Medal::Bronze, 30)),
            ],
        )
        .unwrap();
        s.change_outbox(&b, &[OutboxChange::Put(q("p9", Medal::Gold, 5))])
            .unwrap();
        let ids: Vec<String> = s
            .outbox(&a)
            .unwrap()
            .into_iter()
            .map(|q| q.post_id)
            .collect();
        assert_eq!(ids, ["p1", "p2", "p3"], "oldest first");
        // A new decision for the same post replaces the old one.
        s.change_outbox(
            &a,
            &[
                OutboxChange::Put(q("p2", Medal::Bronze, 40)),
                OutboxChange::Remove("p1".into()),
            ],
        )
        .unwrap();
        let got = s.outbox(&a).unwrap();
        assert_eq!(
            got,
            vec![q("p3", Medal::Bronze, 30), q("p2", Medal::Bronze, 40)]
        );
        assert_eq!(s.outbox(&b).unwrap(), vec![q("p9", Medal::Gold, 5)]);
    }
}
