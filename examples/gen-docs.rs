//! Writes the man page and the shell completions of `netassist`, generated
//! from its clap definition so they never drift from `--help`:
//!
//! ```sh
//! cargo run --example gen-docs -- target/gen
//! ```
//!
//! gives `target/gen/netassist.1` and `target/gen/completions/`
//! (`netassist.bash`, `_netassist` for zsh, `netassist.fish`), which the .deb
//! ships (see `[package.metadata.deb]` in Cargo.toml and scripts/package.sh).

use clap::CommandFactory;
use clap_complete::Shell;
use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let Some(out) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: cargo run --example gen-docs -- OUT_DIR");
        std::process::exit(2);
    };
    let completions = out.join("completions");
    std::fs::create_dir_all(&completions)?;

    let mut cmd = netassist::cli::Args::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut page)?;
    std::fs::write(out.join("netassist.1"), page)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let path = clap_complete::generate_to(shell, &mut cmd, "netassist", &completions)?;
        println!("wrote {}", path.display());
    }
    println!("wrote {}", out.join("netassist.1").display());
    Ok(())
}
