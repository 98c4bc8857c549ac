// The state the new-request widgets share: the draft being typed (draft.js), the document types, whether a
// send is in flight, and the mounted form's updaters. Everything typed lives here, so leaving the view, a
// re-render or a language change loses nothing.
import { createDraft, draftToKeep } from '../../draft.js';

export const state = {
  /** What the clerk typed (draft.js). */
  draft: createDraft(),
  /** The document types, once loaded (null: ask again). */
  docTypes: null,
  /** The mounted form's updaters ({ root, refreshDocuments, refreshPlacement, changed, updateCf }). */
  mounted: null,
  /** The clerk administers the office (may keep templates); asked each time the form opens. */
  isAdmin: false,
  /** A send is in flight: "Richiedi firma" does nothing until it ends. */
  submitting: false,
  /** The page strip's visibility observer, while a strip is on screen. */
  thumbObserver: null,
  /** "Metti da parte" is in flight. */
  settingAside: false,
  /** A message the form shows once when it opens next ({ text, toDrafts }: a draft set aside or resumed). */
  notice: null,
};

/** The mounted view's updaters, or null when the form is not on screen. */
export const view = () => (state.mounted?.root.isConnected ? state.mounted : null);

/** For tests and for "start over": a fresh state.draft. */
export function resetDraft(keep = {}) {
  state.draft = { ...createDraft(), ...keep };
}

let keepTimer = null;

/**
 * Keeps the draft in the data folder shortly after the last change (keep_draft), so a closed window, a crash
 * or a restart gives the form back as it was; a draft with nothing in it is forgotten.
 */
export function keepSoon({ ipc, onError }, delay = 400) {
  clearTimeout(keepTimer);
  keepTimer = setTimeout(() => {
    ipc.keepDraft(draftToKeep(state.draft)).catch(onError);
  }, delay);
}

/**
 * Keeps the draft now, dropping a keep still waiting: what the desk reads next (set aside, resume) is what the
 * form holds.
 */
export function flushKeep(ipc) {
  clearTimeout(keepTimer);
  keepTimer = null;
  return ipc.keepDraft(draftToKeep(state.draft));
}
