//! The performance overlay (F12) and the `--stats-file` benchmarks read:
//! frame times, counters, memory. `frame_max_ever_us` leaves out the first
//! frames (fonts, first layout); `first_frame_us` is what they took.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use eframe::egui;

use super::NetAssistApp;
use super::frame_stats::resident_bytes;

/// How often the stats file is rewritten (often enough for a bench driver
/// to time a flood's end to a tenth of a second).
const STATS_EVERY: Duration = Duration::from_millis(100);
/// Frames at start-up (fonts, first layout) left out of the longest-frame figure.
const STARTUP_FRAMES: u64 = 3;

/// Where the stats go, and what start-up took.
#[derive(Debug)]
pub(super) struct PerfOutput {
    file: Option<PathBuf>,
    last_write: Option<Instant>,
    started_at: Option<Instant>,
    /// Process start to the end of the first frame's work.
    first_frame: Option<Duration>,
}

impl PerfOutput {
    pub(super) fn new(file: Option<PathBuf>, started_at: Option<Instant>) -> Self {
        Self { file, last_write: None, started_at, first_frame: None }
    }
}

impl NetAssistApp {
    /// After each frame: note the first frame's time; rewrite the stats file once a second.
    pub(super) fn after_frame(&mut self, ctx: &egui::Context) {
        let now = Instant::now();
        if self.perf.first_frame.is_none() {
            self.perf.first_frame = self.perf.started_at.map(|t| now.saturating_duration_since(t));
            if let Some(took) = self.perf.first_frame {
                tracing::info!("start-up: first frame's work done after {:.1} ms", took.as_secs_f64() * 1e3);
            }
        }
        if self.frame_stats.frames == STARTUP_FRAMES {
            self.frame_stats.reset_max();
        }
        let Some(file) = self.perf.file.clone() else { return };
        if self.perf.last_write.is_none_or(|t| now.saturating_duration_since(t) >= STATS_EVERY) {
            self.perf.last_write = Some(now);
            let tmp = file.with_extension("tmp");
            let line = self.stats_line() + &font_atlas_stats(ctx) + "\n";
            let result = std::fs::write(&tmp, line).and_then(|()| std::fs::rename(&tmp, &file));
            if let Err(error) = result {
                tracing::warn!("cannot write stats to {}: {error}", file.display());
            }
        }
        // Keep the file current while idle too (benchmarks only: ten frames a second).
        ctx.request_repaint_after(STATS_EVERY);
    }

    /// One line of `key=value` pairs: frame times (µs), counters, view and memory.
    pub fn stats_line(&self) -> String {
        let f = self.frame_stats.summary();
        let session = &self.tab().session;
        let c = session.counters;
        let v = session.view.stats();
        let us = |d: Duration| d.as_micros();
        format!(
            "frames={} frame_mean_us={} frame_p99_us={} frame_max_us={} frame_max_ever_us={} frame_max_drain_us={} events_last_frame={} \
             rx_bytes={} rx_packets={} tx_bytes={} tx_packets={} view_records={} view_bytes={} view_dropped={} \
             view_elided_bytes={} clients={} rss_bytes={} first_frame_us={}",
            self.frame_stats.frames,
            us(f.mean),
            us(f.p99),
            us(f.max),
            us(self.frame_stats.max),
            us(self.frame_stats.max_drain),
            self.frame_stats.last_events,
            c.rx_bytes,
            c.rx_packets,
            c.tx_bytes,
            c.tx_packets,
            v.records,
            v.bytes,
            v.dropped_records,
            session.view.elided_bytes(),
            session.clients.len(),
            resident_bytes().unwrap_or(0),
            self.perf.first_frame.map_or(0, |d| d.as_micros()),
        ) + &self.tab_stats()
    }

    /// Per tab: ` tabN_rx_bytes=… tabN_elided_bytes=… tabN_lag_max_us=…` (the first 8 tabs).
    fn tab_stats(&self) -> String {
        use std::fmt::Write as _;
        let mut line = String::new();
        for (i, tab) in self.tabs().iter().enumerate().take(8) {
            let _ = write!(
                line,
                " tab{i}_rx_bytes={} tab{i}_elided_bytes={} tab{i}_lag_max_us={}",
                tab.session.counters.rx_bytes,
                tab.session.view.elided_bytes(),
                tab.rx_lag_max.as_micros()
            );
        }
        line
    }
}

/// ` font_atlas_width=… font_atlas_height=… font_atlas_used_rows=…
/// font_atlas_bytes_per_pixel=…`: the glyph atlas's size (held once by egui
/// and once by the renderer), how much of its height holds glyphs, and its
/// bytes a pixel (1 for text, 4 once a colour glyph came).
fn font_atlas_stats(ctx: &egui::Context) -> String {
    let ([width, height], fill, bytes) =
        ctx.fonts(|f| (f.font_image_size(), f.font_atlas_fill_ratio(), f.font_atlas_bytes_per_pixel()));
    // The fill ratio is of the atlas's largest height, its width.
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let used = (fill * width.max(height) as f32) as usize;
    format!(
        " font_atlas_width={width} font_atlas_height={height} font_atlas_used_rows={used} \
         font_atlas_bytes_per_pixel={bytes}"
    )
}
