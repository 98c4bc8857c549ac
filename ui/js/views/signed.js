// Firmati: the signed requests and whether their documents are in the archive.
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
});
