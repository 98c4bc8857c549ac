// The strip of page thumbnails for moving around long documents: rendered lazily as they scroll into view,
// at most two at a time, with each page's number of fields.
import {
  CANCELLED, THUMB_WIDTH, createThumbLoader, eagerPages, fieldCounts, thumbHeight, thumbKey,
  thumbKeyTarget, thumbPixels, visibleRange,
} from '../../thumbs.js';
import { h } from '../common.js';
import { state, view } from './state.js';

// Page thumbnails, rendered once per document/page/size and kept across redraws of the placement editor.
export const thumbs = createThumbLoader({ limit: 2, capacity: 400 });
// How far the thumbnail strip was scrolled, per document (draft key), so showing a page keeps the strip put.
export const thumbScroll = new Map();

/** Stops loading the thumbnails of a strip that is no longer on screen. */
export function stopThumbnails() {
  state.thumbObserver?.disconnect();
  state.thumbObserver = null;
  thumbs.cancelQueued();
}

/**
 * The strip of page thumbnails above the preview: one button per page (roving focus: Tab reaches the
 * shown page, the arrows the others), images loaded as they scroll into view and cached, a badge with
 * the number of fields on the page. Returns `{ element, refreshBadges, mounted }`; `show(i)` shows page i.
 */
export function buildThumbnails({ i18n, ipc }, doc, current, show) {
  const { t } = i18n;
  stopThumbnails();
  const count = doc.pages.length;
  const pixels = thumbPixels(globalThis.devicePixelRatio);
  const helpId = `thumbs-help-${doc.key}`;
  // The button holds only the (decorative) image, so its name is exactly "Pagina N"; the page number and
  // the fields badge are drawn over it (aria-hidden, no pointer events) and the badge's meaning reaches
  // screen readers as the button's description.
  const items = doc.pages.map((page, i) => {
    const button = h('button', {
      type: 'button', class: `page-thumb${i === current ? ' is-current' : ''}`, testid: 'page-thumb',
      data: { page: String(i), fields: '0' }, 'aria-label': t('new.thumb_label', { page: i + 1 }),
      'aria-current': i === current ? 'page' : null, tabindex: i === current ? '0' : '-1',
    }, h('img', { class: 'page-thumb-image', alt: '', width: String(THUMB_WIDTH), height: String(thumbHeight(page)), draggable: 'false' }));
    button.addEventListener('click', () => show(i));
    return h('li', { class: 'thumb-item' }, button,
      h('span', { class: 'page-thumb-number', 'aria-hidden': 'true', text: String(i + 1) }),
      h('span', { class: 'page-thumb-badge', 'aria-hidden': 'true', testid: 'page-thumb-badge', hidden: true }),
      h('span', { class: 'page-thumb-fields', id: `thumb-fields-${doc.key}-${i}`, hidden: true }));
  });
  const buttons = items.map((li) => li.firstChild);
  const list = h('ol', { class: 'thumb-list list-unstyled' }, items);
  const strip = h('div', {
    class: 'page-thumbnails', testid: 'page-thumbnails', role: 'group', 'aria-label': t('new.thumbs_label'),
    'aria-describedby': helpId, data: { docKey: doc.key },
  }, list);
  const element = h('div', { class: 'thumbs-area' }, h('p', { class: 'visually-hidden', id: helpId, text: t('new.thumbs_help') }), strip);

  const refreshBadges = () => {
    const counts = fieldCounts(doc);
    buttons.forEach((button, i) => {
      const n = counts[i];
      const badge = items[i].querySelector('.page-thumb-badge');
      const description = items[i].querySelector('.page-thumb-fields');
      button.dataset.fields = String(n);
      button.classList.toggle('has-fields', n > 0);
      badge.textContent = n > 0 ? String(n) : '';
      badge.hidden = n === 0;
      description.textContent = n > 0 ? t('new.fields_count', { count: n }) : '';
      if (n > 0) button.setAttribute('aria-describedby', description.id);
      else button.removeAttribute('aria-describedby');
    });
  };
  refreshBadges();

  // ---- keyboard: arrows, Home/End, PageUp/PageDown move the focus; Enter/Space (the button's own) show ----
  const focusThumb = (index) => {
    buttons.forEach((b, i) => { b.tabIndex = i === index ? 0 : -1; });
    buttons[index].focus();
  };
  list.addEventListener('keydown', (e) => {
    const button = e.target.closest?.('[data-testid="page-thumb"]');
    if (!button || e.altKey || e.ctrlKey || e.metaKey) return;
    const target = thumbKeyTarget(e.key, Number(button.dataset.page), count);
    if (target === null) return;
    e.preventDefault();
    focusThumb(target);
  });
  // A thumbnail focused with the mouse becomes the one Tab comes back to.
  list.addEventListener('focusin', (e) => {
    const button = e.target.closest?.('[data-testid="page-thumb"]');
    if (button && button.tabIndex !== 0) buttons.forEach((b) => { b.tabIndex = b === button ? 0 : -1; });
  });

  // ---- images: loaded when near the visible part of the strip, from the cache when already rendered ----
  const requested = new Set();
  const load = (i) => {
    const button = buttons[i];
    if (!button || requested.has(i)) return;
    requested.add(i);
    const img = button.querySelector('img');
    const key = thumbKey(doc.doc_id, i, pixels);
    const shown = (url) => {
      img.src = url;
      button.classList.add('is-loaded');
    };
    if (thumbs.has(key)) {
      shown(thumbs.get(key));
      return;
    }
    thumbs.load(key, () => ipc.renderPage(doc.doc_id, i, pixels))
      .then(shown)
      .catch((err) => {
        requested.delete(i);
        if (err !== CANCELLED) button.classList.add('has-error');
      });
  };
  // Already rendered thumbnails around the shown page appear at once (no blank flash on a page change).
  for (let i = Math.max(0, current - 12); i <= Math.min(count - 1, current + 12); i += 1) {
    if (thumbs.has(thumbKey(doc.doc_id, i, pixels))) load(i);
  }
  if (typeof IntersectionObserver === 'function') {
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        load(Number(entry.target.dataset.page));
      }
    }, { root: strip, rootMargin: `0px ${THUMB_WIDTH * 4}px` });
    for (const b of buttons) observer.observe(b);
    state.thumbObserver = observer;
  } else {
    for (const i of eagerPages(count, current)) load(i);
    strip.addEventListener('scroll', () => {
      const step = items.length > 1 ? items[1].offsetLeft - items[0].offsetLeft : THUMB_WIDTH;
      const [from, to] = visibleRange(strip.scrollLeft, strip.clientWidth, step, count);
      for (let i = from; i <= to; i += 1) load(i);
    }, { passive: true });
  }

  strip.addEventListener('scroll', () => thumbScroll.set(doc.key, strip.scrollLeft), { passive: true });
  // Once on screen: back where the strip was for this document, with the shown page in view.
  // (The view's first render builds it before app.js puts the view in the document: then one frame later.)
  const mounted = (retry = true) => {
    if (!strip.isConnected) {
      if (retry && typeof requestAnimationFrame === 'function') requestAnimationFrame(() => mounted(false));
      return;
    }
    const saved = thumbScroll.get(doc.key);
    if (saved !== undefined) strip.scrollLeft = saved;
    const item = items[current];
    if (!item) return;
    const left = item.offsetLeft;
    const right = left + item.offsetWidth;
    if (left < strip.scrollLeft || right > strip.scrollLeft + strip.clientWidth) {
      strip.scrollLeft = Math.max(0, left - (strip.clientWidth - item.offsetWidth) / 2);
    }
  };
  return { element, refreshBadges, mounted };
}
