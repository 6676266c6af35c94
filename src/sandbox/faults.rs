//! Fault injection for the `/api/` routes (off by default): added latency,
//! random 500 errors, cut connections, malformed JSON bodies and bursts of
//! 429s. Set at run time with [`Sandbox::set_faults`]; a spec string such as
//! `latency=200ms,error=0.1,drop=0.05,bad-json=0.05,burst=0.02` parses into
//! [`Faults`] (for a CLI flag). Decisions come from a seeded RNG, so a given
//! sequence of requests meets the same faults.

use super::errors::SbError;
use super::Sandbox;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::str::FromStr;
use std::time::Duration;

/// Fault settings. Rates are probabilities per API request (0.0..=1.0).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Faults {
    /// Delay added before every API response.
    pub latency: Duration,
    /// Chance of a 500 `INTERNAL` error envelope instead of the real answer
    /// (the request is not processed).
    pub error_rate: f64,
    /// Chance that the connection is cut without a complete answer (the
    /// client sees a transport error; the request is not processed).
    pub drop_rate: f64,
    /// Chance of a 200 whose body is truncated, invalid JSON (the request
    /// IS processed: the client cannot know whether it succeeded).
    pub bad_json_rate: f64,
    /// Chance that a burst of 429s starts; during a burst every API request
    /// answers 429 `RATE_LIMITED` (`retryAfterSeconds` 1).
    pub burst_rate: f64,
    /// Requests refused by one burst (default 5 when parsing).
    pub burst_len: u32,
}

impl Faults {
    /// Whether any fault is on.
    pub fn is_active(&self) -> bool {
        !self.latency.is_zero()
            || self.error_rate > 0.0
            || self.drop_rate > 0.0
            || self.bad_json_rate > 0.0
            || self.burst_rate > 0.0
    }
}

fn parse_rate(k: &str, v: &str) -> Result<f64, String> {
    let r: f64 = v
        .parse()
        .map_err(|_| format!("fault {k}: {v:?} is not a number"))?;
    if !(0.0..=1.0).contains(&r) {
        return Err(format!("fault {k}: {r} is not between 0 and 1"));
    }
    Ok(r)
}

fn parse_duration(v: &str) -> Result<Duration, String> {
    let (num, unit) = match v.strip_suffix("ms") {
        Some(n) => (n, 1u64),
        None => (v.strip_suffix('s').unwrap_or(v), 1000u64),
    };
    let n: u64 = num
        .trim()
        .parse()
        .map_err(|_| format!("fault latency: {v:?} is not a duration like 200ms or 2s"))?;
    Ok(Duration::from_millis(n.saturating_mul(unit)))
}

impl FromStr for Faults {
    type Err = String;

    /// Parses `key=value` pairs separated by commas: `latency` (`200ms`,
    /// `2s`), `error`, `drop`, `bad-json`, `burst` (rates 0..1), `burst-len`
    /// (requests). An empty string or `off` means no faults.
    fn from_str(s: &str) -> Result<Self, String> {
        let mut f = Faults {
            burst_len: 5,
            ..Faults::default()
        };
        let s = s.trim();
        if s.is_empty() || s == "off" {
            return Ok(f);
        }
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("fault {part:?} must look like key=value"))?;
            let (k, v) = (k.trim(), v.trim());
            match k {
                "latency" => f.latency = parse_duration(v)?,
                "error" => f.error_rate = parse_rate(k, v)?,
                "drop" => f.drop_rate = parse_rate(k, v)?,
                "bad-json" => f.bad_json_rate = parse_rate(k, v)?,
                "burst" => f.burst_rate = parse_rate(k, v)?,
                "burst-len" => {
                    f.burst_len = v
                        .parse()
                        .map_err(|_| format!("fault burst-len: {v:?} is not a count"))?
                }
                _ => {
                    return Err(format!(
                    "unknown fault {k:?} (known: latency, error, drop, bad-json, burst, burst-len)"
                ))
                }
            }
        }
        Ok(f)
    }
}

/// Fault settings plus the injector's RNG and burst counter.
pub struct FaultState {
    pub faults: Faults,
    rng: StdRng,
    burst_left: u32,
}

impl Default for FaultState {
    fn default() -> Self {
        FaultState {
            faults: Faults::default(),
            rng: StdRng::seed_from_u64(0xFA_17),
            burst_left: 0,
        }
    }
}

enum Decision {
    Pass,
    Error,
    Drop,
    BadJson,
    Burst,
}

impl FaultState {
    /// Replaces the settings and resets the RNG and any running burst.
    pub fn set(&mut self, faults: Faults) {
        *self = FaultState {
            faults,
            ..FaultState::default()
        };
    }

    fn decide(&mut self) -> Decision {
        let f = &self.faults;
        if self.burst_left > 0 {
            self.burst_left -= 1;
            return Decision::Burst;
        }
        if f.burst_rate > 0.0 && self.rng.gen_bool(f.burst_rate) {
            self.burst_left = f.burst_len.saturating_sub(1);
            return Decision::Burst;
        }
        if f.drop_rate > 0.0 && self.rng.gen_bool(f.drop_rate) {
            return Decision::Drop;
        }
        if f.error_rate > 0.0 && self.rng.gen_bool(f.error_rate) {
            return Decision::Error;
        }
        if f.bad_json_rate > 0.0 && self.rng.gen_bool(f.bad_json_rate) {
            return Decision::BadJson;
        }
        Decision::Pass
    }
}

/// Middleware: applies the sandbox's current faults to `/api/` requests.
pub async fn inject(State(sb): State<Sandbox>, req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_string(), |p| p.to_string());
    if let Some(answer) = sb.scripted_answer(&target) {
        return scripted(answer);
    }
    let (latency, decision) = sb.with_faults(|f| {
        if f.faults.is_active() {
            (f.faults.latency, f.decide())
        } else {
            (Duration::ZERO, Decision::Pass)
        }
    });
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match decision {
        Decision::Pass => next.run(req).await,
        Decision::Burst => SbError::rate_limited("Injected fault: 429 burst", 1).into_response(),
        Decision::Error => SbError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "Injected fault: internal error",
        )
        .into_response(),
        Decision::Drop => {
            let broken = futures::stream::once(async {
                Err::<bytes::Bytes, std::io::Error>(std::io::Error::other("injected drop"))
            });
            Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from_stream(broken))
                .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        Decision::BadJson => {
            let _ = next.run(req).await;
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "{\"ok\":true,\"items\":[{\"id\":",
            )
                .into_response()
        }
    }
}

/// The response for a scripted answer (see `Sandbox::script_answers`).
fn scripted(a: super::RawAnswer) -> Response {
    let mut b = Response::builder().status(a.status);
    for (k, v) in &a.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(Body::from(a.body))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs() {
        let f: Faults = "latency=200ms, error=0.1,drop=0.05,bad-json=0.5,burst=1,burst-len=3"
            .parse()
            .unwrap();
        assert_eq!(f.latency, Duration::from_millis(200));
        assert_eq!(
            (f.error_rate, f.drop_rate, f.bad_json_rate, f.burst_rate),
            (0.1, 0.05, 0.5, 1.0)
        );
        assert_eq!(f.burst_len, 3);
        assert_eq!(
            "latency=2s".parse::<Faults>().unwrap().latency,
            Duration::from_secs(2)
        );
        assert!(!"off".parse::<Faults>().unwrap().is_active());
        assert!("error=2".parse::<Faults>().is_err());
        assert!("nonsense=1".parse::<Faults>().is_err());
        assert!("error".parse::<Faults>().is_err());
    }
}
