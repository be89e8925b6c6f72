//! Commands that need no window (and no display): `netassist run SCRIPT`
//! runs a script (once, or as a load test), `netassist connect` / `listen` /
//! `udp` stream a connection to the terminal. They drive the same engine as
//! the window, through [`crate::engine::EngineHandle`] and its events.

mod args;
mod export;
mod junit;
mod load;
mod load_stats;
mod print;
mod run;
mod stream;

pub use args::{ArgError, HeadlessCommand, ListenArgs, RunArgs, StreamArgs, UdpArgs};
pub use export::ExportArgs;

use std::fmt::Display;
use std::io::Write;

/// Exit code: every step passed (or the stream ended normally).
pub const EXIT_PASSED: i32 = 0;
/// Exit code: a step failed (a refused connection, a timeout, a different reply…).
pub const EXIT_FAILED: i32 = 1;
/// Exit code: the script cannot be read or parsed (or a report file cannot be written).
pub const EXIT_UNUSABLE: i32 = 2;

/// Runs `command`; the process's exit code.
pub fn main(command: HeadlessCommand) -> i32 {
    match command {
        HeadlessCommand::Run(args) => {
            let script = match crate::script::load(&args.script) {
                Ok(script) => script,
                Err(error) => {
                    eprintln!("netassist: {error}");
                    return EXIT_UNUSABLE;
                }
            };
            if args.is_load() { load::run_load(&script, &args) } else { run::run_once(&script, &args) }
        }
        HeadlessCommand::Connect(args) => stream::connect(args),
        HeadlessCommand::Listen(args) => stream::listen(args),
        HeadlessCommand::Udp(args) => stream::udp(args),
        HeadlessCommand::Export(args) => args.run(),
    }
}

/// Prints a line on stdout; a closed stdout (e.g. `| head`) is not an error worth dying for.
fn say(line: impl Display) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
}
