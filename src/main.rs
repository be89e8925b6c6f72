//! netassist's entry point: parse the command line, open the window (or run a
//! command that needs none, see `netassist::headless`).
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use clap::Parser;
use eframe::egui;
use netassist::app::{NetAssistApp, ProfileBook};
use netassist::cli::Args;
use netassist::profile::ProfileStore;

fn main() -> eframe::Result {
    let started_at = std::time::Instant::now();
    let mut args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .init();
    if args.install_desktop_entry {
        install_desktop_entry();
        return Ok(());
    }
    // Each TCP client of the server is a file descriptor: the usual soft limit of 1024 would cap it there.
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::info!("open files limit: {limit}"),
        Err(error) => tracing::warn!("cannot raise the open files limit: {error}"),
    }
    if let Some(command) = args.command.take() {
        std::process::exit(netassist::headless::main(command));
    }
    let mut start = args.start_options();
    start.started_at = Some(started_at);
    start.system_lang = netassist::i18n::system_lang();
    match ProfileBook::platform_dir() {
        Ok(dir) => start.config_dir = Some(dir),
        Err(why) => start.config_dir_problem = Some(why),
    }
    match netassist::files::data_dir() {
        Ok(dir) => start.data_dir = Some(dir),
        Err(why) => start.data_dir_problem = Some(why),
    }
    let layout = start.config_dir.as_deref().and_then(ProfileStore::peek_layout).unwrap_or_default();

    let mut viewport = egui::ViewportBuilder::default()
        .with_title("netassist")
        .with_app_id("netassist")
        .with_inner_size([layout.width, layout.height])
        .with_min_inner_size([720.0, 480.0]);
    match eframe::icon_data::from_png_bytes(netassist::desktop::ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(error) => tracing::warn!("app icon not loaded: {error}"),
    }
    // The system-font fallback is the window's own (ui::fonts::use_system_fonts).
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        system_font_fallback: false,
        ..Default::default()
    };
    netassist::ui::fonts::limit_glyph_rasterizing();
    // A window destroyed from outside (e.g. `xdotool windowclose` on X11)
    // makes winit panic on its next look at the window. That is a way out
    // like any other: the app's Drop saves profiles and layout while the
    // panic unwinds, and the process ends normally instead of with a trace.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_window_gone(&panic_text(info.payload())) {
            tracing::info!("the window was destroyed from outside; closing");
        } else {
            default_hook(info);
        }
    }));
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        eframe::run_native(
            "netassist",
            options,
            Box::new(move |cc| {
                netassist::ui::fonts::use_system_fonts(&cc.egui_ctx);
                Ok(Box::new(NetAssistApp::new(cc, start)?))
            }),
        )
    }));
    match run {
        Ok(result) => result,
        Err(payload) if is_window_gone(&panic_text(payload.as_ref())) => Ok(()),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// A panic's message, if it has one.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// winit's panic when the X11 window it asks about no longer exists
/// (BadWindow, or BadDrawable when the first question is its size).
fn is_window_gone(message: &str) -> bool {
    ["X11Error { error_kind: Window", "X11Error { error_kind: Drawable"].iter().any(|kind| message.contains(kind))
}

/// `--install-desktop-entry`: menu entry and icon for this binary, then exit.
fn install_desktop_entry() {
    let result = std::env::current_exe()
        .map_err(|e| format!("cannot find this program's path: {e}"))
        .and_then(|exe| Ok((exe, netassist::desktop::data_home()?)))
        .and_then(|(exe, home)| netassist::desktop::install(&exe, &home));
    match result {
        Ok(written) => {
            for path in written {
                println!("installed {}", path.display());
            }
            println!("netassist is now in your desktop's application menu (log out and in if it does not show yet).");
        }
        Err(error) => {
            eprintln!("netassist: {error}");
            std::process::exit(1);
        }
    }
}
