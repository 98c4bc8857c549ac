// Impostazioni › Notifiche: the kinds turned off and the quiet hours sent to Rust (issue #16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_NOTICES, NOTICE_TOPICS, noticeChoice, noticesOf } from '../js/notices.js';

test('the page lists the six kinds Rust knows, all on by default', () => {
  assert.deepEqual(NOTICE_TOPICS.map(([t]) => t), ['signed', 'rejected', 'expiring', 'expired', 'send_failed', 'archive_failed', 'signature_invalid']);
  assert.deepEqual(noticesOf(null), { off: [], quiet: { on: false, from: '19:00', to: '08:00' } });
  assert.deepEqual(noticesOf({ notices: { off: ['expiring'], quiet: { on: true, from: '20:00', to: '07:00' } } }),
    { off: ['expiring'], quiet: { on: true, from: '20:00', to: '07:00' } });
  assert.deepEqual(DEFAULT_NOTICES.off, []);
});

test('unticked kinds are the ones turned off', () => {
  const { choice } = noticeChoice({ signed: false, rejected: true, expiring: false }, { on: false, from: '19:00', to: '08:00' });
  assert.deepEqual(choice, { off: ['signed', 'expiring'], quiet: { on: false, from: '19:00', to: '08:00' } });
});

test('quiet hours on need both times; off, a cleared time is left to Rust to keep the one before', () => {
  assert.deepEqual(noticeChoice({}, { on: true, from: '', to: '08:00' }), { problem: 'settings.quiet_missing' });
  assert.deepEqual(noticeChoice({}, { on: true, from: '19:00', to: '24:00' }), { problem: 'settings.quiet_missing' });
  assert.deepEqual(noticeChoice({}, { on: true, from: ' 19:30 ', to: '7:45' }).choice.quiet, { on: true, from: '19:30', to: '7:45' });
  assert.deepEqual(noticeChoice({}, { on: false, from: '', to: '08:00' }).choice.quiet, { on: false, from: '', to: '08:00' });
});
