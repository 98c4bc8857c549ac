// The lists of requests ("In attesa di firma", "Firmati"): search, filter, sort, one row per request
// with its badges and a link to the detail. Each list keeps its search and sort in module state, so a
// refresh from an engine event (or leaving and coming back) keeps what the clerk typed. A selectable list
// (Firmati) also keeps the ticked rows and exports them (or every row on screen) as CSV or ZIP.
import { EXPIRING_WINDOW_MS, formatDate, formatDateTime } from '../format.js';
import { exportIds, exportScope, selectAllState, toggleAll } from '../selection.js';
import { deadlineText, expiryBadge, h, loading, memo, statusBadge } from './common.js';
import { extraFilters, narrows } from '../list-query.js';

const PAGE = 50;
const SORT_DIRECTION = { expires_at: true, updated: false, signer_name: true, created: false };

/**
 * A list view. `config`: { key, title, intro, filters: { name: partial ListQuery }, defaultFilter,
 * sorts, defaultSort, columns: 'pending' | 'signed', selectable: boolean (row checkboxes and exports),
 * above: (filter, ctx) => element | null (what a filter shows above the search, e.g. the drafts set aside) }.
 */
export function listView(config) {
  const memory = {
    text: '', sort: config.defaultSort, ascending: SORT_DIRECTION[config.defaultSort], filter: config.defaultFilter, param: undefined, limit: PAGE,
    // Document type, created from/to (date inputs' values) and the scope (every profile only when asked).
    extra: { documentType: '', from: '', to: '', allProfiles: false },
    // Ticked rows (local ids) and the outcome of the last export: { ok, path, count } or { ok: false, text }.
    selected: new Set(),
    exported: null,
  };
  const cache = memo();

  return function render(ctx) {
    const { i18n, ipc, onError, params = [] } = ctx;
    const { t } = i18n;
    // The route's filter (#/pending/expiring) wins only when the route changed, not on every refresh.
    const param = params[0];
    if (param !== memory.param) {
      memory.param = param;
      memory.filter = config.filters[param] ? param : config.defaultFilter;
      memory.limit = PAGE;
    }

    const root = h('div', { class: `request-list-view list-${config.key}` });
    root.innerHTML = `
      <h1 class="h2" data-testid="view-title" tabindex="-1"></h1>
      <p class="lead"></p>
      <div class="above-slot"></div>
      <form class="list-controls row g-3 align-items-end" role="search">
        <div class="col-12 col-xl-5">
          <label class="form-label fw-semibold" for="${config.key}-search"></label>
          <input class="form-control" type="search" id="${config.key}-search" data-testid="request-search" autocomplete="off">
        </div>
        <div class="col-sm-4 col-xl-3 filter-col">
          <div class="select-wrapper">
            <label for="${config.key}-filter"></label>
            <select id="${config.key}-filter" data-testid="request-filter"></select>
          </div>
        </div>
        <div class="col-sm-4 col-xl-2">
          <div class="select-wrapper">
            <label for="${config.key}-sort"></label>
            <select id="${config.key}-sort" data-testid="request-sort"></select>
          </div>
        </div>
        <div class="col-sm-4 col-xl-2">
          <div class="select-wrapper">
            <label for="${config.key}-order"></label>
            <select id="${config.key}-order" data-testid="request-order"></select>
          </div>
        </div>
      </form>
      <form class="list-filters row g-3 align-items-end mt-1" data-testid="list-filters">
        <div class="col-sm-6 col-xl-3">
          <div class="select-wrapper">
            <label for="${config.key}-type"></label>
            <select id="${config.key}-type" data-testid="filter-type"></select>
          </div>
        </div>
        <div class="col-sm-3 col-xl-2">
          <label class="form-label fw-semibold" for="${config.key}-from"></label>
          <input class="form-control" type="date" id="${config.key}-from" data-testid="filter-from">
        </div>
        <div class="col-sm-3 col-xl-2">
          <label class="form-label fw-semibold" for="${config.key}-to"></label>
          <input class="form-control" type="date" id="${config.key}-to" data-testid="filter-to">
        </div>
        <div class="col-sm-6 col-xl-3">
          <div class="select-wrapper">
            <label for="${config.key}-scope"></label>
            <select id="${config.key}-scope" data-testid="filter-scope"></select>
          </div>
        </div>
        <div class="col-sm-6 col-xl-2">
          <button type="button" class="btn btn-outline-secondary btn-sm" data-testid="filter-clear"></button>
        </div>
      </form>
      <p class="list-profile mt-3 mb-0" data-testid="list-profile"></p>
      <p class="list-total mt-1 mb-2" data-testid="list-total" aria-live="polite"></p>
      <div class="export-slot"></div>
      <div class="list-slot"></div>`;
    root.querySelector('h1').textContent = t(config.title);
    root.querySelector('.lead').textContent = t(config.intro);
    const search = root.querySelector('input[type="search"]');
    const filter = root.querySelector(`#${config.key}-filter`);
    const sort = root.querySelector(`#${config.key}-sort`);
    const order = root.querySelector(`#${config.key}-order`);
    root.querySelector(`label[for="${config.key}-search"]`).textContent = t('list.search');
    root.querySelector(`label[for="${config.key}-filter"]`).textContent = t('list.filter');
    root.querySelector(`label[for="${config.key}-sort"]`).textContent = t('list.sort');
    root.querySelector(`label[for="${config.key}-order"]`).textContent = t('list.order');
    search.placeholder = t('list.search_placeholder');
    search.value = memory.text;
    const type = root.querySelector(`#${config.key}-type`);
    const from = root.querySelector(`#${config.key}-from`);
    const to = root.querySelector(`#${config.key}-to`);
    const scope = root.querySelector(`#${config.key}-scope`);
    const clear = root.querySelector('[data-testid="filter-clear"]');
    root.querySelector(`label[for="${config.key}-type"]`).textContent = t('list.type');
    root.querySelector(`label[for="${config.key}-from"]`).textContent = t('list.from');
    root.querySelector(`label[for="${config.key}-to"]`).textContent = t('list.to');
    root.querySelector(`label[for="${config.key}-scope"]`).textContent = t('list.scope');
    clear.textContent = t('list.clear');
    type.append(h('option', { value: '' }, t('list.all_types')));
    const typeOption = (name) => h('option', { value: name, selected: name === memory.extra.documentType }, name);
    // The chosen type stays offered while the types load (or if it was archived since).
    if (memory.extra.documentType) type.append(typeOption(memory.extra.documentType));
    ipc.documentTypes()
      .then((types) => {
        const names = (types ?? []).map((dt) => dt.name).filter((n) => n && n !== memory.extra.documentType);
        type.append(...names.map(typeOption));
      })
      .catch(() => {});
    from.value = memory.extra.from;
    to.value = memory.extra.to;
    for (const [value, key] of [['active', 'list.scope_active'], ['all', 'list.all_profiles']]) {
      scope.append(h('option', { value, selected: (value === 'all') === memory.extra.allProfiles }, t(key)));
    }
    const profileLine = root.querySelector('.list-profile');

    const filterNames = Object.keys(config.filters);
    if (filterNames.length < 2) root.querySelector('.filter-col').hidden = true;
    for (const name of filterNames) filter.append(h('option', { value: name, selected: name === memory.filter }, t(`list.filters.${name}`)));
    for (const name of config.sorts) sort.append(h('option', { value: name, selected: name === memory.sort }, t(`list.sorts.${name}`)));
    for (const [value, key] of [['asc', 'list.ascending'], ['desc', 'list.descending']]) {
      order.append(h('option', { value, selected: (value === 'asc') === memory.ascending }, t(key)));
    }

    const above = root.querySelector('.above-slot');
    const showAbove = () => above.replaceChildren(...[config.above?.(memory.filter, ctx)].filter(Boolean));
    showAbove();

    const slot = root.querySelector('.list-slot');
    const total = root.querySelector('.list-total');
    let sequence = 0;
    // The local ids of the rows on screen, in order.
    let visible = [];
    const selection = config.selectable ? exportBar(config, memory, () => visible, { i18n, ipc }) : null;
    if (selection) root.querySelector('.export-slot').append(selection.element);

    const show = (page) => {
      profileLine.textContent = page.profile_name ? t('list.profile_line', { name: page.profile_name }) : '';
      profileLine.dataset.allProfiles = page.all_profiles ? 'true' : 'false';
      // A text many requests carry is counted only up to a point: "più di N".
      total.textContent = t(page.total_at_least ? 'list.total_at_least' : 'list.total', { count: page.total });
      visible = page.items.map((r) => r.id);
      selection?.update();
      if (page.items.length === 0) {
        const why = memory.text ? 'list.no_match' : narrows(memory.extra) ? 'list.no_match_filters' : 'list.empty';
        slot.replaceChildren(h('p', { class: 'text-muted', testid: 'list-empty', text: t(why) }));
        return;
      }
      // An ARIA table made of blocks laid out with CSS grid: screen readers get rows and columns, and
      // every row is a box that WebDriver and the mouse can click (WebKit's driver cannot click a <tr>).
      const selectable = Boolean(config.selectable);
      const table = h('div', { role: 'table', class: `request-grid grid-${config.columns}${selectable ? ' selectable' : ''}`, 'aria-label': t(config.title), testid: 'request-table' },
        h('div', { role: 'rowgroup' },
          h('div', { role: 'row', class: 'grid-row grid-head' },
            selectable ? h('span', { role: 'columnheader', class: 'select-cell' }, h('span', { class: 'visually-hidden', text: t('list.col_select') })) : null,
            columnsOf(config.columns).map((c) => h('span', { role: 'columnheader', text: t(c) })))),
        h('div', { role: 'rowgroup' }, page.items.map((r) => row(r, config.columns, t, selectable ? { memory, onChange: () => selection.update() } : null, page.verdicts?.[r.id], page.all_profiles ? page.profile_names?.[r.profile_id] ?? r.profile_id : null))));
      const more = page.items.length < page.total || (page.total_at_least && page.items.length >= memory.limit)
        ? h('button', { type: 'button', class: 'btn btn-outline-primary mt-3', testid: 'list-more', onClick: () => { memory.limit += PAGE; load(); } }, t('list.more'))
        : null;
      slot.replaceChildren(table, ...(more ? [more] : []));
    };

    const queryKey = () => JSON.stringify([memory.text, memory.filter, memory.sort, memory.ascending, memory.limit, memory.extra]);
    const load = () => {
      const mine = ++sequence;
      const key = queryKey();
      const extra = extraFilters(memory.extra);
      const query = {
        ...config.filters[memory.filter],
        ...extra.query,
        text: memory.text.trim() || null,
        sort: memory.sort,
        ascending: memory.ascending,
        limit: memory.limit,
        offset: 0,
      };
      ipc.listRequests(query, extra.allProfiles)
        .then((page) => {
          cache.set(key, page);
          if (mine === sequence) show(page);
        })
        .catch((err) => {
          if (mine === sequence && !cache.get(key)) slot.replaceChildren(h('p', { class: 'text-muted', text: t('list.unavailable') }));
          onError(err);
        });
    };

    const cached = cache.get(queryKey());
    if (cached) show(cached);
    else slot.append(loading(t));
    load();

    let timer = null;
    search.addEventListener('input', () => {
      memory.text = search.value;
      memory.limit = PAGE;
      clearTimeout(timer);
      timer = setTimeout(load, 250);
    });
    root.querySelector('form').addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(timer);
      load();
    });
    filter.addEventListener('change', () => { memory.filter = filter.value; memory.limit = PAGE; showAbove(); load(); });
    sort.addEventListener('change', () => {
      memory.sort = sort.value;
      memory.ascending = SORT_DIRECTION[sort.value] ?? true;
      order.value = memory.ascending ? 'asc' : 'desc';
      load();
    });
    order.addEventListener('change', () => { memory.ascending = order.value === 'asc'; load(); });
    const refilter = () => {
      memory.extra = { documentType: type.value, from: from.value, to: to.value, allProfiles: scope.value === 'all' };
      memory.limit = PAGE;
      load();
    };
    for (const input of [type, from, to, scope]) input.addEventListener('change', refilter);
    root.querySelector('.list-filters').addEventListener('submit', (e) => e.preventDefault());
    clear.addEventListener('click', () => {
      type.value = '';
      from.value = '';
      to.value = '';
      scope.value = 'active';
      refilter();
    });
    return root;
  };
}

/** The ListQuery part of the "in scadenza" filter, shared with the dashboard's counter. */
export const EXPIRING_QUERY = { statuses: ['waiting'], expiring_within_ms: EXPIRING_WINDOW_MS };

function columnsOf(kind) {
  return kind === 'signed'
    ? ['list.col_request', 'list.col_signer', 'list.col_signed_at', 'list.col_archive', 'verification.column', 'list.col_actions']
    : ['list.col_request', 'list.col_signer', 'list.col_status', 'list.col_deadline', 'list.col_updated', 'list.col_actions'];
}

/**
 * The selection bar of a selectable list: "Seleziona tutti", the two exports, what they will take, and the
 * outcome of the last one. `rows()` gives the visible local ids. Returns `{ element, update }`.
 */
function exportBar(config, memory, rows, { i18n, ipc }) {
  const { t } = i18n;
  const allId = `${config.key}-select-all`;
  const scopeId = `${config.key}-export-scope`;
  const all = h('input', { type: 'checkbox', class: 'row-check', id: allId, testid: 'select-all', 'aria-describedby': scopeId });
  const csv = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'export-csv', 'aria-describedby': scopeId }, t('list.export_csv'));
  const zip = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'export-zip', 'aria-describedby': scopeId }, t('list.export_zip'));
  // Issue #14: one package for the records office per request (signed PDF, metadata, verification, audit).
  const pkg = h('button', { type: 'button', class: 'btn btn-outline-primary btn-sm', testid: 'export-packages', 'aria-describedby': scopeId }, t('handoff.packages'));
  const scope = h('span', { class: 'export-scope small', id: scopeId, testid: 'export-scope' });
  const result = h('div', { class: 'export-result', role: 'status', 'aria-live': 'polite', testid: 'export-result' });
  const bar = h('div', { class: 'export-bar d-flex flex-wrap align-items-center gap-3', testid: 'export-bar', hidden: true },
    h('div', { class: 'select-all d-flex align-items-center gap-2' }, all, h('label', { for: allId, class: 'mb-0 fw-semibold', text: t('list.select_all') })),
    h('div', { class: 'd-flex flex-wrap gap-2' }, csv, zip, pkg),
    scope);
  const element = h('div', { class: 'export-area mb-2' }, bar, result);

  const update = () => {
    const ids = rows();
    const stateOf = selectAllState(ids, memory.selected);
    all.checked = stateOf === 'all';
    all.indeterminate = stateOf === 'some';
    const what = exportScope(ids, memory.selected);
    scope.textContent = t(what.scope === 'selected' ? 'list.export_selected' : 'list.export_visible', { count: what.count });
    const none = ids.length === 0;
    // Nothing on screen, nothing to select or export (the last export's outcome stays visible).
    bar.hidden = none;
    for (const b of [csv, zip, pkg]) {
      if (none) b.setAttribute('aria-disabled', 'true');
      else if (!b.classList.contains('is-busy')) b.removeAttribute('aria-disabled');
    }
    // Rows are redrawn by refreshes; their boxes follow the selection.
    for (const box of document.querySelectorAll(`.list-${config.key} [data-testid="select-row"]`)) {
      box.checked = memory.selected.has(box.dataset.requestId);
    }
  };

  const showResult = () => {
    const done = memory.exported;
    if (!done) return result.replaceChildren();
    if (!done.ok) {
      return result.replaceChildren(h('div', { class: 'alert alert-danger mt-2 mb-0', testid: 'export-error', text: done.text }));
    }
    const reveal = h('button', { type: 'button', class: 'btn btn-outline-primary btn-xs', testid: 'export-reveal' }, t('list.export_reveal'));
    const revealError = h('div', { class: 'invalid-message', testid: 'export-reveal-error', hidden: true });
    reveal.addEventListener('click', () => {
      revealError.hidden = true;
      ipc.revealExport(done.path).catch((err) => {
        revealError.textContent = i18n.errorText(err);
        revealError.hidden = false;
      });
    });
    return result.replaceChildren(h('div', { class: 'alert alert-success mt-2 mb-0 export-done' },
      h('span', {}, t('list.export_saved_in'), ' ', h('code', { class: 'path-text', testid: 'export-path', text: done.path })),
      ' ', h('span', { text: `(${t('list.export_count', { count: done.count })})` }),
      h('div', { class: 'mt-2' }, reveal),
      revealError));
  };

  const run = (button, call) => {
    if (button.getAttribute('aria-disabled') === 'true') return;
    const ids = exportIds(rows(), memory.selected);
    if (ids.length === 0) return;
    for (const b of [csv, zip, pkg]) { b.setAttribute('aria-disabled', 'true'); b.classList.add('is-busy'); }
    memory.exported = null;
    result.replaceChildren(h('span', { class: 'small text-muted', text: t('list.exporting') }));
    call(ids)
      .then((out) => { memory.exported = { ok: true, path: out?.path ?? '', count: out?.count ?? ids.length }; })
      .catch((err) => { memory.exported = { ok: false, text: i18n.errorText(err) }; })
      .finally(() => {
        for (const b of [csv, zip, pkg]) b.classList.remove('is-busy');
        update();
        showResult();
      });
  };
  csv.addEventListener('click', () => run(csv, ipc.exportSignedCsv));
  zip.addEventListener('click', () => run(zip, ipc.exportSignedZip));
  pkg.addEventListener('click', () => run(pkg, ipc.exportPackages));
  all.addEventListener('change', () => {
    toggleAll(rows(), memory.selected);
    update();
  });
  showResult();
  return { element, update };
}

/** A signed row's verification at a glance (issue #14): the worst verdict of its documents, or "not yet". */
function verdictBadge(summary, t) {
  if (!summary) return h('span', { class: 'badge verify-badge verify-pending', testid: 'row-verdict', data: { verdict: 'pending' }, text: t('verification.pending') });
  return h('span', { class: `badge verify-badge verify-${summary.verdict}`, testid: 'row-verdict', data: { verdict: summary.verdict }, text: summary.text });
}

function row(r, kind, t, selection = null, verdict = undefined, profileName = null) {
  const href = `#/request/${encodeURIComponent(r.id)}`;
  const cell = (...children) => h('div', { role: 'cell', class: 'grid-cell' }, ...children);
  const label = (key) => h('span', { class: 'grid-label', 'aria-hidden': 'true', text: `${t(key)}: ` });
  const request = cell(
    h('a', { href, class: 'fw-semibold' }, r.title || t('dashboard.untitled')),
    h('div', { class: 'small text-muted', text: r.document_type }),
    profileName ? h('span', { class: 'badge profile-badge', testid: 'row-profile', text: profileName }) : null);
  const signer = cell(
    h('div', { text: r.signer_name }),
    h('div', { class: 'small text-muted font-monospace', text: r.fiscal_code }));
  const open = cell(h('a', { class: 'btn btn-outline-primary btn-sm', href, testid: 'open-request' },
    t('list.open'), h('span', { class: 'visually-hidden', text: `: ${r.title}` })));
  const cells = kind === 'signed'
    ? [request, signer,
      cell(label('list.col_signed_at'), r.signed_at ? formatDateTime(r.signed_at) : '—'),
      cell(h('span', { class: `badge ${r.archived ? 'archive-done' : 'archive-pending'}`, text: t(r.archived ? 'list.archived' : 'list.not_archived') })),
      cell(label('verification.column'), verdictBadge(verdict, t)),
      open]
    : [request, signer,
      cell(statusBadge(r.status, t), ' ', expiryBadge(r, t)),
      cell(label('list.col_deadline'), deadlineText(r)),
      cell(label('list.col_updated'), formatDate(r.updated_at)),
      open];
  if (selection) {
    const id = `select-${r.id}`;
    const box = h('input', { type: 'checkbox', class: 'row-check', id, testid: 'select-row', data: { requestId: r.id } });
    box.checked = selection.memory.selected.has(r.id);
    box.addEventListener('change', () => {
      if (box.checked) selection.memory.selected.add(r.id);
      else selection.memory.selected.delete(r.id);
      selection.onChange();
    });
    // The label fills the cell, so a click near the box ticks it instead of opening the detail.
    cells.unshift(h('div', { role: 'cell', class: 'grid-cell select-cell' },
      h('label', { class: 'row-select', for: id },
        box, h('span', { class: 'visually-hidden', text: t('list.select_row', { title: r.title || t('dashboard.untitled'), signer: r.signer_name }) }))));
  }
  const rowEl = h('div', { role: 'row', class: 'grid-row request-row', testid: 'request-row', data: { requestId: r.id, status: r.status } }, cells);
  // The whole row opens the detail for the mouse; keyboard users have the row's links.
  rowEl.addEventListener('click', (e) => {
    if (e.target.closest('a, button, input, select, label')) return;
    location.hash = href;
  });
  return rowEl;
}
