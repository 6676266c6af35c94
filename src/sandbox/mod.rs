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
pub mod limits;
mod media;
mod quotas;
mod routes;
mod seed;
mod seed_content;
mod server;
mod sim;
mod store;
mod testing;
mod upload;
mod views;
mod webhooks;

pub use clock::Clock;
pub use faults::Faults;
pub use fetch::FetchRecord;
pub use server::ServerLimits;
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

/// Options of a new sandbox. `Default`: demo seed, URL mode fetching from
/// public addresses only, system clock, links on the serving address, the
/// default [`ServerLimits`].
#[derive(Debug, Clone, Default)]
pub struct SandboxOptions {
    /// Initial content.
    pub seed: Seed,
    /// URL-mode uploads fetch from loopback addresses (127.0.0.0/8, ::1)
    /// and nothing else: for tests that point `imageUrl` at the sandbox's
    /// own `/media/...` or a local test server, with the guarantee that
    /// such a sandbox never connects outside the machine. Off by default:
    /// then loopback answers 400 `FORBIDDEN_URL` and only public addresses
    /// are fetched. Private, link-local and the other non-public ranges are
    /// refused either way, before any connection.
    pub allow_loopback_urls: bool,
    /// The base of every link in answers (`postUrl`, `profileUrl`, media
    /// and avatar URLs), e.g. `https://sandbox.example.org`; `None`: the
    /// address served on (`http://{addr}`, an unspecified address replaced
    /// by loopback). Never taken from a request's `Host` header.
    pub public_url: Option<String>,
    /// The time source for quotas, scheduling, feed ranking and timestamps.
    pub clock: Clock,
    /// Timeouts and the connection cap of the HTTP server.
    pub limits: ServerLimits,
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
    allow_loopback_urls: bool,
    /// The public base URL, no trailing slash.
    public_url: String,
    limits: ServerLimits,
    fetch_log: fetch::FetchLog,
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
    /// Builds a sandbox with the given options and seeds it. Without
    /// `public_url`, links use `http://localhost` ([`spawn`] fills in the
    /// served address).
    pub fn new(opts: SandboxOptions) -> Sandbox {
        let mut store = Store::default();
        let now = opts.clock.now();
        let agents = seed::seed(&mut store, opts.seed, now);
        Sandbox {
            inner: Arc::new(Inner {
                store: Mutex::new(store),
                clock: opts.clock,
                allow_loopback_urls: opts.allow_loopback_urls,
                public_url: opts
                    .public_url
                    .map(|u| u.trim_end_matches('/').to_owned())
                    .unwrap_or_else(|| "http://localhost".to_owned()),
                limits: opts.limits,
                fetch_log: fetch::FetchLog::default(),
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

    /// The base URL of every link in answers, no trailing slash.
    pub fn public_url(&self) -> &str {
        &self.inner.public_url
    }

    /// Every address a URL-mode upload resolved so far, in order, each with
    /// whether the sandbox went on to connect to it (only addresses its
    /// policy allows; a refused one never sees a connection attempt). Tests
    /// use it to prove that no connection left loopback.
    pub fn fetch_log(&self) -> Vec<FetchRecord> {
        self.inner.fetch_log.records()
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
    /// Where to reach it from this machine: `http://{addr}` (an unspecified
    /// address replaced by loopback), no trailing slash. Links in answers
    /// use [`Sandbox::public_url`], the same unless `public_url` was given.
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

/// The URL a client on this machine uses for a server bound to `addr`: an
/// unspecified address (`0.0.0.0`, `[::]`) becomes the matching loopback.
pub fn reachable_url(addr: SocketAddr) -> String {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => Ipv4Addr::LOCALHOST.into(),
        IpAddr::V6(v6) if v6.is_unspecified() => Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

/// Checks a public base URL: an absolute http(s) URL with a host and no
/// query or fragment.
fn check_public_url(u: &str) -> std::io::Result<()> {
    let bad = |why: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("the public URL {u:?} {why}"),
        )
    };
    let p = url::Url::parse(u).map_err(|_| bad("is not a URL"))?;
    if !matches!(p.scheme(), "http" | "https") || !p.has_host() {
        return Err(bad("must be an http(s) URL with a host"));
    }
    if p.query().is_some() || p.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(())
}

/// Builds a sandbox and serves it on `addr` (`127.0.0.1:0` picks a free
/// port) in a background tokio task. Errors if the address cannot be bound
/// or `public_url` is not an http(s) URL.
pub async fn spawn(mut opts: SandboxOptions, addr: SocketAddr) -> std::io::Result<RunningSandbox> {
    if let Some(u) = &opts.public_url {
        check_public_url(u)?;
    }
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let served = reachable_url(addr);
    opts.public_url.get_or_insert_with(|| served.clone());
    let limits = opts.limits.clone();
    let sandbox = Sandbox::new(opts);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let app = sandbox.router();
    let task = tokio::spawn(server::serve(listener, app, limits, stop_rx));
    Ok(RunningSandbox {
        base_url: served,
        addr,
        sandbox,
        stop: Some(stop_tx),
        task: Some(task),
        sim: None,
    })
}
