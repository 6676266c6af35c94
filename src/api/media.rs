//! Where pictures may be fetched from (server-side request forgery guard).
//!
//! A media URL comes from the server, so it may point anywhere: at the
//! user's router, a cloud metadata service, a local admin page. Pictures
//! are fetched only from public addresses ([`crate::net::is_non_public`],
//! the same classification the sandbox uses for URL uploads), unless the
//! API base itself is loopback or private (a sandbox or a self-hosted
//! server, whose pictures live next to it). Every hop is checked before
//! any connection is made: an IP-literal host before the request and at
//! each redirect, a host name by the resolver (all of its addresses must
//! pass, and the connection uses only those). No proxy is used for media,
//! so the check is about the address really connected to.

use crate::net::{is_non_public, UrlPolicy};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use url::{Host, Url};

/// Most redirects followed for one picture.
pub const MAX_MEDIA_REDIRECTS: usize = 5;

/// The refusal of an address, carried through reqwest's error chain.
#[derive(Debug)]
pub struct Refused {
    /// The host as written in the URL.
    pub host: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the picture host {} is a local or private address; pictures are fetched only from public addresses",
            crate::text::clean_line(&self.host)
        )
    }
}

impl std::error::Error for Refused {}

/// The policy for pictures when the API is at `base`: anything goes when
/// the base itself is loopback or private, else public addresses only.
pub fn policy_for_base(base: &Url) -> UrlPolicy {
    let private = match base.host() {
        Some(Host::Ipv4(ip)) => is_non_public(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => is_non_public(IpAddr::V6(ip)),
        Some(Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    };
    if private {
        UrlPolicy::ALLOW_ALL
    } else {
        UrlPolicy::PUBLIC_ONLY
    }
}

/// Checks a URL's scheme and, for an IP-literal host, its address.
/// (Host names are checked by the resolver, see [`media_client`].)
pub fn check_url(url: &Url, policy: UrlPolicy) -> Result<(), Refused> {
    let refused = || Refused {
        host: url.host_str().unwrap_or("").to_string(),
    };
    let ip = match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(Host::Domain(_)) => return Ok(()),
        None => return Err(refused()),
    };
    if (policy.forbidden)(ip) {
        Err(refused())
    } else {
        Ok(())
    }
}

/// Resolves names and refuses those with any address the policy forbids.
struct CheckedResolver {
    policy: UrlPolicy,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if addrs.is_empty() || addrs.iter().any(|a| (policy.forbidden)(a.ip())) {
                return Err(Box::new(Refused { host }) as Box<dyn std::error::Error + Send + Sync>);
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// The HTTP client for pictures: no key, no proxy, names resolved and
/// checked against `policy`, at most [`MAX_MEDIA_REDIRECTS`] redirects,
/// each checked too.
pub fn media_client(
    user_agent: &str,
    connect_timeout: Duration,
    request_timeout: Duration,
    policy: UrlPolicy,
) -> reqwest::Result<reqwest::Client> {
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > MAX_MEDIA_REDIRECTS {
            return attempt.error("too many redirects");
        }
        if !matches!(attempt.url().scheme(), "http" | "https") {
            return attempt.error("a redirect to a URL that is not http(s)");
        }
        match check_url(attempt.url(), policy) {
            Ok(()) => attempt.follow(),
            Err(refused) => attempt.error(refused),
        }
    });
    reqwest::Client::builder()
        .user_agent(user_agent)
        .connect_timeout(connect_timeout)
        .timeout(request_timeout)
        .redirect(redirects)
        .no_proxy()
        .dns_resolver(Arc::new(CheckedResolver { policy }))
        .build()
}

/// The refusal inside a reqwest error, if that is what it is.
pub fn refusal(e: &reqwest::Error) -> Option<String> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<Refused>() {
            return Some(r.to_string());
        }
        cur = err.source();
    }
    None
}
