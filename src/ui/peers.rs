//! The TCP server's client list and the UDP multicast controls, shown under
//! the connection settings in the left column.

use chrono::{DateTime, Local};
use eframe::egui::{self, RichText};

use super::ConnectionIntent;
use super::connection::text_field;
use crate::i18n::{arg, t, tr};
use crate::ids::ConnId;
use crate::model::{LinkState, Session, Settings};

/// The clients of the TCP server: tick to choose send targets (or All),
/// kick one, show only one's records in the view (`filtered`: the one shown).
pub fn clients_ui(
    ui: &mut egui::Ui,
    session: &mut Session,
    send_to_all: &mut bool,
    filtered: Option<ConnId>,
) -> Option<ConnectionIntent> {
    let mut intent = None;
    ui.horizontal(|ui| {
        ui.label(RichText::new(tr("peers-clients", &[arg("count", session.clients.len())])).strong());
        ui.checkbox(send_to_all, t("peers-all")).on_hover_text(t("peers-all-tip"));
    });
    if session.clients.is_empty() {
        let hint = if matches!(session.state, LinkState::Listening { .. }) {
            t("peers-none-yet")
        } else {
            t("peers-press-listen")
        };
        ui.label(RichText::new(hint).weak());
        return None;
    }
    // One row per client, and only the visible rows are laid out: a server
    // with 10,000 clients costs a frame what one with 10 does.
    let row_height = ui.spacing().interact_size.y;
    let count = session.clients.len();
    egui::ScrollArea::vertical().id_salt("clients").max_height(220.0).show_rows(ui, row_height, count, |ui, rows| {
        for (conn, client) in session.clients.iter_mut().skip(rows.start).take(rows.len()) {
            ui.horizontal(|ui| {
                let since: DateTime<Local> = client.since.into();
                let details = tr(
                    "peers-details",
                    &[
                        arg("peer", client.peer.to_string()),
                        arg("since", since.format("%H:%M:%S").to_string()),
                        arg("rx", client.rx_bytes),
                        arg("tx", client.tx_bytes),
                    ],
                );
                ui.add_enabled(!*send_to_all, egui::Checkbox::new(&mut client.selected, client.peer.to_string()))
                    .on_hover_text(&details);
                let only = filtered == Some(*conn);
                if ui
                    .selectable_label(only, t("peers-only"))
                    .on_hover_text(tr(
                        if only { "peers-only-off-tip" } else { "peers-only-tip" },
                        &[arg("peer", client.peer.to_string())],
                    ))
                    .clicked()
                {
                    intent = Some(ConnectionIntent::FilterClient(*conn, client.peer));
                }
                if ui
                    .small_button(t("peers-kick"))
                    .on_hover_text(tr("peers-kick-tip", &[arg("peer", client.peer.to_string())]))
                    .clicked()
                {
                    intent = Some(ConnectionIntent::Kick(*conn));
                }
                ui.label(
                    RichText::new(tr("peers-rx-tx", &[arg("rx", client.rx_bytes), arg("tx", client.tx_bytes)]))
                        .small()
                        .weak(),
                )
                .on_hover_text(details);
            });
        }
    });
    intent
}

/// Multicast: the group and interface to join, TTL and loopback, joined groups.
pub fn multicast_ui(ui: &mut egui::Ui, settings: &mut Settings, session: &Session) -> Option<ConnectionIntent> {
    let mut intent = None;
    ui.label(RichText::new(t("mcast-title")).strong());
    egui::Grid::new("multicast_grid").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
        text_field(ui, &t("mcast-group"), &mut settings.multicast_group, &t("mcast-group-hint"));
        text_field(ui, &t("mcast-interface"), &mut settings.multicast_interface, &t("conn-any-port"));
        let idle = session.state == LinkState::Idle;
        let label = ui.label(t("mcast-ttl"));
        ui.add_enabled(idle, egui::DragValue::new(&mut settings.multicast_ttl).range(0..=255)).labelled_by(label.id);
        ui.end_row();
        ui.label("");
        ui.add_enabled(idle, egui::Checkbox::new(&mut settings.multicast_loop, t("mcast-loop")));
        ui.end_row();
    });
    let open = matches!(session.state, LinkState::UdpOpen { .. });
    if ui.add_enabled(open, egui::Button::new(t("mcast-join"))).clicked() {
        intent = Some(ConnectionIntent::JoinGroup);
    }
    for group in &session.groups {
        ui.horizontal(|ui| {
            ui.label(group.to_string());
            if ui.small_button(t("mcast-leave")).clicked() {
                intent = Some(ConnectionIntent::LeaveGroup(*group));
            }
        });
    }
    intent
}
