// Impostazioni → "Tipi di documento e modelli": every document type with its template; administrators
// create, edit (IO dossier title, the type's own support email, documents and signature fields placed on a
// sample page), duplicate, delete or archive (a type requests were sent with) and bring back; the file offices
// share templates with (export, import). The editor's rules are in doctypes.js.
import {
  MAX_DOCUMENTS, MAX_FIELDS, MAX_SAMPLE_PAGES, NAME_MAX, addDocument, addField, editToSave, editorFor, editorProblems,
  placeField, removeDocument, removeField, setPageCount,
} from '../doctypes.js';
import { CLAUSE_MAX, CLAUSE_TYPES, TITLE_MAX, textLength } from '../draft.js';
import { announce, h } from './common.js';
import { openDialog } from './dialog.js';

// What survives a redraw (language change, leaving and coming back): the editor as typed.
const memory = { editor: null, duplicating: null };

/** Width of the sample page on screen (CSS px). */
const SAMPLE_WIDTH = 260;

/**
 * The section. `helpers`: settings.js's { section, setMessage, setBusy, isBusy }, so the section looks and
 * behaves like its neighbours.
 */
export function typesSection(ctx, helpers) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const { section, setMessage, setBusy, isBusy } = helpers;
  let types = null;
  let admin = false;

  const list = h('ul', { class: 'list-unstyled mb-3', testid: 'template-list' });
  const editorBox = h('div', { testid: 'type-editor-box' });
  const newButton = h('button', { type: 'button', class: 'btn btn-primary', testid: 'type-new', hidden: true }, t('types.new'));
  const exportButton = h('button', { type: 'button', class: 'btn btn-outline-primary', testid: 'templates-export' }, t('settings.templates_export'));
  const importInput = h('input', {
    type: 'file', id: 'templates-import', class: 'visually-hidden', accept: '.json,application/json', testid: 'templates-import',
  });
  const importLabel = h('label', { class: 'btn btn-outline-primary mb-0', for: 'templates-import', text: t('settings.templates_import') });
  const done = h('div', { class: 'alert alert-success mt-2 mb-0', role: 'status', testid: 'templates-done', hidden: true });
  const error = h('div', { class: 'alert alert-danger mt-2 mb-0', role: 'alert', testid: 'templates-error', hidden: true });

  const say = (text) => { setMessage(error, null); setMessage(done, 'success', text); announce(text); };
  const fail = (err) => { setMessage(done, null); setMessage(error, 'danger', i18n.errorText(err)); };
  const took = (next) => { types = next; drawList(); };

  const summary = (dt) => {
    const fields = (dt.template?.documents ?? []).reduce((n, d) => n + d.fields.length, 0);
    return dt.template ? t('settings.template_fields', { count: fields }) : t('settings.template_none');
  };

  function drawList() {
    list.replaceChildren(...(types ?? []).map((dt) => {
      const buttons = [];
      if (admin && !dt.archived) {
        buttons.push(
          h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary', testid: 'type-edit', onClick: () => openEditor(dt) }, t('types.edit')),
          h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary', testid: 'type-duplicate', onClick: () => { memory.duplicating = dt.name; drawList(); } }, t('types.duplicate')),
          h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', testid: 'type-remove', onClick: (e) => confirmRemove(dt, e.currentTarget) }, t('types.remove')));
      } else if (admin) {
        buttons.push(h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary', testid: 'type-restore', onClick: () => restore(dt) }, t('types.restore')));
      }
      const row = h('li', { class: 'type-row', testid: 'template-row', data: { name: dt.name, archived: String(Boolean(dt.archived)) } },
        h('div', {},
          h('span', { class: 'fw-semibold', text: dt.name }),
          dt.archived ? h('span', { class: 'badge bg-secondary ms-2', testid: 'type-archived', text: t('types.archived') }) : null,
          h('div', { class: 'small text-muted' },
            t('types.dossier', { title: dt.dossier_title }), ' · ', summary(dt),
            dt.support_email ? ` · ${t('types.support', { email: dt.support_email })}` : '',
            dt.retention_years ? ` · ${t('types.retention_line', { years: dt.retention_years })}` : '')),
        buttons.length ? h('div', { class: 'd-flex flex-wrap gap-2' }, buttons) : null);
      if (memory.duplicating === dt.name) row.append(duplicateForm(dt));
      return row;
    }));
  }

  function duplicateForm(dt) {
    const input = h('input', { type: 'text', id: 'type-duplicate-name', class: 'form-control', testid: 'type-duplicate-name', maxlength: String(NAME_MAX), value: t('types.copy_of', { name: dt.name }) });
    const form = h('form', { class: 'd-flex flex-wrap align-items-end gap-2 mt-2', testid: 'type-duplicate-form' },
      h('div', { class: 'form-group mb-0' }, h('label', { for: 'type-duplicate-name', class: 'active', text: t('types.duplicate_name') }), input),
      h('button', { type: 'submit', class: 'btn btn-sm btn-primary', testid: 'type-duplicate-confirm' }, t('types.duplicate_confirm')),
      h('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary', onClick: () => { memory.duplicating = null; drawList(); } }, t('types.cancel')));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      ipc.duplicateDocumentType(dt.name, input.value)
        .then((next) => { memory.duplicating = null; took(next); say(t('types.duplicated', { name: input.value.trim() })); })
        .catch(fail);
    });
    setTimeout(() => { if (input.isConnected) input.focus(); });
    return form;
  }

  function confirmRemove(dt, button) {
    const yes = h('button', { type: 'button', class: 'btn btn-danger', testid: 'type-remove-confirm' }, t('types.remove'));
    const no = h('button', { type: 'button', class: 'btn btn-outline-secondary' }, t('types.cancel'));
    const dialog = openDialog({
      testid: 'type-remove-dialog',
      labelledBy: 'type-remove-question',
      initialFocus: no,
      returnFocus: () => (button.isConnected ? button : newButton),
      children: [
        h('h2', { class: 'h4', id: 'type-remove-question', text: t('types.remove_question', { name: dt.name }) }),
        h('p', { text: t('types.remove_help') }),
        h('div', { class: 'd-flex gap-2 mt-3' }, yes, no),
      ],
    });
    no.addEventListener('click', () => dialog.close());
    yes.addEventListener('click', () => {
      dialog.close();
      ipc.removeDocumentType(dt.name)
        .then(({ archived, types: next }) => {
          if (memory.editor?.name === dt.name) closeEditor();
          took(next);
          say(t(archived ? 'types.archived_done' : 'types.removed', { name: dt.name }));
        })
        .catch(fail);
    });
  }

  function restore(dt) {
    ipc.restoreDocumentType(dt.name)
      .then((next) => { took(next); say(t('types.restored', { name: dt.name })); })
      .catch(fail);
  }

  function openEditor(dt) {
    memory.editor = editorFor(dt);
    drawEditor();
    editorBox.querySelector(dt ? '#type-title' : '#type-name')?.focus();
  }
  function closeEditor() {
    memory.editor = null;
    editorBox.replaceChildren();
  }

  // ---- the editor ----

  function drawEditor() {
    const ed = memory.editor;
    if (!ed) { editorBox.replaceChildren(); return; }
    const counter = (id) => h('small', { class: 'form-text', id, 'aria-live': 'off' });
    const text = (id, testid, label, value, extra = {}) => h('div', { class: 'form-group mb-3' },
      h('label', { for: id, class: 'active', text: label }),
      h('input', { type: 'text', id, class: 'form-control', testid, value, ...extra }));

    const name = text('type-name', 'type-name', t('types.name'), ed.name, { maxlength: String(NAME_MAX), readonly: !ed.new, 'aria-describedby': 'type-name-help' });
    name.append(h('small', { class: 'form-text', id: 'type-name-help', text: t(ed.new ? 'types.name_help_new' : 'types.name_help') }));
    const title = text('type-title', 'type-title', t('types.title'), ed.dossier_title, { 'aria-describedby': 'type-title-count' });
    title.append(counter('type-title-count'));
    const email = text('type-email', 'type-email', t('types.email'), ed.support_email, { type: 'email', placeholder: t('types.email_placeholder'), 'aria-describedby': 'type-email-help' });
    email.append(h('small', { class: 'form-text', id: 'type-email-help', text: t('types.email_help') }));
    const retention = text('type-retention', 'type-retention', t('types.retention'), ed.retention_years, { inputmode: 'numeric', maxlength: '3', 'aria-describedby': 'type-retention-help' });
    retention.append(h('small', { class: 'form-text', id: 'type-retention-help', text: t('types.retention_help') }));

    const hasTemplate = h('input', { type: 'checkbox', id: 'type-has-template', class: 'switch-input', testid: 'type-has-template', checked: ed.has_template });
    const templateBox = h('div', { testid: 'type-template', hidden: !ed.has_template });
    const problems = h('ul', { class: 'type-problems', testid: 'type-problems', 'aria-live': 'polite' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'type-save' }, t('types.save'));
    const cancel = h('button', { type: 'button', class: 'btn btn-outline-secondary', testid: 'type-cancel' }, t('types.cancel'));

    const form = h('form', { class: 'type-editor mt-3', testid: 'type-editor', 'aria-labelledby': 'type-editor-title', novalidate: true },
      h('h3', { class: 'h5', id: 'type-editor-title', text: ed.new ? t('types.new') : t('types.editing', { name: ed.name }) }),
      name, title, email, retention,
      h('div', { class: 'switch-row mb-3' }, hasTemplate, h('label', { for: 'type-has-template', text: t('types.has_template') })),
      templateBox,
      problems,
      h('div', { class: 'd-flex gap-2 mt-2' }, save, cancel));

    const refresh = () => {
      title.querySelector('#type-title-count').textContent = t('types.count', { count: textLength(ed.dossier_title), max: TITLE_MAX });
      const found = editorProblems(ed);
      problems.replaceChildren(...found.map((p) => h('li', { text: t(p.key, p.args) })));
      save.setAttribute('aria-disabled', String(found.length > 0));
    };
    name.querySelector('input').addEventListener('input', (e) => { ed.name = e.target.value; refresh(); });
    title.querySelector('input').addEventListener('input', (e) => { ed.dossier_title = e.target.value; refresh(); });
    email.querySelector('input').addEventListener('input', (e) => { ed.support_email = e.target.value; refresh(); });
    retention.querySelector('input').addEventListener('input', (e) => { ed.retention_years = e.target.value; refresh(); });
    hasTemplate.addEventListener('change', () => { ed.has_template = hasTemplate.checked; templateBox.hidden = !ed.has_template; refresh(); });
    cancel.addEventListener('click', () => { closeEditor(); newButton.focus(); });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (editorProblems(ed).length > 0 || isBusy(save)) { problems.querySelector('li')?.scrollIntoView({ block: 'nearest' }); return; }
      setBusy(save, true);
      ipc.editDocumentType(editToSave(ed))
        .then((next) => { const saved = ed.name.trim(); closeEditor(); took(next); say(t('types.saved', { name: saved })); })
        .catch(fail)
        .finally(() => setBusy(save, false));
    });

    templateBox.append(...templateEditor(ed, refresh));
    editorBox.replaceChildren(form);
    refresh();
  }

  /** The documents of the template: tabs, the active one's title, sample pages, fields on the sample page. */
  function templateEditor(ed, refresh) {
    const redraw = (focusId) => { drawEditor(); if (focusId) editorBox.querySelector(`#${focusId}`)?.focus(); };
    const doc = ed.documents[ed.active];
    const tabs = h('div', { class: 'd-flex flex-wrap gap-2 mb-4', role: 'group', 'aria-label': t('types.documents') },
      ed.documents.map((_, i) => h('button', {
        type: 'button', class: `btn btn-sm ${i === ed.active ? 'btn-primary' : 'btn-outline-primary'}`, testid: 'type-doc-tab',
        id: `type-doc-tab-${i}`, 'aria-pressed': String(i === ed.active), onClick: () => { ed.active = i; ed.selected = 0; redraw(`type-doc-tab-${i}`); },
      }, t('types.document_n', { n: i + 1 }))),
      ed.documents.length < MAX_DOCUMENTS
        ? h('button', { type: 'button', class: 'btn btn-sm btn-outline-secondary', testid: 'type-doc-add', id: 'type-doc-add', onClick: () => { addDocument(ed); redraw('type-doc-add'); } }, t('types.document_add'))
        : null,
      ed.documents.length > 1
        ? h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', testid: 'type-doc-remove', onClick: () => { removeDocument(ed, ed.active); redraw('type-doc-tab-0'); } }, t('types.document_remove'))
        : null);

    const docTitle = h('input', { type: 'text', id: 'type-doc-title', class: 'form-control', testid: 'type-doc-title', value: doc.title, placeholder: t('types.document_title_placeholder') });
    docTitle.addEventListener('input', () => { doc.title = docTitle.value; refresh(); });
    const pages = h('input', { type: 'number', id: 'type-doc-pages', class: 'form-control', testid: 'type-doc-pages', min: '1', max: String(MAX_SAMPLE_PAGES), value: String(doc.pages.length) });
    pages.addEventListener('change', () => { setPageCount(doc, pages.value); redraw('type-doc-pages'); });
    const fromEnd = h('input', { type: 'checkbox', id: 'type-doc-from-end', testid: 'type-doc-from-end', checked: doc.from_end });
    fromEnd.addEventListener('change', () => { doc.from_end = fromEnd.checked; refresh(); });

    // The sample page of the selected field, with every field of that page; a field is dragged with the
    // mouse or moved with the arrow keys (Shift: 10 points).
    const selected = doc.fields[ed.selected] ?? doc.fields[0];
    const pageIndex = selected?.page ?? doc.pages.length - 1;
    const page = doc.pages[pageIndex];
    const scale = SAMPLE_WIDTH / page.width;
    const sample = h('div', {
      class: 'type-sample', testid: 'type-sample', role: 'group',
      'aria-label': t('types.sample', { page: pageIndex + 1, pages: doc.pages.length }),
    });
    // Sized through the CSSOM: the window's CSP refuses style attributes.
    sample.style.width = `${SAMPLE_WIDTH}px`;
    sample.style.height = `${Math.round(page.height * scale)}px`;
    const boxes = new Map();
    const placeBox = (f) => {
      const box = boxes.get(f);
      if (box) box.style.cssText = `left:${f.x * scale}px;top:${f.y * scale}px;width:${f.w * scale}px;height:${f.h * scale}px`;
    };
    const rows = new Map();
    const showCoords = (f) => {
      const row = rows.get(f);
      if (!row) return;
      for (const k of ['x', 'y', 'w', 'h']) row.querySelector(`[data-coord='${k}']`).value = String(f[k]);
    };
    doc.fields.forEach((f, i) => {
      if (f.page !== pageIndex) return;
      const box = h('button', {
        type: 'button', class: `field-box type-sample-field${i === ed.selected ? ' is-selected' : ''}${f.clause_type === 'OPTIONAL' ? ' is-optional' : ''}`,
        testid: 'type-sample-field', 'aria-label': t('types.field_box', { n: i + 1, title: f.clause_title }),
      }, h('span', { class: 'field-box-label', text: String(i + 1) }));
      boxes.set(f, box);
      placeBox(f);
      box.addEventListener('keydown', (e) => {
        const step = e.shiftKey ? 10 : 1;
        const move = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key];
        if (!move) return;
        e.preventDefault();
        placeField(doc, f, { x: f.x + move[0], y: f.y + move[1] });
        placeBox(f); showCoords(f); refresh();
      });
      box.addEventListener('pointerdown', (e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        if (ed.selected !== i) { ed.selected = i; }
        box.focus();
        box.setPointerCapture?.(e.pointerId);
        const start = { x: e.clientX, y: e.clientY, fx: f.x, fy: f.y };
        const onMove = (m) => {
          placeField(doc, f, { x: start.fx + (m.clientX - start.x) / scale, y: start.fy + (m.clientY - start.y) / scale });
          placeBox(f); showCoords(f);
        };
        const onUp = () => {
          box.removeEventListener('pointermove', onMove);
          box.removeEventListener('pointerup', onUp);
          box.removeEventListener('pointercancel', onUp);
          refresh();
          for (const [other, el] of boxes) el.classList.toggle('is-selected', other === f);
          for (const [other, row] of rows) row.classList.toggle('is-selected', other === f);
        };
        box.addEventListener('pointermove', onMove);
        box.addEventListener('pointerup', onUp);
        box.addEventListener('pointercancel', onUp);
      });
      sample.append(box);
    });

    const fieldRows = doc.fields.map((f, i) => {
      const id = (k) => `type-field-${i}-${k}`;
      const number = (k) => {
        const input = h('input', { type: 'number', id: id(k), class: 'form-control form-control-sm', data: { coord: k }, value: String(f[k]), min: '0', step: '1' });
        input.addEventListener('change', () => { placeField(doc, f, { [k]: Number(input.value) }); showCoords(f); placeBox(f); refresh(); });
        return h('div', { class: 'type-coord' }, h('label', { for: id(k), class: 'active', text: t(`types.coord_${k}`) }), input);
      };
      const pageSelect = h('select', { id: id('page'), class: 'form-select form-select-sm', testid: 'type-field-page' },
        doc.pages.map((_, p) => h('option', { value: String(p), selected: p === f.page }, t('types.page_n', { n: p + 1 }))));
      pageSelect.addEventListener('change', () => {
        f.page = Number(pageSelect.value);
        placeField(doc, f, {});
        ed.selected = i;
        redraw(id('page'));
      });
      const clauseType = h('select', { id: id('type'), class: 'form-select form-select-sm', testid: 'type-field-clause-type' },
        CLAUSE_TYPES.map((c) => h('option', { value: c, selected: c === f.clause_type }, t(`clause.${c}`))));
      clauseType.addEventListener('change', () => { f.clause_type = clauseType.value; boxes.get(f)?.classList.toggle('is-optional', f.clause_type === 'OPTIONAL'); refresh(); });
      const clauseTitle = h('input', { type: 'text', id: id('title'), class: 'form-control form-control-sm', testid: 'type-field-clause-title', value: f.clause_title, maxlength: String(CLAUSE_MAX + 20) });
      clauseTitle.addEventListener('input', () => { f.clause_title = clauseTitle.value; refresh(); });
      const select = h('button', { type: 'button', class: 'btn btn-sm btn-outline-primary', testid: 'type-field-show', onClick: () => { ed.selected = i; redraw(id('show')); }, id: id('show') }, t('types.field_show'));
      const remove = h('button', { type: 'button', class: 'btn btn-sm btn-outline-danger', testid: 'type-field-remove', onClick: () => { removeField(ed, i); redraw('type-field-add'); } }, t('types.field_remove'));
      const row = h('fieldset', { class: `type-field${i === ed.selected ? ' is-selected' : ''}`, testid: 'type-field' },
        h('legend', { class: 'h6', text: t('types.field_n', { n: i + 1 }) }),
        h('div', { class: 'type-field-grid' },
          h('div', {}, h('label', { for: id('page'), class: 'active', text: t('types.page') }), pageSelect),
          number('x'), number('y'), number('w'), number('h'),
          h('div', {}, h('label', { for: id('type'), class: 'active', text: t('types.clause_type') }), clauseType),
          h('div', { class: 'type-clause-title' }, h('label', { for: id('title'), class: 'active', text: t('types.clause_title') }), clauseTitle)),
        h('div', { class: 'd-flex gap-2 mt-2' }, select, remove));
      rows.set(f, row);
      return row;
    });
    const add = h('button', {
      type: 'button', class: 'btn btn-sm btn-outline-primary', testid: 'type-field-add', id: 'type-field-add', 'aria-disabled': String(doc.fields.length >= MAX_FIELDS),
      onClick: () => { if (addField(ed)) redraw(`type-field-${ed.selected}-title`); },
    }, t('types.field_add', { max: MAX_FIELDS }));

    return [
      tabs,
      h('div', { class: 'form-group mb-3' }, h('label', { for: 'type-doc-title', class: 'active', text: t('types.document_title') }), docTitle),
      h('div', { class: 'd-flex flex-wrap gap-3 align-items-end mb-3' },
        h('div', { class: 'type-pages' }, h('label', { for: 'type-doc-pages', class: 'active', text: t('types.pages') }), pages),
        h('div', { class: 'form-check mb-0' }, fromEnd, h('label', { for: 'type-doc-from-end', text: t('types.from_end') }))),
      h('div', { class: 'type-template-body' },
        h('div', { class: 'type-sample-column' }, h('p', { class: 'small text-muted mb-1', text: t('types.sample', { page: pageIndex + 1, pages: doc.pages.length }) }), sample,
          h('p', { class: 'small text-muted mt-1', text: t('types.sample_help') })),
        h('div', { class: 'type-fields' }, fieldRows, add)),
    ];
  }

  // ---- the file ----

  exportButton.addEventListener('click', () => {
    if (isBusy(exportButton)) return;
    setBusy(exportButton, true);
    setMessage(error, null);
    ipc.exportTemplates()
      .then(({ path, count }) => setMessage(done, 'success', t('settings.templates_exported', { count, path })))
      .catch(fail)
      .finally(() => setBusy(exportButton, false));
  });
  importInput.addEventListener('change', () => {
    const file = importInput.files?.[0];
    importInput.value = '';
    if (!file) return;
    setMessage(error, null);
    file.text()
      .then((text) => ipc.importTemplates(text))
      .then(({ count }) => { say(t('settings.templates_imported', { count })); return load(); })
      .catch(fail);
  });
  newButton.addEventListener('click', () => openEditor(null));

  const load = () => Promise.all([ipc.documentTypes(), ipc.myRole().catch(() => null)])
    .then(([next, mine]) => {
      admin = mine?.role === 'amministratore';
      newButton.hidden = !admin;
      took(next);
      if (memory.editor && admin) drawEditor();
    })
    .catch(fail);
  load();
  return section('templates-title', 'templates-section', t('settings.templates_title'),
    h('p', { class: 'settings-help', text: t('settings.templates_help') }),
    list,
    h('div', { class: 'd-flex flex-wrap gap-2' }, newButton, exportButton, importLabel, importInput),
    editorBox,
    done, error);
}
