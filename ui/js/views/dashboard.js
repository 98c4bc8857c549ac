// Cruscotto: the clerk's home. What needs the clerk ("Da fare", with its count and the profile it is of),
// counters per status (each a link to its list), the big "Nuova richiesta" button and the latest activity, from the local store (so it works offline). Refreshed by app.js when
// the engine reports something.
import { countsWithAside } from '../aside.js';
import { progressPercent } from '../bulk.js';
import { formatDateTime, actorLabel } from '../format.js';
import { h, infoList, loading, memo } from './common.js';

const cache = memo();

// Counter → where its list is. Order is the dashboard's reading order.
const COUNTERS = [
  { key: 'waiting', testid: 'count-pending', href: '#/pending' },
  { key: 'expiring', testid: 'count-expiring', href: '#/pending/expiring' },
  { key: 'expired', testid: 'count-expired', href: '#/pending/expired' },
  { key: 'signed', testid: 'count-signed', href: '#/signed' },
  { key: 'sending', testid: 'count-sending', href: '#/pending/sending' },
  { key: 'drafts', testid: 'count-drafts', href: '#/pending/draft' },
  { key: 'rejected', testid: 'count-rejected', href: '#/pending/rejected' },
  { key: 'cancelled', testid: 'count-cancelled', href: '#/pending/cancelled' },
  { key: 'failed', testid: 'count-failed', href: '#/pending/failed' },
];

export function render({ state, i18n, ipc, onError }) {
  const { t } = i18n;
  const section = h('div', { class: 'dashboard' });
  section.innerHTML = `
    <div class="d-flex flex-wrap align-items-center justify-content-between gap-3">
      <div>
        <h1 class="h2" data-testid="view-title" data-i18n="dashboard.title" tabindex="-1"></h1>
        <p class="lead mb-0" data-i18n="dashboard.intro"></p>
      </div>
      <a class="btn btn-primary btn-lg new-request-button" href="#/new" data-testid="new-request" data-i18n="dashboard.new_request"></a>
    </div>
    <div class="todo-slot"></div>
    <div class="sync-slot"></div>
    <div class="held-slot"></div>
    <div class="batch-slot"></div>
    <section class="mt-4" aria-labelledby="counters-title">
      <h2 class="h4" id="counters-title" data-i18n="dashboard.counters_title"></h2>
      <ul class="counter-grid list-unstyled"></ul>
    </section>
    <section class="mt-4" aria-labelledby="recent-title">
      <h2 class="h4" id="recent-title" data-i18n="dashboard.recent_title"></h2>
      <div class="recent-slot"></div>
    </section>`;

  if (state.sync && !state.sync.ok) {
    section.querySelector('.sync-slot').append(h('div', { class: 'alert alert-warning mt-3', role: 'status', testid: 'sync-warning' },
      t('dashboard.sync_failed', { message: state.sync.message ?? '' })));
  }

  const grid = section.querySelector('.counter-grid');
  const values = new Map();
  for (const c of COUNTERS) {
    const value = h('span', { class: 'counter-value', testid: c.testid }, '…');
    values.set(c.key, value);
    grid.append(h('li', {},
      h('a', { class: `counter-card counter-${c.key}`, href: c.href },
        value, h('span', { class: 'counter-label', text: t(`dashboard.counts.${c.key}`) }))));
  }

  const recentSlot = section.querySelector('.recent-slot');
  recentSlot.append(loading(t));

  const fill = (data) => {
    for (const c of COUNTERS) values.get(c.key).textContent = String(data.counts?.[c.key] ?? 0);
    recentSlot.replaceChildren(recentList(data.recent ?? [], t));
    section.querySelector('.held-slot').replaceChildren(...heldList(data.held ?? [], t));
  };
  const cached = cache.get('dashboard');
  if (cached) fill(cached);
  // "Bozze" counts the drafts set aside on this computer too (an unreadable list counts none).
  Promise.all([ipc.dashboard(), ipc.setAsideDrafts().catch(() => [])])
    .then(([data, aside]) => {
      const full = { ...data, counts: countsWithAside(data.counts, aside) };
      cache.set('dashboard', full);
      fill(full);
    })
    .catch((err) => {
      if (!cached) recentSlot.replaceChildren(h('p', { class: 'text-muted', text: t('dashboard.unavailable') }));
      onError(err);
    });

  // "Da fare": how many requests need the clerk, linking to the list (an unreadable one shows nothing here;
  // the view itself says why).
  const todoSlot = section.querySelector('.todo-slot');
  const cachedTodo = cache.get('todo');
  if (cachedTodo) todoSlot.replaceChildren(todoCard(cachedTodo, t));
  ipc.todoList()
    .then((todo) => {
      cache.set('todo', todo);
      todoSlot.replaceChildren(todoCard(todo, t));
    })
    .catch(() => {});

  // Lists being sent (Invio da elenco), followed here too; an unreadable list of lists shows none.
  ipc.bulkBatches()
    .then((batches) => section.querySelector('.batch-slot').replaceChildren(...batchList(batches, t)))
    .catch(() => {});

  if (state.info) section.append(infoList(state.info));
  return section;
}

/** "Da fare: 3 richieste hanno bisogno di un intervento" for the profile named, with the link to the list. */
function todoCard(todo, t) {
  const count = todo.items?.length ?? 0;
  return h('section', { class: `alert ${count > 0 ? 'alert-warning' : 'alert-success'} mt-3 todo-card`, testid: 'dashboard-todo', data: { count: String(count) } },
    h('h2', { class: 'h5' }, t('dashboard.todo_title'), ' ', h('span', { class: 'badge bg-primary', testid: 'count-todo', text: String(count) })),
    h('p', { class: 'mb-1', text: t('dashboard.todo_text', { count }) }),
    h('p', { class: 'small mb-2', testid: 'dashboard-todo-profile' }, `${t('todo.profile')}: `, h('strong', { text: todo.profile_name })),
    h('a', { class: 'btn btn-primary btn-sm', href: '#/todo', testid: 'open-todo', text: t('dashboard.todo_open') }));
}

/** Lists still being sent or paused, each with its progress, linking to "Invio da elenco". */
function batchList(batches, t) {
  const moving = batches.filter((b) => b.state === 'sending' || b.state === 'paused');
  if (moving.length === 0) return [];
  return [h('section', { class: 'alert alert-info mt-3', role: 'status', testid: 'dashboard-batches' },
    h('h2', { class: 'h5', text: t('dashboard.batches_title') }),
    h('ul', { class: 'list-unstyled mb-0' }, moving.map((b) => {
      const percent = progressPercent(b);
      const bar = h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(percent), 'aria-label': b.name });
      bar.style.width = `${percent}%`;
      return h('li', { class: 'mb-2', testid: 'dashboard-batch', data: { id: b.id, state: b.state } },
        h('a', { href: '#/bulk', class: 'fw-semibold', text: b.name }),
        h('span', { text: ` · ${t(`bulk.state_${b.state}`)} · ${t('bulk.progress_text', { done: b.sent + b.failed, total: b.total })}` }),
        h('div', { class: 'progress mt-1' }, bar));
    })))];
}

/** Team mode: sends kept on this computer while the office database is unreachable (they leave by themselves). */
function heldList(held, t) {
  if (held.length === 0) return [];
  return [h('section', { class: 'alert alert-info mt-3', role: 'status', testid: 'held-sends' },
    h('h2', { class: 'h5', text: t('dashboard.held_title', { count: held.length }) }),
    h('p', { class: 'mb-2', text: t('dashboard.held_intro') }),
    h('ul', { class: 'mb-0' }, held.map((k) => h('li', { testid: 'held-send', data: { requestId: k.id } },
      h('span', { class: 'fw-semibold', text: k.title }),
      h('span', { text: ` · ${k.signer_name} · ${formatDateTime(k.at)}` }),
      k.problem ? h('div', { class: 'text-danger', text: t('dashboard.held_problem', { problem: k.problem }) }) : null))))];
}

function recentList(recent, t) {
  if (recent.length === 0) return h('p', { class: 'text-muted', testid: 'recent-empty', text: t('dashboard.recent_empty') });
  return h('ol', { class: 'recent-list list-unstyled', testid: 'recent-activity' },
    recent.map((e) => h('li', { class: 'recent-item', testid: 'recent-item', data: { requestId: e.request_id } },
      h('time', { class: 'recent-when', datetime: new Date(e.at).toISOString(), text: formatDateTime(e.at) }),
      h('div', { class: 'recent-what' },
        h('a', { href: `#/request/${encodeURIComponent(e.request_id)}`, class: 'fw-semibold' }, e.title || t('dashboard.untitled')),
        e.signer_name ? h('span', { class: 'text-muted', text: ` · ${e.signer_name}` }) : null,
        h('div', { class: 'recent-text' }, e.text, e.actor ? h('span', { class: 'text-muted', text: ` — ${actorLabel(e.actor, t)}` }) : null)))));
}
