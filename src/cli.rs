//! The command line: open the window preconfigured, and optionally connected,
//! so a desktop shortcut can open a ready session.

use clap::{Parser, ValueEnum};

use crate::app::{Protocol, Settings, StartOptions};
use crate::codec::Charset;
use crate::engine::parse_target;
use crate::view::ViewMode;

/// netassist — network debugging assistant (网络调试助手).
///
/// Opens the window. Every option only presets what the window shows; all of
/// it can be changed in the window afterwards.
#[derive(Debug, Parser)]
#[command(name = "netassist", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Args {
    /// Protocol to preselect.
    #[arg(long, value_enum, default_value_t = ModeArg::TcpClient)]
    pub mode: ModeArg,

    /// Remote address as HOST:PORT, e.g. 127.0.0.1:8000, example.org:80, [::1]:8000.
    #[arg(long, value_name = "HOST:PORT", value_parser = parse_remote)]
    pub remote: Option<(String, u16)>,

    /// Local port: the client's source port, the server's listen port, or
    /// the UDP socket's port (0: any free port).
    #[arg(long, value_name = "PORT")]
    pub local_port: Option<u16>,

    /// Local address for the server and UDP modes (default 0.0.0.0, all interfaces).
    #[arg(long, value_name = "IP", value_parser = parse_ip)]
    pub bind: Option<std::net::IpAddr>,

    /// Charset for text: gbk, utf-8, gb18030, big5, shift_jis, euc-kr, windows-1252.
    #[arg(long, value_name = "NAME", default_value = "gbk", value_parser = parse_charset)]
    pub charset: Charset,

    /// Receive view mode.
    #[arg(long, value_enum, default_value_t = ViewArg::Text)]
    pub view: ViewArg,

    /// Connect timeout in seconds (0.1 to 120).
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0, value_parser = parse_timeout)]
    pub timeout: f32,

    /// Connect (client), listen (server) or open (UDP) as soon as the window opens.
    #[arg(long)]
    pub connect: bool,
}

const EXAMPLES: &str = "Examples:\n  \
    netassist --mode tcp-client --remote 127.0.0.1:8000 --charset gbk --connect\n  \
    netassist --mode tcp-server --bind 0.0.0.0 --local-port 8000 --connect\n  \
    netassist --mode udp --local-port 9000 --remote 127.0.0.1:9001 --view text-hex";

/// `--mode` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Connect to a TCP server.
    TcpClient,
    /// Listen for TCP clients.
    TcpServer,
    /// Send and receive UDP datagrams.
    Udp,
}

/// `--view` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ViewArg {
    /// Decoded text.
    Text,
    /// Hex bytes.
    Hex,
    /// Text and hex.
    TextHex,
}

fn parse_remote(text: &str) -> Result<(String, u16), String> {
    if !text.contains(':') {
        return Err(format!("'{text}' has no port: write HOST:PORT, e.g. 127.0.0.1:8000"));
    }
    parse_target(text, "").map_err(|e| e.to_string())
}

fn parse_ip(text: &str) -> Result<std::net::IpAddr, String> {
    text.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| format!("'{text}' is not an IP address (e.g. 0.0.0.0, 127.0.0.1, ::)"))
}

fn parse_timeout(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(secs) if (0.1..=120.0).contains(&secs) => Ok(secs),
        _ => Err(format!("'{text}' is not a timeout from 0.1 to 120 seconds")),
    }
}

fn parse_charset(text: &str) -> Result<Charset, String> {
    Charset::from_name(text).ok_or_else(|| {
        let known: Vec<&str> = Charset::ALL.iter().map(|c| c.label()).collect();
        format!("unknown charset '{text}'; known: {}", known.join(", "))
    })
}

impl Args {
    /// The settings and start-up actions these arguments ask for.
    pub fn start_options(&self) -> StartOptions {
        let mut settings = Settings {
            protocol: match self.mode {
                ModeArg::TcpClient => Protocol::TcpClient,
                ModeArg::TcpServer => Protocol::TcpServer,
                ModeArg::Udp => Protocol::Udp,
            },
            charset: self.charset,
            connect_timeout_secs: self.timeout,
            view_mode: match self.view {
                ViewArg::Text => ViewMode::Text,
                ViewArg::Hex => ViewMode::Hex,
                ViewArg::TextHex => ViewMode::TextHex,
            },
            ..Settings::default()
        };
        if let Some((host, port)) = &self.remote {
            settings.remote_host = host.clone();
            settings.remote_port = port.to_string();
        }
        if let Some(port) = self.local_port {
            let field = match settings.protocol {
                Protocol::TcpClient => &mut settings.local_port,
                Protocol::TcpServer => &mut settings.listen_port,
                Protocol::Udp => &mut settings.udp_port,
            };
            *field = port.to_string();
        }
        if let Some(ip) = self.bind {
            settings.bind_host = ip.to_string();
        }
        StartOptions { settings, connect: self.connect, ..StartOptions::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desktop_shortcut_line_parses() {
        let args = Args::try_parse_from([
            "netassist",
            "--mode",
            "tcp-client",
            "--remote",
            "127.0.0.1:8000",
            "--charset",
            "gbk",
            "--connect",
        ])
        .expect("valid");
        let options = args.start_options();
        assert!(options.connect);
        assert_eq!(options.settings.remote_host, "127.0.0.1");
        assert_eq!(options.settings.remote_port, "8000");
        assert_eq!(options.settings.charset, Charset::Gbk);
        assert_eq!(options.settings.protocol, Protocol::TcpClient);
    }

    #[test]
    fn server_and_udp_take_their_own_local_port() {
        let args =
            Args::try_parse_from(["netassist", "--mode", "tcp-server", "--bind", "[::]", "--local-port", "9000"])
                .expect("valid");
        let options = args.start_options();
        assert_eq!((options.settings.bind_host.as_str(), options.settings.listen_port.as_str()), ("::", "9000"));
        let args = Args::try_parse_from(["netassist", "--mode", "udp", "--local-port", "0"]).expect("valid");
        assert_eq!(args.start_options().settings.udp_port, "0");
        assert!(Args::try_parse_from(["netassist", "--bind", "localhost"]).is_err());
    }

    #[test]
    fn ipv6_and_bad_input() {
        let args = Args::try_parse_from(["netassist", "--remote", "[::1]:9000", "--charset", "UTF-8"]).expect("valid");
        assert_eq!(args.remote, Some(("::1".to_owned(), 9000)));
        assert!(Args::try_parse_from(["netassist", "--remote", "127.0.0.1"]).is_err());
        assert!(Args::try_parse_from(["netassist", "--remote", "127.0.0.1:99999"]).is_err());
        let err = Args::try_parse_from(["netassist", "--charset", "klingon"]).expect_err("invalid");
        assert!(err.to_string().contains("known: GBK, UTF-8"), "{err}");
        for bad in ["1e20", "0", "-1", "nan", "inf", "121"] {
            assert!(Args::try_parse_from(["netassist", "--timeout", bad]).is_err(), "{bad}");
        }
        assert_eq!(Args::try_parse_from(["netassist", "--timeout", "0.5"]).expect("valid").timeout, 0.5);
    }
}
