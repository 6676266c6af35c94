//! The one backoff for everything that retries by itself (reads while the
//! server fails, the first connection): 1 s, doubling, at most
//! [`BACKOFF_MAX_SECS`]; each delay is scaled by a random factor in
//! 0.75..1.25 (capped at the maximum) so that many clients do not retry in
//! step. The jitter's seed is random per process; tests may fix it
//! ([`Backoff::with_seed`]).

use std::time::Duration;

/// First retry delay, in seconds.
pub const BACKOFF_START_SECS: u64 = 1;
/// Longest retry delay, in seconds.
pub const BACKOFF_MAX_SECS: u64 = 60;

/// Failures in a row and the jitter's random state.
#[derive(Debug, Clone)]
pub struct Backoff {
    failures: u32,
    /// xorshift64* state (never 0).
    rng: u64,
}

impl Default for Backoff {
    /// A backoff whose jitter is seeded from the process's randomness.
    fn default() -> Self {
        Backoff::with_seed(random_seed())
    }
}

/// A random 64-bit seed (the standard library's per-process random hash
/// keys, mixed with the time), never 0.
fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    h.write_u64(nanos);
    h.finish() | 1
}

impl Backoff {
    /// A backoff with a fixed jitter seed (deterministic; for tests).
    pub fn with_seed(seed: u64) -> Self {
        Backoff {
            failures: 0,
            rng: seed | 1,
        }
    }

    /// Failures in a row so far (0 = none).
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Counts one more failure and returns the jittered delay before the
    /// next try.
    pub fn fail(&mut self) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let base_ms = Self::base_delay_secs(self.failures) * 1000;
        let ms = (base_ms as f64 * (0.75 + 0.5 * self.unit())) as u64;
        Duration::from_millis(ms.clamp(1, BACKOFF_MAX_SECS * 1000))
    }

    /// A success: the next failure starts again at the first delay.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// A uniform random number in 0..1 (xorshift64*).
    fn unit(&mut self) -> f64 {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        let r = self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11; // 53 bits
        r as f64 / (1u64 << 53) as f64
    }

    /// The base delay (without jitter) before retry number `n` (1-based),
    /// in seconds.
    pub fn base_delay_secs(n: u32) -> u64 {
        (BACKOFF_START_SECS << n.saturating_sub(1).min(20)).min(BACKOFF_MAX_SECS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_with_jitter_up_to_a_minute() {
        let mut b = Backoff::with_seed(7);
        for n in 1..=10u32 {
            let d = b.fail().as_millis() as u64;
            let base = Backoff::base_delay_secs(n) * 1000;
            assert!(
                d >= base * 3 / 4 && d <= (base * 5 / 4).min(60_000),
                "{n}: {d}"
            );
            assert_eq!(b.failures(), n);
        }
        b.reset();
        assert_eq!(b.failures(), 0);
    }

    #[test]
    fn jitter_seed_is_random_per_backoff() {
        // Two clients started at once must not retry in step.
        let delays = |mut b: Backoff| (0..6).map(|_| b.fail()).collect::<Vec<_>>();
        assert_ne!(delays(Backoff::default()), delays(Backoff::default()));
        // A fixed seed (tests) repeats.
        assert_eq!(delays(Backoff::with_seed(3)), delays(Backoff::with_seed(3)));
    }
}
