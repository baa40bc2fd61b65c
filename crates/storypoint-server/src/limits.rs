//! Per-client limits that cannot identify a teller: a token bucket per client, keyed by a
//! salted hash of the client's address ([`ClientKey`]). The salt is random, lives only in
//! memory and changes every day (the buckets go with it), so no address, or anything that
//! leads back to one, is ever stored or logged. Generous on purpose: a school class or a
//! care institution may share one address, and hundreds of honest stories from it in a
//! minute must get in.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// A client as the limits know it: a hash of its address with today's salt. An IPv6 client
/// is its /64 (one household or phone gets a whole /64, and picks addresses in it at will);
/// an IPv4 client is its address.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ClientKey([u8; 16]);

/// Today's salt, made at the first use of the day; never written anywhere.
static SALT: Mutex<(u64, [u8; 32])> = Mutex::new((u64::MAX, [0; 32]));

fn day_number() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400)
}

impl ClientKey {
    /// The key of `address` today.
    pub fn of(address: IpAddr) -> ClientKey {
        let salt = {
            let mut salt = SALT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let day = day_number();
            if salt.0 != day {
                salt.0 = day;
                rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt.1);
            }
            salt.1
        };
        let octets = match address {
            IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_ipv6_mapped().octets(),
                None => {
                    let mut prefix = [0u8; 16];
                    prefix[..8].copy_from_slice(&v6.octets()[..8]);
                    prefix
                }
            },
        };
        let digest = Sha256::new().chain_update(salt).chain_update(octets).finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        ClientKey(key)
    }
}

/// A token bucket per client: a burst of `capacity`, refilled evenly over a period.
pub struct RateLimiter {
    capacity: f64,
    per_second: f64,
    state: Mutex<State>,
}

struct State {
    day: u64,
    buckets: HashMap<ClientKey, (f64, Instant)>,
}

/// More buckets than this and the full ones are forgotten (memory stays bounded).
const MAX_BUCKETS: usize = 100_000;

impl RateLimiter {
    /// A limiter allowing `per_minute` per client per minute (and as a burst).
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter::per(per_minute, std::time::Duration::from_secs(60))
    }

    /// A limiter allowing `capacity` per client per `period` (and as a burst).
    pub fn per(capacity: u32, period: std::time::Duration) -> RateLimiter {
        let capacity = f64::from(capacity.max(1));
        RateLimiter { capacity, per_second: capacity / period.as_secs_f64().max(0.001), state: Mutex::new(State { day: u64::MAX, buckets: HashMap::new() }) }
    }

    /// How long `client` must wait for its next token (`None`: it has one now).
    pub fn wait(&self, client: ClientKey) -> Option<std::time::Duration> {
        let state = self.state.lock().ok()?;
        let (tokens, last) = state.buckets.get(&client)?;
        let tokens = (*tokens + last.elapsed().as_secs_f64() * self.per_second).min(self.capacity);
        (tokens < 1.0).then(|| std::time::Duration::from_secs_f64((1.0 - tokens) / self.per_second))
    }

    /// Whether one more from `client` is allowed now.
    pub fn allow(&self, client: ClientKey) -> bool {
        let Ok(mut state) = self.state.lock() else { return true };
        let day = day_number();
        if state.day != day {
            // Yesterday's keys were made with yesterday's salt: they match nobody now.
            state.day = day;
            state.buckets.clear();
        }
        let now = Instant::now();
        let (capacity, per_second) = (self.capacity, self.per_second);
        if state.buckets.len() >= MAX_BUCKETS {
            state.buckets.retain(|_, (tokens, last)| *tokens + now.duration_since(*last).as_secs_f64() * per_second < capacity);
        }
        let (tokens, last) = state.buckets.entry(client).or_insert((capacity, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * per_second).min(capacity);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(text: &str) -> ClientKey {
        ClientKey::of(text.parse().unwrap())
    }

    #[test]
    fn each_client_has_its_own_burst() {
        let limiter = RateLimiter::new(100);
        assert_eq!((0..150).filter(|_| limiter.allow(key("192.0.2.10"))).count(), 100);
        assert!(limiter.allow(key("2001:db8::1")));
        assert!(limiter.allow(key("192.0.2.11")));
    }

    #[test]
    fn an_ipv6_client_is_its_64() {
        assert_eq!(key("2001:db8:1:2::1"), key("2001:db8:1:2:ffff:eeee:dddd:cccc"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.10"), key("192.0.2.10"));
        assert_ne!(key("192.0.2.10"), key("192.0.2.11"));
        let limiter = RateLimiter::new(10);
        let spent = (0..1000).filter(|i| limiter.allow(key(&format!("2001:db8:1:2::{i:x}")))).count();
        assert_eq!(spent, 10, "a /64 shares one bucket");
    }

    #[test]
    fn an_empty_bucket_says_how_long_to_wait() {
        let limiter = RateLimiter::per(2, std::time::Duration::from_secs(120));
        let guesser = key("198.51.100.7");
        assert_eq!(limiter.wait(guesser), None, "nothing spent yet");
        assert!(limiter.allow(guesser) && limiter.allow(guesser));
        let wait = limiter.wait(guesser).expect("the bucket is empty");
        assert!(wait.as_secs() > 50 && wait.as_secs() <= 60, "{wait:?}");
        assert_eq!(limiter.wait(key("198.51.100.8")), None, "another client is not held up");
    }
}
