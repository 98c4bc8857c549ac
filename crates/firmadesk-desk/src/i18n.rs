//! The clerk's language for what Rust writes: notifications, timeline entries, the tray, preflight findings
//! and error texts come from the same Project Fluent catalogues as the UI (`ui/locales/<lang>.ftl`, compiled
//! in), so one file per language holds every text a clerk can see.
//!
//! Ids follow the UI's convention (the dotted key with dashes: `events.send_completed` →
//! `events-send_completed`). A message missing in English falls back to Italian, and one missing everywhere
//! yields its id, so a gap is visible instead of blank (the tests below keep both languages complete).

use crate::settings::Locale;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;

/// The Italian catalogue, the reference language.
pub const ITALIAN: &str = include_str!("../../../ui/locales/it.ftl");
/// The English catalogue.
pub const ENGLISH: &str = include_str!("../../../ui/locales/en.ftl");

/// A value for a message's variable.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text, printed as given.
    Text(String),
    /// A whole number: chooses plurals (`{ $count -> [one] … *[other] … }`), printed without grouping.
    Number(i64),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}

impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Self::Text(v.clone())
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Self::Number(v)
    }
}

impl From<usize> for Arg {
    fn from(v: usize) -> Self {
        Self::Number(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<u64> for Arg {
    fn from(v: u64) -> Self {
        Self::Number(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

struct Catalogues {
    italian: FluentBundle<FluentResource>,
    english: FluentBundle<FluentResource>,
}

fn bundle(lang: unic_langid::LanguageIdentifier, source: &str) -> FluentBundle<FluentResource> {
    // The catalogues are compiled in and checked by the tests below: a syntax error is a build defect.
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(resource, errors)| {
        tracing::error!(?lang, ?errors, "message catalogue has syntax errors");
        resource
    });
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // No Unicode isolation marks around variables: notifications and the tray print them verbatim.
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(?errors, "message catalogue has duplicate messages");
    }
    bundle
}

fn catalogues() -> &'static Catalogues {
    static CATALOGUES: OnceLock<Catalogues> = OnceLock::new();
    CATALOGUES.get_or_init(|| Catalogues {
        italian: bundle(unic_langid::langid!("it"), ITALIAN),
        english: bundle(unic_langid::langid!("en"), ENGLISH),
    })
}

fn format(bundle: &FluentBundle<FluentResource>, id: &str, args: &[(&str, Arg)]) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(s) => fluent_args.set(*name, FluentValue::from(s.as_str())),
            Arg::Number(n) => fluent_args.set(*name, FluentValue::from(*n)),
        }
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(id, ?errors, "message formatted with errors");
    }
    Some(text.into_owned())
}

/// The text of message `id` in `locale` with its variables; Italian if the language lacks it, the id itself
/// if no catalogue has it.
pub fn text(locale: Locale, id: &str, args: &[(&str, Arg)]) -> String {
    let c = catalogues();
    let primary = match locale {
        Locale::It => &c.italian,
        Locale::En => &c.english,
    };
    format(primary, id, args)
        .or_else(|| format(&c.italian, id, args))
        .unwrap_or_else(|| id.to_owned())
}

/// Whether the catalogue of `locale` has message `id`.
pub fn has(locale: Locale, id: &str) -> bool {
    let c = catalogues();
    match locale {
        Locale::It => c.italian.has_message(id),
        Locale::En => c.english.has_message(id),
    }
}

/// The catalogue id of a dotted key or an `area.reason` code: dots become dashes.
pub fn id_of(key: &str) -> String {
    key.replace('.', "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;
    use std::collections::{BTreeMap, BTreeSet};

    /// Every variable a pattern uses, through select expressions and their variants.
    fn variables(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_variables(expression, out);
            }
        }
    }

    fn expression_variables(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                inline_variables(selector, out);
                for v in variants {
                    variables(&v.value, out);
                }
            }
            ast::Expression::Inline(inline) => inline_variables(inline, out),
        }
    }

    fn inline_variables(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => expression_variables(expression, out),
            _ => {}
        }
    }

    /// Each message of a catalogue with the variables it uses; a syntax error fails the test.
    fn messages(name: &str, source: &'static str) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(source)
            .unwrap_or_else(|(_, errors)| panic!("{name} has syntax errors: {errors:?}"));
        let mut out = BTreeMap::new();
        for entry in &resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    let mut vars = BTreeSet::new();
                    let value = m
                        .value
                        .as_ref()
                        .unwrap_or_else(|| panic!("{name}: {} has no value", m.id.name));
                    variables(value, &mut vars);
                    assert!(
                        out.insert(m.id.name.to_owned(), vars).is_none(),
                        "{name}: {} twice",
                        m.id.name
                    );
                }
                ast::Entry::Junk { content } => panic!("{name}: junk {content:?}"),
                _ => {}
            }
        }
        out
    }

    /// Italian and English have the same messages, each with the same variables: a translation can
    /// neither drop a value (the file name, the count) nor ask for one the code does not pass.
    #[test]
    fn italian_and_english_have_the_same_messages_with_the_same_variables() {
        let it = messages("it.ftl", ITALIAN);
        let en = messages("en.ftl", ENGLISH);
        assert!(it.len() > 400, "{} messages", it.len());
        let only_it: Vec<_> = it.keys().filter(|k| !en.contains_key(*k)).collect();
        let only_en: Vec<_> = en.keys().filter(|k| !it.contains_key(*k)).collect();
        assert!(
            only_it.is_empty() && only_en.is_empty(),
            "only in it: {only_it:?}; only in en: {only_en:?}"
        );
        for (id, vars) in &it {
            assert_eq!(&en[id], vars, "{id}: the variables differ between it.ftl and en.ftl");
        }
    }

    #[test]
    fn texts_follow_the_language_fill_variables_and_choose_plurals() {
        assert_eq!(text(Locale::It, "nav-settings", &[]), "Impostazioni");
        assert_eq!(text(Locale::En, "nav-settings", &[]), "Settings");
        assert_eq!(
            text(Locale::It, "list-total", &[("count", 1usize.into())]),
            "1 richiesta"
        );
        assert_eq!(
            text(Locale::En, "list-total", &[("count", 12345usize.into())]),
            "12345 requests"
        );
        assert_eq!(
            text(Locale::En, "settings-deleted", &[("name", "Comune".into())]),
            "Profile «Comune» deleted."
        );
        // A gap shows the id, not a blank.
        assert_eq!(text(Locale::En, "no-such-message", &[]), "no-such-message");
        assert!(has(Locale::En, "nav-settings") && !has(Locale::En, "nav-nothing"));
        assert_eq!(id_of("errors.profile.not_found"), "errors-profile-not_found");
    }
}
