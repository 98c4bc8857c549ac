// The state the new-request widgets share: the draft being typed (draft.js), the document types, whether a
// send is in flight, and the mounted form's updaters. Everything typed lives here, so leaving the view, a
// re-render or a language change loses nothing.
import { createDraft } from '../../draft.js';

export const state = {
  /** What the clerk typed (draft.js). */
  draft: createDraft(),
  /** The document types, once loaded (null: ask again). */
  docTypes: null,
  /** The mounted form's updaters ({ root, refreshDocuments, refreshPlacement, changed, updateCf }). */
  mounted: null,
  /** A send is in flight: "Richiedi firma" does nothing until it ends. */
  submitting: false,
  /** The page strip's visibility observer, while a strip is on screen. */
  thumbObserver: null,
};

/** The mounted view's updaters, or null when the form is not on screen. */
export const view = () => (state.mounted?.root.isConnected ? state.mounted : null);

/** For tests and for "start over": a fresh state.draft. */
export function resetDraft(keep = {}) {
  state.draft = { ...createDraft(), ...keep };
}
