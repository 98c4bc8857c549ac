// "Copia link di firma" (issue #16): the link the citizen opens to sign in the IO app, for the clerk to paste
// into a PEC or an e-mail. The desk puts it in the request's detail (`signing_link`) while the request waits
// for signature before its deadline; this module says what copying it does. No DOM: tested in Node.

/**
 * What "Copia link di firma" copies for a request's detail at `now`: `{ link }`, or `{ problem }` (a text key)
 * saying why there is no link: past the deadline, or not (or no longer) waiting for signature on IO.
 */
export function linkPlan(detail, now = Date.now()) {
  const link = detail?.signing_link;
  if (link) return { link };
  const r = detail?.request ?? {};
  if (r.status === 'waiting' && r.expires_at && r.expires_at <= now) return { problem: 'request.link_expired' };
  return { problem: 'request.link_not_ready' };
}

/**
 * Copies the link through `clipboard` (the webview's `navigator.clipboard`, called in the click): resolves to
 * `{ ok: true, key }` once copied, `{ ok: false, key }` otherwise, `key` being the text to show or announce.
 */
export async function copySigningLink(detail, clipboard, now = Date.now()) {
  const plan = linkPlan(detail, now);
  if (!plan.link) return { ok: false, key: plan.problem };
  try {
    await clipboard.writeText(plan.link);
    return { ok: true, key: 'request.link_copied' };
  } catch {
    // No clipboard (or refused): the link is in the request's data, to select by hand.
    return { ok: false, key: 'request.link_copy_failed' };
  }
}
