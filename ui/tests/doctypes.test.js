// The document-type editor's rules (doctypes.js): limits, the sample's pages, fields kept on their page,
// and what "Salva" sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as t from '../js/doctypes.js';

const accordo = {
  name: 'Accordo',
  dossier_title: 'Accordo',
  support_email: null,
  archived: false,
  template: {
    documents: [{
      title: '', from_end: true, pages: [{ width: 595.28, height: 841.89 }],
      fields: [{ page: 0, x: 345, y: 720, w: 200, h: 60, clause_type: 'REQUIRED', clause_title: "Firma per accettazione dell'accordo" }],
    }],
  },
};

const keys = (editor) => t.editorProblems(editor).map((p) => p.key);

test('an existing type opens as it is and saves back unchanged', () => {
  const ed = t.editorFor(accordo);
  assert.equal(ed.new, false);
  assert.deepEqual(keys(ed), []);
  const saved = t.editToSave(ed);
  assert.deepEqual(saved.template, accordo.template);
  assert.equal(saved.support_email, '');
  ed.documents[0].fields[0].x = 0;
  assert.equal(accordo.template.documents[0].fields[0].x, 345, 'the editor works on a copy');
});

test('a new type starts with one A4 document whose field is at the foot of the last page', () => {
  const ed = t.editorFor(null);
  assert.equal(ed.new, true);
  assert.deepEqual(keys(ed), ['types.problem_name', 'types.problem_title']);
  ed.name = 'Delibera';
  ed.dossier_title = 'Delibere';
  assert.deepEqual(keys(ed), []);
  const [f] = ed.documents[0].fields;
  assert.ok(f.x + f.w < t.A4.width && f.y + f.h < t.A4.height && f.y > t.A4.height / 2, JSON.stringify(f));
  assert.equal(ed.documents[0].from_end, true);
  ed.has_template = false;
  assert.equal(t.editToSave(ed).template, null, 'no template');
});

test('each limit is named: titles, email, clause, fields per document, documents per template', () => {
  const ed = t.editorFor(accordo);
  ed.dossier_title = 'Ac';
  ed.support_email = 'urp@comune';
  ed.documents[0].title = 'Ab';
  ed.documents[0].fields[0].clause_title = 'Fir';
  ed.documents[0].fields[0].clause_type = 'ALTRO';
  assert.deepEqual(keys(ed), [
    'types.problem_title', 'types.problem_email', 'types.problem_document_title', 'types.problem_clause_type', 'types.problem_clause',
  ]);
  ed.support_email = 'urp@comune.example';
  assert.ok(!keys(ed).includes('types.problem_email'));
  ed.documents[0].fields = [];
  assert.ok(keys(ed).includes('types.problem_fields'));
  for (let i = 0; i < t.MAX_FIELDS; i += 1) t.addField(ed);
  assert.equal(t.addField(ed), false, `at most ${t.MAX_FIELDS} fields`);
  for (let i = 1; i < t.MAX_DOCUMENTS; i += 1) assert.ok(t.addDocument(ed));
  assert.equal(t.addDocument(ed), false, `at most ${t.MAX_DOCUMENTS} documents`);
  while (t.removeDocument(ed, 0));
  assert.equal(ed.documents.length, 1, 'one document always stays');
});

test('fields stay inside their page: moved, resized, and when the sample loses pages', () => {
  const ed = t.editorFor(accordo);
  const doc = ed.documents[0];
  const [f] = doc.fields;
  t.placeField(doc, f, { x: 10_000, y: -50 });
  assert.ok(f.x + f.w < doc.pages[0].width && f.y === 0, JSON.stringify(f));
  t.setPageCount(doc, 3);
  assert.equal(doc.pages.length, 3);
  f.page = 2;
  t.setPageCount(doc, 2);
  assert.equal(f.page, 1, 'a field on a page taken away goes to the last');
  assert.equal(t.setPageCount(doc, 0), 1, 'a sample has a page');
  assert.deepEqual(keys(ed), []);
});

test('the retention period is empty or whole years from 1 to 999, and saves as a number or null', () => {
  const ed = t.editorFor({ ...accordo, retention_years: 10 });
  assert.equal(ed.retention_years, '10');
  assert.equal(t.editToSave(ed).retention_years, 10);
  assert.equal(t.editToSave(t.editorFor(accordo)).retention_years, null, 'unset stays unset');
  for (const wrong of ['0', '1000', '2.5', '-3', 'dieci', '1e2']) {
    ed.retention_years = wrong;
    assert.deepEqual(keys(ed), ['types.problem_retention'], wrong);
  }
  ed.retention_years = ' 999 ';
  assert.deepEqual(keys(ed), []);
  assert.equal(t.editToSave(ed).retention_years, 999);
  ed.retention_years = '';
  assert.equal(t.editToSave(ed).retention_years, null);
});
