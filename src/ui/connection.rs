//! The left column: protocol, addresses, charset, Connect/Disconnect.

use eframe::egui::{self, Color32, RichText};

use crate::app::{LinkState, Protocol, Settings};
use crate::codec::Charset;

/// What the user asked for in the left column this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectionIntent {
    /// Connect with the current settings.
    Connect,
    /// Disconnect, or cancel a connect under way.
    Disconnect,
    /// The charset changed: re-render the view.
    CharsetChanged,
}

/// Draws the connection settings; returns what the user asked for.
pub fn connection_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    state: &LinkState,
    form_error: Option<&str>,
) -> Option<ConnectionIntent> {
    let mut intent = None;
    let idle = *state == LinkState::Idle;
    ui.add_space(4.0);
    ui.heading("netassist");
    ui.label(RichText::new("网络调试助手 · network debugging assistant").small().weak());
    ui.separator();

    ui.add_enabled_ui(idle, |ui| {
        egui::Grid::new("connection_grid").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            let label = ui.label("Protocol");
            egui::ComboBox::from_id_salt("protocol")
                .selected_text(settings.protocol.label())
                .width(ui.available_width())
                .show_ui(ui, |ui| {
                    for protocol in Protocol::ALL {
                        ui.selectable_value(&mut settings.protocol, protocol, protocol.label());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();

            text_field(ui, "Remote host", &mut settings.remote_host, "IP or host name");
            text_field(ui, "Remote port", &mut settings.remote_port, "1–65535");
            text_field(ui, "Local port", &mut settings.local_port, "any");

            let label = ui.label("Timeout (s)");
            ui.add(
                egui::DragValue::new(&mut settings.connect_timeout_secs).range(0.1..=120.0).speed(0.1).max_decimals(1),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
    });
    if !settings.protocol.is_available() {
        ui.label(
            RichText::new(format!("{} is coming in a later version.", settings.protocol.label()))
                .color(Color32::from_rgb(200, 150, 40)),
        );
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
    let (text, action) = match state {
        LinkState::Idle => ("Connect / 连接", ConnectionIntent::Connect),
        LinkState::Connecting { .. } => ("Cancel / 取消", ConnectionIntent::Disconnect),
        LinkState::Connected { .. } => ("Disconnect / 断开", ConnectionIntent::Disconnect),
    };
    let enabled = !idle || settings.protocol.is_available();
    let button = egui::Button::new(RichText::new(text).strong()).min_size(egui::vec2(ui.available_width(), 30.0));
    if ui.add_enabled(enabled, button).clicked() {
        intent = Some(action);
    }
    if let Some(error) = form_error {
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
    }
    intent
}

fn text_field(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) {
    let label = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).hint_text(hint).desired_width(f32::INFINITY)).labelled_by(label.id);
    ui.end_row();
}
