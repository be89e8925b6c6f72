//! Desktop integration on Linux and other XDG desktops: a menu entry and an
//! icon for the running binary, installed per user (no root needed).

use std::fs;
use std::path::{Path, PathBuf};

/// The menu entry shipped in assets/, with `Exec=netassist` (rewritten on install).
pub const DESKTOP_ENTRY: &str = include_str!("../assets/netassist.desktop");
/// The 256×256 icon shipped in assets/.
pub const ICON_PNG: &[u8] = include_bytes!("../assets/icon.png");

/// Where per-user desktop files go: `$XDG_DATA_HOME`, else `~/.local/share`.
pub fn data_home() -> Result<PathBuf, String> {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()).map(PathBuf::from)
        && dir.is_absolute()
    {
        return Ok(dir);
    }
    directories::BaseDirs::new()
        .map(|dirs| dirs.home_dir().join(".local/share"))
        .ok_or_else(|| "no home directory: set XDG_DATA_HOME or HOME".to_owned())
}

/// Writes `applications/netassist.desktop` (launching `exe`) and
/// `icons/hicolor/256x256/apps/netassist.png` under `data_home`, replacing
/// earlier ones. Returns the files written.
pub fn install(exe: &Path, data_home: &Path) -> Result<Vec<PathBuf>, String> {
    let entry_path = data_home.join("applications/netassist.desktop");
    let icon_path = data_home.join("icons/hicolor/256x256/apps/netassist.png");
    write(&entry_path, desktop_entry(exe).as_bytes())?;
    write(&icon_path, ICON_PNG)?;
    Ok(vec![entry_path, icon_path])
}

/// The menu entry with `Exec` pointing at `exe` (quoted as the Desktop Entry spec asks).
pub fn desktop_entry(exe: &Path) -> String {
    let quoted = quote_exec(&exe.to_string_lossy());
    DESKTOP_ENTRY
        .lines()
        .map(|line| if line.starts_with("Exec=") { format!("Exec={quoted}") } else { line.to_owned() })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Quotes an Exec argument: inside double quotes, `"`, `` ` ``, `$` and `\`
/// are escaped with a backslash, and `%` is doubled (it starts field codes).
fn quote_exec(arg: &str) -> String {
    let mut out = String::from("\"");
    for c in arg.chars() {
        match c {
            '"' | '`' | '$' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '%' => out.push_str("%%"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_an_entry_that_runs_this_binary() {
        let home = tempfile::tempdir().expect("temp dir");
        let exe = Path::new("/opt/net assist/bin/netassist");
        let written = install(exe, home.path()).expect("installed");
        assert_eq!(written.len(), 2);
        let entry = fs::read_to_string(&written[0]).expect("entry");
        assert!(entry.contains("\nExec=\"/opt/net assist/bin/netassist\"\n"), "{entry}");
        assert!(entry.contains("Icon=netassist") && entry.contains("GenericName[zh_CN]=网络调试助手"));
        assert_eq!(fs::read(&written[1]).expect("icon"), ICON_PNG);
    }

    #[test]
    fn exec_quoting_follows_the_spec() {
        assert_eq!(quote_exec(r#"/a "b" $c`d\e 100%"#), r#""/a \"b\" \$c\`d\\e 100%%""#);
    }
}
