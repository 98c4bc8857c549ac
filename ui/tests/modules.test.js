// Every UI module loads as an ES module: a syntax error or a missing export in any file (a split view's
// widget included) fails here, not as a window that never finishes starting. app.js starts the app on
// import (it needs the webview), so the E2E tests cover it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const js = join(dirname(fileURLToPath(import.meta.url)), '..', 'js');

test('every module but app.js imports without error', async () => {
  const files = readdirSync(js, { recursive: true }).filter((f) => f.endsWith('.js') && f !== 'app.js');
  assert.ok(files.length > 20, `found ${files.length} modules`);
  for (const f of files) {
    await assert.doesNotReject(import(pathToFileURL(join(js, f)).href), f);
  }
});
