// A modal dialog over the whole window: the rest of the page is inert while it is open, Tab and Shift+Tab
// cycle inside it, Esc closes it, and the focus goes back where the clerk was (or, if that control is gone
// after a refresh, to a fallback the caller names). Mounted on <body>, outside #view, so the view behind it
// can refresh without closing it.
import { h } from './common.js';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Where Tab goes from `index` among `count` focusable elements (wrapping around); -1 when focus is on
 * none of them (then the first, or the last going backwards).
 */
export function cycleIndex(index, count, backwards) {
  if (count <= 0) return -1;
  if (index < 0) return backwards ? count - 1 : 0;
  return backwards ? (index - 1 + count) % count : (index + 1) % count;
}

let open = null;

/** The dialog on screen, if any: `{ element, close }`. */
export const current = () => open;

/**
 * Opens a dialog. `options`: { testid, labelledBy, describedBy, className, children, initialFocus (element),
 * returnFocus () => element | null, onClose }. Returns `{ element, close }`.
 */
export function openDialog(options) {
  open?.close();
  const previous = document.activeElement;
  const element = h('div', {
    class: `app-dialog ${options.className ?? ''}`.trim(), role: 'dialog', 'aria-modal': 'true',
    'aria-labelledby': options.labelledBy, 'aria-describedby': options.describedBy ?? null,
    testid: options.testid, tabindex: '-1',
  }, h('div', { class: 'app-dialog-content' }, options.children ?? []));

  // Everything else leaves the accessibility tree and the tab order; the live region stays so
  // announcements still reach screen readers.
  const made = [];
  for (const child of document.body.children) {
    if (child.id === 'status-message' || child.inert) continue;
    child.inert = true;
    made.push(child);
  }

  const onKey = (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      close();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [...element.querySelectorAll(FOCUSABLE)].filter((el) => !el.hidden && el.offsetParent !== null);
    const next = cycleIndex(items.indexOf(document.activeElement), items.length, e.shiftKey);
    e.preventDefault();
    (items[next] ?? element).focus();
  };
  // Focus that escapes anyway (a click on the backdrop, an engine refresh) is brought back.
  const onFocus = (e) => {
    if (!element.contains(e.target)) (options.initialFocus ?? element).focus();
  };
  // A route change (a notification opening another request) takes the clerk elsewhere: close.
  const onRoute = () => close(false);

  let closed = false;
  function close(restore = true) {
    if (closed) return;
    closed = true;
    document.removeEventListener('keydown', onKey, true);
    document.removeEventListener('focusin', onFocus);
    window.removeEventListener('hashchange', onRoute);
    for (const child of made) child.inert = false;
    element.remove();
    if (open?.element === element) open = null;
    if (restore) {
      const back = options.returnFocus?.() ?? (previous?.isConnected ? previous : null);
      back?.focus();
    }
    options.onClose?.();
  }

  document.body.append(element);
  document.addEventListener('keydown', onKey, true);
  document.addEventListener('focusin', onFocus);
  window.addEventListener('hashchange', onRoute);
  (options.initialFocus ?? element).focus();
  open = { element, close };
  return open;
}
