// "Bozze non inviate": the drafts set aside on this computer ("Metti da parte" in the new-request form),
// shown above the requests of the "Bozze" list. "Riprendi" puts one back in the form (the draft being typed,
// if any, is set aside first, so nothing is lost); "Elimina" deletes one once the clerk confirms.
import { asideSummary } from '../aside.js';
import { draftHasContent, restoreKeptDraft } from '../draft.js';
import { announce, h, loading } from './common.js';
import { openDialog } from './dialog.js';
import { flushKeep, state as newRequest } from './new/state.js';

// The last list read, so a refresh of the view shows it at once instead of a spinner.
let last = null;

/** The section, filled from set_aside_drafts (read again each time the view is drawn). */
export function asideDraftsSection({ i18n, ipc, onError }) {
  const { t } = i18n;
  const slot = h('div', { class: 'aside-slot' });
  const title = h('h2', { class: 'h4', id: 'aside-drafts-title', tabindex: '-1', text: t('drafts.title') });
  const section = h('section', { class: 'aside-drafts mb-4', 'aria-labelledby': 'aside-drafts-title', testid: 'aside-drafts' },
    title, h('p', { class: 'text-muted', text: t('drafts.intro') }), slot);

  const show = (items) => {
    if (items.length === 0) {
      slot.replaceChildren(h('p', { class: 'text-muted', testid: 'aside-empty', text: t('drafts.empty') }));
      return;
    }
    slot.replaceChildren(h('ul', { class: 'aside-list list-unstyled mb-0', testid: 'aside-list' }, items.map(row)));
  };
  const load = () => ipc.setAsideDrafts()
    .then((items) => { last = items; show(items); })
    .catch((err) => {
      if (!last) slot.replaceChildren(h('p', { class: 'text-muted', text: t('drafts.unavailable') }));
      onError(err);
    });

  const row = (d) => {
    const s = asideSummary(d, t);
    const hidden = h('span', { class: 'visually-hidden', text: `: ${s.label}` });
    const resume = h('button', { type: 'button', class: 'btn btn-primary btn-sm', testid: 'aside-resume' }, t('drafts.resume'), hidden);
    const remove = h('button', { type: 'button', class: 'btn btn-outline-danger btn-sm', testid: 'aside-delete' },
      t('drafts.delete'), hidden.cloneNode(true));
    resume.addEventListener('click', () => resumeDraft(d, s, resume));
    remove.addEventListener('click', () => confirmDelete(d, s));
    return h('li', { class: 'aside-draft card card-bg mb-2', testid: 'aside-draft', data: { draftId: d.id } },
      h('div', { class: 'card-body d-flex flex-wrap align-items-center gap-3' },
        h('div', { class: 'flex-grow-1' },
          h('p', { class: 'fw-semibold mb-1', testid: 'aside-label', text: s.label }),
          h('p', { class: 'small mb-0', testid: 'aside-details', text: s.details }),
          s.missing ? h('p', { class: 'small text-warning-emphasis mt-1 mb-0', testid: 'aside-missing', text: s.missing }) : null),
        h('div', { class: 'd-flex gap-2' }, resume, remove)));
  };

  // The form's draft is kept first, so the desk sets aside exactly what the clerk was typing.
  const resumeDraft = (d, s, button) => {
    button.disabled = true;
    const hadContent = draftHasContent(newRequest.draft);
    flushKeep(ipc)
      .then(() => ipc.resumeDraft(d.id))
      .then((answer) => {
        newRequest.draft = restoreKeptDraft(answer);
        newRequest.draft.pdf_errors = newRequest.draft.missing_documents.map((name) => t('new.pdf_not_kept', { name }));
        const text = t(hadContent ? 'drafts.resumed_previous' : 'drafts.resumed', { label: s.label });
        newRequest.notice = { text, toDrafts: hadContent };
        announce(text);
        location.hash = '#/new';
      })
      .catch((err) => {
        button.disabled = false;
        onError(err);
        load();
      });
  };

  const confirmDelete = (d, s) => {
    const yes = h('button', { type: 'button', class: 'btn btn-danger', testid: 'aside-delete-confirm' }, t('drafts.delete_confirm'));
    const no = h('button', { type: 'button', class: 'btn btn-outline-secondary', testid: 'aside-delete-cancel' }, t('drafts.delete_cancel'));
    const dialog = openDialog({
      testid: 'aside-delete-dialog',
      labelledBy: 'aside-delete-question',
      describedBy: 'aside-delete-text',
      initialFocus: no,
      // The row's button, found afresh (a refresh may have redrawn the list), else the section's title.
      returnFocus: () => document.querySelector(`[data-draft-id="${CSS.escape(d.id)}"] [data-testid="aside-delete"]`)
        ?? document.getElementById('aside-drafts-title'),
      children: [
        h('h2', { class: 'h4', id: 'aside-delete-question', text: t('drafts.delete_question', { label: s.label }) }),
        h('p', { id: 'aside-delete-text', text: t('drafts.delete_text') }),
        h('div', { class: 'd-flex gap-2 mt-3' }, yes, no),
      ],
    });
    no.addEventListener('click', () => dialog.close());
    yes.addEventListener('click', () => {
      yes.disabled = true;
      ipc.deleteDraft(d.id)
        .then(() => {
          last = (last ?? []).filter((x) => x.id !== d.id);
          show(last);
          dialog.close(false);
          document.getElementById('aside-drafts-title')?.focus();
          announce(t('drafts.deleted', { label: s.label }));
        })
        .catch((err) => {
          dialog.close();
          onError(err);
        })
        .finally(load);
    });
  };

  if (last) show(last);
  else slot.append(loading(t));
  load();
  return section;
}
