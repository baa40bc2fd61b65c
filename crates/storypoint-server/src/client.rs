//! Who a request comes from, for the limits only: the peer address of the connection, or,
//! behind a reverse proxy the operator trusts (`serve --trusted-proxy CIDR`), the address
//! that proxy put last in `X-Forwarded-For`. A header from anyone else is ignored: a client
//! cannot choose its own address.
use std::net::IpAddr;
use std::str::FromStr;

/// An address range in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`, or one address).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

/// Why a `--trusted-proxy` value is not a range.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not an address range; write it as 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32")]
pub struct NotACidr(String);

impl FromStr for Cidr {
    type Err = NotACidr;

    fn from_str(text: &str) -> Result<Cidr, NotACidr> {
        let wrong = || NotACidr(text.to_string());
        let (address, prefix) = match text.trim().split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text.trim(), None),
        };
        let network: IpAddr = address.parse().map_err(|_| wrong())?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) => prefix.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(wrong)?,
            None => max,
        };
        Ok(Cidr { network, prefix })
    }
}

impl Cidr {
    /// Whether `address` is in the range (an IPv4 address written as IPv6-mapped counts as
    /// IPv4).
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = match address {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
            v4 => v4,
        };
        let (network, address, bits) = match (self.network, address) {
            (IpAddr::V4(n), IpAddr::V4(a)) => (u128::from(n.to_bits()), u128::from(a.to_bits()), 32),
            (IpAddr::V6(n), IpAddr::V6(a)) => (n.to_bits(), a.to_bits(), 128),
            _ => return false,
        };
        let shift = bits - u32::from(self.prefix);
        shift >= bits || (network >> shift) == (address >> shift)
    }
}

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Vec<Cidr>);

impl TrustedProxies {
    /// Whether `peer` is one of them.
    pub fn trusts(&self, peer: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(peer))
    }

    /// The client's address: `peer`, unless `peer` is a trusted proxy; then the right-most
    /// address in `X-Forwarded-For` that is not itself a trusted proxy (a proxy appends
    /// the address it saw; what is left of it, the client wrote itself). A trusted proxy
    /// that sends no usable header is the client.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops = forwarded_for.iter().flat_map(|value| value.split(',')).map(str::trim).collect::<Vec<_>>();
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(address) if self.trusts(address) => continue,
                Ok(address) => return address,
                Err(_) => return peer,
            }
        }
        peer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ranges_contain_what_they_say() {
        let cases = [
            ("10.0.0.0/8", "10.200.3.4", true),
            ("10.0.0.0/8", "11.0.0.1", false),
            ("192.0.2.7", "192.0.2.7", true),
            ("192.0.2.7", "192.0.2.8", false),
            ("0.0.0.0/0", "203.0.113.9", true),
            ("2001:db8::/32", "2001:db8:ffff::1", true),
            ("2001:db8::/32", "2001:db9::1", false),
            ("10.0.0.0/8", "::ffff:10.1.2.3", true),
            ("10.0.0.0/8", "2001:db8::1", false),
        ];
        for (range, address, inside) in cases {
            assert_eq!(range.parse::<Cidr>().unwrap().contains(ip(address)), inside, "{range} ∋ {address}");
        }
        for wrong in ["10.0.0.0/33", "proxy", "10.0.0/8", "::/129", ""] {
            assert!(wrong.parse::<Cidr>().is_err(), "{wrong}");
        }
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxies = TrustedProxies(vec!["10.0.0.0/8".parse().unwrap()]);
        let cases: [(&str, &[&str], &str); 6] = [
            ("203.0.113.9", &["198.51.100.1"], "203.0.113.9"),
            ("10.0.0.2", &["198.51.100.1"], "198.51.100.1"),
            ("10.0.0.2", &["1.2.3.4, 198.51.100.1"], "198.51.100.1"),
            ("10.0.0.2", &["198.51.100.1, 10.0.0.3"], "198.51.100.1"),
            ("10.0.0.2", &[], "10.0.0.2"),
            ("10.0.0.2", &["not an address"], "10.0.0.2"),
        ];
        for (peer, header, client) in cases {
            assert_eq!(proxies.client(ip(peer), header), ip(client), "{peer} {header:?}");
        }
        assert_eq!(TrustedProxies::default().client(ip("10.0.0.2"), &["198.51.100.1"]), ip("10.0.0.2"));
    }
}
