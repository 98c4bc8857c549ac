// The only module that touches window.__TAURI__: every other module calls Rust through these functions,
// so the rest of the UI can be tested in plain Node and the IPC surface is visible in one place.

/** Error thrown by commands: always `{ code, message, detail? }`, never a bare string. */
export class CommandError extends Error {
  constructor({ code, message, detail }) {
    super(message);
    this.code = code;
    this.detail = detail;
  }
}

function tauri() {
  const t = globalThis.window && window.__TAURI__;
  if (!t) throw new CommandError({ code: 'ipc.unavailable', message: 'FirmaDesk deve essere avviato come applicazione desktop.' });
  return t;
}

/** Calls a Rust command and normalises its errors. */
export async function invoke(command, args = {}) {
  try {
    return await tauri().core.invoke(command, args);
  } catch (err) {
    if (err instanceof CommandError) throw err;
    if (err && typeof err === 'object' && 'code' in err) throw new CommandError(err);
    throw new CommandError({ code: 'ipc.failed', message: String(err) });
  }
}

/** Subscribes to a backend event; returns the unlisten function. */
export async function listen(event, handler) {
  return tauri().event.listen(event, (e) => handler(e.payload));
}

export const appInfo = () => invoke('app_info');
export const setLocale = (locale) => invoke('set_locale', { locale });
