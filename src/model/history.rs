//! The send box's history: the last texts sent, newest last, each once,
//! recalled with ↑/↓ like a shell's.

use std::collections::VecDeque;

/// Texts kept at most.
pub const HISTORY_LEN: usize = 100;

/// The last texts sent, and where ↑/↓ recall is.
#[derive(Clone, Debug, Default)]
pub struct SendHistory {
    entries: VecDeque<String>,
    /// Index into `entries` of the text recalled now; `None`: not recalling.
    cursor: Option<usize>,
    /// What was in the box when recall started, given back past the newest entry.
    draft: String,
}

impl SendHistory {
    /// Records a text just sent: moved to the newest place if it was there
    /// already; the oldest goes past [`HISTORY_LEN`]. Ends any recall.
    pub fn push(&mut self, text: &str) {
        self.cursor = None;
        if text.is_empty() {
            return;
        }
        if let Some(index) = self.entries.iter().position(|e| e == text) {
            self.entries.remove(index);
        }
        self.entries.push_back(text.to_owned());
        if self.entries.len() > HISTORY_LEN {
            self.entries.pop_front();
        }
    }

    /// ↑: the text before the one recalled (or the newest, keeping `current`
    /// as the draft). `None` at the oldest, or with no history.
    pub fn older(&mut self, current: &str) -> Option<String> {
        let index = match self.cursor {
            None => {
                self.draft = current.to_owned();
                self.entries.len().checked_sub(1)?
            }
            Some(index) => index.checked_sub(1)?,
        };
        self.cursor = Some(index);
        self.entries.get(index).cloned()
    }

    /// ↓: the text after the one recalled, then the draft. `None` when not recalling.
    pub fn newer(&mut self) -> Option<String> {
        let index = self.cursor? + 1;
        if index < self.entries.len() {
            self.cursor = Some(index);
            self.entries.get(index).cloned()
        } else {
            self.cursor = None;
            Some(std::mem::take(&mut self.draft))
        }
    }

    /// The texts, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recall_walks_back_and_returns_to_the_draft() {
        let mut history = SendHistory::default();
        assert_eq!(history.older("draft"), None);
        for text in ["a", "b", "a", "c"] {
            history.push(text);
        }
        assert_eq!(history.entries().collect::<Vec<_>>(), ["b", "a", "c"], "deduplicated, newest last");
        assert_eq!(history.older("draft").as_deref(), Some("c"));
        assert_eq!(history.older("ignored").as_deref(), Some("a"));
        assert_eq!(history.older("").as_deref(), Some("b"));
        assert_eq!(history.older(""), None, "stays at the oldest");
        assert_eq!(history.newer().as_deref(), Some("a"));
        assert_eq!(history.newer().as_deref(), Some("c"));
        assert_eq!(history.newer().as_deref(), Some("draft"));
        assert_eq!(history.newer(), None);
    }

    #[test]
    fn bounded() {
        let mut history = SendHistory::default();
        for i in 0..HISTORY_LEN + 10 {
            history.push(&i.to_string());
        }
        assert_eq!(history.entries().count(), HISTORY_LEN);
        assert_eq!(history.entries().next(), Some("10"));
    }
}
