// Dates, sizes and deadlines as the clerk and the citizen read them, free of the DOM. Dates are calendar
// dates ("YYYY-MM-DD") computed in UTC arithmetic so daylight-saving changes never shift a day.

const DAY_MS = 24 * 3600 * 1000;

/** Default deadline of a request, in days (the service's own default). */
export const DEFAULT_DEADLINE_DAYS = 90;
/** "In scadenza": a waiting request whose deadline is this close (same window as the dashboard counter). */
export const EXPIRING_WINDOW_MS = 7 * DAY_MS;

export const pad2 = (n) => String(n).padStart(2, '0');

/** The local calendar date of a Date, as "YYYY-MM-DD". */
export function isoDate(date) {
  return `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
}

/** Parses "YYYY-MM-DD" into { year, month, day }; null unless it is a real calendar date. */
export function parseIsoDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text ?? '').trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** "YYYY-MM-DD" plus `days` calendar days. */
export function addDays(iso, days) {
  const p = parseIsoDate(iso);
  if (!p) throw new Error(`not a date: ${iso}`);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day) + days * DAY_MS);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** The default deadline: today (local) + 90 days. */
export function defaultDeadline(now = new Date(), days = DEFAULT_DEADLINE_DAYS) {
  return addDays(isoDate(now), days);
}

/** "YYYY-MM-DD" → "dd/MM/yyyy"; null if not a date. */
export function italianDate(iso) {
  const p = parseIsoDate(iso);
  return p ? `${pad2(p.day)}/${pad2(p.month)}/${p.year}` : null;
}

/**
 * The deadline as the IO app shows it to the citizen ("fino alle HH:mm del dd/MM/yyyy"). The request
 * expires at 23:59 Italian time of the chosen day. Always Italian: it is the citizen's text, not the UI's.
 */
export function citizenDeadline(iso) {
  const date = italianDate(iso);
  return date ? `fino alle 23:59 del ${date}` : null;
}

/** True when the calendar date is before today (a deadline today still has until 23:59). */
export function isPastDate(iso, now = new Date()) {
  return parseIsoDate(iso) !== null && iso < isoDate(now);
}

/** Milliseconds → "dd/MM/yyyy" (local time); "" for null. */
export function formatDate(ms) {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  return `${pad2(d.getDate())}/${pad2(d.getMonth() + 1)}/${d.getFullYear()}`;
}

/** Milliseconds → "dd/MM/yyyy HH:mm" (local time); "" for null. */
export function formatDateTime(ms) {
  if (ms === null || ms === undefined) return '';
  const d = new Date(ms);
  return `${formatDate(ms)} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/**
 * Expiry of a waiting request at `now`: "expired" past the deadline, "expiring" within the window,
 * "valid" otherwise, null without a deadline.
 */
export function expiryState(expiresAt, now = Date.now(), windowMs = EXPIRING_WINDOW_MS) {
  if (expiresAt === null || expiresAt === undefined) return null;
  if (now >= expiresAt) return 'expired';
  return expiresAt - now <= windowMs ? 'expiring' : 'valid';
}

/** Bytes for people: "850 KB", "1,4 MB" (decimal comma in Italian). */
export function formatSize(bytes, lang = 'it') {
  const sep = lang === 'it' ? ',' : '.';
  if (bytes < 1000) return `${bytes} B`;
  const [value, unit] = bytes < 1e6 ? [bytes / 1e3, 'KB'] : [bytes / 1e6, 'MB'];
  const text = value >= 100 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, '');
  return `${text.replace('.', sep)} ${unit}`;
}

/** A whole percentage for people: "45%". */
export const percentText = (percent) => `${Math.round(percent)}%`;

/**
 * Who did something, as the timeline shows it: the engine's codes ('firmadesk', 'io') become the
 * locale's labels; a clerk's name stays as it is.
 */
export function actorLabel(actor, t) {
  if (actor === 'firmadesk' || actor === 'FirmaDesk') return t('timeline.actor_firmadesk');
  if (actor === 'io') return t('timeline.actor_io');
  return actor ?? '';
}
