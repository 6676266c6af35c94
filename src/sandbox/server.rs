//! The HTTP server under the sandbox's router, for slow and idle clients:
//! hyper's HTTP/1 connections with its header read timeout (armed when a
//! connection opens and again while a keep-alive connection waits for its
//! next request, so half-open and idle connections are both closed after
//! it), a cap on open connections (one beyond it is closed at once, before
//! any byte is read) and a graceful shutdown. The per-request limits (body
//! sizes, body read and whole-request timeouts) are tower-http layers in
//! `routes.rs`.

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{oneshot, Semaphore};
use tokio::task::JoinSet;

/// Limits for slow, idle and numerous clients. `Default`: the values a
/// public server uses (see each field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerLimits {
    /// Time a client has to send a request's headers, from the moment the
    /// connection opens or, on a keep-alive connection, from the end of the
    /// previous answer (so it is also the idle keep-alive timeout); then the
    /// connection is closed. Default 10 s.
    pub header_read_timeout: Duration,
    /// Longest wait for the next piece of a request body; then the request
    /// is answered 408 `REQUEST_TIMEOUT`. Default 10 s.
    pub body_read_timeout: Duration,
    /// Longest time for a whole request, body and URL-mode fetch included;
    /// then it is answered 408 `REQUEST_TIMEOUT`. Default 60 s.
    pub request_timeout: Duration,
    /// Most connections open at once; one more is closed as soon as it is
    /// accepted. Default 4,096 (keep the process's open-file limit above
    /// it).
    pub max_connections: usize,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_connections: 4096,
        }
    }
}

/// How long a stopping server waits for open connections to finish their
/// current request before it drops them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Serves `app` on `listener` until `stop` fires (or its sender is
/// dropped), then lets open connections finish their current request (idle
/// ones close at once), for at most [`SHUTDOWN_GRACE`].
pub(crate) async fn serve(
    listener: TcpListener,
    app: axum::Router,
    limits: ServerLimits,
    mut stop: oneshot::Receiver<()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut conns = JoinSet::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    loop {
        let stream = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little
                    // for connections to close instead of spinning.
                    tracing::warn!("sandbox accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let conn =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        conns.spawn(async move {
            // Errors here are the client's (reset, header timeout).
            let _ = conn.await;
            drop(permit);
        });
        // Forget finished connections as we go.
        while conns.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    conns.shutdown().await;
}
