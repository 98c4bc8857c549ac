// Issuer profiles in Impostazioni: the form's values ↔ what save_profile takes, the checks made before the
// call, and the one path the API key travels. The key is read from its field at the moment of saving, the
// field is emptied at once, and no variable outlives the call: it must never sit in UI state, a cache or a
// log (the keyring is its only home).

export const ENVIRONMENTS = ['prova', 'test', 'produzione'];
/** What the form offers: the sandbox ("prova") is built in and cannot be created. */
export const FORM_ENVIRONMENTS = ['test', 'produzione'];
/** The issuer API used when the base URL is left empty. */
export const PRODUCTION_BASE_URL = 'https://api.io.pagopa.it/api/v1/sign';

/** The form's text fields, in the order the form shows them (the key is not one of them on purpose). */
export const FORM_FIELDS = ['name', 'environment', 'base_url', 'support_email', 'testers', 'oidc_issuer', 'oidc_client_id', 'oidc_scopes'];

const blank = (value) => {
  const text = typeof value === 'string' ? value.trim() : '';
  return text === '' ? null : text;
};

/** An empty form for a new profile. */
export function emptyForm() {
  return { id: null, name: '', environment: 'test', base_url: '', support_email: '', testers: '', oidc_issuer: '', oidc_client_id: '', oidc_scopes: '' };
}

/** A stored profile as the form shows it for editing (nulls become empty fields). */
export function formValues(profile) {
  const values = emptyForm();
  values.id = profile.id;
  for (const key of FORM_FIELDS) values[key] = profile[key] ?? '';
  // The tester codes come as a list and are edited one per line.
  values.testers = Array.isArray(profile.testers) ? profile.testers.join('\n') : '';
  if (!FORM_ENVIRONMENTS.includes(values.environment)) values.environment = 'test';
  return values;
}

/**
 * The `profile` argument of save_profile: trimmed, blanks as null (an empty base URL means the production
 * service), and only the known fields — whatever else the values carry (a key, by mistake) is left out.
 */
export function profilePayload(values) {
  return {
    id: blank(values.id),
    name: typeof values.name === 'string' ? values.name.trim() : '',
    environment: FORM_ENVIRONMENTS.includes(values.environment) ? values.environment : 'test',
    base_url: blank(values.base_url),
    support_email: blank(values.support_email),
    // Only a test key is limited to testers; the service checks each code.
    testers: values.environment === 'test' ? blank(values.testers) : null,
    oidc_issuer: blank(values.oidc_issuer),
    oidc_client_id: blank(values.oidc_client_id),
    oidc_scopes: blank(values.oidc_scopes),
  };
}

/**
 * What the clerk must fix before the form is sent (the service checks the rest): a name, and a key for a
 * new profile. `keyTyped`: whether the key field holds something.
 */
export function formProblems(values, keyTyped) {
  const out = [];
  if (!blank(values.name)) out.push('name');
  if (!blank(values.id) && !keyTyped) out.push('api_key');
  return out;
}

/** Whether a key field holds a key, without copying it anywhere. */
export const hasSecret = (field) => typeof field.value === 'string' && field.value.trim() !== '';

/**
 * Saves the form: takes the key out of `keyField` (emptying it before anything else runs), hands it to
 * `ipc.saveProfile` and forgets it, whether the call succeeds or fails. Resolves to the updated list.
 */
export async function saveProfileForm(ipc, values, keyField) {
  const payload = profilePayload(values);
  let key = keyField.value || null;
  keyField.value = '';
  try {
    const call = ipc.saveProfile(payload, key);
    key = null;
    return await call;
  } finally {
    key = null;
  }
}

/** The built-in sandbox first, then the others in the order the service gave. */
export function sortProfiles(list) {
  return [...(list ?? [])].sort((a, b) => Number(Boolean(b.builtin)) - Number(Boolean(a.builtin)));
}

/** What a row may offer: activate unless active, edit and delete unless built in. */
export function rowActions(profile) {
  // `editable: false`: an operator of the office (Rust refuses the changes anyway); older answers
  // without the field are a desk's own clerk.
  const admin = profile.editable !== false;
  return {
    activate: !profile.active,
    verify: admin || profile.builtin === true,
    edit: admin && !profile.builtin,
    delete: admin && !profile.builtin,
  };
}
