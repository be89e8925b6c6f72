//! `netassist export CAPTURE.nacap OUT.pcapng`: a capture as pcapng, for
//! Wireshark and tshark, without opening the window.

use std::path::PathBuf;

use crate::capture::{self, ExportError, ExportSummary};

/// Writes a capture as pcapng for Wireshark and tshark: TCP connections as
/// streams (synthesized handshake, segments and close), UDP datagrams as
/// datagrams, with the captured times and addresses.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The capture to read (a .nacap file written by netassist).
    #[arg(value_name = "CAPTURE")]
    pub capture: PathBuf,
    /// The pcapng file to write; it must not exist yet.
    #[arg(value_name = "OUT.pcapng")]
    pub output: PathBuf,
}

impl ExportArgs {
    /// Runs the export, reports on stdout/stderr, and returns the exit code:
    /// 0 when everything was exported, 1 when nothing was, 2 when a capture
    /// cut short was exported up to its last good record.
    pub fn run(&self) -> i32 {
        match capture::export_file(&self.capture, &self.output, |_| true) {
            Ok(summary) => {
                println!("{}", done(&self.output, &summary));
                match &summary.problem {
                    Some(problem) => {
                        eprintln!("netassist export: the capture ends early: {problem}");
                        2
                    }
                    None => 0,
                }
            }
            Err(error) => {
                eprintln!("netassist export: {}", failed(&error));
                1
            }
        }
    }
}

/// The line a finished export prints.
fn done(output: &std::path::Path, summary: &ExportSummary) -> String {
    format!(
        "wrote {}: {} packets ({} TCP streams, {} UDP datagrams) from {} capture records",
        output.display(),
        summary.packets,
        summary.streams,
        summary.datagrams,
        summary.records
    )
}

/// The line a failed export prints.
fn failed(error: &ExportError) -> String {
    error.to_string()
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use crate::cli::Args;
    use crate::headless::HeadlessCommand;

    #[test]
    fn export_takes_the_capture_and_the_output() {
        let args = Args::try_parse_from(["netassist", "export", "in.nacap", "out.pcapng"]).unwrap();
        let Some(HeadlessCommand::Export(export)) = args.command else { panic!("{args:?}") };
        assert_eq!((export.capture.to_str(), export.output.to_str()), (Some("in.nacap"), Some("out.pcapng")));
        assert!(Args::try_parse_from(["netassist", "export", "in.nacap"]).is_err(), "the output is needed");
        assert!(Args::try_parse_from(["netassist"]).unwrap().command.is_none(), "no command opens the window");
    }
}
