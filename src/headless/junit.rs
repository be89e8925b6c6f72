//! `--junit FILE`: the steps of a run as a JUnit XML report (one test case
//! per step run, a `<failure>` for the one that failed), the format CI
//! systems read. Written by hand: the format is a dozen lines, and the only
//! subtle part, escaping text that XML 1.0 can hold, is here and tested.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::script::StepReport;

/// A report file, created before the run (so a bad path is reported before anything is sent).
pub struct JunitFile {
    path: PathBuf,
    file: File,
}

/// The report file could not be created or written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the JUnit report {}: {error}", .path.display())]
pub struct JunitError {
    /// The file.
    pub path: PathBuf,
    /// The OS error.
    pub error: io::Error,
}

impl JunitFile {
    /// Creates (or truncates) `path`.
    pub fn create(path: &Path) -> Result<Self, JunitError> {
        match File::create(path) {
            Ok(file) => Ok(JunitFile { path: path.to_owned(), file }),
            Err(error) => Err(JunitError { path: path.to_owned(), error }),
        }
    }

    /// Writes the report of suite `name` (the script's file name), which took `total`.
    pub fn write(self, name: &str, reports: &[StepReport], total: Duration) -> Result<(), JunitError> {
        let JunitFile { path, file } = self;
        let mut out = BufWriter::new(file);
        let written = write_report(&mut out, name, reports, total).and_then(|()| out.flush());
        written.map_err(|error| JunitError { path, error })
    }
}

fn write_report(out: &mut impl Write, name: &str, reports: &[StepReport], total: Duration) -> io::Result<()> {
    let failures = reports.iter().filter(|r| r.result.is_err()).count();
    let (tests, time, name) = (reports.len(), total.as_secs_f64(), escape(name));
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="netassist" tests="{tests}" failures="{failures}" time="{time:.6}">"#)?;
    writeln!(out, r#"  <testsuite name="{name}" tests="{tests}" failures="{failures}" errors="0" time="{time:.6}">"#)?;
    for report in reports {
        let mut case = format!("line {}", report.line);
        if !report.turns.is_empty() {
            let turns: Vec<String> = report.turns.iter().map(u64::to_string).collect();
            case.push_str(&format!(" [{}]", turns.join(".")));
        }
        case.push_str(&format!(": {}", report.summary));
        let time = report.elapsed.as_secs_f64();
        write!(out, r#"    <testcase name="{}" classname="{name}" time="{time:.6}">"#, escape(&case))?;
        match &report.result {
            Ok(detail) => write!(out, "<system-out>{}</system-out>", escape(&detail.to_string()))?,
            Err(failure) => {
                let message = escape(&failure.to_string());
                write!(out, r#"<failure message="{message}" type="{}">{message}</failure>"#, escape(failure.kind()))?;
            }
        }
        writeln!(out, "</testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// `text` made safe for XML 1.0 text and attribute values: markup characters
/// as entities, characters XML cannot hold at all (most C0 controls, lone
/// U+FFFE/U+FFFF) as `\u{…}`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push_str(&format!("\\u{{{:X}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{Detail, StepFailure, StepKind};
    use std::time::Instant;

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(escape(r#"a<b>&"c"'d'"#), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
        assert_eq!(escape("x\u{0}y\u{1b}z\u{FFFF}"), "x\\u{0}y\\u{1B}z\\u{FFFF}");
        assert_eq!(escape("你好\t\n"), "你好\t\n");
    }

    #[test]
    fn a_report_lists_every_step_and_its_failure() {
        let report = |line, result| StepReport {
            line,
            summary: "expect \"<OK>\"".to_owned(),
            turns: vec![2],
            started: Instant::now(),
            elapsed: Duration::from_micros(1500),
            result,
            kind: StepKind::Expect,
        };
        let reports = [report(3, Ok(Detail::Waited)), report(4, Err(StepFailure::NoConnection))];
        let mut out = Vec::new();
        write_report(&mut out, "a&b.nas", &reports, Duration::from_millis(2)).expect("written");
        let xml = String::from_utf8(out).expect("utf-8");
        assert!(
            xml.contains(r#"<testsuite name="a&amp;b.nas" tests="2" failures="1" errors="0" time="0.002000">"#),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<testcase name="line 3 [2]: expect &quot;&lt;OK&gt;&quot;" classname="a&amp;b.nas" time="0.001500">"#
            ),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<failure message="no connection: connect, listen and accept, or bind first" type="script error">"#
            ),
            "{xml}"
        );
        assert_eq!(xml.matches("<testcase ").count(), 2);
        assert!(xml.trim_end().ends_with("</testsuites>"));
    }
}
