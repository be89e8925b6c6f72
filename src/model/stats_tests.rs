use std::time::{Duration, UNIX_EPOCH};

use super::*;

fn peer() -> SocketAddr {
    "127.0.0.1:8000".parse().unwrap()
}

#[test]
fn seconds_are_counted_and_quiet_seconds_read_as_zero() {
    let mut series = Series::new(10);
    series.count(100, Direction::Rx, 5);
    series.count(100, Direction::Rx, 7);
    series.count(102, Direction::Tx, 3);
    let last = series.last(103, 4);
    let rx: Vec<u64> = last.iter().map(|(_, s)| s.rx_bytes).collect();
    let tx: Vec<u64> = last.iter().map(|(_, s)| s.tx_bytes).collect();
    assert_eq!(rx, [12, 0, 0, 0]);
    assert_eq!(tx, [0, 0, 3, 0]);
    assert_eq!(last[0].1.rx_packets, 2);
    assert_eq!(last.iter().map(|(t, _)| *t).collect::<Vec<_>>(), [-3, -2, -1, 0]);
}

#[test]
fn the_ring_forgets_what_is_older_than_it_and_stays_its_size() {
    let mut series = Series::new(10);
    series.count(100, Direction::Rx, 1);
    series.count(150, Direction::Rx, 2);
    series.count(100, Direction::Rx, 99); // too old: not counted anywhere
    let total: u64 = series.last(150, 10).iter().map(|(_, s)| s.rx_bytes).sum();
    assert_eq!(total, 2);
    assert_eq!(series.seconds.len(), 10);
}

#[test]
fn client_counts_carry_over_quiet_seconds() {
    let mut series = Series::new(10);
    series.clients(200, 3);
    let last = series.last(203, 4);
    assert_eq!(last.iter().map(|(_, s)| s.clients).collect::<Vec<_>>(), [3, 3, 3, 3]);
}

#[test]
fn round_trips_pair_a_send_with_the_first_reply() {
    let mut rt = RoundTrips::default();
    let t0 = UNIX_EPOCH + Duration::from_secs(1000);
    for (i, ms) in [2u64, 4, 6, 8, 100].into_iter().enumerate() {
        let sent = t0 + Duration::from_secs(i as u64);
        rt.sent(ConnId(1), peer(), sent);
        rt.sent(ConnId(1), peer(), sent + Duration::from_micros(10)); // a second part: same pair
        rt.received(ConnId(1), peer(), sent + Duration::from_millis(ms));
        rt.received(ConnId(1), peer(), sent + Duration::from_millis(ms + 1)); // no send waiting: not a pair
    }
    let s = rt.summary();
    assert_eq!(s.count, 5);
    assert!((s.min_ms - 2.0).abs() < 0.01, "{s:?}");
    assert!((s.median_ms - 6.0).abs() < 0.01, "{s:?}");
    assert!((s.max_ms - 100.0).abs() < 0.1, "{s:?}");
    let bars = rt.bars(4);
    assert_eq!(bars.iter().map(|b| b.2).sum::<u64>(), 5, "{bars:?}");
}

#[test]
fn a_closed_connection_ends_its_waiting_pair() {
    let mut rt = RoundTrips::default();
    let t0 = UNIX_EPOCH + Duration::from_secs(1000);
    rt.sent(ConnId(1), peer(), t0);
    rt.closed(ConnId(1));
    rt.received(ConnId(1), peer(), t0 + Duration::from_secs(1));
    assert_eq!(rt.summary().count, 0);
}

#[test]
fn clients_get_series_of_their_own_up_to_a_bound() {
    let mut stats = Stats::default();
    let at = UNIX_EPOCH + Duration::from_secs(5000);
    for conn in 0..(MAX_CLIENT_SERIES as u64 + 10) {
        stats.count(ConnId(conn), Direction::Rx, peer(), at, 1, true);
    }
    assert_eq!(stats.clients.len(), MAX_CLIENT_SERIES);
    let total: u64 = stats.tab.last(5000, 1).iter().map(|(_, s)| s.rx_bytes).sum();
    assert_eq!(total, MAX_CLIENT_SERIES as u64 + 10, "the tab counts every client");
    stats.closed(ConnId(0));
    assert_eq!(stats.clients.len(), MAX_CLIENT_SERIES - 1);
}
