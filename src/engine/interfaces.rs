//! This machine's network interfaces and addresses, for the UI's lists of
//! local addresses to bind and of interfaces to join a multicast group on.

use std::net::IpAddr;

/// One address of one network interface.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalInterface {
    /// The interface's name (e.g. `lo`, `eth0`).
    pub name: String,
    /// One of its addresses.
    pub ip: IpAddr,
    /// Its index (what an IPv6 multicast join takes), if the system gave one.
    pub index: Option<u32>,
}

/// Every address of every interface of this machine, one entry per
/// address, IPv4 first. Empty (and logged) if the system cannot list them.
pub fn local_interfaces() -> Vec<LocalInterface> {
    let interfaces = match if_addrs::get_if_addrs() {
        Ok(interfaces) => interfaces,
        Err(error) => {
            tracing::warn!("cannot list this machine's network interfaces: {error}");
            return Vec::new();
        }
    };
    let mut list: Vec<LocalInterface> = interfaces
        .into_iter()
        .map(|interface| LocalInterface { ip: interface.ip(), name: interface.name, index: interface.index })
        .collect();
    list.sort_by_key(|interface| (interface.ip.is_ipv6(), interface.ip));
    list
}

/// This machine's interface addresses (loopback included), IPv4 first,
/// without duplicates. The UI adds the wildcard addresses (0.0.0.0, ::) itself.
pub fn local_addresses() -> Vec<IpAddr> {
    let mut addresses: Vec<IpAddr> = local_interfaces().into_iter().map(|interface| interface.ip).collect();
    addresses.dedup();
    addresses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_listed() {
        let addresses = local_addresses();
        assert!(addresses.contains(&IpAddr::from([127, 0, 0, 1])), "{addresses:?}");
        let v4_first = addresses.iter().position(IpAddr::is_ipv6).unwrap_or(addresses.len());
        assert!(addresses[v4_first..].iter().all(IpAddr::is_ipv6), "{addresses:?}");
        let lo = local_interfaces().into_iter().find(|i| i.ip == IpAddr::from([127, 0, 0, 1]));
        assert!(lo.is_some_and(|lo| lo.index.is_some()));
    }
}
