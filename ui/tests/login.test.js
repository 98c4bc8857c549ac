import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenFor, throttle } from '../js/login.js';

test('the login screen shows only when a login is required and missing', () => {
  assert.equal(screenFor(null), 'app');
  assert.equal(screenFor({ required: false, logged_in: false }), 'app');
  assert.equal(screenFor({ required: true, logged_in: false }), 'login');
  assert.equal(screenFor({ required: true, logged_in: true }), 'app');
});

test('activity pings are throttled to one per interval', () => {
  let t = 0;
  const calls = [];
  const ping = throttle((x) => calls.push(x), 30_000, () => t);
  assert.equal(ping('a'), true);
  t = 10_000;
  assert.equal(ping('b'), false);
  t = 30_000;
  assert.equal(ping('c'), true);
  t = 59_999;
  assert.equal(ping('d'), false);
  assert.deepEqual(calls, ['a', 'c']);
});
