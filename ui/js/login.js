// The body's login: when the active profile has an identity provider, FirmaDesk asks for it at start,
// after the idle timeout and whenever a command answers `auth.login_required`. The clerk's name and a
// logout button sit in the header while logged in.

/** Least time between two activity pings to Rust (the idle clock lives there). */
export const ACTIVITY_PING_MS = 30_000;

/**
 * Decides what the window shows from an auth status.
 * @returns {'app' | 'login'}
 */
export function screenFor(status) {
  if (!status || !status.required) return 'app';
  return status.logged_in ? 'app' : 'login';
}

/** A throttle that lets one call through per `interval` ms (clock injectable for tests). */
export function throttle(fn, interval, now = () => Date.now()) {
  let last = -Infinity;
  return (...args) => {
    const t = now();
    if (t - last < interval) return false;
    last = t;
    fn(...args);
    return true;
  };
}

/**
 * Wires the login screen and the header's clerk box.
 * ctx: { ipc, i18n, onError, onChange(status) } — onChange re-renders the current view after a login.
 */
export function installAuth({ ipc, i18n, onError, onChange }) {
  const screen = document.querySelector('[data-testid="login-screen"]');
  const view = document.getElementById('view');
  const button = screen.querySelector('[data-testid="login-button"]');
  const error = screen.querySelector('[data-testid="login-error"]');
  const provider = screen.querySelector('[data-login-provider]');
  const box = document.querySelector('[data-testid="clerk-box"]');
  const name = box.querySelector('[data-testid="clerk-name"]');
  const logout = box.querySelector('[data-testid="logout-button"]');
  let current = null;

  function apply(status) {
    const wasLogin = current && screenFor(current) === 'login';
    current = status;
    const show = screenFor(status);
    screen.hidden = show !== 'login';
    view.hidden = show === 'login';
    box.hidden = !(status && status.logged_in);
    name.textContent = status?.clerk?.name ?? '';
    provider.textContent = status?.provider ?? '';
    if (show === 'login') {
      button.focus();
    } else if (wasLogin) {
      onChange?.(status);
    }
  }

  async function refresh() {
    try {
      apply(await ipc.authStatus());
    } catch (err) {
      onError(err);
    }
  }

  button.addEventListener('click', async () => {
    error.hidden = true;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      apply(await ipc.login());
    } catch (err) {
      error.textContent = err.message ?? String(err);
      error.hidden = false;
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
  logout.addEventListener('click', async () => {
    try {
      apply(await ipc.logout());
    } catch (err) {
      onError(err);
    }
  });

  // Activity keeps the session alive; the answer also tells when the idle timeout has ended it.
  const ping = throttle(async () => {
    if (!current?.required) return;
    try {
      apply(await ipc.authActivity());
    } catch (err) {
      onError(err);
    }
  }, ACTIVITY_PING_MS);
  for (const type of ['pointerdown', 'keydown', 'wheel']) {
    window.addEventListener(type, () => ping(), { passive: true, capture: true });
  }
  // Idle sessions end in Rust; look every minute so the screen follows without activity.
  setInterval(refresh, 60_000);
  i18n.apply(screen);
  i18n.apply(box);
  return { refresh, apply, status: () => current };
}
