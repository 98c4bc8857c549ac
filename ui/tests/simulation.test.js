// Issue #10 item 14: "Simula firma / Simula errore" follow the request's own profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offersCitizenSimulation } from '../js/banner.js';

const detail = (profile, sandbox) => ({ request: { id: 'r1', profile_id: profile, status: 'waiting' }, sandbox });

test('a sandbox request offers the citizen simulation', () => {
  assert.equal(offersCitizenSimulation(detail('prova', true)), true);
});

test('a Test or Produzione request never does, whatever is active or running', () => {
  assert.equal(offersCitizenSimulation(detail('p-01hzx3-comune', false)), false);
  // Even if the service flag were wrong, the request's own profile decides.
  assert.equal(offersCitizenSimulation(detail('p-01hzx3-comune', true)), false);
  assert.equal(offersCitizenSimulation(detail('prova', false)), false);
  assert.equal(offersCitizenSimulation(undefined), false);
});
