// Every text the scripts ask for exists in Italian (and, by the parity test, in English): the literal
// t('...') keys, and the families built from data (statuses, steps, clause types, problems...).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as i18n from '../js/i18n.js';
import { CLAUSE_TYPES, DELIVERIES } from '../js/draft.js';
import { SEND_STEPS } from '../js/sends.js';
import { ENVIRONMENTS } from '../js/profiles.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const load = (lang) => i18n.bundle(lang, readFileSync(join(root, 'locales', `${lang}.ftl`), 'utf8'));
const read = (...p) => readFileSync(join(root, ...p), 'utf8');
const scripts = () => [
  ...readdirSync(join(root, 'js')).filter((f) => f.endsWith('.js')).map((f) => read('js', f)),
  ...readdirSync(join(root, 'js', 'views'), { recursive: true }).filter((f) => f.endsWith('.js')).map((f) => read('js', 'views', f)),
];

/** A usable text: a message with a value. */
function hasText(bundle, key) {
  return Boolean(bundle.getMessage(i18n.idOf(key))?.value);
}

test('every literal t() key and every key named in view configs exists in Italian and English', () => {
  const used = new Set();
  for (const src of scripts()) {
    for (const m of src.matchAll(/\bt\('([\w.]+)'/g)) used.add(m[1]);
    // Keys passed around as data: title: 'pending.title', ['request.signer', ...], t(cond ? 'a.b' : 'c.d').
    for (const m of src.matchAll(/'((?:nav|common|dashboard|list|pending|signed|new|request|events|drop|settings)\.[a-z_]+(?:\.[a-z_]+)?)'/g)) used.add(m[1]);
  }
  assert.ok(used.size > 100, `the scan found the keys (${used.size})`);
  for (const lang of ['it', 'en']) {
    const dict = load(lang);
    for (const key of used) assert.ok(hasText(dict, key), `${lang}: missing text for ${key}`);
  }
});

test('key families built from data all have texts', () => {
  const it = load('it');
  const families = {
    status: ['draft', 'sending', 'queued', 'waiting', 'signed', 'rejected', 'cancelled', 'failed'],
    steps: [...SEND_STEPS, 'needs_edit', 'failed', 'cancel'],
    clause: CLAUSE_TYPES,
    expiry: ['expiring', 'expired'],
    'request.deliveries': [...DELIVERIES, 'both'],
    'new.severity': ['error', 'warning', 'info'],
    'request': ['step_done', 'step_current', 'step_todo'],
    'new': ['sex_M', 'sex_F'],
    'settings.environments': ENVIRONMENTS,
  };
  const problems = [...read('js', 'draft.js').matchAll(/out\.push\('(\w+)'\)/g)].map((m) => m[1]);
  assert.ok(problems.length >= 10);
  families['new.problems'] = problems;
  families['dashboard.counts'] = [...read('js', 'views', 'dashboard.js').matchAll(/\{ key: '(\w+)'/g)].map((m) => m[1]);
  families['list.filters'] = [...read('js', 'views', 'pending.js').matchAll(/^ {4}(\w+): \{/gm)].map((m) => m[1]).concat('signed');
  families['list.sorts'] = ['expires_at', 'updated', 'signer_name', 'created'];
  families.nav = ['dashboard', 'new', 'pending', 'signed', 'request', 'settings'];
  // Every code firmadesk-pdf's preflight gives a finding: `finding("code", Severity…` and `("code", Source…)`.
  const preflight = readFileSync(join(root, '..', 'crates', 'firmadesk-pdf', 'src', 'preflight.rs'), 'utf8');
  families.preflight = [...new Set([...preflight.matchAll(/"([a-z_]+)",\s*(?:Severity::|Source::)/g)].map((m) => m[1]))];
  assert.ok(families.preflight.length >= 17, `preflight codes found: ${families.preflight}`);
  for (const [prefix, names] of Object.entries(families)) {
    assert.ok(names.length > 0, prefix);
    for (const name of names) {
      for (const [lang, b] of [['it', it], ['en', load('en')]]) {
        assert.ok(hasText(b, `${prefix}.${name}`), `missing ${lang} text for ${prefix}.${name}`);
      }
    }
  }
});

test('plural texts pick "one" for 1 and "other" otherwise, in both languages', () => {
  for (const [lang, one, other] of [['it', '1 richiesta', '12 richieste'], ['en', '1 request', '12 requests']]) {
    const b = load(lang);
    assert.equal(i18n.translate(b, undefined, 'list.total', { count: 1 }), one);
    assert.equal(i18n.translate(b, undefined, 'list.total', { count: 12 }), other);
    assert.equal(i18n.translate(undefined, b, 'list.total', { count: 0 }), other.replace('12', '0'));
  }
});

test('the texts the citizen reads stay Italian in every language', () => {
  const en = load('en');
  // The deadline line quotes the IO app's Italian text inside an English sentence.
  assert.match(i18n.translate(en, undefined, 'new.expires_citizen', { text: 'fino alle 23:59 del 01/02/2026' }), /fino alle 23:59 del 01\/02\/2026/);
});
