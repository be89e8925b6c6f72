//! The window's languages: Fluent catalogs (`locales/<lang>/main.ftl`,
//! embedded at build time) and the current language of this thread.
//!
//! The language is thread-local, not process-wide: kittest UI tests run in
//! parallel threads of one process, and one test in Chinese must not flip
//! another's language. The UI thread sets it once at start and on every
//! switch from the menu. No egui here.

mod detect;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

pub use detect::{lang_from_locale, system_lang};

/// A language the window speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// 简体中文.
    ZhCn,
}

impl Lang {
    /// Every language, in menu order.
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The language's own name, shown in the 语言 / Language menu.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// BCP 47 tag, as stored in the profiles file.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The catalog's source texts: one file per part of the window, so
    /// translators (and parallel work) touch one part at a time.
    fn sources(self) -> [&'static str; CATALOG_FILES] {
        match self {
            Lang::En => catalog!("en"),
            Lang::ZhCn => catalog!("zh-CN"),
        }
    }
}

/// How many `.ftl` files a language has (see [`catalog!`]).
const CATALOG_FILES: usize = 7;

/// The embedded `.ftl` files of one language, in `locales/<lang>/`.
macro_rules! catalog {
    ($lang:literal) => {
        [
            include_str!(concat!("../../locales/", $lang, "/main.ftl")),
            include_str!(concat!("../../locales/", $lang, "/messages.ftl")),
            include_str!(concat!("../../locales/", $lang, "/find.ftl")),
            include_str!(concat!("../../locales/", $lang, "/sequence.ftl")),
            include_str!(concat!("../../locales/", $lang, "/profiles.ftl")),
            include_str!(concat!("../../locales/", $lang, "/faults.ftl")),
            include_str!(concat!("../../locales/", $lang, "/capture.ftl")),
        ]
    };
}
use catalog;

impl Lang {}

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::En) };
    static BUNDLES: RefCell<HashMap<Lang, FluentBundle<FluentResource>>> = RefCell::new(HashMap::new());
}

/// The language of this thread's window.
pub fn lang() -> Lang {
    CURRENT.with(Cell::get)
}

/// Switch this thread's language (the menu, the start-up preference, a test).
pub fn set_lang(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
}

/// Build the bundle of one language from its embedded catalog.
fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new(vec![id]);
    // No Unicode isolation marks around arguments: egui shows them as tofu.
    bundle.set_use_isolating(false);
    // The catalogs are checked by tests; a syntax error keeps the good entries.
    for source in lang.sources() {
        let res = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(res, _)| res);
        let _ = bundle.add_resource(res);
    }
    bundle
}

/// The text of `key` with `args` in `lang`; a missing key shows as `⟨key⟩`
/// (the marker the UI smoke tests look for).
pub fn tr_in(lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    BUNDLES.with(|cell| {
        let mut map = cell.borrow_mut();
        let bundle = map.entry(lang).or_insert_with(|| bundle(lang));
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return format!("⟨{key}⟩");
        };
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            fargs.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        text.into_owned()
    })
}

/// The text of `key` with `args` in this thread's language.
pub fn tr(key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    tr_in(lang(), key, args)
}

/// The text of `key` (no arguments) in this thread's language.
pub fn t(key: &str) -> String {
    tr(key, &[])
}

/// One named argument of a catalog message, e.g. `arg("count", 3)`.
pub fn arg<'a>(name: &'a str, value: impl Into<FluentValue<'a>>) -> (&'a str, FluentValue<'a>) {
    (name, value.into())
}

/// Every message key of a language's catalog (for completeness tests).
pub fn keys(lang: Lang) -> Vec<String> {
    let mut keys = Vec::new();
    for source in lang.sources() {
        let res = match FluentResource::try_new(source.to_owned()) {
            Ok(res) | Err((res, _)) => res,
        };
        keys.extend(res.entries().filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        }));
    }
    keys
}

/// Parse errors of a language's catalog (empty when it is well formed).
pub fn catalog_errors(lang: Lang) -> usize {
    lang.sources()
        .iter()
        .map(|source| match FluentResource::try_new((*source).to_owned()) {
            Ok(_) => 0,
            Err((_, errors)) => errors.len(),
        })
        .sum()
}

#[cfg(test)]
mod tests;
