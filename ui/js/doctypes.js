// The document-type editor of Impostazioni, free of the DOM so its rules are tested in Node: a type's
// name, IO dossier title, own support email and template (documents, the sample pages they were drawn on,
// signature fields on them), the limits the desk and the service apply (templates.rs, REFERENCE.md), and
// what "Salva" sends (edit_document_type).
import { CLAUSE_MAX, CLAUSE_MIN, CLAUSE_TYPES, DEFAULT_CLAUSE_TITLE, TITLE_MAX, TITLE_MIN, textLength } from './draft.js';
import { clampBox } from './geometry.js';

export const NAME_MAX = 60;
/** Most documents and fields a template holds (templates.rs). */
export const MAX_DOCUMENTS = 10;
export const MAX_FIELDS = 20;
/** Most pages a sample has: a template marks the pages fields are on, not the whole document. */
export const MAX_SAMPLE_PAGES = 20;
/** The sample page of a new template (points). */
export const A4 = Object.freeze({ width: 595.28, height: 841.89 });

/** A new field: the signer's box at the foot of the page, on the right. */
export function newField(page = 0, sample = A4) {
  return {
    page,
    ...clampBox({ x: sample.width - 250, y: sample.height - 122, w: 200, h: 60 }, sample),
    clause_type: 'REQUIRED',
    clause_title: DEFAULT_CLAUSE_TITLE,
  };
}

/** A new template document: one A4 page, the last of the document, with one field. */
export function newDocument() {
  return { title: '', pages: [{ ...A4 }], fields: [newField()], from_end: true };
}

const copy = (value) => JSON.parse(JSON.stringify(value));

/** The editor's state for an existing type (`document_types` row) or, with none, a new type. */
export function editorFor(type = null) {
  if (!type) {
    return { new: true, name: '', dossier_title: '', support_email: '', retention_years: '', has_template: true, documents: [newDocument()], active: 0, selected: 0 };
  }
  const documents = copy(type.template?.documents ?? []).map((d) => ({ ...d, from_end: Boolean(d.from_end) }));
  return {
    new: false,
    name: type.name,
    dossier_title: type.dossier_title,
    support_email: type.support_email ?? '',
    retention_years: type.retention_years == null ? '' : String(type.retention_years),
    has_template: documents.length > 0,
    documents: documents.length > 0 ? documents : [newDocument()],
    active: 0,
    selected: 0,
  };
}

/** Sets a document's sample to `count` pages (new ones copy the last one's size); fields on pages taken away move to the last. */
export function setPageCount(doc, count) {
  const n = Math.max(1, Math.min(MAX_SAMPLE_PAGES, Math.round(Number(count)) || 1));
  while (doc.pages.length < n) doc.pages.push({ ...doc.pages[doc.pages.length - 1] });
  doc.pages.length = n;
  for (const f of doc.fields) {
    if (f.page >= n) {
      f.page = n - 1;
      Object.assign(f, clampBox(f, doc.pages[f.page]));
    }
  }
  return n;
}

/** Moves or resizes a field to `box` (any of x, y, w, h), kept inside its page in whole points. */
export function placeField(doc, field, box) {
  Object.assign(field, clampBox({ ...field, ...box }, doc.pages[field.page] ?? A4));
}

/** Adds a field to the active document (on its last sample page); false at the limit. */
export function addField(editor) {
  const doc = editor.documents[editor.active];
  if (!doc || doc.fields.length >= MAX_FIELDS) return false;
  const page = doc.pages.length - 1;
  doc.fields.push(newField(page, doc.pages[page]));
  editor.selected = doc.fields.length - 1;
  return true;
}

/** Removes field `index` of the active document. */
export function removeField(editor, index) {
  const doc = editor.documents[editor.active];
  doc?.fields.splice(index, 1);
  editor.selected = Math.min(editor.selected, Math.max(0, (doc?.fields.length ?? 1) - 1));
}

/** Adds a document; false at the limit. */
export function addDocument(editor) {
  if (editor.documents.length >= MAX_DOCUMENTS) return false;
  editor.documents.push(newDocument());
  editor.active = editor.documents.length - 1;
  editor.selected = 0;
  return true;
}

/** Removes document `index` (one always stays: a template without documents is "no template"). */
export function removeDocument(editor, index) {
  if (editor.documents.length <= 1) return false;
  editor.documents.splice(index, 1);
  editor.active = Math.min(editor.active, editor.documents.length - 1);
  editor.selected = 0;
  return true;
}

/** The support email as profiles.rs `support_email_ok` checks it (what IO accepts): local part, a domain with a dot. */
export function emailOk(text) {
  const email = String(text ?? '').trim();
  const at = email.indexOf('@');
  if (at <= 0 || /\s/.test(email) || email.length > 254) return false;
  return email.slice(at + 1).split('.').filter((part) => part.length > 0).length >= 2;
}

const inside = (f, page) => page && f.x >= 0 && f.y >= 0 && f.w > 0 && f.h > 0 && f.x + f.w < page.width && f.y + f.h < page.height;

/**
 * What stops "Salva", as i18n keys with their arguments (`{ key, args }`), in the order of the form; `doc`
 * and `field` are 1-based for the clerk.
 */
export function editorProblems(editor) {
  const out = [];
  const name = textLength(editor.name);
  if (name === 0 || name > NAME_MAX) out.push({ key: 'types.problem_name', args: { max: NAME_MAX } });
  const title = textLength(editor.dossier_title);
  if (title < TITLE_MIN || title > TITLE_MAX) out.push({ key: 'types.problem_title', args: { min: TITLE_MIN, max: TITLE_MAX, count: title } });
  if (textLength(editor.support_email) > 0 && !emailOk(editor.support_email)) out.push({ key: 'types.problem_email', args: {} });
  if (retentionOf(editor) === undefined) out.push({ key: 'types.problem_retention', args: {} });
  if (!editor.has_template) return out;
  editor.documents.forEach((d, i) => {
    const doc = i + 1;
    const len = textLength(d.title);
    if (len !== 0 && (len < TITLE_MIN || len > TITLE_MAX)) out.push({ key: 'types.problem_document_title', args: { doc, min: TITLE_MIN, max: TITLE_MAX } });
    if (d.fields.length === 0 || d.fields.length > MAX_FIELDS) out.push({ key: 'types.problem_fields', args: { doc, max: MAX_FIELDS } });
    d.fields.forEach((f, j) => {
      const field = j + 1;
      if (!inside(f, d.pages[f.page])) out.push({ key: 'types.problem_outside', args: { doc, field } });
      if (!CLAUSE_TYPES.includes(f.clause_type)) out.push({ key: 'types.problem_clause_type', args: { doc, field } });
      const clause = textLength(f.clause_title);
      if (clause < CLAUSE_MIN || clause > CLAUSE_MAX) out.push({ key: 'types.problem_clause', args: { doc, field, min: CLAUSE_MIN, max: CLAUSE_MAX } });
    });
  });
  return out;
}

/** The retention period typed: null when empty, a whole number of years from 1 to 999, else undefined (wrong). */
export function retentionOf(editor) {
  const text = String(editor.retention_years ?? '').trim();
  if (text === '') return null;
  if (!/^[0-9]{1,3}$/.test(text)) return undefined;
  const years = Number(text);
  return years >= 1 && years <= 999 ? years : undefined;
}

/** What edit_document_type receives: trimmed, the template only when the type has one. */
export function editToSave(editor) {
  return {
    name: editor.name.trim(),
    dossier_title: editor.dossier_title.trim(),
    support_email: editor.support_email.trim(),
    retention_years: retentionOf(editor) ?? null,
    new: editor.new,
    template: editor.has_template
      ? {
        documents: editor.documents.map((d) => ({
          title: d.title.trim(),
          pages: d.pages.map((p) => ({ width: p.width, height: p.height })),
          fields: d.fields.map((f) => ({
            page: f.page, x: f.x, y: f.y, w: f.w, h: f.h, clause_type: f.clause_type, clause_title: f.clause_title.trim(),
          })),
          from_end: d.from_end,
        })),
      }
      : null,
  };
}
