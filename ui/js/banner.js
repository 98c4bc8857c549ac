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
