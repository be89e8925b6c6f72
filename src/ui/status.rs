//! The status bar: link state, traffic counters, what the view dropped, last error.

use eframe::egui::{self, Color32, RichText};

use crate::i18n::{arg, t, tr};
use crate::model::{LinkState, Message, Session, describe_local};

/// The colour of a link's state: grey idle, amber opening, green open.
pub fn state_color(state: &LinkState) -> Color32 {
    match state {
        LinkState::Idle => Color32::GRAY,
        LinkState::Connecting { .. } | LinkState::Starting { .. } => Color32::from_rgb(220, 170, 40),
        LinkState::Connected { .. } | LinkState::Listening { .. } | LinkState::UdpOpen { .. } => {
            Color32::from_rgb(60, 190, 90)
        }
    }
}

/// Draws the status bar; returns true when Reset counters was pressed.
#[must_use]
pub fn status_ui(ui: &mut egui::Ui, session: &Session, problem: Option<&Message>) -> bool {
    let mut reset = false;
    ui.horizontal(|ui| {
        let text = match &session.state {
            LinkState::Idle => t("status-idle"),
            LinkState::Connecting { target, .. } => tr("status-connecting", &[arg("target", target.as_str())]),
            LinkState::Connected { local, peer, .. } => {
                tr("status-connected", &[arg("local", local.to_string()), arg("peer", peer.to_string())])
            }
            LinkState::Starting { protocol, bind, .. } => tr(
                if *protocol == crate::model::Protocol::Udp { "status-opening-udp" } else { "status-opening-server" },
                &[arg("local", bind.to_string())],
            ),
            LinkState::Listening { local, .. } => {
                tr("status-listening", &[arg("local", describe_local(*local)), arg("count", session.clients.len())])
            }
            LinkState::UdpOpen { local, .. } => tr("status-udp", &[arg("local", describe_local(*local))]),
        };
        ui.label(RichText::new("●").color(state_color(&session.state)));
        ui.label(text);
        ui.separator();
        let c = session.counters;
        ui.label(tr("status-rx", &[arg("bytes", c.rx_bytes), arg("packets", c.rx_packets)]));
        ui.separator();
        ui.label(tr("status-tx", &[arg("bytes", c.tx_bytes), arg("packets", c.tx_packets)]));
        reset = ui.small_button(t("button-reset-counters")).on_hover_text(t("status-reset-tip")).clicked();
        let stats = session.view.stats();
        if stats.dropped_records > 0 {
            ui.separator();
            ui.label(tr("status-dropped", &[arg("count", stats.dropped_records)]))
                .on_hover_text(t("status-dropped-tip"));
        }
        if let Some(error) = problem.or(session.last_error.as_ref()) {
            ui.separator();
            ui.label(RichText::new(error.to_string()).color(ui.visuals().error_fg_color));
        }
    });
    reset
}
