//! A key used for the first time while its server was down has no agent
//! id yet: what the app keeps for it (drafts, my actions, posts, mutes) is kept
//! under a stand-in account named by the key's public prefix
//! ([`Account::unconnected`]). When the server first says who the key is,
//! all of it moves to the real account, so nothing typed offline is lost
//! and nothing stays filed under the stand-in.

use super::{Account, Store};
use rusqlite::{params, Transaction};

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
        let who = (base.as_str(), old.as_str(), new.as_str());
        stand_in_wins(&tx, "drafts", "post_id", who)?;
        // The outbox: the stand-in's later decision wins, as for drafts.
        stand_in_wins(&tx, "outbox", "post_id", who)?;
        tx.execute(
            "UPDATE actions SET agent_id = ?3 WHERE base_url = ?1 AND agent_id = ?2",
            params![base, old, new],
        )?;
        agent_wins(&tx, "mutes", who)?;
        tx.execute(
            "DELETE FROM feed_rows WHERE base_url = ?1 AND agent_id = ?2",
            params![base, old],
        )?;
        agent_wins(&tx, "posts", who)?;
        tx.commit()
    }
}

/// Moves the stand-in's rows of `table` (`who`: base URL, stand-in,
/// agent) to the agent; where both have a row with the same `key`, the
/// stand-in's, made later, wins.
fn stand_in_wins(
    tx: &Transaction,
    table: &str,
    key: &str,
    (base, old, new): (&str, &str, &str),
) -> rusqlite::Result<()> {
    tx.execute(
        &format!(
            "DELETE FROM {table} WHERE base_url = ?1 AND agent_id = ?3 AND {key} IN
                 (SELECT {key} FROM {table} WHERE base_url = ?1 AND agent_id = ?2)"
        ),
        params![base, old, new],
    )?;
    tx.execute(
        &format!("UPDATE {table} SET agent_id = ?3 WHERE base_url = ?1 AND agent_id = ?2"),
        params![base, old, new],
    )?;
    Ok(())
}

/// Moves the stand-in's rows of `table` to the agent; where the agent has
/// the same row already, the agent's is kept.
fn agent_wins(
    tx: &Transaction,
    table: &str,
    (base, old, new): (&str, &str, &str),
) -> rusqlite::Result<()> {
    tx.execute(
        &format!(
            "UPDATE OR IGNORE {table} SET agent_id = ?3 WHERE base_url = ?1 AND agent_id = ?2"
        ),
        params![base, old, new],
    )?;
    tx.execute(
        &format!("DELETE FROM {table} WHERE base_url = ?1 AND agent_id = ?2"),
        params![base, old],
    )?;
    Ok(())
}
