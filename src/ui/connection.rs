//! The left column: protocol, addresses, charset, Connect/Listen/Open.

use std::net::IpAddr;

use eframe::egui::{self, RichText};

use crate::codec::Charset;
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
            let label = ui.label("Protocol");
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
                    text_field(ui, "Remote host", &mut settings.remote_host, "IP or host name");
                    text_field(ui, "Remote port", &mut settings.remote_port, "1–65535");
                    text_field(ui, "Local port", &mut settings.local_port, "any");
                    let label = ui.label("Timeout (s)");
                    ui.add(
                        egui::DragValue::new(&mut settings.connect_timeout_secs)
                            .range(0.1..=120.0)
                            .speed(0.1)
                            .max_decimals(1),
                    )
                    .labelled_by(label.id);
                    ui.end_row();
                    ui.label("");
                    ui.checkbox(&mut settings.auto_reconnect, "Auto-reconnect")
                        .on_hover_text("Connect again after 1 s, 2 s, 4 s … 30 s when the connection ends on its own");
                    ui.end_row();
                    half_close_row(ui, &mut settings.half_close);
                    keepalive_row(ui, &mut settings.keepalive_secs);
                }
                Protocol::TcpServer => {
                    bind_field(ui, &mut settings.bind_host, bind_choices);
                    text_field(ui, "Local port", &mut settings.listen_port, "0 = any free port");
                    let label = ui.label("Max clients");
                    ui.add(egui::DragValue::new(&mut settings.max_clients).range(1..=100_000)).labelled_by(label.id);
                    ui.end_row();
                    half_close_row(ui, &mut settings.half_close);
                    keepalive_row(ui, &mut settings.keepalive_secs);
                }
                Protocol::Udp => {
                    bind_field(ui, &mut settings.bind_host, bind_choices);
                    text_field(ui, "Local port", &mut settings.udp_port, "0 = any free port");
                    ui.label("");
                    ui.checkbox(&mut settings.broadcast, "Allow broadcast");
                    ui.end_row();
                }
            }
        });
    });
    if settings.protocol == Protocol::Udp {
        egui::Grid::new("udp_target_grid").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            text_field(ui, "Remote host", &mut settings.remote_host, "where Send goes");
            text_field(ui, "Remote port", &mut settings.remote_port, "1–65535");
            ui.label("");
            ui.checkbox(&mut settings.reply_to_last_sender, "Reply to last sender");
            ui.end_row();
        });
    }

    ui.separator();
    egui::Grid::new("charset_grid").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
        let label = ui.label("Charset");
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
            ui.label(format!("Reconnecting in {:.0} s (attempt {n})", wait.as_secs_f32().ceil()));
            if ui.button("Stop reconnecting").clicked() {
                intent = Some(ConnectionIntent::StopReconnecting);
            }
        });
    }
    if let Some(error) = form_error {
        ui.label(RichText::new(error.to_string()).color(ui.visuals().error_fg_color));
    }
    intent
}

fn open_button(protocol: Protocol, state: &LinkState) -> (&'static str, ConnectionIntent) {
    match state {
        LinkState::Idle => (
            match protocol {
                Protocol::TcpClient => "Connect / 连接",
                Protocol::TcpServer => "Listen / 监听",
                Protocol::Udp => "Open / 打开",
            },
            ConnectionIntent::Connect,
        ),
        LinkState::Connecting { .. } | LinkState::Starting { .. } => ("Cancel / 取消", ConnectionIntent::Disconnect),
        LinkState::Connected { .. } => ("Disconnect / 断开", ConnectionIntent::Disconnect),
        LinkState::Listening { .. } => ("Stop / 停止", ConnectionIntent::Disconnect),
        LinkState::UdpOpen { .. } => ("Close / 关闭", ConnectionIntent::Disconnect),
    }
}

/// The label of the half-close checkbox (TCP client and server). Short on
/// purpose: a longer one widens the left column (its hover text says more).
pub const HALF_CLOSE: &str = "Keep open after FIN";

/// The half-close checkbox, on a grid row of its own.
fn half_close_row(ui: &mut egui::Ui, half_close: &mut bool) {
    ui.label("");
    ui.checkbox(half_close, HALF_CLOSE).on_hover_text(
        "Half-close: when the peer finishes sending (its FIN, e.g. shutdown(SHUT_WR)), keep the \
         connection open: you can still send, and Disconnect (or Kick) closes it. Off: the peer's FIN \
         ends the connection.",
    );
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
    let label = ui.label("Local address");
    ui.horizontal(|ui| {
        ui.add(egui::TextEdit::singleline(value).desired_width(FIELD_WIDTH - 30.0)).labelled_by(label.id);
        ui.menu_button("…", |ui| {
            for choice in choices {
                let text = if choice == "0.0.0.0" || choice == "::" {
                    format!("{choice}  (all interfaces)")
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
        .on_hover_text("Addresses of this machine");
    });
    ui.end_row();
}
