// Entry point: loads the language, wires the router, the engine's events and the window-wide PDF drop,
// and shows the first view. Routes: #/dashboard, #/todo, #/new, #/bulk, #/pending[/filter], #/signed,
// #/request/<id>, #/verify, #/settings.
import * as i18n from './i18n.js';
import * as ipc from './ipc.js';
import { sandboxBannerVisible } from './banner.js';
import { installDropZone } from './drop.js';
import { installAuth } from './login.js';
import { applyEvent, createTracker } from './sends.js';
import { formatDateTime } from './format.js';
import { announce } from './views/common.js';
import * as bulk from './views/bulk.js';
import * as dashboard from './views/dashboard.js';
import * as newRequest from './views/new.js';
import * as pending from './views/pending.js';
import * as request from './views/request.js';
import * as settings from './views/settings.js';
import * as signed from './views/signed.js';
import * as todo from './views/todo.js';
import * as verify from './views/verify.js';

const views = { dashboard, todo, new: newRequest, bulk, pending, signed, request, verify, settings };
// Views showing the store's data: an engine event may have changed what they show.
const LIVE_VIEWS = new Set(['dashboard', 'todo', 'pending', 'signed', 'request']);
const REFRESH_DELAY_MS = 300;
// info: app_info; settings: get_settings ({ archive_dir, active_profile, notifications }), null when unknown.
const state = { info: null, settings: null, sync: null };
const sends = createTracker();
let shownHash = null;
let refreshTimer = null;

let auth = null;

function showError(err) {
  // A command refused for a missing or expired login: show the login screen instead.
  if (err?.code === 'auth.login_required' && auth) {
    auth.refresh();
    return;
  }
  const box = document.querySelector('[data-testid="app-error"]');
  box.textContent = i18n.errorText(err);
  box.hidden = false;
}

function decode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The view and its parameters from location.hash ("#/request/01H..." → request, ["01H..."]). */
function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decode);
  const name = parts[0] && parts[0] in views ? parts[0] : 'dashboard';
  return { name, params: parts.slice(1) };
}

/**
 * Team mode: an answer read while the office's database could not be reached is the last state seen
 * (`offline_since`); the banner says so until a fresh answer comes.
 */
function noteOffline(answer) {
  const banner = document.querySelector('[data-testid="offline-banner"]');
  const since = answer?.offline_since;
  banner.hidden = !since;
  banner.textContent = since ? i18n.t('team.offline', { time: formatDateTime(since) }) : '';
  return answer;
}

/** The views' ipc: the office's reads note whether they are the last state seen. */
const deskIpc = {
  ...ipc,
  dashboard: () => ipc.dashboard().then(noteOffline),
  listRequests: (query, allProfiles) => ipc.listRequests(query, allProfiles).then(noteOffline),
  requestDetail: (id) => ipc.requestDetail(id).then(noteOffline),
};

function context(params) {
  return { state, i18n, ipc: deskIpc, rerender: render, onError: showError, params, sends };
}

/** Where focus was inside the view, to put it back after a refresh redraws it. */
function saveFocus(container) {
  const el = document.activeElement;
  if (!el || el === container || !container.contains(el)) return null;
  let start = null;
  let end = null;
  try {
    start = el.selectionStart ?? null;
    end = el.selectionEnd ?? null;
  } catch { /* inputs without a text selection */ }
  return { id: el.id, testid: el.dataset?.testid, row: el.closest('[data-request-id]')?.dataset.requestId, start, end };
}

function restoreFocus(saved, container) {
  if (!saved) return;
  let el = saved.id ? container.querySelector(`#${CSS.escape(saved.id)}`) : null;
  if (!el && saved.testid) {
    const scope = saved.row ? container.querySelector(`[data-request-id="${CSS.escape(saved.row)}"]`) : container;
    el = scope?.querySelector(`[data-testid="${CSS.escape(saved.testid)}"]`) ?? null;
  }
  if (!el) return;
  el.focus({ preventScroll: true });
  if (saved.start !== null && typeof el.setSelectionRange === 'function') {
    try { el.setSelectionRange(saved.start, saved.end); } catch { /* not a text input */ }
  }
}

async function render() {
  const { name, params } = route();
  const navigation = location.hash !== shownHash;
  const first = shownHash === null;
  shownHash = location.hash;
  for (const link of document.querySelectorAll('.app-nav [data-view]')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const container = document.getElementById('view');
  const main = document.getElementById('main');
  const focus = navigation ? null : saveFocus(container);
  const scroll = main.scrollTop;
  container.replaceChildren(views[name].render(context(params)));
  i18n.apply(container);
  document.title = `${i18n.t(`nav.${name}`)} · FirmaDesk`;
  if (!navigation) {
    restoreFocus(focus, container);
    main.scrollTop = scroll;
  } else if (!first) {
    // A new view: start at its top and let screen readers hear its title.
    main.scrollTop = 0;
    container.querySelector('[data-testid="view-title"]')?.focus({ preventScroll: true });
  }
}

/** Coalesces bursts of engine events into one refresh of the view on screen. */
function scheduleRefresh() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    if (LIVE_VIEWS.has(route().name)) render();
  }, REFRESH_DELAY_MS);
}

function announceEvent(event) {
  const to = String(event.to ?? '').toUpperCase();
  if (event.type === 'send_completed') announce(i18n.t('events.send_completed'));
  else if (event.type === 'failed') announce(i18n.t('events.send_failed', { message: event.message ?? '' }));
  else if (event.type === 'document_rejected') announce(i18n.t('events.document_rejected', { title: event.document_title ?? '', reason: event.reason ?? '' }));
  else if (event.type === 'status_changed' && ['SIGNED', 'REJECTED', 'CANCELLED'].includes(to)) announce(i18n.t(`events.status_${to.toLowerCase()}`));
}

function onEngineEvent(event) {
  if (!event || typeof event !== 'object') return;
  applyEvent(sends, event);
  const wasOk = state.sync?.ok !== false;
  if (event.type === 'sync_failed') state.sync = { ok: false, message: event.message ?? '', at: Date.now() };
  if (event.type === 'sync_finished') state.sync = { ok: true, at: Date.now() };
  announceEvent(event);
  const { name, params } = route();
  if (!LIVE_VIEWS.has(name)) return;
  // A view may apply the event in place (the upload bar) and need no reload.
  if (views[name].onEngineEvent?.(event, context(params))) return;
  if (event.type === 'upload_progress') return;
  if (event.type === 'sync_finished' && !event.changed && wasOk) return;
  scheduleRefresh();
}

async function applyLanguage(lang) {
  await i18n.load(lang);
  i18n.setLanguage(lang);
  document.documentElement.lang = lang;
  i18n.apply(document);
}

function installDrop() {
  const overlay = document.querySelector('[data-testid="drop-overlay"]');
  installDropZone(window, {
    overlay,
    onActive: (active) => {
      if (!active) return;
      const text = route().name === 'verify' ? i18n.t('verification.drop') : i18n.t('drop.overlay');
      overlay.querySelector('.drop-overlay-message').textContent = text;
      announce(text);
    },
    onDrop: ({ accepted, rejected }) => {
      if (accepted.length === 0 && rejected.length === 0) return;
      // On "Verifica un PDF firmato" a drop is the PDF to verify, not a new request's document.
      if (route().name === 'verify') {
        verify.takeDrop({ accepted, rejected }, context([])).catch(showError);
        return;
      }
      if (route().name !== 'new') location.hash = '#/new';
      newRequest.addFiles(accepted, rejected, context([])).catch(showError);
    },
  });
}

async function listenToBackend() {
  try {
    await ipc.listen('engine-event', onEngineEvent);
    // Team mode: another desk or the worker changed the office's data; the view on screen reloads.
    await ipc.listen('data-changed', () => {
      if (LIVE_VIEWS.has(route().name)) scheduleRefresh();
    });
    await ipc.listen('open-request', (id) => {
      if (id) location.hash = `#/request/${encodeURIComponent(String(id))}`;
    });
    // The tray's "Da fare: n".
    await ipc.listen('open-view', (hash) => {
      if (hash === '#/todo') location.hash = hash;
    });
  } catch {
    // Outside the desktop app there is nothing to listen to; app_info has already said so.
  }
}

function showBanner() {
  document.querySelector('[data-testid="sandbox-banner"]').hidden = !sandboxBannerVisible(state.info, state.settings);
  // Office mode set but its database not opened at start: why, and what FirmaDesk does meanwhile.
  const team = document.querySelector('[data-testid="team-banner"]');
  const problem = state.info?.team_problem;
  team.hidden = !problem;
  team.textContent = problem ? i18n.t('team.banner', { reason: i18n.errorText(problem) }) : '';
  // A damaged sandbox state was set aside at start: say where the copy is (the demo requests start afresh).
  const recovered = document.querySelector('[data-testid="sandbox-recovered"]');
  const path = state.info?.service?.sandbox_recovered_from;
  recovered.hidden = !path;
  recovered.textContent = path ? i18n.t('sandbox.recovered', { path }) : '';
}

/** Reads the settings again and shows or hides the "Modalità prova" banner for the active profile. */
async function refreshBanner() {
  try {
    state.settings = await ipc.getSettings();
  } catch {
    // Unknown active profile: the banner must not claim that nothing reaches a citizen.
    state.settings = null;
  }
  showBanner();
}

async function start() {
  await i18n.load(i18n.DEFAULT_LANGUAGE);
  try {
    state.info = await ipc.appInfo();
    await applyLanguage(state.info.locale);
  } catch (err) {
    await applyLanguage(i18n.DEFAULT_LANGUAGE);
    showError(err);
  }
  state.refreshAuth = () => auth?.refresh();
  state.refreshBanner = refreshBanner;
  await refreshBanner();
  state.changeLanguage = async (lang) => {
    const saved = await ipc.setLocale(lang);
    state.info.locale = saved;
    await applyLanguage(saved);
    showBanner();
    await render();
  };
  installDrop();
  auth = installAuth({ ipc, i18n, onError: showError, onChange: () => render() });
  await auth.refresh();
  await listenToBackend();
  await newRequest.preload(context([]));
  window.addEventListener('hashchange', render);
  await render();
  document.body.dataset.ready = 'true';
}

start();
