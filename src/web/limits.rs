//! Abuse limits for anonymous answers: how many responses one network address may send in an hour. The limit is
//! generous on purpose: a town hall's shared computer, or a public meeting behind one Wi-Fi box, sends many
//! legitimate responses from one address. Past it, the respondent's answers are kept on the page and they are
//! asked to send them again a little later; nothing is lost. Counted per instance, in memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts per address over a sliding hour, approximated by the current and the previous fixed windows (the
/// previous one weighted by how much of it still overlaps the last hour): constant memory per address.
pub struct SubmissionLimiter {
    per_hour: u32,
    windows: Mutex<HashMap<String, Windows>>,
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
        SubmissionLimiter { per_hour, windows: Mutex::new(HashMap::new()) }
    }

    pub fn per_hour(&self) -> u32 {
        self.per_hour
    }

    /// Counts one submission from `address` at `now`; false when the address is over its limit (then the
    /// submission is not counted).
    pub fn allow(&self, address: &str, now: Instant) -> bool {
        if self.per_hour == 0 {
            return true;
        }
        let Ok(mut windows) = self.windows.lock() else { return true };
        if windows.len() >= ADDRESSES_KEPT && !windows.contains_key(address) {
            windows.retain(|_, w| now.duration_since(w.started) < 2 * HOUR);
        }
        let entry = windows.entry(address.to_owned()).or_insert(Windows { started: now, current: 0, previous: 0 });
        let elapsed = now.duration_since(entry.started);
        if elapsed >= 2 * HOUR {
            *entry = Windows { started: now, current: 0, previous: 0 };
        } else if elapsed >= HOUR {
            *entry = Windows { started: entry.started + HOUR, current: 0, previous: entry.current };
        }
        let into_window = now.duration_since(entry.started).as_secs_f64() / HOUR.as_secs_f64();
        let estimate = f64::from(entry.previous) * (1.0 - into_window) + f64::from(entry.current);
        if estimate >= f64::from(self.per_hour) {
            return false;
        }
        entry.current += 1;
        true
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
    fn zero_turns_the_limit_off() {
        let limiter = SubmissionLimiter::new(0);
        let now = Instant::now();
        assert!((0..10_000).all(|_| limiter.allow("192.0.2.1", now)));
    }
}
