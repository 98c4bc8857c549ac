// UI unit tests (node --test): translations and the i18n helpers, without a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as i18n from '../js/i18n.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const load = (lang) => readFileSync(join(root, 'locales', `${lang}.ftl`), 'utf8');

test('every language has exactly the Italian messages, and each catalogue parses without errors', () => {
  const reference = i18n.ids(load('it')).sort();
  assert.ok(reference.length > 400, `the scan found the messages (${reference.length})`);
  for (const lang of i18n.LANGUAGES) {
    assert.deepEqual(i18n.ids(load(lang)).sort(), reference, `locales/${lang}.ftl differs from it.ftl`);
    // Every id the scan found is a message the runtime parsed (a syntax error would drop it as junk).
    const b = i18n.bundle(lang, load(lang));
    for (const id of reference) assert.ok(b.hasMessage(id), `${lang}: ${id} does not parse`);
  }
});

test('every data-i18n key used in the HTML and views exists in Italian', () => {
  const it = i18n.bundle('it', load('it'));
  const sources = [readFileSync(join(root, 'index.html'), 'utf8')];
  // Every view, including the widgets of a split view (views/new/*.js).
  for (const f of readdirSync(join(root, 'js', 'views'), { recursive: true }).filter((f) => f.endsWith('.js'))) {
    sources.push(readFileSync(join(root, 'js', 'views', f), 'utf8'));
  }
  const used = new Set();
  for (const src of sources) {
    for (const m of src.matchAll(/data-i18n="([\w.]+)"/g)) used.add(m[1]);
    for (const m of src.matchAll(/data-i18n-attr="([^"]+)"/g)) {
      for (const pair of m[1].split(';')) used.add(pair.split(':')[1].trim());
    }
  }
  assert.ok(used.size > 5, 'the scan found the keys');
  for (const key of used) assert.ok(it.hasMessage(i18n.idOf(key)), `missing Italian text for ${key}`);
});

test('translate falls back to Italian, then to the key, and fills variables without isolation marks', () => {
  const it = i18n.bundle('it', 'a-b = Ciao { $name }\nonly_it = solo\n');
  const en = i18n.bundle('en', 'a-b = Hello { $name }\n');
  assert.equal(i18n.translate(en, it, 'a.b', { name: 'Anna' }), 'Hello Anna');
  assert.equal(i18n.translate(en, it, 'only_it'), 'solo');
  assert.equal(i18n.translate(en, it, 'missing.key'), 'missing.key');
  // Whole numbers print without grouping, like the rest of the UI; other values as given.
  const n = i18n.bundle('it', 'n = { $x } e { $y }\n');
  assert.equal(i18n.translate(n, undefined, 'n', { x: 12345, y: 'due' }), '12345 e due');
});

test('textOr gives the catalogue text with its values, else the fallback', () => {
  i18n.register('it', load('it'));
  i18n.register('en', load('en'));
  i18n.setLanguage('en');
  assert.equal(i18n.textOr('list.total', { count: 2 }, 'x'), '2 requests');
  assert.equal(i18n.textOr('io_status.NOT_A_STATUS', undefined, 'NOT_A_STATUS'), 'NOT_A_STATUS');
  i18n.setLanguage('it');
});

test('a catalogue with a syntax error or a duplicate is refused, not half-loaded', () => {
  assert.throws(() => i18n.bundle('it', 'a = uno\na = due\n'), /it.ftl/);
});

test('setLanguage refuses a language that was not loaded, t() follows the current one', () => {
  i18n.register('it', load('it'));
  i18n.register('en', load('en'));
  assert.throws(() => i18n.setLanguage('de'));
  i18n.setLanguage('en');
  assert.equal(i18n.t('nav.settings'), 'Settings');
  i18n.setLanguage('it');
  assert.equal(i18n.t('nav.settings'), 'Impostazioni');
});

test('command errors: Rust\'s Italian message in Italian, the UI text for a known code in English', () => {
  i18n.register('it', load('it'));
  i18n.register('en', load('en'));
  const err = { code: 'profile.invalid_key', message: 'La chiave API non sembra valida: testo dal backend.' };
  i18n.setLanguage('it');
  assert.equal(i18n.errorText(err), err.message);
  i18n.setLanguage('en');
  assert.match(i18n.errorText(err), /^The API key does not look valid/);
  // An unknown code keeps the backend's message; a bare error its text.
  assert.equal(i18n.errorText({ code: 'archive.zip_failed', message: 'ZIP non scritto.' }), 'ZIP non scritto.');
  assert.equal(i18n.errorText(new Error('boom')), 'boom');
  i18n.setLanguage('it');
});
