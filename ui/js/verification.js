// The verification of a signed PDF as the views show it (issue #14): "Verifica un PDF firmato" and the result
// kept per signed document in the request detail and the signed list. Rust words the verdict and the reasons
// in the clerk's language; this module only arranges them, so it is tested in plain Node.

/** The verdicts Rust gives, in order of gravity. */
export const VERDICTS = ['valid', 'valid_with_warnings', 'invalid'];

/** Bootstrap Italia's alert class for a verdict. */
export function verdictTone(verdict) {
  if (verdict === 'valid') return 'success';
  if (verdict === 'valid_with_warnings') return 'warning';
  return 'danger';
}

/** The fiscal code as typed: trimmed, capitals, inner spaces dropped ("" when none). */
export function normaliseFiscalCode(text) {
  return String(text ?? '').replace(/\s+/g, '').toUpperCase();
}

/** The line saying which anchors were trusted. */
export function trustText(trust, t) {
  if (trust === 'sandbox') return t('verification.trust.sandbox');
  if (trust === 'trusted_lists') return t('verification.trust.trusted_lists');
  return t('verification.trust.not_checked');
}

/**
 * The facts of a verification as [label, value, testid] rows: signer, their fiscal code, signing time (said
 * certified when a timestamp gives it). `formatTime` turns unix ms into local text.
 */
export function facts(checked, t, formatTime) {
  const dash = t('verification.unknown');
  const ms = checked.signing_time ? Date.parse(checked.signing_time) : NaN;
  let time = dash;
  if (Number.isFinite(ms)) {
    time = checked.timestamped ? t('verification.signing_time_certified', { time: formatTime(ms) }) : formatTime(ms);
  }
  return [
    [t('verification.signer'), checked.signer || dash, 'verify-signer'],
    [t('verification.signer_fiscal_code'), checked.fiscal_code || dash, 'verify-fiscal-code'],
    [t('verification.signing_time'), time, 'verify-signing-time'],
  ];
}

/** The reasons as shown: errors first (Rust sorts them so), each `{ text, severity, code }`. */
export function reasons(checked) {
  return (checked.reasons ?? []).map((r) => ({ text: r.text, severity: r.severity, code: r.code }));
}
