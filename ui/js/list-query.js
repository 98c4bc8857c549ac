// The lists' filters beyond the view's own ("In attesa di firma", "Firmati"): document type, the day range
// the request was created in (the clerk's local days) and the scope — the active profile, named on screen,
// or every profile when the clerk asks for it. Pure: the view keeps the values, this makes the query.

const DAY_MS = 24 * 60 * 60 * 1000;

/** Local midnight of a `yyyy-mm-dd` date input's value, in ms; null for an empty or invalid value. */
export function localDayStart(value) {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const [y, m, d] = value.split('-').map(Number);
  const at = new Date(y, m - 1, d, 0, 0, 0, 0);
  return Number.isNaN(at.getTime()) || at.getDate() !== d ? null : at.getTime();
}

/** The local midnight after the day `value` (the end of the range is the whole day, exclusive). */
export function localDayEnd(value) {
  const start = localDayStart(value);
  if (start === null) return null;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + 1, 0, 0, 0, 0).getTime() || start + DAY_MS;
}

/**
 * The ListQuery fields and the scope of `filters` ({ documentType, from, to, allProfiles }): `{ query, allProfiles }`.
 * A range whose end comes before its start is swapped, as the clerk surely meant it.
 */
export function extraFilters(filters = {}) {
  let from = localDayStart(filters.from);
  let to = localDayEnd(filters.to);
  if (from !== null && to !== null && to <= from) {
    [from, to] = [localDayStart(filters.to), localDayEnd(filters.from)];
  }
  return {
    query: {
      document_type: filters.documentType || null,
      created_from: from,
      created_to: to,
    },
    allProfiles: filters.allProfiles === true,
  };
}

/** Whether any of the extra filters narrows the list (for "Azzera filtri" and the empty message). */
export function narrows(filters = {}) {
  const { query } = extraFilters(filters);
  return query.document_type !== null || query.created_from !== null || query.created_to !== null;
}
