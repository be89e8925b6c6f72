//! The auto-reply switch, its rules window, and keeping the engine's rules
//! in step with what the user wrote.

use eframe::egui;

use super::NetAssistApp;
use super::auto_reply::{AutoReplySpec, CompiledRule};
use crate::codec::Charset;
use crate::ui;

/// What the engine was last given: (on, rules, charset), to notice changes.
pub(super) type AppliedRules = Option<(bool, Vec<AutoReplySpec>, Charset)>;

impl NetAssistApp {
    /// The switch and the Rules… button in the left column.
    pub(super) fn auto_reply_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let count = self.settings.auto_replies.iter().filter(|r| r.enabled).count();
            ui.checkbox(&mut self.settings.auto_reply, format!("Auto-reply ({count} rules)"))
                .on_hover_text("Answer matching data automatically, on the network thread");
            if ui.button("Rules…").clicked() {
                self.show_rules = true;
            }
        });
        for error in &self.rule_errors {
            ui.label(egui::RichText::new(error).small().color(ui.visuals().error_fg_color));
        }
    }

    /// The rules window, while open.
    pub(super) fn rules_window(&mut self, ctx: &egui::Context) {
        if self.show_rules {
            ui::auto_reply_window(ctx, &mut self.show_rules, &mut self.settings.auto_replies, &self.rule_errors);
        }
    }

    /// Once a frame: if the switch, the rules or the charset changed, compiles
    /// the enabled rules and hands them to the engine (an empty set when off).
    /// Rules with mistakes are left out and their problems shown.
    pub(super) fn sync_auto_replies(&mut self) {
        // Compared in place: this runs every frame, and the rules rarely change.
        if let Some((on, rules, charset)) = &self.applied_rules
            && *on == self.settings.auto_reply
            && *charset == self.settings.charset
            && *rules == self.settings.auto_replies
        {
            return;
        }
        let wanted = (self.settings.auto_reply, self.settings.auto_replies.clone(), self.settings.charset);
        let mut compiled: Vec<CompiledRule> = Vec::new();
        self.rule_errors.clear();
        for rule in self.settings.auto_replies.iter().filter(|r| r.enabled) {
            match rule.compile(self.settings.charset) {
                Ok(rule) => compiled.push(rule),
                Err(error) => self.rule_errors.push(error),
            }
        }
        if !self.settings.auto_reply {
            compiled.clear();
        }
        let charset = self.settings.charset;
        match self.engine.set_auto_replies(compiled.into_iter().map(|rule| engine_rule(rule, charset)).collect()) {
            Ok(()) => self.applied_rules = Some(wanted),
            // The command queue is full: try again next frame.
            Err(error) => self.session.last_error = Some(error.to_string()),
        }
    }
}

/// The engine's form of a compiled rule.
fn engine_rule(rule: CompiledRule, charset: Charset) -> crate::engine::AutoReplyRule {
    use super::auto_reply::MatchKind;
    use crate::engine::{AutoReplyRule, Matcher, Reply};
    let matcher = match rule.match_kind {
        MatchKind::Contains | MatchKind::HexBytes => Matcher::Contains(rule.pattern),
        MatchKind::StartsWith => Matcher::StartsWith(rule.pattern),
        MatchKind::Regex => Matcher::Regex { pattern: String::from_utf8_lossy(&rule.pattern).into_owned(), charset },
        MatchKind::Any => Matcher::Any,
    };
    AutoReplyRule {
        name: rule.name,
        matcher,
        reply: rule.reply.map_or(Reply::Echo, |bytes| Reply::Bytes(bytes.into())),
        delay: std::time::Duration::from_millis(u64::from(rule.delay_ms)),
    }
}
