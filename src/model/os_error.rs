//! An error the operating system reported to the app layer, kept typed so
//! the window words it in the user's language (`os_text::os_text`).

/// What the OS said: its kind (worded from the catalogs) and its own text
/// (shown for kinds that have no words of ours, and in logs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OsError {
    /// The error's kind.
    pub kind: std::io::ErrorKind,
    /// The OS's own text.
    pub message: String,
}

impl From<&std::io::Error> for OsError {
    fn from(error: &std::io::Error) -> Self {
        Self { kind: error.kind(), message: error.to_string() }
    }
}

impl From<std::io::Error> for OsError {
    fn from(error: std::io::Error) -> Self {
        Self::from(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::super::os_text::os_text;
    use super::*;
    use crate::i18n::{Lang, set_lang};
    use std::io::{Error, ErrorKind};

    #[test]
    fn what_the_os_said_is_worded_in_the_windows_language_by_its_kind() {
        let missing = OsError::from(Error::from_raw_os_error(2));
        assert_eq!(missing.kind, ErrorKind::NotFound);
        set_lang(Lang::En);
        assert_eq!(os_text(missing.kind, &missing.message), "no such file or directory");
        set_lang(Lang::ZhCn);
        assert_eq!(os_text(missing.kind, &missing.message), "文件或目录不存在");
        let full = Error::from_raw_os_error(28);
        assert_eq!(os_text(full.kind(), &full.to_string()), "磁盘空间不足");
        // EMFILE has no kind of its own in std: known by its text.
        let emfile = Error::from_raw_os_error(24);
        assert_eq!(os_text(emfile.kind(), &emfile.to_string()), "打开的文件过多");
        // A kind without words of ours shows what the OS said.
        assert_eq!(os_text(ErrorKind::Other, "something odd"), "something odd");
        set_lang(Lang::En);
    }

    #[test]
    fn what_the_engine_was_doing_is_worded_too_so_no_english_is_left() {
        use super::super::error_text::engine_error;
        use crate::engine::{EngineError, IoAction};
        let port_80 = EngineError::PermissionDenied { action: IoAction::Listening(([0, 0, 0, 0], 80).into()) };
        let emfile = Error::from_raw_os_error(24);
        let accept = EngineError::Io {
            action: Box::new(IoAction::Accepting(([127, 0, 0, 1], 8000).into())),
            kind: emfile.kind(),
            message: emfile.to_string(),
        };
        set_lang(Lang::ZhCn);
        assert_eq!(engine_error(&port_80), "没有权限：在 0.0.0.0:80 上监听（1024 以下的端口需要管理员权限）");
        assert_eq!(engine_error(&accept), "在 127.0.0.1:8000 上接受客户端：打开的文件过多");
        set_lang(Lang::En);
        assert_eq!(
            engine_error(&port_80),
            "permission denied for listening on 0.0.0.0:80 (ports below 1024 need administrator rights)"
        );
        assert_eq!(engine_error(&accept), "accepting a client on 127.0.0.1:8000: too many open files");
    }
}
