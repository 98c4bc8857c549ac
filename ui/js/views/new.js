// Nuova richiesta: document type, signer (with live codice fiscale check), deadline, delivery, the PDFs
// (file picker, or dropped anywhere on the window) and the signature fields placed on the page preview
// with the mouse or the keyboard, with a strip of page thumbnails to move around long documents.
// Everything typed lives in the module-level draft (draft.js), so leaving the view, a re-render or a
// language change loses nothing; the DOM is built from it and updated in place so focus stays where the
// clerk is.
import {
  CLAUSE_MAX, CLAUSE_MIN, CLAUSE_TYPES, TITLE_MAX, TITLE_MIN,
  activeDocument, addDocument, addField, clauseTitleOk, createDraft, fieldById,
  problems, removeDocument, removeField, textLength, titleOk, toSubmission,
} from '../draft.js';
import { sortFiles } from '../drop.js';
import { citizenDeadline, formatSize, isPastDate, isoDate, italianDate, parseIsoDate } from '../format.js';
import {
  CLICK_SLOP_PX, boxFromCorners, boxToPixels, centredBox, clampBox, ensureMinimum, moveBox, nudge,
  pointAt, resizeBox, setCoordinate,
} from '../geometry.js';
import {
  CANCELLED, THUMB_WIDTH, createThumbLoader, eagerPages, fieldCounts, thumbHeight, thumbKey, thumbKeyTarget,
  thumbPixels, visibleRange,
} from '../thumbs.js';
import { announce, h } from './common.js';

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2];
const PREVIEW_CACHE_SIZE = 40;
const TEXT_INPUTS = new Set(['text', 'search', 'number', 'date', 'email', 'tel', 'url']);

let draft = createDraft();
let docTypes = null;
let mounted = null;
let submitting = false;
let cfTimer = null;
let cfSequence = 0;
const previews = new Map();
// Page thumbnails, rendered once per document/page/size and kept across redraws of the placement editor.
const thumbs = createThumbLoader({ limit: 2, capacity: 400 });
let thumbObserver = null;
// How far the thumbnail strip was scrolled, per document (draft key), so showing a page keeps the strip put.
const thumbScroll = new Map();

/** The mounted view's updaters, or null when the form is not on screen. */
const view = () => (mounted?.root.isConnected ? mounted : null);

/**
 * Loads the document types before the form is first shown, so its select is complete at once (app.js
 * awaits this at start-up). Failures are left to the form, which asks again.
 */
export async function preload({ ipc }) {
  try {
    docTypes = await ipc.documentTypes();
  } catch {
    docTypes = null;
  }
}

/** For tests and for "start over": a fresh draft. */
export function resetDraft(keep = {}) {
  draft = { ...createDraft(), ...keep };
}

/**
 * Adds PDFs to the draft (from the file picker or a drop anywhere on the window); `rejected` are names
 * of files refused by type. Works whether or not the form is on screen.
 */
export async function addFiles(files, rejected, { ipc, i18n }) {
  const { t } = i18n;
  draft.pdf_errors = rejected.map((name) => t('new.pdf_not_pdf', { name }));
  view()?.refreshDocuments();
  const added = [];
  for (const file of files) {
    draft.importing.push(file.name);
    view()?.refreshDocuments();
    try {
      const imported = await ipc.importPdf(file);
      added.push(addDocument(draft, imported));
    } catch (err) {
      draft.pdf_errors.push(t('new.pdf_failed', { name: file.name, message: err.message ?? String(err) }));
    } finally {
      draft.importing.splice(draft.importing.indexOf(file.name), 1);
    }
  }
  if (added.length > 0) {
    draft.active = draft.documents.indexOf(added[0]);
    draft.page = 0;
    draft.selected = null;
  }
  const v = view();
  if (v) {
    v.refreshDocuments();
    v.refreshPlacement();
    v.changed();
    // Placing the fields is the next step: bring the page into view.
    if (added.length) v.root.querySelector('.placement')?.scrollIntoView({ block: 'start' });
  }
  const parts = [];
  if (added.length) parts.push(t('new.docs_added', { count: added.length }));
  if (draft.pdf_errors.length) parts.push(t('new.docs_refused', { count: draft.pdf_errors.length }));
  if (parts.length) announce(parts.join(' '));
}

export function render(ctx) {
  const { i18n, ipc, onError } = ctx;
  const { t } = i18n;
  const root = h('div', { class: 'new-request' });
  root.innerHTML = `
    <h1 class="h2" data-testid="view-title" data-i18n="new.title" tabindex="-1"></h1>
    <p class="lead" data-i18n="new.intro"></p>
    <form class="new-request-form" novalidate data-testid="new-request-form">
      <section class="form-section" aria-labelledby="sec-request">
        <h2 class="h4" id="sec-request" data-i18n="new.section_request"></h2>
        <div class="row g-4">
          <div class="col-lg-6">
            <div class="select-wrapper">
              <label for="document-type" data-i18n="new.document_type"></label>
              <select id="document-type" data-testid="document-type" aria-describedby="document-type-help"></select>
            </div>
            <div class="form-text" id="document-type-help"></div>
            <button type="button" class="btn btn-link px-0 mt-1" data-testid="doc-type-new" aria-expanded="false"
              aria-controls="doc-type-panel" data-i18n="new.document_type_new"></button>
            <div id="doc-type-panel" class="doc-type-panel card card-bg p-3 mt-2" hidden>
              <div class="mb-3">
                <label class="form-label fw-semibold" for="doc-type-name" data-i18n="new.document_type_name"></label>
                <input class="form-control" id="doc-type-name" data-testid="doc-type-name" maxlength="60" autocomplete="off">
              </div>
              <div class="mb-3">
                <label class="form-label fw-semibold" for="doc-type-dossier" data-i18n="new.document_type_dossier"></label>
                <input class="form-control" id="doc-type-dossier" data-testid="doc-type-dossier" maxlength="60"
                  autocomplete="off" aria-describedby="doc-type-dossier-help">
                <div class="form-text" id="doc-type-dossier-help" data-i18n="new.document_type_dossier_help"></div>
              </div>
              <div class="text-danger small mb-2" data-testid="doc-type-error" role="alert" hidden></div>
              <div class="d-flex gap-2">
                <button type="button" class="btn btn-primary btn-sm" data-testid="doc-type-save" data-i18n="new.document_type_save"></button>
                <button type="button" class="btn btn-outline-secondary btn-sm" data-testid="doc-type-cancel" data-i18n="new.document_type_cancel"></button>
              </div>
            </div>
          </div>
          <div class="col-lg-6">
            <label class="form-label fw-semibold" for="request-title" data-i18n="new.request_title"></label>
            <input class="form-control" id="request-title" data-testid="request-title" autocomplete="off"
              aria-describedby="request-title-help request-title-count">
            <div class="form-text d-flex justify-content-between gap-2">
              <span id="request-title-help" data-i18n="new.request_title_help"></span>
              <span id="request-title-count" class="char-count" data-testid="request-title-count"></span>
            </div>
          </div>
        </div>
      </section>

      <section class="form-section" aria-labelledby="sec-signer">
        <h2 class="h4" id="sec-signer" data-i18n="new.section_signer"></h2>
        <div class="row g-4">
          <div class="col-lg-6">
            <label class="form-label fw-semibold" for="signer-name" data-i18n="new.signer_name"></label>
            <input class="form-control" id="signer-name" data-testid="signer-name" autocomplete="off">
          </div>
          <div class="col-lg-6">
            <label class="form-label fw-semibold" for="signer-fiscal-code" data-i18n="new.fiscal_code"></label>
            <input class="form-control fiscal-code-input" id="signer-fiscal-code" data-testid="signer-fiscal-code"
              autocomplete="off" spellcheck="false" autocapitalize="characters"
              aria-describedby="fiscal-code-error fiscal-code-decoded">
            <div class="invalid-message" id="fiscal-code-error" data-testid="fiscal-code-error" aria-live="polite" hidden></div>
            <div class="form-text" id="fiscal-code-decoded" data-testid="fiscal-code-decoded" aria-live="polite" hidden></div>
          </div>
        </div>
      </section>

      <section class="form-section" aria-labelledby="sec-delivery">
        <h2 class="h4" id="sec-delivery" data-i18n="new.section_delivery"></h2>
        <div class="row g-4">
          <div class="col-lg-6">
            <label class="form-label fw-semibold" for="expires-at" data-i18n="new.expires_at"></label>
            <input class="form-control" type="date" id="expires-at" data-testid="expires-at" aria-describedby="expires-text">
            <div class="form-text" id="expires-text" data-testid="expires-text" aria-live="polite"></div>
          </div>
          <div class="col-lg-6">
            <fieldset>
              <legend class="fs-6 fw-semibold mb-2" data-i18n="new.delivery"></legend>
              <div class="form-check">
                <input type="radio" name="delivery" id="delivery-io" value="io_message" data-testid="delivery-io-message">
                <label for="delivery-io" data-i18n="new.delivery_io"></label>
              </div>
              <div class="form-check">
                <input type="radio" name="delivery" id="delivery-qr" value="qr_only" data-testid="delivery-qr-only">
                <label for="delivery-qr" data-i18n="new.delivery_qr"></label>
              </div>
            </fieldset>
          </div>
        </div>
      </section>

      <section class="form-section" aria-labelledby="sec-documents">
        <h2 class="h4" id="sec-documents" data-i18n="new.section_documents"></h2>
        <p class="drop-hint" data-i18n="new.drop_hint"></p>
        <div class="mb-3">
          <label class="form-label fw-semibold" for="pdf-input" data-i18n="new.pdf_input"></label>
          <input class="form-control" type="file" id="pdf-input" data-testid="pdf-input" accept="application/pdf" multiple>
        </div>
        <div class="alert alert-danger" data-testid="pdf-error" role="alert" hidden></div>
        <div class="import-status" role="status" data-testid="import-status"></div>
        <ol class="document-list list-unstyled" data-testid="document-list"></ol>
      </section>

      <section class="form-section" aria-labelledby="sec-fields">
        <h2 class="h4" id="sec-fields" data-i18n="new.section_fields"></h2>
        <div class="placement-slot"></div>
      </section>

      <div class="submit-area">
        <div id="submit-problems" class="submit-problems" data-testid="submit-problems"></div>
        <button type="submit" class="btn btn-primary btn-lg" data-testid="send-request" aria-describedby="submit-problems"
          data-i18n="new.submit"></button>
      </div>
    </form>`;

  const $ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
  const form = root.querySelector('form');
  const typeSelect = $('document-type');
  const titleInput = $('request-title');
  const nameInput = $('signer-name');
  const cfInput = $('signer-fiscal-code');
  const expiresInput = $('expires-at');
  const sendButton = $('send-request');

  // ---- request: document type and title ----
  const typePanel = root.querySelector('#doc-type-panel');
  const typeToggle = $('doc-type-new');
  const typeError = $('doc-type-error');
  let shownTypes = null;
  const fillTypes = () => {
    const list = docTypes ?? [];
    // Rebuild the options only when the list changed: a refresh must not swap them under the pointer.
    const signature = JSON.stringify([docTypes === null, list.map((dt) => dt.name)]);
    if (signature !== shownTypes) {
      shownTypes = signature;
      typeSelect.replaceChildren(h('option', { value: '' }, t(docTypes === null ? 'common.loading' : 'new.document_type_choose')),
        ...list.map((dt) => h('option', { value: dt.name }, dt.name)));
    }
    if (draft.document_type && !list.some((dt) => dt.name === draft.document_type) && docTypes !== null) draft.document_type = '';
    typeSelect.value = draft.document_type;
    const chosen = list.find((dt) => dt.name === draft.document_type);
    root.querySelector('#document-type-help').textContent = chosen
      ? t('new.document_type_dossier_is', { title: chosen.dossier_title })
      : (docTypes !== null && list.length === 0 ? t('new.document_type_none') : '');
  };
  const showTypePanel = (open) => {
    typePanel.hidden = !open;
    typeToggle.setAttribute('aria-expanded', String(open));
    typeError.hidden = true;
    if (open) root.querySelector('#doc-type-name').focus();
  };
  typeSelect.addEventListener('change', () => { draft.document_type = typeSelect.value; fillTypes(); changed(); });
  typeToggle.addEventListener('click', () => showTypePanel(typePanel.hidden));
  $('doc-type-cancel').addEventListener('click', () => { showTypePanel(false); typeToggle.focus(); });
  $('doc-type-save').addEventListener('click', () => {
    const name = $('doc-type-name').value.trim();
    const dossier = $('doc-type-dossier').value.trim();
    const fail = (message) => { typeError.textContent = message; typeError.hidden = false; };
    if (name.length < 1 || name.length > 60) return fail(t('new.document_type_name_invalid'));
    if (dossier.length < TITLE_MIN || dossier.length > TITLE_MAX) return fail(t('new.document_type_dossier_invalid'));
    ipc.saveDocumentType({ name, dossier_title: dossier })
      .then((list) => {
        docTypes = list;
        draft.document_type = name;
        $('doc-type-name').value = '';
        $('doc-type-dossier').value = '';
        showTypePanel(false);
        fillTypes();
        changed();
        typeSelect.focus();
        announce(t('new.document_type_saved', { name }));
      })
      .catch((err) => fail(err.message ?? String(err)));
  });
  fillTypes();
  ipc.documentTypes()
    .then((list) => {
      docTypes = list;
      if (!root.isConnected) return;
      fillTypes();
      if (list.length === 0 && typePanel.hidden) {
        typePanel.hidden = false;
        typeToggle.setAttribute('aria-expanded', 'true');
      }
      changed();
    })
    .catch(onError);

  const counter = (el, text, min, max) => {
    const n = textLength(text);
    el.textContent = t('new.char_count', { count: n, max });
    el.classList.toggle('text-danger', n > 0 && (n < min || n > max));
  };
  titleInput.value = draft.title;
  titleInput.addEventListener('input', () => {
    draft.title = titleInput.value;
    counter($('request-title-count'), draft.title, TITLE_MIN, TITLE_MAX);
    markInvalid(titleInput, draft.title !== '' && !titleOk(draft.title));
    changed();
  });
  counter($('request-title-count'), draft.title, TITLE_MIN, TITLE_MAX);

  // ---- signer ----
  nameInput.value = draft.signer_name;
  nameInput.addEventListener('input', () => { draft.signer_name = nameInput.value; changed(); });
  cfInput.value = draft.fiscal_code;
  const updateCf = () => {
    const typed = draft.fiscal_code.trim().toUpperCase();
    const error = $('fiscal-code-error');
    const decoded = $('fiscal-code-decoded');
    const result = draft.cf && draft.cf.code === typed ? draft.cf.result : null;
    const bad = typed !== '' && result !== null && !result.valid;
    error.textContent = bad ? (result.message || t('new.fiscal_code_invalid')) : '';
    error.hidden = !bad;
    markInvalid(cfInput, bad);
    if (result?.valid) {
      const parts = [];
      if (result.birth_date) parts.push(t('new.born_on', { date: italianDate(result.birth_date) }));
      if (result.sex) parts.push(t(`new.sex_${result.sex}`));
      if (result.belfiore) parts.push(t('new.belfiore', { code: result.belfiore }));
      decoded.textContent = t('new.fiscal_code_ok', { details: parts.join(' · ') });
      decoded.hidden = false;
    } else {
      decoded.textContent = '';
      decoded.hidden = true;
    }
  };
  cfInput.addEventListener('input', () => { draft.fiscal_code = cfInput.value; checkFiscalCode(ctx, 250); changed(); });
  cfInput.addEventListener('blur', () => checkFiscalCode(ctx, 0));
  updateCf();
  if (draft.fiscal_code.trim() && !draft.cf) checkFiscalCode(ctx, 0);

  // ---- deadline and delivery ----
  expiresInput.value = draft.expires_at;
  expiresInput.min = isoDate(new Date());
  const updateExpires = () => {
    const text = $('expires-text');
    const value = draft.expires_at;
    let bad = false;
    if (!value) text.textContent = t('new.expires_empty');
    else if (!parseIsoDate(value)) { text.textContent = t('new.expires_invalid'); bad = true; }
    else if (isPastDate(value)) { text.textContent = t('new.expires_past'); bad = true; }
    else text.textContent = t('new.expires_citizen', { text: citizenDeadline(value) });
    text.classList.toggle('text-danger', bad);
    markInvalid(expiresInput, bad);
  };
  const onExpires = () => { draft.expires_at = expiresInput.value; updateExpires(); changed(); };
  expiresInput.addEventListener('input', onExpires);
  expiresInput.addEventListener('change', onExpires);
  updateExpires();
  for (const radio of root.querySelectorAll('input[name="delivery"]')) {
    radio.checked = radio.value === draft.delivery;
    radio.addEventListener('change', () => { if (radio.checked) { draft.delivery = radio.value; changed(); } });
  }

  // ---- documents ----
  const pdfInput = $('pdf-input');
  pdfInput.addEventListener('change', () => {
    const { accepted, rejected } = sortFiles(Array.from(pdfInput.files ?? []));
    addFiles(accepted, rejected, ctx).finally(() => { pdfInput.value = ''; });
  });

  const refreshDocuments = () => {
    const errorBox = $('pdf-error');
    errorBox.replaceChildren(...draft.pdf_errors.map((m) => h('p', { class: 'mb-0', text: m })));
    errorBox.hidden = draft.pdf_errors.length === 0;
    $('import-status').textContent = draft.importing.length
      ? t('new.importing', { names: draft.importing.join(', ') })
      : '';
    const list = $('document-list');
    list.replaceChildren(...draft.documents.map((doc, i) => documentItem(doc, i)));
  };

  const documentItem = (doc, index) => {
    const active = index === draft.active;
    const titleId = `doc-title-${doc.key}`;
    const countId = `${titleId}-count`;
    const item = h('li', { class: `document-item card card-bg mb-3${active ? ' is-active' : ''}`, testid: 'document-item', data: { docKey: doc.key } });
    const body = h('div', { class: 'card-body' });
    item.append(body);
    const select = h('button', { type: 'button', class: 'btn btn-link p-0 fw-semibold text-start', 'aria-pressed': String(active), testid: 'doc-select' },
      doc.name);
    select.addEventListener('click', () => {
      draft.active = index;
      draft.page = 0;
      draft.selected = null;
      refreshDocuments();
      refreshPlacement();
      root.querySelector('[data-testid="page-preview"]')?.focus();
    });
    const remove = h('button', { type: 'button', class: 'btn btn-outline-danger btn-xs', testid: 'remove-document' },
      t('new.remove_document'), h('span', { class: 'visually-hidden', text: `: ${doc.name}` }));
    remove.addEventListener('click', () => {
      removeDocument(draft, doc.key);
      thumbs.forget((key) => key.startsWith(`${doc.doc_id}:`));
      thumbScroll.delete(doc.key);
      refreshDocuments();
      refreshPlacement();
      changed();
      announce(t('new.document_removed', { name: doc.name }));
      pdfInput.focus();
    });
    body.append(h('div', { class: 'd-flex flex-wrap align-items-center gap-2 mb-2' },
      select,
      h('span', { class: 'small text-muted', text: `${formatSize(doc.size, i18n.language())} · ${t('new.pages', { count: doc.pages.length })} · ${t('new.fields_count', { count: doc.fields.length })}` }),
      active ? h('span', { class: 'badge bg-primary', text: t('new.editing') }) : null,
      h('span', { class: 'ms-auto' }, remove)));

    const title = h('input', { class: 'form-control', id: titleId, testid: 'doc-title', autocomplete: 'off', 'aria-describedby': `${titleId}-help ${countId}` });
    title.value = doc.title;
    const count = h('span', { id: countId, class: 'char-count', testid: 'doc-title-count' });
    counter(count, doc.title, TITLE_MIN, TITLE_MAX);
    markInvalid(title, !titleOk(doc.title));
    title.addEventListener('input', () => {
      doc.title = title.value;
      counter(count, doc.title, TITLE_MIN, TITLE_MAX);
      markInvalid(title, !titleOk(doc.title));
      changed();
    });
    body.append(h('label', { class: 'form-label fw-semibold', for: titleId, text: t('new.doc_title') }), title,
      h('div', { class: 'form-text d-flex justify-content-between gap-2' },
        h('span', { id: `${titleId}-help`, text: t('new.doc_title_help') }), count));

    if (doc.findings.length) {
      body.append(h('ul', { class: 'findings list-unstyled mt-2 mb-0', testid: 'findings', 'aria-label': t('new.findings') },
        doc.findings.map((f) => h('li', { class: `finding finding-${f.severity}`, testid: 'finding', data: { severity: f.severity, code: f.code } },
          h('strong', { text: `${t(`new.severity.${f.severity}`)}: ` }),
          findingText(f, t),
          Number.isInteger(f.page) ? h('span', { class: 'text-muted', text: ` (${t('new.page_n', { page: f.page + 1 })})` }) : null))));
    }
    if (!doc.service_accepts && !doc.findings.some((f) => f.severity === 'error')) {
      body.append(h('p', { class: 'finding finding-error mt-2 mb-0', text: t('new.service_refuses') }));
    }
    return item;
  };

  // ---- field placement ----
  const slot = root.querySelector('.placement-slot');
  let placement = null;
  const refreshPlacement = () => {
    placement = buildPlacement(ctx, { changed, refreshDocuments, counter });
    slot.replaceChildren(placement.element);
    placement.mounted?.();
  };

  // ---- sending ----
  const changed = () => {
    const list = problems(draft);
    const blocked = list.length > 0 || submitting;
    sendButton.disabled = blocked;
    sendButton.setAttribute('aria-disabled', String(blocked));
    sendButton.textContent = t(submitting ? 'new.submitting' : 'new.submit');
    const box = $('submit-problems');
    if (list.length === 0) {
      box.replaceChildren(h('p', { class: 'mb-2 text-success fw-semibold', text: t('new.ready') }));
    } else {
      box.replaceChildren(h('p', { class: 'mb-1 fw-semibold', text: t('new.missing') }),
        h('ul', { class: 'mb-2' }, list.map((p) => h('li', { data: { problem: p }, text: t(`new.problems.${p}`) }))));
    }
  };

  // Enter in a text field must not send a request to a citizen by accident.
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target instanceof HTMLInputElement && TEXT_INPUTS.has(e.target.type)) e.preventDefault();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (submitting || problems(draft).length > 0) return;
    submitting = true;
    changed();
    const payload = toSubmission(draft);
    ipc.submitRequest(payload)
      .then(({ id }) => {
        submitting = false;
        // Same type and delivery are likely next time; everything else starts clean.
        resetDraft({ document_type: draft.document_type, delivery: draft.delivery });
        announce(t('new.submitted'));
        location.hash = `#/request/${encodeURIComponent(id)}`;
      })
      .catch((err) => {
        submitting = false;
        if (view()) view().changed();
        onError(err);
      });
  });

  mounted = { root, refreshDocuments, refreshPlacement, changed, updateCf };
  refreshDocuments();
  refreshPlacement();
  changed();
  return root;
}

/** A preflight finding in the clerk's language (by its code and values), else the checker's own text. */
function findingText(f, t) {
  const key = `preflight.${f.code}`;
  const text = t(key, f.args ?? {});
  return text === key ? f.message : text;
}

function markInvalid(input, invalid) {
  input.classList.toggle('is-invalid', invalid);
  if (invalid) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** Debounced check of the typed codice fiscale; only the answer for the latest text is kept. */
function checkFiscalCode({ ipc, onError }, delay) {
  clearTimeout(cfTimer);
  const code = draft.fiscal_code.trim().toUpperCase();
  // Any answer still in flight is about older text.
  cfSequence += 1;
  if (!code) {
    draft.cf = null;
    view()?.updateCf();
    view()?.changed();
    return;
  }
  if (draft.cf?.code === code) return;
  cfTimer = setTimeout(() => {
    const mine = ++cfSequence;
    ipc.checkFiscalCode(code)
      .then((result) => {
        if (mine !== cfSequence) return;
        draft.cf = { code, result };
        view()?.updateCf();
        view()?.changed();
      })
      .catch(onError);
  }, delay);
}

/**
 * The placement editor for the active document: toolbar (page, zoom, add), the page preview with the
 * boxes, the detected AcroForm fields and the selected field's editor.
 */
function buildPlacement(ctx, { changed, refreshDocuments, counter }) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const doc = activeDocument(draft);
  if (!doc) {
    stopThumbnails();
    return { element: h('p', { class: 'text-muted', testid: 'placement-empty', text: t('new.placement_empty') }) };
  }
  if (draft.page >= doc.pages.length) draft.page = 0;
  const pageIndex = draft.page;
  const page = doc.pages[pageIndex];
  const scale = draft.zoom;
  const cssWidth = page.width * scale;
  const cssHeight = page.height * scale;

  const element = h('div', { class: 'placement' });

  // Toolbar.
  const pageSelect = h('select', { id: 'page-select', testid: 'page-select' },
    doc.pages.map((_, i) => h('option', { value: String(i), selected: i === pageIndex }, t('new.page_of', { page: i + 1, count: doc.pages.length }))));
  const prev = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'page-prev', disabled: pageIndex === 0, 'aria-label': t('new.page_prev') }, '‹');
  const next = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'page-next', disabled: pageIndex >= doc.pages.length - 1, 'aria-label': t('new.page_next') }, '›');
  const zoomSelect = h('select', { id: 'zoom-select', testid: 'zoom-select' },
    ZOOMS.map((z) => h('option', { value: String(z), selected: z === draft.zoom }, `${Math.round(z * 100)}%`)));
  const zoomOut = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'zoom-out', disabled: draft.zoom <= ZOOMS[0], 'aria-label': t('new.zoom_out') }, '−');
  const zoomIn = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'zoom-in', disabled: draft.zoom >= ZOOMS[ZOOMS.length - 1], 'aria-label': t('new.zoom_in') }, '+');
  const addButton = h('button', { type: 'button', class: 'btn btn-primary btn-sm', testid: 'add-field' }, t('new.add_field'));
  element.append(h('div', { class: 'placement-toolbar d-flex flex-wrap align-items-end gap-3 mb-2' },
    draft.documents.length > 1 ? h('p', { class: 'mb-0 w-100 fw-semibold', text: t('new.placing_on', { name: doc.title || doc.name }) }) : null,
    h('div', { class: 'd-flex align-items-end gap-1' }, prev,
      h('div', { class: 'select-wrapper compact' }, h('label', { for: 'page-select', text: t('new.page') }), pageSelect), next),
    h('div', { class: 'd-flex align-items-end gap-1' }, zoomOut,
      h('div', { class: 'select-wrapper compact' }, h('label', { for: 'zoom-select', text: t('new.zoom') }), zoomSelect), zoomIn),
    addButton));

  const rerender = (focusPreview = true) => {
    const v = view();
    if (!v) return;
    v.refreshPlacement();
    if (focusPreview) v.root.querySelector('[data-testid="page-preview"]')?.focus({ preventScroll: true });
  };
  // Thumbnails: a click (or Enter/Space) shows the page, like the page select; the focus stays on the strip.
  const strip = buildThumbnails(ctx, doc, pageIndex, (i) => {
    if (i === pageIndex) return;
    draft.page = Math.max(0, Math.min(doc.pages.length - 1, i));
    rerender(false);
    view()?.root.querySelector(`[data-testid="page-thumb"][data-page="${draft.page}"]`)?.focus({ preventScroll: true });
  });
  element.append(strip.element);
  element.append(h('p', { class: 'small placement-help', id: 'preview-help', text: t('new.preview_help') }));
  const goPage = (i) => { draft.page = Math.max(0, Math.min(doc.pages.length - 1, i)); rerender(false); view()?.root.querySelector('#page-select')?.focus(); };
  pageSelect.addEventListener('change', () => goPage(Number(pageSelect.value)));
  prev.addEventListener('click', () => { goPage(pageIndex - 1); });
  next.addEventListener('click', () => { goPage(pageIndex + 1); });
  const setZoom = (z, focusId) => { draft.zoom = z; rerender(false); view()?.root.querySelector(`#${focusId}, [data-testid="${focusId}"]`)?.focus(); };
  zoomSelect.addEventListener('change', () => setZoom(Number(zoomSelect.value), 'zoom-select'));
  zoomOut.addEventListener('click', () => setZoom(ZOOMS[Math.max(0, ZOOMS.indexOf(draft.zoom) - 1)], 'zoom-out'));
  zoomIn.addEventListener('click', () => setZoom(ZOOMS[Math.min(ZOOMS.length - 1, ZOOMS.indexOf(draft.zoom) + 1)], 'zoom-in'));

  // Preview: the page image and the boxes, both sized in CSS pixels = points × zoom.
  const img = h('img', { class: 'page-image', alt: t('new.page_image', { page: pageIndex + 1, count: doc.pages.length, name: doc.name }), draggable: 'false' });
  const status = h('div', { class: 'preview-status', 'aria-hidden': 'true' });
  const preview = h('div', {
    class: 'page-preview is-loading', testid: 'page-preview', tabindex: '0', role: 'group',
    'aria-label': t('new.preview_label', { page: pageIndex + 1, count: doc.pages.length }),
    'aria-describedby': 'preview-help', data: { page: String(pageIndex), zoom: String(scale) },
  }, img, status);
  preview.style.width = `${cssWidth}px`;
  preview.style.height = `${cssHeight}px`;
  const scroller = h('div', { class: 'preview-scroll' }, preview);

  // Detected AcroForm signature fields, drawn as dashed outlines (not interactive).
  for (const sf of doc.signature_fields.filter((f) => f.page === pageIndex)) {
    const outline = h('div', { class: `acro-field${sf.signed ? ' is-signed' : ''}`, 'aria-hidden': 'true', title: sf.name });
    const px = boxToPixels(sf, scale);
    Object.assign(outline.style, { left: `${px.left}px`, top: `${px.top}px`, width: `${px.width}px`, height: `${px.height}px` });
    preview.append(outline);
  }

  loadPreview(ipc, img, preview, status, doc, pageIndex, cssWidth, t);

  const editor = h('div', { class: 'field-editor' });
  element.append(h('div', { class: 'placement-body' }, scroller, editor));

  // ---- boxes ----
  const boxes = new Map();
  const fieldsHere = () => doc.fields.filter((f) => f.page === pageIndex);
  const numberOf = (field) => doc.fields.indexOf(field) + 1;
  const placeBox = (field) => {
    let el = boxes.get(field.id);
    if (!el) {
      el = h('div', { class: 'field-box', testid: 'field-box', tabindex: '0', role: 'button', data: { fieldId: field.id } },
        h('span', { class: 'field-box-label', 'aria-hidden': 'true' }),
        h('span', { class: 'field-handle', 'aria-hidden': 'true' }));
      boxes.set(field.id, el);
      preview.append(el);
    }
    const px = boxToPixels(field, scale);
    el.style.left = `${px.left}px`;
    el.style.top = `${px.top}px`;
    el.style.width = `${px.width}px`;
    el.style.height = `${px.height}px`;
    const selected = draft.selected === field.id;
    el.classList.toggle('is-selected', selected);
    el.classList.toggle('is-optional', field.clause_type === 'OPTIONAL');
    el.setAttribute('aria-pressed', String(selected));
    el.dataset.x = String(field.x);
    el.dataset.y = String(field.y);
    el.dataset.w = String(field.w);
    el.dataset.h = String(field.h);
    el.querySelector('.field-box-label').textContent = String(numberOf(field));
    el.setAttribute('aria-label', t('new.field_box', { n: numberOf(field), x: field.x, y: field.y, w: field.w, h: field.h, title: field.clause_title }));
  };
  const syncBoxes = () => {
    const here = fieldsHere();
    for (const [id, el] of boxes) {
      if (!here.some((f) => f.id === id)) { el.remove(); boxes.delete(id); }
    }
    for (const f of here) placeBox(f);
  };

  // ---- editor ----
  let inputs = null;
  const renderEditor = () => {
    inputs = null;
    const list = h('ol', { class: 'field-list list-unstyled', testid: 'field-list' }, doc.fields.map((f) => {
      const button = h('button', {
        type: 'button', class: `btn btn-link p-0 text-start${draft.selected === f.id ? ' fw-bold' : ''}`, testid: 'field-select',
        'aria-current': draft.selected === f.id ? 'true' : null,
      }, t('new.field_item', { n: numberOf(f), page: f.page + 1, type: t(`clause.${f.clause_type}`) }));
      button.addEventListener('click', () => select(f.id, true));
      return h('li', {}, button);
    }));
    // The selected field's editor comes first, so Tab goes from the preview straight to its coordinates.
    const parts = [];
    const field = fieldById(doc, draft.selected);
    if (field) {
      const number = (key, labelKey) => {
        const input = h('input', {
          class: 'form-control', type: 'number', id: `field-${key}`, testid: `field-${key}`, step: '1', min: key === 'w' || key === 'h' ? '1' : '0',
          max: String(Math.floor(key === 'x' || key === 'w' ? doc.pages[field.page].width : doc.pages[field.page].height)),
          inputmode: 'numeric',
        });
        input.value = String(field[key]);
        const apply = () => {
          const value = Number.parseFloat(input.value.replace(',', '.'));
          if (!Number.isFinite(value)) return;
          Object.assign(field, setCoordinate(field, key, value, doc.pages[field.page]));
          placeBox(field);
          changed();
        };
        input.addEventListener('input', apply);
        // On leaving (or Enter), show the value actually kept after fitting the box to the page.
        input.addEventListener('change', () => { apply(); input.value = String(field[key]); });
        return h('div', { class: 'coord' }, h('label', { class: 'form-label small fw-semibold', for: `field-${key}`, text: t(labelKey) }), input);
      };
      const x = number('x', 'new.field_x');
      const y = number('y', 'new.field_y');
      const w = number('w', 'new.field_w');
      const hh = number('h', 'new.field_h');

      const typeSelect = h('select', { id: 'clause-type', testid: 'clause-type' },
        CLAUSE_TYPES.map((ct) => h('option', { value: ct, selected: ct === field.clause_type }, t(`clause.${ct}`))));
      typeSelect.addEventListener('change', () => {
        field.clause_type = typeSelect.value;
        placeBox(field);
        renderFieldList();
        changed();
      });
      const titleInput = h('input', { class: 'form-control', id: 'clause-title', testid: 'clause-title', autocomplete: 'off', 'aria-describedby': 'clause-title-help clause-title-count' });
      titleInput.value = field.clause_title;
      const count = h('span', { id: 'clause-title-count', class: 'char-count', testid: 'clause-title-count' });
      counter(count, field.clause_title, CLAUSE_MIN, CLAUSE_MAX);
      markInvalid(titleInput, !clauseTitleOk(field.clause_title));
      titleInput.addEventListener('input', () => {
        field.clause_title = titleInput.value;
        counter(count, field.clause_title, CLAUSE_MIN, CLAUSE_MAX);
        markInvalid(titleInput, !clauseTitleOk(field.clause_title));
        placeBox(field);
        changed();
      });
      const remove = h('button', { type: 'button', class: 'btn btn-outline-danger btn-sm', testid: 'remove-field' }, t('new.remove_field'));
      remove.addEventListener('click', () => deleteField(field.id));

      parts.push(h('fieldset', { class: 'selected-field', testid: 'selected-field' },
        h('legend', { class: 'h6', text: t('new.field_selected', { n: numberOf(field), page: field.page + 1 }) }),
        h('p', { class: 'small text-muted', text: t('new.units_help') }),
        h('div', { class: 'coord-grid' }, x, y, w, hh),
        h('div', { class: 'select-wrapper mt-3' }, h('label', { for: 'clause-type', text: t('new.clause_type') }), typeSelect),
        h('div', { class: 'mt-3' },
          h('label', { class: 'form-label fw-semibold', for: 'clause-title', text: t('new.clause_title') }),
          titleInput,
          h('div', { class: 'form-text d-flex justify-content-between gap-2' },
            h('span', { id: 'clause-title-help', text: t('new.clause_title_help') }), count)),
        h('div', { class: 'mt-3' }, remove)));
      inputs = { x: x.querySelector('input'), y: y.querySelector('input'), w: w.querySelector('input'), h: hh.querySelector('input') };
    } else if (doc.fields.length) {
      parts.push(h('p', { class: 'small text-muted', text: t('new.select_hint') }));
    }
    parts.push(h('h3', { class: `h6${field ? ' mt-4' : ''}`, text: t('new.fields_title', { count: doc.fields.length }) }),
      doc.fields.length ? list : h('p', { class: 'small text-muted', text: t('new.no_fields') }));

    // AcroForm fields found in the PDF: one click turns one into coordinates.
    if (doc.signature_fields.length) {
      parts.push(h('h3', { class: 'h6 mt-4', text: t('new.acro_title') }),
        h('ul', { class: 'list-unstyled acro-list', testid: 'acro-fields' }, doc.signature_fields.map((sf) => {
          const used = doc.fields.some((f) => f.source === sf.name);
          const use = h('button', {
            type: 'button', class: 'btn btn-outline-primary btn-xs', testid: 'use-signature-field', disabled: sf.signed || used,
            data: { fieldName: sf.name },
          }, t(sf.signed ? 'new.acro_signed' : used ? 'new.acro_used' : 'new.acro_use'));
          use.addEventListener('click', () => {
            const field = addField(draft, doc, sf.page, clampBox(sf, doc.pages[sf.page]), sf.name);
            draft.page = sf.page;
            announce(t('new.field_added', { n: numberOf(field), page: sf.page + 1, x: field.x, y: field.y, w: field.w, h: field.h }));
            afterFieldsChanged();
            rerender(true);
          });
          return h('li', { class: 'mb-2' },
            h('div', { class: 'small', text: t('new.acro_item', { name: sf.name, page: sf.page + 1 }) }), use);
        })));
    }
    editor.replaceChildren(...parts);
  };
  const renderFieldList = () => {
    const active = document.activeElement;
    const focusedId = active && editor.contains(active) ? active.id : null;
    renderEditor();
    if (focusedId) editor.querySelector(`#${focusedId}`)?.focus();
  };
  const updateInputs = (field) => {
    if (!inputs) return;
    for (const key of ['x', 'y', 'w', 'h']) {
      if (document.activeElement !== inputs[key]) inputs[key].value = String(field[key]);
    }
  };
  const afterFieldsChanged = () => {
    refreshDocuments();
    strip.refreshBadges();
    changed();
  };

  const select = (id, focusBox = false) => {
    const field = fieldById(doc, id);
    if (field && field.page !== pageIndex) {
      draft.selected = id;
      rerender(false);
      view()?.root.querySelector(`.field-box[data-field-id="${id}"]`)?.focus();
      return;
    }
    if (draft.selected !== id) {
      draft.selected = id;
      syncBoxes();
      renderFieldList();
    }
    if (focusBox && id) boxes.get(id)?.focus({ preventScroll: false });
  };
  const deleteField = (id) => {
    const field = fieldById(doc, id);
    if (!field) return;
    const n = numberOf(field);
    removeField(draft, doc, id);
    syncBoxes();
    renderEditor();
    afterFieldsChanged();
    preview.focus({ preventScroll: true });
    announce(t('new.field_removed', { n }));
  };
  const addAt = (box) => {
    const field = addField(draft, doc, pageIndex, box);
    syncBoxes();
    renderEditor();
    afterFieldsChanged();
    announce(t('new.field_added', { n: numberOf(field), page: pageIndex + 1, x: field.x, y: field.y, w: field.w, h: field.h }));
    return field;
  };
  addButton.addEventListener('click', () => { addAt(centredBox(page)); preview.focus({ preventScroll: true }); });

  // ---- keyboard: Enter/N adds, arrows nudge (Shift = 10 pt), Delete removes, Escape deselects ----
  let nudgeTimer = null;
  preview.addEventListener('keydown', (e) => {
    const onBox = e.target.classList?.contains('field-box');
    if (e.target !== preview && !onBox) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const selected = fieldById(doc, draft.selected);
    if ((e.key === 'Enter' && !onBox) || e.key === 'n' || e.key === 'N') {
      e.preventDefault();
      addAt(centredBox(page));
      return;
    }
    if (e.key === 'Escape' && selected) {
      e.preventDefault();
      select(null);
      preview.focus({ preventScroll: true });
      return;
    }
    if (!selected || selected.page !== pageIndex) return;
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      deleteField(selected.id);
      return;
    }
    const moved = nudge(selected, e.key, e.shiftKey, page);
    if (moved) {
      e.preventDefault();
      Object.assign(selected, moved);
      placeBox(selected);
      updateInputs(selected);
      changed();
      clearTimeout(nudgeTimer);
      nudgeTimer = setTimeout(() => announce(t('new.field_position', { x: selected.x, y: selected.y })), 400);
    }
  });
  preview.addEventListener('focusin', (e) => {
    const id = e.target.dataset?.fieldId;
    if (id && draft.selected !== id) select(id);
  });

  // ---- mouse/pen/touch: draw on the page, drag a box to move it, its corner handle to resize ----
  let gesture = null;
  const pointer = (e) => pointAt(e.clientX, e.clientY, preview.getBoundingClientRect(), scale);
  const start = (e) => {
    if (e.button !== undefined && e.button !== 0) return;
    const p = pointer(e);
    const boxEl = e.target.closest?.('.field-box');
    if (boxEl) {
      const field = fieldById(doc, boxEl.dataset.fieldId);
      if (!field) return;
      select(field.id);
      gesture = { kind: e.target.closest('.field-handle') ? 'resize' : 'move', id: field.id, start: p, orig: { ...field }, client: [e.clientX, e.clientY] };
      boxEl.focus({ preventScroll: true });
    } else {
      gesture = { kind: 'draw', id: null, start: p, client: [e.clientX, e.clientY] };
      preview.focus({ preventScroll: true });
    }
    if (e.pointerId !== undefined) {
      try { preview.setPointerCapture(e.pointerId); } catch { /* synthetic events have no capturable pointer */ }
    }
    e.preventDefault();
  };
  const move = (e) => {
    if (!gesture) return;
    const p = pointer(e);
    const far = Math.hypot(e.clientX - gesture.client[0], e.clientY - gesture.client[1]) >= CLICK_SLOP_PX;
    if (gesture.kind === 'draw') {
      if (!gesture.id) {
        if (!far) return;
        const field = addField(draft, doc, pageIndex, boxFromCorners(gesture.start, p, page));
        gesture.id = field.id;
        syncBoxes();
        renderEditor();
      }
      const field = fieldById(doc, gesture.id);
      Object.assign(field, boxFromCorners(gesture.start, p, page));
      placeBox(field);
      updateInputs(field);
    } else {
      const field = fieldById(doc, gesture.id);
      if (!field || (!far && !gesture.moved)) return;
      gesture.moved = true;
      const dx = p.x - gesture.start.x;
      const dy = p.y - gesture.start.y;
      Object.assign(field, gesture.kind === 'move' ? moveBox(gesture.orig, dx, dy, page) : resizeBox(gesture.orig, dx, dy, page));
      placeBox(field);
      updateInputs(field);
    }
    e.preventDefault();
  };
  const end = (e) => {
    if (!gesture) return;
    const g = gesture;
    gesture = null;
    if (e.pointerId !== undefined) {
      try { preview.releasePointerCapture(e.pointerId); } catch { /* not captured */ }
    }
    if (g.kind === 'draw' && !g.id) {
      // A click on the page: deselect.
      if (draft.selected) select(null);
      return;
    }
    const field = fieldById(doc, g.id);
    if (!field) return;
    if (g.kind === 'draw') {
      Object.assign(field, ensureMinimum(field, page));
      placeBox(field);
      updateInputs(field);
      announce(t('new.field_added', { n: numberOf(field), page: pageIndex + 1, x: field.x, y: field.y, w: field.w, h: field.h }));
      afterFieldsChanged();
      renderEditor();
    } else if (g.moved) {
      changed();
      announce(t('new.field_position', { x: field.x, y: field.y }));
    }
  };
  if (typeof window !== 'undefined' && 'PointerEvent' in window) {
    preview.addEventListener('pointerdown', start);
    preview.addEventListener('pointermove', move);
    preview.addEventListener('pointerup', end);
    preview.addEventListener('pointercancel', end);
  } else {
    preview.addEventListener('mousedown', start);
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', end);
  }

  syncBoxes();
  renderEditor();
  return { element, mounted: strip.mounted };
}

/** Stops loading the thumbnails of a strip that is no longer on screen. */
function stopThumbnails() {
  thumbObserver?.disconnect();
  thumbObserver = null;
  thumbs.cancelQueued();
}

/**
 * The strip of page thumbnails above the preview: one button per page (roving focus: Tab reaches the
 * shown page, the arrows the others), images loaded as they scroll into view and cached, a badge with
 * the number of fields on the page. Returns `{ element, refreshBadges, mounted }`; `show(i)` shows page i.
 */
function buildThumbnails({ i18n, ipc }, doc, current, show) {
  const { t } = i18n;
  stopThumbnails();
  const count = doc.pages.length;
  const pixels = thumbPixels(globalThis.devicePixelRatio);
  const helpId = `thumbs-help-${doc.key}`;
  // The button holds only the (decorative) image, so its name is exactly "Pagina N"; the page number and
  // the fields badge are drawn over it (aria-hidden, no pointer events) and the badge's meaning reaches
  // screen readers as the button's description.
  const items = doc.pages.map((page, i) => {
    const button = h('button', {
      type: 'button', class: `page-thumb${i === current ? ' is-current' : ''}`, testid: 'page-thumb',
      data: { page: String(i), fields: '0' }, 'aria-label': t('new.thumb_label', { page: i + 1 }),
      'aria-current': i === current ? 'page' : null, tabindex: i === current ? '0' : '-1',
    }, h('img', { class: 'page-thumb-image', alt: '', width: String(THUMB_WIDTH), height: String(thumbHeight(page)), draggable: 'false' }));
    button.addEventListener('click', () => show(i));
    return h('li', { class: 'thumb-item' }, button,
      h('span', { class: 'page-thumb-number', 'aria-hidden': 'true', text: String(i + 1) }),
      h('span', { class: 'page-thumb-badge', 'aria-hidden': 'true', testid: 'page-thumb-badge', hidden: true }),
      h('span', { class: 'page-thumb-fields', id: `thumb-fields-${doc.key}-${i}`, hidden: true }));
  });
  const buttons = items.map((li) => li.firstChild);
  const list = h('ol', { class: 'thumb-list list-unstyled' }, items);
  const strip = h('div', {
    class: 'page-thumbnails', testid: 'page-thumbnails', role: 'group', 'aria-label': t('new.thumbs_label'),
    'aria-describedby': helpId, data: { docKey: doc.key },
  }, list);
  const element = h('div', { class: 'thumbs-area' }, h('p', { class: 'visually-hidden', id: helpId, text: t('new.thumbs_help') }), strip);

  const refreshBadges = () => {
    const counts = fieldCounts(doc);
    buttons.forEach((button, i) => {
      const n = counts[i];
      const badge = items[i].querySelector('.page-thumb-badge');
      const description = items[i].querySelector('.page-thumb-fields');
      button.dataset.fields = String(n);
      button.classList.toggle('has-fields', n > 0);
      badge.textContent = n > 0 ? String(n) : '';
      badge.hidden = n === 0;
      description.textContent = n > 0 ? t('new.fields_count', { count: n }) : '';
      if (n > 0) button.setAttribute('aria-describedby', description.id);
      else button.removeAttribute('aria-describedby');
    });
  };
  refreshBadges();

  // ---- keyboard: arrows, Home/End, PageUp/PageDown move the focus; Enter/Space (the button's own) show ----
  const focusThumb = (index) => {
    buttons.forEach((b, i) => { b.tabIndex = i === index ? 0 : -1; });
    buttons[index].focus();
  };
  list.addEventListener('keydown', (e) => {
    const button = e.target.closest?.('[data-testid="page-thumb"]');
    if (!button || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = thumbKeyTarget(e.key, Number(button.dataset.page), count);
    if (target === null) return;
    e.preventDefault();
    focusThumb(target);
  });
  // A thumbnail focused with the mouse becomes the one Tab comes back to.
  list.addEventListener('focusin', (e) => {
    const button = e.target.closest?.('[data-testid="page-thumb"]');
    if (button && button.tabIndex !== 0) buttons.forEach((b) => { b.tabIndex = b === button ? 0 : -1; });
  });

  // ---- images: loaded when near the visible part of the strip, from the cache when already rendered ----
  const requested = new Set();
  const load = (i) => {
    const button = buttons[i];
    if (!button || requested.has(i)) return;
    requested.add(i);
    const img = button.querySelector('img');
    const key = thumbKey(doc.doc_id, i, pixels);
    const shown = (url) => {
      img.src = url;
      button.classList.add('is-loaded');
    };
    if (thumbs.has(key)) {
      shown(thumbs.get(key));
      return;
    }
    thumbs.load(key, () => ipc.renderPage(doc.doc_id, i, pixels))
      .then(shown)
      .catch((err) => {
        requested.delete(i);
        if (err !== CANCELLED) button.classList.add('has-error');
      });
  };
  // Already rendered thumbnails around the shown page appear at once (no blank flash on a page change).
  for (let i = Math.max(0, current - 12); i <= Math.min(count - 1, current + 12); i += 1) {
    if (thumbs.has(thumbKey(doc.doc_id, i, pixels))) load(i);
  }
  if (typeof IntersectionObserver === 'function') {
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        load(Number(entry.target.dataset.page));
      }
    }, { root: strip, rootMargin: `0px ${THUMB_WIDTH * 4}px` });
    for (const b of buttons) observer.observe(b);
    thumbObserver = observer;
  } else {
    for (const i of eagerPages(count, current)) load(i);
    strip.addEventListener('scroll', () => {
      const step = items.length > 1 ? items[1].offsetLeft - items[0].offsetLeft : THUMB_WIDTH;
      const [from, to] = visibleRange(strip.scrollLeft, strip.clientWidth, step, count);
      for (let i = from; i <= to; i += 1) load(i);
    }, { passive: true });
  }

  strip.addEventListener('scroll', () => thumbScroll.set(doc.key, strip.scrollLeft), { passive: true });
  // Once on screen: back where the strip was for this document, with the shown page in view.
  // (The view's first render builds it before app.js puts the view in the document: then one frame later.)
  const mounted = (retry = true) => {
    if (!strip.isConnected) {
      if (retry && typeof requestAnimationFrame === 'function') requestAnimationFrame(() => mounted(false));
      return;
    }
    const saved = thumbScroll.get(doc.key);
    if (saved !== undefined) strip.scrollLeft = saved;
    const item = items[current];
    if (!item) return;
    const left = item.offsetLeft;
    const right = left + item.offsetWidth;
    if (left < strip.scrollLeft || right > strip.scrollLeft + strip.clientWidth) {
      strip.scrollLeft = Math.max(0, left - (strip.clientWidth - item.offsetWidth) / 2);
    }
  };
  return { element, refreshBadges, mounted };
}

/** Loads the page image from the backend (device pixels for a sharp preview), cached per size. */
function loadPreview(ipc, img, preview, status, doc, pageIndex, cssWidth, t) {
  const pixels = Math.round(cssWidth * (globalThis.devicePixelRatio || 1));
  const key = `${doc.doc_id}:${pageIndex}:${pixels}`;
  img.style.width = '100%';
  img.style.height = '100%';
  const done = (url) => {
    img.src = url;
    preview.classList.remove('is-loading');
    status.textContent = '';
  };
  if (previews.has(key)) {
    done(previews.get(key));
    return;
  }
  status.textContent = t('new.preview_loading');
  ipc.renderPage(doc.doc_id, pageIndex, pixels)
    .then((url) => {
      previews.set(key, url);
      if (previews.size > PREVIEW_CACHE_SIZE) previews.delete(previews.keys().next().value);
      if (img.isConnected) done(url);
    })
    .catch((err) => {
      preview.classList.remove('is-loading');
      preview.classList.add('has-error');
      status.textContent = t('new.preview_failed', { message: err.message ?? String(err) });
      status.removeAttribute('aria-hidden');
    });
}
