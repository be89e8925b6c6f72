//! Invisible characters in the Text view (issue 18, item 9): zero-width
//! space and joiner, word joiner, byte order mark and the right-to-left
//! override show as `\u{…}` like other invisible characters, so
//! `pass\u{200B}word` never looks like `password`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test (or bench) fails by panicking

mod support;
mod ui_support;

use std::io::{Read, Write};

use netassist::app::StartOptions;
use netassist::codec::Charset;
use netassist::model::LinkState;
use ui_support::{app_harness, has_text, step_until};

#[test]
fn invisible_characters_show_visibly_in_the_text_view() {
    let server = support::LoopbackServer::spawn(|mut stream| {
        let _ = stream.write_all("pass\u{200B}word a\u{200D}b c\u{2060}d \u{FEFF}e \u{202E}fed\n".as_bytes());
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
    });
    let mut options = StartOptions::default();
    options.settings.remote_port = server.addr.port().to_string();
    options.settings.charset = Charset::Utf8;
    options.connect = true;
    let mut harness = app_harness(options);
    step_until(&mut harness, "Connected", |h| matches!(h.state().tab().session.state, LinkState::Connected { .. }));
    step_until(&mut harness, "the markers", |h| {
        has_text(h, r"pass\u{200B}word a\u{200D}b c\u{2060}d \u{FEFF}e \u{202E}fed")
    });
    assert!(!has_text(&harness, "password"), "never drawn as if it were `password`");
}
