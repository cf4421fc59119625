//! What an instance keeps in memory, none of which another instance needs:
//! - [`Cached`]: a value recomputed at most once per period, for figures that may lag a little (the number of
//!   communes changes once a year);
//! - [`PageCache`]: public pages as rendered for visitors without a session, served again while the database's
//!   content version (raised by every activity entry, in its transaction) has not moved;
//! - [`Versioned`]: values computed from the database, while the version they were computed at has not moved
//!   (parts of pages common to all their viewers; questionnaires' parsed questions);
//! - [`SharedRead`]: one database read answering every request that arrived before it started.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix_web::http::header::ContentEncoding;
use actix_web::web::Bytes;

use crate::domain::questionnaire::Question;

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

/// Rendered public pages by URL, each with the content version it was rendered at.
///
/// The guarantee: a page is served from memory only if the content version read from the database for this request
/// equals the one it was rendered at, so a change recorded in the activity log is visible on every instance from
/// the first request after its commit. Changes that write no activity entry (a person's display name, a territory
/// import) show within `ttl`. Memory is bounded: at most `max_entries` pages, the whole map dropped when full.
pub struct PageCache {
    ttl: Duration,
    max_entries: usize,
    pages: Mutex<HashMap<String, CachedPage>>,
}

struct CachedPage {
    version: i64,
    at: Instant,
    body: Bytes,
    /// The body compressed, per encoding asked for since it was rendered: a page read by a whole town is
    /// compressed once, not at every request (each a trip to the blocking threads, in actix's encoder).
    encoded: Vec<(ContentEncoding, Bytes)>,
}

/// A page found in the cache.
pub enum Hit {
    /// In the encoding asked for.
    Ready(Bytes),
    /// As rendered: the encoding asked for is still to be made (and given back with `put_encoded`).
    ToEncode(Bytes),
}

impl PageCache {
    pub fn new(ttl: Duration, max_entries: usize) -> Self {
        PageCache { ttl, max_entries, pages: Mutex::new(HashMap::new()) }
    }

    /// The page of `url` if it was rendered at `version`, in `encoding` if it was made already.
    pub fn get(&self, url: &str, version: i64, encoding: ContentEncoding) -> Option<Hit> {
        let pages = self.pages.lock().ok()?;
        let page = pages.get(url).filter(|page| page.version == version && page.at.elapsed() < self.ttl)?;
        if encoding == ContentEncoding::Identity {
            return Some(Hit::Ready(page.body.clone()));
        }
        Some(match page.encoded.iter().find(|(e, _)| *e == encoding) {
            Some((_, body)) => Hit::Ready(body.clone()),
            None => Hit::ToEncode(page.body.clone()),
        })
    }

    /// Keeps a page's body in an encoding, if the page is still the one of `version`.
    pub fn put_encoded(&self, url: &str, version: i64, encoding: ContentEncoding, body: Bytes) {
        let Ok(mut pages) = self.pages.lock() else { return };
        if let Some(page) = pages.get_mut(url).filter(|page| page.version == version) {
            if !page.encoded.iter().any(|(e, _)| *e == encoding) {
                page.encoded.push((encoding, body));
            }
        }
    }

    /// Whether a page of this URL is kept, whatever its version: its route was found cacheable when it was put.
    pub fn holds(&self, url: &str) -> bool {
        self.pages.lock().is_ok_and(|pages| pages.contains_key(url))
    }

    pub fn put(&self, url: &str, version: i64, body: Bytes) {
        let Ok(mut pages) = self.pages.lock() else { return };
        if pages.len() >= self.max_entries && !pages.contains_key(url) {
            pages.clear();
        }
        pages.insert(url.to_owned(), CachedPage { version, at: Instant::now(), body, encoded: Vec::new() });
    }
}

/// Values computed from the database, by key, each with the version of the data it was computed at: a value is
/// served only while the version read for this request is the one it was computed at. Two uses:
/// - parts of pages common to all their viewers (see `AppState::shared`), by the content version, so that a
///   logged-in person's page renders only what is theirs;
/// - questionnaires' parsed questions, by the questionnaire's `updated_at` (every change to a question raises it
///   in the same transaction): answering a questionnaire reads one row instead of every question and its settings.
///
/// Memory is bounded: at most `max_entries` values, the whole map dropped when full; with a `ttl`, a value is
/// also computed again after that long (for what changes without raising the version, like a territory's name).
pub struct Versioned<K, Version, V> {
    max_entries: usize,
    ttl: Option<Duration>,
    entries: Mutex<HashMap<K, Entry<Version, V>>>,
}

struct Entry<Version, V> {
    version: Version,
    at: Instant,
    value: Arc<V>,
}

/// Questionnaires' questions, parsed, by questionnaire and its `updated_at`.
pub type QuestionCache = Versioned<i64, chrono::NaiveDateTime, Vec<Question>>;

impl<K: Hash + Eq, Version: PartialEq, V> Versioned<K, Version, V> {
    pub fn new(max_entries: usize, ttl: Option<Duration>) -> Self {
        Versioned { max_entries, ttl, entries: Mutex::new(HashMap::new()) }
    }

    pub fn get(&self, key: &K, version: &Version) -> Option<Arc<V>> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(key)?;
        let fresh = self.ttl.is_none_or(|ttl| entry.at.elapsed() < ttl);
        (entry.version == *version && fresh).then(|| entry.value.clone())
    }

    pub fn put(&self, key: K, version: Version, value: Arc<V>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= self.max_entries && !entries.contains_key(&key) {
                entries.clear();
            }
            entries.insert(key, Entry { version, at: Instant::now(), value });
        }
    }
}

/// A value read from the database, the read shared by the requests waiting for it: a request is answered by a read
/// that *started after it arrived*, so the value is as fresh as if each request read it (a commit made before a
/// request arrived is seen). One read runs at a time; the requests arriving meanwhile gather in one batch, whose
/// read starts when the running one ends and answers them all at once. The page cache reads the content version
/// this way: under load, a page a whole town reads costs one trip to the database per batch, not per visitor.
pub struct SharedRead<T> {
    /// The batch whose read has not started yet: every arriving request joins it.
    gathering: Mutex<Option<Arc<tokio::sync::OnceCell<T>>>>,
    /// Held while a read runs.
    running: tokio::sync::Mutex<()>,
}

impl<T: Clone> SharedRead<T> {
    pub fn new() -> Self {
        SharedRead { gathering: Mutex::new(None), running: tokio::sync::Mutex::new(()) }
    }

    /// The value, from a read started after this call began: `read` runs only if this request leads its batch.
    pub async fn get<E, F: Future<Output = Result<T, E>>>(&self, read: impl FnOnce() -> F) -> Result<T, E> {
        let batch =
            self.gathering.lock().unwrap_or_else(PoisonError::into_inner).get_or_insert_with(Default::default).clone();
        let value = batch
            .get_or_try_init(|| async {
                let _running = self.running.lock().await;
                // The batch closes as its read starts: a request arriving from now on waits for the next one.
                self.close(&batch);
                read().await
            })
            .await?;
        Ok(value.clone())
    }

    fn close(&self, batch: &Arc<tokio::sync::OnceCell<T>>) {
        let mut gathering = self.gathering.lock().unwrap_or_else(PoisonError::into_inner);
        if gathering.as_ref().is_some_and(|open| Arc::ptr_eq(open, batch)) {
            *gathering = None;
        }
    }
}

impl<T: Clone> Default for SharedRead<T> {
    fn default() -> Self {
        Self::new()
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

    fn plain(hit: Option<Hit>) -> Option<Bytes> {
        match hit? {
            Hit::Ready(body) => Some(body),
            Hit::ToEncode(_) => None,
        }
    }

    #[test]
    fn a_page_is_served_for_its_version_only_and_memory_stays_bounded() {
        let cache = PageCache::new(Duration::from_secs(60), 2);
        let get = |url: &str, version| plain(cache.get(url, version, ContentEncoding::Identity));
        cache.put("/themes", 4, Bytes::from_static(b"a"));
        assert_eq!(get("/themes", 4), Some(Bytes::from_static(b"a")));
        assert_eq!(get("/themes", 5), None, "the content changed since");
        assert!(cache.holds("/themes"), "kept all the same, for the next version");
        assert!(!cache.holds("/themes?page=2"));
        assert_eq!(get("/themes?page=2", 4), None);
        cache.put("/themes/1", 4, Bytes::from_static(b"b"));
        cache.put("/themes/2", 4, Bytes::from_static(b"c"));
        assert_eq!(get("/themes", 4), None, "full: the map was dropped");
        assert_eq!(get("/themes/2", 4), Some(Bytes::from_static(b"c")));
        let short = PageCache::new(Duration::from_millis(10), 8);
        short.put("/", 1, Bytes::from_static(b"x"));
        std::thread::sleep(Duration::from_millis(20));
        assert!(short.get("/", 1, ContentEncoding::Identity).is_none(), "older than the ttl");
    }

    #[test]
    fn a_page_is_compressed_once_per_version_and_encoding() {
        let cache = PageCache::new(Duration::from_secs(60), 8);
        cache.put("/q/abc", 4, Bytes::from_static(b"page"));
        let Some(Hit::ToEncode(body)) = cache.get("/q/abc", 4, ContentEncoding::Brotli) else { panic!("to encode") };
        assert_eq!(body, Bytes::from_static(b"page"));
        cache.put_encoded("/q/abc", 4, ContentEncoding::Brotli, Bytes::from_static(b"br"));
        cache.put_encoded("/q/abc", 5, ContentEncoding::Gzip, Bytes::from_static(b"gz"));
        assert_eq!(plain(cache.get("/q/abc", 4, ContentEncoding::Brotli)), Some(Bytes::from_static(b"br")));
        assert!(matches!(cache.get("/q/abc", 4, ContentEncoding::Gzip), Some(Hit::ToEncode(_))), "another version's");
        assert_eq!(plain(cache.get("/q/abc", 4, ContentEncoding::Identity)), Some(Bytes::from_static(b"page")));
        cache.put("/q/abc", 5, Bytes::from_static(b"new page"));
        assert!(matches!(cache.get("/q/abc", 5, ContentEncoding::Brotli), Some(Hit::ToEncode(_))), "rendered again");
    }

    #[test]
    fn a_value_is_served_for_its_version_only_and_memory_stays_bounded() {
        let questions = Versioned::new(2, None);
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).and_then(|d| d.and_hms_opt(10, 0, 0)).unwrap();
        let later = day + chrono::TimeDelta::microseconds(1);
        questions.put(1, day, Arc::new(Vec::<Question>::new()));
        assert!(questions.get(&1, &day).is_some());
        assert!(questions.get(&1, &later).is_none(), "a change to the questionnaire misses");
        assert!(questions.get(&2, &day).is_none());
        questions.put(2, day, Arc::new(Vec::new()));
        questions.put(2, later, Arc::new(Vec::new()));
        assert!(questions.get(&1, &day).is_some(), "replacing a key's value keeps the others");
        questions.put(3, day, Arc::new(Vec::new()));
        assert!(questions.get(&1, &day).is_none(), "bounded: full, the map starts again");
        assert!(questions.get(&3, &day).is_some());
        let parts = Versioned::new(8, Some(Duration::from_millis(10)));
        parts.put("/themes/1", 4_i64, Arc::new("partie"));
        assert_eq!(parts.get(&"/themes/1", &4).as_deref(), Some(&"partie"));
        std::thread::sleep(Duration::from_millis(20));
        assert!(parts.get(&"/themes/1", &4).is_none(), "older than the ttl");
    }

    #[tokio::test]
    async fn a_shared_read_answers_only_the_requests_that_arrived_before_it_started() {
        use std::cell::Cell;
        use tokio::sync::oneshot;

        let shared = SharedRead::new();
        let reads = Cell::new(0);
        let read = |value: i64| {
            let reads = &reads;
            move || async move {
                reads.set(reads.get() + 1);
                Ok::<_, ()>(value)
            }
        };
        assert_eq!(shared.get(read(1)).await, Ok(1));
        assert_eq!(shared.get(read(2)).await, Ok(2), "a read that ended before arrival is not reused");
        assert_eq!(reads.get(), 2);

        // A read in progress when a request arrives: that request waits for the next read, which it shares with
        // every request that arrived while the first one ran.
        let (release, released) = oneshot::channel::<()>();
        let running = shared.get(|| async move {
            released.await.map_err(|_| ())?;
            Ok::<_, ()>(10)
        });
        let arriving = async {
            tokio::task::yield_now().await;
            let release_later = async {
                tokio::task::yield_now().await;
                let _ = release.send(());
            };
            tokio::join!(shared.get(read(11)), shared.get(read(12)), release_later)
        };
        let (running, (first, second, ())) = tokio::join!(running, arriving);
        assert_eq!(running, Ok(10));
        assert_eq!((first, second), (Ok(11), Ok(11)), "one read after the running one answers both");
        assert_eq!(reads.get(), 3);
    }
}
