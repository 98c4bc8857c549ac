// "Da fare": the grouping by urgency, each row's actions and date, and every text the view asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as i18n from '../js/i18n.js';
import { KIND_TITLES, TODO_KINDS, actionsFor, groups, rowDate } from '../js/todo.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const item = (kind, id, extra = {}) => ({ kind, request: { id, updated_at: 10, expires_at: 20, ...extra } });

test('rows are grouped by kind, most urgent first, keeping the desk\'s order within a kind', () => {
  const items = [
    item('expired', 'e1'), item('failed', 'f1'), item('expiring', 'x1'),
    item('failed', 'f2'), item('rejected', 'r1'), item('expiring', 'x2'),
  ];
  assert.deepEqual(groups(items).map((g) => [g.kind, g.items.map((i) => i.request.id)]), [
    ['failed', ['f1', 'f2']],
    ['rejected', ['r1']],
    ['expiring', ['x1', 'x2']],
    ['expired', ['e1']],
  ]);
  assert.deepEqual(groups([]), []);
  assert.deepEqual(groups(undefined), []);
  assert.deepEqual(groups([item('later', 'n1'), item('expired', 'e1')]).map((g) => g.kind), ['expired', 'later'],
    'a kind this window does not know comes last, not lost');
});

test('each kind offers its action first: fix a stopped one, show the QR of one about to expire', () => {
  assert.deepEqual(actionsFor('failed'), ['fix', 'same_signer']);
  assert.deepEqual(actionsFor('rejected'), ['fix', 'same_signer']);
  assert.deepEqual(actionsFor('expired'), ['fix', 'same_signer']);
  assert.deepEqual(actionsFor('expiring'), ['qr', 'link', 'same_signer']);
  assert.deepEqual(actionsFor('unknown'), []);
});

test('a row shows its deadline when time is the point, its last change otherwise', () => {
  assert.deepEqual(rowDate(item('expiring', 'x', { expires_at: 99 })), { key: 'todo.deadline', at: 99 });
  assert.deepEqual(rowDate(item('expired', 'x', { expires_at: 98 })), { key: 'todo.deadline', at: 98 });
  assert.deepEqual(rowDate(item('failed', 'x', { updated_at: 7 })), { key: 'todo.changed', at: 7 });
  assert.deepEqual(rowDate(item('expiring', 'x', { expires_at: undefined })), { key: 'todo.deadline', at: null });
});

test('every text of the view and of its kinds exists in Italian and English', () => {
  const view = readFileSync(join(root, 'js', 'views', 'todo.js'), 'utf8') + readFileSync(join(root, 'js', 'todo.js'), 'utf8');
  const keys = new Set([...view.matchAll(/'(todo\.[a-z_]+)'/g)].map((m) => m[1]));
  for (const kind of TODO_KINDS) keys.add(KIND_TITLES[kind]);
  assert.ok(keys.size >= 10, `found ${keys.size} keys`);
  for (const lang of ['it', 'en']) {
    const bundle = i18n.bundle(lang, readFileSync(join(root, 'locales', `${lang}.ftl`), 'utf8'));
    for (const key of keys) assert.ok(bundle.getMessage(i18n.idOf(key))?.value, `${lang}: missing ${key}`);
  }
});
