// Live progress of sends, folded from the engine's events (send_id = the request's local id). The
// detail view shows it on top of what the store says, so uploads move without reloading the request.

/** The saga's steps in order, as the clerk sees them (needs_edit and failed are outcomes, not steps). */
export const SEND_STEPS = Object.freeze([
  'ensure_dossier', 'resolve_signer', 'create_request', 'upload', 'wait_validation',
  'publish', 'wait_published', 'notify', 'waiting',
]);

/** An empty tracker: send_id → live state. */
export const createTracker = () => new Map();

/** Folds one engine event into the tracker; returns the send's updated state, or null if unrelated. */
export function applyEvent(tracker, event) {
  const id = event?.send_id;
  if (!id) return null;
  const live = tracker.get(id) ?? { step: null, finished: [], progress: null, queued: null, failed: null, completed: false };
  switch (event.type) {
    case 'step_started':
      live.step = event.step;
      live.queued = null;
      break;
    case 'step_finished':
      if (!live.finished.includes(event.step)) live.finished.push(event.step);
      if (event.step === 'upload' && live.progress) live.progress = { ...live.progress, sent: live.progress.total };
      break;
    case 'upload_progress':
      live.step = 'upload';
      live.progress = { document: event.document ?? 0, sent: event.sent ?? 0, total: event.total ?? 0 };
      break;
    case 'queued':
      live.queued = { code: event.code ?? null, message: event.message ?? '', next_attempt_at: event.next_attempt_at ?? null };
      break;
    case 'failed':
      live.failed = { code: event.code ?? null, message: event.message ?? '' };
      live.step = 'failed';
      break;
    case 'document_rejected':
      live.failed = { code: 'document_rejected', message: `${event.document_title ?? ''}: ${event.reason ?? ''}` };
      live.step = 'needs_edit';
      break;
    case 'send_completed':
      live.completed = true;
      live.step = 'waiting';
      break;
    default:
      return null;
  }
  tracker.set(id, live);
  return live;
}

/**
 * Each step with its state — "done", "current" or "todo" — given the current step (store or live) and
 * the steps seen finishing. Unknown or terminal steps mark nothing current.
 */
export function stepStates(current, finished = []) {
  const at = SEND_STEPS.indexOf(current);
  return SEND_STEPS.map((step, i) => {
    if (current === 'waiting' || (at >= 0 && i < at) || finished.includes(step)) {
      return { step, state: 'done' };
    }
    return { step, state: i === at ? 'current' : 'todo' };
  });
}

/**
 * Share of the upload done, 0..1, over `documents` documents: finished documents count whole, the
 * one in flight by its bytes.
 */
export function uploadFraction(progress, documents, uploadFinished = false) {
  if (uploadFinished) return 1;
  if (!progress || documents <= 0) return 0;
  const part = progress.total > 0 ? Math.min(progress.sent / progress.total, 1) : 0;
  return Math.min((progress.document + part) / documents, 1);
}
