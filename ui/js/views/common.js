// Small DOM helpers shared by views. Text always goes through textContent (never innerHTML) when it comes
// from data, so a document title or a name can never inject markup.
import { expiryState, formatDate } from '../format.js';

/** The "Informazioni" card: version and data folder, as returned by Rust. */
export function infoList(info) {
  const card = document.createElement('section');
  card.className = 'card-wrapper card-space mt-4';
  card.innerHTML = `
    <div class="card card-bg"><div class="card-body">
      <h2 class="h5 card-title" data-i18n="info.title"></h2>
      <dl class="info-list mb-0">
        <dt data-i18n="info.version"></dt><dd data-testid="app-version"></dd>
        <dt data-i18n="info.data_dir"></dt><dd data-testid="app-data-dir"></dd>
        <dt data-i18n="info.service"></dt><dd data-testid="service-url"></dd>
      </dl>
    </div></div>`;
  card.querySelector('[data-testid="app-version"]').textContent = info.version;
  card.querySelector('[data-testid="app-data-dir"]').textContent = info.data_dir;
  card.querySelector('[data-testid="service-url"]').textContent = info.service.base_url;
  return card;
}

/**
 * Builds an element: `h('a', { class: 'btn', href: '#/', testid: 'x', onClick: fn }, 'text', child)`.
 * `text` sets textContent; `testid` sets data-testid; `data` sets data-* attributes; `on<Event>`
 * adds listeners; `true` gives an empty attribute, `false`/null/undefined none; children can be strings,
 * nodes or arrays of them.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'testid') el.dataset.testid = value;
    else if (key === 'data') Object.assign(el.dataset, value);
    else if (/^on[A-Z]/.test(key)) el.addEventListener(key.slice(2).toLowerCase(), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Reads a message to screen-reader users through the page's polite live region. */
export function announce(text) {
  const region = document.getElementById('status-message');
  if (!region) return;
  // Emptying first makes a repeated message be read again.
  region.textContent = '';
  setTimeout(() => { region.textContent = text; }, 50);
}

/** A status badge ("In attesa di firma"...). */
export function statusBadge(status, t) {
  return h('span', { class: `badge status-badge status-${status}`, testid: 'request-status', data: { status } },
    t(`status.${status}`));
}

/**
 * "In scadenza" / "Scaduta" for a waiting request with a deadline; null otherwise (IO has no EXPIRED
 * status: it is computed here from the deadline).
 */
export function expiryBadge(request, t, now = Date.now()) {
  if (request.status !== 'waiting') return null;
  const state = expiryState(request.expires_at, now);
  if (state !== 'expiring' && state !== 'expired') return null;
  return h('span', { class: `badge expiry-badge expiry-${state}`, testid: 'expiry-badge', data: { expiry: state } },
    t(`expiry.${state}`));
}

/** The deadline of a request as a date, or a dash. */
export const deadlineText = (request) => (request.expires_at ? formatDate(request.expires_at) : '—');

/** A Bootstrap Italia spinner with a text for screen readers (and sighted users). */
export function loading(t) {
  return h('div', { class: 'd-flex align-items-center gap-2 my-3 loading', role: 'status' },
    h('div', { class: 'progress-spinner progress-spinner-active size-sm', 'aria-hidden': 'true' }),
    h('span', { text: t('common.loading') }));
}

/** Caches the last answer per key, so a refresh shows the old data at once instead of a skeleton. */
export function memo() {
  const cache = new Map();
  return {
    get: (key) => cache.get(key),
    set: (key, value) => { cache.set(key, value); if (cache.size > 20) cache.delete(cache.keys().next().value); },
  };
}

/** Marks a form input as invalid (Bootstrap Italia's style and aria-invalid) or valid again. */
export function markInvalid(input, invalid) {
  input.classList.toggle('is-invalid', invalid);
  if (invalid) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}
