//! A key used for the first time while its server was down has no agent
//! id yet: what the app keeps for it (drafts, my actions, posts, mutes) is kept
//! under a stand-in account named by the key's public prefix
//! ([`Account::unconnected`]). When the server first says who the key is,
//! all of it moves to the real account, so nothing typed offline is lost
//! and nothing stays filed under the stand-in.

use super::{Account, Store};
use rusqlite::params;

impl Store {
    /// Moves every row of `from` (a stand-in) to `to` at the same server,
    /// in one transaction: drafts (a stand-in's draft, typed later, wins
    /// over the real account's for the same post), the outbox (likewise), my actions, and posts
    /// (the real account's copy wins where both have one; the stand-in's
    /// kept feed rows are dropped: the next page rebuilds them), and mutes
    /// (the real account's keeps its time where both have the same one).
    pub fn adopt(&mut self, from: &Account, to: &Account) -> rusqlite::Result<()> {
        if from == to || from.base_url != to.base_url {
            return Ok(());
        }
        let (base, old, new) = (&from.base_url, &from.agent_id, &to.agent_id);
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM drafts WHERE base_url = ?1 AND agent_id = ?3 AND post_id IN
                 (SELECT post_id FROM drafts WHERE base_url = ?1 AND agent_id = ?2)",
            params![base, old, new],
        )?;
        tx.execute(
            "UPDATE drafts SET agent_id = ?3 WHERE base_url = ?1 AND agent_id = ?2",
            params![base, old, new],
        )?;
        tx.execute(
            "UPDATE actions SET agent_id = ?3 WHERE base_url = ?1 AND agent_id = ?2",
            params![base, old, new],
        )?;
        // The outbox: the stand-in's later decision wins, as for drafts.
        tx.execute(
            "DELETE FROM outbox WHERE base_url = ?1 AND agent_id = ?3 AND post_id IN
                 (SELECT post_id FROM outbox WHERE base_url = ?1 AND agent_id = ?2)",
            params![base, old, new],
        )?;
        tx.execute(
            "UPDATE outbox SET agent_id = ?3 WHERE base_url = ?1 AND agent_id = ?2",
            params![base, old, new],
        )?;
        tx.execute(
            "UPDATE OR IGNORE mutes SET agent_id = ?3 WHERE base_url = ?1 AND agent_id = ?2",
            params![base, old, new],
        )?;
        tx.execute(
            "DELETE FROM mutes WHERE base_url = ?1 AND agent_id = ?2",
            params![base, old],
        )?;
        tx.execute(
            "DELETE FROM feed_rows WHERE base_url = ?1 AND agent_id = ?2",
            params![base, old],
        )?;
        tx.execute(
            "UPDATE OR IGNORE posts SET agent_id = ?3 WHERE base_url = ?1 AND agent_id = ?2",
            params![base, old, new],
        )?;
        tx.execute(
            "DELETE FROM posts WHERE base_url = ?1 AND agent_id = ?2",
            params![base, old],
        )?;
        tx.commit()
    }
}
