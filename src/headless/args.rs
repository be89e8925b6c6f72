//! The headless subcommands: `run`, `connect`, `listen`, `udp`.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::cli::{parse_charset, parse_ip, parse_remote, parse_timeout};
use crate::codec::vars::is_name;
use crate::codec::{Charset, LineEnding};

/// A command that runs without a window (no display needed).
#[derive(Debug, Subcommand)]
pub enum HeadlessCommand {
    /// Run a script (see docs/SCRIPTS.md): print each step with PASS/FAIL and
    /// its time; exit 0 when every step passed, 1 when one failed, 2 when the
    /// script cannot be read or parsed. With --connections or --repeat: a load test.
    Run(RunArgs),
    /// Connect to a TCP server: print what arrives, send each line typed (stdin).
    Connect(StreamArgs),
    /// Listen for TCP clients: print what arrives, send each line typed to every client.
    Listen(ListenArgs),
    /// Bind a UDP socket: print each datagram, send each line typed to --remote
    /// (or, without it, to whoever sent the last datagram).
    Udp(UdpArgs),
    /// Write a capture as pcapng for Wireshark/tshark.
    Export(super::export::ExportArgs),
}

/// `netassist run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The script file.
    #[arg(value_name = "SCRIPT")]
    pub script: PathBuf,

    /// Connect to HOST:PORT instead of the script's target (and send UDP there).
    #[arg(long, value_name = "HOST:PORT", value_parser = parse_remote)]
    pub remote: Option<(String, u16)>,

    /// Listen or bind on this port instead of the script's (0: any free port, printed).
    #[arg(long, value_name = "PORT")]
    pub local_port: Option<u16>,

    /// Listen or bind on this local address instead of the script's.
    #[arg(long, value_name = "IP", value_parser = parse_ip)]
    pub bind: Option<IpAddr>,

    /// Set a variable (over the script's `var`); may be given many times.
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    pub set: Vec<(String, String)>,

    /// Also write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,

    /// Load test: run the script over N connections at once.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub connections: u32,

    /// Load test: each connection runs the script M times.
    #[arg(long, value_name = "M", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub repeat: u64,

    /// Load test: start R runs of the script a second in all, on a fixed schedule.
    #[arg(long, value_name = "R", value_parser = parse_rate)]
    pub rate: Option<f64>,

    /// Load test: write each run's figures to FILE as CSV.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}

impl RunArgs {
    /// Whether this is a load test rather than a single run.
    pub fn is_load(&self) -> bool {
        self.connections > 1 || self.repeat > 1 || self.rate.is_some() || self.csv.is_some()
    }
}

/// How arrivals are shown and typed lines sent.
#[derive(Debug, Args)]
pub struct Display {
    /// Charset of text shown and sent: gbk (default), utf-8, gb18030, big5, shift_jis, euc-kr, windows-1252.
    #[arg(long, value_name = "NAME", value_parser = parse_charset, default_value = "gbk")]
    pub charset: Charset,

    /// Show arrivals as a hex dump, and read typed lines as hex (e.g. `01 03 00 00`).
    #[arg(long)]
    pub hex: bool,

    /// Interpret escapes in typed lines: \r \n \t \\ \0 \xNN \uXXXX.
    #[arg(long)]
    pub escapes: bool,

    /// After the end of input, keep showing what arrives for this long (or until
    /// the peer closes) before closing, e.g. 2s or 500ms (default: close at once).
    #[arg(long, value_name = "DURATION", default_value = "0", value_parser = parse_linger)]
    pub linger: std::time::Duration,

    /// Append this to each line sent: none (default), crlf, lf, cr.
    #[arg(long, value_name = "ENDING", default_value = "none", value_parser = parse_ending)]
    pub append: LineEnding,
}

/// `netassist connect`.
#[derive(Debug, Args)]
pub struct StreamArgs {
    /// The server, as HOST:PORT.
    #[arg(value_name = "HOST:PORT", value_parser = parse_remote)]
    pub remote: (String, u16),

    /// Connect from this local port.
    #[arg(long, value_name = "PORT")]
    pub local_port: Option<u16>,

    /// Connect timeout in seconds, 0.1 to 120 (default 5).
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_timeout)]
    pub timeout: f32,

    /// How arrivals are shown and typed lines sent.
    #[command(flatten)]
    pub display: Display,
}

/// `netassist listen`.
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Where to listen: PORT (all IPv4 addresses), IP:PORT or [IPv6]:PORT; port 0: any free port.
    #[arg(value_name = "[IP:]PORT")]
    pub local: String,

    /// How arrivals are shown and typed lines sent.
    #[command(flatten)]
    pub display: Display,
}

/// `netassist udp`.
#[derive(Debug, Args)]
pub struct UdpArgs {
    /// Where to bind: PORT (all IPv4 addresses), IP:PORT or [IPv6]:PORT; port 0: any free port.
    #[arg(value_name = "[IP:]PORT")]
    pub local: String,

    /// Send typed lines here (without it: to whoever sent the last datagram).
    #[arg(long, value_name = "HOST:PORT", value_parser = parse_remote)]
    pub remote: Option<(String, u16)>,

    /// How arrivals are shown and typed lines sent.
    #[command(flatten)]
    pub display: Display,
}

/// A headless option's value that does not read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArgError {
    /// `--set` without `=`.
    #[error("'{0}' has no '=': write NAME=VALUE")]
    NoEquals(String),
    /// `--set` with a name that is not one.
    #[error("'{0}' is not a variable name: use letters, digits and _, not starting with a digit")]
    BadName(String),
    /// `--rate` that is not a positive number.
    #[error("'{0}' is not a rate: write runs per second, more than 0 (e.g. 100 or 0.5)")]
    BadRate(String),
    /// `--linger` that is not a duration.
    #[error("'{0}' is not a duration: write milliseconds (500, 500ms) or seconds (2s, 1.5s)")]
    BadDuration(String),
    /// `--append` that is not a line ending.
    #[error("'{0}' is not a line ending: use none, crlf, lf or cr")]
    BadEnding(String),
}

fn parse_set(text: &str) -> Result<(String, String), ArgError> {
    match text.split_once('=') {
        Some((name, value)) if is_name(name) => Ok((name.to_owned(), value.to_owned())),
        Some((name, _)) => Err(ArgError::BadName(name.to_owned())),
        None => Err(ArgError::NoEquals(text.to_owned())),
    }
}

fn parse_rate(text: &str) -> Result<f64, ArgError> {
    match text.trim().parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 && rate <= 1e7 => Ok(rate),
        _ => Err(ArgError::BadRate(text.to_owned())),
    }
}

fn parse_linger(text: &str) -> Result<std::time::Duration, ArgError> {
    crate::script::parse::parse_duration(text).ok_or_else(|| ArgError::BadDuration(text.to_owned()))
}

fn parse_ending(text: &str) -> Result<LineEnding, ArgError> {
    match text.to_ascii_lowercase().as_str() {
        "none" => Ok(LineEnding::None),
        "crlf" => Ok(LineEnding::CrLf),
        "lf" => Ok(LineEnding::Lf),
        "cr" => Ok(LineEnding::Cr),
        _ => Err(ArgError::BadEnding(text.to_owned())),
    }
}
