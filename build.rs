//! Build script: the version `netassist --version` prints, and the Windows
//! resources (icon, version information) of the .exe.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rustc-env=NETASSIST_GIT_DESCRIBE={}", git_describe());
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows") {
        windows_resources();
    }
}

/// `git describe --tags --always` of the checkout, or `NETASSIST_GIT_DESCRIBE`
/// when set (a build from a source tarball), or "unknown" without git.
/// Reruns only when HEAD or a ref moves, never on an edit, so a working build
/// is not rebuilt for nothing; hence no `--dirty`.
fn git_describe() -> String {
    println!("cargo:rerun-if-env-changed=NETASSIST_GIT_DESCRIBE");
    if let Ok(given) = std::env::var("NETASSIST_GIT_DESCRIBE")
        && !given.is_empty()
    {
        return given;
    }
    // HEAD moves on a checkout; refs/ (of the main checkout, shared by
    // worktrees) on a commit or a new tag.
    let watched = [
        git(&["rev-parse", "--git-path", "HEAD"]),
        git(&["rev-parse", "--git-common-dir"]).map(|dir| format!("{dir}/refs")),
    ];
    for path in watched.into_iter().flatten() {
        if Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    git(&["describe", "--tags", "--always"]).unwrap_or_else(|| "unknown".to_owned())
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

/// Icon and version information, compiled by the resource compiler of the
/// target's toolchain (mingw's `x86_64-w64-mingw32-windres` when cross-building).
fn windows_resources() {
    println!("cargo:rerun-if-changed=assets/icons/netassist.ico");
    let mut res = winresource::WindowsResource::new();
    res.set_icon("assets/icons/netassist.ico")
        .set("FileDescription", "netassist — network debugging assistant (网络调试助手)")
        .set("ProductName", "netassist")
        .set("CompanyName", "netassist")
        .set("LegalCopyright", "MIT OR Apache-2.0")
        .set("OriginalFilename", "netassist.exe");
    if let Err(error) = res.compile_for("netassist") {
        panic!("cannot compile the Windows resources (is mingw-w64's windres installed?): {error}");
    }
}
