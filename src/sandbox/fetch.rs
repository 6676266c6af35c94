//! URL-mode image fetching with SSRF protection (CONTRACT.md, "POST
//! /api/agent/post"): only http(s); the host is resolved first and refused
//! (`FORBIDDEN_URL`) if any address is loopback, private, link-local,
//! unspecified, broadcast, multicast or carrier-grade NAT; the connection is
//! pinned to the checked addresses (no second DNS answer can sneak in);
//! redirects are followed by hand, at most 5, each hop checked the same way.

use super::errors::SbError;
use super::media::MAX_UPLOAD_BYTES;
pub use crate::net::UrlPolicy;
use axum::http::StatusCode;
use bytes::{Bytes, BytesMut};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use url::{Host, Url};

/// Most redirects followed for one fetch.
pub const MAX_REDIRECTS: usize = 5;

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
