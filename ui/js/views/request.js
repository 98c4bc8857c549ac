// Dettaglio richiesta: everything about one request — data, documents and fields, the send in progress
// (live steps and upload progress from engine events), the timeline, the archived signed files — and what
// the clerk can do with it: show the QR code for signing at the counter, copy IO's signing link for a PEC or
// an e-mail ("Copia link di firma"), print the citizen's sheet and cancel while it waits, print the receipt
// with its audit trail, in
// Modalità prova simulate the citizen, open or find the signed PDFs once archived.
import { formatDateTime, formatSize, percentText, actorLabel } from '../format.js';
import { stepStates, uploadFraction } from '../sends.js';
import { announce, expiryBadge, h, loading, memo, statusBadge } from './common.js';
import { openDialog } from './dialog.js';
import { errorText, textOr } from '../i18n.js';
import { offersCitizenSimulation } from '../banner.js';
import { draftFromReopened, draftHasContent } from '../draft.js';
import { state as newRequest } from './new/state.js';
import { facts, reasons, trustText, verdictTone } from '../verification.js';
import { copySigningLink } from '../signing-link.js';

const cache = memo();
// The mounted detail, so upload progress can move the bar without reloading the request.
let mounted = null;
// Request whose cancellation the clerk is confirming (survives refreshes while the question is open).
let confirming = null;
// Requests acted upon (simulate/cancel) → { status, at }: the buttons stay off until the status moves,
// or for a minute at most if the update never comes (then the clerk may try again).
const acted = new Map();
const ACTED_MAX_MS = 60_000;
// The QR dialog on screen: { id, status (element) }, so a refresh can tell the clerk the request moved on.
let qr = null;
// Messages of failed actions shown where the action was, kept across refreshes: key → text
// ('qr:<id>' for the QR button, 'link:<id>' for "Copia link di firma", 'file:<path>' for an archived file's
// buttons).
const failures = new Map();

const SENDING = new Set(['draft', 'sending', 'queued']);

export function render(ctx) {
  const { i18n, ipc, onError, params = [] } = ctx;
  const { t } = i18n;
  const id = params[0] ?? '';
  const root = h('div', { class: 'request-detail' });
  root.innerHTML = `
    <h1 class="h2" data-testid="view-title" data-i18n="request.title" tabindex="-1"></h1>
    <div class="detail-slot"></div>`;
  const slot = root.querySelector('.detail-slot');
  mounted = { root, id, detail: null, progress: null };

  const show = (detail) => {
    mounted = { root, id, detail, progress: null };
    slot.replaceChildren(...content(detail, ctx));
    updateQrDialog(detail.request, t);
  };
  const cached = cache.get(id);
  if (cached) show(cached);
  else slot.append(loading(t));
  ipc.requestDetail(id)
    .then((detail) => {
      cache.set(id, detail);
      if (mounted?.root === root) show(detail);
    })
    .catch((err) => {
      if (!cached) slot.replaceChildren(h('p', { class: 'text-muted', testid: 'detail-unavailable', text: t('request.unavailable') }));
      onError(err);
    });
  return root;
}

/**
 * Engine events for the request on screen: upload progress moves the bar in place (returns true: no
 * reload needed); anything else lets app.js reload the view.
 */
export function onEngineEvent(event, ctx) {
  if (!mounted?.root.isConnected || !mounted.detail) return false;
  if (event.type !== 'upload_progress') return false;
  if (event.send_id !== mounted.detail.request.id) return true;
  const live = ctx.sends.get(event.send_id);
  if (mounted.progress && live) mounted.progress(live);
  else return false;
  return true;
}

function content(detail, ctx) {
  const { t } = ctx.i18n;
  const r = detail.request;
  const live = ctx.sends?.get(r.id) ?? null;
  const parts = [];

  parts.push(h('div', { class: 'detail-head d-flex flex-wrap align-items-center gap-2 mb-3' },
    h('p', { class: 'lead mb-0 me-2', testid: 'detail-title', text: r.title }),
    statusBadge(r.status, t),
    expiryBadge(r, t)));

  if (r.reject_reason) {
    parts.push(h('div', { class: 'alert alert-danger', role: 'status', testid: 'reject-reason' },
      h('strong', { text: `${t('request.reject_reason')}: ` }), r.reject_reason));
  }

  if (SENDING.has(r.status) && (detail.send || live)) parts.push(sendSection(detail, live, ctx));
  else if (r.status === 'failed' && detail.send?.last_error) {
    parts.push(h('div', { class: 'alert alert-danger', role: 'status', testid: 'send-error' },
      h('strong', { text: `${t('request.send_failed')}: ` }), detail.send.last_error));
  }

  const actions = actionBar(detail, ctx);
  if (actions) parts.push(actions);
  parts.push(reuseBar(detail, ctx));

  parts.push(dataSection(detail, t));
  parts.push(documentsSection(detail, t));
  parts.push(archiveSection(detail, ctx));
  if ((detail.verifications ?? []).length > 0) parts.push(verificationSection(detail, ctx));
  if (r.status !== 'draft') parts.push(protocolSection(detail, ctx));
  parts.push(timelineSection(detail, t));
  return parts;
}

function sendSection(detail, live, ctx) {
  const { t } = ctx.i18n;
  const r = detail.request;
  const send = detail.send;
  const current = live?.step ?? send?.step ?? 'ensure_dossier';
  const section = h('section', { class: 'send-section card card-bg mb-4', 'aria-labelledby': 'send-title', testid: 'send-section' });
  const body = h('div', { class: 'card-body' });
  section.append(body);
  body.append(h('h2', { class: 'h4', id: 'send-title', text: t(r.status === 'queued' ? 'request.send_queued_title' : 'request.send_title') }));

  const steps = h('ol', { class: 'send-steps list-unstyled', testid: 'send-steps' },
    stepStates(current, live?.finished ?? []).map(({ step, state }) => h('li',
      { class: `send-step step-${state}`, data: { step, state }, 'aria-current': state === 'current' ? 'step' : null },
      h('span', { class: 'step-mark', 'aria-hidden': 'true' }),
      h('span', { text: t(`steps.${step}`) }),
      h('span', { class: 'visually-hidden', text: ` (${t(`request.step_${state}`)})` }))));
  body.append(steps);

  // Upload progress: whole documents plus the bytes of the one in flight.
  const label = h('span', { id: 'send-progress-label' });
  const value = h('span', { class: 'send-progress-value' });
  const bar = h('div', {
    class: 'progress-bar', role: 'progressbar', testid: 'send-progress',
    'aria-labelledby': 'send-progress-label', 'aria-valuemin': '0', 'aria-valuemax': '100',
  });
  body.append(h('div', { class: 'send-progress mt-3' },
    h('div', { class: 'd-flex justify-content-between small' }, label, value),
    h('div', { class: 'progress' }, bar)));
  const documents = Math.max(detail.documents.length, 1);
  const update = (state) => {
    const step = state?.step ?? current;
    const done = (state?.finished ?? []).includes('upload') || ['wait_validation', 'publish', 'wait_published', 'notify', 'waiting'].includes(step);
    const fraction = uploadFraction(state?.progress ?? null, documents, done);
    const percent = Math.round(fraction * 100);
    bar.style.width = `${percent}%`;
    bar.setAttribute('aria-valuenow', String(percent));
    bar.setAttribute('aria-valuetext', percentText(percent));
    const doc = state?.progress ? Math.min(state.progress.document + 1, documents) : 1;
    label.textContent = done
      ? t('request.upload_done')
      : t('request.upload_progress', { document: doc, count: documents });
    value.textContent = percentText(percent);
  };
  update(live);
  mounted.progress = update;

  if (r.status === 'queued' || live?.queued) {
    const message = live?.queued ? engineErrorText(live.queued) : send?.last_error || '';
    const next = live?.queued?.next_attempt_at ?? send?.next_attempt_at;
    body.append(h('div', { class: 'alert alert-warning mt-3 mb-0', role: 'status', testid: 'send-queued' },
      t('request.queued', { message }),
      next ? h('div', { class: 'small', text: t('request.next_attempt', { when: formatDateTime(typeof next === 'number' ? next : Date.parse(next)) }) }) : null));
  } else if (send?.last_error || live?.failed) {
    body.append(h('div', { class: 'alert alert-warning mt-3 mb-0', role: 'status' }, live?.failed ? engineErrorText(live.failed) : send.last_error));
  }
  if (send?.attempts > 1) body.append(h('p', { class: 'small text-muted mt-2 mb-0', text: t('request.attempts', { count: send.attempts }) }));
  return section;
}

function actionBar(detail, ctx) {
  const { state, i18n, ipc, onError, rerender } = ctx;
  const { t } = i18n;
  const r = detail.request;
  const waiting = r.status === 'waiting';
  // The request's own profile decides, not the active one (banner.js).
  const sandbox = offersCitizenSimulation(detail);
  if (!waiting) return null;

  const bar = h('div', { class: 'detail-actions d-flex flex-wrap align-items-center gap-2 mb-4', testid: 'detail-actions' });
  const last = acted.get(r.id);
  if (last && (last.status !== r.status || Date.now() - last.at > ACTED_MAX_MS)) acted.delete(r.id);
  const busy = acted.has(r.id);
  const run = (button, call, doneKey) => {
    button.disabled = true;
    call(r.id)
      .then(() => { acted.set(r.id, { status: r.status, at: Date.now() }); announce(t(doneKey)); rerender(); })
      .catch((err) => { button.disabled = false; onError(err); });
  };

  const qrParts = qrButton(r, ctx);
  const linkParts = copyLinkButton(detail, ctx);
  bar.append(qrParts.button, linkParts.button, linkParts.copied);
  // The sheet carries IO's link: offered while there is one to print.
  const sheetParts = detail.signing_link ? printButton('sheet', r, ctx) : null;
  if (sheetParts) bar.append(sheetParts.button);

  if (sandbox) {
    const sign = h('button', { type: 'button', class: 'btn btn-success', testid: 'simulate-sign', disabled: busy }, t('request.simulate_sign'));
    const reject = h('button', { type: 'button', class: 'btn btn-outline-danger', testid: 'simulate-reject', disabled: busy }, t('request.simulate_reject'));
    sign.addEventListener('click', () => run(sign, ipc.simulateSign, 'request.simulated_sign'));
    reject.addEventListener('click', () => run(reject, ipc.simulateReject, 'request.simulated_reject'));
    bar.append(h('div', { class: 'sandbox-actions d-flex flex-wrap gap-2', role: 'group', 'aria-label': t('request.sandbox_group') }, sign, reject));
  }

  const cancelArea = h('div', { class: 'cancel-area ms-auto' });
  const ask = () => {
    const cancel = h('button', { type: 'button', class: 'btn btn-outline-danger', testid: 'cancel-request', disabled: busy }, t('request.cancel'));
    cancel.addEventListener('click', () => { confirming = r.id; confirm(true); });
    cancelArea.replaceChildren(cancel);
    return cancel;
  };
  const confirm = (asked) => {
    const question = h('p', { class: 'mb-2 fw-semibold', id: 'cancel-question', tabindex: '-1', text: t('request.cancel_question') });
    const yes = h('button', { type: 'button', class: 'btn btn-danger', testid: 'cancel-confirm' }, t('request.cancel_yes'));
    const no = h('button', { type: 'button', class: 'btn btn-outline-secondary', testid: 'cancel-abort' }, t('request.cancel_no'));
    yes.addEventListener('click', () => {
      confirming = null;
      no.disabled = true;
      run(yes, ipc.cancelRequest, 'request.cancelled');
    });
    no.addEventListener('click', () => { confirming = null; ask().focus(); });
    cancelArea.replaceChildren(h('div', { class: 'cancel-confirm alert alert-warning mb-0', role: 'alertdialog', 'aria-labelledby': 'cancel-question' },
      question, h('div', { class: 'd-flex gap-2' }, yes, no)));
    // Focus moves only when the clerk asked, not when a refresh redraws an open question.
    if (asked) question.focus();
  };
  if (confirming === r.id) confirm(false);
  else ask();
  if (busy) bar.append(h('span', { class: 'small text-muted', role: 'status', testid: 'action-pending', text: t('request.action_pending') }));
  bar.append(cancelArea, qrParts.error, linkParts.error);
  if (sheetParts) bar.append(sheetParts.result);
  return bar;
}

/**
 * "Correggi e reinvia" (a request that stopped), "Duplica" and "Nuova richiesta per lo stesso firmatario": the
 * request back in the new-request form. A draft already open is replaced only when the clerk says so.
 */
function reuseBar(detail, ctx) {
  const { t } = ctx.i18n;
  const r = detail.request;
  const bar = h('div', { class: 'reuse-actions d-flex flex-wrap align-items-center gap-2 mb-4', testid: 'reuse-actions' });
  const button = (mode, key, primary) => {
    const b = h('button', { type: 'button', class: `btn ${primary ? 'btn-primary' : 'btn-outline-primary'}`, testid: `reuse-${mode}` }, t(key));
    b.addEventListener('click', () => reopenInForm(b, r.id, mode, ctx));
    return b;
  };
  // The desk says whether the request stopped (rejected, failed, cancelled, expired).
  if (detail.fixable) bar.append(button('fix', 'request.fix_and_resend', true));
  bar.append(button('duplicate', 'request.duplicate', false), button('same_signer', 'request.same_signer', false));
  const receipt = printButton('receipt', r, ctx);
  bar.append(receipt.button, receipt.result);
  return bar;
}

/**
 * Request `id` back in the new-request form for `mode` (`fix`, `duplicate`, `same_signer`), from `button`
 * (also used by "Da fare"): a draft already open is replaced only when the clerk says so.
 */
export function reopenInForm(button, id, mode, ctx) {
  const { i18n, ipc, onError } = ctx;
  const { t } = i18n;
  const go = () => {
    button.disabled = true;
    ipc.reopenRequest(id, mode)
      .then((answer) => {
        newRequest.draft = draftFromReopened(answer);
        location.hash = '#/new';
      })
      .catch((err) => { button.disabled = false; onError(err); });
  };
  if (!draftHasContent(newRequest.draft)) { go(); return; }
  const replace = h('button', { type: 'button', class: 'btn btn-primary', testid: 'reuse-replace' }, t('request.reuse_replace'));
  const keep = h('button', { type: 'button', class: 'btn btn-outline-secondary', testid: 'reuse-keep' }, t('request.reuse_keep'));
  const dialog = openDialog({
    testid: 'reuse-dialog',
    labelledBy: 'reuse-question',
    initialFocus: keep,
    returnFocus: () => button,
    children: [
      h('h2', { class: 'h4', id: 'reuse-question', text: t('request.reuse_question') }),
      h('div', { class: 'd-flex gap-2 mt-3' }, replace, keep),
    ],
  });
  replace.addEventListener('click', () => { dialog.close(); go(); });
  keep.addEventListener('click', () => dialog.close());
}

function dataSection(detail, t) {
  const r = detail.request;
  const rows = [
    ['request.document_type', r.document_type],
    ['request.signer', r.signer_name],
    ['request.fiscal_code', r.fiscal_code, 'font-monospace'],
    ['request.delivery', t(`request.deliveries.${r.delivery ?? 'io_message'}`)],
    ['request.expires_at', r.expires_at ? formatDateTime(r.expires_at) : t('request.no_deadline')],
    ['request.created_at', formatDateTime(r.created_at)],
    ['request.updated_at', formatDateTime(r.updated_at)],
    ['request.published_at', r.published_at ? formatDateTime(r.published_at) : null],
    ['request.signed_at', r.signed_at ? formatDateTime(r.signed_at) : null],
    ['request.io_status', r.io_status ? ioStatus(r.io_status) : null],
    ['request.io_request_id', r.io_request_id, 'font-monospace'],
    ['request.signing_link', detail.signing_link, 'path-text'],
    ['request.local_id', r.id, 'font-monospace'],
  ].filter(([, value]) => value !== null && value !== undefined && value !== '');
  return h('section', { class: 'mb-4', 'aria-labelledby': 'data-title' },
    h('h2', { class: 'h4', id: 'data-title', text: t('request.data_title') }),
    h('dl', { class: 'detail-data', testid: 'request-data' },
      rows.map(([key, value, cls]) => [h('dt', { text: t(key) }), h('dd', { class: cls ?? null, text: value })])));
}

/** IO's own status code in words ("WAIT_FOR_SIGNATURE" → "In attesa di firma"); unknown codes as they are. */
function ioStatus(code) {
  return textOr(`io_status.${code}`, undefined, code);
}

function fieldText(f, t) {
  const clause = `${t(`clause.${f.clause_type}`)} · «${f.clause_title}»`;
  const place = f.placement?.coordinates;
  if (place) {
    return `${t('request.field_at', { page: place.page + 1, x: Math.round(place.x), y: Math.round(place.y), w: Math.round(place.w), h: Math.round(place.h) })} · ${clause}`;
  }
  return `${t('request.field_existing', { name: f.placement?.existing?.unique_name ?? '' })} · ${clause}`;
}

function documentsSection(detail, t) {
  const items = detail.documents.map((d) => {
    const fields = detail.fields.filter((f) => f.document === d.position);
    return h('li', { class: 'detail-document mb-3', testid: 'detail-document' },
      h('div', { class: 'fw-semibold', text: d.title }),
      d.io_status ? h('div', { class: 'small', text: `${t('request.io_status')}: ${ioStatus(d.io_status)}` }) : null,
      d.reject_reason ? h('div', { class: 'small text-danger', text: `${t('request.reject_reason')}: ${d.reject_reason}` }) : null,
      h('div', { class: 'small text-muted path-text', text: d.path }),
      fields.length
        ? h('ul', { class: 'small mb-0' }, fields.map((f) => h('li', { text: fieldText(f, t) })))
        : h('div', { class: 'small text-muted', text: t('request.no_fields') }));
  });
  return h('section', { class: 'mb-4', 'aria-labelledby': 'docs-title' },
    h('h2', { class: 'h4', id: 'docs-title', text: t('request.documents_title') }),
    h('ol', { class: 'detail-documents' }, items));
}

function archiveSection(detail, ctx) {
  const { i18n } = ctx;
  const { t } = i18n;
  const r = detail.request;
  const files = detail.archived ?? [];
  let body;
  if (files.length > 0) {
    body = h('ul', { class: 'list-unstyled archive-list', testid: 'archive-list' }, files.map((f) => archiveFile(f, ctx)));
  } else {
    body = h('p', { class: 'text-muted', text: t(r.status === 'signed' ? 'request.archive_pending' : 'request.archive_none') });
  }
  return h('section', { class: 'mb-4', 'aria-labelledby': 'archive-title' },
    h('h2', { class: 'h4', id: 'archive-title', text: t('request.archive_title') }), body);
}

// The protocol form open for a request (survives refreshes while the clerk types): id → the values typed.
const editingProtocol = new Map();

const PROTOCOL_FIELDS = ['number', 'date', 'register', 'classification', 'fascicolo'];
// The request whose protocol form was just opened (its first field takes the focus once).
let focusProtocol = null;

/**
 * "Protocollo e conservazione" (issue #14): the request's protocol data — number, date, register,
 * classification, fascicolo, confidential — shown, typed or changed (each change goes in the timeline, and the
 * archived file takes the number), and, once signed and archived, "Pacchetto per la conservazione": the ZIP the
 * records office takes in.
 */
function protocolSection(detail, ctx) {
  const { i18n } = ctx;
  const { t } = i18n;
  const r = detail.request;
  const p = detail.protocol ?? null;
  const section = h('section', { class: 'mb-4', 'aria-labelledby': 'protocol-title', testid: 'protocol-section' },
    h('h2', { class: 'h4', id: 'protocol-title', text: t('handoff.title') }));
  const typed = editingProtocol.get(r.id);
  if (typed) {
    section.append(protocolForm(r, typed, ctx));
  } else {
    const shown = PROTOCOL_FIELDS.filter((f) => p?.[f]);
    if (shown.length === 0 && !p?.reserved) {
      section.append(h('p', { class: 'text-muted', testid: 'protocol-none', text: t('handoff.none') }));
    } else {
      const value = (f) => (f === 'date' ? p.date.split('-').reverse().join('/') : p[f]);
      section.append(h('dl', { class: 'row detail-data', testid: 'protocol-data' },
        ...shown.flatMap((f) => [
          h('dt', { class: 'col-sm-3', text: t(`handoff.field-${f}`) }),
          h('dd', { class: 'col-sm-9', testid: `protocol-${f}`, text: value(f) }),
        ]),
        p.reserved ? h('dd', { class: 'col-sm-9 offset-sm-3', testid: 'protocol-reserved' },
          h('span', { class: 'badge bg-secondary', text: t('handoff.field-reserved') })) : null),
      h('p', { class: 'small text-muted', text: t('handoff.updated', { who: actorLabel(p.updated_by, t), when: formatDateTime(p.updated_at) }) }));
    }
    const edit = h('button', { type: 'button', class: 'btn btn-outline-primary', testid: 'protocol-edit' }, t('handoff.edit'));
    edit.addEventListener('click', () => {
      editingProtocol.set(r.id, Object.fromEntries([...PROTOCOL_FIELDS.map((f) => [f, p?.[f] ?? '']), ['reserved', !!p?.reserved]]));
      focusProtocol = r.id;
      ctx.rerender();
    });
    const actions = h('div', { class: 'd-flex flex-wrap gap-2 align-items-start' }, edit);
    if (r.status === 'signed' && (detail.archived ?? []).length > 0) {
      const pkg = packageButton(r, ctx);
      actions.append(pkg.button);
      const mail = detail.protocol_mail ? mailButton(r, ctx) : null;
      if (mail) actions.append(mail.button);
      // DOM's append writes a null as the text "null": only what is there.
      section.append(...[actions, h('p', { class: 'small text-muted mt-2 mb-1', text: t('handoff.package_hint') }), pkg.result,
        mail?.result, mailQueued(detail.mail_queued, t, ctx, r.id)].filter(Boolean));
    } else {
      section.append(actions);
    }
  }
  return section;
}

function protocolForm(r, typed, ctx) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const error = h('div', { class: 'invalid-message', role: 'alert', testid: 'protocol-error', hidden: true });
  const inputs = {};
  const rows = PROTOCOL_FIELDS.map((f) => {
    const id = `protocol-${f}-input`;
    const input = h('input', {
      id, class: 'form-control', testid: id, type: f === 'date' ? 'date' : 'text',
      maxlength: f === 'number' ? '50' : '200', value: typed[f] ?? '',
      'aria-describedby': f === 'register' ? 'protocol-register-hint' : null,
    });
    input.addEventListener('input', () => { typed[f] = input.value; });
    inputs[f] = input;
    return h('div', { class: 'mb-3 col-md-6' },
      h('label', { for: id, class: 'form-label', text: t(`handoff.field-${f}`) }), input,
      f === 'register' ? h('div', { id: 'protocol-register-hint', class: 'form-text', text: t('handoff.register_hint') }) : null);
  });
  const reserved = h('input', { id: 'protocol-reserved-input', type: 'checkbox', class: 'form-check-input', testid: 'protocol-reserved-input' });
  reserved.checked = !!typed.reserved;
  reserved.addEventListener('change', () => { typed.reserved = reserved.checked; });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'protocol-save' }, t('handoff.save'));
  const cancel = h('button', { type: 'button', class: 'btn btn-outline-secondary', testid: 'protocol-cancel' }, t('handoff.cancel'));
  const form = h('form', { class: 'protocol-form', testid: 'protocol-form', novalidate: true },
    h('div', { class: 'row' }, ...rows),
    h('div', { class: 'form-check mb-3' }, reserved,
      h('label', { for: 'protocol-reserved-input', class: 'form-check-label', text: t('handoff.field-reserved') })),
    error,
    h('div', { class: 'd-flex gap-2' }, save, cancel));
  cancel.addEventListener('click', () => { editingProtocol.delete(r.id); ctx.rerender(); });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    save.disabled = true;
    error.hidden = true;
    ipc.setProtocol(r.id, { ...typed, date: typed.date || null })
      .then(() => {
        editingProtocol.delete(r.id);
        announce(t('handoff.saved'));
        ctx.rerender();
      })
      .catch((err) => {
        error.textContent = i18n.errorText(err);
        error.hidden = false;
        save.disabled = false;
      });
  });
  // The first field takes the focus when the form opens, not at every refresh while the clerk types.
  if (focusProtocol === r.id) {
    focusProtocol = null;
    queueMicrotask(() => inputs.number.focus());
  }
  return form;
}

/** "Invia al protocollo": the package queued for the profile's protocol mailbox; the detail follows it. */
function mailButton(r, ctx) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const button = h('button', { type: 'button', class: 'btn btn-outline-primary', testid: 'mail-send' }, t('handoff.mail_send'));
  const result = h('div', { class: 'w-100', role: 'status', testid: 'mail-send-result' });
  button.addEventListener('click', () => {
    button.disabled = true;
    result.replaceChildren();
    ipc.sendToProtocol(r.id)
      .then(() => {
        announce(t('handoff.mail_queued'));
        ctx.rerender();
      })
      .catch((err) => {
        result.replaceChildren(h('div', { class: 'invalid-message', role: 'alert', text: i18n.errorText(err) }));
        button.disabled = false;
      });
  });
  return { button, result };
}

// While a package waits for the mail server, the detail looks again every few seconds (the sender works
// outside the engine, whose events refresh the view otherwise).
let mailRefresh = null;
const MAIL_REFRESH_MS = 3000;

/** The package waiting for the mail server: where to, how many attempts, why the last failed, when next. */
function mailQueued(q, t, ctx, id) {
  if (!q) return null;
  clearTimeout(mailRefresh);
  // Soon while it is due; after a failure, shortly after its next attempt (a minute at most).
  const delay = Math.min(60_000, Math.max(MAIL_REFRESH_MS, q.next_attempt_at - Date.now() + 1000));
  mailRefresh = setTimeout(() => {
    if (mounted?.root.isConnected && mounted.id === id && !editingProtocol.has(id)) ctx.rerender();
  }, delay);
  return h('div', { class: 'alert alert-info mt-2 mb-0', testid: 'mail-queued' },
    h('div', { text: t('handoff.mail_waiting', { to: q.to }) }),
    q.last_error ? h('div', { class: 'small', testid: 'mail-queued-error', text: t('handoff.mail_last_error', { attempts: q.attempts, reason: q.last_error, when: formatDateTime(q.next_attempt_at) }) }) : null);
}

/** "Pacchetto per la conservazione": the request's package, written into Esportazioni, shown in its folder. */
function packageButton(r, ctx) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const button = h('button', { type: 'button', class: 'btn btn-outline-primary', testid: 'package-export' }, t('handoff.package'));
  const result = h('div', { class: 'w-100', role: 'status', testid: 'package-result' });
  button.addEventListener('click', () => {
    button.disabled = true;
    result.replaceChildren(h('div', { class: 'progress mt-1', role: 'progressbar', 'aria-label': t('handoff.package') },
      h('div', { class: 'progress-bar progress-bar-striped progress-bar-animated w-100' })));
    ipc.exportPackages([r.id])
      .then((done) => {
        const reveal = h('button', { type: 'button', class: 'btn btn-outline-primary btn-xs ms-2', testid: 'package-reveal' }, t('request.printed_reveal'));
        reveal.addEventListener('click', () => ipc.revealExport(done.path).catch((err) => {
          result.append(h('div', { class: 'invalid-message', text: i18n.errorText(err) }));
        }));
        result.replaceChildren(h('div', { class: 'alert alert-success mb-0 mt-1' },
          h('span', { text: t('handoff.package_done') }), ' ',
          h('code', { class: 'path-text', testid: 'package-path', text: done.path }), reveal));
      })
      .catch((err) => {
        result.replaceChildren(h('div', { class: 'invalid-message', role: 'alert', text: i18n.errorText(err) }));
      })
      .finally(() => { button.disabled = false; });
  });
  return { button, result };
}

/**
 * The verification of each archived document (issue #14), as the engine made it when it archived it: the
 * verdict, who signed and when, the reasons; a red alert first when one is "Firma non valida".
 */
function verificationSection(detail, ctx) {
  const { t } = ctx.i18n;
  const kept = detail.verifications ?? [];
  const many = kept.length > 1;
  const invalid = kept.some((v) => v.verdict === 'invalid');
  return h('section', { class: 'mb-4', 'aria-labelledby': 'verification-title', testid: 'verification-section' },
    h('h2', { class: 'h4', id: 'verification-title', text: t('verification.label') }),
    invalid ? h('div', { class: 'alert alert-danger', role: 'alert', testid: 'verification-alert', text: t('verification.alert') }) : null,
    kept.map((v) => {
      const list = reasons(v);
      return h('div', { class: 'mb-3', testid: 'verification', data: { verdict: v.verdict, documentId: v.io_document_id } },
        many ? h('h3', { class: 'h6', text: t('verification.document', { id: v.io_document_id }) }) : null,
        h('p', { class: `alert alert-${verdictTone(v.verdict)} mb-2`, testid: 'verification-verdict' }, h('strong', { text: v.verdict_text })),
        h('dl', { class: 'info-list mb-2' },
          facts(v, t, formatDateTime).map(([label, value, testid]) => [h('dt', { text: label }), h('dd', { testid, text: value })])),
        list.length === 0 ? null : h('ul', { testid: 'verification-reasons' }, list.map((r) => h('li', {
          testid: 'verification-reason', data: { code: r.code, severity: r.severity }, text: r.text,
        }))),
        h('p', { class: 'small text-muted mb-0', text: trustText(v.trust, t) }));
    }));
}

/** One archived file: its path, size and hash, and the buttons to open it, find it, copy its path. */
function archiveFile(f, ctx) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const name = String(f.path).split(/[\\/]/).pop();
  const key = `file:${f.path}`;
  const error = h('div', { class: 'invalid-message', role: 'alert', testid: 'archive-file-error', hidden: !failures.has(key), text: failures.get(key) ?? '' });
  const fail = (err) => {
    const text = i18n.errorText(err);
    failures.set(key, text);
    error.textContent = text;
    error.hidden = false;
  };
  const button = (testid, textKey, call) => {
    const b = h('button', { type: 'button', class: 'btn btn-outline-primary btn-xs', testid },
      t(textKey), h('span', { class: 'visually-hidden', text: ` (${name})` }));
    b.addEventListener('click', () => {
      if (b.getAttribute('aria-disabled') === 'true') return;
      b.setAttribute('aria-disabled', 'true');
      failures.delete(key);
      error.hidden = true;
      Promise.resolve()
        .then(call)
        .catch(fail)
        .finally(() => b.removeAttribute('aria-disabled'));
    });
    return b;
  };
  const open = button('open-signed', 'request.open_signed', () => ipc.openSigned(f.request_id, f.io_document_id));
  const reveal = button('reveal-signed', 'request.reveal_signed', () => ipc.revealSigned(f.request_id, f.io_document_id));
  const copy = button('copy-path', 'request.copy_path', () => Promise.resolve()
    .then(() => navigator.clipboard.writeText(f.path))
    .then(() => announce(t('request.path_copied')), () => { throw { message: t('request.copy_failed') }; }));
  return h('li', { class: 'archive-file mb-3', testid: 'download-signed', data: { path: f.path } },
    h('code', { class: 'path-text', testid: 'archived-path', text: f.path }),
    h('div', { class: 'small text-muted', text: `${formatSize(f.size)} · SHA-256 ${String(f.sha256).slice(0, 16)}…` }),
    h('div', { class: 'archive-actions d-flex flex-wrap gap-2 mt-1' }, open, reveal, copy),
    error);
}

// ---- Firma allo sportello: the QR code the citizen scans with the phone ----

/** "Firma allo sportello" for waiting request `r` (also used by "Da fare"): `{ button, error }`. */
export function qrButton(r, ctx) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const key = `qr:${r.id}`;
  const button = h('button', { type: 'button', class: 'btn btn-primary', testid: 'show-qr', 'aria-haspopup': 'dialog' }, t('request.show_qr'));
  // Under the whole bar, on its own line, so the buttons do not move when it appears.
  const error = h('div', { class: 'invalid-message w-100 mt-0', role: 'alert', testid: 'qr-error', hidden: !failures.has(key), text: failures.get(key) ?? '' });
  button.addEventListener('click', () => {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    failures.delete(key);
    error.hidden = true;
    ipc.qrCode(r.id)
      .then((url) => openQrDialog(r, url, t, button))
      .catch((err) => {
        const text = i18n.errorText(err);
        failures.set(key, text);
        error.textContent = text;
        error.hidden = false;
      })
      .finally(() => button.removeAttribute('aria-disabled'));
  });
  return { button, error };
}

/**
 * "Copia link di firma": IO's link for the citizen, copied in the click (the webview's clipboard wants the
 * clerk's gesture) and announced; without a link, why not, where the button is.
 */
export function copyLinkButton(detail, ctx) {
  const { t } = ctx.i18n;
  const key = `link:${detail.request.id}`;
  const button = h('button', { type: 'button', class: 'btn btn-outline-primary', testid: 'copy-signing-link' }, t('request.copy_link'));
  const copied = h('span', { class: 'small text-success', testid: 'link-copied', hidden: true, text: t('request.link_copied') });
  const error = h('div', { class: 'invalid-message w-100 mt-0', role: 'alert', testid: 'link-error', hidden: !failures.has(key), text: failures.get(key) ?? '' });
  button.addEventListener('click', () => {
    failures.delete(key);
    error.hidden = true;
    copied.hidden = true;
    copySigningLink(detail, globalThis.navigator?.clipboard).then(({ ok, key: text }) => {
      if (ok) {
        copied.hidden = false;
        announce(t(text));
        return;
      }
      failures.set(key, t(text));
      error.textContent = t(text);
      error.hidden = false;
    });
  });
  return { button, copied, error };
}

/**
 * "Stampa foglio per il cittadino" (`sheet`, while the request waits for signature) and "Ricevuta e registro"
 * (`receipt`): the desk writes the PDF into the archive's Esportazioni folder and opens it in the system's PDF
 * reader, whose print dialog prints it; the clerk sees where it is and can show it in the folder.
 */
export function printButton(kind, r, ctx) {
  const { i18n, ipc } = ctx;
  const { t } = i18n;
  const button = h('button', { type: 'button', class: 'btn btn-outline-primary', testid: `print-${kind}` },
    t(kind === 'sheet' ? 'request.print_sheet' : 'request.print_receipt'));
  const result = h('div', { class: 'print-result w-100', testid: `print-${kind}-result`, role: 'status' });
  const call = kind === 'sheet' ? ipc.printSheet : ipc.printReceipt;
  button.addEventListener('click', () => {
    button.disabled = true;
    result.replaceChildren();
    call(r.id)
      .then((done) => {
        const reveal = h('button', { type: 'button', class: 'btn btn-outline-primary btn-xs ms-2', testid: `print-${kind}-reveal` }, t('request.printed_reveal'));
        const revealError = h('div', { class: 'invalid-message', hidden: true });
        reveal.addEventListener('click', () => {
          revealError.hidden = true;
          ipc.revealExport(done.path).catch((err) => {
            revealError.textContent = i18n.errorText(err);
            revealError.hidden = false;
          });
        });
        result.replaceChildren(h('div', { class: 'alert alert-success mb-0 mt-1' },
          h('span', { text: t(done.opened ? 'request.printed_opened' : 'request.printed_saved') }), ' ',
          h('code', { class: 'path-text', testid: `print-${kind}-path`, text: done.path }),
          reveal, revealError));
      })
      .catch((err) => {
        result.replaceChildren(h('div', { class: 'invalid-message', role: 'alert', text: i18n.errorText(err) }));
      })
      .finally(() => { button.disabled = false; });
  });
  return { button, result };
}

function openQrDialog(r, url, t, opener) {
  const close = h('button', { type: 'button', class: 'btn btn-primary btn-lg', testid: 'qr-close' }, t('request.qr_close'));
  const status = h('p', { class: 'qr-status', role: 'status', testid: 'qr-status' });
  const dialog = openDialog({
    testid: 'qr-dialog',
    className: 'qr-dialog',
    labelledBy: 'qr-title',
    describedBy: 'qr-instructions',
    initialFocus: close,
    // The button that opened it, or after a refresh redrew the view its successor.
    returnFocus: () => (opener?.isConnected ? opener : null)
      ?? document.querySelector(`#view [data-request-id="${CSS.escape(r.id)}"] [data-testid="show-qr"]`)
      ?? document.querySelector('#view [data-testid="show-qr"]')
      ?? document.querySelector('#view [data-testid="view-title"]'),
    onClose: () => { if (qr?.dialog === dialog) qr = null; },
    children: [
      h('h2', { class: 'h3', id: 'qr-title', text: t('request.qr_title') }),
      h('p', { class: 'qr-request', testid: 'qr-request' },
        h('span', { class: 'fw-semibold', text: r.title }), ' · ', h('span', { text: r.signer_name })),
      h('img', { class: 'qr-image', testid: 'qr-image', src: url, alt: t('request.qr_alt', { title: r.title }) }),
      h('p', { class: 'qr-instructions', id: 'qr-instructions', text: t('request.qr_instructions') }),
      status,
      close,
    ],
  });
  close.addEventListener('click', () => dialog.close());
  qr = { id: r.id, status, dialog };
}

/** A refresh while the QR is on screen: say when the request is no longer waiting (signed, cancelled...). */
function updateQrDialog(r, t) {
  if (!qr || qr.id !== r.id) return;
  const moved = r.status !== 'waiting';
  const text = moved ? t('request.qr_moved', { status: t(`status.${r.status}`) }) : '';
  if (qr.status.textContent !== text) qr.status.textContent = text;
  qr.status.dataset.status = r.status;
}

/**
 * A live engine error (`{ code, message }` from a queued or failed event, code as `offline`) in the clerk's
 * language: the engine's Italian message in Italian, the catalogue's text for `engine.<code>` otherwise.
 */
function engineErrorText({ code, message }) {
  return errorText({ code: code && code !== 'document_rejected' ? `engine.${code}` : null, message });
}

function timelineSection(detail, t) {
  const events = [...(detail.events ?? [])].sort((a, b) => a.at - b.at);
  return h('section', { class: 'mb-4', 'aria-labelledby': 'timeline-title' },
    h('h2', { class: 'h4', id: 'timeline-title', text: t('request.timeline_title') }),
    events.length === 0
      ? h('p', { class: 'text-muted', testid: 'timeline', text: t('request.timeline_empty') })
      : h('ol', { class: 'timeline-list list-unstyled', testid: 'timeline' }, events.map((e) => h('li',
        { class: 'timeline-item', testid: 'timeline-item', data: { code: e.code } },
        h('time', { class: 'timeline-when', datetime: new Date(e.at).toISOString(), text: formatDateTime(e.at) }),
        h('div', { class: 'timeline-what' },
          h('span', { text: e.text }),
          linkedRequest(e, t),
          h('span', { class: 'small text-muted', text: ` — ${actorLabel(e.actor, t)}` }))))));
}

/** "Correggi e reinvia": the entry that names the other request links to it. */
function linkedRequest(e, t) {
  let args = null;
  try { args = JSON.parse(e.detail_json ?? 'null')?.args ?? null; } catch { args = null; }
  const other = args?.request ?? args?.replaces;
  if (!other) return null;
  return h('a', { class: 'ms-2', href: `#/request/${encodeURIComponent(other)}`, testid: 'timeline-link', text: t('request.open_linked') });
}
