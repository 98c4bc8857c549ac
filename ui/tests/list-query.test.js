import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extraFilters, localDayEnd, localDayStart, narrows } from '../js/list-query.js';

test('a date input is the local day, from its midnight to the next one', () => {
  const start = localDayStart('2026-03-28');
  assert.equal(new Date(start).getHours(), 0);
  assert.equal(new Date(start).getDate(), 28);
  const end = localDayEnd('2026-03-28');
  assert.equal(new Date(end).getDate(), 29);
  assert.equal(new Date(end).getHours(), 0);
  // The night the clocks change is still one day, whatever its length in hours.
  assert.equal(new Date(localDayEnd('2026-03-29')).getDate(), 30);
  for (const bad of ['', null, undefined, '2026-02-30', '28/03/2026', '2026-3-1']) {
    assert.equal(localDayStart(bad), null, String(bad));
  }
});

test('the filters make the query fields and the scope', () => {
  assert.deepEqual(extraFilters({}), {
    query: { document_type: null, created_from: null, created_to: null },
    allProfiles: false,
  });
  const f = extraFilters({ documentType: 'Accordo', from: '2026-12-01', to: '2026-12-03', allProfiles: true });
  assert.equal(f.query.document_type, 'Accordo');
  assert.equal(f.query.created_from, localDayStart('2026-12-01'));
  assert.equal(f.query.created_to, localDayEnd('2026-12-03'));
  assert.equal(f.allProfiles, true);
  // Only one end given: open on the other side.
  assert.equal(extraFilters({ to: '2026-12-03' }).query.created_from, null);
  assert.equal(extraFilters({ from: '2026-12-03' }).query.created_to, null);
});

test('a range typed backwards is read the right way round', () => {
  const f = extraFilters({ from: '2026-12-05', to: '2026-12-01' });
  assert.equal(f.query.created_from, localDayStart('2026-12-01'));
  assert.equal(f.query.created_to, localDayEnd('2026-12-05'));
});

test('only a type or a date narrows the list; the scope does not', () => {
  assert.equal(narrows({}), false);
  assert.equal(narrows({ allProfiles: true }), false);
  assert.equal(narrows({ documentType: 'Accordo' }), true);
  assert.equal(narrows({ from: '2026-12-01' }), true);
});
