// The new request being prepared: its data, its rules and the payload "Richiedi firma" sends. Pure
// functions over a plain object, so the form's rules are tested in Node and the form keeps nothing that
// is not here (navigating away and back, or a re-render, loses nothing).
import { defaultDeadline, isPastDate, parseIsoDate } from './format.js';
import { clampBox, fitsPage } from './geometry.js';

export const TITLE_MIN = 3;
export const TITLE_MAX = 60;
export const CLAUSE_MIN = 5;
export const CLAUSE_MAX = 80;
export const CLAUSE_TYPES = Object.freeze(['REQUIRED', 'UNFAIR', 'OPTIONAL']);
export const DELIVERIES = Object.freeze(['io_message', 'qr_only']);
/** Pre-filled clause title. It is the citizen's text in the IO app, so it is Italian whatever the UI language. */
export const DEFAULT_CLAUSE_TITLE = 'Firma per accettazione';

/** The protocol data of a new draft: nothing typed. */
export function emptyProtocol() {
  return { number: '', date: '', register: '', classification: '', fascicolo: '', reserved: false };
}

/** The protocol data to send with the request, or null when nothing was typed. */
export function protocolOf(draft) {
  const p = draft.protocol;
  if (!p) return null;
  const text = (v) => String(v ?? '').trim();
  const typed = ['number', 'date', 'register', 'classification', 'fascicolo'].some((f) => text(p[f]) !== '') || p.reserved === true;
  if (!typed) return null;
  return {
    number: text(p.number),
    date: text(p.date) || null,
    register: text(p.register),
    classification: text(p.classification),
    fascicolo: text(p.fascicolo),
    reserved: p.reserved === true,
  };
}

/** An empty draft; the deadline defaults to today + 90 days. */
export function createDraft(now = new Date()) {
  return {
    document_type: '',
    title: '',
    // False while the request title is the one FirmaDesk proposes (see `proposeTitle`); true once typed.
    title_typed: false,
    signer_name: '',
    fiscal_code: '',
    // Last answer of check_fiscal_code, with the text it was about: a stale answer never validates.
    cf: null,
    // The code and name whose letter mismatch the clerk confirmed ("the code is right for this signer").
    cf_confirmed: null,
    // "Correggi e reinvia": the request this draft replaces; `reopened` says where the draft came from.
    replaces: null,
    reopened: null,
    expires_at: defaultDeadline(now),
    delivery: 'io_message',
    // Protocol data typed before sending (issue #14), all optional.
    protocol: emptyProtocol(),
    documents: [],
    importing: [],
    pdf_errors: [],
    // Placement editor state.
    active: 0,
    page: 0,
    zoom: 1,
    selected: null,
    next_id: 1,
  };
}

/** Length as the service counts it (UTF-16 units, like JavaScript strings) after trimming. */
export const textLength = (s) => String(s ?? '').trim().length;

export const titleOk = (s) => textLength(s) >= TITLE_MIN && textLength(s) <= TITLE_MAX;
export const clauseTitleOk = (s) => textLength(s) >= CLAUSE_MIN && textLength(s) <= CLAUSE_MAX;

/** A document title from a file name: no extension, underscores as spaces, at most 60 characters. */
export function titleFromFileName(name) {
  return String(name ?? '')
    .replace(/\.pdf$/i, '')
    .replace(/[_]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, TITLE_MAX)
    .trim();
}

/** Cuts a title to TITLE_MAX characters at a word boundary where there is one. */
function cut(text) {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  if (chars.length <= TITLE_MAX) return chars.join('');
  const head = chars.slice(0, TITLE_MAX).join('');
  const space = head.lastIndexOf(' ');
  return (space >= TITLE_MIN ? head.slice(0, space) : head).trim();
}

/**
 * The request title proposed while the clerk has typed none: the document type and the first document's
 * title ("Accordo – Contratto di locazione"; the document's title alone when it already starts with the
 * type), at most 60 characters; empty until there is a document type.
 */
export function proposedTitle(draft) {
  const type = String(draft.document_type ?? '').trim();
  const doc = String(draft.documents[0]?.title ?? '').trim();
  if (!type) return '';
  if (!doc) return cut(type);
  if (doc.toLowerCase().startsWith(type.toLowerCase())) return cut(doc);
  return cut(`${type} – ${doc}`);
}

/**
 * Puts the proposed title in the draft unless the clerk typed one; returns true when the title changed.
 * Clearing the field gives the proposal back.
 */
export function proposeTitle(draft) {
  if (draft.title_typed && draft.title.trim() !== '') return false;
  draft.title_typed = false;
  const proposal = proposedTitle(draft);
  if (proposal === draft.title) return false;
  draft.title = proposal;
  return true;
}

/**
 * Adds an imported PDF (import_pdf's answer) to the draft; returns the new document. Its title comes from
 * the file name, or `fallbackTitle` when the name gives less than 3 characters.
 */
export function addDocument(draft, imported, fallbackTitle = '') {
  const fromName = titleFromFileName(imported.name);
  const doc = {
    key: `d${draft.next_id++}`,
    doc_id: imported.doc_id,
    name: imported.name,
    size: imported.size,
    pages: imported.pages,
    signature_fields: imported.signature_fields ?? [],
    findings: imported.findings ?? [],
    service_accepts: imported.service_accepts !== false,
    // The PDF/A level it declares (null: none; undefined: a draft kept before the check existed).
    pdfa: imported.pdfa,
    title: textLength(fromName) >= TITLE_MIN || !fallbackTitle ? fromName : cut(fallbackTitle),
    fields: [],
  };
  draft.documents.push(doc);
  return doc;
}

/** Removes a document and fixes the editor's selection. */
export function removeDocument(draft, key) {
  const index = draft.documents.findIndex((d) => d.key === key);
  if (index < 0) return;
  draft.documents.splice(index, 1);
  if (draft.active >= draft.documents.length) draft.active = Math.max(0, draft.documents.length - 1);
  else if (draft.active > index) draft.active -= 1;
  draft.page = 0;
  draft.selected = null;
}

/** The document being edited, if any. */
export const activeDocument = (draft) => draft.documents[draft.active] ?? null;

/** Adds a field (box in points) on a page of a document; it becomes the selection. */
export function addField(draft, doc, page, box, source = null) {
  const field = {
    id: `f${draft.next_id++}`,
    page,
    ...clampBox(box, doc.pages[page]),
    clause_type: 'REQUIRED',
    clause_title: DEFAULT_CLAUSE_TITLE,
    source,
  };
  doc.fields.push(field);
  draft.selected = field.id;
  return field;
}

/** Finds a field by id in a document. */
export const fieldById = (doc, id) => doc?.fields.find((f) => f.id === id) ?? null;

/** Removes a field; returns true if it was there. */
export function removeField(draft, doc, id) {
  const index = doc.fields.findIndex((f) => f.id === id);
  if (index < 0) return false;
  doc.fields.splice(index, 1);
  if (draft.selected === id) draft.selected = null;
  return true;
}

/** True when the latest fiscal-code check is about the text in the field and said valid. */
export function fiscalCodeOk(draft) {
  const typed = String(draft.fiscal_code ?? '').trim().toUpperCase();
  return Boolean(draft.cf && draft.cf.code === typed && draft.cf.result?.valid);
}

/**
 * True when the code's letters do not fit the typed name and the clerk has not yet confirmed this code for
 * this name: a warning to confirm, not a block (married or foreign names, registry spellings differ).
 */
export function nameMismatchUnconfirmed(draft) {
  if (!fiscalCodeOk(draft)) return false;
  const name = String(draft.signer_name ?? '').trim();
  if (draft.cf.name !== name || draft.cf.result.name_match !== false) return false;
  const ok = draft.cf_confirmed;
  return !(ok && ok.code === draft.cf.code && ok.name === name);
}

/** True when a document has findings that make the service refuse it. */
export const documentBlocked = (doc) =>
  !doc.service_accepts || doc.findings.some((f) => f.severity === 'error');

/**
 * What still stops "Richiedi firma", as i18n keys under `new.problems.` in display order; empty when the
 * draft can be sent.
 */
export function problems(draft, now = new Date()) {
  const out = [];
  if (!draft.document_type) out.push('document_type');
  if (!titleOk(draft.title)) out.push('title');
  if (!String(draft.signer_name ?? '').trim()) out.push('signer_name');
  if (!fiscalCodeOk(draft)) out.push('fiscal_code');
  if (nameMismatchUnconfirmed(draft)) out.push('fiscal_code_name');
  if (draft.expires_at && (!parseIsoDate(draft.expires_at) || isPastDate(draft.expires_at, now))) out.push('expires_at');
  if (!DELIVERIES.includes(draft.delivery)) out.push('delivery');
  if (draft.importing.length > 0) out.push('importing');
  if (draft.documents.length === 0) {
    out.push('documents');
  } else {
    const docs = draft.documents;
    if (docs.some((d) => !titleOk(d.title))) out.push('doc_title');
    if (docs.some(documentBlocked)) out.push('doc_errors');
    const fields = docs.flatMap((d) => d.fields);
    if (fields.length === 0) out.push('fields');
    if (fields.some((f) => !clauseTitleOk(f.clause_title))) out.push('clause_title');
    if (fields.some((f) => !CLAUSE_TYPES.includes(f.clause_type))) out.push('clause_type');
    // The service refuses a document whose fields are all optional.
    if (docs.some((d) => d.fields.length > 0 && d.fields.every((f) => f.clause_type === 'OPTIONAL'))) {
      out.push('optional_only');
    }
    if (docs.some((d) => d.fields.some((f) => !d.pages[f.page] || !fitsPage(f, d.pages[f.page])))) {
      out.push('field_bounds');
    }
  }
  return out;
}

/** The `draft` argument of submit_request. */
export function toSubmission(draft) {
  return {
    document_type: draft.document_type,
    signer_name: draft.signer_name.trim(),
    fiscal_code: draft.cf?.result?.normalized || draft.fiscal_code.trim().toUpperCase(),
    title: draft.title.trim(),
    expires_at: draft.expires_at ? draft.expires_at : null,
    delivery: draft.delivery,
    documents: draft.documents.map((d) => ({
      doc_id: d.doc_id,
      title: d.title.trim(),
      fields: d.fields.map((f) => ({
        page: f.page,
        x: f.x,
        y: f.y,
        w: f.w,
        h: f.h,
        clause_type: f.clause_type,
        clause_title: f.clause_title.trim(),
      })),
    })),
    replaces: draft.replaces ?? null,
    protocol: protocolOf(draft),
  };
}

/** Whether the clerk typed or added anything a new draft would lose. */
export function draftHasContent(draft) {
  if (!draft) return false;
  return draft.documents.length > 0 || draft.importing.length > 0 || String(draft.signer_name).trim() !== ''
    || String(draft.fiscal_code).trim() !== '' || (draft.title_typed && String(draft.title).trim() !== '');
}

/** "Salva come modello": the draft's documents that have fields, with their titles, pages and fields. */
export function templateFromDraft(draft) {
  return {
    documents: draft.documents.filter((d) => d.fields.length > 0).map((d) => ({
      title: d.title.trim(),
      pages: d.pages.map((p) => ({ width: p.width, height: p.height })),
      fields: d.fields.map((f) => ({
        page: f.page, x: f.x, y: f.y, w: f.w, h: f.h, clause_type: f.clause_type, clause_title: f.clause_title.trim(),
      })),
    })),
  };
}

/**
 * Gives a document with no fields yet the title and fields of a template's document. A field on a page the
 * PDF does not have is left out; one that no longer fits its page is moved inside it; a page of another
 * size or another page count is said too. Returns (and keeps on `doc.template_notes`) what the clerk
 * should look at: `{ problem: 'missing_page' | 'moved' | 'other_size', clause_title, page }` or
 * `{ problem: 'page_count', expected, actual }`.
 */
export function applyTemplate(draft, doc, tdoc) {
  const notes = [];
  if (tdoc.title) doc.title = tdoc.title;
  // `from_end`: the sample's pages are the document's last ones (signatures at the end of any length).
  const shift = tdoc.from_end ? doc.pages.length - (tdoc.pages?.length ?? 0) : 0;
  for (const f of tdoc.fields ?? []) {
    const at = f.page + shift;
    const page = at >= 0 ? doc.pages[at] : undefined;
    if (!page) {
      notes.push({ problem: 'missing_page', clause_title: f.clause_title, page: at >= 0 ? at : f.page });
      continue;
    }
    const field = addField(draft, doc, at, { x: f.x, y: f.y, w: f.w, h: f.h });
    field.clause_type = f.clause_type;
    field.clause_title = f.clause_title;
    const sample = tdoc.pages?.[f.page];
    const moved = [['x', 'x'], ['y', 'y'], ['w', 'w'], ['h', 'h']].some(([a, b]) => Math.abs(field[a] - f[b]) > 0.01);
    const otherSize = sample && (Math.abs(sample.width - page.width) > 1 || Math.abs(sample.height - page.height) > 1);
    if (moved) notes.push({ problem: 'moved', clause_title: f.clause_title, page: at });
    else if (otherSize) notes.push({ problem: 'other_size', clause_title: f.clause_title, page: at });
  }
  if (!tdoc.from_end && tdoc.pages && tdoc.pages.length !== doc.pages.length) {
    notes.push({ problem: 'page_count', expected: tdoc.pages.length, actual: doc.pages.length });
  }
  doc.template_notes = notes;
  draft.selected = null;
  return notes;
}

/** What an `applyTemplate` note says, in the clerk's language (`t` is i18n's; pages counted from 1). */
export function templateNoteText(t, n) {
  return t(`new.template_${n.problem}`, { clause: n.clause_title ?? '', page: (n.page ?? 0) + 1, expected: n.expected ?? 0, actual: n.actual ?? 0 });
}

/**
 * Applies the chosen type's template to the draft's documents that have no fields yet, in order (the first
 * PDF gets the template's first document). Returns how many documents got fields.
 */
export function applyTypeTemplate(draft, docTypes) {
  const template = (docTypes ?? []).find((t) => t.name === draft.document_type)?.template;
  if (!template?.documents?.length) return 0;
  let applied = 0;
  draft.documents.forEach((doc, i) => {
    const tdoc = template.documents[i];
    if (tdoc && doc.fields.length === 0 && !doc.template_notes) {
      applyTemplate(draft, doc, tdoc);
      applied += 1;
    }
  });
  return applied;
}

/** What keep_draft keeps of a draft: null when there is nothing to lose; never what is in flight. */
export function draftToKeep(draft) {
  if (!draftHasContent(draft)) return null;
  const { importing, pdf_errors, cf, ...kept } = draft;
  return kept;
}

/**
 * The draft of the last run back (kept_draft's answer): the form as it was, without the PDFs no longer kept
 * (`missing_documents` names them for the form to say so).
 */
export function restoreKeptDraft(answer, now = new Date()) {
  const draft = { ...createDraft(now), ...(answer?.draft ?? {}) };
  const missing = new Set(answer?.missing ?? []);
  draft.documents = (draft.documents ?? []).filter((d) => !missing.has(d.doc_id));
  draft.missing_documents = (answer?.draft?.documents ?? []).filter((d) => missing.has(d.doc_id)).map((d) => d.name);
  draft.importing = [];
  draft.pdf_errors = [];
  draft.cf = null;
  draft.active = Math.min(draft.active ?? 0, Math.max(0, draft.documents.length - 1));
  draft.page = 0;
  draft.selected = null;
  return draft;
}

/**
 * A new draft from reopen_request's answer: "Correggi e reinvia" (`fix`: everything typed, linked to the
 * request it replaces), "Duplica" (`duplicate`), "Nuova richiesta per lo stesso firmatario"
 * (`same_signer`). `reopened` (mode, the request it comes from, why it stopped, documents no longer kept)
 * stays on the draft for the form's banner.
 */
export function draftFromReopened(answer, now = new Date()) {
  const draft = createDraft(now);
  draft.document_type = answer.document_type ?? '';
  draft.title = answer.title ?? '';
  draft.title_typed = draft.title.trim() !== '';
  draft.signer_name = answer.signer_name ?? '';
  draft.fiscal_code = answer.fiscal_code ?? '';
  if (DELIVERIES.includes(answer.delivery)) draft.delivery = answer.delivery;
  if (answer.expires_at) draft.expires_at = answer.expires_at;
  for (const d of answer.documents ?? []) {
    const doc = addDocument(draft, d.imported);
    doc.title = d.title;
    for (const f of d.fields ?? []) {
      if (!doc.pages[f.page]) continue;
      const field = addField(draft, doc, f.page, { x: f.x, y: f.y, w: f.w, h: f.h });
      field.clause_type = f.clause_type;
      field.clause_title = f.clause_title;
    }
  }
  draft.selected = null;
  draft.replaces = answer.mode === 'fix' ? answer.from : null;
  draft.reopened = {
    mode: answer.mode, from: answer.from, from_title: answer.from_title, reason: answer.reason ?? null,
    missing: answer.missing ?? [],
  };
  return draft;
}
