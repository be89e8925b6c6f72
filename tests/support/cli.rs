//! Running the netassist binary in tests: its headless commands, with a
//! timeout, reading its output as it comes.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, sync_channel};
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use super::PATIENCE;

/// The binary cargo built for these tests.
pub fn netassist() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_netassist"));
    command.env("RUST_LOG", "warn").env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY");
    command
}

/// An example script of the repository.
pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

/// How a finished run went.
#[derive(Debug)]
pub struct Finished {
    /// Its exit code.
    pub code: Option<i32>,
    /// All it printed on stdout.
    pub stdout: String,
    /// All it printed on stderr.
    pub stderr: String,
}

/// Runs `command` to its end (killing it after [`PATIENCE`]).
pub fn finish(command: &mut Command) -> Finished {
    let child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    Running::new(child).finish()
}

/// A netassist process whose stdout is read line by line as it comes.
pub struct Running {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Running {
    /// Starts `command` with piped stdin, stdout and stderr.
    pub fn spawn(command: &mut Command) -> Self {
        let child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
        Self::new(child)
    }

    fn new(mut child: Child) -> Self {
        let stdout = child.stdout.take().expect("stdout piped");
        let (tx, lines) = sync_channel(1024);
        std::thread::Builder::new()
            .name("cli-stdout".into())
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            })
            .expect("a thread for stdout");
        let mut stderr = child.stderr.take().expect("stderr piped");
        let stderr = std::thread::Builder::new()
            .name("cli-stderr".into())
            .spawn(move || {
                let mut text = String::new();
                let _ = stderr.read_to_string(&mut text);
                text
            })
            .expect("a thread for stderr");
        Running { child, lines, seen: Vec::new(), stderr: Some(stderr) }
    }

    /// Its stdin.
    pub fn stdin(&mut self) -> &mut ChildStdin {
        self.child.stdin.as_mut().expect("stdin piped")
    }

    /// Closes its stdin (end of input).
    pub fn close_stdin(&mut self) {
        self.child.stdin = None;
    }

    /// Waits for a line for which `want` holds (within [`PATIENCE`]) and returns it.
    pub fn line_where(&mut self, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if want(&line) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                    panic!("no such line within {PATIENCE:?}; printed so far:\n{}", self.seen.join("\n"))
                }
            }
        }
    }

    /// Waits for it to exit (killing it after [`PATIENCE`]); all it printed.
    pub fn finish(mut self) -> Finished {
        let code = match self.child.wait_timeout(PATIENCE).expect("wait") {
            Some(status) => status.code(),
            None => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("netassist did not exit within {PATIENCE:?}; printed:\n{}", self.seen.join("\n"));
            }
        };
        // The reader thread ends at end of output.
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(line);
        }
        let stderr = self.stderr.take().map(|t| t.join().unwrap_or_default()).unwrap_or_default();
        Finished { code, stdout: self.seen.join("\n"), stderr }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
