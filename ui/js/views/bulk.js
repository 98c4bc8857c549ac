// "Invio da elenco": a list of citizens (CSV or Excel, as registry and spreadsheet exports come) checked row
// by row before anything is sent: the document type, the list, its columns (guessed, editable), the folder
// of one PDF per row when the list names them, then the dry run's report — rows in error corrected in place
// and checked again, the report kept as CSV — and the send: confirmed, followed with a progress bar (rows sent,
// failed, left, the time left), paused, resumed or stopped, its final report kept as CSV; the lists sent
// before are listed with their progress. The rules are in bulk.js; the checks and the send in Rust
// (bulk/check.rs, bulk/send.rs).
import {
  ROLES, batchActive, checkInput, editableCells, etaText, mappingFor, mappingProblems, progressPercent, sendInput, sendProblems,
  setCell, setRole, sharedDocument, shownRows, typeHasTemplate,
} from '../bulk.js';
import { templateNoteText } from '../draft.js';
import { defaultDeadline, formatDateTime } from '../format.js';
import { announce, h } from './common.js';

// What survives leaving the view and coming back (never sent anywhere but to the desk).
const memory = {
  type: '', types: [], list: null, mapping: null, pdfDir: '', shared: null, report: null, filter: 'problems', editing: null,
  title: null, expires: null, confirming: false, followed: null, mappingEdited: false,
};

/** How often a list being sent is read again while the view is open. */
const FOLLOW_MS = 1000;

export function render(ctx) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const root = h('div', { class: 'bulk-view' },
    h('h1', { class: 'h2', testid: 'view-title', tabindex: '-1', text: t('bulk.title') }),
    h('p', { class: 'lead', text: t('bulk.intro') }));
  const error = h('div', { class: 'alert alert-danger', role: 'alert', testid: 'bulk-error', hidden: true });
  const done = h('div', { class: 'alert alert-success', role: 'status', testid: 'bulk-done', hidden: true });
  const fail = (err) => { done.hidden = true; error.textContent = i18n.errorText(err); error.hidden = false; };
  const clear = () => { error.hidden = true; done.hidden = true; };

  // The document for all, placed again with the chosen type's template.
  const reshare = () => {
    if (memory.shared) memory.shared = { ...sharedDocument(memory.shared.imported, memory.types, memory.type), imported: memory.shared.imported };
  };

  // ---- 1. the document type and the list ----
  const typeSelect = h('select', { id: 'bulk-type', testid: 'bulk-type' }, h('option', { value: '' }, t('bulk.type_choose')));
  ipc.documentTypes()
    .then((types) => {
      memory.types = types;
      if (memory.shared) { reshare(); draw(); }
      typeSelect.append(...types.filter((dt) => !dt.archived).map((dt) => h('option', { value: dt.name, selected: dt.name === memory.type }, dt.name)));
    })
    .catch(fail);
  typeSelect.addEventListener('change', () => {
    memory.type = typeSelect.value;
    memory.title = null;
    // The columns last confirmed for this type, unless the clerk already chose some for this list.
    if (memory.list && !memory.mappingEdited) memory.mapping = mappingFor(memory.list, memory.type);
    memory.report = null;
    reshare();
    draw();
  });
  const fileInput = h('input', { type: 'file', id: 'bulk-file', class: 'visually-hidden', accept: '.csv,.txt,.tsv,.xlsx,.xlsm', testid: 'bulk-file' });
  const fileLabel = h('label', { for: 'bulk-file', class: 'btn btn-outline-primary mb-0', text: t('bulk.file_pick') });
  const fileInfo = h('p', { class: 'mt-2 mb-0', testid: 'bulk-file-info', 'aria-live': 'polite' });
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (!file) return;
    clear();
    fileInfo.textContent = t('bulk.reading', { name: file.name });
    ipc.bulkRead(file)
      .then((list) => {
        memory.list = list;
        memory.mapping = mappingFor(list, memory.type);
        memory.mappingEdited = false;
        memory.report = null;
        memory.editing = null;
        draw();
        announce(formatInfo(list));
      })
      .catch((err) => { fileInfo.textContent = ''; fail(err); });
  });
  const formatInfo = (list) => {
    const f = list.format;
    const kind = f.kind === 'xlsx'
      ? t('bulk.format_xlsx', { sheet: f.sheet })
      : t('bulk.format_csv', { separator: f.separator === '\t' ? 'TAB' : f.separator, encoding: f.encoding });
    return t('bulk.file_info', { name: list.name, count: list.rows.length, kind });
  };

  root.append(
    h('section', { class: 'bulk-step', 'aria-labelledby': 'bulk-step-1' },
      h('h2', { class: 'h4', id: 'bulk-step-1', text: t('bulk.step_list') }),
      h('div', { class: 'select-wrapper mb-3 bulk-type' }, h('label', { for: 'bulk-type', text: t('bulk.type') }), typeSelect),
      h('div', {}, fileLabel, fileInput), fileInfo),
    error, done);

  // ---- 2. the columns, 3. the report, 4. the send; the list followed; the lists sent ----
  const columns = h('section', { class: 'bulk-step', 'aria-labelledby': 'bulk-step-2', testid: 'bulk-columns' });
  const report = h('section', { class: 'bulk-step', 'aria-labelledby': 'bulk-step-3', testid: 'bulk-report-section' });
  const sending = h('section', { class: 'bulk-step', 'aria-labelledby': 'bulk-step-4', testid: 'bulk-send-section' });
  const progress = h('section', { class: 'bulk-step', 'aria-labelledby': 'bulk-progress-title', testid: 'bulk-progress', hidden: true });
  const batches = h('section', { class: 'bulk-step', 'aria-labelledby': 'bulk-batches-title', testid: 'bulk-batches' });
  root.append(columns, report, sending, progress, batches);

  function drawColumns() {
    const list = memory.list;
    if (!list) { columns.replaceChildren(); return; }
    fileInfo.textContent = formatInfo(list);
    const selects = ROLES.map((role) => {
      const id = `bulk-map-${role}`;
      const select = h('select', { id, testid: id },
        h('option', { value: '' }, t('bulk.column_none')),
        list.headers.map((header, i) => h('option', { value: String(i), selected: memory.mapping[role] === i }, header)));
      select.addEventListener('change', () => {
        memory.mapping = setRole(memory.mapping, role, select.value === '' ? null : Number(select.value));
        memory.mappingEdited = true;
        memory.report = null;
        draw();
        columns.querySelector(`#${id}`)?.focus();
      });
      return h('div', { class: 'select-wrapper bulk-map' }, h('label', { for: id, text: t(`bulk.role_${role}`) }), select);
    });
    const problems = mappingProblems(memory.mapping);
    const folder = [];
    if (memory.mapping.pdf != null) {
      const pick = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'bulk-pick-folder' }, t('bulk.pdf_folder_pick'));
      pick.addEventListener('click', () => {
        ipc.bulkPickFolder()
          .then((dir) => { if (dir) { memory.pdfDir = dir; memory.report = null; draw(); } })
          .catch(fail);
      });
      folder.push(h('div', { class: 'd-flex flex-wrap align-items-center gap-2 mt-3' }, pick,
        h('span', { testid: 'bulk-pdf-folder', text: memory.pdfDir || t('bulk.pdf_folder_none') })));
    }
    if (memory.mapping.pdf == null) folder.push(sharedSection());
    const check = h('button', { type: 'button', class: 'btn btn-primary mt-3', testid: 'bulk-check', 'aria-disabled': String(problems.length > 0 || !memory.type) }, t('bulk.check'));
    check.addEventListener('click', () => runCheck(check));
    columns.replaceChildren(
      h('h2', { class: 'h4', id: 'bulk-step-2', text: t('bulk.step_columns') }),
      h('p', { class: 'settings-help', text: t('bulk.columns_help') }),
      h('div', { class: 'bulk-map-grid' }, selects),
      ...folder,
      h('ul', { class: 'type-problems', testid: 'bulk-mapping-problems' },
        [...problems, ...(memory.type ? [] : ['bulk.problem_no_type'])].map((k) => h('li', { text: t(k) }))),
      check);
  }

  /** "Documento per tutti": the PDF every row gets, checked as an import is, with the template's fields on it. */
  function sharedSection() {
    const input = h('input', { type: 'file', id: 'bulk-shared-pdf', class: 'visually-hidden', accept: '.pdf,application/pdf', testid: 'bulk-shared-pdf' });
    const label = h('label', { for: 'bulk-shared-pdf', class: 'btn btn-outline-primary btn-sm mb-0', text: t('bulk.shared_pick') });
    const info = h('div', { class: 'mt-2', testid: 'bulk-shared-info', 'aria-live': 'polite' });
    const shared = memory.shared;
    if (shared) {
      const state = shared.accepted
        ? t('bulk.shared_accepted', { name: shared.name, pages: shared.pages })
        : t('bulk.shared_refused', { name: shared.name, reason: shared.error ?? '' });
      const fields = shared.fields.length > 0
        ? t('bulk.shared_fields', { count: shared.fields.length, pages: [...new Set(shared.fields.map((f) => f.page + 1))].join(', ') })
        : t('bulk.shared_no_fields');
      info.append(
        h('p', { class: shared.accepted ? 'mb-1' : 'mb-1 text-danger', text: state }),
        h('p', { class: 'mb-1', text: fields }),
        ...shared.notes.map((n) => h('p', { class: 'mb-1 text-warning-emphasis', text: templateNoteText(t, n) })));
    }
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      input.value = '';
      if (!file) return;
      clear();
      ipc.importPdf(file)
        .then((imported) => {
          memory.shared = { ...sharedDocument(imported, memory.types, memory.type), imported };
          memory.title = null;
          memory.expires = null;
          draw();
          announce(memory.shared.accepted ? t('bulk.shared_accepted', { name: imported.name, pages: imported.pages.length }) : t('bulk.shared_refused', { name: imported.name, reason: memory.shared.error ?? '' }));
        })
        .catch(fail);
    });
    return h('div', { class: 'mt-3', testid: 'bulk-shared' },
      h('h3', { class: 'h6', text: t('bulk.shared_title') }),
      h('p', { class: 'settings-help mb-2', text: t('bulk.shared_help') }),
      label, input, info);
  }

  function runCheck(button) {
    if (button?.getAttribute('aria-disabled') === 'true') return;
    clear();
    report.replaceChildren(h('p', { role: 'status', text: t('bulk.checking', { count: memory.list.rows.length }) }));
    ipc.bulkCheck(checkInput(memory.list, memory.mapping, memory.type, memory.pdfDir))
      .then((result) => {
        memory.report = result;
        memory.editing = null;
        memory.confirming = false;
        drawReport();
        drawSend();
        announce(result.summary);
        report.querySelector('[data-testid="bulk-summary"]')?.focus();
      })
      .catch((err) => { report.replaceChildren(); fail(err); });
  }

  function drawReport() {
    const r = memory.report;
    if (!r) { report.replaceChildren(); return; }
    const filter = h('select', { id: 'bulk-filter', testid: 'bulk-filter' },
      ['problems', 'errors', 'all'].map((f) => h('option', { value: f, selected: f === memory.filter }, t(`bulk.filter_${f}`))));
    filter.addEventListener('change', () => { memory.filter = filter.value; drawReport(); report.querySelector('#bulk-filter')?.focus(); });
    const save = h('button', { type: 'button', class: 'btn btn-outline-primary', testid: 'bulk-save-report' }, t('bulk.save_report'));
    save.addEventListener('click', () => {
      clear();
      ipc.bulkReport(checkInput(memory.list, memory.mapping, memory.type, memory.pdfDir))
        .then(({ path }) => { done.textContent = t('bulk.report_saved', { path }); done.hidden = false; announce(done.textContent); })
        .catch(fail);
    });
    const { rows, hidden } = shownRows(r, memory.filter);
    const body = h('tbody', {}, rows.flatMap((row) => rowLines(row)));
    report.replaceChildren(
      h('h2', { class: 'h4', id: 'bulk-step-3', text: t('bulk.step_report') }),
      h('p', { class: 'bulk-summary', testid: 'bulk-summary', tabindex: '-1', data: { ready: String(r.ready), warnings: String(r.warnings), errors: String(r.errors) } },
        h('span', { class: 'badge bg-success me-2', text: t('bulk.count_ready', { count: r.ready }) }),
        h('span', { class: 'badge bg-warning text-dark me-2', text: t('bulk.count_warnings', { count: r.warnings }) }),
        h('span', { class: 'badge bg-danger', text: t('bulk.count_errors', { count: r.errors }) })),
      h('p', { class: 'settings-help', text: t(r.errors > 0 ? 'bulk.errors_help' : 'bulk.nothing_sent') }),
      h('div', { class: 'd-flex flex-wrap align-items-end gap-3 mb-3' },
        h('div', { class: 'select-wrapper' }, h('label', { for: 'bulk-filter', text: t('bulk.filter') }), filter), save),
      rows.length === 0
        ? h('p', { testid: 'bulk-no-rows', text: t('bulk.no_rows_shown') })
        : h('div', { class: 'table-responsive' }, h('table', { class: 'table table-sm bulk-table', testid: 'bulk-table' },
          h('caption', { class: 'visually-hidden', text: t('bulk.step_report') }),
          h('thead', {}, h('tr', {}, ['line', 'name', 'code', 'birthplace', 'outcome', 'problems', 'action'].map((c) => h('th', { scope: 'col', text: t(`bulk.col_${c}`) })))),
          body)),
      ...(hidden > 0 ? [h('p', { class: 'settings-help', text: t('bulk.more_rows', { count: hidden }) })] : []));
  }

  function rowLines(row) {
    const outcome = h('span', { class: `badge ${{ ready: 'bg-success', warning: 'bg-warning text-dark', error: 'bg-danger' }[row.outcome]}`, text: t(`bulk.outcome_${row.outcome}`) });
    const fix = row.outcome === 'ready' ? null : h('button', {
      type: 'button', class: 'btn btn-sm btn-outline-primary', testid: 'bulk-fix', id: `bulk-fix-${row.line}`,
      'aria-expanded': String(memory.editing === row.line),
    }, t('bulk.fix'));
    fix?.addEventListener('click', () => { memory.editing = memory.editing === row.line ? null : row.line; drawReport(); report.querySelector(`#bulk-fix-${row.line}`)?.focus(); });
    const line = h('tr', { testid: 'bulk-row', data: { line: String(row.line), outcome: row.outcome } },
      h('td', { text: String(row.line) }),
      h('td', { text: row.signer_name }),
      h('td', { class: 'font-monospace', text: row.fiscal_code }),
      h('td', { text: row.birthplace ?? '' }),
      h('td', {}, outcome),
      h('td', {}, h('ul', { class: 'list-unstyled mb-0' }, row.problems.map((p) => h('li', { class: p.error ? 'text-danger' : '', text: p.message })))),
      h('td', {}, fix));
    if (memory.editing !== row.line) return [line];
    const cells = editableCells(memory.list, memory.mapping, row.line);
    const inputs = cells.map((c) => {
      const id = `bulk-edit-${row.line}-${c.role}`;
      const input = h('input', { type: 'text', id, class: 'form-control', testid: `bulk-edit-${c.role}`, value: c.value });
      return { c, input, field: h('div', { class: 'form-group mb-0' }, h('label', { for: id, class: 'active', text: t(`bulk.role_${c.role}`) }), input) };
    });
    const form = h('form', { class: 'd-flex flex-wrap align-items-end gap-3 py-2', testid: 'bulk-edit' },
      inputs.map((i) => i.field),
      h('button', { type: 'submit', class: 'btn btn-primary btn-sm', testid: 'bulk-edit-save' }, t('bulk.fix_save')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      for (const { c, input } of inputs) setCell(memory.list, row.line, c.column, input.value);
      runCheck(null);
    });
    setTimeout(() => { if (inputs[0]?.input.isConnected) inputs[0].input.focus(); });
    return [line, h('tr', { class: 'bulk-edit-row' }, h('td', { colspan: '7' }, form))];
  }

  // ---- 4. the send ----
  function drawSend() {
    const r = memory.report;
    if (!r) { sending.replaceChildren(); return; }
    const problems = sendProblems(r, memory.shared, memory.mapping, memory.pdfDir, typeHasTemplate(memory.types, memory.type));
    const count = r.ready + r.warnings;
    if (memory.title == null) memory.title = memory.mapping?.pdf == null && memory.shared ? memory.shared.title : memory.type;
    if (memory.expires == null) memory.expires = memory.shared?.expires_at ?? defaultDeadline(new Date());
    const title = h('input', { type: 'text', id: 'bulk-send-title', class: 'form-control', testid: 'bulk-send-title', value: memory.title ?? '', maxlength: '60' });
    title.addEventListener('input', () => { memory.title = title.value; });
    const expires = h('input', { type: 'date', id: 'bulk-send-expires', class: 'form-control', testid: 'bulk-send-expires', value: memory.expires ?? '' });
    expires.addEventListener('change', () => { memory.expires = expires.value; });
    const blocked = problems.length > 0;
    const go = h('button', { type: 'button', class: 'btn btn-primary', testid: 'bulk-send', 'aria-disabled': String(blocked) },
      t('bulk.send', { count }));
    const confirm = h('div', { class: 'alert alert-warning mt-3', role: 'alertdialog', 'aria-labelledby': 'bulk-confirm-text', testid: 'bulk-confirm', hidden: !memory.confirming },
      h('p', { id: 'bulk-confirm-text', text: t('bulk.send_confirm', { count, title: memory.title ?? '' }) }),
      h('div', { class: 'd-flex gap-2' },
        h('button', { type: 'button', class: 'btn btn-primary btn-sm', testid: 'bulk-confirm-yes', onClick: (e) => startSend(e.currentTarget) }, t('bulk.send_confirm_yes', { count })),
        h('button', { type: 'button', class: 'btn btn-outline-secondary btn-sm', testid: 'bulk-confirm-no', onClick: () => { memory.confirming = false; drawSend(); sending.querySelector('[data-testid="bulk-send"]')?.focus(); } }, t('bulk.send_confirm_no'))));
    go.addEventListener('click', () => {
      if (blocked) return;
      memory.title = title.value;
      memory.confirming = true;
      drawSend();
      sending.querySelector('[data-testid="bulk-confirm-yes"]')?.focus();
    });
    sending.replaceChildren(
      h('h2', { class: 'h4', id: 'bulk-step-4', text: t('bulk.step_send') }),
      h('p', { class: 'settings-help', text: t('bulk.send_help') }),
      h('div', { class: 'd-flex flex-wrap align-items-end gap-3 mb-3' },
        h('div', { class: 'form-group mb-0 bulk-send-title' }, h('label', { for: 'bulk-send-title', class: 'active', text: t('bulk.send_title') }), title),
        h('div', { class: 'form-group mb-0' }, h('label', { for: 'bulk-send-expires', class: 'active', text: t('bulk.send_expires') }), expires)),
      h('ul', { class: 'type-problems', testid: 'bulk-send-problems' }, problems.map((k) => h('li', { text: t(k) }))),
      go, confirm);
  }

  function startSend(button) {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    clear();
    ipc.bulkSend(sendInput(memory.list, memory.mapping, memory.type, memory.shared, memory.title, memory.expires, memory.pdfDir))
      .then((batch) => {
        // The list is saved and sending: what was checked is done with.
        Object.assign(memory, { list: null, mapping: null, report: null, shared: null, editing: null, title: null, expires: null, confirming: false });
        fileInfo.textContent = '';
        draw();
        follow(batch.id);
        announce(t('bulk.send_started', { count: batch.total }));
      })
      .catch((err) => { button.setAttribute('aria-disabled', 'false'); fail(err); });
  }

  // ---- a list followed: progress, pause, resume, stop, final report ----
  let timer = null;
  function follow(id) {
    memory.followed = id;
    refresh(true);
  }
  function refresh(focus = false) {
    if (!root.isConnected && timer) { clearInterval(timer); timer = null; return; }
    if (!memory.followed) return;
    ipc.bulkBatch(memory.followed)
      .then((d) => {
        drawProgress(d);
        if (focus) progress.querySelector('#bulk-progress-title')?.focus();
        if (batchActive(d.batch) && !timer) timer = setInterval(() => refresh(), FOLLOW_MS);
        if (!batchActive(d.batch) && timer) { clearInterval(timer); timer = null; loadBatches(); }
      })
      .catch(fail);
  }

  function drawProgress(d) {
    const b = d.batch;
    const percent = progressPercent(b);
    const bar = h('div', {
      class: 'progress-bar', role: 'progressbar', testid: 'bulk-progress-bar',
      'aria-labelledby': 'bulk-progress-title', 'aria-valuemin': '0', 'aria-valuemax': '100',
      'aria-valuenow': String(percent), 'aria-valuetext': t('bulk.progress_text', { done: b.sent + b.failed, total: b.total }),
    });
    bar.style.width = `${percent}%`;
    const eta = b.state === 'sending' ? etaText(b.eta_seconds) : null;
    const action = (key, act, testid) => h('button', {
      type: 'button', class: 'btn btn-outline-primary btn-sm', testid,
      onClick: () => ipc.bulkControl(b.id, act).then(() => { refresh(); announce(t(`bulk.${act}_done`)); }).catch(fail),
    }, t(key));
    const controls = [];
    if (b.here && b.state === 'sending') controls.push(action('bulk.pause', 'pause', 'bulk-pause'));
    if (b.here && b.state === 'paused') controls.push(action('bulk.resume', 'resume', 'bulk-resume'));
    if (b.here && (b.state === 'sending' || b.state === 'paused')) controls.push(action('bulk.stop', 'stop', 'bulk-stop'));
    if (!batchActive(b)) {
      const save = h('button', { type: 'button', class: 'btn btn-primary btn-sm', testid: 'bulk-final-report' }, t('bulk.final_report'));
      save.addEventListener('click', () => {
        clear();
        ipc.bulkBatchReport(b.id)
          .then(({ path }) => { done.textContent = t('bulk.report_saved', { path }); done.hidden = false; announce(done.textContent); })
          .catch(fail);
      });
      controls.push(save);
    }
    const failed = d.rows.filter((r) => r.outcome === 'failed' || r.outcome === 'refused');
    progress.hidden = false;
    progress.replaceChildren(...[
      h('h2', { class: 'h4', id: 'bulk-progress-title', tabindex: '-1', text: t('bulk.progress_title', { name: b.name }) }),
      h('p', { class: 'mb-1', testid: 'bulk-progress-state', data: { state: b.state }, text: t(`bulk.state_${b.state}`) }),
      h('div', { class: 'progress mb-2' }, bar),
      h('p', { class: 'bulk-counts', testid: 'bulk-progress-counts', data: { sent: String(b.sent), failed: String(b.failed), left: String(b.left + b.sending) } },
        h('span', { class: 'badge bg-success me-2', text: t('bulk.count_sent', { count: b.sent }) }),
        h('span', { class: 'badge bg-danger me-2', text: t('bulk.count_failed', { count: b.failed }) }),
        h('span', { class: 'badge bg-secondary me-2', text: t('bulk.count_left', { count: b.left + b.sending }) }),
        eta ? h('span', { testid: 'bulk-eta', text: t(eta.key, eta.args) }) : null),
      h('div', { class: 'd-flex flex-wrap gap-2 mb-3' }, controls),
      failed.length === 0 ? null : h('div', { class: 'table-responsive' }, h('table', { class: 'table table-sm', testid: 'bulk-failed' },
        h('caption', { text: t('bulk.failed_rows') }),
        h('thead', {}, h('tr', {}, ['line', 'name', 'code', 'reason'].map((c) => h('th', { scope: 'col', text: t(`bulk.col_${c}`) })))),
        h('tbody', {}, failed.slice(0, 200).map((r) => h('tr', {},
          h('td', { text: String(r.line) }), h('td', { text: r.signer_name }),
          h('td', { class: 'font-monospace', text: r.fiscal_code }), h('td', { text: r.reason ?? '' })))))),
    ].filter(Boolean));
  }

  // ---- the lists sent ----
  function loadBatches() {
    ipc.bulkBatches()
      .then((list) => {
        batches.replaceChildren(
          h('h2', { class: 'h4', id: 'bulk-batches-title', text: t('bulk.batches_title') }),
          list.length === 0
            ? h('p', { class: 'settings-help', text: t('bulk.batches_none') })
            : h('ul', { class: 'list-unstyled' }, list.map((b) => h('li', { class: 'd-flex flex-wrap align-items-center gap-2 mb-2', testid: 'bulk-batch', data: { id: b.id, state: b.state } },
              h('button', { type: 'button', class: 'btn btn-link p-0', onClick: () => follow(b.id) }, b.name),
              h('span', { text: t('bulk.batch_line', { type: b.document_type, when: formatDateTime(b.created_at), who: b.created_by }) }),
              h('span', { class: 'badge bg-light text-dark', text: `${t(`bulk.state_${b.state}`)} · ${progressPercent(b)}%` })))));
        // A list still being sent is followed at once (back on the view, or after a restart).
        if (!memory.followed) {
          const moving = list.find((b) => batchActive(b) && b.here);
          if (moving) follow(moving.id);
        }
      })
      .catch(fail);
  }

  function draw() {
    drawColumns();
    drawReport();
    drawSend();
  }
  draw();
  loadBatches();
  if (memory.followed) refresh();
  return root;
}
