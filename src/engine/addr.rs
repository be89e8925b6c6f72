//! Parsing the host and port fields the user types.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

pub use super::error::AddrError;

/// The longest host name DNS allows (without the trailing dot).
const MAX_HOST_NAME: usize = 253;
/// The longest label (the part between dots) DNS allows.
const MAX_LABEL: usize = 63;

/// Parses a port field: surrounding whitespace is ignored; must be 1..=65535.
pub fn parse_port(text: &str) -> Result<u16, AddrError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AddrError::EmptyPort);
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AddrError::BadPort(text.to_owned()));
    }
    match text.parse::<u16>() {
        Ok(port) if port != 0 => Ok(port),
        _ => Err(AddrError::BadPort(text.to_owned())),
    }
}

/// Parses the local address and port fields of a listener or UDP socket.
///
/// The address must be an IP literal (IPv6 with or without brackets, e.g.
/// `0.0.0.0`, `127.0.0.1`, `::`, `[::1]`); surrounding whitespace is
/// ignored. The port is 0 (any free port) to 65535.
pub fn parse_bind(ip: &str, port: &str) -> Result<SocketAddr, AddrError> {
    let text = ip.trim();
    let literal = text.strip_prefix('[').and_then(|inner| inner.strip_suffix(']')).unwrap_or(text);
    let ip = match literal.trim().parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) if literal.len() < text.len() => return Err(AddrError::NotAnIp(format!("[{v4}]"))),
        Ok(ip) => ip,
        Err(_) => return Err(AddrError::NotAnIp(text.to_owned())),
    };
    let port_text = port.trim();
    let port = match port_text.parse::<u16>() {
        Ok(port) if port_text.bytes().all(|b| b.is_ascii_digit()) => port,
        _ => return Err(AddrError::BadBindPort(port_text.to_owned())),
    };
    Ok(SocketAddr::new(ip, port))
}

/// Parses a host field and a port field into `(host, port)`.
///
/// The host may be an IPv4 literal, an IPv6 literal with or without
/// brackets (`::1`, `[::1]`), or a host name (letters, digits, `-`, `.`).
/// As a convenience the host field may carry the port itself
/// (`127.0.0.1:8000`, `[::1]:8000`), which then wins over the port field.
/// Brackets are removed from the returned host.
pub fn parse_target(host: &str, port: &str) -> Result<(String, u16), AddrError> {
    let host = host.trim();
    if host.is_empty() {
        return Err(AddrError::EmptyHost);
    }
    let bad_host = || AddrError::BadHost(host.to_owned());
    if host.contains('/') {
        // A URL or a path, not a host (and `http://x` is not `http` port `//x`).
        return Err(bad_host());
    }

    if let Some(inner) = host.strip_prefix('[') {
        // `[v6]` or `[v6]:port`.
        let (literal, rest) = inner.split_once(']').ok_or_else(bad_host)?;
        let literal = literal.trim();
        if literal.parse::<Ipv6Addr>().is_err() {
            return Err(bad_host());
        }
        let port = match rest {
            "" => parse_port(port)?,
            _ => parse_port(rest.strip_prefix(':').ok_or_else(bad_host)?)?,
        };
        return Ok((literal.to_owned(), port));
    }

    if host.parse::<IpAddr>().is_ok() {
        return Ok((host.to_owned(), parse_port(port)?));
    }

    // Exactly one colon: `name:port` or `v4:port`. More colons that are not
    // an IPv6 literal (handled above) are not a usable host.
    let (name, port) = match host.split_once(':') {
        Some((name, own_port)) if !own_port.contains(':') => (name.trim(), own_port),
        Some(_) => return Err(bad_host()),
        None => (host, port),
    };
    if name.is_empty() {
        return Err(AddrError::EmptyHost);
    }
    if name.parse::<Ipv4Addr>().is_err() && !is_host_name(name) {
        return Err(bad_host());
    }
    Ok((name.to_owned(), parse_port(port)?))
}

/// Whether `name` is a plausible DNS host name: ASCII letters, digits, `-`,
/// `_` and `.`, no empty label, and not a malformed dotted-number address
/// such as `192.168.1` or `300.1.1.1` (those are typos, not names). One
/// trailing dot is allowed: `localhost.` is the absolute form of `localhost`.
fn is_host_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    let plausible_label = |label: &str| {
        !label.is_empty()
            && label.len() <= MAX_LABEL
            && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let all_numeric = name.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    name.len() <= MAX_HOST_NAME && !all_numeric && name.split('.').all(plausible_label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_absolute_name_with_its_trailing_dot_is_a_host_name() {
        assert!(is_host_name("localhost."));
        assert!(is_host_name("example.org."));
        assert!(is_host_name("localhost"));
        for bad in [".", "localhost..", "a..b", "..", "192.168.1."] {
            assert!(!is_host_name(bad), "{bad}");
        }
    }

    #[test]
    fn ports() {
        let table: &[(&str, Result<u16, AddrError>)] = &[
            ("8000", Ok(8000)),
            ("  8000 \t", Ok(8000)),
            ("1", Ok(1)),
            ("65535", Ok(65535)),
            ("08000", Ok(8000)),
            ("", Err(AddrError::EmptyPort)),
            ("   ", Err(AddrError::EmptyPort)),
            ("0", Err(AddrError::BadPort("0".into()))),
            ("65536", Err(AddrError::BadPort("65536".into()))),
            ("80000", Err(AddrError::BadPort("80000".into()))),
            ("99999999999999999999", Err(AddrError::BadPort("99999999999999999999".into()))),
            ("-1", Err(AddrError::BadPort("-1".into()))),
            ("+80", Err(AddrError::BadPort("+80".into()))),
            ("80a", Err(AddrError::BadPort("80a".into()))),
            ("8 0", Err(AddrError::BadPort("8 0".into()))),
            ("８０", Err(AddrError::BadPort("８０".into()))),
        ];
        for (text, expected) in table {
            assert_eq!(&parse_port(text), expected, "parse_port({text:?})");
        }
    }

    /// One row of the `parse_target` table: host field, port field, result.
    type TargetCase = (&'static str, &'static str, Result<(String, u16), AddrError>);

    #[test]
    fn targets() {
        let ok = |host: &str, port: u16| Ok((host.to_owned(), port));
        let bad = |host: &str| Err(AddrError::BadHost(host.to_owned()));
        let table: &[TargetCase] = &[
            ("127.0.0.1", "8000", ok("127.0.0.1", 8000)),
            (" 127.0.0.1 ", " 8000 ", ok("127.0.0.1", 8000)),
            ("localhost", "80", ok("localhost", 80)),
            ("my-host_1.example.com", "80", ok("my-host_1.example.com", 80)),
            ("::1", "8000", ok("::1", 8000)),
            ("[::1]", "8000", ok("::1", 8000)),
            ("fe80::1:2", "22", ok("fe80::1:2", 22)),
            // The host field's own port wins, even over a bad port field.
            ("127.0.0.1:9000", "8000", ok("127.0.0.1", 9000)),
            ("127.0.0.1:9000", "", ok("127.0.0.1", 9000)),
            ("127.0.0.1:9000", "junk", ok("127.0.0.1", 9000)),
            ("[::1]:9000", "8000", ok("::1", 9000)),
            ("localhost:9000", "", ok("localhost", 9000)),
            ("", "8000", Err(AddrError::EmptyHost)),
            ("  ", "8000", Err(AddrError::EmptyHost)),
            (":8000", "", Err(AddrError::EmptyHost)),
            ("127.0.0.1", "", Err(AddrError::EmptyPort)),
            ("127.0.0.1", "0", Err(AddrError::BadPort("0".into()))),
            ("127.0.0.1:", "8000", Err(AddrError::EmptyPort)),
            ("127.0.0.1:70000", "8000", Err(AddrError::BadPort("70000".into()))),
            ("[::1]:", "8000", Err(AddrError::EmptyPort)),
            ("[::1", "8000", bad("[::1")),
            ("[::1]x", "8000", bad("[::1]x")),
            ("[127.0.0.1]", "8000", bad("[127.0.0.1]")),
            ("[nothost]:80", "8000", bad("[nothost]:80")),
            ("a:b:c", "80", bad("a:b:c")),
            ("服务器", "80", bad("服务器")),
            ("bad host", "80", bad("bad host")),
            ("a..b", "80", bad("a..b")),
            (".a", "80", bad(".a")),
            ("a.", "80", Ok(("a.".into(), 80))), // an absolute name (issue 18: `localhost.` was refused)
            ("http://x", "80", bad("http://x")),
            ("300.1.1.1", "80", bad("300.1.1.1")),
            ("192.168.1", "80", bad("192.168.1")),
        ];
        for (host, port, expected) in table {
            assert_eq!(&parse_target(host, port), expected, "parse_target({host:?}, {port:?})");
        }
    }

    #[test]
    fn bind_addresses() {
        let ok = |text: &str| Ok(text.parse::<SocketAddr>().unwrap());
        assert_eq!(parse_bind("0.0.0.0", "0"), ok("0.0.0.0:0"));
        assert_eq!(parse_bind(" 127.0.0.1 ", " 8000 "), ok("127.0.0.1:8000"));
        assert_eq!(parse_bind("::", "65535"), ok("[::]:65535"));
        assert_eq!(parse_bind("[::1]", "8000"), ok("[::1]:8000"));
        assert_eq!(parse_bind("localhost", "80"), Err(AddrError::NotAnIp("localhost".into())));
        assert_eq!(parse_bind("", "80"), Err(AddrError::NotAnIp(String::new())));
        assert_eq!(parse_bind("[127.0.0.1]", "80"), Err(AddrError::NotAnIp("[127.0.0.1]".into())));
        assert_eq!(parse_bind("300.1.1.1", "80"), Err(AddrError::NotAnIp("300.1.1.1".into())));
        for port in ["", "65536", "-1", "+80", "8 0", "x"] {
            assert_eq!(parse_bind("0.0.0.0", port), Err(AddrError::BadBindPort(port.into())), "{port:?}");
        }
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn address_fields_never_panic(host in "\\PC{0,48}", port in "\\PC{0,8}") {
            let _ = parse_port(&port);
            let _ = parse_bind(&host, &port);
            if let Ok((host, port)) = parse_target(&host, &port) {
                prop_assert!(!host.is_empty() && port != 0);
            }
        }

        #[test]
        fn address_like_fields_never_panic_and_accept_only_usable_targets(
            host in "[0-9a-fA-F:.\\[\\]%/_ -]{0,48}",
            port in "[0-9+ -]{0,7}",
        ) {
            if let Ok((host, port)) = parse_target(&host, &port) {
                prop_assert!(port != 0);
                prop_assert!(!host.is_empty() && !host.contains('[') && !host.contains('/') && !host.contains(' '));
            }
            if let Ok(addr) = parse_bind(&host, &port) {
                prop_assert_eq!(parse_bind(&addr.ip().to_string(), &addr.port().to_string()), Ok(addr));
            }
        }
    }

    #[test]
    fn overlong_names_are_rejected() {
        let label = "a".repeat(MAX_LABEL);
        assert!(parse_target(&label, "1").is_ok());
        assert!(parse_target(&format!("{label}a"), "1").is_err());
        let long = [label.as_str(); 4].join(".");
        assert!(long.len() > MAX_HOST_NAME);
        assert!(parse_target(&long, "1").is_err());
    }
}
