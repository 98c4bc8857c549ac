// Issuer profile form: what save_profile receives, what is checked before the call, and that the API key
// leaves the field once and is kept nowhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FORM_ENVIRONMENTS, emptyForm, formProblems, formValues, hasSecret, profilePayload, rowActions,
  saveProfileForm, sortProfiles,
} from '../js/profiles.js';

const KEY = 'k3y-0123456789abcdef-SECRET';

/** A stand-in for the password input: only `value` matters. */
const field = (value) => ({ value });

/** A fake ipc that records what it was given; `fail` makes the call reject like a CommandError. */
function fakeIpc(fail = null) {
  const calls = [];
  return {
    calls,
    saveProfile(profile, apiKey) {
      calls.push({ profile, apiKey });
      return fail ? Promise.reject(fail) : Promise.resolve([{ id: 'sandbox', builtin: true }, { id: 'p-1', name: profile.name }]);
    },
  };
}

test('the payload is trimmed, blanks become null, unknown fields (a key) are dropped', () => {
  const payload = profilePayload({
    id: '', name: '  Comune di Prova  ', environment: 'produzione', base_url: '   ',
    support_email: ' ufficio@comune.example.it ', oidc_issuer: '', oidc_client_id: ' fd ', oidc_scopes: 'openid  ',
    api_key: KEY, apiKey: KEY,
  });
  assert.deepEqual(payload, {
    id: null, name: 'Comune di Prova', environment: 'produzione', base_url: null,
    support_email: 'ufficio@comune.example.it', testers: null, oidc_issuer: null, oidc_client_id: 'fd', oidc_scopes: 'openid',
  });
  assert.ok(!JSON.stringify(payload).includes(KEY));
});

test('tester codes are edited one per line and sent for a test profile only', () => {
  const values = formValues({ id: 'p-2', name: 'Collaudo', environment: 'test', testers: ['NRENNA85M41F205S', 'RSSMRA80A01H501U'] });
  assert.equal(values.testers, 'NRENNA85M41F205S\nRSSMRA80A01H501U');
  assert.equal(profilePayload(values).testers, 'NRENNA85M41F205S\nRSSMRA80A01H501U');
  assert.equal(profilePayload({ ...values, environment: 'produzione' }).testers, null);
  assert.equal(profilePayload({ ...values, testers: '  ' }).testers, null);
});

test('the form never creates a "prova" profile and keeps the id when editing', () => {
  assert.deepEqual(FORM_ENVIRONMENTS, ['test', 'produzione']);
  assert.equal(profilePayload({ ...emptyForm(), name: 'x', environment: 'prova' }).environment, 'test');
  assert.equal(profilePayload({ ...emptyForm(), name: 'x', environment: undefined }).environment, 'test');
  assert.equal(profilePayload({ ...emptyForm(), id: 'p-1', name: 'x', base_url: 'https://h/api' }).id, 'p-1');
  assert.equal(profilePayload({ ...emptyForm(), id: 'p-1', name: 'x', base_url: 'https://h/api' }).base_url, 'https://h/api');
});

test('a stored profile fills the form with empty strings for missing values', () => {
  const values = formValues({
    id: 'p-1', name: 'Comune', environment: 'produzione', base_url: 'https://api.io.pagopa.it/api/v1/sign',
    support_email: null, oidc_issuer: null, oidc_client_id: undefined, oidc_scopes: null, has_key: true, active: false, builtin: false,
  });
  assert.deepEqual(values, {
    id: 'p-1', name: 'Comune', environment: 'produzione', base_url: 'https://api.io.pagopa.it/api/v1/sign',
    support_email: '', testers: '', oidc_issuer: '', oidc_client_id: '', oidc_scopes: '',
  });
  assert.ok(!('has_key' in values));
  // Round trip: editing without changes sends back what was stored.
  assert.equal(profilePayload(values).base_url, 'https://api.io.pagopa.it/api/v1/sign');
  assert.equal(profilePayload(values).support_email, null);
});

test('a name is required, and a key only for a new profile', () => {
  assert.deepEqual(formProblems({ ...emptyForm(), name: '  ' }, true), ['name']);
  assert.deepEqual(formProblems({ ...emptyForm(), name: 'Comune' }, false), ['api_key']);
  assert.deepEqual(formProblems({ ...emptyForm(), name: '' }, false), ['name', 'api_key']);
  assert.deepEqual(formProblems({ ...emptyForm(), id: 'p-1', name: 'Comune' }, false), []);
  assert.deepEqual(formProblems({ ...emptyForm(), name: 'Comune' }, true), []);
  assert.equal(hasSecret(field('   ')), false);
  assert.equal(hasSecret(field(KEY)), true);
});

test('saving hands the key to save_profile once and empties the field before the call returns', async () => {
  const ipc = fakeIpc();
  const input = field(KEY);
  const values = { ...emptyForm(), name: 'Comune', api_key: KEY };
  const pending = saveProfileForm(ipc, values, input);
  // Emptied synchronously, while the call is still in flight.
  assert.equal(input.value, '');
  const list = await pending;
  assert.equal(list.length, 2);
  assert.equal(ipc.calls.length, 1);
  assert.equal(ipc.calls[0].apiKey, KEY);
  assert.ok(!JSON.stringify(ipc.calls[0].profile).includes(KEY), 'the key is not inside the profile');
  assert.ok(!JSON.stringify(list).includes(KEY));
});

test('a failed save also leaves the field empty and the error reaches the caller', async () => {
  const error = { code: 'profile.invalid_key', message: 'La chiave API non sembra valida' };
  const ipc = fakeIpc(error);
  const input = field(KEY);
  await assert.rejects(saveProfileForm(ipc, { ...emptyForm(), name: 'Comune' }, input), (e) => e === error);
  assert.equal(input.value, '');
  assert.ok(!JSON.stringify(error).includes(KEY));
});

test('editing without typing a key sends null (the stored key stays)', async () => {
  const ipc = fakeIpc();
  await saveProfileForm(ipc, { ...emptyForm(), id: 'p-1', name: 'Comune' }, field(''));
  assert.equal(ipc.calls[0].apiKey, null);
  assert.equal(ipc.calls[0].profile.id, 'p-1');
});

test('the sandbox comes first and cannot be edited or deleted; the active profile cannot be re-activated', () => {
  const list = sortProfiles([
    { id: 'p-2', name: 'Produzione', builtin: false },
    { id: 'sandbox', name: 'Modalità prova', builtin: true },
    { id: 'p-1', name: 'Test', builtin: false },
  ]);
  assert.deepEqual(list.map((p) => p.id), ['sandbox', 'p-2', 'p-1']);
  assert.deepEqual(rowActions({ builtin: true, active: true }), { activate: false, verify: true, edit: false, delete: false });
  assert.deepEqual(rowActions({ builtin: false, active: false }), { activate: true, verify: true, edit: true, delete: true });
  // An operator of the office chooses the profile, nothing more.
  assert.deepEqual(rowActions({ builtin: false, active: false, editable: false }), { activate: true, verify: false, edit: false, delete: false });
  assert.deepEqual(sortProfiles(null), []);
});
