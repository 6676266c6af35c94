//! Address classification shared by the sandbox (URL-mode uploads) and the
//! client (picture downloads): one answer to "is this address public?".

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Which target addresses a fetch refuses (sandbox URL uploads, client
/// picture downloads).
#[derive(Clone, Copy, Debug)]
pub struct UrlPolicy {
    /// Returns true for an address that must not be fetched.
    pub forbidden: fn(IpAddr) -> bool,
}

impl UrlPolicy {
    /// Refuses every non-public address (see [`is_non_public`]).
    pub const PUBLIC_ONLY: UrlPolicy = UrlPolicy {
        forbidden: is_non_public,
    };
    /// Refuses everything but loopback (see [`is_loopback`]): the
    /// sandbox's `allow_loopback_urls` option, for tests (such a sandbox
    /// never connects outside the machine).
    pub const LOOPBACK_ONLY: UrlPolicy = UrlPolicy {
        forbidden: |ip| !is_loopback(ip),
    };
    /// Allows every address (a client whose API base is itself loopback or
    /// private).
    pub const ALLOW_ALL: UrlPolicy = UrlPolicy {
        forbidden: |_| false,
    };
}

/// Whether an address is loopback: 127.0.0.0/8, `::1`, or an IPv4-mapped
/// loopback (`::ffff:127.x.y.z`).
pub fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
