//! Per-client limits that cannot identify a teller: a token bucket per address, keyed by a
//! salted hash of the address. The salt is random, lives only in memory and changes every
//! day (the buckets go with it), so no address, or anything that leads back to one, is
//! ever stored or logged. Generous on purpose: a school class or a care institution may
//! share one address, and hundreds of honest stories from it in a minute must get in.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// Stories per address: a burst of `capacity`, refilled at `capacity` per minute.
pub struct RateLimiter {
    capacity: f64,
    per_second: f64,
    state: Mutex<State>,
}

struct State {
    day: u64,
    salt: [u8; 32],
    buckets: HashMap<[u8; 16], (f64, Instant)>,
}

/// More buckets than this and the full ones are forgotten (memory stays bounded).
const MAX_BUCKETS: usize = 100_000;

impl RateLimiter {
    /// A limiter allowing `per_minute` stories per address per minute (and as a burst).
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            capacity: f64::from(per_minute.max(1)),
            per_second: f64::from(per_minute.max(1)) / 60.0,
            state: Mutex::new(State { day: u64::MAX, salt: [0; 32], buckets: HashMap::new() }),
        }
    }

    /// Whether one more story from `address` is allowed now.
    pub fn allow(&self, address: IpAddr) -> bool {
        let Ok(mut state) = self.state.lock() else { return true };
        let day = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400);
        if state.day != day {
            state.day = day;
            rand::RngCore::fill_bytes(&mut rand::rng(), &mut state.salt);
            state.buckets.clear();
        }
        let mut hasher = Sha256::new();
        hasher.update(state.salt);
        hasher.update(match address {
            IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
            IpAddr::V6(v6) => v6.octets(),
        });
        let digest = hasher.finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        let now = Instant::now();
        let (capacity, per_second) = (self.capacity, self.per_second);
        if state.buckets.len() >= MAX_BUCKETS {
            state.buckets.retain(|_, (tokens, last)| *tokens + now.duration_since(*last).as_secs_f64() * per_second < capacity);
        }
        let (tokens, last) = state.buckets.entry(key).or_insert((capacity, now));
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

    #[test]
    fn each_address_has_its_own_burst() {
        let limiter = RateLimiter::new(100);
        let school: IpAddr = "192.0.2.10".parse().unwrap();
        let home: IpAddr = "2001:db8::1".parse().unwrap();
        assert_eq!((0..150).filter(|_| limiter.allow(school)).count(), 100);
        assert!(limiter.allow(home));
    }
}
