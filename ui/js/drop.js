// Files dropped anywhere on the window. The sorting of a drop is a pure function of a DataTransfer-like
// object ({ files, items, types }) so it can be tested in Node; installDropZone() wires the window.

const PDF_TYPES = new Set(['application/pdf', 'application/x-pdf']);

/**
 * True for a file the clerk meant as a PDF: a PDF type or a .pdf name. Desktops disagree on types (none,
 * octet-stream, or sniffed from the content), and the backend checks the bytes anyway and says why a file
 * is refused, so a .pdf name is enough to let it through.
 */
export function isPdf(file) {
  const type = String(file.type ?? '').toLowerCase();
  return PDF_TYPES.has(type) || /\.pdf$/i.test(String(file.name ?? ''));
}

/** The files of a DataTransfer: `files` when filled, else the file entries of `items`. */
export function filesOf(dataTransfer) {
  const files = Array.from(dataTransfer?.files ?? []);
  if (files.length > 0) return files;
  return Array.from(dataTransfer?.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter(Boolean);
}

/** Splits dropped or picked files into accepted PDFs and the names of everything else. */
export function sortFiles(files) {
  const accepted = [];
  const rejected = [];
  for (const file of files) {
    if (isPdf(file)) accepted.push(file);
    else rejected.push(String(file.name ?? ''));
  }
  return { accepted, rejected };
}

/** What a drop brings: `{ accepted: File[], rejected: string[] }`. */
export function classifyDrop(dataTransfer) {
  return sortFiles(filesOf(dataTransfer));
}

/** True while dragging files (not text or a link from the page itself). */
export function carriesFiles(dataTransfer) {
  return Array.from(dataTransfer?.types ?? []).includes('Files');
}

/**
 * Makes the whole window a drop target for files: shows `overlay` while files are dragged over it,
 * tells `onActive(true|false)` when that changes, and hands every drop to `onDrop({ accepted, rejected })`.
 * Returns a function that removes the listeners. The browser's default (opening the file in the
 * webview) is always prevented for file drags.
 */
export function installDropZone(target, { overlay, onDrop, onActive = () => {} }) {
  let depth = 0;
  let active = false;
  const show = (visible) => {
    if (overlay) overlay.hidden = !visible;
    if (visible !== active) {
      active = visible;
      onActive(visible);
    }
  };
  const handlers = {
    dragenter(e) {
      if (!carriesFiles(e.dataTransfer)) return;
      e.preventDefault();
      depth += 1;
      show(true);
    },
    dragover(e) {
      if (!carriesFiles(e.dataTransfer)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      show(true);
    },
    dragleave(e) {
      if (!carriesFiles(e.dataTransfer)) return;
      depth = Math.max(0, depth - 1);
      // Leaving the window reports no related target: hide even if enter/leave did not pair up.
      if (depth === 0 || e.relatedTarget === null) {
        depth = 0;
        show(false);
      }
    },
    drop(e) {
      if (!carriesFiles(e.dataTransfer)) return;
      e.preventDefault();
      depth = 0;
      show(false);
      onDrop(classifyDrop(e.dataTransfer));
    },
  };
  for (const [name, handler] of Object.entries(handlers)) target.addEventListener(name, handler);
  return () => {
    for (const [name, handler] of Object.entries(handlers)) target.removeEventListener(name, handler);
  };
}
