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

/**
 * Calls a Rust command and normalises its errors. `args` is an object (keys in camelCase, Tauri maps them
 * to the Rust snake_case parameters) or raw bytes; `options` carries e.g. `{ headers }` for raw bodies.
 */
export async function invoke(command, args = {}, options = undefined) {
  try {
    return options === undefined
      ? await tauri().core.invoke(command, args)
      : await tauri().core.invoke(command, args, options);
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

// ---- the clerk's requests ----

/** Counters and recent activity: `{ counts, recent }`. */
export const dashboard = () => invoke('dashboard');

/**
 * "Da fare" of the active profile: `{ profile_id, profile_name, sandbox, items: [{ kind, request, reason,
 * signing_link }], more }`, most urgent first (kind: failed, rejected, expiring, expired).
 */
export const todoList = () => invoke('todo_list');

/**
 * One page of requests. Every field of the Rust ListQuery is sent (it has no serde defaults), so callers
 * pass only what they filter on.
 */
export function listRequests(query = {}, allProfiles = false) {
  const full = {
    text: null,
    statuses: [],
    expiring_within_ms: null,
    expired_only: false,
    profile_id: null,
    document_type: null,
    created_from: null,
    created_to: null,
    sort: 'updated',
    ascending: false,
    limit: 50,
    offset: 0,
    ...query,
  };
  if (typeof full.text === 'string' && full.text.trim() === '') full.text = null;
  return invoke('list_requests', { query: full, allProfiles });
}

/** A request with documents, fields, timeline, archived files and send state, by its local `id`. */
export const requestDetail = (id) => invoke('request_detail', { id });

/** A request back in the new-request form; `mode`: 'fix' | 'duplicate' | 'same_signer'. */
export const reopenRequest = (id, mode) => invoke('reopen_request', { id, mode });
/** Keeps the form's draft in the data folder (null: forget it). */
export const keepDraft = (draft) => invoke('keep_draft', { draft });
/** The draft kept by the last run: `{ draft, missing }` or null. */
export const keptDraft = () => invoke('kept_draft');
/** "Metti da parte": the kept draft goes among the drafts set aside: `{ id, label, ... }` (keep it first). */
export const setAsideDraft = () => invoke('set_aside_draft');
/**
 * The drafts set aside, the last one first: `[{ id, label, signer_name, document_type, documents, saved_at,
 * missing_documents }]`.
 */
export const setAsideDrafts = () => invoke('set_aside_drafts');
/** A draft set aside back in the form (the kept one, if any, set aside first): `{ draft, missing }`. */
export const resumeDraft = (id) => invoke('resume_draft', { id });
/** Deletes a draft set aside. */
export const deleteDraft = (id) => invoke('delete_draft', { id });
/** Signers sent to before whose name or code matches `text`: `[{ name, fiscal_code }]`. */
export const signerBook = (text) => invoke('signer_book', { text });
/** Keeps `template` ({ documents: [{ title, pages, fields }] }) on the document type `name`; the updated types. */
export const saveTemplate = (name, template) => invoke('save_template', { name, template });
/** Writes the document types and their templates to a JSON file: `{ path, count }`. */
export const exportTemplates = () => invoke('export_templates');
/** Reads a templates file's text (administrators only): `{ count }`. */
export const importTemplates = (text) => invoke('import_templates', { text });
/**
 * Saves a document type from the editor: `{ name, dossier_title, support_email, template, new }` (template
 * null: none; new: refused if the name exists); the updated types.
 */
export const editDocumentType = (edit) => invoke('edit_document_type', { edit });
/** A new type `name` with the title, support email and template of `from`; the updated types. */
export const duplicateDocumentType = (from, name) => invoke('duplicate_document_type', { from, name });
/** Deletes a type, or archives it when requests were sent with it: `{ archived, types }`. */
export const removeDocumentType = (name) => invoke('remove_document_type', { name });
/** Offers an archived type for new requests again; the updated types. */
export const restoreDocumentType = (name) => invoke('restore_document_type', { name });
/** Validates and decodes a codice fiscale: `{ valid, normalized, message, birth_date, sex, belfiore }`. */
export const checkFiscalCode = (code, name = null) => invoke('check_fiscal_code', { code, name });

/** The body's document types: `[{ name, dossier_title, support_email, archived, template }]`. */
export const documentTypes = () => invoke('document_types');

/** Adds or renames a document type; resolves to the updated list. */
export const saveDocumentType = (docType) => invoke('save_document_type', { docType });

/** Reads a list of recipients (CSV or Excel) as raw bytes: `{ name, headers, rows, format, mapping }`. */
export const bulkRead = async (file) => invoke('bulk_read', ...await rawFile(file));
/** The dry run of a list (`{ headers, rows, mapping, document_type, pdf_dir }`): `{ rows, ready, warnings, errors, summary }`. */
export const bulkCheck = (input) => invoke('bulk_check', { input });
/** Checks the list again and keeps the report as CSV in the exports folder: `{ path, summary }`. */
export const bulkReport = (input) => invoke('bulk_report', { input });
/** The folder of the rows' PDFs (system dialog): its path, or null when cancelled. */
export const bulkPickFolder = () => invoke('bulk_pick_folder');
/** "Invia": the list saved with its rows to send; the desk's runner sends them. */
export const bulkSend = (input) => invoke('bulk_send', { input });
/** The active profile's lists sent, with their progress. */
export const bulkBatches = () => invoke('bulk_batches');
/** A list sent, with every row's outcome. */
export const bulkBatch = (id) => invoke('bulk_batch', { id });
/** `action`: 'pause', 'resume' or 'stop'. */
export const bulkControl = (id, action) => invoke('bulk_control', { id, action });
/** The list's final report kept as CSV. */
export const bulkBatchReport = (id) => invoke('bulk_batch_report', { id });

/**
 * A file as a command's raw body and options (no JSON/base64 inflation); the name travels percent-encoded in a
 * header because header values must be ASCII.
 */
async function rawFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return [bytes, { headers: { 'x-file-name': encodeURIComponent(file.name) } }];
}

/** Imports a PDF the clerk dropped or picked (its raw bytes, see `rawFile`). */
export const importPdf = async (file) => invoke('import_pdf', ...await rawFile(file));

/**
 * Verifies any signed PDF the clerk dropped or picked (its raw bytes), against the optional expected fiscal
 * code (in the `x-fiscal-code` header): the worded report, nothing kept.
 */
export async function verifyPdf(file, fiscalCode) {
  const [body, options] = await rawFile(file);
  if (fiscalCode) options.headers['x-fiscal-code'] = encodeURIComponent(fiscalCode);
  return invoke('verify_pdf', body, options);
}

/** A page of an imported PDF as a PNG data URL, `width` device pixels wide. */
export const renderPage = (docId, page, width) => invoke('render_page', { docId, page, width });

/** Saves the request and starts sending it; resolves to `{ id }` (local id). */
export const submitRequest = (draft) => invoke('submit_request', { draft });

/** Modalità prova: the citizen signs. */
export const simulateSign = (id) => invoke('simulate_sign', { id });

/** Modalità prova: the citizen's signature fails. */
export const simulateReject = (id) => invoke('simulate_reject', { id });

/** Cancels a request waiting for the citizen. */
export const cancelRequest = (id) => invoke('cancel_request', { id });

// ---- issuer profiles (Impostazioni) ----

/**
 * Every issuer profile, the built-in sandbox first: `[{ id, name, environment: 'prova'|'test'|'produzione',
 * base_url, support_email, oidc_issuer, oidc_client_id, oidc_scopes, has_key, active, builtin }]`. Never the key.
 */
export const listProfiles = () => invoke('list_profiles');

/**
 * Creates (`profile.id` null) or updates a profile; `apiKey` goes straight to the OS keyring (null keeps the
 * stored one). Callers pass the key read from the field and keep no copy. Resolves to the updated list.
 */
export function saveProfile(profile, apiKey) {
  const form = {
    id: profile.id ?? null,
    name: profile.name,
    environment: profile.environment,
    base_url: profile.base_url ?? null,
    support_email: profile.support_email ?? null,
    testers: profile.testers ?? null,
    oidc_issuer: profile.oidc_issuer ?? null,
    oidc_client_id: profile.oidc_client_id ?? null,
    oidc_scopes: profile.oidc_scopes ?? null,
  };
  return invoke('save_profile', { profile: form, apiKey: apiKey || null });
}

/** Makes a profile the one new requests go to; resolves to the updated list. */
export const setActiveProfile = (id) => invoke('set_active_profile', { id });

/** Tries a profile's key against its service: `{ ok, code, message }` (message in Italian). */
export const verifyProfile = (id) => invoke('verify_profile', { id });

/** Removes a profile that never sent anything, and its key; resolves to the updated list. */
export const deleteProfile = (id) => invoke('delete_profile', { id });

// ---- Modalità prova ----

/** Turns the simulated outage of the sandbox service on or off; resolves to the new state. */
export const setSandboxOutage = (on) => invoke('set_sandbox_outage', { on: Boolean(on) });

/** Whether the sandbox simulates an outage. */
export const sandboxOutage = () => invoke('sandbox_outage');

// ---- archive ----

/**
 * `{ archive_dir, active_profile, notifications, hide_names, notices }` (`active_profile`: a profile id, 'prova' =
 * the sandbox; `notices`: notices.js).
 */
export const getSettings = () => invoke('get_settings');

/**
 * Lets the clerk pick another archive folder in the system's folder dialog; resolves to the new settings
 * object, or null when the clerk cancelled the dialog.
 */
export const chooseArchiveDir = () => invoke('choose_archive_dir');

/**
 * Turns the desktop notifications on or off; when given, whether they hide citizens' names and `notices`
 * (`{ off: [topic…], quiet: { on, from, to } }`, notices.js): the kinds turned off and the quiet hours.
 * Resolves to the settings object.
 */
export const setNotifications = (on, hideNames, notices) => invoke('set_notifications', {
  on: Boolean(on),
  ...(hideNames === undefined ? {} : { hideNames: Boolean(hideNames) }),
  ...(notices === undefined ? {} : { notices }),
});

/** Opens the archive folder in the system's file manager. */
export const openArchive = () => invoke('open_archive');

/** The QR code a citizen scans at the counter to sign a waiting request, as a PNG data URL. */
export const qrCode = (id) => invoke('qr_code', { id });

/** Opens an archived signed PDF (by local request id and IO document id) with the system's viewer. */
export const openSigned = (requestId, documentId) => invoke('open_signed', { requestId, documentId });

/** Shows an archived signed PDF (by local request id and IO document id) selected in its folder. */
export const revealSigned = (requestId, documentId) => invoke('reveal_signed', { requestId, documentId });

/** Shows an export (CSV, ZIP) FirmaDesk wrote, selected in its folder. */
export const revealExport = (path) => invoke('reveal_export', { path });
export const printSheet = (id) => invoke('print_sheet', { id });
export const printReceipt = (id) => invoke('print_receipt', { id });
export const getAutostart = () => invoke('get_autostart');
export const setAutostart = (on) => invoke('set_autostart', { on });

/** Writes the list of the given signed requests (local ids) as CSV: `{ path, count }`. */
export const exportSignedCsv = (ids) => invoke('export_signed_csv', { ids });

/** Writes the signed PDFs of the given requests (local ids) into a ZIP: `{ path, count }`. */
export const exportSignedZip = (ids) => invoke('export_signed_zip', { ids });
// Issue #14: protocol data and the records office's package.
export const setProtocol = (id, protocol) => invoke('set_protocol', { id, protocol });
export const exportPackages = (ids) => invoke('export_packages', { ids });
export const sendToProtocol = (id) => invoke('send_to_protocol', { id });
export const mailSettings = (profileId) => invoke('mail_settings', { profileId });
export const saveMailSettings = (profileId, form, password) => invoke('save_mail_settings', { profileId, form, password });
export const removeMailSettings = (profileId) => invoke('remove_mail_settings', { profileId });

// ---- the body's login ----

/** `{ required, logged_in, clerk: { name, email } | null, provider, idle_timeout_secs }`. */
export const authStatus = () => invoke('auth_status');

/** Tells Rust the clerk is active (keeps the session from the idle timeout); returns the status. */
export const authActivity = () => invoke('auth_activity');

/** Logs in through the system browser; resolves to the new status. */
export const login = () => invoke('login');

/** Logs out (revokes at the provider); resolves to the new status. */
export const logout = () => invoke('logout');

// ---- Modalità ufficio ----

/** `{ url, tls, ca_file, password_saved, active, restart_needed }` (never the password). */
export const teamView = () => invoke('team_view');

/**
 * "Prova connessione" with `form` `{ url, tls, ca_file }` and the typed password (null: the saved one):
 * `{ server_version, schema: empty|current|older|newer, pending, requests }`. Changes nothing.
 */
export const teamTest = (form, password) => invoke('team_test', { form, password: password || null });

/** Turns office mode on from the next start (the password goes to the keyring); answers as teamTest. */
export const teamEnable = (form, password) => invoke('team_enable', { form, password: password || null });

/** Back to this computer's own archive from the next start. */
export const teamDisable = () => invoke('team_disable');

/**
 * Moves this desk's own archive into the empty team database (administrators, once):
 * `{ requests, events, archived_files, ..., files_kept, files_missing }`.
 */
export const teamMoveDesk = () => invoke('team_move_desk');

/** Starts FirmaDesk again (after a change of office mode). */
export const restartApp = () => invoke('restart_app');

// ---- roles in the office ----

/** `{ identity, role: amministratore|operatore }` of the clerk at this desk. */
export const myRole = () => invoke('my_role');

/** Every recorded role `[{ identity, role, set_by, set_at }]` (administrators only). */
export const clerkRoles = () => invoke('clerk_roles');

/** Sets a clerk's role (administrators only); resolves to every recorded role. */
export const setClerkRole = (identity, role) => invoke('set_clerk_role', { identity, role });
