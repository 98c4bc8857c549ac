// Field placement math: pixels ↔ points at any zoom, and the service's strict page bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as g from '../js/geometry.js';

const A4 = { width: 595.28, height: 841.89 };
const LETTER = { width: 612, height: 792 };
const PAGES = [A4, LETTER, { width: 841.89, height: 595.28 }, { width: 200, height: 100 }, { width: 20.5, height: 12 }];
const ZOOMS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3.3, 4];

// Deterministic pseudo-random numbers, so a failure can be replayed.
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('a box drawn in pixels survives points → pixels → points within 0.5 pt at every zoom', () => {
  const rand = rng(7);
  for (const page of [A4, LETTER]) {
    for (const zoom of ZOOMS) {
      for (let i = 0; i < 200; i++) {
        const wPx = page.width * zoom;
        const hPx = page.height * zoom;
        // Inside the page, so nothing is clamped and only rounding can differ.
        const a = { x: rand() * wPx * 0.4, y: rand() * hPx * 0.4 };
        const b = { x: a.x + (0.05 + rand() * 0.5) * wPx, y: a.y + (0.05 + rand() * 0.5) * hPx };
        const exact = {
          x: g.toPoints(a.x, zoom), y: g.toPoints(a.y, zoom),
          w: g.toPoints(b.x - a.x, zoom), h: g.toPoints(b.y - a.y, zoom),
        };
        const box = g.boxFromCorners(g.pointAt(a.x, a.y, { left: 0, top: 0 }, zoom), g.pointAt(b.x, b.y, { left: 0, top: 0 }, zoom), page);
        // Stored in whole points, within half a point of what the pointer meant...
        for (const k of ['x', 'y']) assert.ok(Math.abs(box[k] - exact[k]) <= 0.5, `${k} ${box[k]} vs ${exact[k]}`);
        assert.ok(Math.abs(box.x + box.w - (exact.x + exact.w)) <= 1, 'right edge');
        // ...and shown back on screen then read again, it does not move.
        const px = g.boxToPixels(box, zoom);
        const again = g.boxFromCorners(
          g.pointAt(px.left, px.top, { left: 0, top: 0 }, zoom),
          g.pointAt(px.left + px.width, px.top + px.height, { left: 0, top: 0 }, zoom), page);
        assert.deepEqual(again, box);
        for (const k of ['x', 'y', 'w', 'h']) {
          assert.ok(Math.abs(g.toPoints(g.toPixels(box[k], zoom), zoom) - box[k]) <= 0.5);
        }
      }
    }
  }
});

test('pointAt subtracts the preview position before scaling', () => {
  assert.deepEqual(g.pointAt(150, 260, { left: 50, top: 60 }, 2), { x: 50, y: 100 });
});

test('clampBox always satisfies the strict page bounds, whatever comes in', () => {
  const rand = rng(42);
  const wild = () => (rand() - 0.3) * 3000 * (rand() < 0.1 ? -1 : 1);
  for (const page of PAGES) {
    for (let i = 0; i < 2000; i++) {
      const box = g.clampBox({ x: wild(), y: wild(), w: wild(), h: wild() }, page);
      assert.ok(g.fitsPage(box, page), `${JSON.stringify(box)} on ${JSON.stringify(page)}`);
      for (const k of ['x', 'y', 'w', 'h']) assert.ok(Number.isInteger(box[k]), `${k} is whole`);
    }
  }
  assert.ok(g.fitsPage(g.clampBox({ x: NaN, y: undefined, w: Infinity, h: -5 }, A4), A4));
});

test('the page edge itself is out: x + w must stay below the width', () => {
  const box = g.clampBox({ x: 500, y: 700, w: 112, h: 92 }, LETTER);
  assert.equal(box.x + box.w, 611);
  assert.equal(box.y + box.h, 791);
  assert.equal(g.fitsPage({ x: 500, y: 0, w: 112, h: 10 }, LETTER), false);
  assert.equal(g.fitsPage({ x: 499, y: 0, w: 112, h: 10 }, LETTER), true);
  // A fractional width: 595 < 595.28 is allowed.
  assert.equal(g.clampBox({ x: 0, y: 0, w: 9999, h: 10 }, A4).w, 595);
});

test('a box inside the page is kept as it is', () => {
  const box = { x: 100, y: 200, w: 150, h: 50 };
  assert.deepEqual(g.clampBox(box, A4), box);
});

test('moving and nudging keep the size and stop at the edges', () => {
  const box = { x: 10, y: 10, w: 150, h: 50 };
  assert.deepEqual(g.nudge(box, 'ArrowRight', false, A4), { x: 11, y: 10, w: 150, h: 50 });
  assert.deepEqual(g.nudge(box, 'ArrowDown', true, A4), { x: 10, y: 20, w: 150, h: 50 });
  assert.deepEqual(g.nudge(box, 'ArrowLeft', true, A4), { x: 0, y: 10, w: 150, h: 50 });
  assert.deepEqual(g.nudge(box, 'ArrowUp', false, A4), { x: 10, y: 9, w: 150, h: 50 });
  assert.equal(g.nudge(box, 'Enter', false, A4), null);
  const far = g.moveBox(box, 10000, 10000, A4);
  assert.deepEqual(far, { x: 595 - 150, y: 841 - 50, w: 150, h: 50 });
  assert.ok(g.fitsPage(far, A4));
});

test('typed coordinates: x/y move the box, w/h resize it from its corner, all within the page', () => {
  const box = { x: 100, y: 100, w: 150, h: 50 };
  assert.deepEqual(g.setCoordinate(box, 'x', 300, A4), { x: 300, y: 100, w: 150, h: 50 });
  assert.deepEqual(g.setCoordinate(box, 'x', 590, A4), { x: 445, y: 100, w: 150, h: 50 });
  assert.deepEqual(g.setCoordinate(box, 'w', 800, A4), { x: 100, y: 100, w: 495, h: 50 });
  assert.deepEqual(g.setCoordinate(box, 'h', 0, A4), { x: 100, y: 100, w: 150, h: 1 });
  assert.deepEqual(g.setCoordinate(box, 'y', -20, A4), { x: 100, y: 0, w: 150, h: 50 });
  assert.deepEqual(g.setCoordinate(box, 'y', 12.6, A4), { x: 100, y: 13, w: 150, h: 50 });
  assert.deepEqual(g.setCoordinate(box, 'w', NaN, A4), box);
  assert.throws(() => g.setCoordinate(box, 'z', 1, A4));
});

test('a drag in any direction gives the same box; drags past the page are cut at the edge', () => {
  const a = { x: 300, y: 400 };
  const b = { x: 100, y: 350 };
  assert.deepEqual(g.boxFromCorners(a, b, A4), g.boxFromCorners(b, a, A4));
  assert.deepEqual(g.boxFromCorners(a, b, A4), { x: 100, y: 350, w: 200, h: 50 });
  const past = g.boxFromCorners({ x: 500, y: 800 }, { x: 900, y: 1200 }, A4);
  assert.ok(g.fitsPage(past, A4));
  assert.equal(past.x, 500);
});

test('the keyboard adds a default box in the centre; small drawings grow to the minimum', () => {
  const box = g.centredBox(LETTER);
  assert.deepEqual(box, { x: 231, y: 371, w: 150, h: 50 });
  assert.ok(g.fitsPage(g.centredBox({ width: 100, height: 30 }), { width: 100, height: 30 }));
  assert.deepEqual(g.ensureMinimum({ x: 10, y: 10, w: 3, h: 4 }, A4), { x: 10, y: 10, w: 10, h: 10 });
  assert.deepEqual(g.ensureMinimum({ x: 590, y: 10, w: 3, h: 40 }, A4), { x: 585, y: 10, w: 10, h: 40 });
});

test('resizing keeps the top-left corner and respects the page', () => {
  const box = { x: 500, y: 800, w: 50, h: 20 };
  assert.deepEqual(g.resizeBox(box, 100, 100, A4), { x: 500, y: 800, w: 95, h: 41 });
  assert.deepEqual(g.resizeBox(box, -100, -100, A4), { x: 500, y: 800, w: 1, h: 1 });
});
