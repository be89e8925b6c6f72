//! The command line: open the window preconfigured, and optionally connected,
//! so a desktop shortcut can open a ready session.

use clap::{Parser, ValueEnum};

use crate::app::StartOptions;
use crate::codec::Charset;
use crate::engine::{EngineConfig, parse_target};
use crate::headless::HeadlessCommand;
use crate::model::{Protocol, SettingsOverrides};
use crate::view::{StoreLimits, ViewMode};

/// What `--version` prints after the name: the version in Cargo.toml and the
/// `git describe` of the build (set by build.rs), e.g. `0.1.0 (v0.1.0-3-g4a11fab)`.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("NETASSIST_GIT_DESCRIBE"), ")");

/// netassist — network debugging assistant (网络调试助手).
///
/// Opens the window. Every option only presets what the window shows; all of
/// it can be changed in the window afterwards.
#[derive(Debug, Parser)]
#[command(name = "netassist", version = VERSION, about, long_about = None, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
pub struct Args {
    /// A command without a window (no display needed); none: open the window.
    #[command(subcommand)]
    pub command: Option<HeadlessCommand>,

    /// Open this saved profile in a tab; repeat it to open several, a tab each.
    /// With one --profile, settings given below override its values; with
    /// several, they open a tab of their own. Without --profile and without
    /// settings, the tabs open at the last exit come back.
    #[arg(long, value_name = "NAME")]
    pub profile: Vec<String>,

    /// Protocol to preselect (default: tcp-client).
    #[arg(long, value_enum)]
    pub mode: Option<ModeArg>,

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

    /// TCP server: most clients at once; the next is refused (default 1024).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub max_clients: Option<u32>,

    /// Charset for text: gbk (default), utf-8, gb18030, big5, shift_jis, euc-kr, windows-1252.
    #[arg(long, value_name = "NAME", value_parser = parse_charset)]
    pub charset: Option<Charset>,

    /// Receive view mode (default: text).
    #[arg(long, value_enum)]
    pub view: Option<ViewArg>,

    /// Connect timeout in seconds, 0.1 to 120 (default: 5).
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<f32>,

    /// Connect (client), listen (server) or open (UDP) as soon as the window opens.
    #[arg(long)]
    pub connect: bool,

    /// Write frame times, counters and memory to this file once a second (for benchmarks).
    #[arg(long, value_name = "PATH")]
    pub stats_file: Option<std::path::PathBuf>,

    /// Memory the receive view may hold, in MiB (default 16: about 130,000
    /// lines of ASCII text); the oldest records go first. A capture keeps
    /// every byte regardless. The text log writes what the view shows: under
    /// a flood the window lets data pass unshown (the view says how much), and
    /// that data is not in the log either; capture to keep it.
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub view_memory: Option<u32>,

    /// Install a desktop menu entry and icon for this binary (Linux, per user), then exit.
    #[arg(long)]
    pub install_desktop_entry: bool,
}

const EXAMPLES: &str = "Examples:\n  \
    netassist --mode tcp-client --remote 127.0.0.1:8000 --charset gbk --connect\n  \
    netassist --mode tcp-server --bind 0.0.0.0 --local-port 8000 --connect\n  \
    netassist --mode udp --local-port 9000 --remote 127.0.0.1:9001 --view text-hex\n\n\
    Without a window:\n  \
    netassist run examples/tutorial-client.nas --remote 127.0.0.1:8000\n  \
    netassist connect 127.0.0.1:8000 --charset gbk\n  \
    netassist listen 8000\n  \
    netassist export capture.nacap capture.pcapng";

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

pub(crate) fn parse_remote(text: &str) -> Result<(String, u16), String> {
    if !text.contains(':') {
        return Err(format!("'{text}' has no port: write HOST:PORT, e.g. 127.0.0.1:8000"));
    }
    parse_target(text, "").map_err(|e| e.to_string())
}

pub(crate) fn parse_ip(text: &str) -> Result<std::net::IpAddr, String> {
    text.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| format!("'{text}' is not an IP address (e.g. 0.0.0.0, 127.0.0.1, ::)"))
}

pub(crate) fn parse_timeout(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(secs) if (0.1..=120.0).contains(&secs) => Ok(secs),
        _ => Err(format!("'{text}' is not a timeout from 0.1 to 120 seconds")),
    }
}

pub(crate) fn parse_charset(text: &str) -> Result<Charset, String> {
    Charset::from_name(text).ok_or_else(|| {
        let known: Vec<&str> = Charset::ALL.iter().map(|c| c.label()).collect();
        format!("unknown charset '{text}'; known: {}", known.join(", "))
    })
}

impl Args {
    /// The settings given on the command line.
    pub fn overrides(&self) -> SettingsOverrides {
        SettingsOverrides {
            protocol: self.mode.map(|mode| match mode {
                ModeArg::TcpClient => Protocol::TcpClient,
                ModeArg::TcpServer => Protocol::TcpServer,
                ModeArg::Udp => Protocol::Udp,
            }),
            remote: self.remote.clone(),
            local_port: self.local_port,
            bind: self.bind,
            charset: self.charset,
            view_mode: self.view.map(|view| match view {
                ViewArg::Text => ViewMode::Text,
                ViewArg::Hex => ViewMode::Hex,
                ViewArg::TextHex => ViewMode::TextHex,
            }),
            timeout_secs: self.timeout,
            max_clients: self.max_clients,
        }
    }

    /// The receive view's limits: `--view-memory`, or the default.
    pub fn view_limits(&self) -> StoreLimits {
        let mut limits = StoreLimits::default();
        if let Some(mib) = self.view_memory {
            limits.max_bytes = mib as usize * 1024 * 1024;
            // Records scale with memory (the default is 200,000 for 16 MiB).
            limits.max_records = limits.max_records.max(mib as usize * 12_500);
        }
        limits
    }

    /// How the app starts: the profile asked for (or the last one used, when
    /// nothing else was asked), the settings given here on top, and whether to connect.
    pub fn start_options(&self) -> StartOptions {
        let overrides = self.overrides();
        StartOptions {
            restore_last: self.profile.is_empty() && overrides.is_empty(),
            profiles: self.profile.clone(),
            overrides,
            connect: self.connect,
            stats_file: self.stats_file.clone(),
            limits: self.view_limits(),
            // A flood the window cannot show in time is counted, not slowed down.
            engine: EngineConfig { elide_when_behind: true, ..EngineConfig::default() },
            ..StartOptions::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Settings;

    #[test]
    fn version_names_the_release_and_the_commit() {
        let shown = Args::try_parse_from(["netassist", "--version"]).unwrap_err();
        assert_eq!(shown.kind(), clap::error::ErrorKind::DisplayVersion);
        let text = shown.to_string();
        let describe = env!("NETASSIST_GIT_DESCRIBE");
        assert!(!describe.is_empty());
        assert_eq!(text.trim_end(), format!("netassist {} ({describe})", env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn view_memory_help_tells_what_the_text_log_keeps() {
        use clap::CommandFactory;
        let help = Args::command().render_long_help().to_string();
        let at = help.find("--view-memory").unwrap();
        let text = &help[at..at + 600];
        assert!(!text.contains("keep everything"), "{text}");
        assert!(text.contains("A capture keeps") && text.contains("every byte regardless"), "{text}");
        assert!(text.contains("not in the log either"), "{text}");
    }

    #[test]
    fn view_memory_sets_the_view_limits() {
        let default = Args::try_parse_from(["netassist"]).unwrap();
        assert_eq!(default.start_options().limits, StoreLimits::default());
        assert_eq!(StoreLimits::default().max_bytes, 16 * 1024 * 1024);
        let big = Args::try_parse_from(["netassist", "--view-memory", "256"]).unwrap();
        let limits = big.start_options().limits;
        assert_eq!(limits.max_bytes, 256 * 1024 * 1024);
        assert_eq!(limits.max_records, 3_200_000);
        assert!(Args::try_parse_from(["netassist", "--view-memory", "0"]).is_err());
        assert!(Args::try_parse_from(["netassist", "--view-memory", "5000"]).is_err());
    }

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
        assert!(!options.restore_last, "settings on the command line start a fresh session");
        let settings = resolved(&args);
        assert_eq!(settings.remote_host, "127.0.0.1");
        assert_eq!(settings.remote_port, "8000");
        assert_eq!(settings.charset, Charset::Gbk);
        assert_eq!(settings.protocol, Protocol::TcpClient);
    }

    /// The defaults with the command line's settings on top.
    fn resolved(args: &Args) -> Settings {
        let mut settings = Settings::default();
        args.overrides().apply(&mut settings);
        settings
    }

    #[test]
    fn profile_and_last_used() {
        let bare = Args::try_parse_from(["netassist"]).expect("valid").start_options();
        assert!(bare.restore_last && bare.profiles.is_empty());
        let args = Args::try_parse_from(["netassist", "--profile", "tutorial", "--connect", "--charset", "utf-8"])
            .expect("valid");
        let options = args.start_options();
        assert_eq!(options.profiles, ["tutorial"]);
        assert!(options.connect && !options.restore_last);
        assert_eq!(options.overrides.charset, Some(Charset::Utf8));
        assert_eq!(options.overrides.protocol, None, "the profile's mode stays");
    }

    #[test]
    fn server_and_udp_take_their_own_local_port() {
        let args =
            Args::try_parse_from(["netassist", "--mode", "tcp-server", "--bind", "[::]", "--local-port", "9000"])
                .expect("valid");
        let settings = resolved(&args);
        assert_eq!((settings.bind_host.as_str(), settings.listen_port.as_str()), ("::", "9000"));
        let args = Args::try_parse_from(["netassist", "--mode", "udp", "--local-port", "0"]).expect("valid");
        assert_eq!(resolved(&args).udp_port, "0");
        assert!(Args::try_parse_from(["netassist", "--bind", "localhost"]).is_err());
    }

    #[test]
    fn headless_commands_sit_beside_the_window_flags() {
        let args = Args::try_parse_from(["netassist", "run", "a.nas", "--remote", "127.0.0.1:9", "--set", "a=b"])
            .expect("valid");
        let Some(HeadlessCommand::Run(run)) = args.command else { panic!("{args:?}") };
        assert_eq!((run.remote, run.set), (Some(("127.0.0.1".to_owned(), 9)), vec![("a".to_owned(), "b".to_owned())]));
        assert!(Args::try_parse_from(["netassist", "--connect"]).expect("valid").command.is_none());
        assert!(Args::try_parse_from(["netassist", "--mode", "udp", "run", "a.nas"]).is_err());
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
        assert_eq!(Args::try_parse_from(["netassist", "--timeout", "0.5"]).expect("valid").timeout, Some(0.5));
    }
}
