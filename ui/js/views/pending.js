// In attesa di firma: the requests sent and not yet signed, with their deadlines; the filter also reaches
// the other states the dashboard counts (in invio, rifiutate, annullate...). "Bozze" shows the drafts set
// aside on this computer above the requests the service sent back for an edit.
import { asideDraftsSection } from './aside-drafts.js';
import { EXPIRING_QUERY, listView } from './request-list.js';

export const render = listView({
  key: 'pending',
  title: 'pending.title',
  intro: 'pending.intro',
  filters: {
    waiting: { statuses: ['waiting'] },
    expiring: EXPIRING_QUERY,
    expired: { statuses: ['waiting'], expired_only: true },
    sending: { statuses: ['sending', 'queued'] },
    draft: { statuses: ['draft'] },
    failed: { statuses: ['failed'] },
    rejected: { statuses: ['rejected'] },
    cancelled: { statuses: ['cancelled'] },
    all: { statuses: [] },
  },
  defaultFilter: 'waiting',
  sorts: ['expires_at', 'updated', 'signer_name', 'created'],
  defaultSort: 'expires_at',
  columns: 'pending',
  above: (filter, ctx) => (filter === 'draft' ? asideDraftsSection(ctx) : null),
});
