// The "Modalità prova" banner follows the active profile, not just the embedded sandbox.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SANDBOX_PROFILE, sandboxBannerVisible } from '../js/banner.js';

const info = (sandbox) => ({ version: '0.1.0', service: { sandbox, base_url: 'http://127.0.0.1:1/api/v1/sign' } });
const settings = (active) => ({ archive_dir: '/tmp/a', active_profile: active, notifications: true });

test('the banner shows while the built-in sandbox profile is the active one', () => {
  assert.equal(SANDBOX_PROFILE, 'prova');
  assert.equal(sandboxBannerVisible(info(true), settings('prova')), true);
});

test('a test or production profile hides the banner even though the sandbox runs', () => {
  assert.equal(sandboxBannerVisible(info(true), settings('01HZX3-comune-test')), false);
  assert.equal(sandboxBannerVisible(info(true), settings('produzione')), false);
  assert.equal(sandboxBannerVisible(info(true), settings('Prova')), false);
});

test('without the embedded sandbox, or when the settings or the app are unknown, the banner stays hidden', () => {
  assert.equal(sandboxBannerVisible(info(false), settings('prova')), false);
  assert.equal(sandboxBannerVisible(info(true), null), false);
  assert.equal(sandboxBannerVisible(info(true), {}), false);
  assert.equal(sandboxBannerVisible(null, settings('prova')), false);
});
