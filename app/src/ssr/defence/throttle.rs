//! Sign-in throttling, per account and per client address: after [`FREE_FAILURES`] failed
//! sign-ins within [`WINDOW`], each further try waits, twice as long after every failure up
//! to [`MAX_WAIT`]. A good sign-in clears its account's count (not its address's: one person
//! guessing many accounts from one place stays slowed).
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const FREE_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const FIRST_WAIT: Duration = Duration::from_secs(30);
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// How many keys are kept before the expired ones are swept.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    fn wait(&self) -> Duration {
        if self.count < FREE_FAILURES {
            return Duration::ZERO;
        }
        let doublings = (self.count - FREE_FAILURES).min(10);
        (FIRST_WAIT * 2u32.pow(doublings)).min(MAX_WAIT)
    }
}

#[derive(Debug, Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<String, Failures>>,
}

impl SignInThrottle {
    /// The keys a sign-in is counted under: the account, and the client's address if known.
    pub fn keys(user: &str, client: Option<&str>) -> Vec<String> {
        let mut keys = vec![format!("user:{}", user.trim().to_lowercase())];
        if let Some(addr) = client {
            keys.push(format!("addr:{addr}"));
        }
        keys
    }

    /// `Err(seconds)` while any key must still wait.
    pub fn check(&self, keys: &[String]) -> Result<(), u64> {
        self.check_at(keys, Instant::now())
    }

    fn check_at(&self, keys: &[String], now: Instant) -> Result<(), u64> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let wait = keys
            .iter()
            .filter_map(|k| map.get(k))
            .filter(|f| now.duration_since(f.last) < WINDOW.max(f.wait()))
            .map(|f| f.wait().saturating_sub(now.duration_since(f.last)))
            .max()
            .unwrap_or(Duration::ZERO);
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait.as_secs().max(1))
        }
    }

    pub fn failed(&self, keys: &[String]) {
        self.failed_at(keys, Instant::now());
    }

    fn failed_at(&self, keys: &[String], now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= SWEEP_AT {
            map.retain(|_, f| now.duration_since(f.last) < WINDOW.max(f.wait()));
        }
        for key in keys {
            let f = map.entry(key.clone()).or_insert(Failures { count: 0, last: now });
            if now.duration_since(f.last) >= WINDOW.max(f.wait()) {
                f.count = 0;
            }
            f.count += 1;
            f.last = now;
        }
    }

    /// A good sign-in: the account starts afresh.
    pub fn succeeded(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in keys.iter().filter(|k| k.starts_with("user:")) {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handful_of_failures_is_free_then_each_try_waits_longer() {
        let t = SignInThrottle::default();
        let keys = SignInThrottle::keys("r14", Some("10.0.0.7"));
        let start = Instant::now();
        for _ in 0..FREE_FAILURES - 1 {
            t.failed_at(&keys, start);
        }
        assert!(t.check_at(&keys, start).is_ok());
        t.failed_at(&keys, start);
        assert_eq!(t.check_at(&keys, start), Err(30));
        assert!(t.check_at(&keys, start + Duration::from_secs(31)).is_ok());
        t.failed_at(&keys, start + Duration::from_secs(31));
        assert_eq!(t.check_at(&keys, start + Duration::from_secs(31)), Err(60));
    }

    #[test]
    fn the_account_and_the_address_are_counted_apart() {
        let t = SignInThrottle::default();
        let now = Instant::now();
        for i in 0..FREE_FAILURES {
            t.failed_at(&SignInThrottle::keys(&format!("user{i}"), Some("10.0.0.9")), now);
        }
        // Many accounts from one address: the address waits, another address does not.
        assert!(t.check_at(&SignInThrottle::keys("someone", Some("10.0.0.9")), now).is_err());
        assert!(t.check_at(&SignInThrottle::keys("someone", Some("10.0.0.10")), now).is_ok());
        // A good sign-in clears the account, not the address.
        let keys = SignInThrottle::keys("user0", Some("10.0.0.9"));
        t.succeeded(&keys);
        assert!(t.check_at(&keys, now).is_err());
    }

    #[test]
    fn failures_are_forgotten_after_the_window() {
        let t = SignInThrottle::default();
        let keys = SignInThrottle::keys("R14 ", None);
        let start = Instant::now();
        for _ in 0..FREE_FAILURES {
            t.failed_at(&keys, start);
        }
        let later = start + WINDOW + Duration::from_secs(1);
        assert!(t.check_at(&keys, later).is_ok());
        t.failed_at(&keys, later);
        assert!(t.check_at(&keys, later).is_ok(), "the count started again");
    }
}
