// Geometry of signature fields, free of the DOM so it can be tested in Node.
//
// The service's convention (REFERENCE.md §5): PDF points, origin at the TOP-LEFT of the page, y growing
// downward, 0-based page, and a created field must satisfy x >= 0, y >= 0, x + w < width and
// y + h < height — strictly. Boxes are kept in whole points: the service rounds them for the QTSP anyway,
// the numeric inputs stay readable, and "strictly inside" becomes a simple integer bound.
//
// The preview shows a page `scale` CSS pixels per point (scale = zoom at 100% = 1 px per pt).

/** Size of a box added with the keyboard or by a click: a typical signature area. */
export const DEFAULT_SIZE = Object.freeze({ w: 150, h: 50 });
/** A drawn box smaller than this grows to it: smaller is a slip of the mouse, not a signature area. */
export const DRAWN_MIN = Object.freeze({ w: 10, h: 10 });
/** Drags shorter than this (CSS px) are clicks. */
export const CLICK_SLOP_PX = 3;

/** The largest whole number strictly below `limit` (the last allowed right/bottom edge). */
export function lastInside(limit) {
  return Math.ceil(limit) - 1;
}

function clampInt(value, lo, hi) {
  const n = Number.isFinite(value) ? Math.round(value) : lo;
  return Math.min(hi, Math.max(lo, n));
}

/**
 * The nearest box in whole points that the service accepts on `page` ({ width, height } in points):
 * size first (at least `min`, at most the page), then position.
 */
export function clampBox(box, page, min = 1) {
  const maxRight = lastInside(page.width);
  const maxBottom = lastInside(page.height);
  const w = clampInt(box.w, Math.min(min, maxRight), maxRight);
  const h = clampInt(box.h, Math.min(min, maxBottom), maxBottom);
  return {
    x: clampInt(box.x, 0, maxRight - w),
    y: clampInt(box.y, 0, maxBottom - h),
    w,
    h,
  };
}

/** True when the service accepts the box on the page (the strict rule, on the stored numbers). */
export function fitsPage(box, page) {
  return [box.x, box.y, box.w, box.h].every(Number.isFinite)
    && box.x >= 0 && box.y >= 0 && box.w > 0 && box.h > 0
    && box.x + box.w < page.width && box.y + box.h < page.height;
}

/** Preview pixels → points. */
export function toPoints(px, scale) {
  return px / scale;
}

/** Points → preview pixels. */
export function toPixels(pt, scale) {
  return pt * scale;
}

/** CSS geometry of a box on a preview shown at `scale`. */
export function boxToPixels(box, scale) {
  return { left: box.x * scale, top: box.y * scale, width: box.w * scale, height: box.h * scale };
}

/** The point (in points, not clamped) under a pointer, given the page element's client rect. */
export function pointAt(clientX, clientY, rect, scale) {
  return { x: toPoints(clientX - rect.left, scale), y: toPoints(clientY - rect.top, scale) };
}

/** A point moved inside the page (pointer capture lets a drag run past the edges). */
export function clampPoint(p, page) {
  return {
    x: Math.min(Math.max(p.x, 0), page.width),
    y: Math.min(Math.max(p.y, 0), page.height),
  };
}

/** The box spanned by two corners of a drag, in any direction, fitted to the page. */
export function boxFromCorners(a, b, page, min = 1) {
  const p = clampPoint(a, page);
  const q = clampPoint(b, page);
  return clampBox({
    x: Math.min(p.x, q.x),
    y: Math.min(p.y, q.y),
    w: Math.abs(q.x - p.x),
    h: Math.abs(q.y - p.y),
  }, page, min);
}

/** The box moved by (dx, dy) points, same size, stopped at the page edges. */
export function moveBox(box, dx, dy, page) {
  return clampBox({ ...box, x: box.x + dx, y: box.y + dy }, page);
}

/** Arrow-key nudge: 1 point, 10 with Shift. `key` is a KeyboardEvent.key; null if not an arrow. */
export function nudge(box, key, shift, page) {
  const step = shift ? 10 : 1;
  const delta = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[key];
  return delta ? moveBox(box, delta[0], delta[1], page) : null;
}

/** The box resized by (dw, dh) from its top-left corner, which stays put. */
export function resizeBox(box, dw, dh, page, min = 1) {
  const maxRight = lastInside(page.width);
  const maxBottom = lastInside(page.height);
  return {
    x: box.x,
    y: box.y,
    w: clampInt(box.w + dw, Math.min(min, maxRight - box.x), maxRight - box.x),
    h: clampInt(box.h + dh, Math.min(min, maxBottom - box.y), maxBottom - box.y),
  };
}

/**
 * One coordinate typed by the clerk: x/y move the box (size kept), w/h resize it (position kept);
 * the result always fits the page.
 */
export function setCoordinate(box, key, value, page) {
  if (!Number.isFinite(value)) return clampBox(box, page);
  if (key === 'x' || key === 'y') return clampBox({ ...box, [key]: value }, page);
  if (key === 'w') return resizeBox(box, value - box.w, 0, page);
  if (key === 'h') return resizeBox(box, 0, value - box.h, page);
  throw new Error(`unknown coordinate ${key}`);
}

/** A box of `size` centred on the page (the keyboard's "add a field"). */
export function centredBox(page, size = DEFAULT_SIZE) {
  return clampBox({ x: (page.width - size.w) / 2, y: (page.height - size.h) / 2, w: size.w, h: size.h }, page);
}

/** A box of `size` whose top-left corner is at a point. */
export function boxAt(point, page, size = DEFAULT_SIZE) {
  return clampBox({ x: point.x, y: point.y, w: size.w, h: size.h }, page);
}

/** A drawn box grown to the minimum size (keeping its top-left corner where possible). */
export function ensureMinimum(box, page, min = DRAWN_MIN) {
  return clampBox({ ...box, w: Math.max(box.w, min.w), h: Math.max(box.h, min.h) }, page);
}
