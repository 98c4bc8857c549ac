// Dates and sizes as the clerk and the citizen read them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as f from '../js/format.js';

test('the default deadline is 90 calendar days after today, across month, year and DST changes', () => {
  assert.equal(f.defaultDeadline(new Date(2025, 0, 1, 10, 0)), '2025-04-01');
  assert.equal(f.defaultDeadline(new Date(2025, 9, 15, 23, 59)), '2026-01-13');
  assert.equal(f.defaultDeadline(new Date(2024, 11, 31, 0, 1)), '2025-03-31');
  // 2024 is a leap year: 1 Dec 2023 + 90 days = 29 Feb 2024.
  assert.equal(f.defaultDeadline(new Date(2023, 11, 1, 12)), '2024-02-29');
  assert.equal(f.addDays('2025-03-30', 1), '2025-03-31');
  assert.equal(f.addDays('2025-10-26', -1), '2025-10-25');
});

test('the citizen reads the deadline as "fino alle 23:59 del dd/MM/yyyy"', () => {
  assert.equal(f.citizenDeadline('2025-06-05'), 'fino alle 23:59 del 05/06/2025');
  assert.equal(f.citizenDeadline('2026-12-31'), 'fino alle 23:59 del 31/12/2026');
  assert.equal(f.citizenDeadline(''), null);
  assert.equal(f.citizenDeadline('2025-02-30'), null);
  assert.equal(f.citizenDeadline('05/06/2025'), null);
});

test('dates are parsed only when they exist in the calendar', () => {
  assert.deepEqual(f.parseIsoDate('2024-02-29'), { year: 2024, month: 2, day: 29 });
  assert.equal(f.parseIsoDate('2025-02-29'), null);
  assert.equal(f.parseIsoDate('2025-13-01'), null);
  assert.equal(f.parseIsoDate(null), null);
  assert.equal(f.italianDate('1980-01-01'), '01/01/1980');
});

test('a deadline today is still valid, yesterday is past', () => {
  const now = new Date(2025, 5, 10, 18, 30);
  assert.equal(f.isPastDate('2025-06-10', now), false);
  assert.equal(f.isPastDate('2025-06-09', now), true);
  assert.equal(f.isPastDate('2026-01-01', now), false);
});

test('expiry: expired past the deadline, expiring within 7 days, otherwise valid', () => {
  const now = Date.UTC(2025, 0, 10);
  const day = 24 * 3600 * 1000;
  assert.equal(f.expiryState(now - 1, now), 'expired');
  assert.equal(f.expiryState(now, now), 'expired');
  assert.equal(f.expiryState(now + 2 * day, now), 'expiring');
  assert.equal(f.expiryState(now + 7 * day, now), 'expiring');
  assert.equal(f.expiryState(now + 8 * day, now), 'valid');
  assert.equal(f.expiryState(null, now), null);
});

test('timestamps are shown as dd/MM/yyyy HH:mm in local time', () => {
  const ms = new Date(2025, 2, 4, 9, 5).getTime();
  assert.equal(f.formatDateTime(ms), '04/03/2025 09:05');
  assert.equal(f.formatDate(ms), '04/03/2025');
  assert.equal(f.formatDateTime(null), '');
  assert.equal(f.isoDate(new Date(2025, 2, 4, 23, 59)), '2025-03-04');
});

test('sizes use the decimal separator of the language', () => {
  assert.equal(f.formatSize(999), '999 B');
  assert.equal(f.formatSize(1400), '1,4 KB');
  assert.equal(f.formatSize(1_450_000, 'it'), '1,4 MB');
  assert.equal(f.formatSize(1_450_000, 'en'), '1.4 MB');
  assert.equal(f.formatSize(2_000_000), '2 MB');
  assert.equal(f.formatSize(250_000), '250 KB');
});

test('timeline actors: the engine and IO get labels, a clerk keeps the name', async () => {
  const { actorLabel } = await import('../js/format.js');
  const t = (k) => ({ 'timeline.actor_firmadesk': 'FirmaDesk', 'timeline.actor_io': 'Firma con IO' })[k] ?? k;
  assert.equal(actorLabel('firmadesk', t), 'FirmaDesk');
  assert.equal(actorLabel('io', t), 'Firma con IO');
  assert.equal(actorLabel('Maria Rossi', t), 'Maria Rossi');
});
