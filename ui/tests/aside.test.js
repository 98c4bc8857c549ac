// Drafts set aside: the dashboard's "Bozze" counts them, and each row of "Bozze non inviate" says what it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as i18n from '../js/i18n.js';
import { asideSummary, countsWithAside } from '../js/aside.js';
import { formatDateTime } from '../js/format.js';

const locales = join(dirname(fileURLToPath(import.meta.url)), '..', 'locales');
const load = (lang) => i18n.bundle(lang, readFileSync(join(locales, `${lang}.ftl`), 'utf8'));
const tIn = (lang) => (key, params) => i18n.translate(load(lang), undefined, key, params);
const SAVED = new Date(2027, 0, 15, 9, 30).getTime();

const aside = (more = {}) => ({
  id: '01JH0000000000000000000000',
  label: 'Accordo quadro',
  signer_name: 'Mario Rossi',
  document_type: 'Accordo',
  documents: 2,
  saved_at: SAVED,
  missing_documents: [],
  ...more,
});

test('the drafts set aside are added to the store\'s drafts, without changing its counts', () => {
  const counts = { waiting: 3, drafts: 1 };
  assert.deepEqual(countsWithAside(counts, [aside(), aside()]), { waiting: 3, drafts: 3 });
  assert.equal(counts.drafts, 1);
  assert.deepEqual(countsWithAside({ waiting: 0 }, [aside()]), { waiting: 0, drafts: 1 });
  assert.deepEqual(countsWithAside({ drafts: 2 }, null), { drafts: 2 }, 'the list unreadable: the store\'s count');
  assert.deepEqual(countsWithAside(undefined, []), { drafts: 0 });
});

test('a row names the draft, its signer, type, documents and when it was set aside', () => {
  const row = asideSummary(aside(), tIn('it'));
  assert.equal(row.label, 'Accordo quadro');
  assert.equal(row.details, `Mario Rossi · Accordo · 2 documenti · messa da parte il ${formatDateTime(SAVED)}`);
  assert.equal(row.missing, null);
  const en = asideSummary(aside({ documents: 1 }), tIn('en'));
  assert.equal(en.details, `Mario Rossi · Accordo · 1 document · set aside on ${formatDateTime(SAVED)}`);
});

test('what was not typed is said, and PDFs no longer kept are named', () => {
  const t = tIn('it');
  const row = asideSummary(aside({ label: ' ', signer_name: '', document_type: '', documents: 0, missing_documents: ['a.pdf', 'b.pdf'] }), t);
  assert.equal(row.label, t('drafts.untitled'));
  assert.ok(row.details.startsWith(`${t('drafts.no_signer')} · ${t('drafts.no_type')} · 0 documenti`), row.details);
  assert.match(row.missing, /a\.pdf, b\.pdf/);
  assert.notEqual(row.missing, t('drafts.missing'), 'a real text, not the key');
});
