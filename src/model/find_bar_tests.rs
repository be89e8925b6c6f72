use std::net::SocketAddr;
use std::time::SystemTime;

use bytes::Bytes;

use super::*;
use crate::codec::Charset;
use crate::ids::Direction;
use crate::view::{StoreLimits, ViewMode};

fn view() -> ReceiveView {
    let mut view = ReceiveView::new(Charset::Utf8, ViewMode::Text, StoreLimits::default());
    let peer: SocketAddr = "127.0.0.1:9000".parse().unwrap();
    view.push_data(ConnId(1), Direction::Rx, peer, SystemTime::UNIX_EPOCH, Bytes::from_static(b"Hello hello"));
    view.push_data(ConnId(2), Direction::Tx, peer, SystemTime::UNIX_EPOCH, Bytes::from_static(b"bye"));
    view
}

#[test]
fn a_query_is_searched_or_says_why_not_and_keeps_what_was_typed() {
    let view = view();
    let mut find = FindState::default();
    find.show();
    find.query = "C4 E".to_owned();
    find.mode = FindMode::Hex;
    find.restart();
    assert!(find.job().is_none());
    let problem = find.problem().expect("a problem").to_string();
    assert!(problem.starts_with("Not hex bytes"), "{problem}");
    assert_eq!(find.query, "C4 E");

    find.query = "hello".to_owned();
    find.mode = FindMode::Text;
    find.ignore_case = true;
    find.restart();
    assert!(find.problem().is_none());
    assert!(find.advance(&view, PaneView::Live, FindBudget::UNLIMITED).unwrap().done);
    assert_eq!(find.counter(), (0, 2));
    find.next(&view);
    find.next(&view);
    assert_eq!(find.counter(), (2, 2));
    assert!(find.scroll_to.is_some(), "the selected match is scrolled to");
    find.previous(&view);
    assert_eq!(find.counter(), (1, 2));

    // Another view (a capture opened): the search starts over there.
    find.advance(&view, PaneView::Capture, FindBudget::UNLIMITED);
    assert_eq!(find.counter(), (0, 2));
    find.query.clear();
    find.restart();
    assert!(find.job().is_none() && find.problem().is_none(), "empty: nothing to find, and no error");
    find.close();
    assert!(!find.open);
}

#[test]
fn a_filter_hides_and_a_bad_text_is_reported_while_the_rest_still_filters() {
    let view = view();
    let mut filter = FilterState::default();
    assert!(filter.update(&view, PaneView::Live, FindBudget::UNLIMITED).is_none(), "everything passes");
    filter.tx = false;
    filter.query = "(".to_owned();
    filter.mode = FindMode::Regex;
    filter.restart();
    assert!(filter.problem().is_some());
    let progress = filter.update(&view, PaneView::Live, FindBudget::UNLIMITED).unwrap();
    assert_eq!((progress.shown, progress.hidden), (1, 1), "by direction still");

    let peer: SocketAddr = "127.0.0.1:9000".parse().unwrap();
    filter.clear();
    filter.toggle_client(ConnId(2), peer);
    assert_eq!(filter.client, Some((ConnId(2), peer)));
    let progress = filter.update(&view, PaneView::Live, FindBudget::UNLIMITED).unwrap();
    assert_eq!((progress.shown, progress.hidden), (1, 1));
    filter.toggle_client(ConnId(2), peer);
    assert!(filter.client.is_none() && filter.filtered().is_none(), "clicked again: everyone's");
}
