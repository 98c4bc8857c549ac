// Nuova richiesta: document type, signer (with live codice fiscale check), deadline, delivery, the PDFs
// (file picker, or dropped anywhere on the window) and the signature fields placed on the page preview
// with the mouse or the keyboard, with a strip of page thumbnails to move around long documents.
// Everything typed lives in the draft (draft.js) held by the view's one explicit state object
// (new/state.js), so leaving the view, a re-render or a language change loses nothing; the DOM is built from
// it and updated in place so focus stays where the clerk is. The widgets under new/ share that state: the
// form (new/form.js), the field placement (new/placement.js) with its page strip (new/thumbnails.js) and
// page image (new/preview.js).
export { addFiles, preload, render } from './new/form.js';
export { resetDraft } from './new/state.js';
