// Impostazioni: the issuer profiles (the built-in Modalità prova and the body's test and production keys),
// the sandbox's outage switch, the archive folder, desktop notifications, the language and what the app is.
// The API key is typed into one password field and goes from there straight to save_profile
// (profiles.js): it is never kept in `memory`, never shown again, never put back in the field.
import { LANGUAGES } from '../i18n.js';
import {
  FORM_ENVIRONMENTS, PRODUCTION_BASE_URL, emptyForm, formProblems, formValues, hasSecret, rowActions,
  saveProfileForm, sortProfiles,
} from '../profiles.js';
import { announce, h, infoList, loading } from './common.js';
import { typesSection } from './types.js';
import { NOTICE_TOPICS, noticeChoice, noticesOf } from '../notices.js';

// What survives a redraw (language change, leaving and coming back). Never the API key.
const memory = {
  profiles: null,
  // The form's fields as typed, without the key; `id` set while editing a profile.
  form: emptyForm(),
  formOpen: false,
  // The last word on a profile, shown in its row (one at a time): { id, kind: success|danger|info, text }.
  message: null,
  // Profiles whose key is being verified.
  verifying: new Set(),
  // Profile whose deletion the clerk is confirming.
  confirmDelete: null,
  archiveDir: null,
  // Desktop notifications on/off as last read from (or saved to) Rust; null until known.
  notifications: null,
  // Kinds turned off and quiet hours (`{ off, quiet }`, notices.js) as last read from Rust.
  notices: null,
  outage: null,
};

export function render(ctx) {
  const { state, i18n } = ctx;
  const { t } = i18n;
  const root = h('div', { class: 'settings-view' },
    h('h1', { class: 'h2', testid: 'view-title', tabindex: '-1', text: t('settings.title') }));
  root.append(profilesSection(ctx));
  if (state.info?.service?.sandbox) root.append(sandboxSection(ctx));
  // One reading of the settings for the archive and the notifications; app.js's copy shows at once.
  const settings = readSettings(ctx);
  root.append(teamSection(ctx));
  root.append(archiveSection(ctx, settings));
  root.append(mailSection(ctx, settings));
  root.append(typesSection(ctx, { section, setMessage, setBusy, isBusy }));
  root.append(notificationsSection(ctx, settings));
  root.append(startSection(ctx));
  root.append(languageSection(ctx));
  if (state.info) root.append(infoList(state.info));
  return root;
}

// ---- shared bits ----

/** Marks a button busy without disabling it (a disabled button drops the keyboard focus). */
function setBusy(button, busy) {
  if (busy) button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
  button.classList.toggle('is-busy', busy);
}
const isBusy = (button) => button.getAttribute('aria-disabled') === 'true';

/** A message area: `kind` success | warning | danger | info | null (hidden). */
function setMessage(el, kind, text) {
  el.classList.remove('alert-success', 'alert-warning', 'alert-danger', 'alert-info');
  if (!kind) {
    el.hidden = true;
    el.textContent = '';
    delete el.dataset.ok;
    return;
  }
  el.classList.add(`alert-${kind}`);
  if (kind !== 'info') el.dataset.ok = String(kind === 'success');
  else delete el.dataset.ok;
  el.textContent = text;
  el.hidden = false;
}

/** Remembers a settings object from Rust (`{ archive_dir, active_profile, notifications }`). */
function keepSettings(state, s) {
  if (!s || typeof s !== 'object') return;
  if (typeof s.archive_dir === 'string') memory.archiveDir = s.archive_dir;
  if (typeof s.notifications === 'boolean') memory.notifications = s.notifications;
  if (s.notices && typeof s.notices === 'object') memory.notices = s.notices;
  if (state) state.settings = { ...(state.settings ?? {}), ...s };
}

/** Asks Rust for the settings; resolves to them (remembered) or rejects with the CommandError. */
function readSettings({ state, ipc }) {
  if (state?.settings) keepSettings(null, state.settings);
  return ipc.getSettings().then((s) => {
    keepSettings(state, s);
    return s;
  });
}

const section = (id, testid, title, ...children) => h('section',
  { class: 'settings-section', 'aria-labelledby': id, testid },
  h('h2', { class: 'h4', id, tabindex: '-1', text: title }), ...children);

// ---- Profili di firma ----

function profilesSection(ctx) {
  const { i18n, ipc, onError } = ctx;
  const { t } = i18n;
  const list = h('ul', { class: 'profile-list list-unstyled', testid: 'profile-list', 'aria-labelledby': 'profiles-title' });
  const add = h('button', {
    type: 'button', class: 'btn btn-primary mt-3', testid: 'profile-add', 'aria-controls': 'profile-form', 'aria-expanded': 'false',
  }, t('settings.add_profile'));
  const root = section('profiles-title', 'profiles-section', t('settings.profiles_title'),
    h('p', { class: 'settings-help', id: 'profiles-help', text: t('settings.profiles_help') }),
    list, add);
  const view = { ctx, list, add, form: null };
  view.showList = (profiles, focus) => showProfiles(view, profiles, focus);
  view.form = profileForm(view);
  root.append(view.form.element);
  add.addEventListener('click', () => view.form.openNew());

  if (memory.profiles) view.showList(memory.profiles);
  else list.append(h('li', {}, loading(t)));
  ipc.listProfiles()
    .then((profiles) => {
      memory.profiles = profiles;
      if (!list.isConnected) return;
      // An operator of the office adds no profile (Rust refuses it anyway).
      add.hidden = profiles.some((p) => p.editable === false);
      view.showList(profiles);
      view.form.retitle();
    })
    .catch((err) => {
      if (!memory.profiles) list.replaceChildren(h('li', { class: 'text-muted', testid: 'profiles-unavailable', text: t('settings.profiles_unavailable') }));
      onError(err);
    });
  return root;
}

/**
 * Redraws the rows. `focus`: `{ id, testid }` to focus after the redraw (falls back to the row's name);
 * without it, whatever had the focus in the list gets it back.
 */
function showProfiles(view, profiles, focus = null) {
  const { list } = view;
  let target = focus;
  const active = document.activeElement;
  if (!target && active && list.contains(active)) {
    target = { id: active.closest('[data-profile-id]')?.dataset.profileId, testid: active.dataset.testid };
  }
  list.replaceChildren(...sortProfiles(profiles).map((p) => profileRow(p, view)));
  if (!target) return;
  const row = target.id ? list.querySelector(`[data-profile-id="${CSS.escape(target.id)}"]`) : null;
  const el = (row && target.testid && row.querySelector(`[data-testid="${CSS.escape(target.testid)}"]`))
    || row?.querySelector('[data-testid="profile-row-name"]')
    || document.getElementById('profiles-title');
  el?.focus();
}

const rowOf = (id) => document.querySelector(`[data-testid="profile-list"] [data-profile-id="${CSS.escape(id)}"]`);

function profileRow(p, view) {
  const { t } = view.ctx.i18n;
  const can = rowActions(p);
  const nameId = `profile-${p.id}-name`;
  const li = h('li', {
    class: `profile-item${p.active ? ' is-active' : ''}`, testid: 'profile-row',
    data: { profileId: p.id, active: String(Boolean(p.active)), builtin: String(Boolean(p.builtin)) },
  });
  li.append(h('div', { class: 'd-flex flex-wrap align-items-center gap-2 mb-2' },
    h('h3', { class: 'h5 mb-0', id: nameId, tabindex: '-1', testid: 'profile-row-name', text: p.name }),
    p.active ? h('span', { class: 'badge profile-active-badge', testid: 'profile-row-active', text: t('settings.profile_active') }) : null));

  const data = [
    ['settings.environment', h('span', {
      class: `env-name env-${p.environment}`, testid: 'profile-row-environment', data: { environment: p.environment },
      text: t(`settings.environments.${p.environment}`),
    })],
    ['settings.base_url', h('code', { class: 'path-text', testid: 'profile-row-url', text: p.base_url })],
    ['settings.api_key', h('span', {
      class: p.has_key ? 'key-present' : 'key-missing', testid: 'profile-row-key', data: { hasKey: String(Boolean(p.has_key)) },
      text: t(p.has_key ? 'settings.key_present' : 'settings.key_missing'),
    })],
    p.support_email ? ['settings.support_email', p.support_email] : null,
    p.environment === 'test' && p.testers?.length
      ? ['settings.testers', h('span', { testid: 'profile-row-testers', text: p.testers.join(', ') })] : null,
    p.oidc_issuer ? ['settings.oidc_legend', [p.oidc_issuer, p.oidc_client_id].filter(Boolean).join(' · ')] : null,
  ].filter(Boolean);
  li.append(h('dl', { class: 'profile-data' }, data.map(([key, value]) => [h('dt', { text: t(key) }), h('dd', {}, value)])));

  // The visible text plus the profile's name, so every button says which profile it acts on.
  const named = (key) => [t(key), h('span', { class: 'visually-hidden', text: ` (${p.name})` })];
  const actions = h('div', { class: 'profile-actions d-flex flex-wrap gap-2' });
  const button = (testid, cls, key, onClick) => {
    const b = h('button', { type: 'button', class: `btn btn-sm ${cls}`, testid }, named(key));
    b.addEventListener('click', () => { if (!isBusy(b)) onClick(b); });
    actions.append(b);
    return b;
  };
  if (can.activate) button('profile-activate', 'btn-primary', 'settings.activate', (b) => activate(p, b, view));
  if (can.verify) {
    const b = button('profile-verify', 'btn-outline-primary', 'settings.verify', () => verify(p, view));
    setBusy(b, memory.verifying.has(p.id));
  }
  if (can.edit) button('profile-edit', 'btn-outline-primary', 'settings.edit', () => view.form.edit(p));
  const confirmArea = h('div', { class: 'delete-area' });
  if (can.delete) button('profile-delete', 'btn-outline-danger', 'settings.delete', () => { memory.confirmDelete = p.id; askDelete(p, confirmArea, view, true); });
  // A live region in every row, filled only in the row the last message is about.
  const slot = h('div', { class: 'profile-message-slot', role: 'status' });
  li.append(actions, confirmArea, slot);
  if (memory.confirmDelete === p.id) askDelete(p, confirmArea, view, false);
  fillMessage(slot, p.id);
  return li;
}

function fillMessage(slot, id) {
  const m = memory.message;
  if (!m || m.id !== id) {
    slot.replaceChildren();
    return;
  }
  const el = h('div', { class: `alert alert-${m.kind} profile-message mt-2 mb-0`, testid: 'profile-message' });
  if (m.kind !== 'info') el.dataset.ok = String(m.kind === 'success');
  el.textContent = m.text;
  slot.replaceChildren(el);
}

/** Shows a message in a profile's row (and clears the previous one, wherever it was). */
function say(id, kind, text) {
  memory.message = { id, kind, text };
  for (const slot of document.querySelectorAll('[data-testid="profile-list"] .profile-message-slot')) {
    fillMessage(slot, slot.closest('[data-profile-id]')?.dataset.profileId);
  }
}

function activate(p, button, view) {
  const { i18n, ipc } = view.ctx;
  setBusy(button, true);
  ipc.setActiveProfile(p.id)
    .then((profiles) => {
      memory.profiles = profiles;
      const text = i18n.t('settings.activated', { name: p.name });
      memory.message = { id: p.id, kind: 'success', text };
      view.showList(profiles, { id: p.id, testid: 'profile-row-name' });
      announce(text);
      // The new active profile may require the body's login, and decides whether "Modalità prova" shows.
      view.ctx.state.refreshAuth?.();
      view.ctx.state.refreshBanner?.();
    })
    .catch((err) => {
      setBusy(button, false);
      say(p.id, 'danger', i18n.errorText(err));
    });
}

function verify(p, view) {
  const { i18n, ipc } = view.ctx;
  const button = () => rowOf(p.id)?.querySelector('[data-testid="profile-verify"]');
  memory.verifying.add(p.id);
  if (button()) setBusy(button(), true);
  say(p.id, 'info', i18n.t('settings.verifying'));
  ipc.verifyProfile(p.id)
    .then((res) => say(p.id, res?.ok ? 'success' : 'danger', i18n.errorText(res ?? {})))
    .catch((err) => say(p.id, 'danger', i18n.errorText(err)))
    .finally(() => {
      memory.verifying.delete(p.id);
      // The row may have been redrawn meanwhile: free whichever button is there now.
      if (button()) setBusy(button(), false);
    });
}

function askDelete(p, area, view, asked) {
  const { i18n, ipc } = view.ctx;
  const { t } = i18n;
  const questionId = `profile-${p.id}-delete-question`;
  const question = h('p', { class: 'mb-2 fw-semibold', id: questionId, tabindex: '-1', text: t('settings.delete_question', { name: p.name }) });
  const yes = h('button', { type: 'button', class: 'btn btn-danger btn-sm', testid: 'profile-delete-confirm' }, t('settings.delete_yes'));
  const no = h('button', { type: 'button', class: 'btn btn-outline-secondary btn-sm', testid: 'profile-delete-cancel' }, t('settings.delete_no'));
  const close = () => {
    memory.confirmDelete = null;
    area.replaceChildren();
  };
  no.addEventListener('click', () => {
    close();
    rowOf(p.id)?.querySelector('[data-testid="profile-delete"]')?.focus();
  });
  yes.addEventListener('click', () => {
    if (isBusy(yes)) return;
    setBusy(yes, true);
    ipc.deleteProfile(p.id)
      .then((profiles) => {
        memory.confirmDelete = null;
        if (memory.message?.id === p.id) memory.message = null;
        memory.profiles = profiles;
        if (memory.form.id === p.id) view.form.close();
        view.showList(profiles, { id: null });
        announce(t('settings.deleted', { name: p.name }));
      })
      .catch((err) => {
        close();
        say(p.id, 'danger', i18n.errorText(err));
        rowOf(p.id)?.querySelector('[data-testid="profile-delete"]')?.focus();
      });
  });
  area.replaceChildren(h('div', { class: 'delete-confirm alert alert-warning mt-2 mb-0', role: 'alertdialog', 'aria-labelledby': questionId },
    question, h('div', { class: 'd-flex flex-wrap gap-2' }, yes, no)));
  // Focus moves only when the clerk asked, not when a redraw shows an open question again.
  if (asked) question.focus();
}

/**
 * The add/edit form, shown by "Aggiungi un profilo" or a row's "Modifica". Returns
 * `{ element, retitle, openNew, edit, close }`.
 */
function profileForm(view) {
  const { i18n, ipc } = view.ctx;
  const { t } = i18n;
  const form = h('form', {
    class: 'profile-form card card-bg mt-4', id: 'profile-form', novalidate: true, testid: 'profile-form',
    'aria-labelledby': 'profile-form-title', hidden: !memory.formOpen,
  });
  form.innerHTML = `
    <div class="card-body">
      <h3 class="h5" id="profile-form-title" data-testid="profile-form-title" tabindex="-1"></h3>
      <div class="row g-3">
        <div class="col-lg-6">
          <label class="form-label fw-semibold" for="profile-name"></label>
          <input class="form-control" type="text" id="profile-name" data-testid="profile-name" data-field="name" maxlength="80"
            autocomplete="off" aria-describedby="profile-name-error">
          <div class="invalid-message" id="profile-name-error" data-testid="profile-name-error" hidden></div>
        </div>
        <div class="col-lg-6">
          <div class="select-wrapper profile-select">
            <label for="profile-environment"></label>
            <select id="profile-environment" data-testid="profile-environment" data-field="environment"
              aria-describedby="profile-environment-help"></select>
          </div>
          <div class="form-text" id="profile-environment-help"></div>
        </div>
        <div class="col-12">
          <label class="form-label fw-semibold" for="profile-base-url"></label>
          <input class="form-control" type="url" id="profile-base-url" data-testid="profile-base-url" data-field="base_url"
            autocomplete="off" spellcheck="false" aria-describedby="profile-base-url-help">
          <div class="form-text" id="profile-base-url-help"></div>
        </div>
        <div class="col-lg-6">
          <label class="form-label fw-semibold" for="profile-support-email"></label>
          <input class="form-control" type="email" id="profile-support-email" data-testid="profile-support-email"
            data-field="support_email" autocomplete="off" spellcheck="false" aria-describedby="profile-support-email-help">
          <div class="form-text" id="profile-support-email-help"></div>
        </div>
        <div class="col-12" data-testid="profile-testers-box">
          <label class="form-label fw-semibold" for="profile-testers"></label>
          <textarea class="form-control fiscal-code-input" id="profile-testers" data-testid="profile-testers" data-field="testers"
            rows="3" autocomplete="off" spellcheck="false" autocapitalize="characters" aria-describedby="profile-testers-help"></textarea>
          <div class="form-text" id="profile-testers-help"></div>
        </div>
        <div class="col-lg-6">
          <label class="form-label fw-semibold" for="profile-api-key"></label>
          <input class="form-control" type="password" id="profile-api-key" data-testid="profile-api-key"
            autocomplete="off" spellcheck="false" autocapitalize="off"
            aria-describedby="profile-api-key-error profile-api-key-help">
          <div class="invalid-message" id="profile-api-key-error" data-testid="profile-api-key-error" hidden></div>
          <div class="form-text" id="profile-api-key-help" data-testid="profile-api-key-help"></div>
        </div>
      </div>
      <fieldset class="oidc-fieldset mt-4" aria-describedby="profile-oidc-help">
        <legend class="oidc-legend"></legend>
        <p class="form-text mt-0" id="profile-oidc-help"></p>
        <div class="row g-3">
          <div class="col-12">
            <label class="form-label fw-semibold" for="profile-oidc-issuer"></label>
            <input class="form-control" type="url" id="profile-oidc-issuer" data-testid="profile-oidc-issuer"
              data-field="oidc_issuer" autocomplete="off" spellcheck="false" placeholder="https://">
          </div>
          <div class="col-lg-6">
            <label class="form-label fw-semibold" for="profile-oidc-client-id"></label>
            <input class="form-control" type="text" id="profile-oidc-client-id" data-testid="profile-oidc-client-id"
              data-field="oidc_client_id" autocomplete="off" spellcheck="false">
          </div>
          <div class="col-lg-6">
            <label class="form-label fw-semibold" for="profile-oidc-scopes"></label>
            <input class="form-control" type="text" id="profile-oidc-scopes" data-testid="profile-oidc-scopes" data-field="oidc_scopes"
              autocomplete="off" spellcheck="false" aria-describedby="profile-oidc-scopes-help">
            <div class="form-text" id="profile-oidc-scopes-help"></div>
          </div>
        </div>
      </fieldset>
      <div class="alert alert-danger mt-3 mb-0" role="alert" data-testid="profile-form-error" hidden></div>
      <div class="d-flex flex-wrap gap-2 mt-3">
        <button type="submit" class="btn btn-primary" data-testid="profile-save"></button>
        <button type="button" class="btn btn-outline-secondary" data-testid="profile-cancel"></button>
      </div>
    </div>`;
  const $ = (sel) => form.querySelector(sel);
  const labels = {
    'profile-name': 'settings.form_name',
    'profile-environment': 'settings.environment',
    'profile-base-url': 'settings.base_url',
    'profile-support-email': 'settings.support_email',
    'profile-testers': 'settings.testers',
    'profile-api-key': 'settings.api_key',
    'profile-oidc-issuer': 'settings.oidc_issuer',
    'profile-oidc-client-id': 'settings.oidc_client_id',
    'profile-oidc-scopes': 'settings.oidc_scopes',
  };
  for (const [id, key] of Object.entries(labels)) $(`label[for="${id}"]`).textContent = t(key);
  $('#profile-environment-help').textContent = t('settings.environment_help');
  $('#profile-base-url-help').textContent = t('settings.base_url_help');
  $('#profile-support-email-help').textContent = t('settings.support_email_help');
  $('#profile-testers-help').textContent = t('settings.testers_help');
  $('.oidc-legend').textContent = t('settings.oidc_legend_optional');
  $('#profile-oidc-help').textContent = t('settings.oidc_help');
  $('#profile-oidc-scopes-help').textContent = t('settings.oidc_scopes_help');
  $('[data-testid="profile-save"]').textContent = t('settings.save_profile');
  $('#profile-base-url').placeholder = PRODUCTION_BASE_URL;

  const env = $('#profile-environment');
  for (const name of FORM_ENVIRONMENTS) env.append(h('option', { value: name }, t(`settings.environments.${name}`)));

  const fields = [...form.querySelectorAll('[data-field]')];
  const key = $('#profile-api-key');
  const title = $('#profile-form-title');
  const keyHelp = $('#profile-api-key-help');
  const errorBox = $('[data-testid="profile-form-error"]');
  const save = $('[data-testid="profile-save"]');
  const cancel = $('[data-testid="profile-cancel"]');
  const invalid = {
    name: [$('#profile-name'), $('#profile-name-error'), 'settings.name_missing'],
    api_key: [key, $('#profile-api-key-error'), 'settings.key_required'],
  };

  const clearProblems = () => {
    for (const [input, message] of Object.values(invalid)) {
      input.removeAttribute('aria-invalid');
      message.hidden = true;
      message.textContent = '';
    }
  };

  // The heading names the profile as stored (the typed name may be half-changed).
  const retitle = () => {
    const editing = memory.form.id ? (memory.profiles ?? []).find((p) => p.id === memory.form.id) : null;
    title.textContent = memory.form.id
      ? t('settings.form_edit_title', { name: editing?.name ?? memory.form.name })
      : t('settings.form_new_title');
  };

  // Only a test key is limited to its testers: the list shows for a test profile alone.
  const testersBox = $('[data-testid="profile-testers-box"]');
  const showTesters = () => { testersBox.hidden = env.value !== 'test'; };
  env.addEventListener('change', showTesters);

  const fill = () => {
    retitle();
    for (const input of fields) input.value = memory.form[input.dataset.field] ?? '';
    if (!env.value) env.value = FORM_ENVIRONMENTS[0];
    showTesters();
    keyHelp.textContent = t(memory.form.id ? 'settings.key_help_edit' : 'settings.key_help_new');
    cancel.textContent = t(memory.form.id ? 'settings.cancel_edit' : 'settings.cancel_new');
    form.dataset.mode = memory.form.id ? 'edit' : 'new';
    form.hidden = !memory.formOpen;
    view.add.setAttribute('aria-expanded', String(memory.formOpen && !memory.form.id));
  };

  const start = (values) => {
    memory.form = values;
    memory.formOpen = true;
    key.value = '';
    clearProblems();
    setMessage(errorBox, null);
    fill();
    $('#profile-name').focus();
  };

  const close = () => {
    memory.form = emptyForm();
    memory.formOpen = false;
    key.value = '';
    clearProblems();
    setMessage(errorBox, null);
    fill();
  };

  for (const input of fields) {
    input.addEventListener('input', () => { memory.form[input.dataset.field] = input.value; });
    input.addEventListener('change', () => { memory.form[input.dataset.field] = input.value; });
  }

  cancel.addEventListener('click', () => {
    const id = memory.form.id;
    close();
    const back = id ? rowOf(id)?.querySelector('[data-testid="profile-edit"]') : null;
    (back ?? view.add).focus();
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (isBusy(save)) return;
    clearProblems();
    setMessage(errorBox, null);
    const values = { ...memory.form };
    for (const input of fields) values[input.dataset.field] = input.value;
    const problems = formProblems(values, hasSecret(key));
    if (problems.length > 0) {
      for (const problem of problems) {
        const [input, message, textKey] = invalid[problem];
        input.setAttribute('aria-invalid', 'true');
        message.textContent = t(textKey);
        message.hidden = false;
      }
      invalid[problems[0]][0].focus();
      return;
    }
    const typedKey = hasSecret(key);
    const before = new Set((memory.profiles ?? []).map((p) => p.id));
    setBusy(save, true);
    saveProfileForm(ipc, values, key)
      .then((profiles) => {
        const saved = profiles.find((p) => p.id === values.id) ?? profiles.find((p) => !before.has(p.id));
        memory.profiles = profiles;
        close();
        const text = t('settings.profile_saved', { name: saved?.name ?? values.name.trim() });
        if (saved) memory.message = { id: saved.id, kind: 'success', text };
        announce(text);
        // The form is gone: the saved profile's row takes the focus and says so.
        view.showList(profiles, saved ? { id: saved.id, testid: 'profile-row-name' } : null);
        if (!saved) view.add.focus();
      })
      .catch((err) => {
        const text = i18n.errorText(err);
        setMessage(errorBox, 'danger', typedKey ? `${text} ${t('settings.key_retype')}` : text);
        if (err?.code === 'profile.invalid_key' || err?.code === 'profile.missing_key') key.focus();
      })
      .finally(() => setBusy(save, false));
  });

  fill();
  return {
    element: form,
    retitle,
    openNew: () => start(memory.formOpen && !memory.form.id ? memory.form : emptyForm()),
    edit: (p) => start(formValues(p)),
    close,
  };
}

// ---- Modalità prova ----

function sandboxSection(ctx) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const box = h('input', {
    type: 'checkbox', id: 'sandbox-outage', class: 'switch-input', testid: 'sandbox-outage',
    'aria-describedby': 'sandbox-outage-state sandbox-outage-help',
  });
  const stateText = h('div', { class: 'alert outage-state mt-3 mb-0', id: 'sandbox-outage-state', role: 'status', testid: 'sandbox-outage-state', hidden: true });
  const root = section('sandbox-title', 'sandbox-section', t('settings.sandbox_title'),
    h('p', { class: 'settings-help', id: 'sandbox-outage-help', text: t('settings.outage_help') }),
    h('div', { class: 'switch-row' }, box, h('label', { for: 'sandbox-outage', text: t('settings.outage_label') })),
    stateText);
  let busy = false;
  // Set once the clerk moved the switch: the first reading must not undo the clerk's choice.
  let touched = false;
  const show = () => {
    if (memory.outage === null) return setMessage(stateText, null);
    box.checked = memory.outage;
    return setMessage(stateText, memory.outage ? 'warning' : 'success', t(memory.outage ? 'settings.outage_on' : 'settings.outage_off'));
  };
  box.checked = memory.outage === true;
  show();
  ipc.sandboxOutage()
    .then((on) => {
      if (touched) return;
      memory.outage = Boolean(on);
      show();
    })
    .catch((err) => { if (!touched) setMessage(stateText, 'danger', i18n.errorText(err)); });
  box.addEventListener('click', (e) => { if (busy) e.preventDefault(); });
  box.addEventListener('change', () => {
    busy = true;
    touched = true;
    const wanted = box.checked;
    ipc.setSandboxOutage(wanted)
      .then((on) => { memory.outage = Boolean(on); show(); })
      .catch((err) => {
        box.checked = !wanted;
        setMessage(stateText, 'danger', i18n.errorText(err));
      })
      .finally(() => { busy = false; });
  });
  return root;
}

// ---- Modalità ufficio ----
// The password is typed into one field and goes straight to team_test / team_enable; the field is emptied
// after every call and the password is never kept here (Rust keeps it in the keyring).

/** The probe's words: `{ server_version, schema, pending, requests }`. */
function probeText(t, p) {
  const state = t(`settings.team_schema_${p.schema}`, { requests: p.requests, pending: p.pending });
  return `${t('settings.team_probe', { version: p.server_version })} ${state}`;
}

/** A labelled input of Bootstrap Italia's form group, with its help text when there is one. */
const field = (id, label, attrs, help) => h('div', { class: 'form-group mb-3' },
  h('label', { for: id, class: 'active', text: label }),
  h('input', { id, class: 'form-control', testid: id, ...(help ? { 'aria-describedby': `${id}-help` } : {}), ...attrs }),
  help ? h('small', { id: `${id}-help`, class: 'form-text', text: help }) : null);

function teamSection(ctx) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const status = h('p', { class: 'settings-help', testid: 'team-status', text: '…' });
  const url = field('team-url', t('settings.team_url'), { type: 'text', autocomplete: 'off', spellcheck: 'false' }, t('settings.team_url_help'));
  const tls = h('input', { type: 'checkbox', id: 'team-tls', class: 'switch-input', testid: 'team-tls', checked: true, 'aria-describedby': 'team-tls-help' });
  const ca = field('team-ca', t('settings.team_ca'), { type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const password = field('team-password', t('settings.team_password'), { type: 'password', autocomplete: 'new-password' }, '');
  const passwordHelp = h('small', { id: 'team-password-help', class: 'form-text', hidden: true, text: t('settings.team_password_saved') });
  password.append(passwordHelp);
  const test = h('button', { type: 'button', class: 'btn btn-outline-primary', testid: 'team-test' }, t('settings.team_test'));
  const enable = h('button', { type: 'button', class: 'btn btn-primary', testid: 'team-enable' }, t('settings.team_enable'));
  const disable = h('button', { type: 'button', class: 'btn btn-outline-danger', testid: 'team-disable', hidden: true }, t('settings.team_disable'));
  const restart = h('button', { type: 'button', class: 'btn btn-primary mt-2', testid: 'team-restart', hidden: true }, t('settings.team_restart'));
  const move = h('button', {
    type: 'button', class: 'btn btn-outline-primary mt-3', testid: 'team-move', hidden: true, 'aria-describedby': 'team-move-help',
  }, t('settings.team_move'));
  const moveHelp = h('p', { class: 'form-text', id: 'team-move-help', hidden: true, text: t('settings.team_move_help') });
  const message = h('div', { class: 'alert mt-3 mb-0', role: 'status', testid: 'team-message', hidden: true });
  const root = section('team-title', 'team-section', t('settings.team_title'),
    h('p', { class: 'settings-help', text: t('settings.team_help') }),
    status, url,
    h('div', { class: 'switch-row mb-1' }, tls, h('label', { for: 'team-tls', text: t('settings.team_tls') })),
    h('p', { class: 'settings-help', id: 'team-tls-help', text: t('settings.team_tls_help') }),
    ca, password,
    h('div', { class: 'd-flex flex-wrap gap-2' }, test, enable, disable),
    message, restart, move, moveHelp);
  const input = (wrap) => wrap.querySelector('input');
  const values = () => ({ url: input(url).value, tls: tls.checked, ca_file: input(ca).value || null });
  const show = (v) => {
    status.textContent = [
      v.active ? t('settings.team_active', { url: v.url ?? '' }) : t('settings.team_inactive'),
      v.restart_needed ? t('settings.team_restart_needed') : '',
    ].filter(Boolean).join(' ');
    if (v.url) input(url).value = v.url;
    tls.checked = v.tls !== false;
    if (v.ca_file) input(ca).value = v.ca_file;
    passwordHelp.hidden = !v.password_saved;
    disable.hidden = !v.url;
    restart.hidden = !v.restart_needed;
    move.hidden = !v.active;
    moveHelp.hidden = !v.active;
  };
  const roles = rolesPanel(ctx);
  root.append(roles.element);
  const refresh = () => ipc.teamView()
    .then((v) => { show(v); if (v.active) roles.load(); })
    .catch((err) => setMessage(message, 'danger', i18n.errorText(err)));
  refresh();
  const run = (button, call, after) => {
    if (isBusy(button)) return;
    setBusy(button, true);
    setMessage(message, null);
    const typed = input(password).value;
    input(password).value = '';
    call(typed)
      .then((answer) => {
        const text = after(answer);
        setMessage(message, 'success', text);
        announce(text);
        return refresh();
      })
      .catch((err) => setMessage(message, 'danger', i18n.errorText(err)))
      .finally(() => setBusy(button, false));
  };
  test.addEventListener('click', () => run(test, (pw) => ipc.teamTest(values(), pw), (p) => probeText(t, p)));
  enable.addEventListener('click', () => run(enable, (pw) => ipc.teamEnable(values(), pw),
    (p) => `${probeText(t, p)} ${t('settings.team_restart_needed')}`));
  disable.addEventListener('click', () => run(disable, () => ipc.teamDisable(), () => t('settings.team_restart_needed')));
  move.addEventListener('click', () => run(move, () => ipc.teamMoveDesk(),
    (r) => t('settings.team_moved', { requests: r.requests ?? 0, files: r.files_kept ?? 0, missing: r.files_missing ?? 0 })));
  restart.addEventListener('click', () => { ipc.restartApp().catch((err) => setMessage(message, 'danger', i18n.errorText(err))); });
  return root;
}

/**
 * "Casella del protocollo" (issue #14) of the active profile: the SMTP/PEC server the packages of its signed
 * requests are e-mailed through to the body's protocol mailbox — TLS always (STARTTLS or TLS from the first
 * byte), the password typed here goes to the keyring and is never shown again.
 */
function mailSection(ctx, settings) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const text = { type: 'text', autocomplete: 'off', spellcheck: 'false' };
  const status = h('p', { class: 'settings-help', testid: 'mail-status', text: '…' });
  const host = field('mail-host', t('settings.mail_host'), text, t('settings.mail_host_help'));
  const port = field('mail-port', t('settings.mail_port'), { type: 'number', min: '1', max: '65535', inputmode: 'numeric' });
  const security = h('select', { id: 'mail-security', class: 'form-select', testid: 'mail-security' },
    h('option', { value: 'starttls', text: t('settings.mail_starttls') }),
    h('option', { value: 'tls', text: t('settings.mail_tls') }));
  const username = field('mail-username', t('settings.mail_username'), text);
  const password = field('mail-password', t('settings.mail_password'), { type: 'password', autocomplete: 'new-password' });
  const passwordHelp = h('small', { id: 'mail-password-help', class: 'form-text', hidden: true, text: t('settings.mail_password_saved') });
  password.append(passwordHelp);
  const from = field('mail-from', t('settings.mail_from'), { ...text, type: 'email' });
  const to = field('mail-to', t('settings.mail_to'), { ...text, type: 'email' }, t('settings.mail_to_help'));
  const ca = field('mail-ca', t('settings.mail_ca'), text);
  const automatic = h('input', { type: 'checkbox', id: 'mail-automatic', class: 'switch-input', testid: 'mail-automatic', 'aria-describedby': 'mail-automatic-help' });
  const save = h('button', { type: 'button', class: 'btn btn-primary', testid: 'mail-save' }, t('settings.mail_save'));
  const remove = h('button', { type: 'button', class: 'btn btn-outline-danger', testid: 'mail-remove', hidden: true }, t('settings.mail_remove'));
  const message = h('div', { class: 'alert mt-3 mb-0', role: 'status', testid: 'mail-message', hidden: true });
  // Off until the profile's settings are read: what arrives then never overwrites what the clerk typed.
  const fields = h('fieldset', { disabled: true, testid: 'mail-fields' },
    h('legend', { class: 'visually-hidden', text: t('settings.mail_title') }),
    host,
    h('div', { class: 'row' },
      h('div', { class: 'col-md-6' }, h('div', { class: 'form-group mb-3' },
        h('label', { for: 'mail-security', class: 'active', text: t('settings.mail_security') }), security)),
      h('div', { class: 'col-md-6' }, port)),
    username, password, from, to, ca,
    h('div', { class: 'switch-row mb-1' }, automatic, h('label', { for: 'mail-automatic', text: t('settings.mail_automatic') })),
    h('p', { class: 'settings-help', id: 'mail-automatic-help', text: t('settings.mail_automatic_help') }),
    h('div', { class: 'd-flex flex-wrap gap-2' }, save, remove));
  const root = section('mail-title', 'mail-section', t('settings.mail_title'),
    h('p', { class: 'settings-help', text: t('settings.mail_help') }),
    status, fields, message);
  const input = (wrap) => wrap.querySelector('input');
  let profileId = null;
  const show = (v) => {
    const m = v.settings;
    status.textContent = m ? t('settings.mail_set', { to: m.to }) : t('settings.mail_unset');
    input(host).value = m?.host ?? '';
    input(port).value = m?.port ? String(m.port) : '';
    security.value = m?.security ?? 'starttls';
    input(username).value = m?.username ?? '';
    input(from).value = m?.from ?? '';
    input(to).value = m?.to ?? '';
    input(ca).value = m?.ca_file ?? '';
    automatic.checked = !!m?.automatic;
    passwordHelp.hidden = !v.password_saved;
    remove.hidden = !m;
    fields.disabled = false;
  };
  const refresh = () => ipc.mailSettings(profileId).then(show)
    .catch((err) => setMessage(message, 'danger', i18n.errorText(err)));
  settings.then((s) => { profileId = s?.active_profile ?? 'prova'; return refresh(); })
    .catch((err) => setMessage(message, 'danger', i18n.errorText(err)));
  const values = () => ({
    host: input(host).value,
    port: Number.parseInt(input(port).value, 10) || null,
    security: security.value,
    username: input(username).value,
    from: input(from).value,
    to: input(to).value,
    ca_file: input(ca).value || null,
    automatic: automatic.checked,
  });
  const run = (button, call, done) => {
    if (isBusy(button) || profileId === null) return;
    setBusy(button, true);
    setMessage(message, null);
    const typed = input(password).value;
    input(password).value = '';
    call(typed)
      .then(() => { setMessage(message, 'success', done); announce(done); return refresh(); })
      .catch((err) => setMessage(message, 'danger', i18n.errorText(err)))
      .finally(() => setBusy(button, false));
  };
  save.addEventListener('click', () => run(save, (pw) => ipc.saveMailSettings(profileId, values(), pw || null), t('settings.mail_saved')));
  remove.addEventListener('click', () => run(remove, () => ipc.removeMailSettings(profileId), t('settings.mail_removed')));
  return root;
}

/** The office's roles: who the clerk is; for an administrator, every role and a form to set one. */
function rolesPanel({ i18n, ipc }) {
  const { t } = i18n;
  const mine = h('p', { class: 'settings-help', testid: 'my-role' });
  const list = h('ul', { class: 'list-unstyled', testid: 'clerk-roles' });
  const who = h('input', { id: 'role-identity', class: 'form-control', testid: 'role-identity', type: 'text', autocomplete: 'off' });
  const pick = h('select', { id: 'role-select', testid: 'role-select' },
    h('option', { value: 'operatore' }, t('settings.role_operatore')),
    h('option', { value: 'amministratore' }, t('settings.role_amministratore')));
  const set = h('button', { type: 'button', class: 'btn btn-outline-primary', testid: 'role-set' }, t('settings.role_set'));
  const message = h('div', { class: 'alert mt-2 mb-0', role: 'status', testid: 'role-message', hidden: true });
  const form = h('div', { class: 'mt-2', hidden: true },
    h('div', { class: 'form-group mb-2' }, h('label', { for: 'role-identity', class: 'active', text: t('settings.role_identity') }), who),
    h('div', { class: 'select-wrapper mb-2' }, h('label', { for: 'role-select', text: t('settings.role_label') }), pick),
    set, message);
  const element = h('div', { class: 'mt-4', hidden: true },
    h('h3', { class: 'h5', text: t('settings.roles_title') }), mine, list, form);
  const showRoles = (roles) => list.replaceChildren(...roles.map((r) => h('li', {
    text: `${r.identity}: ${t(`settings.role_${r.role}`)}`,
  })));
  const load = () => ipc.myRole()
    .then((me) => {
      element.hidden = false;
      mine.textContent = t('settings.role_mine', { identity: me.identity, role: t(`settings.role_${me.role}`) });
      const admin = me.role === 'amministratore';
      form.hidden = !admin;
      list.hidden = !admin;
      return admin ? ipc.clerkRoles().then(showRoles) : null;
    })
    .catch((err) => setMessage(message, 'danger', i18n.errorText(err)));
  set.addEventListener('click', () => {
    if (isBusy(set)) return;
    setBusy(set, true);
    setMessage(message, null);
    ipc.setClerkRole(who.value, pick.value)
      .then((roles) => { showRoles(roles); who.value = ''; announce(t('settings.role_saved')); setMessage(message, 'success', t('settings.role_saved')); })
      .catch((err) => setMessage(message, 'danger', i18n.errorText(err)))
      .finally(() => setBusy(set, false));
  });
  return { element, load };
}

// ---- Archivio ----

function archiveSection(ctx, settings) {
  const { state, i18n, ipc } = ctx;
  const { t } = i18n;
  const shown = () => (memory.archiveDir === null ? '…' : memory.archiveDir || '—');
  const path = h('code', { class: 'path-text archive-dir', testid: 'archive-dir', text: shown() });
  const open = h('button', { type: 'button', class: 'btn btn-outline-primary', testid: 'open-archive' }, t('settings.open_archive'));
  const change = h('button', {
    type: 'button', class: 'btn btn-outline-primary', testid: 'archive-change', 'aria-describedby': 'archive-change-help',
  }, t('settings.archive_change'));
  const done = h('div', { class: 'alert alert-success mt-2 mb-0', testid: 'archive-changed', hidden: true });
  const error = h('div', { class: 'alert alert-danger mt-2 mb-0', role: 'alert', testid: 'archive-error', hidden: true });
  const root = section('archive-title', 'archive-section', t('settings.archive_title'),
    h('p', { class: 'settings-help', id: 'archive-help', text: t('settings.archive_help') }),
    h('p', { class: 'archive-path' }, h('span', { class: 'fw-semibold', text: `${t('settings.archive_dir')}: ` }), path),
    h('div', { class: 'd-flex flex-wrap gap-2' }, open, change),
    h('p', { class: 'form-text mt-2 mb-0', id: 'archive-change-help', text: t('settings.archive_change_help') }),
    done, error);
  settings
    .then(() => { path.textContent = shown(); })
    .catch((err) => {
      if (memory.archiveDir === null) path.textContent = '—';
      setMessage(error, 'danger', i18n.errorText(err));
    });
  open.addEventListener('click', () => {
    if (isBusy(open)) return;
    setBusy(open, true);
    setMessage(error, null);
    ipc.openArchive()
      .catch((err) => setMessage(error, 'danger', i18n.errorText(err)))
      .finally(() => setBusy(open, false));
  });
  change.addEventListener('click', () => {
    if (isBusy(change)) return;
    setBusy(change, true);
    setMessage(error, null);
    // The system's folder dialog stays open until the clerk chooses or cancels.
    ipc.chooseArchiveDir()
      .then((s) => {
        // null: the clerk cancelled the dialog; nothing changed.
        if (!s) return;
        keepSettings(state, s);
        path.textContent = shown();
        const text = t('settings.archive_changed', { path: memory.archiveDir });
        setMessage(done, 'success', text);
        announce(text);
      })
      .catch((err) => {
        setMessage(done, null);
        setMessage(error, 'danger', i18n.errorText(err));
      })
      .finally(() => {
        setBusy(change, false);
        // Back from the native dialog: the clerk goes on from the button (unless they moved on meanwhile).
        const active = document.activeElement;
        if (change.isConnected && (!active || active === document.body || active === change)) change.focus({ preventScroll: true });
      });
  });
  return root;
}

// ---- Notifiche ----

function notificationsSection(ctx, settings) {
  const { state, i18n, ipc } = ctx;
  const { t } = i18n;
  const box = h('input', {
    type: 'checkbox', id: 'notifications-enabled', class: 'switch-input notify-input', testid: 'notifications-enabled',
    'aria-describedby': 'notifications-help',
  });
  // "Nascondi i nomi nelle notifiche": ticked = always hidden; unticked = the default (hidden for
  // profiles with the body's login, and never shown without a valid login: Rust decides, notify.rs).
  const hide = h('input', {
    type: 'checkbox', id: 'notifications-hide-names', class: 'switch-input', testid: 'notifications-hide-names',
    'aria-describedby': 'hide-names-help',
  });
  const error = h('div', { class: 'alert alert-danger mt-3 mb-0', role: 'alert', testid: 'notifications-error', hidden: true });
  const root = section('notifications-title', 'notifications-section', t('settings.notifications_title'),
    h('p', { class: 'settings-help', id: 'notifications-help', text: t('settings.notifications_help') }),
    h('div', { class: 'switch-row' }, box, h('label', { for: 'notifications-enabled', text: t('settings.notifications_label') })),
    h('div', { class: 'switch-row mt-2' }, hide, h('label', { for: 'notifications-hide-names', text: t('settings.hide_names_label') })),
    h('p', { class: 'settings-help', id: 'hide-names-help', text: t('settings.hide_names_help') }),
    noticePrefs(ctx, settings, error),
    error);
  let busy = false;
  // Set once the clerk ticked or unticked the box: the first reading must not undo the clerk's choice.
  let touched = false;
  // Notifications are on unless the clerk turned them off (Rust's default).
  box.checked = memory.notifications !== false;
  settings
    .then(() => {
      if (touched || memory.notifications === null) return;
      box.checked = memory.notifications;
    })
    .catch((err) => {
      if (!touched && memory.notifications === null) setMessage(error, 'danger', i18n.errorText(err));
    });
  settings.then((s) => { hide.checked = s?.hide_names === true; }).catch(() => {});
  hide.addEventListener('change', () => {
    const wanted = hide.checked;
    setMessage(error, null);
    ipc.setNotifications(memory.notifications !== false, wanted)
      .then((s) => { keepSettings(state, s); hide.checked = s?.hide_names === true; })
      .catch((err) => { hide.checked = !wanted; setMessage(error, 'danger', i18n.errorText(err)); });
  });
  box.addEventListener('click', (e) => { if (busy) e.preventDefault(); });
  box.addEventListener('change', () => {
    busy = true;
    touched = true;
    setMessage(error, null);
    const wanted = box.checked;
    ipc.setNotifications(wanted)
      .then((s) => {
        keepSettings(state, s);
        const on = typeof s?.notifications === 'boolean' ? s.notifications : wanted;
        memory.notifications = on;
        box.checked = on;
        announce(t(on ? 'settings.notifications_on' : 'settings.notifications_off'));
      })
      .catch((err) => {
        box.checked = !wanted;
        setMessage(error, 'danger', i18n.errorText(err));
      })
      .finally(() => { busy = false; });
  });
  return root;
}

/**
 * The kinds of notification and the quiet hours (issue #16): each change is saved at once through
 * set_notifications; Rust holds notices back during quiet hours and shows them grouped when they end.
 */
function noticePrefs(ctx, settings, error) {
  const { state, i18n, ipc } = ctx;
  const { t } = i18n;
  const kinds = NOTICE_TOPICS.map(([topic, key]) => {
    const input = h('input', { type: 'checkbox', id: `notify-kind-${topic}`, class: 'form-check-input', testid: `notify-kind-${topic}`, data: { topic } });
    return { topic, input, row: h('div', { class: 'form-check' }, input, h('label', { class: 'form-check-label', for: `notify-kind-${topic}`, text: t(key) })) };
  });
  const quietOn = h('input', {
    type: 'checkbox', id: 'quiet-hours-enabled', class: 'switch-input', testid: 'quiet-hours-enabled', 'aria-describedby': 'quiet-hours-help',
  });
  const from = h('input', { type: 'time', id: 'quiet-hours-from', class: 'form-control', testid: 'quiet-hours-from' });
  const to = h('input', { type: 'time', id: 'quiet-hours-to', class: 'form-control', testid: 'quiet-hours-to' });
  const show = (notices) => {
    const n = noticesOf({ notices });
    for (const k of kinds) k.input.checked = !n.off.includes(k.topic);
    quietOn.checked = n.quiet.on;
    from.value = n.quiet.from;
    to.value = n.quiet.to;
  };
  show(memory.notices ?? state?.settings?.notices);
  let touched = false;
  settings.then((s) => { if (!touched) show(s?.notices); }).catch(() => {});
  const save = () => {
    touched = true;
    setMessage(error, null);
    const on = Object.fromEntries(kinds.map((k) => [k.topic, k.input.checked]));
    const { choice, problem } = noticeChoice(on, { on: quietOn.checked, from: from.value, to: to.value });
    if (problem) {
      setMessage(error, 'danger', t(problem));
      return;
    }
    ipc.setNotifications(memory.notifications !== false, undefined, choice)
      .then((s) => {
        keepSettings(state, s);
        show(s?.notices);
        announce(t('settings.notify_saved'));
      })
      .catch((err) => {
        show(memory.notices);
        setMessage(error, 'danger', i18n.errorText(err));
      });
  };
  for (const el of [...kinds.map((k) => k.input), quietOn, from, to]) el.addEventListener('change', save);
  return h('div', { class: 'notice-prefs mt-3', testid: 'notice-prefs' },
    h('fieldset', { class: 'mb-3' },
      h('legend', { class: 'h6', text: t('settings.notify_kinds_legend') }),
      kinds.map((k) => k.row)),
    h('div', { class: 'switch-row' }, quietOn, h('label', { for: 'quiet-hours-enabled', text: t('settings.quiet_label') })),
    h('div', { class: 'd-flex flex-wrap gap-3 mt-2 quiet-hours-times' },
      h('div', {}, h('label', { for: 'quiet-hours-from', text: t('settings.quiet_from') }), from),
      h('div', {}, h('label', { for: 'quiet-hours-to', text: t('settings.quiet_to') }), to)),
    h('p', { class: 'settings-help', id: 'quiet-hours-help', text: t('settings.quiet_help') }));
}

// ---- Lingua ----

/**
 * "Avvia all'accesso": FirmaDesk among the system's login items, started hidden in the tray. The system's
 * login item is the record (read back from Rust each time); off until the clerk turns it on.
 */
function startSection({ i18n, ipc }) {
  const { t } = i18n;
  const box = h('input', {
    type: 'checkbox', id: 'autostart-enabled', class: 'switch-input', testid: 'autostart-enabled',
    'aria-describedby': 'autostart-help', disabled: true,
  });
  const error = h('div', { class: 'alert alert-danger mt-3 mb-0', role: 'alert', testid: 'autostart-error', hidden: true });
  const root = section('autostart-title', 'autostart-section', t('settings.autostart_title'),
    h('div', { class: 'switch-row' }, box, h('label', { for: 'autostart-enabled', text: t('settings.autostart_label') })),
    h('p', { class: 'settings-help', id: 'autostart-help', text: t('settings.autostart_help') }),
    error);
  ipc.getAutostart()
    .then((on) => { box.checked = on === true; box.disabled = false; })
    .catch((err) => setMessage(error, 'danger', i18n.errorText(err)));
  box.addEventListener('change', () => {
    const wanted = box.checked;
    box.disabled = true;
    setMessage(error, null);
    ipc.setAutostart(wanted)
      .then((on) => {
        box.checked = on === true;
        announce(t(on ? 'settings.autostart_on' : 'settings.autostart_off'));
      })
      .catch((err) => { box.checked = !wanted; setMessage(error, 'danger', i18n.errorText(err)); })
      .finally(() => { box.disabled = false; });
  });
  return root;
}

function languageSection({ state, i18n, onError }) {
  const { t } = i18n;
  const form = h('form', { class: 'mt-3', testid: 'language-form' },
    h('div', { class: 'select-wrapper language-select' },
      h('label', { for: 'language-select', text: t('settings.language') }),
      h('select', { id: 'language-select', testid: 'language-select' },
        LANGUAGES.map((lang) => h('option', { value: lang, selected: state.info?.locale === lang }, t(`languages.${lang}`))))));
  form.addEventListener('submit', (e) => e.preventDefault());
  const select = form.querySelector('select');
  select.addEventListener('change', () => state.changeLanguage(select.value).catch(onError));
  return section('language-title', 'language-section', t('settings.language_title'), form);
}
