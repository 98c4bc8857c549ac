// Row selection in the Firmati list and which requests an export takes: the ticked rows among those on
// screen, or every row on screen when none is ticked. A ticked row hidden by a later search stays ticked
// (it comes back ticked) but is not exported while hidden: an export never takes what the clerk cannot see.

/** The local ids an export takes, in the list's order. */
export function exportIds(visibleIds, selected) {
  const chosen = visibleIds.filter((id) => selected.has(id));
  return chosen.length > 0 ? chosen : [...visibleIds];
}

/** How many visible rows are ticked. */
export function selectedCount(visibleIds, selected) {
  return visibleIds.reduce((n, id) => n + (selected.has(id) ? 1 : 0), 0);
}

/** The "Seleziona tutti" box: 'none' | 'some' | 'all' of the visible rows. */
export function selectAllState(visibleIds, selected) {
  const n = selectedCount(visibleIds, selected);
  if (n === 0 || visibleIds.length === 0) return 'none';
  return n === visibleIds.length ? 'all' : 'some';
}

/** Ticks every visible row, or unticks them all when all were ticked (the others are left alone). */
export function toggleAll(visibleIds, selected) {
  const all = selectAllState(visibleIds, selected) === 'all';
  for (const id of visibleIds) {
    if (all) selected.delete(id);
    else selected.add(id);
  }
  return !all;
}

/** What an export will take, for the line under the buttons: `{ scope: 'selected' | 'visible', count }`. */
export function exportScope(visibleIds, selected) {
  const n = selectedCount(visibleIds, selected);
  return n > 0 ? { scope: 'selected', count: n } : { scope: 'visible', count: visibleIds.length };
}
