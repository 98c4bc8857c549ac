// "Invio da elenco": the list as read (bulk_read), the columns the clerk confirms, the rows corrected in
// place, the document for all and the template's fields on it, and which rows of the dry run's report are
// shown. Pure functions over plain objects, tested in Node.
import { addDocument, applyTypeTemplate, createDraft, proposedTitle, toSubmission } from './draft.js';

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

/**
 * The columns for a list of `documentType`: those last confirmed for that type when the list has the same
 * titles (bulk_read's `saved`), else the guess from the titles.
 */
export function mappingFor(list, documentType) {
  return { ...(list?.saved?.[documentType] ?? list?.mapping ?? {}) };
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
    // What each row's request carries: the document with its fields, and the title proposed for it.
    documents: toSubmission(draft).documents,
    title: proposedTitle(draft),
    expires_at: draft.expires_at,
  };
}

/**
 * Why "Invia" is not offered yet, as i18n keys (none: it is): a report with rows to send; then either each
 * row's own PDF (a folder chosen, a type with a template to place the fields) or one document for all,
 * accepted, with signature fields.
 */
export function sendProblems(report, shared, mapping, pdfDir = '', hasTemplate = false) {
  const out = [];
  if (!report) return ['bulk.send_no_report'];
  if (report.ready + report.warnings === 0) out.push('bulk.send_no_rows');
  if (mapping?.pdf != null) {
    if (!pdfDir) out.push('bulk.send_no_folder');
    if (!hasTemplate) out.push('bulk.send_no_template');
  } else if (!shared) out.push('bulk.send_no_document');
  else if (!shared.accepted) out.push('bulk.send_document_refused');
  else if (shared.fields.length === 0) out.push('bulk.send_no_fields');
  return out;
}

/**
 * What bulk_send receives: the list as checked, its file name, and what every row's request shares — the
 * document for all, or (rows naming their own PDF) none: each row's comes from the folder.
 */
export function sendInput(list, mapping, documentType, shared, title, expiresAt, pdfDir = '') {
  const perRow = mapping?.pdf != null;
  return {
    ...checkInput(list, mapping, documentType, perRow ? pdfDir : null),
    name: list.name,
    title: String(title ?? '').trim(),
    expires_at: expiresAt || null,
    delivery: 'io_message',
    documents: perRow ? [] : (shared?.documents ?? []),
  };
}

/** Whether the document type has a template with at least one document (its fields go on the rows' PDFs). */
export const typeHasTemplate = (docTypes, name) => ((docTypes ?? []).find((t) => t.name === name)?.template?.documents?.length ?? 0) > 0;

/** A list's progress in percent (rows sent, failed or refused, of all), 0–100. */
export function progressPercent(batch) {
  if (!batch?.total) return 0;
  return Math.round(((batch.sent + batch.failed) * 100) / batch.total);
}

/** Whether the list still moves (its progress is worth following). */
export const batchActive = (batch) => batch?.state === 'sending' || (batch?.state === 'paused' && batch.sending > 0);

/** The time left as the clerk reads it: `{ key, args }` for i18n ("circa 3 min"), or null when unknown. */
export function etaText(seconds) {
  if (seconds == null) return null;
  if (seconds < 60) return { key: 'bulk.eta_seconds', args: { count: Math.max(1, Math.round(seconds)) } };
  if (seconds < 3600) return { key: 'bulk.eta_minutes', args: { count: Math.round(seconds / 60) } };
  const hours = Math.floor(seconds / 3600);
  return { key: 'bulk.eta_hours', args: { hours, minutes: Math.round((seconds % 3600) / 60) } };
}
