// "Da fare" (issue #16): the desk lists what the clerk must act on, most urgent first (`todo_list`); this
// module groups it by kind and says which actions each row offers and which date it shows. No DOM: tested
// in Node.

/** The kinds, most urgent first (the desk's order, crates/firmadesk-desk/src/todo.rs). */
export const TODO_KINDS = ['failed', 'rejected', 'expiring', 'expired'];

/** Each kind's heading, short name and empty text are `todo.<kind>_title` (in both catalogues). */
export const KIND_TITLES = {
  failed: 'todo.failed_title',
  rejected: 'todo.rejected_title',
  expiring: 'todo.expiring_title',
  expired: 'todo.expired_title',
};

/**
 * The actions of a row, in button order: the first is the one the row is there for.
 * `fix`: "Correggi e reinvia"; `same_signer`: "Nuova richiesta" for the same signer; `qr`: "Firma allo
 * sportello" (the QR code); `link`: "Copia link di firma".
 */
export function actionsFor(kind) {
  switch (kind) {
    case 'failed':
    case 'rejected':
    case 'expired':
      return ['fix', 'same_signer'];
    case 'expiring':
      return ['qr', 'link', 'same_signer'];
    default:
      return [];
  }
}

/** The date a row shows: the deadline for expiring and expired ones, the last change otherwise. */
export function rowDate(item) {
  const r = item?.request ?? {};
  if (item?.kind === 'expiring' || item?.kind === 'expired') return { key: 'todo.deadline', at: r.expires_at ?? null };
  return { key: 'todo.changed', at: r.updated_at ?? null };
}

/**
 * The items grouped by kind, in urgency order, empty kinds left out (the desk's order kept within each);
 * an unknown kind (a newer desk) is kept, after the known ones.
 */
export function groups(items) {
  const by = new Map();
  for (const item of items ?? []) {
    if (!by.has(item.kind)) by.set(item.kind, []);
    by.get(item.kind).push(item);
  }
  const known = TODO_KINDS.filter((k) => by.has(k));
  const other = [...by.keys()].filter((k) => !TODO_KINDS.includes(k));
  return [...known, ...other].map((kind) => ({ kind, items: by.get(kind) }));
}
