//! An accept storm through the real app: 1,000 clients whose connects are
//! all issued at once (non-blocking, back to back) are all accepted, listed
//! and served, none refused and none left waiting in the accept queue (issue
//! 18, item 11; RELIABILITY.md row 33). How fast, against a bare asyncio
//! accept loop, is `tools/bench_app.py p7` (docs/BENCHMARKS.md): timings
//! belong in benchmarks, not tests.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails by panicking

mod support;
mod ui_support;

use std::io::{ErrorKind, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use socket2::{Domain, Socket, Type};
use ui_support::*;

const CLIENTS: usize = 1000;

/// Issues `count` non-blocking connects to `addr` back to back, then waits
/// (with a timeout) until each has finished; returns them as blocking streams.
fn storm(addr: SocketAddr, count: usize) -> Vec<TcpStream> {
    let sockets: Vec<Socket> = (0..count)
        .map(|_| {
            let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("socket");
            socket.set_nonblocking(true).expect("non-blocking");
            match socket.connect(&addr.into()) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock || e.raw_os_error() == Some(115) => {}
                Err(e) => panic!("connect: {e}"),
            }
            socket
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    sockets
        .into_iter()
        .map(|socket| {
            // Connected once the peer address is known; a failed connect shows in SO_ERROR.
            while socket.peer_addr().is_err() {
                assert_eq!(socket.take_error().expect("SO_ERROR").map(|e| e.kind()), None, "a connect failed");
                assert!(Instant::now() < deadline, "a connect did not finish");
                std::thread::yield_now();
            }
            socket.set_nonblocking(false).expect("blocking");
            socket.into()
        })
        .collect()
}

#[test]
fn a_thousand_clients_connecting_at_once_are_all_accepted_listed_and_served() {
    let (mut harness, addr) = server_for_clients(CLIENTS);

    let mut clients = storm(addr, CLIENTS);
    step_until(&mut harness, "every client listed", |h| h.state().tab().session.clients.len() == CLIENTS);
    assert!(has_text(&harness, &format!("Clients ({CLIENTS})")));
    assert!(!has_text(&harness, "refused"), "none refused");
    // Each is served: one line from every client, every byte counted.
    for client in &mut clients {
        client.write_all(b"hi\r\n").expect("write");
    }
    step_until(&mut harness, "every line counted", |h| h.state().tab().session.counters.rx_bytes == 4 * CLIENTS as u64);
    drop(clients);
    step_until(&mut harness, "every close", |h| h.state().tab().session.clients.is_empty());
    harness.get_by_label("Stop").click();
    assert_still_works(&mut harness);
}
