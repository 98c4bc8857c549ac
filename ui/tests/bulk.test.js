// "Invio da elenco" (bulk.js): the columns the clerk confirms, a row corrected in place, the report rows shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as b from '../js/bulk.js';

const list = () => ({
  headers: ['Nome', 'Cognome', 'CF', 'File'],
  rows: [
    { line: 2, cells: ['Mario', 'Rossi', 'RSSMRA80A01H501X', 'a.pdf'] },
    { line: 4, cells: ['Anna', 'Bianchi', 'BNCNNA85M41F205Z', 'b.pdf'] },
  ],
});

test('the check needs a fiscal-code column and a name; a column has one role', () => {
  assert.deepEqual(b.mappingProblems({}), ['bulk.problem_no_code', 'bulk.problem_no_name']);
  let m = b.setRole({}, 'fiscal_code', 2);
  m = b.setRole(m, 'full_name', 0);
  assert.deepEqual(b.mappingProblems(m), []);
  m = b.setRole(m, 'name', 0);
  assert.equal(m.full_name, null, 'column 0 is now the name');
  assert.equal(m.name, 0);
  assert.deepEqual(b.mappingProblems(m), []);
  m = b.setRole(m, 'name', null);
  assert.deepEqual(b.mappingProblems(m), ['bulk.problem_no_name']);
});

test('a row is corrected in place: its name and code cells, by spreadsheet line', () => {
  const l = list();
  const m = { name: 0, surname: 1, fiscal_code: 2, pdf: 3 };
  assert.deepEqual(b.editableCells(l, m, 4).map((c) => [c.role, c.column, c.value]), [
    ['name', 0, 'Anna'], ['surname', 1, 'Bianchi'], ['fiscal_code', 2, 'BNCNNA85M41F205Z'],
  ]);
  assert.equal(b.setCell(l, 2, 2, ' RSSMRA80A01H501U '), true);
  assert.equal(l.rows[0].cells[2], 'RSSMRA80A01H501U');
  assert.equal(b.setCell(l, 3, 2, 'x'), false, 'no row at line 3');
  assert.equal(b.setCell(l, 2, 9, 'x'), false, 'no such column');
  assert.deepEqual(b.editableCells(l, { full_name: 0, fiscal_code: 2 }, 2).map((c) => c.role), ['full_name', 'fiscal_code']);
  const input = b.checkInput(l, m, 'Accordo', '');
  assert.equal(input.pdf_dir, null);
  assert.equal(input.document_type, 'Accordo');
  assert.equal(input.rows, l.rows);
});

test('the report shows errors first, then warnings, at most SHOWN_ROWS, and says how many are hidden', () => {
  const rows = [];
  for (let i = 0; i < 300; i += 1) rows.push({ line: i + 2, outcome: i % 3 === 0 ? 'error' : (i % 3 === 1 ? 'warning' : 'ready') });
  const report = { rows };
  const problems = b.shownRows(report, 'problems');
  assert.equal(problems.rows.length, b.SHOWN_ROWS);
  assert.equal(problems.hidden, 0, "100 errors and 100 warnings: all shown");
  assert.ok(problems.rows.slice(0, 100).every((r) => r.outcome === 'error'));
  assert.ok(problems.rows.slice(100).every((r) => r.outcome === 'warning'));
  assert.equal(b.shownRows(report, 'errors').rows.length, 100);
  assert.equal(b.shownRows(report, 'all').hidden, 100);
  assert.deepEqual(b.shownRows(null, 'all'), { rows: [], hidden: 0 });
});

test('the document for all gets the chosen type template fields, on its last page, and says what stops it', () => {
  const imported = {
    doc_id: 'a'.repeat(64), name: 'Consenso.pdf', size: 10,
    pages: [{ width: 595.28, height: 841.89 }, { width: 595.28, height: 841.89 }],
    findings: [], service_accepts: true,
  };
  const types = [{
    name: 'Modulo di consenso', dossier_title: 'Modulo di consenso',
    template: { documents: [{ title: '', from_end: true, pages: [{ width: 595.28, height: 841.89 }], fields: [
      { page: 0, x: 345, y: 720, w: 200, h: 60, clause_type: 'REQUIRED', clause_title: 'Firma del dichiarante' },
      { page: 0, x: 50, y: 720, w: 200, h: 60, clause_type: 'OPTIONAL', clause_title: 'Consenso facoltativo' },
    ] }] },
  }, { name: 'Delibera', dossier_title: 'Delibere' }];
  const shared = b.sharedDocument(imported, types, 'Modulo di consenso');
  assert.equal(shared.accepted, true);
  assert.equal(shared.pages, 2);
  assert.deepEqual(shared.fields.map((f) => [f.page, f.clause_type]), [[1, 'REQUIRED'], [1, 'OPTIONAL']]);
  assert.deepEqual(shared.notes, []);
  // What each row's request carries: the document with its fields placed, and a proposed title.
  assert.equal(shared.documents.length, 1);
  assert.equal(shared.documents[0].doc_id, imported.doc_id);
  assert.deepEqual(shared.documents[0].fields.map((f) => [f.page, f.clause_type]), [[1, 'REQUIRED'], [1, 'OPTIONAL']]);
  assert.ok(shared.title.startsWith('Modulo di consenso'), shared.title);
  assert.deepEqual(b.sharedDocument(imported, types, 'Delibera').fields, [], 'a type without a template');
  const refused = b.sharedDocument({ ...imported, service_accepts: false, findings: [{ severity: 'error', message: 'Il PDF è cifrato.' }] }, types, 'Delibera');
  assert.equal(refused.accepted, false);
  assert.equal(refused.error, 'Il PDF è cifrato.');
});

test('"Invia" is offered once a report has rows to send and one accepted document with fields', () => {
  const report = { ready: 3, warnings: 1, errors: 2, rows: [] };
  const shared = { accepted: true, fields: [{ page: 0 }], documents: [{ doc_id: 'abc', title: 'Consenso', fields: [] }] };
  assert.deepEqual(b.sendProblems(null, shared, {}), ['bulk.send_no_report']);
  assert.deepEqual(b.sendProblems(report, shared, { fiscal_code: 2 }), []);
  assert.deepEqual(b.sendProblems({ ...report, ready: 0, warnings: 0 }, shared, {}), ['bulk.send_no_rows']);
  // Each row its own PDF: a folder, and a type whose template places the fields.
  assert.deepEqual(b.sendProblems(report, null, { pdf: 3 }), ['bulk.send_no_folder', 'bulk.send_no_template']);
  assert.deepEqual(b.sendProblems(report, null, { pdf: 3 }, '/pdf', true), []);
  const perRow = b.sendInput({ ...list(), name: 'x.csv' }, { name: 0, fiscal_code: 2, pdf: 3 }, 'Accordo', shared, 'Consenso', '2027-01-31', '/pdf');
  assert.deepEqual([perRow.pdf_dir, perRow.documents, perRow.expires_at], ['/pdf', [], '2027-01-31']);
  assert.equal(b.typeHasTemplate([{ name: 'Accordo', template: { documents: [{}] } }, { name: 'Delibera' }], 'Accordo'), true);
  assert.equal(b.typeHasTemplate([{ name: 'Accordo', template: { documents: [{}] } }, { name: 'Delibera' }], 'Delibera'), false);
  assert.deepEqual(b.sendProblems(report, null, {}), ['bulk.send_no_document']);
  assert.deepEqual(b.sendProblems(report, { ...shared, accepted: false }, {}), ['bulk.send_document_refused']);
  assert.deepEqual(b.sendProblems(report, { ...shared, fields: [] }, {}), ['bulk.send_no_fields']);

  const input = b.sendInput({ ...list(), name: 'famiglie.csv' }, { name: 0, surname: 1, fiscal_code: 2 }, 'Accordo', shared, '  Consenso informato ', '');
  assert.equal(input.name, 'famiglie.csv');
  assert.equal(input.title, 'Consenso informato');
  assert.equal(input.expires_at, null);
  assert.equal(input.pdf_dir, null);
  assert.equal(input.rows.length, 2);
  assert.deepEqual(input.documents, shared.documents);
});

test('a list\'s progress, whether it still moves, and the time left', () => {
  assert.equal(b.progressPercent({ total: 0 }), 0);
  assert.equal(b.progressPercent({ total: 8, sent: 5, failed: 1 }), 75);
  assert.equal(b.batchActive({ state: 'sending' }), true);
  assert.equal(b.batchActive({ state: 'paused', sending: 2 }), true, 'rows under way still finish');
  assert.equal(b.batchActive({ state: 'paused', sending: 0 }), false);
  assert.equal(b.batchActive({ state: 'done' }), false);
  assert.equal(b.etaText(null), null);
  assert.deepEqual(b.etaText(12), { key: 'bulk.eta_seconds', args: { count: 12 } });
  assert.deepEqual(b.etaText(190), { key: 'bulk.eta_minutes', args: { count: 3 } });
  assert.deepEqual(b.etaText(3 * 3600 + 20 * 60), { key: 'bulk.eta_hours', args: { hours: 3, minutes: 20 } });
});

test('the columns last confirmed for a type come back for a list with the same titles', () => {
  const list = { mapping: { full_name: null, fiscal_code: 1 }, saved: { Accordo: { full_name: 0, fiscal_code: 1 } } };
  assert.deepEqual(b.mappingFor(list, 'Accordo'), { full_name: 0, fiscal_code: 1 });
  assert.deepEqual(b.mappingFor(list, 'Delibera'), { full_name: null, fiscal_code: 1 }, 'the guess for another type');
  const m = b.mappingFor(list, 'Accordo');
  m.full_name = 2;
  assert.equal(list.saved.Accordo.full_name, 0, 'a copy: editing it keeps what was saved');
});
