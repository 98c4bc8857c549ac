// "Invio da elenco": the list as read (bulk_read), the columns the clerk confirms, the rows corrected in
// place, the document for all and the template's fields on it, and which rows of the dry run's report are
// shown. Pure functions over plain objects, tested in Node.
import { addDocument, applyTypeTemplate, createDraft } from './draft.js';

/** The roles a column can have, in the order the form shows them. */
export const ROLES = Object.freeze(['full_name', 'name', 'surname', 'fiscal_code', 'email', 'pdf', 'protocol']);

/** Most report rows drawn at once (the rest are counted and reached by the filter or the CSV report). */
export const SHOWN_ROWS = 200;

/** What stops the check, as i18n keys: a fiscal-code column, and a name (whole, or name and surname). */
export function mappingProblems(mapping) {
  const out = [];
  if (mapping?.fiscal_code == null) out.push('bulk.problem_no_code');
  if (mapping?.full_name == null && mapping?.name == null && mapping?.surname == null) out.push('bulk.problem_no_name');
  return out;
}

/** Sets column `role` to `column` (a number, or null for none); a column has one role at most. */
export function setRole(mapping, role, column) {
  const next = { ...mapping };
  if (column != null) for (const r of ROLES) if (next[r] === column) next[r] = null;
  next[role] = column;
  return next;
}

/** The row of `list` at spreadsheet line `line`. */
export const rowAt = (list, line) => list.rows.find((r) => r.line === line) ?? null;

/**
 * The cells a correction edits, for the row at `line`: the name's (whole, or name and surname) and the fiscal
 * code's, as `[{ role, column, value }]`.
 */
export function editableCells(list, mapping, line) {
  const row = rowAt(list, line);
  if (!row) return [];
  const roles = mapping.full_name != null && mapping.name == null && mapping.surname == null
    ? ['full_name', 'fiscal_code']
    : ['name', 'surname', 'fiscal_code'];
  return roles.filter((role) => mapping[role] != null).map((role) => ({ role, column: mapping[role], value: row.cells[mapping[role]] ?? '' }));
}

/** Writes a corrected value into the list (the row at `line`, `column`); false when there is no such cell. */
export function setCell(list, line, column, value) {
  const row = rowAt(list, line);
  if (!row || column < 0 || column >= list.headers.length) return false;
  row.cells[column] = String(value ?? '').trim();
  return true;
}

/** The report rows a filter shows (`problems`: errors then warnings; `errors`; `all`), at most SHOWN_ROWS. */
export function shownRows(report, filter) {
  const rows = report?.rows ?? [];
  let chosen;
  if (filter === 'all') chosen = rows;
  else if (filter === 'errors') chosen = rows.filter((r) => r.outcome === 'error');
  else chosen = [...rows.filter((r) => r.outcome === 'error'), ...rows.filter((r) => r.outcome === 'warning')];
  return { rows: chosen.slice(0, SHOWN_ROWS), hidden: Math.max(0, chosen.length - SHOWN_ROWS) };
}

/** What bulk_check and bulk_report receive. */
export function checkInput(list, mapping, documentType, pdfDir) {
  return { headers: list.headers, rows: list.rows, mapping, document_type: documentType, pdf_dir: pdfDir || null };
}

/**
 * The document every row gets (import_pdf's answer) as the chosen type's template places its fields on it:
 * `{ name, pages, accepted, error, fields: [{ page, clause_title, clause_type }], notes }` — `error` the
 * first finding that stops it, `notes` what differs from the template (draft.js applyTemplate's notes).
 */
export function sharedDocument(imported, docTypes, documentType) {
  const draft = createDraft();
  draft.document_type = documentType;
  const doc = addDocument(draft, imported);
  applyTypeTemplate(draft, docTypes);
  const error = (imported.findings ?? []).find((f) => f.severity === 'error');
  return {
    name: imported.name,
    pages: imported.pages.length,
    accepted: imported.service_accepts !== false && !error,
    error: error?.message ?? null,
    fields: doc.fields.map((f) => ({ page: f.page, clause_title: f.clause_title, clause_type: f.clause_type })),
    notes: doc.template_notes ?? [],
  };
}
