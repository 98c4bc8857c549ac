// Entry point: loads the language, wires the router and shows the first view.
import * as i18n from './i18n.js';
import * as ipc from './ipc.js';
import * as dashboard from './views/dashboard.js';
import * as settings from './views/settings.js';

const views = { dashboard, settings };
const state = { info: null };

function showError(err) {
  const box = document.querySelector('[data-testid="app-error"]');
  // Prefer the UI's own text for a known code; otherwise the Italian message Rust sent.
  const key = `errors.${err.code}`;
  const known = err.code && i18n.t(key) !== key;
  box.textContent = known ? i18n.t(key) : (err.message ?? String(err));
  box.hidden = false;
}

async function render() {
  const name = (location.hash.replace(/^#\//, '') || 'dashboard').split('/')[0];
  const view = views[name] ?? dashboard;
  for (const link of document.querySelectorAll('.app-nav [data-view]')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const container = document.getElementById('view');
  container.replaceChildren(view.render({ state, i18n, ipc, rerender: render, onError: showError }));
  i18n.apply(container);
  document.title = `${i18n.t(`nav.${name in views ? name : 'dashboard'}`)} · FirmaDesk`;
}

async function applyLanguage(lang) {
  await i18n.load(lang);
  i18n.setLanguage(lang);
  document.documentElement.lang = lang;
  i18n.apply(document);
}

async function start() {
  await i18n.load(i18n.DEFAULT_LANGUAGE);
  try {
    state.info = await ipc.appInfo();
    document.querySelector('[data-testid="sandbox-banner"]').hidden = !state.info.service.sandbox;
    await applyLanguage(state.info.locale);
  } catch (err) {
    await applyLanguage(i18n.DEFAULT_LANGUAGE);
    showError(err);
  }
  state.changeLanguage = async (lang) => {
    const saved = await ipc.setLocale(lang);
    state.info.locale = saved;
    await applyLanguage(saved);
    await render();
  };
  window.addEventListener('hashchange', render);
  await render();
  document.body.dataset.ready = 'true';
}

start();
