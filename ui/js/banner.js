// The "Modalità prova" banner: shown only while new requests go to the embedded sandbox, that is while the
// built-in sandbox profile is the active one (a clerk working on the body's test or production profile
// must not be told that nobody receives messages).

/** Id of the built-in sandbox profile (Rust: state::SANDBOX_PROFILE). */
export const SANDBOX_PROFILE = 'prova';

/**
 * Whether the banner shows. `info`: app_info's answer; `settings`: get_settings' answer
 * (`{ archive_dir, active_profile, notifications }`). When either is unknown the banner stays hidden: it
 * claims that nothing reaches a citizen, so it must never show on a guess.
 */
export function sandboxBannerVisible(info, settings) {
  if (!info?.service?.sandbox) return false;
  return settings?.active_profile === SANDBOX_PROFILE;
}

/**
 * Whether a request's detail offers "Simula firma / Simula errore": only for a request sent to the
 * built-in sandbox, judged on the REQUEST's own profile (`detail.request.profile_id`, confirmed by the
 * service's `detail.sandbox`), never on which profile is active or whether the sandbox runs: a Test or
 * Produzione request reaches a real citizen, who must not be "simulated".
 */
export function offersCitizenSimulation(detail) {
  return Boolean(detail?.sandbox) && detail?.request?.profile_id === SANDBOX_PROFILE;
}
