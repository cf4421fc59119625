//! Abuse limits for anonymous answers: how many responses one network address may send in an hour. The limit is
//! generous on purpose: a town hall's shared computer, or a public meeting behind one Wi-Fi box, sends many
//! legitimate responses from one address. Past it, the respondent's answers are kept on the page and they are
//! asked to send them again a little later; nothing is lost. The public API counts its requests the same way, per
//! minute, and tells its callers where they stand (`Quota`). Counted per instance, in memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts per address over a sliding window (an hour, a minute), approximated by the current and the previous fixed
/// windows (the previous one weighted by how much of it still overlaps): constant memory per address.
pub struct SubmissionLimiter {
    limit: u32,
    window: Duration,
    windows: Mutex<HashMap<String, Windows>>,
}

/// Where an address stands after a request: whether it was allowed, how many more the window allows, and in how
/// many seconds the current window ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    pub reset_seconds: u64,
}

#[derive(Clone, Copy)]
struct Windows {
    started: Instant,
    current: u32,
    previous: u32,
}

const HOUR: Duration = Duration::from_secs(3600);
/// Beyond this many addresses, stale ones are forgotten before a new one is counted.
const ADDRESSES_KEPT: usize = 100_000;

impl SubmissionLimiter {
    /// `per_hour` = 0 turns the limit off.
    pub fn new(per_hour: u32) -> SubmissionLimiter {
        SubmissionLimiter::per_window(per_hour, HOUR)
    }

    /// `limit` requests per `window`; 0 turns the limit off.
    pub fn per_window(limit: u32, window: Duration) -> SubmissionLimiter {
        SubmissionLimiter { limit, window, windows: Mutex::new(HashMap::new()) }
    }

    pub fn per_hour(&self) -> u32 {
        self.limit
    }

    /// Counts one submission from `address` at `now`; false when the address is over its limit (then the
    /// submission is not counted).
    pub fn allow(&self, address: &str, now: Instant) -> bool {
        self.count(address, now).allowed
    }

    /// Counts one request from `address` at `now` unless it is over its limit, and says where it stands.
    pub fn count(&self, address: &str, now: Instant) -> Quota {
        let window = self.window;
        let open = Quota { allowed: true, limit: self.limit, remaining: self.limit, reset_seconds: window.as_secs() };
        if self.limit == 0 {
            return open;
        }
        let Ok(mut windows) = self.windows.lock() else { return open };
        if windows.len() >= ADDRESSES_KEPT && !windows.contains_key(address) {
            windows.retain(|_, w| now.duration_since(w.started) < 2 * window);
        }
        let entry = windows.entry(address.to_owned()).or_insert(Windows { started: now, current: 0, previous: 0 });
        let elapsed = now.duration_since(entry.started);
        if elapsed >= 2 * window {
            *entry = Windows { started: now, current: 0, previous: 0 };
        } else if elapsed >= window {
            *entry = Windows { started: entry.started + window, current: 0, previous: entry.current };
        }
        let into_window = now.duration_since(entry.started).as_secs_f64() / window.as_secs_f64();
        let estimate = f64::from(entry.previous) * (1.0 - into_window) + f64::from(entry.current);
        let reset_seconds = (window.saturating_sub(now.duration_since(entry.started))).as_secs().max(1);
        if estimate >= f64::from(self.limit) {
            return Quota { allowed: false, limit: self.limit, remaining: 0, reset_seconds };
        }
        entry.current += 1;
        // What is left once this request is counted, rounded down.
        let remaining = (f64::from(self.limit) - estimate - 1.0).max(0.0) as u32;
        Quota { allowed: true, limit: self.limit, remaining, reset_seconds }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_limited_within_the_hour_and_others_are_not() {
        let limiter = SubmissionLimiter::new(3);
        let start = Instant::now();
        assert!((0..3).all(|i| limiter.allow("192.0.2.1", start + Duration::from_secs(i))));
        assert!(!limiter.allow("192.0.2.1", start + Duration::from_secs(10)));
        assert!(limiter.allow("192.0.2.2", start + Duration::from_secs(10)));
        // Half an hour into the next window, half of the previous window still counts: 1.5 + 0 < 3.
        assert!(limiter.allow("192.0.2.1", start + HOUR + HOUR / 2));
        // Two hours later, everything is forgotten.
        assert!((0..3).all(|i| limiter.allow("192.0.2.1", start + 3 * HOUR + Duration::from_secs(i))));
    }

    #[test]
    fn a_quota_says_what_is_left_and_when_the_window_ends() {
        let limiter = SubmissionLimiter::per_window(2, Duration::from_secs(60));
        let start = Instant::now();
        let first = limiter.count("192.0.2.1", start);
        assert_eq!((first.allowed, first.limit, first.remaining, first.reset_seconds), (true, 2, 1, 60));
        assert_eq!(limiter.count("192.0.2.1", start + Duration::from_secs(10)).remaining, 0);
        let refused = limiter.count("192.0.2.1", start + Duration::from_secs(20));
        assert_eq!((refused.allowed, refused.remaining, refused.reset_seconds), (false, 0, 40));
    }

    #[test]
    fn zero_turns_the_limit_off() {
        let limiter = SubmissionLimiter::new(0);
        let now = Instant::now();
        assert!((0..10_000).all(|_| limiter.allow("192.0.2.1", now)));
    }
}
