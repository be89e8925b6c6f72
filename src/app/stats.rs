//! The statistics window of the tab in view (View ▸ Statistics): drawn from
//! the tab's session, its text copied to the clipboard, its plots saved as a
//! PNG in the data directory (`plots/`) from a screenshot of the window.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, sync_channel};
use std::time::SystemTime;

use eframe::egui;

use super::NetAssistApp;
use crate::files::session_file_name;
use crate::model::Message;
use crate::model::stats::epoch_second;
use crate::ui::{self, StatsIntent};

/// A plot image on its way to a file: the screenshot's callback saves it
/// and sends the outcome here.
pub(super) type PlotSave = Receiver<Result<PathBuf, Message>>;

impl NetAssistApp {
    /// Opens the statistics window.
    pub fn open_stats(&mut self) {
        self.stats.open = true;
    }

    /// Draws the statistics window of the tab in view, and does what it asks.
    pub(super) fn stats_ui(&mut self, ctx: &egui::Context) {
        if !self.stats.open {
            return;
        }
        let tab = &mut self.tabs[self.active];
        let title = tab.title();
        let now = epoch_second(SystemTime::now());
        let intent = ui::stats_window(ctx, &mut self.stats, &mut tab.session.stats, &tab.session.clients, now, &title);
        // The plots move with the clock: once a second is enough.
        ctx.request_repaint_after(std::time::Duration::from_secs(1));
        match intent {
            Some(StatsIntent::Copy(text)) => ctx.copy_text(text),
            Some(StatsIntent::SavePng(rect)) => self.save_plots(ctx, rect),
            None => {}
        }
    }

    /// Asks for a screenshot and saves the part of it that holds the plots.
    fn save_plots(&mut self, ctx: &egui::Context, rect: egui::Rect) {
        let Some(dir) = self.data_dir.as_ref().map(|d| d.join("plots")) else {
            let problem = Message::NoDataDir(self.data_dir_problem.clone());
            self.tabs[self.active].files.message = Some((problem, true));
            return;
        };
        let name = session_file_name(SystemTime::now(), "statistics", "png");
        let path = dir.join(name);
        let pixels_per_point = ctx.pixels_per_point();
        let (done, saved) = sync_channel(1);
        let repaint = ctx.clone();
        let callback = egui::ScreenshotCallback::new(move |image: Arc<egui::ColorImage>| {
            let plots = image.region(&rect, Some(pixels_per_point));
            let _ = done.send(write_png(&dir, &path, &plots));
            repaint.request_repaint();
        });
        ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(callback));
        self.plot_save = Some(saved);
    }

    /// Picks up a finished plot save and says where it went (or why not).
    pub(super) fn poll_plot_save(&mut self) {
        let Some(saved) = &self.plot_save else { return };
        if let Ok(result) = saved.try_recv() {
            self.plot_save = None;
            let message = match result {
                Ok(path) => (Message::PlotSaved(path), false),
                Err(problem) => (problem, true),
            };
            self.tabs[self.active].files.message = Some(message);
        }
    }
}

/// Writes `image` as a PNG at `path` (making `dir` first).
fn write_png(dir: &std::path::Path, path: &std::path::Path, image: &egui::ColorImage) -> Result<PathBuf, Message> {
    let failed = |error: std::io::Error| Message::CannotSave { path: path.to_path_buf(), error: error.into() };
    std::fs::create_dir_all(dir).map_err(failed)?;
    let [width, height] = image.size;
    let pixels: Vec<u8> = image.pixels.iter().flat_map(egui::Color32::to_array).collect();
    let buffer =
        image::RgbaImage::from_raw(u32::try_from(width).unwrap_or(0), u32::try_from(height).unwrap_or(0), pixels)
            .ok_or_else(|| failed(std::io::Error::new(std::io::ErrorKind::InvalidData, "empty image")))?;
    buffer.save(path).map_err(|e| match e {
        image::ImageError::IoError(error) => failed(error),
        other => failed(std::io::Error::other(other.to_string())),
    })?;
    Ok(path.to_path_buf())
}
