use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::*;
use crate::codec::Charset;
use crate::view::{FindMode, NoteLevel, StoreLimits, ViewMode};

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

fn at(ms: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_millis(ms)
}

fn data(view: &mut ReceiveView, conn: u64, dir: Direction, port: u16, text: &str) {
    let now = at(view.next_seq());
    view.push_data(ConnId(conn), dir, addr(port), now, Bytes::copy_from_slice(text.as_bytes()));
}

/// A server session: two clients, both ways, with their notes.
fn server_view(mode: ViewMode) -> ReceiveView {
    let mut view = ReceiveView::new(Charset::Utf8, mode, StoreLimits::default());
    view.push_note(at(0), NoteLevel::Info, format!("Client {} connected", addr(5001)));
    view.push_note(at(0), NoteLevel::Info, format!("Client {} connected", addr(5002)));
    data(&mut view, 1, Direction::Rx, 5001, "one: hello\nsecond line");
    data(&mut view, 2, Direction::Rx, 5002, "two: hello");
    data(&mut view, 1, Direction::Tx, 5001, "reply to one");
    data(&mut view, 2, Direction::Tx, 5002, "reply to two: ERR");
    data(&mut view, 2, Direction::Tx, 5002, "OR done");
    view.push_note(at(9), NoteLevel::Error, format!("Connection with {} ended: reset", addr(5002)));
    view
}

/// The lines `filter` shows of `view`, rendered without their times.
fn shown(filter: &FilteredView, view: &ReceiveView) -> Vec<String> {
    let (mut line, mut markers) = (String::new(), Vec::new());
    (0..filter.line_count())
        .map(|index| {
            let view_line = filter.view_line(view, index).expect("a line");
            assert_eq!(filter.filtered_line(view, view_line), Some(index), "the mapping goes both ways");
            view.render_line(view_line, &mut line, &mut markers);
            // Drop the time (HH:MM:SS.mmm) that starts headers and notes.
            match line.get(12..14) {
                Some("  ") => line[14..].to_owned(),
                _ => line.clone(),
            }
        })
        .collect()
}

fn filtered(view: &ReceiveView, spec: FilterSpec) -> FilteredView {
    let mut filter = FilteredView::new(spec).unwrap();
    assert!(filter.update(view, FindBudget::UNLIMITED).done());
    filter
}

#[test]
fn by_direction_and_events() {
    let view = server_view(ViewMode::Text);
    let all = filtered(&view, FilterSpec::default());
    assert!(all.spec().passes_all());
    assert_eq!(all.line_count(), view.line_count());
    assert_eq!(all.progress(&view), FilterProgress { shown: 8, hidden: 0, pending: 0 });

    let rx = filtered(&view, FilterSpec { tx: false, events: false, ..FilterSpec::default() });
    assert_eq!(
        shown(&rx, &view),
        ["RX ← 127.0.0.1:5001  (22 B)", "one: hello", "second line", "RX ← 127.0.0.1:5002  (10 B)", "two: hello"]
    );
    assert_eq!(rx.progress(&view), FilterProgress { shown: 2, hidden: 6, pending: 0 });

    let events = filtered(&view, FilterSpec { rx: false, tx: false, ..FilterSpec::default() });
    assert_eq!(events.progress(&view).shown, 3);
    assert!(shown(&events, &view).iter().all(|line| line.starts_with("Client") || line.starts_with("Connection")));
}

#[test]
fn by_client_and_by_peer() {
    let view = server_view(ViewMode::Text);
    let client = Source::Connection { conn: ConnId(2), peer: addr(5002) };
    let filter = filtered(&view, FilterSpec { source: client, ..FilterSpec::default() });
    let lines = shown(&filter, &view);
    assert_eq!(lines.first().map(String::as_str), Some("Client 127.0.0.1:5002 connected"));
    assert_eq!(lines.last().map(String::as_str), Some("Connection with 127.0.0.1:5002 ended: reset"));
    assert!(!lines.iter().any(|line| line.contains("5001") || line.contains("one:")), "{lines:?}");
    assert_eq!(filter.progress(&view), FilterProgress { shown: 5, hidden: 3, pending: 0 });

    // A UDP socket's peers share one connection id: by peer tells them apart.
    let mut view = ReceiveView::new(Charset::Utf8, ViewMode::Text, StoreLimits::default());
    view.push_datagram(ConnId(3), Direction::Rx, addr(7000), at(1), Bytes::from_static(b"from 7000"));
    view.push_datagram(ConnId(3), Direction::Rx, addr(7001), at(2), Bytes::from_static(b"from 7001"));
    view.push_datagram(ConnId(3), Direction::Tx, addr(7000), at(3), Bytes::from_static(b"to 7000"));
    let filter = filtered(&view, FilterSpec { source: Source::Peer(addr(7000)), ..FilterSpec::default() });
    assert_eq!(shown(&filter, &view).iter().filter(|l| !l.contains('←') && !l.contains('→')).count(), 2);
    assert_eq!(filter.progress(&view).hidden, 1);
}

#[test]
fn by_text_hex_and_regex_with_a_match_split_across_reads() {
    let view = server_view(ViewMode::Text);
    let text = |text: &str, mode| Some(FindQuery { text: text.to_owned(), mode, match_case: true });
    let filter = filtered(&view, FilterSpec { text: text("hello", FindMode::Text), ..FilterSpec::default() });
    assert_eq!(filter.progress(&view).shown, 2);
    // ERR|OR: both reads pass.
    let filter = filtered(&view, FilterSpec { text: text("ERROR", FindMode::Text), ..FilterSpec::default() });
    assert_eq!(
        shown(&filter, &view),
        ["TX → 127.0.0.1:5002  (17 B)", "reply to two: ERR", "TX → 127.0.0.1:5002  (7 B)", "OR done"]
    );
    let filter = filtered(&view, FilterSpec { text: text("72 65 70 6C 79", FindMode::Hex), ..FilterSpec::default() });
    assert_eq!(filter.progress(&view).shown, 2, "\"reply\": the two replies' bytes");
    let filter = filtered(&view, FilterSpec { text: text(r"^\w+: hello$", FindMode::Regex), ..FilterSpec::default() });
    assert_eq!(filter.progress(&view).shown, 1, "the regex sees a record's text whole");
    // With a direction: only what passes both.
    let spec = FilterSpec { tx: false, text: text("ERROR", FindMode::Text), ..FilterSpec::default() };
    assert_eq!(filtered(&view, spec).line_count(), 0);
    let bad = FilterSpec { text: text("(", FindMode::Regex), ..FilterSpec::default() };
    assert!(matches!(FilteredView::new(bad), Err(QueryError::Regex(_))));
}

#[test]
fn a_filter_follows_a_live_view_bit_by_bit() {
    let limits = StoreLimits { max_records: 300, max_bytes: 1 << 20 };
    let mut view = ReceiveView::new(Charset::Utf8, ViewMode::Text, limits);
    let spec = FilterSpec { tx: false, ..FilterSpec::default() };
    let mut filter = FilteredView::new(spec).unwrap();
    for i in 0..1000u64 {
        let dir = if i % 2 == 0 { Direction::Rx } else { Direction::Tx };
        data(&mut view, 1, dir, 5001, &format!("{i}\n{i}"));
        if i < 500 && i % 100 == 0 {
            filter.update(&view, FindBudget::UNLIMITED);
        }
    }
    // A tiny budget: a few records at a time.
    let tiny = FindBudget { time: Duration::ZERO, bytes: 0 };
    let mut rounds = 0;
    while !filter.update(&view, tiny).done() {
        rounds += 1;
    }
    assert!(rounds >= 1);
    assert_eq!(filter.progress(&view), FilterProgress { shown: 150, hidden: 150, pending: 0 });
    assert_eq!(filter.line_count(), 150 * 3);
    let lines = shown(&filter, &view);
    assert_eq!(lines[1..3], ["700".to_owned(), "700".to_owned()], "the oldest kept RX record first");
    assert_eq!(lines.last().map(String::as_str), Some("998"));

    // A new mode re-indexes: hex lines now.
    view.set_mode(ViewMode::Hex);
    filter.update(&view, FindBudget::UNLIMITED);
    assert_eq!(filter.line_count(), 150 * 2);
    assert!(shown(&filter, &view)[1].starts_with("0000  37 30 30"), "{:?}", shown(&filter, &view)[1]);
}

#[test]
fn a_read_shown_late_goes_in_its_place() {
    let mut view = ReceiveView::new(Charset::Utf8, ViewMode::Text, StoreLimits::default());
    data(&mut view, 1, Direction::Rx, 5001, "a ERR");
    data(&mut view, 2, Direction::Rx, 5002, "b ERROR");
    data(&mut view, 2, Direction::Rx, 5002, "c");
    data(&mut view, 1, Direction::Rx, 5001, "OR a");
    let query = FindQuery { text: "ERROR".to_owned(), mode: FindMode::Text, match_case: true };
    let filter = filtered(&view, FilterSpec { text: Some(query), ..FilterSpec::default() });
    let text: Vec<String> = shown(&filter, &view).into_iter().filter(|line| !line.contains('←')).collect();
    assert_eq!(text, ["a ERR", "b ERROR", "OR a"]);
    assert_eq!(filter.progress(&view), FilterProgress { shown: 3, hidden: 1, pending: 0 });
}
