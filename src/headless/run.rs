//! `netassist run SCRIPT`: one run of a script, each step printed as it ends
//! (PASS/FAIL, its time, what it sent or received in the step's charset).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use super::args::RunArgs;
use super::junit::JunitFile;
use super::{EXIT_FAILED, EXIT_PASSED, EXIT_UNUSABLE, say};
use crate::engine::{EngineConfig, EngineHandle};
use crate::script::report::millis;
use crate::script::{Outcome, RunOptions, Runner, Script, run_to_end};

/// What the command line sets over the script.
pub fn run_options(args: &RunArgs) -> RunOptions {
    RunOptions {
        remote: args.remote.clone(),
        local_port: args.local_port,
        bind_ip: args.bind,
        vars: args.set.iter().cloned().collect(),
    }
}

/// Runs `script` once; the exit code.
pub fn run_once(script: &Script, args: &RunArgs) -> i32 {
    let junit = match args.junit.as_deref().map(JunitFile::create).transpose() {
        Ok(junit) => junit,
        Err(error) => {
            eprintln!("netassist: {error}");
            return EXIT_UNUSABLE;
        }
    };
    let (engine, mut events) = match EngineHandle::start(EngineConfig::default(), Arc::new(|| {})) {
        Ok(engine) => engine,
        Err(error) => {
            eprintln!("netassist: cannot start the network engine: {error}");
            return EXIT_FAILED;
        }
    };
    let mut runner = Runner::new(script, run_options(args));
    let mut reports = Vec::new();
    let started = Instant::now();
    let outcome = run_to_end(&mut runner, &engine, &mut events, |report| {
        say(report);
        reports.push(report.clone());
    });
    let total = started.elapsed();
    let passed = reports.iter().filter(|r| r.result.is_ok()).count();
    match (outcome, reports.iter().find(|r| r.result.is_err())) {
        (Outcome::Failed, Some(failed)) => {
            say(format_args!("FAILED at line {} ({passed} steps passed before it) in {}", failed.line, millis(total)));
        }
        _ => say(format_args!("PASSED: {passed} steps in {}", millis(total))),
    }
    if let Some(junit) = junit
        && let Err(error) = junit.write(&suite_name(&args.script), &reports, total)
    {
        eprintln!("netassist: {error}");
        return EXIT_UNUSABLE;
    }
    match outcome {
        Outcome::Passed => EXIT_PASSED,
        Outcome::Failed => EXIT_FAILED,
    }
}

/// The script's file name, naming the test suite.
pub fn suite_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned())
}
