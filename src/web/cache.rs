//! A value recomputed at most once per period, for figures on public pages that are costly to count and may lag
//! a little (the number of communes changes once a year). Each instance keeps its own copy: nothing depends on
//! it being shared, so several instances stay correct.

use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Cached<T> {
    ttl: Duration,
    slot: Mutex<Option<(Instant, T)>>,
}

impl<T: Clone> Cached<T> {
    pub fn new(ttl: Duration) -> Self {
        Cached { ttl, slot: Mutex::new(None) }
    }

    /// The value if it was computed less than `ttl` ago.
    pub fn fresh(&self) -> Option<T> {
        let slot = self.slot.lock().ok()?;
        slot.as_ref().filter(|(at, _)| at.elapsed() < self.ttl).map(|(_, value)| value.clone())
    }

    pub fn store(&self, value: T) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some((Instant::now(), value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_expires() {
        let cache = Cached::new(Duration::from_millis(20));
        assert_eq!(cache.fresh(), None::<u8>);
        cache.store(7);
        assert_eq!(cache.fresh(), Some(7));
        std::thread::sleep(Duration::from_millis(30));
        assert_eq!(cache.fresh(), None);
    }
}
