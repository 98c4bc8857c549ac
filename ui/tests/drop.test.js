// Files dropped on the window: PDFs are kept, the rest is named back to the clerk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyDrop, carriesFiles, installDropZone, isPdf } from '../js/drop.js';

const file = (name, type) => ({ name, type, size: 10 });

test('a PDF, a .txt and a PDF with no type: two accepted, the text file rejected by name', () => {
  const pdf = file('contratto.pdf', 'application/pdf');
  const txt = file('note.txt', 'text/plain');
  const untyped = file('Accordo Firmato.PDF', '');
  const { accepted, rejected } = classifyDrop({ files: [pdf, txt, untyped], items: [], types: ['Files'] });
  assert.deepEqual(accepted, [pdf, untyped]);
  assert.deepEqual(rejected, ['note.txt']);
});

test('files that only arrive through items are read with getAsFile', () => {
  const pdf = file('a.pdf', 'application/pdf');
  const items = [
    { kind: 'string', getAsFile: () => null },
    { kind: 'file', getAsFile: () => pdf },
    { kind: 'file', getAsFile: () => file('img.png', 'image/png') },
  ];
  const { accepted, rejected } = classifyDrop({ files: [], items, types: ['Files'] });
  assert.deepEqual(accepted, [pdf]);
  assert.deepEqual(rejected, ['img.png']);
});

test('a PDF type or a .pdf name is enough (the backend checks the bytes); anything else is refused', () => {
  assert.equal(isPdf(file('scan', 'application/pdf')), true);
  assert.equal(isPdf(file('x.pdf', 'application/octet-stream')), true);
  // Some desktops sniff the content: a broken "lettera.pdf" must still reach the backend's explanation.
  assert.equal(isPdf(file('lettera.pdf', 'text/plain')), true);
  assert.equal(isPdf(file('x.pdf.exe', '')), false);
  assert.equal(isPdf(file('pdf', '')), false);
  assert.equal(isPdf(file('foto.jpg', 'image/jpeg')), false);
});

test('only file drags count', () => {
  assert.equal(carriesFiles({ types: ['Files'] }), true);
  assert.equal(carriesFiles({ types: ['text/plain'] }), false);
  assert.equal(carriesFiles(null), false);
});

test('the drop zone prevents the default, shows the overlay while dragging and reports the drop', () => {
  const listeners = {};
  const target = {
    addEventListener: (name, fn) => { listeners[name] = fn; },
    removeEventListener: (name) => { delete listeners[name]; },
  };
  const overlay = { hidden: true };
  const drops = [];
  const uninstall = installDropZone(target, { overlay, onDrop: (d) => drops.push(d) });
  const event = (dataTransfer, extra = {}) => {
    const e = { dataTransfer, prevented: false, relatedTarget: undefined, ...extra };
    e.preventDefault = () => { e.prevented = true; };
    return e;
  };
  const dt = { files: [file('a.pdf', 'application/pdf'), file('b.txt', 'text/plain')], items: [], types: ['Files'], dropEffect: 'none' };

  const enter = event(dt);
  listeners.dragenter(enter);
  assert.equal(enter.prevented, true);
  assert.equal(overlay.hidden, false);
  const over = event(dt);
  listeners.dragover(over);
  assert.equal(over.prevented, true);
  assert.equal(dt.dropEffect, 'copy');
  const drop = event(dt);
  listeners.drop(drop);
  assert.equal(drop.prevented, true);
  assert.equal(overlay.hidden, true);
  assert.equal(drops.length, 1);
  assert.deepEqual(drops[0].rejected, ['b.txt']);

  // Text dragged inside the page is left alone.
  const text = event({ types: ['text/plain'] });
  listeners.dragover(text);
  assert.equal(text.prevented, false);

  // Leaving the window hides the overlay.
  listeners.dragenter(event(dt));
  listeners.dragleave(event(dt, { relatedTarget: null }));
  assert.equal(overlay.hidden, true);

  uninstall();
  assert.deepEqual(Object.keys(listeners), []);
});
