//! Identifiers (CONTRACT.md, "Identifiers"): cuid-like opaque strings,
//! unique across restarts and across sandbox processes started one after
//! the other.
//!
//! Layout, 25 characters in `0-9a-z`: `c`, then the wall-clock time in
//! milliseconds (8 base-36 digits, never going back within a process), a
//! process-wide counter (4 digits, starting at a random value), a process
//! fingerprint (4 digits from the process id and a random value drawn at
//! start) and 8 random digits from the operating system's generator.
//!
//! Why this never repeats: within a process the (time, counter) pair never
//! repeats unless 36^4 = 1,679,616 ids are made in one millisecond; a
//! later process starts at a later millisecond (the wall clock, not the
//! sandbox's possibly manual clock), and even when two processes share a
//! millisecond the fingerprint and the 41 random bits must both collide.
//! Nothing is derived from the sandbox's clock or its deterministic seed.

use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

/// Length of every id.
pub const ID_LEN: usize = 25;

const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const BLOCK: u64 = 36 * 36 * 36 * 36;

/// Appends `n` as exactly `width` base-36 digits (the low digits of `n`).
fn push_base36(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 16];
    for slot in buf[..width].iter_mut().rev() {
        *slot = DIGITS[(n % 36) as usize];
        n /= 36;
    }
    out.extend(buf[..width].iter().map(|&b| b as char));
}

struct Process {
    fingerprint: u64,
    counter: AtomicU64,
    /// The last time used, so ids made after a clock step back keep a
    /// time part that never decreases.
    last_ms: Mutex<u64>,
}

fn process() -> &'static Process {
    static P: OnceLock<Process> = OnceLock::new();
    P.get_or_init(|| {
        let pid = u64::from(std::process::id());
        Process {
            fingerprint: (pid % 1296) * 1296 + OsRng.next_u64() % 1296,
            counter: AtomicU64::new(OsRng.gen_range(0..BLOCK)),
            last_ms: Mutex::new(0),
        }
    })
}

fn now_ms() -> u64 {
    let wall = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let mut last = process()
        .last_ms
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    *last = (*last).max(wall);
    *last
}

/// A new id (see the module documentation).
pub fn new_id() -> String {
    let p = process();
    let mut s = String::with_capacity(ID_LEN);
    s.push('c');
    push_base36(&mut s, now_ms(), 8);
    push_base36(&mut s, p.counter.fetch_add(1, Ordering::Relaxed) % BLOCK, 4);
    push_base36(&mut s, p.fingerprint, 4);
    push_base36(&mut s, OsRng.next_u64(), 8);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_have_the_cuid_shape_and_do_not_repeat() {
        let ids: Vec<String> = (0..20_000).map(|_| new_id()).collect();
        for id in &ids {
            assert_eq!(id.len(), ID_LEN, "{id}");
            assert!(id.starts_with('c'), "{id}");
            assert!(id.bytes().all(|b| DIGITS.contains(&b)), "{id}");
        }
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
        // The time part never decreases within a process.
        assert!(ids.windows(2).all(|w| w[0][1..9] <= w[1][1..9]));
    }

    #[test]
    fn base36_is_fixed_width() {
        let mut s = String::new();
        push_base36(&mut s, 35, 4);
        push_base36(&mut s, 36 * 36 * 36 * 36 + 1, 4);
        assert_eq!(s, "000z0001");
    }
}
