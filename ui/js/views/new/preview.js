// The page image of the placement view, rendered by the backend (pdfium) at device pixels and cached per
// size.

const PREVIEW_CACHE_SIZE = 40;
const previews = new Map();

/** Loads the page image from the backend (device pixels for a sharp preview), cached per size. */
export function loadPreview(ipc, img, preview, status, doc, pageIndex, cssWidth, t) {
  const pixels = Math.round(cssWidth * (globalThis.devicePixelRatio || 1));
  const key = `${doc.doc_id}:${pageIndex}:${pixels}`;
  img.style.width = '100%';
  img.style.height = '100%';
  const done = (url) => {
    img.src = url;
    preview.classList.remove('is-loading');
    status.textContent = '';
  };
  if (previews.has(key)) {
    done(previews.get(key));
    return;
  }
  status.textContent = t('new.preview_loading');
  ipc.renderPage(doc.doc_id, pageIndex, pixels)
    .then((url) => {
      previews.set(key, url);
      if (previews.size > PREVIEW_CACHE_SIZE) previews.delete(previews.keys().next().value);
      if (img.isConnected) done(url);
    })
    .catch((err) => {
      preview.classList.remove('is-loading');
      preview.classList.add('has-error');
      status.textContent = t('new.preview_failed', { message: err.message ?? String(err) });
      status.removeAttribute('aria-hidden');
    });
}
