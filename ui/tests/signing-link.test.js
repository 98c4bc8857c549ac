// "Copia link di firma": what is copied, and what the clerk is told when there is nothing to copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copySigningLink, linkPlan } from '../js/signing-link.js';

const LINK = 'https://continua.io.pagopa.it/open?feat=firma&srid=01J0000000000000000000000A';
const NOW = Date.UTC(2027, 0, 15, 10);
const waiting = (extra = {}) => ({ request: { status: 'waiting', expires_at: NOW + 3_600_000, ...extra } });

/** A clipboard that keeps what it is given, or refuses (a webview without the permission). */
function clipboard(refuse = false) {
  const copied = [];
  return {
    copied,
    writeText: async (text) => {
      if (refuse) throw new DOMException('denied', 'NotAllowedError');
      copied.push(text);
    },
  };
}

test('the desk\'s link is copied and "Link copiato" announced', async () => {
  const board = clipboard();
  const result = await copySigningLink({ ...waiting(), signing_link: LINK }, board, NOW);
  assert.deepEqual(result, { ok: true, key: 'request.link_copied' });
  assert.deepEqual(board.copied, [LINK]);
});

test('no link yet: nothing is copied and the clerk is told why', async () => {
  const board = clipboard();
  assert.deepEqual(await copySigningLink({ ...waiting(), signing_link: null }, board, NOW),
    { ok: false, key: 'request.link_not_ready' });
  assert.deepEqual(await copySigningLink({ request: { status: 'sending' } }, board, NOW),
    { ok: false, key: 'request.link_not_ready' });
  assert.deepEqual(board.copied, []);
});

test('past the deadline the link is not offered: "scaduta" is the reason', () => {
  assert.deepEqual(linkPlan(waiting({ expires_at: NOW }), NOW), { problem: 'request.link_expired' });
  assert.deepEqual(linkPlan(waiting({ expires_at: NOW - 1 }), NOW), { problem: 'request.link_expired' });
  assert.deepEqual(linkPlan(waiting({ expires_at: null }), NOW), { problem: 'request.link_not_ready' });
});

test('a refused clipboard says to copy the link by hand', async () => {
  const result = await copySigningLink({ ...waiting(), signing_link: LINK }, clipboard(true), NOW);
  assert.deepEqual(result, { ok: false, key: 'request.link_copy_failed' });
  assert.deepEqual(await copySigningLink({ ...waiting(), signing_link: LINK }, undefined, NOW),
    { ok: false, key: 'request.link_copy_failed' }, 'no clipboard API at all');
});
