// The modal dialog's focus trap: Tab and Shift+Tab wrap around inside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycleIndex } from '../js/views/dialog.js';

test('Tab moves forward and wraps to the first control', () => {
  assert.equal(cycleIndex(0, 3, false), 1);
  assert.equal(cycleIndex(2, 3, false), 0);
});

test('Shift+Tab moves back and wraps to the last control', () => {
  assert.equal(cycleIndex(0, 3, true), 2);
  assert.equal(cycleIndex(2, 3, true), 1);
});

test('from outside the controls focus enters at the first (or last going back); one control keeps it', () => {
  assert.equal(cycleIndex(-1, 3, false), 0);
  assert.equal(cycleIndex(-1, 3, true), 2);
  assert.equal(cycleIndex(0, 1, false), 0);
  assert.equal(cycleIndex(0, 1, true), 0);
  assert.equal(cycleIndex(-1, 0, false), -1);
});
