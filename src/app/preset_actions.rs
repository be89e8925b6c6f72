//! What the app does with the quick-send panel.

use eframe::egui;

use super::SessionTab;
use crate::engine::EngineHandle;
use crate::model::{Message, Preset, parse_payload, payload_preview};
use crate::ui::{self, PresetIntent};

/// Bytes shown in a preset's hover preview at most.
const PREVIEW_BYTES: usize = 32;

impl SessionTab {
    /// The quick-send panel, and what it asked for.
    pub(super) fn presets_ui(&mut self, ui: &mut egui::Ui, engine: &EngineHandle) {
        let vars = &self.vars;
        let now = std::time::SystemTime::now();
        let describe = |p: &Preset| match parse_payload(&p.text, &p.format)
            .and_then(|send| send.preview(vars, None, now).map_err(Into::into))
        {
            Ok(bytes) => payload_preview(&bytes, PREVIEW_BYTES),
            Err(error) => Message::Payload(error).to_string(),
        };
        let intent =
            ui::presets_ui(ui, &self.settings.presets, &describe, &mut self.preset_name, self.problems.preset.as_ref());
        if let Some(intent) = intent {
            self.apply_preset_intent(engine, intent);
        }
    }

    /// Carries out a quick-send action.
    pub fn apply_preset_intent(&mut self, engine: &EngineHandle, intent: PresetIntent) {
        self.problems.preset = None;
        match intent {
            PresetIntent::Send(index) => self.send_preset(engine, index),
            PresetIntent::Add(name) => {
                if let Err(error) = self.add_preset(&name) {
                    self.problems.preset = Some(error);
                } else {
                    self.preset_name.clear();
                }
            }
            PresetIntent::Load(index) => {
                if let Some(preset) = self.settings.presets.get(index).cloned() {
                    self.send_text = preset.text;
                    self.settings.send_mode = preset.format.mode;
                    self.settings.send_escapes = preset.format.escapes;
                    self.settings.line_ending = preset.format.line_ending;
                    self.settings.checksum = preset.format.checksum;
                }
            }
            PresetIntent::Delete(index) => {
                if index < self.settings.presets.len() {
                    self.settings.presets.remove(index);
                }
            }
        }
    }

    /// Adds the send box's content as preset `name`, replacing nothing:
    /// the name must be new and the payload must build.
    fn add_preset(&mut self, name: &str) -> Result<(), Message> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Message::PresetNoName);
        }
        if self.settings.presets.iter().any(|p| p.name == name) {
            return Err(Message::PresetExists(name.to_owned()));
        }
        if self.send_text.is_empty() {
            return Err(Message::PresetEmptyBox);
        }
        let format = self.settings.payload_format();
        parse_payload(&self.send_text, &format)?;
        self.settings.presets.push(Preset { name: name.to_owned(), text: self.send_text.clone(), format });
        Ok(())
    }
}
