//! What an ICMP error said about a datagram a UDP socket sent, in words the
//! user reads: "127.0.0.1:9 is unreachable (ICMP port unreachable): nothing
//! listens there". Pure: the socket side that reads them from the kernel
//! is [`super::errqueue`].

use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr};

/// Why a datagram did not arrive, as an ICMP (or ICMPv6) error said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IcmpReason {
    /// Port unreachable: nothing listens on that port.
    PortUnreachable,
    /// Host (or address) unreachable.
    HostUnreachable,
    /// Network unreachable (no route).
    NetworkUnreachable,
    /// Protocol unreachable: the host does not speak UDP.
    ProtocolUnreachable,
    /// Administratively prohibited: a firewall refused it.
    Prohibited,
    /// Too large for the path (fragmentation needed / packet too big), with the path's MTU if given.
    TooBig {
        /// The MTU the router reported; 0 if none.
        mtu: u32,
    },
    /// Its time to live (hop limit) ran out on the way.
    TimeExceeded,
    /// Another ICMP error, by type and code.
    Other {
        /// ICMPv6 (true) or ICMP for IPv4.
        v6: bool,
        /// The ICMP type.
        icmp_type: u8,
        /// The ICMP code.
        code: u8,
    },
    /// An error this machine reported for it (not from the network), as an OS error number.
    Local {
        /// The OS error number.
        errno: i32,
    },
}

/// Where an error in a socket's error queue came from (Linux `ee_origin`).
// Read only where the error queue is (Linux); elsewhere for the tests.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(in crate::engine) enum Origin {
    /// This machine.
    Local,
    /// An ICMP (IPv4) message.
    Icmp,
    /// An ICMPv6 message.
    Icmp6,
    /// Anything else (e.g. timestamping, which netassist does not ask for).
    Other,
}

#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
impl IcmpReason {
    /// Reads an error queue entry's origin, ICMP type and code, `info` (the
    /// MTU for "too big") and `errno`. Never fails: what it does not know is `Other`.
    pub(in crate::engine) fn classify(origin: Origin, icmp_type: u8, code: u8, info: u32, errno: i32) -> IcmpReason {
        match origin {
            Origin::Icmp => match (icmp_type, code) {
                (3, 0 | 6 | 11) => IcmpReason::NetworkUnreachable,
                (3, 1 | 7 | 12) => IcmpReason::HostUnreachable,
                (3, 2) => IcmpReason::ProtocolUnreachable,
                (3, 3) => IcmpReason::PortUnreachable,
                (3, 4) => IcmpReason::TooBig { mtu: info },
                (3, 9 | 10 | 13) => IcmpReason::Prohibited,
                (11, _) => IcmpReason::TimeExceeded,
                _ => IcmpReason::Other { v6: false, icmp_type, code },
            },
            Origin::Icmp6 => match (icmp_type, code) {
                (1, 0) => IcmpReason::NetworkUnreachable,
                (1, 1 | 5 | 6) => IcmpReason::Prohibited,
                (1, 3) => IcmpReason::HostUnreachable,
                (1, 4) => IcmpReason::PortUnreachable,
                (2, _) => IcmpReason::TooBig { mtu: info },
                (3, _) => IcmpReason::TimeExceeded,
                _ => IcmpReason::Other { v6: true, icmp_type, code },
            },
            Origin::Local | Origin::Other => IcmpReason::Local { errno },
        }
    }
}

/// One ICMP error about a datagram a UDP socket sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IcmpReport {
    /// Where the datagram was going (`None` if the system did not say).
    pub destination: Option<SocketAddr>,
    /// What the error said.
    pub reason: IcmpReason,
    /// Who sent the error (a router, or the destination itself), if known.
    pub reporter: Option<IpAddr>,
}

impl fmt::Display for IcmpReport {
    /// E.g. "127.0.0.1:9 is unreachable (ICMP port unreachable): nothing listens there".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dest = match self.destination {
            Some(addr) => addr.to_string(),
            None => "an unknown destination".to_owned(),
        };
        // Who reported it, unless it is the destination itself (saying so adds nothing).
        let by = match (self.reporter, self.destination) {
            (Some(reporter), Some(dest)) if reporter == dest.ip() => String::new(),
            (Some(reporter), _) => format!(", reported by {reporter}"),
            (None, _) => String::new(),
        };
        match &self.reason {
            IcmpReason::PortUnreachable => {
                write!(f, "{dest} is unreachable (ICMP port unreachable{by}): nothing listens there")
            }
            IcmpReason::HostUnreachable => write!(f, "{dest} is unreachable (ICMP host unreachable{by})"),
            IcmpReason::NetworkUnreachable => write!(f, "{dest} is unreachable (ICMP network unreachable{by})"),
            IcmpReason::ProtocolUnreachable => {
                write!(f, "{dest} is unreachable (ICMP protocol unreachable{by}): the host does not take UDP")
            }
            IcmpReason::Prohibited => {
                write!(f, "{dest} is unreachable (ICMP administratively prohibited{by}): a firewall refused it")
            }
            IcmpReason::TooBig { mtu: 0 } => write!(f, "a datagram to {dest} was too large for the path (ICMP{by})"),
            IcmpReason::TooBig { mtu } => {
                write!(f, "a datagram to {dest} was too large for the path (ICMP{by}: MTU {mtu})")
            }
            IcmpReason::TimeExceeded => write!(f, "a datagram to {dest} expired on the way (ICMP time exceeded{by})"),
            IcmpReason::Other { v6, icmp_type, code } => {
                let icmp = if *v6 { "ICMPv6" } else { "ICMP" };
                write!(f, "a datagram to {dest} was refused ({icmp} type {icmp_type} code {code}{by})")
            }
            IcmpReason::Local { errno } => {
                write!(f, "a datagram to {dest} failed: {}", io::Error::from_raw_os_error(*errno))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(reason: IcmpReason, reporter: &str) -> String {
        let destination = Some("127.0.0.1:9".parse().unwrap());
        IcmpReport { destination, reason, reporter: reporter.parse().ok() }.to_string()
    }

    #[test]
    fn types_and_codes_are_read() {
        use IcmpReason::*;
        let v4 = |t, c| IcmpReason::classify(Origin::Icmp, t, c, 1400, 111);
        let v6 = |t, c| IcmpReason::classify(Origin::Icmp6, t, c, 1280, 111);
        assert_eq!(v4(3, 3), PortUnreachable);
        assert_eq!(v4(3, 1), HostUnreachable);
        assert_eq!(v4(3, 0), NetworkUnreachable);
        assert_eq!(v4(3, 2), ProtocolUnreachable);
        assert_eq!(v4(3, 13), Prohibited);
        assert_eq!(v4(3, 4), TooBig { mtu: 1400 });
        assert_eq!(v4(11, 0), TimeExceeded);
        assert_eq!(v4(12, 0), Other { v6: false, icmp_type: 12, code: 0 });
        assert_eq!(v6(1, 4), PortUnreachable);
        assert_eq!(v6(1, 3), HostUnreachable);
        assert_eq!(v6(1, 0), NetworkUnreachable);
        assert_eq!(v6(1, 1), Prohibited);
        assert_eq!(v6(2, 0), TooBig { mtu: 1280 });
        assert_eq!(v6(3, 0), TimeExceeded);
        assert_eq!(v6(4, 1), Other { v6: true, icmp_type: 4, code: 1 });
        assert_eq!(IcmpReason::classify(Origin::Local, 0, 0, 0, 90), Local { errno: 90 });
        for t in 0..=255 {
            for c in 0..=255 {
                let _ = v4(t, c);
                let _ = v6(t, c);
            }
        }
    }

    #[test]
    fn reports_read_well() {
        assert_eq!(
            report(IcmpReason::PortUnreachable, "127.0.0.1"),
            "127.0.0.1:9 is unreachable (ICMP port unreachable): nothing listens there"
        );
        assert_eq!(
            report(IcmpReason::HostUnreachable, "192.168.1.1"),
            "127.0.0.1:9 is unreachable (ICMP host unreachable, reported by 192.168.1.1)"
        );
        assert_eq!(
            report(IcmpReason::TooBig { mtu: 1280 }, ""),
            "a datagram to 127.0.0.1:9 was too large for the path (ICMP: MTU 1280)"
        );
        assert_eq!(
            report(IcmpReason::Other { v6: true, icmp_type: 4, code: 0 }, ""),
            "a datagram to 127.0.0.1:9 was refused (ICMPv6 type 4 code 0)"
        );
        let none = IcmpReport { destination: None, reason: IcmpReason::TimeExceeded, reporter: None };
        assert_eq!(none.to_string(), "a datagram to an unknown destination expired on the way (ICMP time exceeded)");
        assert!(report(IcmpReason::Local { errno: 90 }, "").starts_with("a datagram to 127.0.0.1:9 failed: "));
    }
}
