//! netassist's entry point: parse the command line, open the window.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use clap::Parser;
use eframe::egui;
use netassist::app::NetAssistApp;
use netassist::cli::Args;

static ICON: &[u8] = include_bytes!("../assets/icon.png");

fn main() -> eframe::Result {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .init();
    let start = args.start_options();

    let mut viewport = egui::ViewportBuilder::default()
        .with_title("netassist")
        .with_app_id("netassist")
        .with_inner_size([1100.0, 720.0])
        .with_min_inner_size([720.0, 480.0]);
    match eframe::icon_data::from_png_bytes(ICON) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(error) => tracing::warn!("app icon not loaded: {error}"),
    }
    let options = eframe::NativeOptions { viewport, renderer: eframe::Renderer::Glow, ..Default::default() };
    eframe::run_native("netassist", options, Box::new(move |cc| Ok(Box::new(NetAssistApp::new(cc, start)?))))
}
