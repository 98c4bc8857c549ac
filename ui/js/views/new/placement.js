// Placing the signature fields on the page preview, with the mouse or the keyboard: the zoomable page
// (preview.js), the page strip (thumbnails.js), the field boxes and the field editor.
import {
  CLAUSE_MAX, CLAUSE_MIN, CLAUSE_TYPES, activeDocument, addField, clauseTitleOk, fieldById,
  removeField,
} from '../../draft.js';
import {
  CLICK_SLOP_PX, boxFromCorners, boxToPixels, centredBox, clampBox, ensureMinimum, moveBox, nudge,
  pointAt, resizeBox, setCoordinate,
} from '../../geometry.js';
import { announce, h } from '../common.js';
import { state, view } from './state.js';
import { stopThumbnails, buildThumbnails } from './thumbnails.js';
import { loadPreview } from './preview.js';

const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2];

/**
 * The placement editor for the active document: toolbar (page, zoom, add), the page preview with the
 * boxes, the detected AcroForm fields and the selected field's editor.
 */
export function buildPlacement(ctx, { changed, refreshDocuments, countedInput }) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const doc = activeDocument(state.draft);
  if (!doc) {
    stopThumbnails();
    return { element: h('p', { class: 'text-muted', testid: 'placement-empty', text: t('new.placement_empty') }) };
  }
  if (state.draft.page >= doc.pages.length) state.draft.page = 0;
  const pageIndex = state.draft.page;
  const page = doc.pages[pageIndex];
  const scale = state.draft.zoom;
  const cssWidth = page.width * scale;
  const cssHeight = page.height * scale;

  const element = h('div', { class: 'placement' });

  // Toolbar.
  const pageSelect = h('select', { id: 'page-select', testid: 'page-select' },
    doc.pages.map((_, i) => h('option', { value: String(i), selected: i === pageIndex }, t('new.page_of', { page: i + 1, count: doc.pages.length }))));
  const prev = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'page-prev', disabled: pageIndex === 0, 'aria-label': t('new.page_prev') }, '‹');
  const next = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'page-next', disabled: pageIndex >= doc.pages.length - 1, 'aria-label': t('new.page_next') }, '›');
  const zoomSelect = h('select', { id: 'zoom-select', testid: 'zoom-select' },
    ZOOMS.map((z) => h('option', { value: String(z), selected: z === state.draft.zoom }, `${Math.round(z * 100)}%`)));
  const zoomOut = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'zoom-out', disabled: state.draft.zoom <= ZOOMS[0], 'aria-label': t('new.zoom_out') }, '−');
  const zoomIn = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'zoom-in', disabled: state.draft.zoom >= ZOOMS[ZOOMS.length - 1], 'aria-label': t('new.zoom_in') }, '+');
  const addButton = h('button', { type: 'button', class: 'btn btn-primary btn-sm', testid: 'add-field' }, t('new.add_field'));
  element.append(h('div', { class: 'placement-toolbar d-flex flex-wrap align-items-end gap-3 mb-2' },
    state.draft.documents.length > 1 ? h('p', { class: 'mb-0 w-100 fw-semibold', text: t('new.placing_on', { name: doc.title || doc.name }) }) : null,
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
    state.draft.page = Math.max(0, Math.min(doc.pages.length - 1, i));
    rerender(false);
    view()?.root.querySelector(`[data-testid="page-thumb"][data-page="${state.draft.page}"]`)?.focus({ preventScroll: true });
  });
  element.append(strip.element);
  element.append(h('p', { class: 'small placement-help', id: 'preview-help', text: t('new.preview_help') }));
  const goPage = (i) => { state.draft.page = Math.max(0, Math.min(doc.pages.length - 1, i)); rerender(false); view()?.root.querySelector('#page-select')?.focus(); };
  pageSelect.addEventListener('change', () => goPage(Number(pageSelect.value)));
  prev.addEventListener('click', () => { goPage(pageIndex - 1); });
  next.addEventListener('click', () => { goPage(pageIndex + 1); });
  const setZoom = (z, focusId) => { state.draft.zoom = z; rerender(false); view()?.root.querySelector(`#${focusId}, [data-testid="${focusId}"]`)?.focus(); };
  zoomSelect.addEventListener('change', () => setZoom(Number(zoomSelect.value), 'zoom-select'));
  zoomOut.addEventListener('click', () => setZoom(ZOOMS[Math.max(0, ZOOMS.indexOf(state.draft.zoom) - 1)], 'zoom-out'));
  zoomIn.addEventListener('click', () => setZoom(ZOOMS[Math.min(ZOOMS.length - 1, ZOOMS.indexOf(state.draft.zoom) + 1)], 'zoom-in'));

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
    const selected = state.draft.selected === field.id;
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
        type: 'button', class: `btn btn-link p-0 text-start${state.draft.selected === f.id ? ' fw-bold' : ''}`, testid: 'field-select',
        'aria-current': state.draft.selected === f.id ? 'true' : null,
      }, t('new.field_item', { n: numberOf(f), page: f.page + 1, type: t(`clause.${f.clause_type}`) }));
      button.addEventListener('click', () => select(f.id, true));
      return h('li', {}, button);
    }));
    // The selected field's editor comes first, so Tab goes from the preview straight to its coordinates.
    const parts = [];
    const field = fieldById(doc, state.draft.selected);
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
      const { input: titleInput, count } = countedInput({
        id: 'clause-title', testid: 'clause-title', value: field.clause_title, min: CLAUSE_MIN, max: CLAUSE_MAX,
        ok: clauseTitleOk,
        onInput: (text) => {
          field.clause_title = text;
          placeBox(field);
          changed();
        },
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
            const field = addField(state.draft, doc, sf.page, clampBox(sf, doc.pages[sf.page]), sf.name);
            state.draft.page = sf.page;
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
      state.draft.selected = id;
      rerender(false);
      view()?.root.querySelector(`.field-box[data-field-id="${id}"]`)?.focus();
      return;
    }
    if (state.draft.selected !== id) {
      state.draft.selected = id;
      syncBoxes();
      renderFieldList();
    }
    if (focusBox && id) boxes.get(id)?.focus({ preventScroll: false });
  };
  const deleteField = (id) => {
    const field = fieldById(doc, id);
    if (!field) return;
    const n = numberOf(field);
    removeField(state.draft, doc, id);
    syncBoxes();
    renderEditor();
    afterFieldsChanged();
    preview.focus({ preventScroll: true });
    announce(t('new.field_removed', { n }));
  };
  const addAt = (box) => {
    const field = addField(state.draft, doc, pageIndex, box);
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
    const selected = fieldById(doc, state.draft.selected);
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
    if (id && state.draft.selected !== id) select(id);
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
        const field = addField(state.draft, doc, pageIndex, boxFromCorners(gesture.start, p, page));
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
      if (state.draft.selected) select(null);
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
