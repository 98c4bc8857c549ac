// Live send progress folded from engine events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvent, createTracker, stepStates, uploadFraction, SEND_STEPS } from '../js/sends.js';

test('steps and uploads are folded per send', () => {
  const t = createTracker();
  applyEvent(t, { type: 'step_started', send_id: 'A', step: 'ensure_dossier' });
  applyEvent(t, { type: 'step_finished', send_id: 'A', step: 'ensure_dossier' });
  applyEvent(t, { type: 'step_started', send_id: 'A', step: 'upload' });
  applyEvent(t, { type: 'upload_progress', send_id: 'A', document: 1, sent: 50, total: 200 });
  applyEvent(t, { type: 'step_started', send_id: 'B', step: 'publish' });
  assert.equal(applyEvent(t, { type: 'sync_finished', profile_id: 'p' }), null);
  const a = t.get('A');
  assert.equal(a.step, 'upload');
  assert.deepEqual(a.finished, ['ensure_dossier']);
  assert.deepEqual(a.progress, { document: 1, sent: 50, total: 200 });
  assert.equal(t.get('B').step, 'publish');
  applyEvent(t, { type: 'send_completed', send_id: 'A', request_id: 'io-1' });
  assert.equal(t.get('A').completed, true);
});

test('step states: earlier steps done, the current one marked, later ones to do', () => {
  const states = stepStates('upload');
  assert.equal(states.length, SEND_STEPS.length);
  assert.deepEqual(states.slice(0, 5).map((s) => s.state), ['done', 'done', 'done', 'current', 'todo']);
  assert.ok(stepStates('waiting').every((s) => s.state === 'done'));
  assert.ok(stepStates('failed', ['ensure_dossier']).slice(1).every((s) => s.state === 'todo'));
});

test('upload share over several documents', () => {
  assert.equal(uploadFraction(null, 2), 0);
  assert.equal(uploadFraction({ document: 0, sent: 50, total: 100 }, 2), 0.25);
  assert.equal(uploadFraction({ document: 1, sent: 100, total: 100 }, 2), 1);
  assert.equal(uploadFraction({ document: 0, sent: 0, total: 0 }, 1), 0);
  assert.equal(uploadFraction(null, 2, true), 1);
});
