// Firmati: which requests an export takes and the "Seleziona tutti" box.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportIds, exportScope, selectAllState, selectedCount, toggleAll } from '../js/selection.js';

test('an export takes the ticked rows on screen, in the list order', () => {
  const visible = ['a', 'b', 'c', 'd'];
  assert.deepEqual(exportIds(visible, new Set(['c', 'a'])), ['a', 'c']);
});

test('with nothing ticked an export takes every row on screen', () => {
  const visible = ['a', 'b', 'c'];
  const all = exportIds(visible, new Set());
  assert.deepEqual(all, ['a', 'b', 'c']);
  assert.notEqual(all, visible, 'a copy, not the caller\'s array');
  assert.deepEqual(exportIds([], new Set()), []);
});

test('ticked rows hidden by a search are not exported; if only hidden ones are ticked, the visible rows go', () => {
  assert.deepEqual(exportIds(['b', 'c'], new Set(['a', 'c'])), ['c']);
  assert.deepEqual(exportIds(['b', 'c'], new Set(['a'])), ['b', 'c']);
  assert.equal(selectedCount(['b', 'c'], new Set(['a', 'c'])), 1);
});

test('"Seleziona tutti" shows none, some or all of the visible rows and toggles them', () => {
  const visible = ['a', 'b'];
  const selected = new Set(['z']);
  assert.equal(selectAllState(visible, selected), 'none');
  assert.equal(toggleAll(visible, selected), true);
  assert.deepEqual([...selected].sort(), ['a', 'b', 'z']);
  assert.equal(selectAllState(visible, selected), 'all');
  selected.delete('a');
  assert.equal(selectAllState(visible, selected), 'some');
  // From "some" the box ticks everything...
  assert.equal(toggleAll(visible, selected), true);
  assert.equal(selectAllState(visible, selected), 'all');
  // ...and from "all" it unticks the visible rows only.
  assert.equal(toggleAll(visible, selected), false);
  assert.deepEqual([...selected], ['z']);
  assert.equal(selectAllState([], new Set(['a'])), 'none');
});

test('the line under the buttons says what will be exported', () => {
  assert.deepEqual(exportScope(['a', 'b', 'c'], new Set(['b'])), { scope: 'selected', count: 1 });
  assert.deepEqual(exportScope(['a', 'b', 'c'], new Set()), { scope: 'visible', count: 3 });
});
