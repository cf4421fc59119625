//! Passwords (argon2id), random tokens and their stored digests.

use anyhow::Context;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::sync::{mpsc, Arc, Mutex, OnceLock, PoisonError};

/// Each argon2id computation takes 19 MiB and a core for ~20 ms. They all run on a few dedicated threads (as many
/// as cores): running more at once gains no throughput, and since the allocator keeps per-thread arenas, hashing
/// on every request thread would leave each of them holding its own 19 MiB (hundreds of MiB after a burst of
/// logins, measured). Callers block until their turn; they are blocking threads already.
type HashJob = Box<dyn FnOnce() + Send>;

fn run_on_hashing_threads<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    static QUEUE: OnceLock<Mutex<mpsc::Sender<HashJob>>> = OnceLock::new();
    let queue = QUEUE.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<HashJob>();
        let receiver = Arc::new(Mutex::new(receiver));
        for i in 0..std::thread::available_parallelism().map_or(2, |n| n.get()) {
            let receiver = Arc::clone(&receiver);
            let spawned = std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || loop {
                let job = receiver.lock().unwrap_or_else(PoisonError::into_inner).recv();
                match job {
                    Ok(job) => job(),
                    Err(_) => break,
                }
            });
            if let Err(e) = spawned {
                log::error!("fil de hachage non créé : {e}");
            }
        }
        Mutex::new(sender)
    });
    let (reply, result) = mpsc::channel();
    let job: HashJob = Box::new(move || {
        let _ = reply.send(work());
    });
    queue
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .send(job)
        .map_err(|_| anyhow::anyhow!("file de hachage fermée"))?;
    result.recv().context("fil de hachage interrompu")
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let password = password.to_owned();
    run_on_hashing_threads(move || {
        let salt = SaltString::generate(&mut OsRng);
        Ok(Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| anyhow::anyhow!("hachage du mot de passe : {e}"))?
            .to_string())
    })?
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    run_on_hashing_threads(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .unwrap_or(false)
}

/// A hash of a random password nobody knows: verifying against it when an account does not exist keeps a failed
/// login as slow as a wrong password, so timing does not reveal which addresses have accounts.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_token()).unwrap_or_default())
}

pub fn random_bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).context("générateur aléatoire du système indisponible")?;
    Ok(bytes)
}

/// 256 random bits, hex-encoded: for links sent by e-mail and CSRF tokens.
pub fn random_token() -> String {
    // A web server cannot go on without the system's random generator: no fallback value would be safe.
    #[allow(clippy::expect_used)] // reason: no safe way to continue without randomness
    let bytes = random_bytes::<32>().expect("générateur aléatoire du système indisponible");
    hex_encode(&bytes)
}

/// Only digests of e-mailed tokens are stored: a copy of the database does not give working links.
pub fn token_digest(token: &str) -> String {
    hex_encode(&Sha256::digest(token.as_bytes()))
}

/// HMAC-SHA-256 of `message` under `key` (RFC 2104), in hexadecimal: links that act without a session (one-click
/// unsubscribe) carry it, so that only the platform can make them.
pub fn sign(key: &[u8], message: &str) -> String {
    hex_encode(&mac(key, message).finalize().into_bytes())
}

/// Whether `signature` is [`sign`]'s for this key and message, checked in constant time by the `hmac` crate.
pub fn verify_signature(key: &[u8], message: &str, signature: &str) -> bool {
    hex_decode(signature).is_some_and(|bytes| mac(key, message).verify_slice(&bytes).is_ok())
}

fn mac(key: &[u8], message: &str) -> Hmac<Sha256> {
    #[allow(clippy::expect_used)] // reason: HMAC takes a key of any length (RFC 2104 hashes a long one)
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepte toute longueur de clé");
    mac.update(message.as_bytes());
    mac
}

/// Equality of two secrets (CSRF tokens) that takes the same time wherever they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

pub fn hex_decode(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() -> anyhow::Result<()> {
        let hash = hash_password("correct horse battery")?;
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
        assert!(!verify_password("anything", "not a hash"));
        Ok(())
    }

    #[test]
    fn concurrent_hashing_completes_on_the_hashing_threads() {
        let handles: Vec<_> = (0..6)
            .map(|i| {
                std::thread::spawn(move || {
                    let password = format!("mot de passe {i}");
                    hash_password(&password).map(|hash| verify_password(&password, &hash))
                })
            })
            .collect();
        for handle in handles {
            assert!(handle.join().unwrap().unwrap());
        }
    }

    #[test]
    fn signatures_are_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            sign(b"Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(verify_signature(
            b"Jefe",
            "what do ya want for nothing?",
            &sign(b"Jefe", "what do ya want for nothing?")
        ));
        assert!(!verify_signature(b"Jefe", "autre chose", &sign(b"Jefe", "what do ya want for nothing?")));
        let signature = sign(b"Jefe", "what do ya want for nothing?");
        assert!(!verify_signature(b"Jefe", "what do ya want for nothing?", &signature[..32]), "truncated");
        assert!(!verify_signature(b"Jefe", "what do ya want for nothing?", "zz"), "not hexadecimal");
        // RFC 4231, test case 6: a key longer than the block is hashed first.
        assert_eq!(
            sign(&[0xaa; 131], "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn tokens_are_random_and_digests_stable() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_digest(&a), token_digest(&a));
        assert_ne!(token_digest(&a), a);
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(hex_decode(&hex_encode(&[0, 15, 255])), Some(vec![0, 15, 255]));
        assert_eq!(hex_decode("zz"), None);
        assert!(constant_time_eq(b"abc", b"abc") && !constant_time_eq(b"abc", b"abd"));
    }
}
