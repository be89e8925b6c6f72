//! The system's language at first start: zh* locales → 中文, else English.

use super::Lang;

/// The language a locale name (`zh_CN.UTF-8`, `zh-Hans-CN`, `en_US`) asks for.
pub fn lang_from_locale(locale: &str) -> Option<Lang> {
    let l = locale.trim();
    if l.is_empty() || l == "C" || l == "POSIX" {
        return None;
    }
    if l.to_ascii_lowercase().starts_with("zh") { Some(Lang::ZhCn) } else { Some(Lang::En) }
}

/// The system's language: on Linux the first set of LANGUAGE (its first
/// entry), LC_ALL, LC_MESSAGES, LANG; elsewhere the platform's own API
/// through `sys-locale`.
pub fn system_lang() -> Lang {
    from_vars(|name| std::env::var(name).ok())
        .or_else(|| sys_locale::get_locale().and_then(|l| lang_from_locale(&l)))
        .unwrap_or_default()
}

/// The Linux environment's choice, read through `get` (testable without env).
pub(crate) fn from_vars(get: impl Fn(&str) -> Option<String>) -> Option<Lang> {
    for name in ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Some(value) = get(name) {
            let first = value.split(':').next().unwrap_or_default();
            if let Some(lang) = lang_from_locale(first) {
                return Some(lang);
            }
        }
    }
    None
}
