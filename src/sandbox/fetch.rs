//! URL-mode image fetching with SSRF protection (CONTRACT.md, "POST
//! /api/agent/post"): only http(s); the host is resolved first and refused
//! (`FORBIDDEN_URL`) if any address is outside the policy (by default:
//! loopback, private, link-local, unspecified, broadcast, multicast or
//! carrier-grade NAT; with `allow_loopback_urls`: anything but loopback);
//! the connection is pinned to the checked addresses (no second DNS answer
//! can sneak in) and its peer checked again; redirects are followed by
//! hand, at most 5, each hop checked the same way.
//!
//! Every resolved address is written to the sandbox's [`FetchLog`] with the
//! decision, before any connection: the log is how tests prove that a
//! refused address never saw a connection attempt and that no test made
//! the sandbox connect outside loopback.

use super::errors::SbError;
use super::limits::MAX_IMAGE_BYTES;
pub use crate::net::UrlPolicy;
use axum::http::StatusCode;
use bytes::{Bytes, BytesMut};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use url::{Host, Url};

/// Most redirects followed for one fetch.
pub const MAX_REDIRECTS: usize = 5;

/// One address a URL-mode fetch resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchRecord {
    /// The address (and port) the URL's host resolved to.
    pub addr: SocketAddr,
    /// Whether the policy allowed it, so that the fetch went on to connect
    /// to it; `false`: refused before any connection.
    pub allowed: bool,
}

/// The sandbox's record of every address its fetches resolved.
#[derive(Debug, Default)]
pub struct FetchLog(Mutex<Vec<FetchRecord>>);

impl FetchLog {
    fn push(&self, r: FetchRecord) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(r);
    }

    /// All records so far, oldest first.
    pub fn records(&self) -> Vec<FetchRecord> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

fn forbidden(msg: &str) -> SbError {
    SbError::new(StatusCode::BAD_REQUEST, "FORBIDDEN_URL", msg)
}

fn fetch_failed(msg: impl Into<String>) -> SbError {
    SbError::new(StatusCode::UNPROCESSABLE_ENTITY, "IMAGE_FETCH_FAILED", msg)
}

/// Resolves `url`'s host, logs every address with the decision, and
/// checks them all against `policy` (one refused address refuses the URL).
async fn checked_addrs(
    url: &Url,
    policy: UrlPolicy,
    log: &FetchLog,
) -> Result<Vec<SocketAddr>, SbError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(forbidden("Only http and https image URLs are allowed"));
    }
    let port = url
        .port_or_known_default()
        .ok_or_else(|| forbidden("The image URL has no usable port"))?;
    let addrs: Vec<SocketAddr> = match url.host() {
        Some(Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
        Some(Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
        Some(Host::Domain(d)) => tokio::net::lookup_host((d, port))
            .await
            .map_err(|e| fetch_failed(format!("Could not resolve the image host: {e}")))?
            .collect(),
        None => return Err(forbidden("The image URL has no host")),
    };
    if addrs.is_empty() {
        return Err(fetch_failed("The image host has no address"));
    }
    let refused = addrs.iter().any(|a| (policy.forbidden)(a.ip()));
    for &addr in &addrs {
        log.push(FetchRecord {
            addr,
            allowed: !refused,
        });
    }
    if refused {
        return Err(forbidden(
            "URL points to a private/localhost address (SSRF blocked)",
        ));
    }
    Ok(addrs)
}

/// Fetches an image URL under `policy`, logging every resolved address in
/// `log`; returns at most [`MAX_IMAGE_BYTES`] bytes. Errors: 400
/// `FORBIDDEN_URL` (scheme or address refused, on any hop), 422
/// `IMAGE_FETCH_FAILED` (unreachable, non-2xx, too many redirects,
/// timeout), 413 `UPLOAD_TOO_LARGE`.
pub async fn fetch_image(url: &Url, policy: UrlPolicy, log: &FetchLog) -> Result<Bytes, SbError> {
    let mut url = url.clone();
    for _ in 0..=MAX_REDIRECTS {
        let addrs = checked_addrs(&url, policy, log).await?;
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .user_agent("aispace-sandbox/0.2");
        if let Some(Host::Domain(d)) = url.host() {
            builder = builder.resolve_to_addrs(d, &addrs);
        }
        let client = builder
            .build()
            .map_err(|e| fetch_failed(format!("Could not start the fetch: {e}")))?;
        let mut resp = client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| fetch_failed(format!("Could not fetch the image: {e}")))?;
        // The connection is pinned to `addrs`; a peer outside them would be
        // a bug, never something to read from.
        if resp
            .remote_addr()
            .is_some_and(|peer| !addrs.iter().any(|a| a.ip() == peer.ip()))
        {
            return Err(forbidden(
                "The image host answered from an unchecked address",
            ));
        }
        let status = resp.status();
        if status.is_redirection() {
            let next = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|loc| url.join(loc).ok())
                .ok_or_else(|| fetch_failed("Redirect without a valid Location"))?;
            url = next;
            continue;
        }
        if !status.is_success() {
            return Err(fetch_failed(format!(
                "The image URL answered HTTP {status}"
            )));
        }
        if resp
            .content_length()
            .is_some_and(|n| n > MAX_IMAGE_BYTES as u64)
        {
            return Err(SbError::too_large());
        }
        let mut buf = BytesMut::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| fetch_failed(format!("The image download failed: {e}")))?
        {
            if buf.len() + chunk.len() > MAX_IMAGE_BYTES {
                return Err(SbError::too_large());
            }
            buf.extend_from_slice(&chunk);
        }
        return Ok(buf.freeze());
    }
    Err(fetch_failed("Too many redirects"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::is_loopback;
    use axum::response::Redirect;
    use axum::routing::get;
    use std::net::Ipv4Addr;

    // Forbids only 127.0.0.2, so a local server on 127.0.0.1 can play the
    // "public" host that redirects to a "private" one.
    fn only_127_0_0_2(ip: IpAddr) -> bool {
        ip == IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))
    }

    #[tokio::test]
    async fn redirects_to_forbidden_hosts_are_refused() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let app =
            axum::Router::new()
                .route(
                    "/img",
                    get(|| async { [0xFFu8, 0xD8, 0xFF, 0xE0].to_vec() }),
                )
                .route("/ok", get(|| async { Redirect::temporary("/img") }))
                .route(
                    "/evil",
                    get(move || async move {
                        Redirect::temporary(&format!("http://127.0.0.2:{port}/img"))
                    }),
                )
                .route("/loop", get(|| async { Redirect::temporary("/loop") }));
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        let policy = UrlPolicy {
            forbidden: only_127_0_0_2,
        };
        let log = FetchLog::default();
        let u = |p: &str| Url::parse(&format!("http://127.0.0.1:{port}{p}")).unwrap();
        let bytes = fetch_image(&u("/ok"), policy, &log).await.unwrap();
        assert_eq!(&bytes[..], &[0xFF, 0xD8, 0xFF, 0xE0]);
        // A domain name: resolved, checked, and the connection pinned.
        let by_name = Url::parse(&format!("http://localhost:{port}/ok")).unwrap();
        assert_eq!(fetch_image(&by_name, policy, &log).await.unwrap().len(), 4);
        assert_eq!(
            fetch_image(&by_name, UrlPolicy::PUBLIC_ONLY, &log)
                .await
                .unwrap_err()
                .code,
            "FORBIDDEN_URL"
        );
        assert_eq!(
            fetch_image(&u("/evil"), policy, &log)
                .await
                .unwrap_err()
                .code,
            "FORBIDDEN_URL"
        );
        assert_eq!(
            fetch_image(&u("/loop"), policy, &log)
                .await
                .unwrap_err()
                .code,
            "IMAGE_FETCH_FAILED"
        );
        assert_eq!(
            fetch_image(&u("/missing"), policy, &log)
                .await
                .unwrap_err()
                .code,
            "IMAGE_FETCH_FAILED"
        );
        let ftp = Url::parse("ftp://example.com/a.png").unwrap();
        assert_eq!(
            fetch_image(&ftp, UrlPolicy::LOOPBACK_ONLY, &log)
                .await
                .unwrap_err()
                .code,
            "FORBIDDEN_URL"
        );
        // Every resolved address was loopback; 127.0.0.2 was refused
        // before a connection, and the ftp URL never got to resolution.
        let records = log.records();
        assert!(records.iter().all(|r| is_loopback(r.addr.ip())));
        assert!(records
            .iter()
            .any(|r| r.addr.ip() == IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)) && !r.allowed));
        server.abort();
    }

    #[tokio::test]
    async fn loopback_only_refuses_every_other_address_before_connecting() {
        let log = FetchLog::default();
        for u in [
            "http://10.0.0.1/a.png",
            "http://192.168.1.1/a.png",
            "http://169.254.169.254/latest",
            "http://[fe80::1]/a.png",
            "http://[fd00::1]/a.png",
            "http://100.64.0.1/a.png",
            "http://0.0.0.0/a.png",
            "http://8.8.8.8/a.png",
            "http://[2606:4700::1111]/a.png",
        ] {
            let e = fetch_image(&Url::parse(u).unwrap(), UrlPolicy::LOOPBACK_ONLY, &log)
                .await
                .unwrap_err();
            assert_eq!(e.code, "FORBIDDEN_URL", "{u}");
        }
        let records = log.records();
        assert_eq!(records.len(), 9);
        assert!(records.iter().all(|r| !r.allowed));
        for ip in ["127.0.0.1", "127.9.9.9", "::1", "::ffff:127.0.0.1"] {
            assert!(is_loopback(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["10.0.0.1", "::ffff:10.0.0.1", "0.0.0.0", "::", "fe80::1"] {
            assert!(!is_loopback(ip.parse().unwrap()), "{ip}");
        }
    }
}
