// Translations: every string the clerk sees lives in ui/locales/<lang>.json. Italian is the reference
// language; a key missing in another language falls back to Italian, and a key missing everywhere shows the
// key itself so the gap is visible instead of blank.

export const LANGUAGES = ['it', 'en'];
export const DEFAULT_LANGUAGE = 'it';

const dictionaries = new Map();
let current = DEFAULT_LANGUAGE;

/** Replaces `{name}` placeholders with params.name. */
export function interpolate(text, params = {}) {
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** Looks a dotted key up in a nested dictionary. */
export function lookup(dict, key) {
  return key.split('.').reduce((node, part) => (node && typeof node === 'object' ? node[part] : undefined), dict);
}

/**
 * Pure translation with fallback, used by t() and by the tests. A text that depends on a number is an
 * object `{ "one": "1 richiesta", "other": "{count} richieste" }`, chosen by `params.count`.
 */
export function translate(dict, fallback, key, params) {
  let value = lookup(dict, key) ?? lookup(fallback, key);
  if (value && typeof value === 'object' && typeof value.other === 'string') {
    value = params?.count === 1 && typeof value.one === 'string' ? value.one : value.other;
  }
  return typeof value === 'string' ? interpolate(value, params) : key;
}

/** All leaf keys of a dictionary, for completeness checks. */
export function keys(dict, prefix = '') {
  return Object.entries(dict).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]);
}

/** Registers a dictionary (loaded by the app from locales/, by tests from disk). */
export function register(lang, dict) {
  dictionaries.set(lang, dict);
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  if (!dictionaries.has(lang)) throw new Error(`language not loaded: ${lang}`);
  current = lang;
}

export function t(key, params) {
  return translate(dictionaries.get(current) ?? {}, dictionaries.get(DEFAULT_LANGUAGE) ?? {}, key, params);
}

/**
 * The text of a command error (`{ code, message }`): in Italian, the message Rust wrote; in another language
 * the UI's own text for the code (`errors.<code>`, e.g. errors.profile.invalid_key) when there is one, else
 * Rust's Italian message (better than nothing, and it names the problem exactly).
 */
export function errorText(err) {
  const message = err?.message || String(err ?? '');
  if (current === DEFAULT_LANGUAGE || !err?.code) return message;
  const key = `errors.${err.code}`;
  const text = t(key);
  return text === key ? message : text;
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

/** Loads a language's dictionary from the app's assets. */
export async function load(lang) {
  if (dictionaries.has(lang)) return;
  const response = await fetch(`locales/${lang}.json`);
  if (!response.ok) throw new Error(`cannot load locales/${lang}.json: ${response.status}`);
  register(lang, await response.json());
}
