// Da fare (issue #16): what the clerk must act on in the active profile, most urgent first — sends that did
// not go out, rejected requests, requests expiring within 48 hours, expired ones — each row with its action:
// "Correggi e reinvia", "Nuova richiesta" for the same signer, and while it can still be signed "Firma allo
// sportello" (the QR code) and "Copia link di firma". The profile is named: Modalità prova's requests never
// pass for the office's. Refreshed by app.js when the engine reports something.
import { formatDateTime } from '../format.js';
import { KIND_TITLES, actionsFor, groups, rowDate } from '../todo.js';
import { expiryBadge, h, loading, memo, statusBadge } from './common.js';
import { copyLinkButton, qrButton, reopenInForm } from './request.js';

const cache = memo();

export function render(ctx) {
  const { i18n, ipc, onError } = ctx;
  const { t } = i18n;
  const root = h('div', { class: 'todo-view' });
  root.innerHTML = `
    <h1 class="h2" data-testid="view-title" data-i18n="todo.title" tabindex="-1"></h1>
    <p class="lead" data-i18n="todo.intro"></p>
    <div class="todo-profile-slot"></div>
    <div class="todo-slot"></div>`;
  const slot = root.querySelector('.todo-slot');
  const fill = (todo) => {
    root.querySelector('.todo-profile-slot').replaceChildren(profileLine(todo, t));
    slot.replaceChildren(...content(todo, ctx));
  };
  const cached = cache.get('todo');
  if (cached) fill(cached);
  else slot.append(loading(t));
  ipc.todoList()
    .then((todo) => {
      cache.set('todo', todo);
      fill(todo);
    })
    .catch((err) => {
      if (!cached) slot.replaceChildren(h('p', { class: 'text-muted', testid: 'todo-unavailable', text: t('todo.unavailable') }));
      onError(err);
    });
  return root;
}

/** "Profilo: Modalità prova" — whose work this is (and that nothing of it reached a citizen in prova). */
function profileLine(todo, t) {
  return h('p', { class: 'todo-profile', testid: 'todo-profile', data: { profile: todo.profile_id } },
    h('span', { text: `${t('todo.profile')}: ` }),
    h('strong', { text: todo.profile_name }),
    todo.sandbox ? h('span', { class: 'text-muted', text: ` — ${t('todo.sandbox_note')}` }) : null);
}

function content(todo, ctx) {
  const { t } = ctx.i18n;
  const parts = groups(todo.items);
  if (parts.length === 0) return [h('p', { class: 'alert alert-success', role: 'status', testid: 'todo-empty', text: t('todo.empty') })];
  const out = parts.map(({ kind, items }) => {
    const titleId = `todo-${kind}-title`;
    return h('section', { class: 'todo-group mb-4', 'aria-labelledby': titleId, testid: 'todo-group', data: { kind } },
      h('h2', { class: 'h4', id: titleId }, t(KIND_TITLES[kind] ?? 'todo.other_title'), ` (${items.length})`),
      h('ul', { class: 'list-unstyled todo-list' }, items.map((item) => row(item, ctx))));
  });
  if (todo.more) out.push(h('p', { class: 'small text-muted', testid: 'todo-more', text: t('todo.more') }));
  return out;
}

function row(item, ctx) {
  const { t } = ctx.i18n;
  const r = item.request;
  const date = rowDate(item);
  const errors = [];
  const buttons = actionsFor(item.kind).map((action, i) => {
    if (action === 'qr') {
      const { button, error } = qrButton(r, ctx);
      errors.push(error);
      return button;
    }
    if (action === 'link') {
      const { button, copied, error } = copyLinkButton(item, ctx);
      errors.push(error);
      return [button, copied];
    }
    const key = action === 'fix' ? 'request.fix_and_resend' : 'todo.new_request';
    const b = h('button', { type: 'button', class: `btn ${i === 0 ? 'btn-primary' : 'btn-outline-primary'}`, testid: `todo-${action}` },
      t(key), h('span', { class: 'visually-hidden', text: ` (${r.title} · ${r.signer_name})` }));
    b.addEventListener('click', () => reopenInForm(b, r.id, action, ctx));
    return b;
  });
  return h('li', { class: 'todo-row card card-bg mb-2', testid: 'todo-row', data: { requestId: r.id, kind: item.kind } },
    h('div', { class: 'card-body' },
      h('div', { class: 'd-flex flex-wrap align-items-center gap-2' },
        h('a', { href: `#/request/${encodeURIComponent(r.id)}`, class: 'fw-semibold', testid: 'todo-open', text: r.title || t('dashboard.untitled') }),
        h('span', { class: 'text-muted', text: `· ${r.signer_name}` }),
        statusBadge(r.status, t),
        expiryBadge(r, t)),
      h('div', { class: 'small', testid: 'todo-date' },
        t(date.key, { when: date.at ? formatDateTime(date.at) : '—' })),
      item.reason ? h('div', { class: 'small text-danger', testid: 'todo-reason', text: item.reason }) : null,
      h('div', { class: 'todo-actions d-flex flex-wrap align-items-center gap-2 mt-2' }, buttons, errors)));
}
