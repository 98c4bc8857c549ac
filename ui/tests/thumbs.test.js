// Page thumbnails of Nuova richiesta: the badge's pages, the keyboard inside the strip, the fallback
// window of visible thumbnails and the loader (cache, de-duplication, a few renders at a time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CANCELLED, THUMB_EAGER, createThumbLoader, eagerPages, fieldCounts, pagesWithFields, thumbHeight, thumbKey,
  thumbKeyTarget, thumbPixels, visibleRange,
} from '../js/thumbs.js';
import { addDocument, addField, createDraft, removeField } from '../js/draft.js';

const A4 = { width: 595, height: 842 };

function draftWithPages(n) {
  const draft = createDraft(new Date('2026-01-10T10:00:00Z'));
  const doc = addDocument(draft, { doc_id: 'doc-1', name: 'a.pdf', size: 1, pages: Array.from({ length: n }, () => ({ ...A4 })) });
  return { draft, doc };
}

test('the badge goes on the pages that carry fields, with their number', () => {
  const { draft, doc } = draftWithPages(5);
  assert.deepEqual(fieldCounts(doc), [0, 0, 0, 0, 0]);
  assert.deepEqual(pagesWithFields(doc), []);
  addField(draft, doc, 3, { x: 10, y: 10, w: 100, h: 40 });
  addField(draft, doc, 3, { x: 10, y: 100, w: 100, h: 40 });
  const first = addField(draft, doc, 0, { x: 10, y: 10, w: 100, h: 40 });
  assert.deepEqual(fieldCounts(doc), [1, 0, 0, 2, 0]);
  assert.deepEqual(pagesWithFields(doc), [0, 3]);
  removeField(draft, doc, first.id);
  assert.deepEqual(pagesWithFields(doc), [3]);
});

test('fields outside the document are not counted and a document without pages has no badges', () => {
  const { doc } = draftWithPages(2);
  doc.fields.push({ id: 'x', page: 7 }, { id: 'y', page: -1 }, { id: 'z', page: 1 });
  assert.deepEqual(fieldCounts(doc), [0, 1]);
  assert.deepEqual(fieldCounts({ pages: [], fields: [{ page: 0 }] }), []);
  assert.deepEqual(fieldCounts(null), []);
});

test('thumbnails are rendered 100 CSS pixels wide in device pixels, their height follows the page', () => {
  assert.equal(thumbPixels(1), 100);
  assert.equal(thumbPixels(2), 200);
  assert.equal(thumbPixels(1.25), 125);
  assert.equal(thumbPixels(1.333), 133);
  assert.equal(thumbPixels(undefined), 100);
  assert.equal(thumbPixels(0), 100);
  assert.equal(thumbHeight(A4), 142);
  assert.equal(thumbHeight({ width: 842, height: 595 }), 71);
  assert.equal(thumbHeight({ width: 0, height: 10 }), 141);
  assert.notEqual(thumbKey('doc-1', 0, 100), thumbKey('doc-1', 0, 200));
  assert.notEqual(thumbKey('doc-1', 1, 100), thumbKey('doc-2', 1, 100));
});

test('arrows, Home/End and PageUp/PageDown move the focus within the strip and stop at its ends', () => {
  assert.equal(thumbKeyTarget('ArrowRight', 0, 3), 1);
  assert.equal(thumbKeyTarget('ArrowDown', 1, 3), 2);
  assert.equal(thumbKeyTarget('ArrowRight', 2, 3), 2);
  assert.equal(thumbKeyTarget('ArrowLeft', 2, 3), 1);
  assert.equal(thumbKeyTarget('ArrowUp', 0, 3), 0);
  assert.equal(thumbKeyTarget('Home', 2, 3), 0);
  assert.equal(thumbKeyTarget('End', 0, 3), 2);
  assert.equal(thumbKeyTarget('PageDown', 0, 20), 5);
  assert.equal(thumbKeyTarget('PageDown', 18, 20), 19);
  assert.equal(thumbKeyTarget('PageUp', 3, 20), 0);
  // Enter, Space and Tab keep their usual meaning (show the page, leave the strip).
  for (const key of ['Enter', ' ', 'Tab', 'a']) assert.equal(thumbKeyTarget(key, 1, 3), null);
  assert.equal(thumbKeyTarget('ArrowRight', 0, 0), null);
});

test('without IntersectionObserver: the first thumbnails and those around the shown page, then the scrolled ones', () => {
  assert.deepEqual(eagerPages(5, 0), [0, 1, 2, 3, 4]);
  const many = eagerPages(200, 120);
  assert.equal(many.length, THUMB_EAGER + 5);
  assert.deepEqual(many.slice(-5), [118, 119, 120, 121, 122]);
  assert.deepEqual(eagerPages(200, 0), Array.from({ length: THUMB_EAGER }, (_, i) => i));
  // 112 px per thumbnail, a 560 px wide strip.
  assert.deepEqual(visibleRange(0, 560, 112, 100, 0), [0, 5]);
  assert.deepEqual(visibleRange(1120, 560, 112, 100, 2), [8, 17]);
  assert.deepEqual(visibleRange(112 * 98, 560, 112, 100, 2), [96, 99]);
  assert.deepEqual(visibleRange(0, 560, 112, 0), [0, -1]);
  assert.deepEqual(visibleRange(0, 560, 0, 10), [0, -1]);
});

/** A render_page stand-in whose answers the test releases one by one. */
function fakeRender() {
  const calls = [];
  const render = (key) => () => new Promise((resolve, reject) => calls.push({ key, resolve, reject }));
  return { calls, render };
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('the loader renders each page once, serves it from the cache and runs at most `limit` at a time', async () => {
  const { calls, render } = fakeRender();
  const loader = createThumbLoader({ limit: 2 });
  const got = [];
  for (const key of ['a', 'b', 'c']) loader.load(key, render(key)).then((url) => got.push([key, url]));
  const again = loader.load('a', render('a'));
  assert.deepEqual(calls.map((c) => c.key), ['a', 'b'], 'two at a time, "a" asked twice is rendered once');
  assert.equal(loader.queued, 1);
  calls[0].resolve('data:a');
  assert.equal(await again, 'data:a');
  await tick();
  assert.deepEqual(calls.map((c) => c.key), ['a', 'b', 'c'], 'a finished render lets the next one start');
  calls[1].resolve('data:b');
  calls[2].resolve('data:c');
  await tick();
  assert.deepEqual(got.sort(), [['a', 'data:a'], ['b', 'data:b'], ['c', 'data:c']]);
  assert.equal(loader.get('b'), 'data:b');
  assert.equal(await loader.load('b', render('b')), 'data:b');
  assert.equal(calls.length, 3, 'a cached thumbnail is not rendered again');
});

test('a failed render is not cached, a queued one can be cancelled, the cache is bounded and can forget a document', async () => {
  const { calls, render } = fakeRender();
  const loader = createThumbLoader({ limit: 1, capacity: 2 });
  const failed = loader.load('d1:0', render('d1:0'));
  const queued = loader.load('d1:1', render('d1:1'));
  calls[0].reject({ code: 'pdf.render', message: 'boom' });
  await assert.rejects(failed, { code: 'pdf.render' });
  assert.equal(loader.has('d1:0'), false);
  await tick();
  loader.cancelQueued();
  // d1:1 had started after the failure: only not-started loads are cancelled.
  assert.equal(calls.length, 2);
  const late = loader.load('d1:2', render('d1:2'));
  loader.cancelQueued();
  await assert.rejects(late, (err) => err === CANCELLED);
  calls[1].resolve('one');
  assert.equal(await queued, 'one');
  // Asked again after the cancel, it is rendered.
  const retry = loader.load('d1:2', render('d1:2'));
  await tick();
  calls[2].resolve('two');
  assert.equal(await retry, 'two');
  const third = loader.load('d2:0', render('d2:0'));
  await tick();
  calls[3].resolve('three');
  await third;
  assert.equal(loader.size, 2, 'only `capacity` thumbnails are kept');
  assert.equal(loader.has('d1:1'), false, 'the least recently used goes first');
  loader.forget((key) => key.startsWith('d1:'));
  assert.equal(loader.has('d1:2'), false);
  assert.equal(loader.get('d2:0'), 'three');
});

test('a task that throws at once rejects its load and frees its slot', async () => {
  const loader = createThumbLoader({ limit: 1 });
  await assert.rejects(loader.load('x', () => { throw new Error('no ipc'); }), /no ipc/);
  assert.equal(await loader.load('y', () => 'ok'), 'ok');
  await tick();
  assert.equal(loader.running, 0);
  assert.equal(loader.queued, 0);
});
