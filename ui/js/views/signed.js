// Firmati: the signed requests and whether their documents are in the archive; rows can be ticked and
// exported as a CSV list or a ZIP of the signed PDFs.
import { listView } from './request-list.js';

export const render = listView({
  key: 'signed',
  title: 'signed.title',
  intro: 'signed.intro',
  filters: { signed: { statuses: ['signed'] } },
  defaultFilter: 'signed',
  sorts: ['updated', 'signer_name', 'created'],
  defaultSort: 'updated',
  columns: 'signed',
  selectable: true,
});
