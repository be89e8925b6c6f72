//! `netassist run SCRIPT`, the binary, without a display: the shipped
//! examples against loopback peers that behave like the tutorial's programs
//! (exit 0), a different reply and a closed port (exit 1), scripts that do not
//! parse or cannot be read (exit 2), and the JUnit report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};

use netassist::codec::{Charset, ChecksumKind};
use support::cli::{Running, example, finish, netassist};
use support::*;

fn remote(addr: SocketAddr) -> String {
    addr.to_string()
}

#[test]
fn the_client_example_passes_against_the_tutorial_server() {
    let server = spawn_tutorial_server();
    let done =
        finish(netassist().arg("run").arg(example("tutorial-client.nas")).args(["--remote", &remote(server.addr)]));
    assert_eq!(done.code, Some(0), "{done:?}");
    let lines: Vec<&str> = done.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{}", done.stdout);
    assert!(lines[0].starts_with(&format!("PASS  line 12  connect {}", server.addr)), "{}", lines[0]);
    assert!(lines[1].contains("sent \"你好服务器,我是客户端\" (21 bytes, GBK)"), "{}", lines[1]);
    assert!(lines[2].contains("received \"我是服务器,我已经收到了你的信息!\" (32 bytes, GBK)"), "{}", lines[2]);
    assert!(
        lines[3].starts_with("PASS  line 15  expect close") && lines[3].ends_with("closed by the peer"),
        "{}",
        lines[3]
    );
    assert!(lines[4].starts_with("PASSED: 4 steps in "), "{}", lines[4]);
    assert!(lines[..4].iter().all(|l| l.contains(" ms  ")), "each step with its time:\n{}", done.stdout);
    assert_eq!(server.received(), [REQUEST_GBK.to_vec()]);
}

#[test]
fn the_server_example_serves_the_tutorial_client() {
    let mut run = Running::spawn(netassist().arg("run").arg(example("tutorial-server.nas")).args([
        "--local-port",
        "0",
        "--bind",
        "127.0.0.1",
    ]));
    let line = run.line_where(|l| l.contains("listening on"));
    let addr: SocketAddr = line.rsplit(' ').next().and_then(|a| a.parse().ok()).expect("address printed");
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    // The tutorial's client: send the greeting, read the reply until the server closes.
    let mut client = TcpStream::connect_timeout(&addr, PATIENCE).expect("connect");
    client.set_read_timeout(Some(PATIENCE)).expect("timeout");
    client.write_all(REQUEST_GBK).expect("send");
    let mut reply = Vec::new();
    client.read_to_end(&mut reply).expect("read until closed");
    assert_eq!(reply, REPLY_GBK);
    let done = run.finish();
    assert_eq!(done.code, Some(0), "{done:?}");
    assert!(done.stdout.contains("received \"你好服务器,我是客户端\" (21 bytes, GBK)"), "{}", done.stdout);
    assert!(done.stdout.lines().last().unwrap_or_default().starts_with("PASSED: 5 steps"), "{}", done.stdout);
}

#[test]
fn a_peer_with_a_different_reply_fails_with_exit_1() {
    // The tutorial's class-based server: same bytes in, a different reply out.
    let server = LoopbackServer::spawn(|mut stream| {
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        let _ = stream.write_all(&Charset::Gbk.encode("我是客户端,我已经收到了你的消息!").unwrap());
    });
    let done =
        finish(netassist().arg("run").arg(example("tutorial-client.nas")).args(["--remote", &remote(server.addr)]));
    assert_eq!(done.code, Some(1), "{done:?}");
    let fail = done.stdout.lines().find(|l| l.starts_with("FAIL")).expect("a FAIL line");
    assert!(fail.starts_with("FAIL  line 14  expect \"我是服务器"), "{fail}");
    assert!(fail.contains("unmatched: \"我是客户端,我已经收到了你的消息!\""), "what came is shown in GBK: {fail}");
    assert!(done.stdout.lines().last().unwrap_or_default().starts_with("FAILED at line 14 (2 steps passed before it)"));
}

#[test]
fn a_closed_port_fails_with_exit_1() {
    let port = free_port();
    let done = finish(
        netassist().arg("run").arg(example("tutorial-client.nas")).args(["--remote", &format!("127.0.0.1:{port}")]),
    );
    assert_eq!(done.code, Some(1), "{done:?}");
    assert!(done.stdout.starts_with("FAIL  line 12  connect 127.0.0.1:"), "{}", done.stdout);
    assert!(done.stdout.contains("connection refused"), "{}", done.stdout);
}

#[test]
fn a_malformed_script_exits_2_naming_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.nas");
    std::fs::write(&path, "charset gbk\nconnect 127.0.0.1:8000\nsend \"你好\\q\"\n").expect("write");
    let done = finish(netassist().arg("run").arg(&path));
    assert_eq!(done.code, Some(2), "{done:?}");
    assert!(done.stdout.is_empty(), "nothing ran: {}", done.stdout);
    let want = format!(
        "netassist: {}: line 3, column 9: in the quoted text: invalid escape '\\q' at position 3",
        path.display()
    );
    assert!(done.stderr.starts_with(&want), "{}", done.stderr);
}

#[test]
fn an_unreadable_script_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.nas");
    let done = finish(netassist().arg("run").arg(&missing));
    assert_eq!(done.code, Some(2), "{done:?}");
    assert!(done.stderr.contains("cannot read") && done.stderr.contains("missing.nas"), "{}", done.stderr);
    let gbk = dir.path().join("gbk.nas");
    std::fs::write(&gbk, Charset::Gbk.encode("send \"你好\"").unwrap()).expect("write");
    let done = finish(netassist().arg("run").arg(&gbk));
    assert_eq!(done.code, Some(2), "{done:?}");
    assert!(done.stderr.contains("is not UTF-8 text (byte 6"), "{}", done.stderr);
}

#[test]
fn the_modbus_example_sends_its_crc_and_checks_the_reply() {
    let server = LoopbackServer::spawn(|mut stream| {
        let mut request = [0u8; 8];
        while stream.read_exact(&mut request).is_ok() {
            assert_eq!(request, [0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD], "the CRC low byte first");
            let mut reply = vec![0x01, 0x03, 0x14];
            reply.extend((0..20u8).map(|i| i * 3));
            reply.extend(ChecksumKind::Crc16Modbus.compute(&reply.clone()));
            if stream.write_all(&reply).is_err() {
                break;
            }
        }
    });
    let done = finish(netassist().arg("run").arg(example("modbus-read.nas")).args(["--remote", &remote(server.addr)]));
    assert_eq!(done.code, Some(0), "{done:?}");
    assert_eq!(done.stdout.matches("sent 01 03 00 00 00 0A C5 CD (8 bytes)").count(), 3, "{}", done.stdout);
    assert!(done.stdout.contains("PASS  line 16 [3]  expect hex \"01 03 14\""), "{}", done.stdout);
}

#[test]
fn variables_from_the_command_line_and_a_junit_report() {
    let server = spawn_echo_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let script = dir.path().join("vars.nas");
    std::fs::write(
        &script,
        "charset utf-8\nvar who \"nobody\"\nconnect 127.0.0.1:1\nsend \"hi ${who} <${seq}>\"\nexpect \"hi 设备 <1>\"\nexpect \"never\" timeout 100ms\n",
    )
    .expect("write");
    let junit = dir.path().join("report.xml");
    let done = finish(
        netassist()
            .arg("run")
            .arg(&script)
            .args(["--remote", &remote(server.addr), "--set", "who=设备", "--junit"])
            .arg(&junit),
    );
    assert_eq!(done.code, Some(1), "{done:?}");
    let xml = std::fs::read_to_string(&junit).expect("report written");
    assert!(xml.contains(r#"<testsuite name="vars.nas" tests="4" failures="1" errors="0""#), "{xml}");
    assert!(xml.contains(r#"<testcase name="line 5: expect &quot;hi 设备 &lt;1&gt;&quot;""#), "{xml}");
    assert!(
        xml.contains(r#"<failure message="not received within 0.1 s; unmatched: nothing" type="expect timeout">"#),
        "{xml}"
    );
    let bad = finish(netassist().args(["run", "x.nas", "--set", "1x=2"]));
    assert_eq!(bad.code, Some(2), "{bad:?}");
    assert!(bad.stderr.contains("'1x' is not a variable name"), "{}", bad.stderr);
}

#[test]
fn the_window_flags_do_not_mix_with_a_command() {
    let done = finish(netassist().args(["--mode", "udp", "run", "x.nas"]));
    assert_eq!(done.code, Some(2), "{done:?}");
    assert!(
        done.stderr.contains("cannot be used with") || done.stderr.contains("unexpected argument"),
        "{}",
        done.stderr
    );
}
