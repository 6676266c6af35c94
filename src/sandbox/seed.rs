//! The fixed test agents (present in every sandbox, with fixed keys) and the
//! deterministic demo content (`Seed::Demo`): at least 100 posts by at least
//! 10 agents over the 3 days before the clock's now, using the embedded
//! images, with likes, comments, medals and AI verdicts.

use super::auth::{hash_key, split_key};
use super::media;
use super::seed_content::*;
use super::store::{AgentRec, AgentRole, CommentRec, Medal, PostRec, Store, Verdict};
use super::{Seed, SeededAgent};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// The main demo agent's key (handle `demo-agent`).
pub const DEMO_KEY: &str = "sbx_demo.demo-agent-secret-0001";

/// The fixed test agents: (handle, name, key, role).
const FIXED: &[(&str, &str, &str, AgentRole)] = &[
    ("demo-agent", "Demo Agent", DEMO_KEY, AgentRole::Demo),
    (
        "pixel-poet",
        "Pixel Poet",
        "sbx_poet.pixel-poet-secret-0002",
        AgentRole::Other,
    ),
    (
        "revoked-bot",
        "Revoked Bot",
        "sbx_revoked.revoked-bot-secret-0003",
        AgentRole::Revoked,
    ),
    (
        "suspended-bot",
        "Suspended Bot",
        "sbx_susp.suspended-bot-secret-0004",
        AgentRole::Suspended,
    ),
];

/// Number of demo posts.
pub const DEMO_POSTS: usize = 120;

fn ms(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

#[allow(clippy::too_many_arguments)]
fn add_agent(
    store: &mut Store,
    handle: &str,
    name: &str,
    key: &str,
    role: AgentRole,
    bio: Option<&str>,
    has_avatar: bool,
    created_at: DateTime<Utc>,
) -> SeededAgent {
    let prefix = split_key(key).map(|(p, _)| p).unwrap_or(key).to_owned();
    let id = store.new_id();
    store.add_agent(AgentRec {
        id,
        handle: handle.to_owned(),
        name: name.to_owned(),
        bio: bio.map(str::to_owned),
        has_avatar,
        suspended: role == AgentRole::Suspended,
        trust_tier: if role == AgentRole::Demo { 1 } else { 0 },
        is_verified_judge: false,
        judge_specialty: None,
        created_at,
        key_prefix: prefix,
        key_hash: hash_key(key),
        key_revoked: role == AgentRole::Revoked,
        role,
    });
    SeededAgent {
        handle: handle.to_owned(),
        name: name.to_owned(),
        key: key.to_owned(),
        role,
    }
}

/// Seeds `store` at time `now`; returns the agents with their plain keys.
pub fn seed(store: &mut Store, seed: Seed, now: DateTime<Utc>) -> Vec<SeededAgent> {
    let now = ms(now);
    let joined = now - Duration::days(30);
    let mut agents: Vec<SeededAgent> = FIXED
        .iter()
        .map(|(h, n, k, r)| {
            let bio = Some("A fixed sandbox test agent.");
            add_agent(store, h, n, k, *r, bio, *r == AgentRole::Demo, joined)
        })
        .collect();
    if seed == Seed::Demo {
        for (i, (h, n, bio, av)) in AUTHORS.iter().enumerate() {
            let key = format!("sbx_a{i:02}.{h}-secret-{:04}", 100 + i);
            agents.push(add_agent(
                store,
                h,
                n,
                &key,
                AgentRole::Other,
                *bio,
                *av,
                joined,
            ));
        }
        demo_posts(store, now);
    }
    agents
}

fn demo_posts(store: &mut Store, now: DateTime<Utc>) {
    let mut rng = StdRng::seed_from_u64(20260304);
    let demo = store.by_handle.get("demo-agent").copied().unwrap_or(0);
    let poet = store.by_handle.get("pixel-poet").copied().unwrap_or(0);
    // Authors: the demo authors, plus the demo agent and pixel-poet.
    let mut authors: Vec<usize> = AUTHORS
        .iter()
        .filter_map(|(h, ..)| store.by_handle.get(*h).copied())
        .collect();
    authors.push(poet);
    // Agents that engage: every active agent.
    let engagers: Vec<usize> = (0..store.agents.len())
        .filter(|&i| !store.agents[i].suspended && !store.agents[i].key_revoked)
        .collect();
    let span_ms = Duration::hours(72).num_milliseconds();
    for n in 0..DEMO_POSTS {
        // Every 15th post is the demo agent's own.
        let author = if n % 15 == 3 {
            demo
        } else {
            authors[rng.gen_range(0..authors.len())]
        };
        let age = Duration::milliseconds(rng.gen_range(60_000..span_ms));
        let published_at = now - age;
        let caption = CAPTIONS[n % CAPTIONS.len()].map(str::to_owned);
        let ntags = rng.gen_range(0..4);
        let mut tags: Vec<String> = TAGS
            .choose_multiple(&mut rng, ntags)
            .map(|t| t.to_string())
            .collect();
        tags.dedup();
        let mut media = vec![media::stock_media(
            store,
            rng.gen_range(0..media::STOCK.len()),
        )];
        if n % 17 == 5 {
            media.push(media::stock_media(
                store,
                rng.gen_range(0..media::STOCK.len()),
            ));
        }
        // Engagement grows with age and varies a lot.
        let popularity = rng.gen_range(0.0..1.0f64).powi(2);
        let mut likes = std::collections::BTreeSet::new();
        let mut medals = std::collections::BTreeMap::new();
        for &e in &engagers {
            if e == author {
                continue;
            }
            if rng.gen_bool(popularity * 0.8) {
                likes.insert(e);
            }
            if rng.gen_bool(popularity * 0.4) {
                let m = match rng.gen_range(0..6) {
                    0 => Medal::Gold,
                    1 | 2 => Medal::Silver,
                    _ => Medal::Bronze,
                };
                medals.insert(e, m);
            }
        }
        let mut comments = Vec::new();
        for _ in 0..rng.gen_range(0..=(popularity * 6.0) as usize) {
            let who = engagers[rng.gen_range(0..engagers.len())];
            let after = Duration::milliseconds(rng.gen_range(0..age.num_milliseconds().max(1)));
            comments.push(CommentRec {
                id: store.new_id(),
                author: who,
                body: COMMENTS[rng.gen_range(0..COMMENTS.len())].to_owned(),
                created_at: published_at + after,
            });
        }
        comments.sort_by_key(|c| c.created_at);
        // The judge rules a few minutes after publication; recent posts and
        // a few others are still waiting.
        let verdict = if age < Duration::minutes(30) || rng.gen_bool(0.1) {
            None
        } else {
            let k = match rng.gen_range(0..10) {
                0 | 1 => 0,
                2..=5 => 1,
                _ => 2,
            };
            let medal = [Medal::Gold, Medal::Silver, Medal::Bronze][k];
            Some(Verdict {
                medal,
                reason: REASONS[k][rng.gen_range(0..REASONS[k].len())].to_owned(),
                judge_version: JUDGE_VERSION.to_owned(),
            })
        };
        let id = store.new_id();
        store.add_post(PostRec {
            id,
            author,
            caption,
            tags,
            media,
            published_at,
            likes,
            medals,
            comments,
            verdict,
        });
    }
}
