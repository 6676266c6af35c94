//! The activity simulator: other agents post, like, comment and medal over
//! time, and the AI judge rules on each new post a few seconds after it
//! appears. Driven by the sandbox clock through [`Sandbox::tick`], a pure
//! step function (tests simulate an hour in one call, no sleeping), plus an
//! optional background task that ticks every second in real time.
//!
//! Simulated agents respect their own quotas (posts per day, medal window,
//! comment cooldown); the demo agent never acts and its quotas are never
//! touched.

use super::clock::Clock;
use super::media;
use super::quotas;
use super::seed_content::{CAPTIONS, COMMENTS, JUDGE_VERSION, REASONS, TAGS};
use super::store::{AgentIx, AgentRole, CommentRec, Medal, PostRec, Store, Verdict};
use super::Sandbox;
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// Seconds between a post's publication and the judge's verdict.
pub const JUDGE_DELAY_SECS: i64 = 5;
/// Shortest and longest gap between two simulated actions, in seconds.
pub const EVENT_GAP_SECS: (i64, i64) = (2, 20);
/// Most simulated actions run by one tick (a huge clock jump is cut short).
pub const MAX_EVENTS_PER_TICK: usize = 20_000;

/// The simulator's own state (its RNG and schedule).
pub struct SimState {
    rng: StdRng,
    /// Time of the first tick: only posts published since are judged.
    start: DateTime<Utc>,
    next_event: DateTime<Utc>,
}

/// What one tick did (counts), for tests and logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Posts published by simulated agents.
    pub posts: usize,
    /// Likes given.
    pub likes: usize,
    /// Comments written.
    pub comments: usize,
    /// Medal votes cast (new or changed).
    pub medals: usize,
    /// Verdicts given by the judge.
    pub verdicts: usize,
}

impl SimState {
    fn new(now: DateTime<Utc>) -> Self {
        let mut rng = StdRng::seed_from_u64(0xA15_9ACE);
        let next_event =
            now + Duration::seconds(rng.gen_range(EVENT_GAP_SECS.0..=EVENT_GAP_SECS.1));
        SimState {
            rng,
            start: now,
            next_event,
        }
    }
}

fn actors(store: &Store) -> Vec<AgentIx> {
    (0..store.agents.len())
        .filter(|&i| {
            let a = &store.agents[i];
            a.role == AgentRole::Other && !a.suspended && !a.key_revoked
        })
        .collect()
}

/// The newest published posts (up to 30), newest first.
fn recent_posts(store: &Store, at: DateTime<Utc>) -> Vec<usize> {
    let mut ixs: Vec<usize> = (0..store.posts.len())
        .filter(|&i| store.posts[i].is_published(at))
        .collect();
    ixs.sort_by(|&a, &b| {
        store.posts[b]
            .published_at
            .cmp(&store.posts[a].published_at)
    });
    ixs.truncate(30);
    ixs
}

fn one_event(store: &mut Store, rng: &mut StdRng, at: DateTime<Utc>, report: &mut TickReport) {
    let actors = actors(store);
    let Some(&who) = actors.choose(rng) else {
        return;
    };
    let roll = rng.gen_range(0..100);
    if roll < 10 {
        if quotas::check_post(&store.quotas[who], at).is_err() {
            return;
        }
        quotas::record_post(&mut store.quotas[who], at);
        let m = media::stock_media(store, rng.gen_range(0..media::STOCK.len()));
        let ntags = rng.gen_range(0..3);
        let tags = TAGS
            .choose_multiple(rng, ntags)
            .map(|t| t.to_string())
            .collect();
        let id = store.new_id();
        store.add_post(PostRec {
            id,
            author: who,
            caption: CAPTIONS[rng.gen_range(0..CAPTIONS.len())].map(str::to_owned),
            tags,
            media: vec![m],
            published_at: at,
            likes: Default::default(),
            medals: Default::default(),
            comments: Vec::new(),
            verdict: None,
        });
        report.posts += 1;
        return;
    }
    let recent = recent_posts(store, at);
    // Newer posts get more attention: pick from the front more often.
    if recent.is_empty() {
        return;
    }
    let (a, b) = (
        rng.gen_range(0..recent.len()),
        rng.gen_range(0..recent.len()),
    );
    let pix = recent[a.min(b)];
    if store.posts[pix].author == who {
        return;
    }
    if roll < 55 {
        if store.posts[pix].likes.insert(who) {
            report.likes += 1;
        }
    } else if roll < 75 {
        if quotas::check_comment(&store.quotas[who], at).is_err() {
            return;
        }
        quotas::record_comment(&mut store.quotas[who], at);
        let c = CommentRec {
            id: store.new_id(),
            author: who,
            body: COMMENTS[rng.gen_range(0..COMMENTS.len())].to_owned(),
            created_at: at,
        };
        store.posts[pix].comments.push(c);
        report.comments += 1;
    } else {
        if quotas::check_medal(&mut store.quotas[who], at).is_err() {
            return;
        }
        quotas::record_medal(&mut store.quotas[who], at);
        let m = match rng.gen_range(0..6) {
            0 => Medal::Gold,
            1 | 2 => Medal::Silver,
            _ => Medal::Bronze,
        };
        store.posts[pix].medals.insert(who, m);
        report.medals += 1;
    }
}

fn judge(store: &mut Store, rng: &mut StdRng, since: DateTime<Utc>, now: DateTime<Utc>) -> usize {
    let due = now - Duration::seconds(JUDGE_DELAY_SECS);
    let mut n = 0;
    for p in store.posts.iter_mut() {
        if p.verdict.is_none() && p.published_at >= since && p.published_at <= due {
            let k = match rng.gen_range(0..10) {
                0 | 1 => 0,
                2..=5 => 1,
                _ => 2,
            };
            p.verdict = Some(Verdict {
                medal: [Medal::Gold, Medal::Silver, Medal::Bronze][k],
                reason: REASONS[k][rng.gen_range(0..REASONS[k].len())].to_owned(),
                judge_version: JUDGE_VERSION.to_owned(),
            });
            n += 1;
        }
    }
    n
}

/// Runs every simulated action due up to `now` and the judge; returns what
/// happened. The first call only starts the schedule at `now`.
pub fn tick(sim: &mut Option<SimState>, store: &mut Store, now: DateTime<Utc>) -> TickReport {
    let mut report = TickReport::default();
    let Some(state) = sim.as_mut() else {
        *sim = Some(SimState::new(now));
        return report;
    };
    let mut n = 0;
    while state.next_event <= now && n < MAX_EVENTS_PER_TICK {
        let at = state.next_event;
        one_event(store, &mut state.rng, at, &mut report);
        state.next_event =
            at + Duration::seconds(state.rng.gen_range(EVENT_GAP_SECS.0..=EVENT_GAP_SECS.1));
        n += 1;
    }
    if state.next_event <= now {
        // Cut short: resume from now rather than replaying a huge backlog.
        state.next_event = now + Duration::seconds(EVENT_GAP_SECS.0);
    }
    report.verdicts = judge(store, &mut state.rng, state.start, now);
    report
}

/// A running real-time simulation; stops when dropped.
pub struct SimulationHandle {
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SimulationHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Spawns a task calling [`Sandbox::tick`] with the clock's time every second.
pub fn start(sb: Sandbox, clock: Clock) -> SimulationHandle {
    let task = tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            every.tick().await;
            sb.tick(clock.now());
        }
    });
    SimulationHandle { task }
}
