// Verifica un PDF firmato: any signed PDF (one that came by PEC or e-mail too) dropped on the window or
// picked, with an optional expected fiscal code, checked by Rust (`verify_pdf`); the verdict ("Firma valida" /
// "Firma valida, avvisi" / "Firma non valida"), who signed and when, and the reasons in plain words. Nothing
// is kept: the file's bytes go to Rust and back comes the report.
import { formatDateTime } from '../format.js';
import { facts, normaliseFiscalCode, reasons, trustText, verdictTone } from '../verification.js';
import { announce, h, loading } from './common.js';

// What survives a redraw (language change, coming back): the code typed, the last file and its result.
const memory = { fiscalCode: '', file: null, checked: null, error: null, busy: false };
let mounted = null;

export function render(ctx) {
  const { i18n } = ctx;
  const { t } = i18n;
  const input = h('input', {
    type: 'text', id: 'verify-fiscal-code-input', class: 'form-control text-uppercase', testid: 'verify-fiscal-code-input',
    maxlength: '16', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'verify-fiscal-code-hint', value: memory.fiscalCode,
  });
  input.addEventListener('input', () => { memory.fiscalCode = input.value; });
  const picker = h('input', { type: 'file', id: 'verify-file', class: 'visually-hidden', accept: '.pdf,application/pdf', testid: 'verify-file' });
  picker.addEventListener('change', () => {
    const [file] = picker.files ?? [];
    picker.value = '';
    if (file) check(file, ctx);
  });
  const again = h('button', {
    type: 'button', class: 'btn btn-outline-primary', testid: 'verify-again', hidden: !memory.file,
    onClick: () => { if (memory.file) check(memory.file, ctx); },
  }, t('verification.again'));
  const result = h('div', { class: 'mt-4', testid: 'verify-result', 'aria-live': 'polite' });
  const root = h('div', { class: 'verify-view' },
    h('h1', { class: 'h2', testid: 'view-title', tabindex: '-1', text: t('verification.title') }),
    h('p', { class: 'lead', text: t('verification.intro') }),
    h('div', { class: 'form-group verify-fiscal-code' },
      h('label', { for: 'verify-fiscal-code-input', class: 'active', text: t('verification.fiscal_code') }),
      input,
      h('small', { id: 'verify-fiscal-code-hint', class: 'form-text', text: t('verification.fiscal_code_hint') })),
    h('div', { class: 'verify-drop p-4 mb-3 text-center', testid: 'verify-drop' },
      h('p', { class: 'mb-3', text: t('verification.drop') }),
      picker,
      // The file input itself takes the focus (and Enter or Space opens the picker); the label is its face.
      h('label', { class: 'btn btn-primary mb-0', for: 'verify-file', testid: 'verify-pick', text: t('verification.pick') }),
      ' ', again),
    result);
  mounted = { root, result, again, ctx };
  draw();
  return root;
}

/** A drop on the window while this view is shown: the first PDF is verified. */
export function takeDrop({ accepted, rejected }, ctx) {
  if (accepted.length > 0) return check(accepted[0], ctx);
  if (rejected.length > 0) {
    memory.checked = null;
    memory.error = { code: 'pdf.not_pdf', message: ctx.i18n.t('errors.pdf.not_pdf') };
    draw();
  }
  return Promise.resolve();
}

async function check(file, ctx) {
  const { i18n, ipc } = ctx;
  memory.file = file;
  memory.busy = true;
  memory.error = null;
  memory.checked = null;
  draw();
  try {
    memory.checked = await ipc.verifyPdf(file, normaliseFiscalCode(memory.fiscalCode));
    announce(memory.checked.verdict_text);
  } catch (err) {
    memory.error = err;
    announce(i18n.errorText(err));
  } finally {
    memory.busy = false;
    draw();
  }
}

function draw() {
  if (!mounted) return;
  const { result, again, ctx } = mounted;
  const { t } = ctx.i18n;
  again.hidden = !memory.file || memory.busy;
  if (memory.busy) {
    result.replaceChildren(h('p', { testid: 'verify-file-name', text: t('verification.file', { name: memory.file?.name ?? '' }) }), loading(t));
    return;
  }
  if (memory.error) {
    result.replaceChildren(h('div', { class: 'alert alert-danger', role: 'alert', testid: 'verify-error', text: ctx.i18n.errorText(memory.error) }));
    return;
  }
  const checked = memory.checked;
  if (!checked) {
    result.replaceChildren();
    return;
  }
  const list = reasons(checked);
  result.replaceChildren(
    h('p', { testid: 'verify-file-name', text: t('verification.file', { name: memory.file?.name ?? '' }) }),
    h('div', { class: `alert alert-${verdictTone(checked.verdict)}`, role: 'status', testid: 'verify-verdict', data: { verdict: checked.verdict } },
      h('strong', { text: checked.verdict_text })),
    h('dl', { class: 'info-list', testid: 'verify-facts' },
      facts(checked, t, formatDateTime).map(([label, value, testid]) => [h('dt', { text: label }), h('dd', { testid, text: value })])),
    h('h2', { class: 'h5', text: t('verification.reasons') }),
    list.length === 0
      ? h('p', { testid: 'verify-no-reasons', text: t('verification.no_reasons') })
      : h('ul', { testid: 'verify-reasons' }, list.map((r) => h('li', {
        testid: 'verify-reason', data: { code: r.code, severity: r.severity }, text: r.text,
      }))),
    h('p', { class: 'small text-muted', testid: 'verify-trust', text: trustText(checked.trust, t) }),
    ...(checked.trusted_lists ? [h('p', { class: 'small text-muted', testid: 'verify-lists', text: listsText(checked.trusted_lists, t) })] : []));
}

/** Which EU trusted lists a body's profile used ("EU n. 388, IT n. 70, controllati il ..."), or why none. */
function listsText(view, t) {
  const lists = view.lists.map((l) => t('verification.list', { territory: l.territory, sequence: l.sequence })).join(', ');
  if (view.in_use) return t('verification.lists', { lists, when: view.checked_at ? formatDateTime(view.checked_at) : '' });
  return view.problem ? t('verification.lists_problem') : t('verification.lists_none');
}
