//! The auto-reply switch, its rules window, and keeping the engine's rules
//! in step with what the user wrote.

use eframe::egui;

use super::SessionTab;
use crate::codec::Charset;
use crate::engine::EngineHandle;
use crate::ids::ConnId;
use crate::model::{AutoReplySpec, CompiledRule, Message};
use crate::ui;

/// What the engine was last given: (the root it was for, on, rules, charset), to notice changes.
pub(super) type AppliedRules = Option<(Option<ConnId>, bool, Vec<AutoReplySpec>, Charset)>;

impl SessionTab {
    /// The switch and the Rules… button in the left column.
    pub(super) fn auto_reply_ui(&mut self, ui: &mut egui::Ui) {
        let count = self.settings.auto_replies.iter().filter(|r| r.enabled).count();
        if ui::auto_reply_row_ui(ui, &mut self.settings.auto_reply, count, &self.problems.rules) {
            self.show_rules = true;
        }
    }

    /// The rules window, while open.
    pub(super) fn rules_window(&mut self, ctx: &egui::Context) {
        if self.show_rules {
            ui::auto_reply_window(ctx, &mut self.show_rules, &mut self.settings.auto_replies, &self.problems.rules);
        }
    }

    /// Once a frame: if the link, the switch, the rules or the charset
    /// changed, compiles the enabled rules and hands them to the engine for
    /// this tab's connection, listener or socket (an empty set when off), so
    /// each tab answers with its own rules. Rules with mistakes are left out
    /// and their problems shown.
    pub(super) fn sync_auto_replies(&mut self, engine: &EngineHandle) {
        let root = self.session.state.conn();
        // Compared in place: this runs every frame, and the rules rarely change.
        if let Some((applied_root, on, rules, charset)) = &self.applied_rules
            && *applied_root == root
            && *on == self.settings.auto_reply
            && *charset == self.settings.charset
            && *rules == self.settings.auto_replies
        {
            return;
        }
        let wanted = (root, self.settings.auto_reply, self.settings.auto_replies.clone(), self.settings.charset);
        let mut compiled: Vec<CompiledRule> = Vec::new();
        self.problems.rules.clear();
        for rule in self.settings.auto_replies.iter().filter(|r| r.enabled) {
            match rule.compile(self.settings.charset) {
                Ok(rule) => compiled.push(rule),
                Err(error) => self.problems.rules.push(Message::Rule(error)),
            }
        }
        if !self.settings.auto_reply {
            compiled.clear();
        }
        let charset = self.settings.charset;
        let rules = compiled.into_iter().map(|rule| engine_rule(rule, charset)).collect();
        // The root it had before ended or was replaced: the engine forgets its rules.
        let old = self.applied_rules.as_ref().and_then(|(old, ..)| *old).filter(|old| Some(*old) != root);
        let sent = old
            .map_or(Ok(()), |old| engine.set_auto_replies_for(old, None))
            .and_then(|()| root.map_or(Ok(()), |root| engine.set_auto_replies_for(root, Some(rules))));
        match sent {
            Ok(()) => self.applied_rules = Some(wanted),
            // The command queue is full: try again next frame.
            Err(error) => self.session.last_error = Some(error.into()),
        }
    }
}

/// The engine's form of a compiled rule.
fn engine_rule(rule: CompiledRule, charset: Charset) -> crate::engine::AutoReplyRule {
    use crate::engine::{AutoReplyRule, Matcher, Reply};
    use crate::model::MatchKind;
    let matcher = match rule.match_kind {
        MatchKind::Contains | MatchKind::HexBytes => Matcher::Contains(rule.pattern),
        MatchKind::StartsWith => Matcher::StartsWith(rule.pattern),
        MatchKind::Regex => Matcher::Regex { pattern: String::from_utf8_lossy(&rule.pattern).into_owned(), charset },
        MatchKind::Any => Matcher::Any,
    };
    AutoReplyRule {
        name: rule.name,
        matcher,
        reply: match (rule.template, rule.reply) {
            (Some(send), _) => {
                Reply::Template(std::sync::Arc::new(crate::engine::ReplyFill::new(send, crate::codec::Vars::default())))
            }
            (None, reply) => reply.map_or(Reply::Echo, |bytes| Reply::Bytes(bytes.into())),
        },
        delay: std::time::Duration::from_millis(u64::from(rule.delay_ms)),
    }
}
