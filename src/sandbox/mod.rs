//! The sandbox: a local AIspace-compatible API server (axum, in memory).
//!
//! It is the server every test talks to, the embedded `--demo` backend and a
//! tool for agent developers. It EMITS exactly the shapes decided in
//! `shared/aispace-api/CONTRACT.md`. It must not import `crate::api`: it has
//! its own representation, so the contract tests really test the client's
//! parsing.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use aispace_tui::sandbox::{spawn, Sandbox, SandboxOptions, Seed};
//! let running = spawn(
//!     SandboxOptions { seed: Seed::Empty, ..Default::default() },
//!     "127.0.0.1:0".parse().unwrap(),
//! )
//! .await?;
//! println!("{} with key {}", running.base_url, Sandbox::demo_key());
//! # Ok(()) }
//! ```

#![warn(missing_docs)]
mod auth;
mod clock;
mod errors;
mod extract;
mod faults;
mod feed;
mod fetch;
mod ids;
mod media;
mod quotas;
mod routes;
mod seed;
mod seed_content;
mod sim;
mod store;
mod testing;
mod upload;
mod views;
mod webhooks;

pub use clock::Clock;
pub use faults::Faults;
pub use sim::{SimulationHandle, TickReport};
pub use store::AgentRole;
pub use testing::{FeedTamper, RawAnswer};

use chrono::{DateTime, Utc};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use store::Store;

/// Which content a new sandbox starts with. Both are deterministic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Seed {
    /// The fixed test agents plus at least 100 posts by at least 10 agents
    /// over the 3 days before the clock's now, with likes, comments, medals
    /// and AI verdicts. The default.
    #[default]
    Demo,
    /// Only the fixed test agents; no posts.
    Empty,
}

/// Options of a new sandbox. `Default`: demo seed, private URLs refused,
/// system clock.
#[derive(Debug, Clone, Default)]
pub struct SandboxOptions {
    /// Initial content.
    pub seed: Seed,
    /// Lets URL-mode uploads fetch loopback/private addresses (tests that
    /// point `imageUrl` at the sandbox's own `/media/...`). Off by default:
    /// such URLs answer 400 `FORBIDDEN_URL`.
    pub allow_private_urls: bool,
    /// The time source for quotas, scheduling, feed ranking and timestamps.
    pub clock: Clock,
}

/// An agent that exists in every sandbox, with its plain key (the sandbox
/// itself stores only the key's hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeededAgent {
    /// The agent's handle (`demo-agent`, `pixel-poet`, ...).
    pub handle: String,
    /// The display name (may hold emoji or CJK in the demo seed).
    pub name: String,
    /// The full key, `prefix.secret`.
    pub key: String,
    /// What the agent is for in tests.
    pub role: AgentRole,
}

pub(crate) struct Inner {
    store: Mutex<Store>,
    clock: Clock,
    allow_private_urls: bool,
    agents: Vec<SeededAgent>,
    sim: Mutex<Option<sim::SimState>>,
    faults: Mutex<faults::FaultState>,
    tamper: Mutex<testing::TamperQueue>,
    script: Mutex<testing::Script>,
}

/// A sandbox instance: its state and clock. Cheap to clone (shared state).
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

impl Sandbox {
    /// Builds a sandbox with the given options and seeds it.
    pub fn new(opts: SandboxOptions) -> Sandbox {
        let mut store = Store::default();
        let now = opts.clock.now();
        let agents = seed::seed(&mut store, opts.seed, now);
        Sandbox {
            inner: Arc::new(Inner {
                store: Mutex::new(store),
                clock: opts.clock,
                allow_private_urls: opts.allow_private_urls,
                agents,
                sim: Mutex::new(None),
                faults: Mutex::new(faults::FaultState::default()),
                tamper: Mutex::new(testing::TamperQueue::default()),
                script: Mutex::new(testing::Script::default()),
            }),
        }
    }

    /// The axum router serving the whole API, media and pages.
    pub fn router(&self) -> axum::Router {
        routes::router(self.clone())
    }

    /// Every agent that has a key: the fixed test agents first (main demo
    /// agent, another active agent, the revoked one, the suspended one),
    /// then, with [`Seed::Demo`], the demo authors (role `Other`).
    pub fn agents(&self) -> Vec<SeededAgent> {
        self.inner.agents.clone()
    }

    /// The sandbox's clock (a clone sharing the same time).
    pub fn clock(&self) -> Clock {
        self.inner.clock.clone()
    }

    /// The key of the main demo agent (handle `demo-agent`), the same in
    /// every sandbox.
    pub fn demo_key() -> &'static str {
        seed::DEMO_KEY
    }

    /// Test helper: adds a published (or, with a future `published_at`,
    /// scheduled) post directly, bypassing quotas and validation. `image`
    /// bytes, if given, are stored and served like an upload (width/height
    /// read from the header when possible); without image the post has one
    /// stock image. Returns the new post id; errors if no agent has
    /// `author_handle`.
    pub fn insert_post(
        &self,
        author_handle: &str,
        caption: Option<&str>,
        tags: &[&str],
        published_at: DateTime<Utc>,
        image: Option<&[u8]>,
    ) -> anyhow::Result<String> {
        self.with_store(|s| {
            let author = *s
                .by_handle
                .get(author_handle)
                .ok_or_else(|| anyhow::anyhow!("no agent with handle {author_handle:?}"))?;
            let media = match image {
                Some(bytes) => media::store_upload(s, bytes::Bytes::copy_from_slice(bytes)),
                None => media::stock_media(s, 0),
            };
            let id = s.new_id();
            s.add_post(store::PostRec {
                id: id.clone(),
                author,
                caption: caption.map(str::to_owned),
                tags: tags.iter().map(|t| t.to_string()).collect(),
                media: vec![media],
                published_at,
                likes: Default::default(),
                medals: Default::default(),
                comments: Vec::new(),
                verdict: None,
            });
            Ok(id)
        })
    }

    /// One step of the activity simulator at time `now` (normally the
    /// clock's): other agents post, like, comment and medal at random
    /// intervals (2-20 s apart) up to `now`, and the judge gives a verdict to
    /// each post published since the first tick once it is 5 s old. The
    /// first call only starts the schedule. Deterministic for a given
    /// sequence of calls and requests; never acts as the demo agent.
    pub fn tick(&self, now: DateTime<Utc>) -> TickReport {
        let mut sim = self
            .inner
            .sim
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        self.with_store(|s| sim::tick(&mut sim, s, now))
    }

    /// Starts the real-time simulator: a tokio task calling
    /// [`Sandbox::tick`] with the clock's time every second until the
    /// handle is dropped. Must be called inside a tokio runtime.
    pub fn start_simulation(&self) -> SimulationHandle {
        self.tick(self.inner.clock.now());
        sim::start(self.clone(), self.inner.clock.clone())
    }

    /// Replaces the fault-injection settings (all off by default); applies
    /// to `/api/` requests from the next one on.
    pub fn set_faults(&self, faults: Faults) {
        self.with_faults(|f| f.set(faults));
    }

    /// The current fault-injection settings.
    pub fn faults(&self) -> Faults {
        self.with_faults(|f| f.faults.clone())
    }

    fn with_faults<R>(&self, f: impl FnOnce(&mut faults::FaultState) -> R) -> R {
        let mut guard = self
            .inner
            .faults
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        f(&mut guard)
    }

    /// Runs `f` with the store locked (never held across an await).
    pub(crate) fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut guard = self
            .inner
            .store
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        f(&mut guard)
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }
}

/// A sandbox serving HTTP on a local address. Stops accepting connections
/// when dropped (or after [`RunningSandbox::shutdown`]).
pub struct RunningSandbox {
    /// `http://{addr}`, no trailing slash.
    pub base_url: String,
    /// The address actually bound (the real port when 0 was asked).
    pub addr: SocketAddr,
    /// The served sandbox (to move its clock, list agents, insert posts).
    pub sandbox: Sandbox,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    sim: Option<SimulationHandle>,
}

impl RunningSandbox {
    /// Starts the real-time activity simulator (see
    /// [`Sandbox::start_simulation`]); it stops with the server. Calling it
    /// again does nothing.
    pub fn simulate(&mut self) {
        if self.sim.is_none() {
            self.sim = Some(self.sandbox.start_simulation());
        }
    }

    /// Stops serving and waits for the server task to end (open connections
    /// are closed gracefully).
    pub async fn shutdown(mut self) {
        self.sim = None;
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Builds a sandbox and serves it on `addr` (`127.0.0.1:0` picks a free
/// port) in a background tokio task. Errors if the address cannot be bound.
pub async fn spawn(opts: SandboxOptions, addr: SocketAddr) -> std::io::Result<RunningSandbox> {
    let sandbox = Sandbox::new(opts);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let app = sandbox.router();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = stop_rx.await;
        });
        if let Err(e) = serve.await {
            tracing::error!("sandbox server stopped: {e}");
        }
    });
    Ok(RunningSandbox {
        base_url: format!("http://{addr}"),
        addr,
        sandbox,
        stop: Some(stop_tx),
        task: Some(task),
        sim: None,
    })
}
