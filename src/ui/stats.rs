//! The statistics window (View ▸ Statistics): live bytes/s and packets/s of
//! the tab (or of one server client), the number of clients over time, and
//! the round trips of request/reply pairs with their percentiles and a
//! histogram. Plots are drawn from fixed-size rings (see `model::stats`).

use std::collections::BTreeMap;

use eframe::egui::{self, RichText};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints};

use crate::i18n::{arg, t, tr};
use crate::ids::ConnId;
use crate::model::ClientInfo;
use crate::model::stats::{RoundTripSummary, Second, Stats};

/// How far back the plots reach, in seconds.
pub const SPANS: [usize; 3] = [60, 300, 600];

/// The window's choices, kept by the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatsChoice {
    /// Shown.
    pub open: bool,
    /// One server client's traffic instead of the tab's.
    pub client: Option<ConnId>,
    /// Seconds plotted (one of [`SPANS`]).
    pub span: usize,
}

impl Default for StatsChoice {
    fn default() -> Self {
        Self { open: false, client: None, span: SPANS[1] }
    }
}

/// What the window asked for.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub enum StatsIntent {
    /// Put this text on the clipboard.
    Copy(String),
    /// Save the plots, drawn in this part of the window, as a PNG.
    SavePng(egui::Rect),
}

/// The statistics as text (for the clipboard), in the window's language.
pub fn stats_text(title: &str, totals: Second, rt: &RoundTripSummary, clients: usize) -> String {
    let mut lines = vec![
        tr("stats-text-title", &[arg("title", title)]),
        tr("stats-text-rx", &[arg("bytes", totals.rx_bytes), arg("packets", totals.rx_packets)]),
        tr("stats-text-tx", &[arg("bytes", totals.tx_bytes), arg("packets", totals.tx_packets)]),
        tr("stats-text-clients", &[arg("count", clients)]),
    ];
    lines.push(round_trip_line(rt));
    lines.join("\n")
}

fn round_trip_line(rt: &RoundTripSummary) -> String {
    if rt.count == 0 {
        return t("stats-rtt-none");
    }
    let ms = |v: f64| format!("{v:.3}");
    tr(
        "stats-rtt",
        &[
            arg("count", rt.count),
            arg("min", ms(rt.min_ms)),
            arg("median", ms(rt.median_ms)),
            arg("p95", ms(rt.p95_ms)),
            arg("p99", ms(rt.p99_ms)),
            arg("max", ms(rt.max_ms)),
        ],
    )
}

/// Draws the window while `choice.open`; `now` is the wall-clock second the
/// plots end at; `title` names the tab.
pub fn stats_window(
    ctx: &egui::Context,
    choice: &mut StatsChoice,
    stats: &mut Stats,
    clients: &BTreeMap<ConnId, ClientInfo>,
    now: u64,
    title: &str,
) -> Option<StatsIntent> {
    let mut intent = None;
    let mut open = choice.open;
    egui::Window::new(t("stats-window")).open(&mut open).default_width(620.0).show(ctx, |ui| {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t("stats-of"));
            let shown = choice
                .client
                .and_then(|c| clients.get(&c))
                .map_or_else(|| t("stats-whole-tab"), |c| c.peer.to_string());
            egui::ComboBox::from_id_salt("stats_client")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut choice.client, None, t("stats-whole-tab"));
                    for (conn, client) in clients.iter().take(200) {
                        ui.selectable_value(&mut choice.client, Some(*conn), client.peer.to_string());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            for span in SPANS {
                ui.radio_value(&mut choice.span, span, tr("stats-span", &[arg("minutes", span / 60)]));
            }
        });
        if choice.client.is_some_and(|c| !clients.contains_key(&c)) {
            choice.client = None; // the client left
        }
        let series = match choice.client.and_then(|c| stats.clients.get_mut(&c)) {
            Some(series) => series.last(now, choice.span),
            None => stats.tab.last(now, choice.span),
        };
        let totals = series.iter().fold(Second::default(), |mut sum, (_, s)| {
            sum.rx_bytes += s.rx_bytes;
            sum.tx_bytes += s.tx_bytes;
            sum.rx_packets += s.rx_packets;
            sum.tx_packets += s.tx_packets;
            sum
        });
        let top = ui.cursor().min;
        plot(ui, "stats_bytes", &t("stats-bytes-per-second"), &series, |s| (s.rx_bytes, s.tx_bytes));
        plot(ui, "stats_packets", &t("stats-packets-per-second"), &series, |s| (s.rx_packets, s.tx_packets));
        if !clients.is_empty() || series.iter().any(|(_, s)| s.clients > 0) {
            let points: Vec<[f64; 2]> = series.iter().map(|(x, s)| [*x as f64, s.clients as f64]).collect();
            ui.label(RichText::new(t("stats-clients-over-time")).small());
            Plot::new("stats_clients").height(90.0).allow_scroll(false).allow_zoom(false).include_y(0.0).show(
                ui,
                |p| {
                    p.line(Line::new(t("stats-clients"), PlotPoints::from(points)));
                },
            );
        }
        ui.separator();
        let rt = stats.round_trips.summary();
        ui.label(RichText::new(round_trip_line(&rt)).monospace());
        let bars: Vec<Bar> = stats
            .round_trips
            .bars(20)
            .into_iter()
            .map(|(from, to, count)| Bar::new(f64::midpoint(from, to), count as f64).width((to - from) * 0.9))
            .collect();
        if !bars.is_empty() {
            ui.label(RichText::new(t("stats-rtt-histogram")).small());
            Plot::new("stats_rtt").height(110.0).allow_scroll(false).allow_zoom(false).show(ui, |p| {
                p.bar_chart(BarChart::new(t("stats-rtt-pairs"), bars));
            });
        }
        let plots = egui::Rect::from_min_max(top, ui.cursor().min + egui::vec2(ui.available_width(), 0.0));
        ui.horizontal(|ui| {
            if ui.button(t("stats-copy")).clicked() {
                intent = Some(StatsIntent::Copy(stats_text(title, totals, &rt, clients.len())));
            }
            if ui.button(t("stats-save-png")).clicked() {
                intent = Some(StatsIntent::SavePng(plots));
            }
        });
    });
    choice.open = open;
    intent
}

/// One plot of RX and TX per second.
fn plot(ui: &mut egui::Ui, id: &str, what: &str, series: &[(i64, Second)], pick: impl Fn(&Second) -> (u64, u64)) {
    let (rx, tx): (Vec<[f64; 2]>, Vec<[f64; 2]>) = series
        .iter()
        .map(|(x, s)| {
            let (rx, tx) = pick(s);
            ([*x as f64, rx as f64], [*x as f64, tx as f64])
        })
        .unzip();
    ui.label(RichText::new(what).small());
    Plot::new(id).height(110.0).legend(Legend::default()).allow_scroll(false).allow_zoom(false).include_y(0.0).show(
        ui,
        |p| {
            p.line(Line::new("RX", PlotPoints::from(rx)));
            p.line(Line::new("TX", PlotPoints::from(tx)));
        },
    );
}
