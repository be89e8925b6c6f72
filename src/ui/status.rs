//! The status bar: link state, traffic counters, what the view dropped, last error.

use eframe::egui::{self, Color32, RichText};

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

/// Draws the status bar.
pub fn status_ui(ui: &mut egui::Ui, session: &Session, problem: Option<&Message>) {
    ui.horizontal(|ui| {
        let text = match &session.state {
            LinkState::Idle => "Disconnected".to_owned(),
            LinkState::Connecting { target, .. } => format!("Connecting to {target}…"),
            LinkState::Connected { local, peer, .. } => format!("Connected {local} → {peer}"),
            LinkState::Starting { what, .. } => format!("Opening {what}…"),
            LinkState::Listening { local, .. } => {
                format!("Listening on {} · {} clients", describe_local(*local), session.clients.len())
            }
            LinkState::UdpOpen { local, .. } => format!("UDP bound to {}", describe_local(*local)),
        };
        ui.label(RichText::new("●").color(state_color(&session.state)));
        ui.label(text);
        ui.separator();
        let c = session.counters;
        ui.label(format!("RX {} B / {} pkt", c.rx_bytes, c.rx_packets));
        ui.separator();
        ui.label(format!("TX {} B / {} pkt", c.tx_bytes, c.tx_packets));
        let stats = session.view.stats();
        if stats.dropped_records > 0 {
            ui.separator();
            ui.label(format!("{} records dropped from view", stats.dropped_records))
                .on_hover_text("The view keeps a bounded history; the oldest records leave it first.");
        }
        if let Some(error) = problem.or(session.last_error.as_ref()) {
            ui.separator();
            ui.label(RichText::new(error.to_string()).color(ui.visuals().error_fg_color));
        }
    });
}
