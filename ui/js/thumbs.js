// Page thumbnails of Nuova richiesta: which pages carry fields, the keyboard moves inside the strip, the
// fallback visibility window, and a small loader that renders each thumbnail once (cached, de-duplicated,
// a few at a time so the page the clerk is looking at is not kept waiting behind a hundred thumbnails).
// Pure logic, no DOM: tested in Node.

/** Width of a thumbnail in CSS pixels (the image is rendered at this × devicePixelRatio). */
export const THUMB_WIDTH = 100;
/** Without IntersectionObserver: how many thumbnails load at once, before any scrolling. */
export const THUMB_EAGER = 30;

/** Device pixels to ask render_page for. */
export const thumbPixels = (dpr) => Math.round(THUMB_WIDTH * (Number.isFinite(dpr) && dpr > 0 ? dpr : 1));

/** CSS height of a page's thumbnail (pages are in points; the width is fixed). */
export function thumbHeight(page) {
  const w = Number(page?.width);
  const hgt = Number(page?.height);
  if (!(w > 0) || !(hgt > 0)) return Math.round(THUMB_WIDTH * Math.SQRT2);
  return Math.max(1, Math.round((THUMB_WIDTH * hgt) / w));
}

/** Cache key of a page's thumbnail. */
export const thumbKey = (docId, page, pixels) => `${docId}:${page}:${pixels}`;

/**
 * Number of fields on each page of a document: an array as long as the document. Fields pointing
 * outside the document (it cannot happen through the editor) are not counted.
 */
export function fieldCounts(doc) {
  const counts = new Array(doc?.pages?.length ?? 0).fill(0);
  for (const f of doc?.fields ?? []) {
    if (Number.isInteger(f.page) && f.page >= 0 && f.page < counts.length) counts[f.page] += 1;
  }
  return counts;
}

/** The pages (0-based) that carry at least one field, in order. */
export const pagesWithFields = (doc) => fieldCounts(doc).flatMap((n, i) => (n > 0 ? [i] : []));

/** How far PageUp/PageDown jump in the strip. */
export const THUMB_PAGE_JUMP = 5;

/**
 * Where the focus goes in the strip after a key (roving focus: one thumbnail is in the Tab order, the
 * arrows move between them). Returns the new index, or null when the key is not the strip's.
 */
export function thumbKeyTarget(key, index, count) {
  if (count <= 0) return null;
  const last = count - 1;
  const clamp = (i) => Math.max(0, Math.min(last, i));
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return clamp(index + 1);
    case 'ArrowLeft':
    case 'ArrowUp':
      return clamp(index - 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    case 'PageDown':
      return clamp(index + THUMB_PAGE_JUMP);
    case 'PageUp':
      return clamp(index - THUMB_PAGE_JUMP);
    default:
      return null;
  }
}

/**
 * Thumbnails in (or near) the visible part of a scrolled strip, for browsers without
 * IntersectionObserver: `[from, to]` inclusive, empty (`to < from`) when there is nothing to show.
 * `itemSize` is one thumbnail plus the gap, `overscan` extra thumbnails on each side.
 */
export function visibleRange(scrollStart, viewportSize, itemSize, count, overscan = 2) {
  if (count <= 0 || !(itemSize > 0)) return [0, -1];
  const start = Math.max(0, Number(scrollStart) || 0);
  const size = Math.max(0, Number(viewportSize) || 0);
  const from = Math.max(0, Math.floor(start / itemSize) - overscan);
  const to = Math.min(count - 1, Math.ceil((start + size) / itemSize) + overscan);
  return from > to ? [0, -1] : [from, to];
}

/** The pages to load first without IntersectionObserver: the first `eager` and the ones around `current`. */
export function eagerPages(count, current, eager = THUMB_EAGER) {
  const out = new Set();
  for (let i = 0; i < Math.min(count, eager); i += 1) out.add(i);
  for (let i = Math.max(0, current - 2); i <= Math.min(count - 1, current + 2); i += 1) out.add(i);
  return [...out].sort((a, b) => a - b);
}

/** Rejection reason of a load dropped from the queue before it started. */
export const CANCELLED = Object.freeze({ code: 'thumbs.cancelled', message: 'cancelled' });

/**
 * Renders each key once and remembers the result: `load(key, task)` resolves to the cached value, to the
 * answer already on its way, or runs `task()` when fewer than `limit` are running (else queues it).
 * Failures are not cached (the next `load` tries again). `cancelQueued()` drops what has not started
 * (those promises reject with CANCELLED); `forget(test)` drops cached values whose key passes `test`.
 */
export function createThumbLoader({ limit = 2, capacity = 400 } = {}) {
  const cache = new Map();
  const pending = new Map();
  const queue = [];
  let running = 0;

  const remember = (key, value) => {
    cache.delete(key);
    cache.set(key, value);
    while (cache.size > capacity) cache.delete(cache.keys().next().value);
  };

  const pump = () => {
    while (running < limit && queue.length > 0) {
      const job = queue.shift();
      running += 1;
      let call;
      try {
        call = Promise.resolve(job.task());
      } catch (err) {
        call = Promise.reject(err);
      }
      call
        .then((value) => {
          remember(job.key, value);
          job.resolve(value);
        }, job.reject)
        .finally(() => {
          pending.delete(job.key);
          running -= 1;
          pump();
        });
    }
  };

  return {
    get: (key) => cache.get(key),
    has: (key) => cache.has(key),
    load(key, task) {
      if (cache.has(key)) {
        const value = cache.get(key);
        remember(key, value);
        return Promise.resolve(value);
      }
      if (pending.has(key)) return pending.get(key);
      const promise = new Promise((resolve, reject) => queue.push({ key, task, resolve, reject }));
      pending.set(key, promise);
      pump();
      return promise;
    },
    cancelQueued() {
      for (const job of queue.splice(0)) {
        pending.delete(job.key);
        job.reject(CANCELLED);
      }
    },
    forget(test) {
      for (const key of [...cache.keys()]) if (test(key)) cache.delete(key);
    },
    get size() { return cache.size; },
    get running() { return running; },
    get queued() { return queue.length; },
  };
}
