//! Turning a host and port into the socket addresses to try.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use super::EngineError;

/// A name resolver: host name and port → the addresses to try, in order.
///
/// Set one in [`super::EngineConfig::resolver`] to replace the system
/// resolver (tests use this so they never do real DNS). It runs on a
/// blocking thread, so it may block. IP literals never reach it.
pub type Resolver = Arc<dyn Fn(&str, u16) -> io::Result<Vec<SocketAddr>> + Send + Sync>;

/// Resolves `host`: IP literals directly, names with `resolver` or, if none,
/// the system resolver. An error or an empty answer is `HostNotFound`.
pub(super) async fn resolve(
    host: &str,
    port: u16,
    resolver: Option<&Resolver>,
) -> Result<Vec<SocketAddr>, EngineError> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let answer = match resolver {
        Some(resolver) => {
            let resolver = Arc::clone(resolver);
            let name = host.to_owned();
            match tokio::task::spawn_blocking(move || resolver(&name, port)).await {
                Ok(answer) => answer,
                Err(join_error) => Err(io::Error::other(format!("resolver failed: {join_error}"))),
            }
        }
        None => tokio::net::lookup_host((host, port)).await.map(Iterator::collect),
    };
    let not_found = |detail: String| EngineError::HostNotFound { host: host.to_owned(), detail };
    match answer {
        Ok(addrs) if addrs.is_empty() => Err(not_found("the resolver returned no address".to_owned())),
        Ok(addrs) => Ok(addrs),
        Err(error) => Err(not_found(error.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panicking_resolver() -> Resolver {
        Arc::new(|host, _| panic!("resolver called for {host}"))
    }

    #[tokio::test]
    async fn literals_skip_the_resolver() {
        let resolver = panicking_resolver();
        let v4 = resolve("127.0.0.1", 80, Some(&resolver)).await;
        assert_eq!(v4, Ok(vec!["127.0.0.1:80".parse().unwrap()]));
        let v6 = resolve("::1", 80, Some(&resolver)).await;
        assert_eq!(v6, Ok(vec!["[::1]:80".parse().unwrap()]));
    }

    #[tokio::test]
    async fn resolver_answers_and_failures() {
        let addr: SocketAddr = "127.0.0.1:1234".parse().unwrap();
        let good: Resolver = Arc::new(move |_, port| Ok(vec![SocketAddr::new(addr.ip(), port)]));
        assert_eq!(resolve("box.test", 1234, Some(&good)).await, Ok(vec![addr]));

        let empty: Resolver = Arc::new(|_, _| Ok(Vec::new()));
        assert!(matches!(resolve("box.test", 1, Some(&empty)).await, Err(EngineError::HostNotFound { .. })));

        let failing: Resolver = Arc::new(|_, _| Err(io::Error::new(io::ErrorKind::NotFound, "no such host")));
        match resolve("box.test", 1, Some(&failing)).await {
            Err(EngineError::HostNotFound { host, detail }) => {
                assert_eq!(host, "box.test");
                assert!(detail.contains("no such host"), "{detail}");
            }
            other => panic!("expected HostNotFound, got {other:?}"),
        }

        let panicking = panicking_resolver();
        assert!(matches!(resolve("box.test", 1, Some(&panicking)).await, Err(EngineError::HostNotFound { .. })));
    }
}
