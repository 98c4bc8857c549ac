// Impostazioni › Notifiche: the kinds of notification the clerk can turn off and the quiet hours, as
// firmadesk-desk keeps them (`notices.rs`: `{ off: [topic…], quiet: { on, from: 'HH:MM', to: 'HH:MM' } }`).
// Rust holds notices back during quiet hours and shows them, grouped, when they end.

/** The kinds, in the order the page lists them, each with its label's key. */
export const NOTICE_TOPICS = [
  ['signed', 'settings.notify_kind.signed'],
  ['rejected', 'settings.notify_kind.rejected'],
  ['expiring', 'settings.notify_kind.expiring'],
  ['expired', 'settings.notify_kind.expired'],
  ['send_failed', 'settings.notify_kind.send_failed'],
  ['archive_failed', 'settings.notify_kind.archive_failed'],
  ['signature_invalid', 'settings.notify_kind.signature_invalid'],
];

/** What Rust starts from (all kinds on, quiet hours off, 19:00–08:00 when turned on). */
export const DEFAULT_NOTICES = Object.freeze({ off: [], quiet: { on: false, from: '19:00', to: '08:00' } });

/** The preferences from a settings object, with the defaults for what it lacks. */
export function noticesOf(settings) {
  const n = settings?.notices;
  const quiet = { ...DEFAULT_NOTICES.quiet, ...(n?.quiet ?? {}) };
  return { off: Array.isArray(n?.off) ? [...n.off] : [], quiet };
}

const TIME = /^([01]?\d|2[0-3]):[0-5]\d$/;

/**
 * The choice to send from the page's fields: `on` maps topic → ticked, `quiet` is `{ on, from, to }` as
 * typed. Resolves to `{ choice }`, or `{ problem: key }` when quiet hours are on without both times.
 */
export function noticeChoice(on, quiet) {
  const off = NOTICE_TOPICS.map(([topic]) => topic).filter((topic) => on[topic] === false);
  const from = String(quiet.from ?? '').trim();
  const to = String(quiet.to ?? '').trim();
  if (quiet.on && !(TIME.test(from) && TIME.test(to))) return { problem: 'settings.quiet_missing' };
  return { choice: { off, quiet: { on: Boolean(quiet.on), from, to } } };
}
