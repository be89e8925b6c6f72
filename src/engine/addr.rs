//! Parsing the host and port fields the user types.

pub use super::error::AddrError;

/// Parses a port field: surrounding whitespace is ignored; must be 1..=65535.
pub fn parse_port(text: &str) -> Result<u16, AddrError> {
    todo!()
}

/// Parses a host field and a port field into `(host, port)`.
///
/// The host may be an IPv4 literal, an IPv6 literal with or without
/// brackets (`::1`, `[::1]`), or a host name (letters, digits, `-`, `.`).
/// As a convenience the host field may carry the port itself
/// (`127.0.0.1:8000`, `[::1]:8000`), which then wins over the port field.
/// Brackets are removed from the returned host.
pub fn parse_target(host: &str, port: &str) -> Result<(String, u16), AddrError> {
    todo!()
}
