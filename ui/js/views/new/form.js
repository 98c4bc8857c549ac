// The new-request form: document type, signer (with the live codice fiscale check), deadline, delivery and
// the documents with their checks; it mounts the placement widget (placement.js) under the documents.
import {
  TITLE_MAX, TITLE_MIN, addDocument, applyTypeTemplate, draftHasContent, templateNoteText, templateFromDraft, problems, proposeTitle, removeDocument, restoreKeptDraft, textLength, titleOk,
  toSubmission, emptyProtocol, protocolOf,
} from '../../draft.js';
import { asideSummary } from '../../aside.js';
import { sortFiles } from '../../drop.js';
import { citizenDeadline, formatSize, isPastDate, isoDate, italianDate, parseIsoDate } from '../../format.js';
import { textOr } from '../../i18n.js';
import { announce, h, markInvalid } from '../common.js';
import { flushKeep, keepSoon, resetDraft, state, view } from './state.js';
import { buildPlacement } from './placement.js';
import { thumbs, thumbScroll } from './thumbnails.js';

const TEXT_INPUTS = new Set(['text', 'search', 'number', 'date', 'email', 'tel', 'url']);
let cfTimer = null;
let cfSequence = 0;

/**
 * Loads the document types before the form is first shown, so its select is complete at once (app.js
 * awaits this at start-up). Failures are left to the form, which asks again.
 */
export async function preload({ ipc, i18n }) {
  try {
    state.docTypes = await ipc.documentTypes();
  } catch {
    state.docTypes = null;
  }
  // The draft the last run kept: the form as it was when FirmaDesk closed.
  try {
    const kept = await ipc.keptDraft();
    if (kept && !draftHasContent(state.draft)) {
      state.draft = restoreKeptDraft(kept);
      state.draft.pdf_errors = state.draft.missing_documents.map((name) => i18n.t('new.pdf_not_kept', { name }));
    }
  } catch {
    // Nothing kept that can be read: the form starts empty.
  }
}

/**
 * Adds PDFs to the state.draft (from the file picker or a drop anywhere on the window); `rejected` are names
 * of files refused by type. Works whether or not the form is on screen.
 */
export async function addFiles(files, rejected, { ipc, i18n, onError }) {
  const { t } = i18n;
  state.draft.pdf_errors = rejected.map((name) => t('new.pdf_not_pdf', { name }));
  view()?.refreshDocuments();
  const added = [];
  for (const file of files) {
    state.draft.importing.push(file.name);
    view()?.refreshDocuments();
    try {
      const imported = await ipc.importPdf(file);
      added.push(addDocument(state.draft, imported, t('new.document_fallback_title', { n: state.draft.documents.length + 1 })));
    } catch (err) {
      state.draft.pdf_errors.push(t('new.pdf_failed', { name: file.name, message: err.message ?? String(err) }));
    } finally {
      state.draft.importing.splice(state.draft.importing.indexOf(file.name), 1);
    }
  }
  // The type's template gives the new documents their fields.
  applyTypeTemplate(state.draft, state.docTypes);
  keepSoon({ ipc, onError });
  if (added.length > 0) {
    state.draft.active = state.draft.documents.indexOf(added[0]);
    state.draft.page = 0;
    state.draft.selected = null;
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
  if (state.draft.pdf_errors.length) parts.push(t('new.docs_refused', { count: state.draft.pdf_errors.length }));
  if (parts.length) announce(parts.join(' '));
}

export function render(ctx) {
  const { i18n, ipc, onError } = ctx;
  const { t } = i18n;
  const root = h('div', { class: 'new-request' });
  root.innerHTML = `
    <h1 class="h2" data-testid="view-title" data-i18n="new.title" tabindex="-1"></h1>
    <p class="lead" data-i18n="new.intro"></p>
    <div class="alert alert-success" role="status" data-testid="form-notice" tabindex="-1" hidden></div>
    <div class="alert alert-info" role="status" data-testid="reopened-banner" hidden></div>
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
            <button type="button" class="btn btn-link btn-sm p-0 mt-1" data-testid="save-template" data-i18n="new.save_template" hidden></button>
            <div class="form-text" data-testid="template-status" role="status"></div>
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
            <input class="form-control" id="signer-name" data-testid="signer-name" autocomplete="off"
              aria-describedby="signer-book-help">
            <div class="signer-book mt-1" data-testid="signer-book" hidden>
              <p class="form-text mb-1" id="signer-book-help" data-i18n="new.signer_book_help"></p>
              <div class="d-flex flex-wrap gap-2" data-testid="signer-book-list"></div>
            </div>
          </div>
          <div class="col-lg-6">
            <label class="form-label fw-semibold" for="signer-fiscal-code" data-i18n="new.fiscal_code"></label>
            <input class="form-control fiscal-code-input" id="signer-fiscal-code" data-testid="signer-fiscal-code"
              autocomplete="off" spellcheck="false" autocapitalize="characters"
              aria-describedby="fiscal-code-error fiscal-code-decoded fiscal-code-place fiscal-code-name">
            <div class="invalid-message" id="fiscal-code-error" data-testid="fiscal-code-error" aria-live="polite" hidden></div>
            <div class="form-text" id="fiscal-code-decoded" data-testid="fiscal-code-decoded" aria-live="polite" hidden></div>
            <div class="form-text text-warning-emphasis" id="fiscal-code-place" data-testid="fiscal-code-place" aria-live="polite" hidden></div>
            <div class="fiscal-code-name mt-1" id="fiscal-code-name-box" data-testid="fiscal-code-name-box" hidden>
              <div class="form-text text-warning-emphasis" id="fiscal-code-name" data-testid="fiscal-code-name" aria-live="polite"></div>
              <div class="form-check mt-1">
                <input class="form-check-input" type="checkbox" id="fiscal-code-confirm" data-testid="fiscal-code-confirm">
                <label class="form-check-label" for="fiscal-code-confirm" data-i18n="new.fiscal_code_confirm"></label>
              </div>
            </div>
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

      <section class="form-section" aria-labelledby="sec-protocol">
        <details class="protocol-details" data-testid="new-protocol">
          <summary><h2 class="h4 d-inline" id="sec-protocol" data-i18n="new.section_protocol"></h2></summary>
          <p class="form-text" data-i18n="new.protocol_help"></p>
          <div class="row g-3">
            <div class="col-md-4"><label class="form-label" for="new-protocol-number" data-i18n="handoff.field-number"></label>
              <input class="form-control" type="text" id="new-protocol-number" data-testid="new-protocol-number" maxlength="50" data-protocol="number"></div>
            <div class="col-md-4"><label class="form-label" for="new-protocol-date" data-i18n="handoff.field-date"></label>
              <input class="form-control" type="date" id="new-protocol-date" data-testid="new-protocol-date" data-protocol="date"></div>
            <div class="col-md-4"><label class="form-label" for="new-protocol-register" data-i18n="handoff.field-register"></label>
              <input class="form-control" type="text" id="new-protocol-register" data-testid="new-protocol-register" maxlength="200" data-protocol="register"></div>
            <div class="col-md-4"><label class="form-label" for="new-protocol-classification" data-i18n="handoff.field-classification"></label>
              <input class="form-control" type="text" id="new-protocol-classification" data-testid="new-protocol-classification" maxlength="200" data-protocol="classification"></div>
            <div class="col-md-4"><label class="form-label" for="new-protocol-fascicolo" data-i18n="handoff.field-fascicolo"></label>
              <input class="form-control" type="text" id="new-protocol-fascicolo" data-testid="new-protocol-fascicolo" maxlength="200" data-protocol="fascicolo"></div>
            <div class="col-md-4 d-flex align-items-end"><div class="form-check">
              <input class="form-check-input" type="checkbox" id="new-protocol-reserved" data-testid="new-protocol-reserved">
              <label class="form-check-label" for="new-protocol-reserved" data-i18n="handoff.field-reserved"></label></div></div>
          </div>
        </details>
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
        <div class="d-flex flex-wrap align-items-center gap-3">
          <button type="submit" class="btn btn-primary btn-lg" data-testid="send-request" aria-describedby="submit-problems"
            data-i18n="new.submit"></button>
          <button type="button" class="btn btn-outline-primary btn-lg" data-testid="set-aside-draft"
            aria-describedby="set-aside-help" data-i18n="drafts.set_aside"></button>
        </div>
        <p class="form-text mt-2 mb-0" id="set-aside-help" data-i18n="drafts.set_aside_help"></p>
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
  const setAside = $('set-aside-draft');

  // ---- request: document type and title ----
  const typePanel = root.querySelector('#doc-type-panel');
  const typeToggle = $('doc-type-new');
  const typeError = $('doc-type-error');
  let shownTypes = null;
  const fillTypes = () => {
    // An archived type is offered only to a request reopened with it (fixed and sent again); a new draft
    // that kept it from the last send starts without it.
    const reopened = Boolean(state.draft.reopened || state.draft.replaces);
    const list = (state.docTypes ?? []).filter((dt) => !dt.archived || (reopened && dt.name === state.draft.document_type));
    // Rebuild the options only when the list changed: a refresh must not swap them under the pointer.
    const signature = JSON.stringify([state.docTypes === null, list.map((dt) => dt.name)]);
    if (signature !== shownTypes) {
      shownTypes = signature;
      typeSelect.replaceChildren(h('option', { value: '' }, t(state.docTypes === null ? 'common.loading' : 'new.document_type_choose')),
        ...list.map((dt) => h('option', { value: dt.name }, dt.name)));
    }
    if (state.draft.document_type && !list.some((dt) => dt.name === state.draft.document_type) && state.docTypes !== null) state.draft.document_type = '';
    typeSelect.value = state.draft.document_type;
    const chosen = list.find((dt) => dt.name === state.draft.document_type);
    root.querySelector('#document-type-help').textContent = chosen
      ? t('new.document_type_dossier_is', { title: chosen.dossier_title })
      : (state.docTypes !== null && list.length === 0 ? t('new.document_type_none') : '');
  };
  const showTypePanel = (open) => {
    typePanel.hidden = !open;
    typeToggle.setAttribute('aria-expanded', String(open));
    typeError.hidden = true;
    if (open) root.querySelector('#doc-type-name').focus();
  };
  typeSelect.addEventListener('change', () => {
    state.draft.document_type = typeSelect.value;
    fillTypes();
    if (applyTypeTemplate(state.draft, state.docTypes) > 0) {
      refreshDocuments();
      refreshPlacement();
      announce(t('new.template_applied', { type: state.draft.document_type }));
    }
    changed();
  });
  // "Salva come modello": the documents and fields drawn here become the chosen type's template.
  $('save-template').addEventListener('click', () => {
    const button = $('save-template');
    button.disabled = true;
    ipc.saveTemplate(state.draft.document_type, templateFromDraft(state.draft))
      .then((list) => {
        state.docTypes = list;
        announce(t('new.template_saved', { type: state.draft.document_type }));
        $('template-status').textContent = t('new.template_saved', { type: state.draft.document_type });
      })
      .catch(onError)
      .finally(() => { button.disabled = false; });
  });
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
        state.docTypes = list;
        state.draft.document_type = name;
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
      state.docTypes = list;
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
  // A title input with its live character count, checked as the clerk types (the documents' and the
  // clauses' titles): `onInput` receives the new text.
  const countedInput = ({ id, testid, value, min, max, ok, onInput }) => {
    const countId = `${id}-count`;
    const input = h('input', { class: 'form-control', id, testid, autocomplete: 'off', 'aria-describedby': `${id}-help ${countId}` });
    input.value = value;
    const count = h('span', { id: countId, class: 'char-count', testid: `${testid}-count` });
    const check = () => {
      counter(count, input.value, min, max);
      markInvalid(input, !ok(input.value));
    };
    check();
    input.addEventListener('input', () => {
      check();
      onInput(input.value);
    });
    return { input, count };
  };
  titleInput.value = state.draft.title;
  titleInput.addEventListener('input', () => {
    state.draft.title = titleInput.value;
    state.draft.title_typed = true;
    counter($('request-title-count'), state.draft.title, TITLE_MIN, TITLE_MAX);
    markInvalid(titleInput, state.draft.title !== '' && !titleOk(state.draft.title));
    changed();
  });
  // Leaving an emptied title gives the proposal back.
  titleInput.addEventListener('blur', () => changed());
  counter($('request-title-count'), state.draft.title, TITLE_MIN, TITLE_MAX);

  // ---- a draft just set aside or resumed: said once ----
  const notice = $('form-notice');
  if (state.notice) {
    notice.replaceChildren(h('span', { text: state.notice.text }),
      state.notice.toDrafts ? h('a', { class: 'ms-2', href: '#/pending/draft', testid: 'form-notice-drafts', text: t('drafts.open_list') }) : null);
    notice.hidden = false;
    state.notice = null;
  }

  // ---- reopened from a request: which one, and why it stopped ----
  const reopened = state.draft.reopened;
  const banner = $('reopened-banner');
  banner.hidden = !reopened;
  if (reopened) {
    banner.replaceChildren(...[
      h('p', { class: 'mb-1 fw-semibold', text: t(`new.reopened_${reopened.mode}`, { title: reopened.from_title }) }),
      reopened.reason ? h('p', { class: 'mb-1', testid: 'reopened-reason', text: t('new.reopened_reason', { reason: reopened.reason }) }) : null,
      reopened.missing.length > 0
        ? h('p', { class: 'mb-0', testid: 'reopened-missing', text: t('new.reopened_missing', { names: reopened.missing.join(', ') }) })
        : null,
    ].filter(Boolean));
  }

  // ---- signer ----
  nameInput.value = state.draft.signer_name;
  // The code's name letters are checked against the name too: a new name asks again (debounced).
  nameInput.addEventListener('input', () => {
    state.draft.signer_name = nameInput.value;
    checkFiscalCode(ctx, 400);
    lookUpSigners(nameInput.value);
    changed();
  });
  // The signer book: signers sent to before, offered as the clerk types a name or a code; one click fills both.
  const book = $('signer-book');
  const bookList = $('signer-book-list');
  let bookTimer = null;
  let bookAsked = 0;
  const lookUpSigners = (text) => {
    clearTimeout(bookTimer);
    const asked = ++bookAsked;
    if (text.trim().length < 2) { book.hidden = true; return; }
    bookTimer = setTimeout(() => {
      ipc.signerBook(text)
        .then((found) => {
          if (asked !== bookAsked) return;
          const typedName = state.draft.signer_name.trim();
          const typedCode = state.draft.fiscal_code.trim().toUpperCase();
          const offers = found.filter((s) => s.name !== typedName || s.fiscal_code !== typedCode);
          bookList.replaceChildren(...offers.map((s) => {
            const pick = h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary', testid: 'signer-book-pick',
              data: { code: s.fiscal_code } }, `${s.name} · ${s.fiscal_code}`);
            pick.addEventListener('click', () => {
              state.draft.signer_name = s.name;
              state.draft.fiscal_code = s.fiscal_code;
              nameInput.value = s.name;
              cfInput.value = s.fiscal_code;
              book.hidden = true;
              checkFiscalCode(ctx, 0);
              changed();
              cfInput.focus();
            });
            return pick;
          }));
          book.hidden = offers.length === 0;
        })
        .catch(() => { book.hidden = true; });
    }, 250);
  };
  cfInput.value = state.draft.fiscal_code;
  const updateCf = () => {
    const typed = state.draft.fiscal_code.trim().toUpperCase();
    const error = $('fiscal-code-error');
    const decoded = $('fiscal-code-decoded');
    const result = state.draft.cf && state.draft.cf.code === typed ? state.draft.cf.result : null;
    // A warning to confirm, not a block: married or foreign names and registry spellings differ from the code.
    const mismatch = result?.valid && result.name_match === false && state.draft.cf.name === state.draft.signer_name.trim();
    $('fiscal-code-name').textContent = mismatch ? t('new.fiscal_code_name_mismatch') : '';
    $('fiscal-code-name-box').hidden = !mismatch;
    const confirm = $('fiscal-code-confirm');
    const confirmed = state.draft.cf_confirmed;
    confirm.checked = Boolean(mismatch && confirmed && confirmed.code === state.draft.cf.code
      && confirmed.name === state.draft.cf.name);
    // The birthplace the code names, read at the birth date: a code not in use then is worth a second look.
    const place = $('fiscal-code-place');
    const where = result?.valid ? result.birthplace : null;
    let placeWarning = '';
    if (result?.valid && !where) placeWarning = t('new.birthplace_unknown', { code: result.belfiore ?? '' });
    else if (where && !where.valid_at_birth) placeWarning = t('new.birthplace_not_at_birth', { code: where.code, place: where.label });
    place.textContent = placeWarning;
    place.hidden = placeWarning === '';
    const bad = typed !== '' && result !== null && !result.valid;
    error.textContent = bad ? (result.message || t('new.fiscal_code_invalid')) : '';
    error.hidden = !bad;
    markInvalid(cfInput, bad);
    if (result?.valid) {
      const parts = [];
      if (result.birth_date) parts.push(t('new.born_on', { date: italianDate(result.birth_date) }));
      if (result.sex) parts.push(t(`new.sex_${result.sex}`));
      if (result.birthplace) parts.push(t('new.born_in', { place: result.birthplace.label }));
      else if (result.belfiore) parts.push(t('new.belfiore', { code: result.belfiore }));
      decoded.textContent = t('new.fiscal_code_ok', { details: parts.join(' · ') });
      decoded.hidden = false;
    } else {
      decoded.textContent = '';
      decoded.hidden = true;
    }
  };
  cfInput.addEventListener('input', () => {
    state.draft.fiscal_code = cfInput.value;
    checkFiscalCode(ctx, 250);
    lookUpSigners(cfInput.value);
    changed();
  });
  $('fiscal-code-confirm').addEventListener('change', (e) => {
    state.draft.cf_confirmed = e.target.checked && state.draft.cf ? { code: state.draft.cf.code, name: state.draft.cf.name } : null;
    changed();
  });
  cfInput.addEventListener('blur', () => checkFiscalCode(ctx, 0));
  updateCf();
  if (state.draft.fiscal_code.trim() && !state.draft.cf) checkFiscalCode(ctx, 0);

  // ---- deadline and delivery ----
  expiresInput.value = state.draft.expires_at;
  expiresInput.min = isoDate(new Date());
  const updateExpires = () => {
    const text = $('expires-text');
    const value = state.draft.expires_at;
    let bad = false;
    if (!value) text.textContent = t('new.expires_empty');
    else if (!parseIsoDate(value)) { text.textContent = t('new.expires_invalid'); bad = true; }
    else if (isPastDate(value)) { text.textContent = t('new.expires_past'); bad = true; }
    else text.textContent = t('new.expires_citizen', { text: citizenDeadline(value) });
    text.classList.toggle('text-danger', bad);
    markInvalid(expiresInput, bad);
  };
  const onExpires = () => { state.draft.expires_at = expiresInput.value; updateExpires(); changed(); };
  expiresInput.addEventListener('input', onExpires);
  expiresInput.addEventListener('change', onExpires);
  updateExpires();
  for (const radio of root.querySelectorAll('input[name="delivery"]')) {
    radio.checked = radio.value === state.draft.delivery;
    radio.addEventListener('change', () => { if (radio.checked) { state.draft.delivery = radio.value; changed(); } });
  }

  // ---- protocol data (issue #14), optional; open when something is typed ----
  state.draft.protocol ??= emptyProtocol();
  const protocolBox = root.querySelector('[data-testid="new-protocol"]');
  for (const input of root.querySelectorAll('[data-protocol]')) {
    const key = input.dataset.protocol;
    input.value = state.draft.protocol[key] ?? '';
    input.addEventListener('input', () => { state.draft.protocol[key] = input.value; changed(); });
  }
  const reservedBox = $('new-protocol-reserved');
  reservedBox.checked = state.draft.protocol.reserved === true;
  reservedBox.addEventListener('change', () => { state.draft.protocol.reserved = reservedBox.checked; changed(); });
  if (protocolOf(state.draft)) protocolBox.open = true;

  // ---- documents ----
  const pdfInput = $('pdf-input');
  pdfInput.addEventListener('change', () => {
    const { accepted, rejected } = sortFiles(Array.from(pdfInput.files ?? []));
    addFiles(accepted, rejected, ctx).finally(() => { pdfInput.value = ''; });
  });

  const refreshDocuments = () => {
    const errorBox = $('pdf-error');
    errorBox.replaceChildren(...state.draft.pdf_errors.map((m) => h('p', { class: 'mb-0', text: m })));
    errorBox.hidden = state.draft.pdf_errors.length === 0;
    $('import-status').textContent = state.draft.importing.length
      ? t('new.importing', { names: state.draft.importing.join(', ') })
      : '';
    const list = $('document-list');
    list.replaceChildren(...state.draft.documents.map((doc, i) => documentItem(doc, i)));
  };

  const documentItem = (doc, index) => {
    const active = index === state.draft.active;
    const titleId = `doc-title-${doc.key}`;
    const item = h('li', { class: `document-item card card-bg mb-3${active ? ' is-active' : ''}`, testid: 'document-item', data: { docKey: doc.key } });
    const body = h('div', { class: 'card-body' });
    item.append(body);
    const select = h('button', { type: 'button', class: 'btn btn-link p-0 fw-semibold text-start', 'aria-pressed': String(active), testid: 'doc-select' },
      doc.name);
    select.addEventListener('click', () => {
      state.draft.active = index;
      state.draft.page = 0;
      state.draft.selected = null;
      refreshDocuments();
      refreshPlacement();
      root.querySelector('[data-testid="page-preview"]')?.focus();
    });
    const remove = h('button', { type: 'button', class: 'btn btn-outline-danger btn-xs', testid: 'remove-document' },
      t('new.remove_document'), h('span', { class: 'visually-hidden', text: `: ${doc.name}` }));
    remove.addEventListener('click', () => {
      removeDocument(state.draft, doc.key);
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

    const { input: title, count } = countedInput({
      id: titleId, testid: 'doc-title', value: doc.title, min: TITLE_MIN, max: TITLE_MAX, ok: titleOk,
      onInput: (text) => {
        doc.title = text;
        changed();
      },
    });
    body.append(h('label', { class: 'form-label fw-semibold', for: titleId, text: t('new.doc_title') }), title,
      h('div', { class: 'form-text d-flex justify-content-between gap-2' },
        h('span', { id: `${titleId}-help`, text: t('new.doc_title_help') }), count));

    if (doc.findings.length) {
      body.append(h('ul', { class: 'findings list-unstyled mt-2 mb-0', testid: 'findings', 'aria-label': t('new.findings') },
        doc.findings.map((f) => h('li', { class: `finding finding-${f.severity}`, testid: 'finding', data: { severity: f.severity, code: f.code } },
          h('strong', { text: `${t(`new.severity.${f.severity}`)}: ` }),
          findingText(f),
          Number.isInteger(f.page) ? h('span', { class: 'text-muted', text: ` (${t('new.page_n', { page: f.page + 1 })})` }) : null))));
    }
    if (doc.template_notes?.length) {
      body.append(h('ul', { class: 'template-notes list-unstyled mt-2 mb-0', testid: 'template-notes', 'aria-label': t('new.template_notes') },
        doc.template_notes.map((n) => h('li', { class: 'finding finding-warning', testid: 'template-note', data: { problem: n.problem } },
          templateNoteText(t, n)))));
    }
    // The AgID guidelines prefer PDF/A for what the body keeps; FirmaDesk never converts (a conversion after
    // signing breaks the signature), so the clerk is told before sending.
    if (doc.pdfa === null) {
      body.append(h('p', { class: 'finding finding-info small mt-2 mb-0', testid: 'pdfa-advice', text: t('new.pdfa_missing') }));
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
    placement = buildPlacement(ctx, { changed, refreshDocuments, countedInput });
    slot.replaceChildren(placement.element);
    placement.mounted?.();
  };

  // ---- sending ----
  const changed = () => {
    // The proposed title follows the document type and the first document until the clerk types one; never
    // under the clerk's cursor.
    if (document.activeElement !== titleInput && proposeTitle(state.draft)) {
      titleInput.value = state.draft.title;
      counter($('request-title-count'), state.draft.title, TITLE_MIN, TITLE_MAX);
      markInvalid(titleInput, state.draft.title !== '' && !titleOk(state.draft.title));
    }
    keepSoon(ctx);
    // An administrator may keep what is drawn as the type's template (the desk refuses anyone else).
    $('save-template').hidden = !(state.isAdmin && state.draft.document_type && state.draft.documents.some((d) => d.fields.length > 0));
    setAside.disabled = state.settingAside || !canSetAside();
    const list = problems(state.draft);
    const blocked = list.length > 0 || state.submitting;
    sendButton.disabled = blocked;
    sendButton.setAttribute('aria-disabled', String(blocked));
    sendButton.textContent = t(state.submitting ? 'new.submitting' : 'new.submit');
    const box = $('submit-problems');
    if (list.length === 0) {
      box.replaceChildren(h('p', { class: 'mb-2 text-success fw-semibold', text: t('new.ready') }));
    } else {
      box.replaceChildren(h('p', { class: 'mb-1 fw-semibold', text: t('new.missing') }),
        h('ul', { class: 'mb-2' }, list.map((p) => h('li', { data: { problem: p }, text: t(`new.problems.${p}`) }))));
    }
  };

  // "Metti da parte": the draft goes among the drafts set aside (listed under Bozze) and the form starts clean.
  setAside.addEventListener('click', () => {
    if (setAside.disabled || !canSetAside()) return;
    state.settingAside = true;
    changed();
    flushKeep(ipc)
      .then(() => ipc.setAsideDraft())
      .then(async (aside) => {
        resetDraft();
        const text = t('drafts.set_aside_done', { label: asideSummary(aside, t).label });
        state.notice = { text, toDrafts: true };
        state.settingAside = false;
        await ctx.rerender();
        // The button is off on an empty form: the focus goes to the message, which is read out.
        view()?.root.querySelector('[data-testid="form-notice"]')?.focus();
      })
      .catch(onError)
      .finally(() => {
        state.settingAside = false;
        view()?.changed();
      });
  });

  // Enter in a text field must not send a request to a citizen by accident.
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target instanceof HTMLInputElement && TEXT_INPUTS.has(e.target.type)) e.preventDefault();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (state.submitting || problems(state.draft).length > 0) return;
    state.submitting = true;
    changed();
    const payload = toSubmission(state.draft);
    ipc.submitRequest(payload)
      .then(({ id, held }) => {
        state.submitting = false;
        // Same type and delivery are likely next time; everything else starts clean.
        resetDraft({ document_type: state.draft.document_type, delivery: state.draft.delivery });
        // Sent: the kept draft goes at once.
        keepSoon(ctx, 0);
        // Kept on this computer (office unreachable): the dashboard lists it until it leaves.
        announce(t(held ? 'new.held' : 'new.submitted'));
        location.hash = held ? '#/dashboard' : `#/request/${encodeURIComponent(id)}`;
      })
      .catch((err) => {
        state.submitting = false;
        if (view()) view().changed();
        onError(err);
      });
  });

  ipc.myRole()
    .then((mine) => { state.isAdmin = mine?.role === 'amministratore'; view()?.changed(); })
    .catch(() => { state.isAdmin = false; });
  state.mounted = { root, refreshDocuments, refreshPlacement, changed, updateCf };
  refreshDocuments();
  refreshPlacement();
  changed();
  return root;
}

/** Whether "Metti da parte" has something to keep: a draft with content, nothing importing or sending. */
function canSetAside() {
  return draftHasContent(state.draft) && state.draft.importing.length === 0 && !state.submitting;
}

/** A preflight finding in the clerk's language (by its code and values), else the checker's own text. */
function findingText(f) {
  return textOr(`preflight.${f.code}`, f.args ?? {}, f.message);
}

/** Debounced check of the typed codice fiscale; only the answer for the latest text is kept. */
function checkFiscalCode({ ipc, onError }, delay) {
  clearTimeout(cfTimer);
  const code = state.draft.fiscal_code.trim().toUpperCase();
  const name = state.draft.signer_name.trim();
  // Any answer still in flight is about older text.
  cfSequence += 1;
  if (!code) {
    state.draft.cf = null;
    view()?.updateCf();
    view()?.changed();
    return;
  }
  if (state.draft.cf?.code === code && state.draft.cf?.name === name) return;
  cfTimer = setTimeout(() => {
    const mine = ++cfSequence;
    ipc.checkFiscalCode(code, name)
      .then((result) => {
        if (mine !== cfSequence) return;
        state.draft.cf = { code, name, result };
        view()?.updateCf();
        view()?.changed();
      })
      .catch(onError);
  }, delay);
}
