// The new-request form's rules: when "Richiedi firma" is allowed and what it sends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as d from '../js/draft.js';

const NOW = new Date(2025, 5, 10, 12, 0);
const imported = (name = 'Accordo_quadro.pdf') => ({
  doc_id: 'a'.repeat(64),
  name,
  size: 1234,
  pages: [{ width: 595.28, height: 841.89 }, { width: 612, height: 792 }],
  signature_fields: [{ name: 'Firma1', page: 1, x: 50, y: 700, w: 200, h: 60, signed: false }],
  findings: [],
  service_accepts: true,
});

function ready() {
  const draft = d.createDraft(NOW);
  draft.document_type = 'Accordo';
  draft.title = 'Accordo quadro 2025';
  draft.signer_name = 'Mario Rossi';
  draft.fiscal_code = 'rssmra80a01h501u';
  draft.cf = { code: 'RSSMRA80A01H501U', result: { valid: true, normalized: 'RSSMRA80A01H501U' } };
  const doc = d.addDocument(draft, imported());
  d.addField(draft, doc, 0, { x: 100, y: 700, w: 150, h: 50 });
  return { draft, doc };
}

test('a new draft expires in 90 days, is sent by IO message and cannot be sent yet', () => {
  const draft = d.createDraft(NOW);
  assert.equal(draft.expires_at, '2025-09-08');
  assert.equal(draft.delivery, 'io_message');
  assert.deepEqual(d.problems(draft, NOW), ['document_type', 'title', 'signer_name', 'fiscal_code', 'documents']);
});

test('a complete draft has no problems', () => {
  const { draft } = ready();
  assert.deepEqual(d.problems(draft, NOW), []);
});

test('each rule of the brief blocks sending on its own', () => {
  const cases = {
    fiscal_code: (draft) => { draft.cf.result = { valid: false, message: 'Carattere di controllo errato' }; },
    title: (draft) => { draft.title = 'ab'; },
    documents: (draft) => { d.removeDocument(draft, draft.documents[0].key); },
    fields: (draft, doc) => { doc.fields.length = 0; },
    clause_title: (draft, doc) => { doc.fields[0].clause_title = 'Fir'; },
    doc_title: (draft, doc) => { doc.title = 'x'.repeat(61); },
    optional_only: (draft, doc) => { doc.fields[0].clause_type = 'OPTIONAL'; },
    expires_at: (draft) => { draft.expires_at = '2025-06-09'; },
    doc_errors: (draft, doc) => { doc.findings.push({ code: 'x', severity: 'error', message: 'no' }); },
    signer_name: (draft) => { draft.signer_name = '   '; },
  };
  for (const [problem, spoil] of Object.entries(cases)) {
    const { draft, doc } = ready();
    spoil(draft, doc);
    assert.ok(d.problems(draft, NOW).includes(problem), `${problem} not reported`);
  }
});

test('a code whose letters do not fit the name must be confirmed for that code and name', () => {
  const { draft } = ready();
  draft.cf = { code: 'RSSMRA80A01H501U', name: 'Mario Rossi', result: { valid: true, name_match: false } };
  assert.deepEqual(d.problems(draft, NOW), ['fiscal_code_name']);
  draft.cf_confirmed = { code: 'RSSMRA80A01H501U', name: 'Mario Rossi' };
  assert.deepEqual(d.problems(draft, NOW), [], 'confirmed: a warning, not a block');
  // Another name (an answer about it not yet in) or another code asks again.
  draft.signer_name = 'Maria Rossi';
  draft.cf = { code: 'RSSMRA80A01H501U', name: 'Maria Rossi', result: { valid: true, name_match: false } };
  assert.deepEqual(d.problems(draft, NOW), ['fiscal_code_name']);
  draft.cf.result.name_match = true;
  assert.deepEqual(d.problems(draft, NOW), [], 'letters that fit need no confirmation');
});

test('a fiscal-code answer about other text never validates the field', () => {
  const { draft } = ready();
  draft.fiscal_code = 'RSSMRA80A01H501';
  assert.equal(d.fiscalCodeOk(draft), false);
  assert.ok(d.problems(draft, NOW).includes('fiscal_code'));
});

test('titles count 3..60 characters after trimming, clause titles 5..80', () => {
  assert.equal(d.titleOk('  ab  '), false);
  assert.equal(d.titleOk('abc'), true);
  assert.equal(d.titleOk('x'.repeat(60)), true);
  assert.equal(d.titleOk('x'.repeat(61)), false);
  assert.equal(d.clauseTitleOk('Firma'), true);
  assert.equal(d.clauseTitleOk('Firm'), false);
  assert.equal(d.clauseTitleOk('x'.repeat(81)), false);
});

test('an empty deadline is allowed (the service default applies) and sent as null', () => {
  const { draft } = ready();
  draft.expires_at = '';
  assert.deepEqual(d.problems(draft, NOW), []);
  assert.equal(d.toSubmission(draft).expires_at, null);
});

test('the document title comes from the file name', () => {
  assert.equal(d.titleFromFileName('Accordo_quadro  2025.PDF'), 'Accordo quadro 2025');
  assert.equal(d.titleFromFileName(`${'a'.repeat(70)}.pdf`).length, 60);
});

test('the submission has the backend contract shape, trimmed, with the normalized fiscal code', () => {
  const { draft, doc } = ready();
  draft.signer_name = ' Mario Rossi ';
  doc.fields[0].clause_title = ' Firma del contratto ';
  assert.deepEqual(d.toSubmission(draft), {
    document_type: 'Accordo',
    signer_name: 'Mario Rossi',
    fiscal_code: 'RSSMRA80A01H501U',
    title: 'Accordo quadro 2025',
    expires_at: '2025-09-08',
    delivery: 'io_message',
    documents: [{
      doc_id: 'a'.repeat(64),
      title: 'Accordo quadro',
      fields: [{ page: 0, x: 100, y: 700, w: 150, h: 50, clause_type: 'REQUIRED', clause_title: 'Firma del contratto' }],
    }],
    replaces: null,
    protocol: null,
  });
});

test('protocol data typed before sending goes with the request, trimmed; nothing typed sends none', () => {
  const { draft } = ready();
  assert.equal(d.toSubmission(draft).protocol, null);
  draft.protocol.register = '   ';
  assert.equal(d.protocolOf(draft), null, 'blanks are nothing');
  draft.protocol.number = ' 2026/0000777 ';
  draft.protocol.date = '2026-12-01';
  assert.deepEqual(d.toSubmission(draft).protocol, {
    number: '2026/0000777', date: '2026-12-01', register: '', classification: '', fascicolo: '', reserved: false,
  });
  const onlyReserved = { ...draft, protocol: { ...d.emptyProtocol(), reserved: true } };
  assert.equal(d.protocolOf(onlyReserved).reserved, true);
  assert.equal(d.protocolOf({ ...draft, protocol: undefined }), null, 'a draft kept before protocol data');
});

test('fields are clamped to the page when added; removing a document fixes the selection', () => {
  const { draft, doc } = ready();
  const f = d.addField(draft, doc, 1, { x: 600, y: 780, w: 150, h: 50 });
  assert.deepEqual([f.x, f.y, f.w, f.h], [461, 741, 150, 50]);
  assert.equal(draft.selected, f.id);
  assert.equal(d.removeField(draft, doc, f.id), true);
  assert.equal(draft.selected, null);
  const second = d.addDocument(draft, imported('Allegato.pdf'));
  draft.active = 1;
  d.removeDocument(draft, doc.key);
  assert.equal(draft.active, 0);
  assert.equal(d.activeDocument(draft), second);
});

test('the request title is proposed from the document type and the first document until typed', () => {
  const draft = d.createDraft(NOW);
  assert.equal(d.proposeTitle(draft), false, 'nothing to propose without a document type');
  draft.document_type = 'Accordo';
  assert.equal(d.proposeTitle(draft), true);
  assert.equal(draft.title, 'Accordo');
  d.addDocument(draft, imported('Contratto_di_locazione.pdf'));
  d.proposeTitle(draft);
  assert.equal(draft.title, 'Accordo – Contratto di locazione');
  draft.documents[0].title = 'accordo quadro 2025';
  d.proposeTitle(draft);
  assert.equal(draft.title, 'accordo quadro 2025', 'the type is not said twice');
  draft.documents[0].title = 'Un titolo di documento molto lungo scritto dal funzionario comunale';
  d.proposeTitle(draft);
  assert.ok(d.titleOk(draft.title), draft.title);
  assert.equal(draft.title, 'Accordo – Un titolo di documento molto lungo scritto dal');
  // Typed by the clerk: kept whatever changes; emptied: proposed again.
  draft.title = 'Il mio titolo';
  draft.title_typed = true;
  draft.document_type = 'Modulo';
  assert.equal(d.proposeTitle(draft), false);
  assert.equal(draft.title, 'Il mio titolo');
  draft.title = '  ';
  assert.equal(d.proposeTitle(draft), true);
  assert.ok(draft.title.startsWith('Modulo – '));
});

test('the four steps alone make a draft that can be sent', () => {
  const draft = d.createDraft(NOW);
  draft.document_type = 'Accordo';
  draft.signer_name = 'Mario Rossi';
  draft.fiscal_code = 'RSSMRA80A01H501U';
  draft.cf = { code: 'RSSMRA80A01H501U', name: 'Mario Rossi', result: { valid: true, name_match: true } };
  const doc = d.addDocument(draft, imported('a.pdf'), 'Documento 1');
  assert.equal(doc.title, 'Documento 1', 'a file name too short for a title gives the fallback');
  d.addField(draft, doc, 0, { x: 100, y: 700, w: 150, h: 50 });
  d.proposeTitle(draft);
  assert.deepEqual(d.problems(draft, NOW), []);
});

test('a request reopened to fix it comes back whole, linked to the one it replaces', () => {
  const answer = {
    mode: 'fix', from: '01OLD', from_title: 'Accordo quadro', reason: 'Campo di firma fuori dalla pagina',
    document_type: 'Accordo', title: 'Accordo quadro', signer_name: 'Mario Rossi', fiscal_code: 'RSSMRA80A01H501U',
    delivery: 'qr_only', expires_at: '2025-07-01', missing: [],
    documents: [{ imported: imported('Accordo_quadro.pdf'), title: 'Accordo quadro firmato',
      fields: [{ page: 0, x: 100, y: 700, w: 150, h: 50, clause_type: 'UNFAIR', clause_title: 'Clausola vessatoria' },
        { page: 9, x: 1, y: 1, w: 10, h: 10, clause_type: 'REQUIRED', clause_title: 'Pagina che non esiste' }] }],
  };
  const draft = d.draftFromReopened(answer, NOW);
  assert.equal(draft.replaces, '01OLD');
  assert.equal(draft.reopened.reason, 'Campo di firma fuori dalla pagina');
  assert.equal(draft.delivery, 'qr_only');
  assert.equal(draft.expires_at, '2025-07-01');
  assert.equal(draft.title_typed, true, 'the title typed before is kept, not proposed again');
  assert.equal(draft.documents[0].title, 'Accordo quadro firmato');
  assert.deepEqual(draft.documents[0].fields.map((f) => [f.page, f.clause_type, f.clause_title]),
    [[0, 'UNFAIR', 'Clausola vessatoria']], 'a field on a page the PDF does not have is dropped');
  const sent = d.toSubmission({ ...draft, cf: { code: 'RSSMRA80A01H501U', result: { valid: true, normalized: 'RSSMRA80A01H501U' } } });
  assert.equal(sent.replaces, '01OLD');
  // A duplicate is a new request of its own; the same signer brings the signer alone.
  assert.equal(d.draftFromReopened({ ...answer, mode: 'duplicate' }, NOW).replaces, null);
  const same = d.draftFromReopened({ ...answer, mode: 'same_signer', document_type: '', title: '', documents: [] }, NOW);
  assert.deepEqual([same.signer_name, same.documents.length, same.title_typed], ['Mario Rossi', 0, false]);
});

test('a draft is kept without what is in flight and comes back without the PDFs no longer kept', () => {
  assert.equal(d.draftToKeep(d.createDraft(NOW)), null, 'nothing typed, nothing kept');
  const { draft } = ready();
  d.addDocument(draft, { ...imported('Allegato.pdf'), doc_id: 'b'.repeat(64) });
  draft.importing.push('in-arrivo.pdf');
  draft.pdf_errors.push('un errore');
  const kept = JSON.parse(JSON.stringify(d.draftToKeep(draft)));
  assert.ok(!('importing' in kept) && !('pdf_errors' in kept) && !('cf' in kept), Object.keys(kept).join());
  assert.equal(kept.signer_name, 'Mario Rossi');
  const back = d.restoreKeptDraft({ draft: kept, missing: ['b'.repeat(64)] }, NOW);
  assert.deepEqual(back.documents.map((x) => x.name), ['Accordo_quadro.pdf']);
  assert.deepEqual(back.missing_documents, ['Allegato.pdf']);
  assert.equal(back.cf, null, 'the fiscal code is checked again');
  assert.deepEqual(back.importing, []);
  assert.equal(back.documents[0].fields.length, 1);
  assert.equal(back.title, 'Accordo quadro 2025');
});

test('a template keeps the drawn fields and gives them back to a PDF of the type, saying what differs', () => {
  const { draft } = ready();
  draft.documents[0].fields[0].clause_title = 'Firma del contratto ';
  const template = d.templateFromDraft(draft);
  assert.deepEqual(template.documents[0].fields.map((f) => [f.page, f.x, f.clause_title]), [[0, 100, 'Firma del contratto']]);
  assert.deepEqual(template.documents[0].pages[0], { width: 595.28, height: 841.89 });
  const types = [{ name: 'Accordo', dossier_title: 'Accordo', template }];

  // The same shape: the field comes back where it was, nothing to say.
  const next = d.createDraft(NOW);
  next.document_type = 'Accordo';
  d.addDocument(next, imported());
  assert.equal(d.applyTypeTemplate(next, types), 1);
  assert.deepEqual(next.documents[0].fields.map((f) => [f.page, f.x, f.y, f.clause_title]), [[0, 100, 700, 'Firma del contratto']]);
  assert.deepEqual(next.documents[0].template_notes, []);
  assert.equal(d.applyTypeTemplate(next, types), 0, 'applied once');

  // A smaller page and one page less: the field is moved inside, a field on a missing page is named.
  const other = d.createDraft(NOW);
  other.document_type = 'Accordo';
  template.documents[0].fields.push({ page: 1, x: 10, y: 10, w: 100, h: 40, clause_type: 'OPTIONAL', clause_title: 'Clausola di pagina due' });
  template.documents[0].pages.push({ width: 612, height: 792 });
  d.addDocument(other, { ...imported(), pages: [{ width: 400, height: 500 }] });
  d.applyTypeTemplate(other, types);
  const notes = other.documents[0].template_notes.map((n) => n.problem);
  assert.deepEqual(notes, ['moved', 'missing_page', 'page_count'], JSON.stringify(other.documents[0].template_notes));
  const [f] = other.documents[0].fields;
  assert.ok(f.x + f.w <= 400 && f.y + f.h <= 500, JSON.stringify(f));
});

test('a template drawn on the last page puts its fields on the last page of a PDF of any length', () => {
  const tdoc = {
    title: '',
    pages: [{ width: 595.28, height: 841.89 }],
    fields: [{ page: 0, x: 345, y: 720, w: 200, h: 60, clause_type: 'REQUIRED', clause_title: "Firma per accettazione dell'accordo" }],
    from_end: true,
  };
  const types = [{ name: 'Accordo', dossier_title: 'Accordo', template: { documents: [tdoc] } }];
  for (const count of [1, 2, 5]) {
    const draft = d.createDraft(NOW);
    draft.document_type = 'Accordo';
    d.addDocument(draft, { ...imported(), pages: Array.from({ length: count }, () => ({ width: 595.28, height: 841.89 })) });
    assert.equal(d.applyTypeTemplate(draft, types), 1);
    const doc = draft.documents[0];
    assert.deepEqual(doc.fields.map((f) => [f.page, f.x, f.y]), [[count - 1, 345, 720]], `${count} pages`);
    assert.deepEqual(doc.template_notes, [], 'another length is what from_end is for');
    assert.equal(doc.title, 'Accordo quadro', 'an empty template title keeps the one from the file');
  }
  // Two sample pages on a one-page PDF: the field of the page it lacks is named.
  tdoc.pages.unshift({ width: 595.28, height: 841.89 });
  tdoc.fields[0].page = 1;
  tdoc.fields.push({ page: 0, x: 50, y: 50, w: 100, h: 40, clause_type: 'OPTIONAL', clause_title: 'Clausola della penultima' });
  const short = d.createDraft(NOW);
  short.document_type = 'Accordo';
  d.addDocument(short, { ...imported(), pages: [{ width: 595.28, height: 841.89 }] });
  d.applyTypeTemplate(short, types);
  assert.deepEqual(short.documents[0].fields.map((f) => f.page), [0]);
  assert.deepEqual(short.documents[0].template_notes.map((n) => n.problem), ['missing_page']);
});
