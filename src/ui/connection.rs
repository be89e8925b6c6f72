//! The left column: protocol, addresses, charset, Connect/Listen/Open.

use std::net::IpAddr;

use eframe::egui::{self, RichText};

use crate::codec::Charset;
use crate::i18n::{arg, t, tr};
use crate::ids::ConnId;
use crate::model::{LinkState, Message, Protocol, Settings};

/// Width of the left column's input fields. Fixed on purpose: widgets that
/// take "all available width" make a resizable panel grow frame by frame.
pub(super) const FIELD_WIDTH: f32 = 160.0;

/// What the user asked for in the left column this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum ConnectionIntent {
    /// Connect, listen or open, as the protocol says.
    Connect,
    /// Disconnect, stop or close; or cancel an open under way.
    Disconnect,
    /// The charset changed: re-render the view.
    CharsetChanged,
    /// Disconnect one client of the server.
    Kick(ConnId),
    /// Show only this client's records in the receive view (again: everyone's).
    FilterClient(ConnId, std::net::SocketAddr),
    /// Join the multicast group in the settings.
    JoinGroup,
    /// Leave a joined multicast group.
    LeaveGroup(IpAddr),
    /// Cancel the planned auto-reconnect.
    StopReconnecting,
}

/// Draws the connection settings; returns what the user asked for.
/// `bind_choices` are the addresses offered for the server and UDP modes.
pub fn connection_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    state: &LinkState,
    bind_choices: &[String],
    form_error: Option<&Message>,
    next_attempt: Option<(std::time::Duration, u32)>,
) -> Option<ConnectionIntent> {
    let mut intent = None;
    let idle = *state == LinkState::Idle;
    ui.add_enabled_ui(idle, |ui| {
        egui::Grid::new("connection_grid").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            let label = ui.label(t("conn-protocol"));
            egui::ComboBox::from_id_salt("protocol")
                .selected_text(settings.protocol.label())
                .width(FIELD_WIDTH)
                .show_ui(ui, |ui| {
                    for protocol in Protocol::ALL {
                        ui.selectable_value(&mut settings.protocol, protocol, protocol.label());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            match settings.protocol {
                Protocol::TcpClient => {
                    text_field(ui, &t("conn-remote-host"), &mut settings.remote_host, &t("conn-remote-host-hint"));
                    text_field(ui, &t("conn-remote-port"), &mut settings.remote_port, "1–65535");
                    text_field(ui, &t("conn-local-port"), &mut settings.local_port, &t("conn-any-port"));
                    let label = ui.label(t("conn-timeout"));
                    ui.add(
                        egui::DragValue::new(&mut settings.connect_timeout_secs)
                            .range(0.1..=120.0)
                            .speed(0.1)
                            .max_decimals(1),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    ui.label("");
                    ui.checkbox(&mut settings.auto_reconnect, t("conn-auto-reconnect"))
                        .on_hover_text(t("conn-auto-reconnect-tip"));
                    ui.end_row();
                    half_close_row(ui, &mut settings.half_close);
                    keepalive_row(ui, &mut settings.keepalive_secs);
                }
                Protocol::TcpServer => {
                    bind_field(ui, &mut settings.bind_host, bind_choices);
                    text_field(ui, &t("conn-local-port"), &mut settings.listen_port, &t("conn-free-port"));
                    let label = ui.label(t("conn-max-clients"));
                    ui.add(egui::DragValue::new(&mut settings.max_clients).range(1..=100_000)).labelled_by(label.id);
                    ui.end_row();
                    half_close_row(ui, &mut settings.half_close);
                    keepalive_row(ui, &mut settings.keepalive_secs);
                }
                Protocol::Udp => {
                    bind_field(ui, &mut settings.bind_host, bind_choices);
                    text_field(ui, &t("conn-local-port"), &mut settings.udp_port, &t("conn-free-port"));
                    ui.label("");
                    ui.checkbox(&mut settings.broadcast, t("conn-broadcast"));
                    ui.end_row();
                }
            }
        });
    });
    if settings.protocol == Protocol::Udp {
        egui::Grid::new("udp_target_grid").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            text_field(ui, &t("conn-remote-host"), &mut settings.remote_host, &t("conn-udp-remote-hint"));
            text_field(ui, &t("conn-remote-port"), &mut settings.remote_port, "1–65535");
            ui.label("");
            ui.checkbox(&mut settings.reply_to_last_sender, t("conn-reply-last"));
            ui.end_row();
        });
    }

    ui.separator();
    egui::Grid::new("charset_grid").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
        let label = ui.label(t("conn-charset"));
        let before = settings.charset;
        egui::ComboBox::from_id_salt("charset")
            .selected_text(settings.charset.label())
            .show_ui(ui, |ui| {
                for charset in Charset::ALL {
                    ui.selectable_value(&mut settings.charset, charset, charset.label());
                }
            })
            .response
            .labelled_by(label.id);
        if settings.charset != before {
            intent = Some(ConnectionIntent::CharsetChanged);
        }
        ui.end_row();
    });

    ui.separator();
    let (text, action) = open_button(settings.protocol, state);
    let button = egui::Button::new(RichText::new(text).strong()).min_size(egui::vec2(FIELD_WIDTH + 70.0, 30.0));
    if ui.add(button).clicked() {
        intent = Some(action);
    }
    if let Some((wait, n)) = next_attempt {
        ui.horizontal(|ui| {
            let secs = wait.as_secs_f32().ceil();
            ui.label(tr("conn-reconnecting-in", &[arg("secs", f64::from(secs)), arg("attempt", n)]));
            if ui.button(t("conn-stop-reconnecting")).clicked() {
                intent = Some(ConnectionIntent::StopReconnecting);
            }
        });
    }
    if let Some(error) = form_error {
        ui.label(RichText::new(error.to_string()).color(ui.visuals().error_fg_color));
    }
    intent
}

fn open_button(protocol: Protocol, state: &LinkState) -> (String, ConnectionIntent) {
    let (key, intent) = match state {
        LinkState::Idle => (
            match protocol {
                Protocol::TcpClient => "button-connect",
                Protocol::TcpServer => "button-listen",
                Protocol::Udp => "button-open",
            },
            ConnectionIntent::Connect,
        ),
        LinkState::Connecting { .. } | LinkState::Starting { .. } => ("button-cancel", ConnectionIntent::Disconnect),
        LinkState::Connected { .. } => ("button-disconnect", ConnectionIntent::Disconnect),
        LinkState::Listening { .. } => ("button-stop", ConnectionIntent::Disconnect),
        LinkState::UdpOpen { .. } => ("button-close", ConnectionIntent::Disconnect),
    };
    (t(key), intent)
}

/// The label of the half-close checkbox (TCP client and server). Short on
/// purpose: a longer one widens the left column (its hover text says more).
pub fn half_close() -> String {
    t("conn-half-close")
}

/// The half-close checkbox, on a grid row of its own.
fn half_close_row(ui: &mut egui::Ui, half_close_on: &mut bool) {
    ui.label("");
    ui.checkbox(half_close_on, half_close()).on_hover_text(t("conn-half-close-tip"));
    ui.end_row();
}

/// The keepalive interval in seconds (0: off), on a grid row of its own;
/// used at the next Connect or Listen.
fn keepalive_row(ui: &mut egui::Ui, secs: &mut u32) {
    let label = ui.label(crate::i18n::tr("label-keepalive", &[]));
    ui.add(egui::DragValue::new(secs).range(0..=7200).suffix(" s"))
        .labelled_by(label.id)
        .on_hover_text(crate::i18n::tr("hint-keepalive", &[]));
    ui.end_row();
}

pub(super) fn text_field(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) {
    let label = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(FIELD_WIDTH)).labelled_by(label.id);
    ui.end_row();
}

/// The local address field, with a menu of this machine's addresses.
fn bind_field(ui: &mut egui::Ui, value: &mut String, choices: &[String]) {
    let label = ui.label(t("conn-local-address"));
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(value).desired_width(FIELD_WIDTH - 30.0)).labelled_by(label.id);
        ui.menu_button("…", |ui| {
            for choice in choices {
                let text = if choice == "0.0.0.0" || choice == "::" {
                    tr("conn-all-interfaces", &[arg("address", choice.as_str())])
                } else {
                    choice.clone()
                };
                if ui.button(text).clicked() {
                    value.clone_from(choice);
                    ui.close();
                }
            }
        })
        .response
        .on_hover_text(t("conn-addresses-tip"));
    });
    ui.end_row();
}
