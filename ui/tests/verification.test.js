// The verification's arrangement: verdict tones, the typed fiscal code, the facts and the trust line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VERDICTS, facts, normaliseFiscalCode, reasons, trustText, verdictTone } from '../js/verification.js';

const t = (key, args) => (args ? `${key}:${JSON.stringify(args)}` : key);

test('each verdict has its own tone, the invalid one danger', () => {
  assert.deepEqual(VERDICTS.map(verdictTone), ['success', 'warning', 'danger']);
  assert.equal(verdictTone('anything else'), 'danger', 'an unknown verdict is never shown as valid');
});

test('the typed fiscal code is trimmed, upper-cased and unspaced', () => {
  assert.equal(normaliseFiscalCode('  rssmra80a01 h501u '), 'RSSMRA80A01H501U');
  assert.equal(normaliseFiscalCode(undefined), '');
});

test('facts name the signer, the code and a certified time only with a timestamp', () => {
  const checked = { signer: 'Mario Rossi', fiscal_code: 'RSSMRA80A01H501U', signing_time: '2026-11-25T10:00:00Z', timestamped: true };
  const fmt = (ms) => `at ${ms}`;
  const rows = facts(checked, t, fmt);
  assert.deepEqual(rows.map((r) => r[2]), ['verify-signer', 'verify-fiscal-code', 'verify-signing-time']);
  assert.equal(rows[0][1], 'Mario Rossi');
  assert.equal(rows[2][1], `verification.signing_time_certified:{"time":"at ${Date.parse('2026-11-25T10:00:00Z')}"}`);
  assert.equal(facts({ ...checked, timestamped: false }, t, fmt)[2][1], `at ${Date.parse('2026-11-25T10:00:00Z')}`);
  const none = facts({}, t, fmt);
  assert.deepEqual(none.map((r) => r[1]), ['verification.unknown', 'verification.unknown', 'verification.unknown']);
});

test('the trust line says which anchors were used; reasons keep their order', () => {
  assert.equal(trustText('sandbox', t), 'verification.trust.sandbox');
  assert.equal(trustText('not_checked', t), 'verification.trust.not_checked');
  assert.equal(trustText('trusted_lists', t), 'verification.trust.trusted_lists');
  const list = reasons({ reasons: [{ code: 'fiscal_code_mismatch', severity: 'error', text: 'A', detail: 'x' }, { code: 'no_timestamp', severity: 'warning', text: 'B' }] });
  assert.deepEqual(list.map((r) => r.code), ['fiscal_code_mismatch', 'no_timestamp']);
  assert.deepEqual(reasons({}), []);
});
