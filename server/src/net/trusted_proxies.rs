//! The client's address behind a reverse proxy (`--trusted-proxies`). `X-Forwarded-For` and
//! `Forwarded` are believed only when the connection comes from a configured proxy, and then
//! only as far as the chain of trusted proxies goes: the address is the right-most entry that
//! is not itself a trusted proxy (an entry a client wrote further left is never believed).
//! Without trusted proxies both headers are ignored. Throttling, the audit log and the
//! web-session records all read the address through `ConnectInfo`, which the accept loop
//! sets to this address.

use std::net::IpAddr;
use std::sync::Arc;

use axum::http::HeaderMap;

/// One CIDR block, such as `10.0.0.0/8`, `192.168.1.10` or `fd00::/8`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let network: IpAddr = addr.parse().map_err(|_| format!("not an IP address: {addr:?}"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("not a prefix length: {p:?}"))?,
            None => max,
        };
        Ok(Cidr { network, prefix })
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, canonical(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = if self.prefix == 0 { 0 } else { u32::MAX << (32 - self.prefix) };
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - self.prefix) };
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address mapped into IPv6 (`::ffff:a.b.c.d`) as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

/// The configured proxies (none by default).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Arc<Vec<Cidr>>);

impl TrustedProxies {
    /// Parses a comma-separated list of CIDRs (`--trusted-proxies`).
    pub fn parse(list: &str) -> Result<Self, String> {
        let cidrs = list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrustedProxies(Arc::new(cidrs)))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client's address: `peer` itself unless `peer` is a trusted proxy, then the
    /// right-most untrusted address of `Forwarded` (preferred) or `X-Forwarded-For`.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let chain = forwarded_for(headers).or_else(|| x_forwarded_for(headers));
        let Some(chain) = chain else { return peer };
        let mut client = peer;
        for hop in chain.into_iter().rev() {
            let Some(ip) = hop else { break }; // unparseable ("unknown", obfuscated): stop here
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        canonical(client)
    }
}

/// The `X-Forwarded-For` addresses, left (client) to right (the last proxy), over all lines.
fn x_forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let values: Vec<&str> =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    if values.is_empty() {
        return None;
    }
    Some(values.iter().flat_map(|v| v.split(',')).map(|s| parse_node(s.trim())).collect())
}

/// The `for=` nodes of `Forwarded` (RFC 7239), left to right.
fn forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let values: Vec<&str> = headers.get_all("forwarded").iter().filter_map(|v| v.to_str().ok()).collect();
    if values.is_empty() {
        return None;
    }
    let mut hops = Vec::new();
    for element in values.iter().flat_map(|v| v.split(',')) {
        let node = element.split(';').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            k.trim().eq_ignore_ascii_case("for").then(|| v.trim().trim_matches('"'))
        });
        hops.push(node.and_then(parse_node));
    }
    Some(hops)
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `[::1]`, `[::1]:5678`, `::1`.
fn parse_node(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    s.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_headers_are_ignored() {
        let none = TrustedProxies::default();
        let h = headers(&[("x-forwarded-for", "203.0.113.9"), ("forwarded", "for=203.0.113.9")]);
        assert_eq!(none.client_address(ip("10.0.0.1"), &h), ip("10.0.0.1"));
    }

    #[test]
    fn from_an_untrusted_peer_the_headers_are_ignored() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let h = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(proxies.client_address(ip("198.51.100.7"), &h), ip("198.51.100.7"));
    }

    #[test]
    fn from_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, fd00::/8").unwrap();
        // The client wrote a forged first entry; the proxies appended the real one.
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.2")]);
        assert_eq!(proxies.client_address(ip("10.0.0.1"), &h), ip("203.0.113.9"));
        let h = headers(&[("forwarded", r#"for=1.1.1.1, for="[2001:db8::7]:4711";proto=https"#)]);
        assert_eq!(proxies.client_address(ip("fd00::1"), &h), ip("2001:db8::7"));
        // Only trusted hops: the left-most is as far as the chain goes.
        let h = headers(&[("x-forwarded-for", "10.0.0.3")]);
        assert_eq!(proxies.client_address(ip("10.0.0.1"), &h), ip("10.0.0.3"));
        // No header: the proxy itself.
        assert_eq!(proxies.client_address(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"));
        // An unparseable hop stops the walk at the last good address.
        let h = headers(&[("x-forwarded-for", "unknown, 10.0.0.4")]);
        assert_eq!(proxies.client_address(ip("10.0.0.1"), &h), ip("10.0.0.4"));
    }

    #[test]
    fn cidrs_parse_and_match_and_bad_ones_are_refused() {
        let c: Cidr = "192.168.1.0/24".parse().unwrap();
        assert!(c.contains(ip("192.168.1.200")) && !c.contains(ip("192.168.2.1")));
        assert!(c.contains(ip("::ffff:192.168.1.5")), "IPv4-mapped addresses count as IPv4");
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        assert!("proxy.local".parse::<Cidr>().is_err());
        assert!(TrustedProxies::parse("10.0.0.0/8,nonsense").is_err());
    }
}
