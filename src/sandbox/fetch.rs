//! URL-mode image fetching with SSRF protection (CONTRACT.md, "POST
//! /api/agent/post"): only http(s); the host is resolved first and refused
//! (`FORBIDDEN_URL`) if any address is loopback, private, link-local,
//! unspecified, broadcast, multicast or carrier-grade NAT; the connection is
//! pinned to the checked addresses (no second DNS answer can sneak in);
//! redirects are followed by hand, at most 5, each hop checked the same way.

use super::errors::SbError;
use super::media::MAX_UPLOAD_BYTES;
use axum::http::StatusCode;
use bytes::{Bytes, BytesMut};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use url::{Host, Url};

/// Most redirects followed for one fetch.
pub const MAX_REDIRECTS: usize = 5;

/// Which target addresses a fetch refuses.
#[derive(Clone, Copy)]
pub struct UrlPolicy {
    /// Returns true for an address that must not be fetched.
    pub forbidden: fn(IpAddr) -> bool,
}

impl UrlPolicy {
    /// Refuses every non-public address (see [`is_non_public`]).
    pub const PUBLIC_ONLY: UrlPolicy = UrlPolicy {
        forbidden: is_non_public,
    };
    /// Allows every address (the `allow_private_urls` option, for tests).
    pub const ALLOW_ALL: UrlPolicy = UrlPolicy {
        forbidden: |_| false,
    };
}

fn v4_non_public(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || o[0] == 0 // 0.0.0.0/8, "this network" (includes unspecified)
        || (o[0] == 100 && (o[1] & 0xC0) == 64) // 100.64.0.0/10 carrier-grade NAT
}

fn v6_non_public(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_non_public(v4);
    }
    let s = ip.segments();
    // IPv4-compatible (deprecated) ::a.b.c.d
    if s[..6].iter().all(|x| *x == 0) && !ip.is_loopback() && !ip.is_unspecified() {
        return v4_non_public(Ipv4Addr::new(
            (s[6] >> 8) as u8,
            s[6] as u8,
            (s[7] >> 8) as u8,
            s[7] as u8,
        ));
    }
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xFE00) == 0xFC00 // fc00::/7 unique local
        || (s[0] & 0xFFC0) == 0xFE80 // fe80::/10 link-local
}

/// Whether an address is loopback, private, link-local, unspecified,
/// broadcast, multicast or CGNAT (IPv4-mapped IPv6 checked as IPv4).
pub fn is_non_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_non_public(v4),
        IpAddr::V6(v6) => v6_non_public(v6),
    }
}

fn forbidden(msg: &str) -> SbError {
    SbError::new(StatusCode::BAD_REQUEST, "FORBIDDEN_URL", msg)
}

fn fetch_failed(msg: impl Into<String>) -> SbError {
    SbError::new(StatusCode::UNPROCESSABLE_ENTITY, "IMAGE_FETCH_FAILED", msg)
}

/// Resolves `url`'s host and checks every address against `policy`.
async fn checked_addrs(url: &Url, policy: UrlPolicy) -> Result<Vec<SocketAddr>, SbError> {
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
    if addrs.iter().any(|a| (policy.forbidden)(a.ip())) {
        return Err(forbidden(
            "URL points to a private/localhost address (SSRF blocked)",
        ));
    }
    Ok(addrs)
}

/// Fetches an image URL under `policy`; returns at most
/// [`MAX_UPLOAD_BYTES`] bytes. Errors: 400 `FORBIDDEN_URL` (scheme or
/// address refused, on any hop), 422 `IMAGE_FETCH_FAILED` (unreachable,
/// non-2xx, too many redirects, timeout), 413 `UPLOAD_TOO_LARGE`.
pub async fn fetch_image(url: &Url, policy: UrlPolicy) -> Result<Bytes, SbError> {
    let mut url = url.clone();
    for _ in 0..=MAX_REDIRECTS {
        let addrs = checked_addrs(&url, policy).await?;
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
            .is_some_and(|n| n > MAX_UPLOAD_BYTES as u64)
        {
            return Err(SbError::too_large());
        }
        let mut buf = BytesMut::new();
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| fetch_failed(format!("The image download failed: {e}")))?
        {
            if buf.len() + chunk.len() > MAX_UPLOAD_BYTES {
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
    use axum::response::Redirect;
    use axum::routing::get;

    #[test]
    fn classifies_addresses() {
        for s in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_non_public(s.parse().unwrap()), "{s}");
        }
        for s in [
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "172.32.0.1",
        ] {
            assert!(!is_non_public(s.parse().unwrap()), "{s}");
        }
    }

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
        let u = |p: &str| Url::parse(&format!("http://127.0.0.1:{port}{p}")).unwrap();
        let bytes = fetch_image(&u("/ok"), policy).await.unwrap();
        assert_eq!(&bytes[..], &[0xFF, 0xD8, 0xFF, 0xE0]);
        // A domain name: resolved, checked, and the connection pinned.
        let by_name = Url::parse(&format!("http://localhost:{port}/ok")).unwrap();
        assert_eq!(fetch_image(&by_name, policy).await.unwrap().len(), 4);
        assert_eq!(
            fetch_image(&by_name, UrlPolicy::PUBLIC_ONLY)
                .await
                .unwrap_err()
                .code,
            "FORBIDDEN_URL"
        );
        assert_eq!(
            fetch_image(&u("/evil"), policy).await.unwrap_err().code,
            "FORBIDDEN_URL"
        );
        assert_eq!(
            fetch_image(&u("/loop"), policy).await.unwrap_err().code,
            "IMAGE_FETCH_FAILED"
        );
        assert_eq!(
            fetch_image(&u("/missing"), policy).await.unwrap_err().code,
            "IMAGE_FETCH_FAILED"
        );
        let ftp = Url::parse("ftp://example.com/a.png").unwrap();
        assert_eq!(
            fetch_image(&ftp, UrlPolicy::ALLOW_ALL)
                .await
                .unwrap_err()
                .code,
            "FORBIDDEN_URL"
        );
        server.abort();
    }
}
