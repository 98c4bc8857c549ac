// Drafts set aside ("Metti da parte", listed under "Bozze" as "Bozze non inviate"): what the list and the
// dashboard say about them. Pure functions over set_aside_drafts' answer, so they are tested in Node.
import { formatDateTime } from './format.js';

/**
 * The dashboard's counts with the drafts set aside added to "Bozze" (the store counts only the requests
 * the service sent back for an edit). `counts` is not changed.
 */
export function countsWithAside(counts, aside) {
  const extra = Array.isArray(aside) ? aside.length : 0;
  return { ...(counts ?? {}), drafts: (counts?.drafts ?? 0) + extra };
}

/**
 * What a row of "Bozze non inviate" says about a draft set aside: its name (`label`, else "untitled"),
 * one line of details (signer, type, documents, when it was set aside) and, when some of its PDFs are no
 * longer kept, a note naming them (null otherwise). `t` is i18n's translate function.
 */
export function asideSummary(item, t) {
  const label = String(item?.label ?? '').trim() || t('drafts.untitled');
  const details = [
    String(item?.signer_name ?? '').trim() || t('drafts.no_signer'),
    String(item?.document_type ?? '').trim() || t('drafts.no_type'),
    t('drafts.documents', { count: Number(item?.documents) || 0 }),
    t('drafts.saved_at', { when: formatDateTime(item?.saved_at ?? 0) }),
  ];
  const missing = item?.missing_documents ?? [];
  return {
    label,
    details: details.join(' · '),
    missing: missing.length > 0 ? t('drafts.missing', { names: missing.join(', '), count: missing.length }) : null,
  };
}
