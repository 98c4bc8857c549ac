// Translations: every text the clerk sees lives in ui/locales/<lang>.ftl, one Project Fluent catalogue per
// language that Rust reads too (firmadesk-desk's i18n module: notifications, timeline, tray, preflight). The
// code asks for dotted keys (`nav.settings`); the catalogue's id is the same key with dashes
// (`nav-settings`), as Fluent ids cannot hold dots. Italian is the reference language; a key missing in
// another language falls back to Italian, and a key missing everywhere shows the key itself so the gap is
// visible instead of blank.

import { FluentBundle, FluentNumber, FluentResource } from '../vendor/fluent-bundle/esm/index.js';

export const LANGUAGES = ['it', 'en'];
export const DEFAULT_LANGUAGE = 'it';

const bundles = new Map();
let current = DEFAULT_LANGUAGE;

/** The catalogue id of a dotted key: `new.fields_count` -> `new-fields_count`. */
export function idOf(key) {
  return key.replaceAll('.', '-');
}

/** A bundle for one language from its .ftl source (no Unicode isolation marks around placeables). */
export function bundle(lang, source) {
  const b = new FluentBundle(lang, { useIsolating: false });
  const errors = b.addResource(new FluentResource(source));
  if (errors.length) throw new Error(`locales/${lang}.ftl: ${errors.map(String).join('; ')}`);
  return b;
}

/** The message ids of a .ftl source, in order (`-term`s excluded). */
export function ids(source) {
  return [...source.matchAll(/^([a-zA-Z][\w-]*)\s*=/gm)].map((m) => m[1]);
}

/**
 * Fluent arguments from the UI's params: whole numbers stay numbers (so `{ $count -> [one] … }` chooses the
 * plural) and print without grouping, as the rest of the UI prints them; other values print as given.
 */
function args(params) {
  if (!params) return undefined;
  const out = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    out[name] = Number.isInteger(value) ? new FluentNumber(value, { useGrouping: false }) : String(value);
  }
  return out;
}

/** Pure translation with fallback, used by t() and by the tests. */
export function translate(primary, fallback, key, params) {
  const id = idOf(key);
  for (const b of [primary, fallback]) {
    const message = b?.getMessage(id);
    if (message?.value) return b.formatPattern(message.value, args(params), []);
  }
  return key;
}

/** Registers a language's catalogue (its .ftl source; loaded by the app from locales/, by tests from disk). */
export function register(lang, source) {
  bundles.set(lang, bundle(lang, source));
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  if (!bundles.has(lang)) throw new Error(`language not loaded: ${lang}`);
  current = lang;
}

export function t(key, params) {
  return translate(bundles.get(current), bundles.get(DEFAULT_LANGUAGE), key, params);
}

/** The catalogue's text for the key in the current language (or Italian), else `fallback`. */
export function textOr(key, params, fallback) {
  const text = t(key, params);
  return text === key ? fallback : text;
}

/**
 * The text of a command error (`{ code, message }`): in Italian, the message Rust wrote (it may name the
 * file or the value at fault); in another language the catalogue's text for the code (`errors.<code>`, e.g.
 * errors.profile.invalid_key), which every code the desk returns has; for an unknown code, Rust's message.
 */
export function errorText(err) {
  const message = err?.message || String(err ?? '');
  if (current === DEFAULT_LANGUAGE || !err?.code) return message;
  return textOr(`errors.${err.code}`, undefined, message);
}

/**
 * Applies translations to a DOM subtree: `data-i18n="key"` sets the text, and
 * `data-i18n-attr="attr:key;attr2:key2"` sets attributes (aria-label, placeholder, title...).
 */
export function apply(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

/** Loads a language's catalogue from the app's assets. */
export async function load(lang) {
  if (bundles.has(lang)) return;
  const response = await fetch(`locales/${lang}.ftl`);
  if (!response.ok) throw new Error(`cannot load locales/${lang}.ftl: ${response.status}`);
  register(lang, await response.text());
}
