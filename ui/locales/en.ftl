# FirmaDesk — English messages (Project Fluent). Same ids and variables as it.ftl, the reference.

## app

app-tagline = Signature requests with Firma con IO

## a11y

a11y-skip_to_content = Skip to content

## nav

nav-label = Main menu
nav-dashboard = Dashboard
nav-settings = Settings
nav-new = New request
nav-bulk = Send from a list
nav-pending = Awaiting signature
nav-signed = Signed
nav-request = Request details
nav-todo = To do

## sandbox

sandbox-banner_title = Trial mode
sandbox-banner_text = Requests go to the local test service: no citizen receives messages.
sandbox-recovered = The saved state of trial mode was damaged: a copy was kept in { $path } and trial mode started afresh (earlier trial requests are no longer on the trial service).

## dashboard

dashboard-title = Dashboard
dashboard-intro = Prepare signature requests, follow the pending ones and find the signed documents.
dashboard-new_request = New request
dashboard-counters_title = Requests
dashboard-counts-waiting = Awaiting signature
dashboard-counts-expiring = Expiring soon
dashboard-counts-expired = Expired
dashboard-counts-signed = Signed
dashboard-counts-sending = Sending
dashboard-counts-drafts = Drafts
dashboard-counts-rejected = Rejected
dashboard-counts-cancelled = Cancelled
dashboard-counts-failed = Failed
dashboard-recent_title = Recent activity
dashboard-recent_empty = No activity yet: requests you send will show up here.
dashboard-unavailable = Cannot read the local archive.
dashboard-untitled = (untitled)
dashboard-held_title = Kept on this computer ({ $count })
dashboard-held_intro = The office database could not be reached: these requests leave by themselves as soon as the connection returns. Do not retire this desk before then.
dashboard-batches_title = Lists being sent
dashboard-held_problem = The office did not accept it: { $problem }
dashboard-sync_failed = Update from Firma con IO failed: { $message } The data shown comes from the local archive.
dashboard-todo_title = To do
dashboard-todo_text = { $count ->
    [0] No request needs you.
    [one] One request needs you.
   *[other] { $count } requests need you.
}
dashboard-todo_open = Open "To do"

## info

info-title = About
info-version = Version
info-data_dir = Data folder
info-service = Firma con IO service

## settings

settings-title = Settings
settings-language = Interface language
settings-language_title = Language
settings-profiles_title = Signing profiles
settings-profiles_help = Each profile is a way into Firma con IO: the built-in trial mode or the body's test and production keys. API keys are kept only in the system keyring: FirmaDesk never shows them or stores them anywhere else; they can only be replaced.
settings-profiles_unavailable = Cannot read the signing profiles.
settings-environment = Environment
settings-environments-prova = Trial
settings-environments-test = Test
settings-environments-produzione = Production
settings-environment_help = Test for trials with a test key; Production for real requests to citizens.
settings-base_url = Service address
settings-base_url_help = Leave empty to use the production address of Firma con IO.
settings-api_key = API key
settings-key_present = stored
settings-key_missing = missing
settings-key_help_new = The body's key from the Firma con IO portal (reserved area). It is kept only in the system keyring.
settings-key_help_edit = Leave empty to keep the stored key. A new key replaces the one in the system keyring.
settings-key_required = Enter the profile's API key.
settings-key_retype = For safety the API key you typed has been cleared from the field: enter it again.
settings-support_email = Support email
settings-support_email_help = Optional: the address citizens see in the IO app to ask for help.
settings-testers = Testers' tax codes
settings-testers_help = With a test key Firma con IO sends only to the testers registered in the portal: list their tax codes here (one per line) and FirmaDesk refuses any other at once. Empty: the service decides.
settings-oidc_legend = Body sign-in (OIDC)
settings-oidc_legend_optional = Body sign-in (OIDC) — optional
settings-oidc_help = For clerks to sign in with the body's credentials. Leave empty if not used.
settings-oidc_issuer = Issuer URL
settings-oidc_client_id = Client ID
settings-oidc_scopes = Scopes
settings-oidc_scopes_help = Separated by spaces, for example: openid profile
settings-profile_active = Used for new requests
settings-activate = Use for new requests
settings-activated = Profile «{ $name }» active: new requests will use this profile.
settings-verify = Check key
settings-verifying = Checking the key…
settings-edit = Edit
settings-delete = Delete
settings-delete_question = Delete the profile «{ $name }» and its API key from the keyring? This cannot be undone.
settings-delete_yes = Yes, delete the profile
settings-delete_no = No, go back
settings-deleted = Profile «{ $name }» deleted.
settings-form_new_title = New profile
settings-form_edit_title = Edit the profile «{ $name }»
settings-form_name = Profile name
settings-name_missing = Enter a name for the profile.
settings-save_profile = Save the profile
settings-cancel_edit = Cancel editing
settings-profile_saved = Profile «{ $name }» saved.
settings-sandbox_title = Trial mode
settings-outage_label = Simulate Firma con IO being unavailable
settings-outage_help = Simulates a service outage to see how FirmaDesk behaves: requests sent meanwhile wait in the queue, and queued sends resume by themselves when the simulation is turned off.
settings-outage_on = Trial service unavailable (simulation on): new sends wait in the queue.
settings-outage_off = Trial service available.
settings-team_title = Office mode
settings-team_help = In office mode the body's desks share one PostgreSQL database: each sees everyone's requests and one worker per API key sends and follows them. The password stays only in the system keyring.
settings-team_url = Database address
settings-team_url_help = As postgres://user@server:5432/database, without the password.
settings-team_tls = Encrypted connection (TLS)
settings-team_tls_help = It can be turned off only for a database on this computer.
settings-team_ca = The body's certificate authority (PEM file, optional)
settings-team_password = Database password
settings-team_password_saved = Leave empty to use the password already saved in the keyring.
settings-team_test = Test connection
settings-team_enable = Turn office mode on
settings-team_disable = Back to a single desk
settings-team_restart = Restart FirmaDesk now
settings-team_probe = Connected (PostgreSQL { $version }).
settings-team_schema_empty = The database is empty: FirmaDesk will prepare it at the first start.
settings-team_schema_current = The database is ready: it holds { $requests } requests.
settings-team_schema_older = The database will be upgraded at the first start ({ $pending } changes).
settings-team_schema_newer = The database was upgraded by a newer FirmaDesk: update FirmaDesk on this computer.
settings-team_active = This desk works on the office database: { $url }
settings-team_inactive = This desk uses its own local archive.
settings-team_restart_needed = The change applies from FirmaDesk's next start.
team-banner = The office database was not opened: { $reason } FirmaDesk shows this computer's archive and sends nothing; restart it once the problem is solved.
team-offline = The office database cannot be reached: these are the data seen at { $time }, read-only. FirmaDesk updates by itself when the connection returns.
settings-roles_title = Roles in the office
settings-role_mine = On this desk: { $identity }, { $role }.
settings-role_amministratore = administrator
settings-role_operatore = operator
settings-role_identity = Clerk (login email, or user@computer)
settings-role_label = Role
settings-role_set = Assign the role
settings-role_saved = Role assigned.
settings-team_move = Move this desk's data
settings-team_move_help = Once, into an office database that is still empty: the requests, timelines, templates and signed documents this desk kept to itself. API keys stay in each computer's keyring.
settings-team_moved = Moved { $requests } requests and { $files } signed documents ({ $missing } no longer on this computer).
settings-templates_title = Document types and templates
settings-templates_help = Each document type carries its IO dossier title, a support email of its own if any, and its template: the documents and signature fields every PDF of that type gets by itself. The four initial types have a signature field at the foot of the last page. Create and edit them here, or from the new-request form with “Save documents and fields as the template of the chosen type”; offices share them through a file: the body prepares it once, the offices import it.
settings-template_fields = { $count ->
    [one] template with 1 signature field
   *[other] template with { $count } signature fields
}
settings-template_none = no template
settings-templates_export = Export the templates
settings-templates_import = Import templates…
settings-templates_exported = { $count } document types exported to { $path }
settings-templates_imported = { $count } document types imported.
types-new = New document type
types-edit = Edit
types-duplicate = Duplicate
types-remove = Delete
types-restore = Restore
types-cancel = Cancel
types-archived = archived
types-dossier = IO dossier “{ $title }”
types-support = support { $email }
types-copy_of = { $name } (copy)
types-duplicate_name = Name of the new type
types-duplicate_confirm = Create the copy
types-duplicated = Type “{ $name }” created: it has the same dossier, support email and template.
types-remove_question = Delete the type “{ $name }”?
types-remove_help = If requests were already sent with this type it is archived: no longer offered for new requests, while the requests sent stay as they are. It can be restored.
types-removed = Type “{ $name }” deleted.
types-archived_done = Type “{ $name }” archived: requests were sent with it, so it stays for their history but is no longer offered.
types-restored = Type “{ $name }” is offered for new requests again.
types-name = Type name
types-name_help_new = The name clerks choose the type by (for example “Resolution”); it cannot change after the first save.
types-name_help = The name cannot change: the requests sent carry it. For another name, duplicate the type.
types-title = Dossier title on IO
types-email = Support email for citizens
types-email_placeholder = the profile's
types-email_help = Empty: the profile's is used. Changing the title or the email creates a new dossier on IO at the next send; the requests already sent stay in theirs.
types-retention = Retention period (years)
types-retention_help = The one in the body's retention schedule for this document type. It goes into the records package's metadata (TempoDiConservazione); empty: the records office sets it.
types-retention_line = kept { $years } years
types-problem_retention = The retention period is a whole number of years from 1 to 999, or empty.
types-has_template = The type has a template (documents and signature fields already placed)
types-save = Save the type
types-editing = Editing “{ $name }”
types-count = { $count } of { $max } characters
types-saved = Type “{ $name }” saved.
types-documents = Documents of the template
types-document_n = Document { $n }
types-document_add = Add document
types-document_remove = Remove this document
types-document_title = Document title
types-document_title_placeholder = empty: from the file name
types-pages = Sample pages
types-from_end = These are the document's last pages (signed at the end, whatever its length)
types-sample = Page { $page } of { $pages } of the sample
types-sample_help = Drag a field with the mouse, or select it and move it with the arrow keys (Shift: 10 points).
types-field_box = Field { $n }: { $title }
types-field_n = Field { $n }
types-field_show = Show on the page
types-field_remove = Remove the field
types-field_add = Add field (at most { $max })
types-page = Page
types-page_n = Page { $n }
types-coord_x = From the left (pt)
types-coord_y = From the top (pt)
types-coord_w = Width (pt)
types-coord_h = Height (pt)
types-clause_type = Clause type
types-clause_title = Clause title
types-problem_name = The name must have 1 to { $max } characters.
types-problem_title = The dossier title must have { $min } to { $max } characters (it has { $count }).
types-problem_email = The support email is not a valid address.
types-problem_document_title = Document { $doc }: the title must have { $min } to { $max } characters, or stay empty.
types-problem_fields = Document { $doc }: 1 to { $max } signature fields.
types-problem_outside = Document { $doc }, field { $field }: it goes off the page.
types-problem_clause_type = Document { $doc }, field { $field }: invalid clause type.
types-problem_clause = Document { $doc }, field { $field }: the clause title must have { $min } to { $max } characters.
bulk-title = Send from a list
bulk-intro = The same document type to many citizens, from a list exported from the registry or a spreadsheet (CSV or Excel). First the check, row by row: nothing is sent at this stage.
bulk-step_list = 1. Document type and list
bulk-type = Document type
bulk-type_choose = Choose the type…
bulk-file_pick = Choose the list (CSV or Excel)…
bulk-reading = Reading { $name }…
bulk-format_csv = CSV, separator “{ $separator }”, { $encoding }
bulk-format_xlsx = Excel, sheet “{ $sheet }”
bulk-file_info = { $name }: { $count ->
    [one] 1 row
   *[other] { $count } rows
} ({ $kind })
bulk-step_columns = 2. Columns of the list
bulk-columns_help = FirmaDesk recognised the columns by their titles: check them and correct them if needed. The fiscal code and the name (whole, or name and surname) are required.
bulk-column_none = — none —
bulk-role_full_name = Full name
bulk-role_name = First name
bulk-role_surname = Surname
bulk-role_fiscal_code = Fiscal code
bulk-role_email = Email
bulk-role_pdf = Each row's PDF (file name)
bulk-role_protocol = Protocol number
bulk-pdf_folder_pick = Choose the PDF folder…
bulk-pdf_folder_none = no folder chosen: the rows' PDFs will be reported missing
bulk-problem_no_code = Say which column holds the fiscal code.
bulk-problem_no_name = Say which column holds the full name, or the name and surname columns.
bulk-problem_no_type = Choose the document type.
bulk-check = Check the list
bulk-checking = Checking { $count } rows…
bulk-shared_title = Document for all
bulk-shared_help = The same PDF for every row: FirmaDesk checks it as Firma con IO will and places the chosen type's template fields on it. For a different PDF per row, choose the column with the file name.
bulk-shared_pick = Choose the PDF…
bulk-shared_accepted = { $name }: { $pages ->
    [one] 1 page
   *[other] { $pages } pages
}, accepted by Firma con IO.
bulk-shared_refused = { $name } is not accepted by Firma con IO: { $reason }
bulk-shared_fields = { $count ->
    [one] 1 signature field from the template
   *[other] { $count } signature fields from the template
} (page { $pages }).
bulk-shared_no_fields = The chosen type has no template: no signature field would be placed. Add one in Settings › Document types and templates.
bulk-step_report = 3. Result of the check
bulk-count_ready = { $count } ready
bulk-count_warnings = { $count } with warnings
bulk-count_errors = { $count ->
    [one] 1 in error
   *[other] { $count } in error
}
bulk-errors_help = Rows in error stay out until corrected: use “Correct” on the row, or correct the list and load it again. Rows with warnings need a look.
bulk-nothing_sent = No row in error. Nothing was sent.
bulk-filter = Show
bulk-filter_problems = Rows to look at
bulk-filter_errors = Rows in error only
bulk-filter_all = All rows
bulk-save_report = Save the report (CSV)
bulk-report_saved = Report saved in { $path }
bulk-no_rows_shown = No row to show with this filter.
bulk-more_rows = { $count } more rows not shown: they are all in the CSV report.
bulk-col_line = Row
bulk-col_name = Name
bulk-col_code = Fiscal code
bulk-col_birthplace = Birthplace
bulk-col_outcome = Result
bulk-col_problems = To look at
bulk-col_action = Action
bulk-outcome_ready = ready
bulk-outcome_warning = with warnings
bulk-outcome_error = in error
bulk-fix = Correct
bulk-fix_save = Correct and check again
bulk-step_send = 4. Send
bulk-send_help = Each row that is ready or has warnings becomes a request, with the document for all and its signature fields. Sending goes at the pace the Firma con IO key allows; it can be paused, resumed or stopped. If FirmaDesk is closed, sending resumes when it is opened again, never sending a row twice.
bulk-send_title = Title of each request
bulk-send_expires = Deadline
bulk-send = { $count ->
    [one] Send to 1 citizen…
   *[other] Send to { $count } citizens…
}
bulk-send_confirm = { $count ->
    [one] Send «{ $title }» to 1 citizen? They will get the message in the IO app.
   *[other] Send «{ $title }» to { $count } citizens? Each will get the message in the IO app.
}
bulk-send_confirm_yes = { $count ->
    [one] Yes, send to 1 citizen
   *[other] Yes, send to { $count } citizens
}
bulk-send_confirm_no = Cancel
bulk-send_started = { $count ->
    [one] Sending started: 1 request.
   *[other] Sending started: { $count } requests.
}
bulk-send_no_report = Check the list first.
bulk-send_no_rows = No row is ready to send.
bulk-send_no_folder = Choose the folder of the rows' PDFs.
bulk-send_no_template = The chosen type has no template: the signature fields of the rows' PDFs come from it. Add one in Settings › Document types and templates.
bulk-send_no_document = Choose the document for all.
bulk-send_document_refused = The chosen document is not accepted by Firma con IO: choose another.
bulk-send_no_fields = The document has no signature fields: add a template to the document type in Settings › Document types and templates.
bulk-progress_title = Sending the list «{ $name }»
bulk-progress_text = { $done } rows of { $total }
bulk-state_sending = Sending
bulk-state_paused = Paused: the rows not started yet wait
bulk-state_done = Sending finished
bulk-state_stopped = Sending stopped: the rows not started were not sent
bulk-count_sent = { $count } sent
bulk-count_failed = { $count } failed or left out
bulk-count_left = { $count } to send
bulk-eta_seconds = about { $count } s left
bulk-eta_minutes = about { $count } min left
bulk-eta_hours = about { $hours } h { $minutes } min left
bulk-pause = Pause
bulk-resume = Resume
bulk-stop = Stop sending
bulk-pause_done = Sending paused.
bulk-resume_done = Sending resumed.
bulk-stop_done = Sending stopped.
bulk-final_report = Save the final report (CSV)
bulk-failed_rows = Rows failed or left out
bulk-col_reason = Reason
bulk-batches_title = Lists sent
bulk-batches_none = No list sent with this profile.
bulk-batch_line = { $type } · { $when } · { $who }
settings-archive_title = Archive
settings-archive_help = FirmaDesk downloads the signed documents as soon as the citizen signs and keeps them in this folder.
settings-archive_dir = Archive folder
settings-open_archive = Open the folder
settings-archive_change = Change folder…
settings-archive_change_help = Documents signed from now on are saved in the new folder; those already archived stay where they are.
settings-archive_changed = Archive folder changed: { $path }
settings-autostart_title = Start-up
settings-autostart_label = Start FirmaDesk when I log in
settings-autostart_help = FirmaDesk starts hidden in the notification area and follows the requests without opening the window; open it from the icon. Off unless you choose it.
settings-autostart_on = FirmaDesk will start at login.
settings-autostart_off = FirmaDesk will not start at login.
settings-notifications_title = Notifications
settings-notifications_help = System notifications alert you even when the FirmaDesk window is not in the foreground.
settings-notifications_label = Show desktop notifications
settings-notifications_on = Desktop notifications turned on.
settings-notifications_off = Desktop notifications turned off.
settings-notify_kinds_legend = Notify when
settings-notify_kind-signed = a document is signed
settings-notify_kind-rejected = a signature is not completed
settings-notify_kind-expiring = a request expires within 48 hours
settings-notify_kind-expired = a request expired unsigned
settings-notify_kind-send_failed = a send fails or a document must be fixed
settings-notify_kind-archive_failed = a signed document cannot be archived
settings-quiet_label = Quiet hours
settings-quiet_from = From
settings-quiet_to = To
settings-quiet_help = During quiet hours (this computer's time) notifications are held and shown together, grouped, when they end.
settings-quiet_missing = Enter the start and the end of the quiet hours.
settings-notify_saved = Notification preferences saved.
settings-add_profile = Add a profile
settings-cancel_new = Cancel
settings-hide_names_label = Hide citizens' names in notifications
settings-hide_names_help = When unticked, names are hidden for profiles with the body's login and shown for the others. Without a valid login names are never shown.

## languages

languages-it = Italiano
languages-en = English

## common

common-loading = Loading…

## status

status-draft = Draft
status-sending = Sending
status-queued = Queued
status-waiting = Awaiting signature
status-signed = Signed
status-rejected = Rejected
status-cancelled = Cancelled
status-failed = Failed

## expiry

expiry-expiring = Expiring soon
expiry-expired = Expired

## steps

steps-ensure_dossier = Preparing the dossier
steps-resolve_signer = Checking the signer
steps-create_request = Creating the request
steps-upload = Uploading the documents
steps-wait_validation = Firma con IO is checking the documents
steps-publish = Publishing the request
steps-wait_published = Waiting for publication
steps-notify = Sending the IO message
steps-waiting = Waiting for the citizen's signature
steps-needs_edit = Document to fix
steps-failed = Sending failed
steps-cancel = Cancelling the request

## clause

clause-REQUIRED = Required
clause-UNFAIR = Specifically approved (unfair terms)
clause-OPTIONAL = Optional

## list

list-search = Search
list-search_placeholder = Name, tax code or title
list-filter = Show
list-sort = Sort by
list-type = Document type
list-all_types = All types
list-from = Created from
list-to = Created until
list-scope = Profile
list-scope_active = Active profile
list-all_profiles = All profiles
list-profile_line = Profile: { $name }
list-clear = Clear filters
list-no_match_filters = No request matches the chosen filters.
list-order = Order
list-ascending = Ascending
list-descending = Descending
list-filters-waiting = Awaiting signature
list-filters-expiring = Expiring soon
list-filters-expired = Expired
list-filters-sending = Sending or queued
list-filters-draft = Drafts
list-filters-failed = Failed
list-filters-rejected = Rejected
list-filters-cancelled = Cancelled
list-filters-all = All
list-filters-signed = Signed
list-sorts-expires_at = Deadline
list-sorts-updated = Last change
list-sorts-signer_name = Signer
list-sorts-created = Creation date
list-total = { $count ->
    [one] 1 request
   *[other] { $count } requests
}
list-total_at_least = More than { $count } requests: narrow the search with the filters
list-empty = No requests in this list.
list-no_match = No request matches the search.
list-unavailable = Cannot read the list from the local archive.
list-more = Show more
list-open = Open
list-col_request = Request
list-col_signer = Signer
list-col_status = Status
list-col_deadline = Deadline
list-col_updated = Updated
list-col_actions = Actions
list-col_signed_at = Signed on
list-col_archive = Archive
list-archived = Archived
list-not_archived = Not archived yet
list-col_select = Selection
list-select_all = Select all
list-select_row = Select «{ $title }» ({ $signer })
list-export_csv = Export CSV list
list-export_zip = Export PDFs as ZIP
list-export_selected = { $count ->
    [one] The selected request is exported.
   *[other] The { $count } selected requests are exported.
}
list-export_visible = { $count ->
    [one] Nothing selected: the request shown is exported.
   *[other] Nothing selected: all { $count } requests shown are exported.
}
list-exporting = Exporting…
list-export_saved_in = File saved in
list-export_count = { $count ->
    [one] 1 request exported
   *[other] { $count } requests exported
}
list-export_reveal = Open the folder

## pending

pending-title = Awaiting signature
pending-intro = Requests sent to citizens and not signed yet, with their deadlines.

## drafts

drafts-set_aside = Set aside
drafts-set_aside_help = Keeps this draft under Drafts to resume it later and starts again with an empty form.
drafts-set_aside_done = Draft “{ $label }” set aside: you will find it under Drafts.
drafts-open_list = Go to drafts
drafts-title = Drafts not sent
drafts-intro = The requests set aside on this computer and not sent yet.
drafts-empty = No draft set aside.
drafts-unavailable = The drafts set aside cannot be read.
drafts-untitled = Untitled draft
drafts-no_signer = No signer given
drafts-no_type = No type chosen
drafts-documents = { $count ->
    [one] 1 document
   *[other] { $count } documents
}
drafts-saved_at = set aside on { $when }
drafts-missing = { $count ->
    [one] Document no longer kept, to be added again: { $names }
   *[other] Documents no longer kept, to be added again: { $names }
}
drafts-resume = Resume
drafts-delete = Delete
drafts-delete_question = Delete the draft “{ $label }”?
drafts-delete_text = The draft cannot be recovered.
drafts-delete_confirm = Delete the draft
drafts-delete_cancel = Cancel
drafts-deleted = Draft “{ $label }” deleted.
drafts-resumed = Draft “{ $label }” resumed.
drafts-resumed_previous = Draft “{ $label }” resumed; the one you were filling in was set aside under Drafts.

## signed

signed-title = Signed
signed-intro = Signed requests and the documents saved in the archive.

## new

new-title = New request
new-intro = Fill in the details, add the PDFs and show where the citizen must sign.
new-section_request = Request
new-document_type = Document type
new-document_type_choose = Choose the document type
new-document_type_new = Create a new document type
new-document_type_name = Type name (e.g. Agreement)
new-document_type_dossier = Dossier title on IO
new-document_type_dossier_help = 3 to 60 characters: the citizen sees it in the IO app.
new-document_type_save = Save the type
new-document_type_cancel = Cancel
new-document_type_saved = Document type “{ $name }” saved and chosen.
new-document_type_name_invalid = The type name must have 1 to 60 characters.
new-document_type_dossier_invalid = The dossier title must have 3 to 60 characters.
new-document_type_dossier_is = Dossier on IO: “{ $title }”
new-document_type_none = There are no document types yet: create one.
new-reopened_fix = Fixing «{ $title }»: sending it creates a new request linked to the one that stopped.
new-reopened_duplicate = Copy of «{ $title }»: it will be sent as a new request.
new-reopened_same_signer = New request for the signer of «{ $title }».
new-reopened_reason = Reason: { $reason }
new-reopened_missing = Documents no longer kept, to add again: { $names }
new-save_template = Save documents and fields as the template of the chosen type
new-template_saved = Template of the type «{ $type }» saved: the next PDFs of this type get the same fields.
new-template_applied = The fields of the template «{ $type }» were applied to the documents.
new-template_notes = Differences from the template
new-template_missing_page = The field «{ $clause }» is on page { $page }, which this PDF lacks: draw it again.
new-template_moved = The field «{ $clause }» (page { $page }) did not fit the page and was moved: check it.
new-template_other_size = Page { $page } has another size than the template's: check the position of the field «{ $clause }».
new-template_page_count = The template has { $expected } pages, this PDF { $actual }: check the fields.
new-request_title = Request title
new-request_title_help = 3 to 60 characters. Proposed from the document type and the first document; you can change it.
new-document_fallback_title = Document { $n }
new-char_count = { $count }/{ $max }
new-section_signer = Signer
new-signer_name = Full name
new-signer_book_help = Signers used before: choose one to fill in the name and the tax code.
new-fiscal_code = Tax code (codice fiscale)
new-fiscal_code_invalid = Invalid tax code.
new-fiscal_code_ok = Valid tax code: { $details }. Check that it matches the signer.
new-fiscal_code_name_mismatch = The tax code's letters do not match the name given: check that it is not another person's code (married or foreign names may differ legitimately).
new-fiscal_code_confirm = I have checked: this tax code belongs to this signer
new-born_in = birthplace { $place }
new-birthplace_not_at_birth = The cadastral code { $code } ({ $place }) was not in use on the birth date: check the code on the citizen's document.
new-birthplace_unknown = The cadastral code { $code } matches no known municipality or foreign country: check the code on the citizen's document.
new-born_on = born on { $date }
new-sex_M = male
new-sex_F = female
new-belfiore = municipality code { $code }
new-section_delivery = Deadline and delivery
new-expires_at = Deadline
new-expires_citizen = The citizen will read: “{ $text }”.
new-expires_empty = Without a date the service's default deadline applies (90 days).
new-expires_invalid = Invalid date.
new-expires_past = The deadline has already passed: choose today or a later date.
new-delivery = How the request reaches the citizen
new-delivery_io = Message in the IO app
new-delivery_qr = QR code at the counter only
new-section_documents = Documents
new-drop_hint = Drag the PDFs anywhere onto the window, or choose the files.
new-pdf_input = Add PDF documents
new-pdf_not_kept = { $name }: the copy of the document is no longer kept, add it again.
new-pdf_not_pdf = “{ $name }” is not a PDF: only PDF files can be added.
new-pdf_failed = “{ $name }”: { $message }
new-importing = Loading { $names }…
new-docs_added = { $count ->
    [one] 1 document added.
   *[other] { $count } documents added.
}
new-docs_refused = { $count ->
    [one] 1 file not added: see the error message.
   *[other] { $count } files not added: see the error messages.
}
new-document_removed = Document “{ $name }” removed.
new-remove_document = Remove
new-editing = Editing fields
new-pages = { $count ->
    [one] 1 page
   *[other] { $count } pages
}
new-fields_count = { $count ->
    [one] 1 signature field
   *[other] { $count } signature fields
}
new-doc_title = Document title
new-doc_title_help = 3 to 60 characters: the citizen sees it in the IO app.
new-findings = Document checks
new-severity-error = Error
new-severity-warning = Warning
new-severity-info = Note
new-page_n = page { $page }
new-service_refuses = Firma con IO would not accept this document.
new-pdfa_missing = The document is not PDF/A: the AgID guidelines prefer it for preservation. If you can, save it as PDF/A before sending it (once signed it can no longer be converted).
new-section_protocol = Protocol data (optional)
new-protocol_help = If the document is already registered, its number names the signed file in the archive and goes into the preservation package. It can also be given later, in the request's detail.
new-section_fields = Signature fields
new-placement_empty = Add a document to show where the citizen must sign.
new-placing_on = Document: { $name }
new-page = Page
new-page_of = { $page } of { $count }
new-page_prev = Previous page
new-page_next = Next page
new-thumbs_label = Page thumbnails
new-thumbs_help = Arrow keys, Home and End move between the thumbnails; Enter or Space shows the page in the preview.
new-thumb_label = Page { $page }
new-zoom = Zoom
new-zoom_in = Zoom in
new-zoom_out = Zoom out
new-add_field = Add a field in the centre
new-preview_help = Drag on the page to draw a signature field; drag a field to move it, its bottom-right corner to resize it. With the keyboard, on the preview: Enter or N adds a field in the centre, the arrow keys move the selected field by 1 pt (10 pt with Shift), Delete removes it, Esc clears the selection; Tab reaches the coordinates.
new-preview_label = Preview of page { $page } of { $count }
new-preview_loading = Loading the preview…
new-preview_failed = Preview not available: { $message }
new-page_image = Page { $page } of { $count } of “{ $name }”
new-field_box = Signature field { $n }: x { $x }, y { $y }, { $w } × { $h } pt, “{ $title }”
new-field_added = Field { $n } added on page { $page }: x { $x }, y { $y }, { $w } × { $h } pt.
new-field_removed = Field { $n } removed.
new-field_position = Position: x { $x }, y { $y }.
new-fields_title = Signature fields of the document ({ $count })
new-no_fields = No fields: draw one on the preview.
new-field_item = Field { $n } · page { $page } · { $type }
new-select_hint = Select a field to change its position and clause.
new-field_selected = Field { $n } (page { $page })
new-units_help = In PDF points (1/72 inch), from the top-left corner of the page.
new-field_x = X (pt)
new-field_y = Y (pt)
new-field_w = Width (pt)
new-field_h = Height (pt)
new-clause_type = Clause type
new-clause_title = Clause title
new-clause_title_help = 5 to 80 characters: the citizen reads it next to the signature.
new-remove_field = Remove the field
new-acro_title = Signature fields already in the PDF
new-acro_item = “{ $name }”, page { $page }
new-acro_use = Use this field
new-acro_used = Already used
new-acro_signed = Already signed
new-submit = Request signature
new-submitting = Sending…
new-submitted = Request saved: sending to Firma con IO.
new-held = The office database cannot be reached: the request is kept on this computer and leaves by itself as soon as the connection returns.
new-ready = All set: the request can be sent.
new-missing = To request the signature:
new-problems-document_type = choose the document type
new-problems-title = write the request title (3 to 60 characters)
new-problems-signer_name = enter the signer's full name
new-problems-fiscal_code = enter a valid tax code
new-problems-fiscal_code_name = confirm the tax code whose letters do not match the name
new-problems-expires_at = choose a deadline from today onwards
new-problems-delivery = choose how to deliver the request
new-problems-importing = wait until the documents are loaded
new-problems-documents = add at least one PDF document
new-problems-doc_title = give every document a title of 3 to 60 characters
new-problems-doc_errors = replace the documents Firma con IO would not accept
new-problems-fields = draw at least one signature field
new-problems-clause_title = give every field a clause title of 5 to 80 characters
new-problems-clause_type = choose the type of every clause
new-problems-optional_only = in every document at least one field must be required or specifically approved
new-problems-field_bounds = bring every field back inside its page

## request

request-title = Request details
request-unavailable = Cannot read the request from the local archive.
request-reject_reason = Reason for rejection
request-send_failed = Sending failed
request-send_title = Sending
request-send_queued_title = Sending queued
request-step_done = done
request-step_current = in progress
request-step_todo = to do
request-upload_progress = Uploading document { $document } of { $count }
request-upload_done = Documents uploaded
request-queued = Sending paused: { $message } FirmaDesk will retry on its own.
request-next_attempt = Next attempt: { $when }
request-attempts = Attempts: { $count }
request-sandbox_group = Citizen simulation (trial mode)
request-simulate_sign = Simulate the citizen's signature
request-simulate_reject = Simulate a signing error
request-simulated_sign = Signature simulated: the status updates shortly.
request-simulated_reject = Signing error simulated: the status updates shortly.
request-cancel = Cancel request
request-cancel_question = Cancel the request? The citizen will no longer be able to sign, and this cannot be undone.
request-cancel_yes = Yes, cancel the request
request-cancel_no = No, go back
request-cancelled = Request cancelled.
request-data_title = Request data
request-document_type = Document type
request-signer = Signer
request-fix_and_resend = Fix and resend
request-duplicate = Duplicate
request-same_signer = New request for the same signer
request-reuse_question = A request is already being prepared in the form: replace it?
request-reuse_replace = Replace
request-reuse_keep = Keep the one being prepared
request-open_linked = Open the other request
request-fiscal_code = Tax code
request-delivery = Delivery
request-expires_at = Deadline
request-no_deadline = Service default
request-created_at = Created
request-updated_at = Last update
request-published_at = Published
request-signed_at = Signed
request-io_status = Status on Firma con IO
request-io_request_id = Firma con IO ID
request-local_id = Local ID
request-deliveries-io_message = Message in the IO app
request-deliveries-qr_only = QR code at the counter only
request-deliveries-both = Message in the IO app and QR code
request-documents_title = Documents
request-field_at = Page { $page }, x { $x }, y { $y }, { $w } × { $h } pt
request-field_existing = PDF field “{ $name }”
request-no_fields = No fields: the citizen signs the whole document invisibly.
request-archive_title = Archived signed documents
request-archive_none = No signed document yet.
request-archive_pending = Signature completed: archiving the documents.
request-copy_path = Copy path
request-path_copied = Path copied.
request-copy_failed = Cannot copy the path.
request-timeline_title = Timeline
request-timeline_empty = No events recorded.
request-action_pending = Done: waiting for the update from Firma con IO…
request-show_qr = Sign at the counter
request-qr_title = Sign at the counter
request-qr_alt = QR code to sign «{ $title }»
request-qr_instructions = Inquadra il codice con la fotocamera del telefono per firmare con l'app IO (scan the code with the phone's camera to sign with the IO app)
request-qr_close = Close
request-qr_moved = The request is now: { $status }.
request-copy_link = Copy signing link
request-link_copied = Link copied
request-print_sheet = Print the citizen's sheet
request-print_receipt = Receipt and audit trail (PDF)
request-printed_opened = PDF opened in the reader for printing and saved in:
request-printed_saved = PDF saved: open it with a PDF reader to print it. It is in:
request-printed_reveal = Show in folder
request-link_not_ready = The signing link is not available: it exists only while the request is waiting for signature on Firma con IO.
request-link_expired = The request has expired: its signing link is no longer valid. Use "Fix and resend".
request-link_copy_failed = Cannot copy the link: select it under "Signing link" in the request's data and copy it by hand.
request-signing_link = Signing link
request-open_signed = Open
request-reveal_signed = Show in folder

## todo ("Da fare": what the clerk must act on in the active profile, most urgent first)

todo-title = To do
todo-intro = The requests that need you, most urgent first: sends that failed, rejected requests, requests expiring within 48 hours and expired ones.
todo-profile = Profile
todo-sandbox_note = trial requests: none of them reached a citizen.
todo-empty = Nothing to do: no request of this profile needs you.
todo-unavailable = Cannot read the requests to act on.
todo-more = Only the first requests of each group are shown: the others are in the lists.
todo-failed_title = Sends that failed
todo-rejected_title = Rejected
todo-expiring_title = Expiring within 48 hours
todo-expired_title = Expired
todo-other_title = Other
todo-new_request = New request
todo-deadline = Deadline: { $when }
todo-changed = Last update: { $when }

## events

events-send_completed = Sending completed: the request is awaiting signature.
events-send_failed = Sending failed: { $message }
events-document_rejected = Document “{ $title }” rejected: { $reason }
events-status_signed = A request has been signed.
events-status_rejected = A request has been rejected.
events-status_cancelled = A request has been cancelled.

## drop

drop-overlay = Drop the PDFs to add them to the new request

## io_status

io_status-DRAFT = Draft
io_status-READY = Ready
io_status-WAIT_FOR_SIGNATURE = Awaiting signature
io_status-SIGNED = Signed
io_status-REJECTED = Rejected
io_status-CANCELLED = Cancelled
io_status-WAIT_FOR_UPLOAD = Waiting for upload
io_status-WAIT_FOR_VALIDATION = Being checked

## errors

errors-ipc-unavailable = FirmaDesk must be started as a desktop application.
errors-settings-write_failed = Cannot save the settings: check the disk space and the permissions of the data folder.
errors-settings-unknown_locale = Language not available.
errors-settings-invalid_time = Invalid time: enter it as hours and minutes, for example 19:00.
errors-team-missing_url = Enter the office database's address, as postgres://user@server:5432/database.
errors-team-ca_unreadable = Cannot read the certificate authority file: check the path.
errors-team-not_active = Turn office mode on and restart FirmaDesk first: the data move into the office database in use.
errors-team-held_sends = Requests kept on this computer are still waiting for the office database: leave office mode once they have left.
errors-held-write_failed = The request could not be kept on this computer: check the disk space and the permissions of the data folder.
errors-team-nothing_to_move = This desk has no local archive to move.
errors-role-admin_only = Only an administrator of the office can change profiles, keys, templates and roles.
errors-role-missing_identity = Name the clerk: the email they log in with, or user@computer.
errors-archive-altered = The file in the archive is no longer the signed one (it was changed): it is not opened. Tell support.
errors-profile-missing_name = Enter a name for the profile.
errors-profile-invalid_environment = Trial mode is already available: choose Test or Production.
errors-profile-invalid_url = Invalid service address: use an https address (for example the default one of Firma con IO).
errors-profile-builtin = The built-in trial profile cannot be changed or deleted.
errors-profile-invalid_email = The support email is not a valid address (for example protocollo@comune.example.it): citizens see it in the IO app.
errors-profile-invalid_key = The API key does not look valid: copy it again from the Firma con IO portal (the body's reserved area).
errors-profile-invalid_tester = A tester's tax code is not valid: check it in the profile's list of testers (one per line).
errors-profile-missing_key = Enter the profile's API key (from the Firma con IO portal, the body's reserved area).
errors-profile-not_found = Profile not found.
errors-profile-in_use = The profile has signature requests in the local archive: it cannot be deleted.
errors-profile-ok = API key valid: the Firma con IO service answers.
errors-profile-key_rejected = API key invalid or revoked (error 401): copy it again from the Firma con IO portal or ask for a new one.
errors-profile-ip_forbidden = Access denied (error 403): this workstation's IP address is not among those allowed for the key. Ask the administrator to add it in the Firma con IO portal.
errors-mail-invalid_settings = A field of the protocol mailbox is not valid: correct it.
errors-mail-not_configured = The protocol mailbox is not set for this profile: an administrator sets it in Settings.
errors-profile-unreachable = Firma con IO cannot be reached: check the connection and the service address.
errors-protocol-invalid_date = Invalid protocol date: give day, month and year, not in the future.
errors-protocol-invalid_text = A field of the protocol data is too long or holds line breaks: correct it.
errors-profile-key_for_new_url = The service address changed: enter the API key again. For security the saved key is never sent to an address other than the one it was entered for.
errors-profile-no_key = The profile has no API key in the keyring: enter it again in Settings.
errors-profile-rate_limited = Too many requests to the service (error 429): try again in a few seconds.
errors-archive-invalid = Invalid folder: choose another one.
errors-archive-not_writable = FirmaDesk cannot write to the chosen folder: choose another one or check its permissions.
errors-archive-not_pdf = The file in the archive is not a PDF: it is not opened. Check the archive folder.
errors-archive-not_archived = The signed document is not in the archive yet: wait for it to be saved or refresh the request.
errors-archive-missing = The file is no longer in the archive: it was moved or deleted.
errors-archive-open_failed = The file could not be opened: check that a PDF reader is installed.
errors-archive-outside = Invalid path: the file is not one of the archive's exports.
errors-archive-unavailable = The archive folder is not accessible: check its permissions.
errors-sandbox-not_running = Trial mode is not active: choose it in Settings to use trial requests.
errors-sandbox-start_failed = The local trial service could not start: restart FirmaDesk; if the problem persists contact support.
errors-sandbox-not_sandbox = This request is not a trial-mode request: its signature cannot be simulated.
errors-sandbox-reject_failed = The simulated refusal failed: try again.
errors-sandbox-sign_failed = The simulated signature failed: try again.
errors-auth-login_required = Login required: sign in with your organisation's account to continue.
errors-auth-browser_unavailable = The browser could not be opened for the login: open it and try again.
errors-auth-invalid_config = Invalid login configuration: check the profile's login service in Settings.
errors-auth-invalid_id_token = Invalid answer from the login service: try again; if it happens again contact support.
errors-auth-invalid_signature = The identity token's signature is not valid: login refused for safety.
errors-auth-keyring_failure = The system keyring failed: try again; if it happens again restart the computer.
errors-auth-keyring_locked = The system keyring is locked: unlock it and try again.
errors-auth-login_denied = Login denied by the organisation's service.
errors-auth-login_timeout = The login was not completed in time: try again.
errors-auth-loopback_unavailable = The login's answer could not be received on this computer: try again.
errors-auth-no_keyring = No system keyring is available: install one (Secret Service) and reopen FirmaDesk.
errors-auth-nonce_mismatch = Unexpected login answer: possible attack, login refused.
errors-auth-provider_rejected = The login service refused the request: check the profile's configuration.
errors-auth-provider_unavailable = The login service cannot be reached: check the connection and try again.
errors-auth-second_factor_missing = The login did not use the second factor: log in again with the second factor.
errors-auth-session_expired = Session expired: log in again.
errors-auth-state_mismatch = Unexpected login answer: possible attack, login refused.
errors-auth-token_expired = The identity token has expired: log in again.
errors-auth-wrong_audience = The identity token is meant for another application: login refused.
errors-auth-wrong_issuer = The identity token comes from another login service: login refused.
errors-bulk-duplicate_header = Two columns of the list have the same title: rename one in the spreadsheet and load the list again.
errors-bulk-empty = The list is empty: export it again from the spreadsheet and try again.
errors-bulk-no_fiscal_code_column = Say which column of the list holds the fiscal code.
errors-bulk-no_rows = The list has only the column titles: add one row per recipient.
errors-bulk-too_large = The list is larger than 10 MB: remove the columns that are not needed or split it into several files.
errors-bulk-too_many_columns = The list has more than 200 columns: keep only those needed (name, tax code, PDF...) and load it again.
errors-bulk-too_many_rows = The list has more than 20,000 rows: split it into several files and send them one at a time.
errors-bulk-unreadable = The spreadsheet cannot be read: open it, save it again as Excel (.xlsx) or CSV and try again.
errors-bulk-unsupported = The file is not a list FirmaDesk can read: save it from the spreadsheet as CSV or Excel (.xlsx).
errors-bulk-batch_elsewhere = This list is being sent by another computer: pause or stop it from there.
errors-bulk-batch_finished = The sending of this list is already over.
errors-bulk-batch_not_found = List sending not found: reload the page.
errors-bulk-nothing_to_send = No row is ready: correct the rows in error and check the list again.
errors-bulk-no_template = The chosen document type has no template: the signature fields of the rows' PDFs come from it. Add one in Settings › Document types and templates.
errors-bulk-row_pdf = A row's PDF cannot be sent: check that it is in the chosen folder and check the list again.
errors-doctype-exists = A document type with this name exists already: choose another name.
errors-doctype-invalid_email = The support email is not a valid address: correct it, or leave it empty to use the profile's.
errors-doctype-invalid_retention = The retention period is a whole number of years from 1 to 999 (the one in the body's retention schedule): correct it, or leave it empty.
errors-doctype-invalid_name = Give the document type a name.
errors-doctype-invalid_template = The template cannot be saved: check its documents and signature fields.
errors-doctype-invalid_title = Give the document type a title.
errors-engine-archive = The signed document could not be saved in the archive: check the disk space and the folder's permissions.
errors-engine-bad_download = The downloaded signed document is not valid: it will be downloaded again automatically.
errors-engine-document_rejected = Firma con IO refused the document: fix it and send it again.
errors-engine-not_allowed = This is not possible in the request's current state.
errors-engine-not_found = Request or profile not found: refresh the list.
errors-engine-offline = The Firma con IO service cannot be reached: the operation will be retried automatically.
errors-engine-refused = Firma con IO refused the operation: check the data and the profile's key.
errors-engine-shutdown = FirmaDesk is closing: try again after the restart.
errors-engine-signer_not_on_io = The citizen does not use the IO app: they cannot sign with Firma con IO.
errors-engine-store = The local store is not available: restart FirmaDesk.
errors-draft-empty = There is nothing to set aside: the draft is empty.
errors-draft-invalid_id = Invalid draft: refresh the list of drafts.
errors-draft-not_deleted = The draft could not be deleted from disk: check the data folder's permissions.
errors-draft-not_found = The draft is no longer there: it was resumed or deleted.
errors-draft-not_kept = The draft could not be kept on disk: check the free space.
errors-draft-too_large = The draft is too large to be kept: send it or use fewer documents.
errors-export-empty = No signed request selected: select at least one.
errors-autostart-failed = Starting at login could not be changed: check the permissions of the system's startup folder.
errors-export-write_failed = The export failed: check the disk space and the archive folder's permissions.
errors-pdf-bad_request = Invalid upload: try again.
errors-pdf-encrypted = The PDF is password-protected or encrypted: save an unprotected copy and load that.
errors-pdf-library_missing = The PDF component is missing: reinstall FirmaDesk.
errors-pdf-not_pdf = The file is not a PDF: choose a PDF document.
errors-pdf-render_failed = The page preview failed: try again.
errors-pdf-save_failed = A copy of the document could not be saved: check the disk space.
errors-pdf-too_large = The PDF is too large: reduce its size and try again.
errors-pdf-too_many_pages = The PDF has too many pages: split it and try again.
errors-pdf-unknown = Document not found: load it again.
errors-pdf-unreadable = The PDF is damaged or unreadable: save a new copy and try again.
errors-qr-not_ready = The QR code will be available when the request is awaiting signature.
errors-qr-unavailable = QR code not available: try again shortly.
errors-request-expired_deadline = The deadline has already passed: choose a future one.
errors-request-invalid_clause = Invalid signature type for a field: choose required, optional or unfair.
errors-request-invalid_deadline = Invalid deadline: use the format dd/mm/yyyy.
errors-request-invalid_fiscal_code = Invalid fiscal code: check it on the citizen's document.
errors-request-invalid_title = Give the request a title.
errors-request-missing_signer = Enter the signer's name.
errors-request-no_documents = Add at least one PDF document.
errors-request-not_tester = With a test key Firma con IO sends only to the testers' tax codes: this code is not among the profile's testers. Add it to the profile (and in the Firma con IO portal) or use the production profile.
errors-request-service_refuses = Firma con IO would refuse a document that FirmaDesk's checks had accepted: fix it and try again.
errors-request-other_profile = The request to fix was sent with another profile: choose it in Settings and try again.
errors-request-still_active = Only a request that stopped (rejected, failed, expired or cancelled) can be fixed and sent again.
errors-request-not_found = Request not found in the local store: refresh the list.
errors-request-not_sent = The request has not reached Firma con IO yet: wait for the send to finish.
errors-request-preflight_failed = A document fails Firma con IO's checks: fix it and try again.
errors-request-unknown_document_type = Unknown document type: choose one from the list.
errors-store-backup = The local store's backup could not be written: check the disk space.
errors-store-forbidden = The office database does not allow this to the user set in office mode: administrators change profiles, document types and roles; the office's service upgrades the database.
errors-store-corrupt = The local store is damaged: contact support (a backup is in the data folder).
errors-store-invalid = Data not valid for the local store: check them and try again.
errors-store-migration = The local store's upgrade failed: restart FirmaDesk; the data were not changed.
errors-store-newer_schema = The local store was written by a newer FirmaDesk: update FirmaDesk.
errors-store-sqlite = The local store is not available: restart FirmaDesk; if it happens again check the disk space.
errors-store-unreachable = The office database cannot be reached: check the network; FirmaDesk retries by itself.
errors-store-denied = The office database refused the user or password: check them in Settings › Office mode.
errors-store-postgres = Error of the office database: try again; if it happens again, tell support.
errors-store-fenced = Another computer took over as the worker for this key: this one stopped sending; the requests go on there.

## login

login-title = Sign in with your organisation's account
login-intro = To work on this profile's signature requests, sign in with your organisation's account and its second factor.
login-provider = Sign-in service:
login-browser = The system browser will open: once signed in, come back to FirmaDesk.
login-button = Sign in
login-clerk = Signed in as
login-logout = Sign out

## timeline

timeline-actor_firmadesk = FirmaDesk
timeline-actor_io = Firma con IO

## timeline

timeline-created = Request created and sent to Firma con IO
timeline-created_fix = Request created and sent to Firma con IO, replacing «{ $title }»
timeline-replaced = Fixed and sent again as the new request «{ $title }»
timeline-step_finished = { $step }: done
timeline-failed = Sending failed: { $reason }
timeline-create_adopted = Request already created on IO by the previous attempt: resumed without duplicates
timeline-document_rejected = The document “{ $title }” was rejected by Firma con IO: { $reason }
timeline-status = Status on IO: { $status }
timeline-io_status-DRAFT = Draft
timeline-io_status-READY = Published
timeline-io_status-WAIT_FOR_SIGNATURE = Awaiting signature
timeline-io_status-SIGNED = Signed
timeline-io_status-REJECTED = Signature failed
timeline-io_status-CANCELLED = Cancelled
timeline-io_status-unknown = Unknown status
timeline-archived = Signed document saved in { $path }
timeline-archive_renamed = Signed document renamed with the protocol number: { $path }
timeline-mail_queued = Package queued for the protocol mailbox { $to }
timeline-mail_sent = Package handed to the mail server for the protocol mailbox { $to }
timeline-mail_failed = Sending to the protocol mailbox failed, it will be tried again automatically: { $reason }
timeline-protocol = Protocol data: { $summary }
timeline-protocol_cleared = Protocol data cleared
timeline-archive_failed = Saving the signed document failed: it will be retried.
timeline-download_invalid = The downloaded signed document is not valid: it will be downloaded again.
timeline-cancelled = Request cancelled by the clerk
timeline-cancel_requested = Cancellation requested: the office's service that holds the key carries it out

## notification

notification-open = Open
notification-signed-title = Document signed
notification-signed-body = { $title } – { $signer }: signed on IO and saved in the archive.
notification-signed_not_archived-body = { $title } – { $signer }: signed on IO. Saving it in the archive failed: it will be retried.
notification-signed-anonymous = A request was signed on IO: open FirmaDesk for the details.
notification-rejected-title = Signature not completed
notification-rejected-body = { $title } – { $signer }: the signature was not completed ({ $reason }). Create a new request.
notification-rejected-no_reason = no reason given
notification-rejected-anonymous = A signature was not completed: open FirmaDesk for the details.
notification-open_app = Open FirmaDesk
notification-signed_not_archived-title = Signed, but not archived
notification-signed_not_archived-anonymous = A request was signed on IO, but saving it in the archive failed: open FirmaDesk for the details.
notification-expiring-title = Request expiring
notification-expiring-body = { $title } – { $signer }: the signature expires within 48 hours. Remind the signer or print the QR code.
notification-expiring-anonymous = A request expires within 48 hours: open FirmaDesk for the details.
notification-expired-title = Request expired
notification-expired-body = { $title } – { $signer }: expired unsigned. Create a new request.
notification-expired-anonymous = A request expired unsigned: open FirmaDesk for the details.
notification-send_failed-title = Sending failed
notification-send_failed-body = { $title } – { $signer }: { $reason }
notification-send_failed-anonymous = A send failed: open FirmaDesk for the details.
notification-needs_edit-title = Document to fix
notification-needs_edit-body = { $title } – { $signer }: { $reason }
notification-needs_edit-anonymous = Firma con IO refused a document: open FirmaDesk to fix it.
notification-group-signed-title = { $count } documents signed
notification-group-signed-body = Signed on IO and saved in the archive: open FirmaDesk for the details.
notification-group-archive_failed-title = { $count } signed documents not archived
notification-group-archive_failed-body = Signed on IO, but saving them in the archive failed: it will be retried. Open FirmaDesk for the details.
notification-group-rejected-title = { $count } signatures not completed
notification-group-rejected-body = Open FirmaDesk for the reasons and create new requests.
notification-group-expiring-title = { $count } requests expiring
notification-group-expiring-body = The signature expires within 48 hours: open FirmaDesk for the details.
notification-group-expired-title = { $count } requests expired
notification-group-expired-body = Expired unsigned: open FirmaDesk to create new requests.
notification-group-send_failed-title = { $count } sends failed
notification-group-send_failed-body = Open FirmaDesk for the details and fix them.

## tray

tray-waiting = { $count ->
    [0] FirmaDesk – no request awaiting signature
    [one] FirmaDesk – 1 request awaiting signature
   *[other] FirmaDesk – { $count } requests awaiting signature
}
tray-open = Open FirmaDesk
tray-quit = Quit
tray-waiting-line = { $count ->
    [0] None awaiting signature
   *[other] { $count } awaiting signature
}
tray-attention = { $count } to act on
tray-attention-line = { $count ->
    [0] Nothing to do
   *[other] To do: { $count }
}
tray-sync-pause = Pause sync
tray-sync-resume = Resume sync
tray-keeps-working-title = FirmaDesk keeps working
tray-keeps-working-body = The window is closed, but FirmaDesk stays in the notification area: it checks signatures, archives signed documents and notifies you. To quit: FirmaDesk's icon, then "Quit".
tray-quit-title = Quit FirmaDesk?
tray-quit-sending = { $count ->
    [one] 1 send is under way: if you quit now, it resumes the next time FirmaDesk starts.
   *[other] { $count } sends are under way: if you quit now, they resume the next time FirmaDesk starts.
}
tray-quit-cancel = Cancel

## preflight

preflight-not_pdf = The file is not a PDF: choose a PDF document.
preflight-encrypted = The PDF is password-protected or encrypted: save an unprotected copy and load that.
preflight-unreadable = The PDF is damaged or unreadable: save a new copy and try again.
preflight-too_complex = The PDF's structure is too complex or unusual to be checked safely: produce it again from the program it came from.
preflight-too_large = The PDF is too large: reduce its size and try again.
preflight-too_many_pages = The PDF has too many pages: split it and try again.
preflight-internal = The PDF check failed: try again; if it happens again reinstall FirmaDesk.
preflight-repaired_structure = The PDF's internal structure is damaged; FirmaDesk could repair it, but the service may refuse it: if possible produce it again from the program it came from.
preflight-title_length = The document title must have 3 to 60 characters (it has { $len }).
preflight-clause_title_length = The title of signature no. { $n } must have 5 to 80 characters (it has { $len }).
preflight-only_optional_clauses = At least one signature must be required or unfair-terms: with only optional signatures the service refuses the request.
preflight-no_fields = No signature field: the citizen will add an invisible signature to the whole document.
preflight-page_not_found = The signature “{ $title }” is on page { $page }, but the document has { $pages } pages.
preflight-field_outside_page = The signature “{ $title }” goes outside page { $page } ({ $width }×{ $height } points): move or shrink it.
preflight-page_rotated_or_cropped = Page { $page } is rotated or cropped: the service places the signature “{ $title }” ignoring rotation and cropping. Check the position or use a PDF without rotation.
preflight-field_not_found = The signature field "{ $name }" given for “{ $title }” does not exist in the document.
preflight-field_already_signed = The signature field "{ $name }" is already signed: choose another one.
preflight-document_already_signed = The document already contains signatures: the new signature will be added to them.

## verification (issue #14: "Verify a signed PDF", and the result kept per signed document)

nav-verify = Verify a signed PDF
verification-verdict-valid = Valid signature
verification-verdict-valid_with_warnings = Valid signature, with warnings
verification-verdict-invalid = Signature not valid
verification-title = Verify a signed PDF
verification-intro = Drop a signed PDF here, even one that came another way (certified e-mail, e-mail): FirmaDesk checks every signature, who signed and whether the document changed after signing. The file is not kept.
verification-drop = Drop the signed PDF here
verification-pick = Choose a PDF…
verification-fiscal_code = Expected fiscal code (optional)
verification-fiscal_code_hint = When given, FirmaDesk checks that this very person signed.
verification-again = Verify again
verification-checking = Verifying…
verification-file = File: { $name }
verification-signer = Signer
verification-signer_fiscal_code = Signer's fiscal code
verification-signing_time = Signed on
verification-signing_time_certified = { $time } (time certified by a timestamp)
verification-reasons = Reasons
verification-no_reasons = Every check passed.
verification-trust-sandbox = Trusted authority: the test one of Test mode.
verification-trust-not_checked = The authority that issued the certificate was not checked: the European trusted lists have not been downloaded yet, or are out of date (FirmaDesk downloads them again by itself when online).
verification-trust-trusted_lists = Trusted authority: the qualified providers of the European trusted lists, for the time they were qualified.
verification-list = { $territory } no. { $sequence }
verification-lists = European trusted lists in use: { $lists }, checked on { $when }.
verification-lists_none = The European trusted lists have not been downloaded yet, or are out of date: FirmaDesk downloads them by itself when online.
verification-lists_problem = The European trusted lists are not available: the last download failed (the reason is in FirmaDesk's log). FirmaDesk tries again every hour; if the problem stays, tell IT support.
verification-unknown = —
verification-label = Signature check
verification-pending = Not verified yet
verification-detail = Technical detail

## verify (the finding codes of firmadesk-verify, worded: what is wrong and what to do)

verify-not_a_pdf = The file is not a readable PDF: ask the sender for a new copy of the signed document.
verify-no_signature = The document carries no digital signature: it is not a signed document.
verify-signature_malformed = The signature is damaged and cannot be read: ask for a new copy of the signed document.
verify-unsupported_algorithm = The signature uses an algorithm FirmaDesk cannot verify: have it checked with another verification program.
verify-digest_mismatch = The document was changed after signing: its content is no longer what was signed. Do not use it and ask for the original.
verify-signature_invalid = The signature does not match the signer's certificate: it is not genuine. Do not use the document.
verify-byte_range_gap = The signature does not cover the whole document: a part may have been added or changed unsigned. Do not use the document.
verify-page_changed_after_signing = After signing someone changed the content of a page: do not use the document and ask for the signed original.
verify-updated_after_signing = After signing the file was updated without changing its pages (for example with notes): check that the addition is expected.
verify-another_signature = The document carries more than one signature: all were checked; make sure the other signatures are expected.
verify-fiscal_code_mismatch = The document was signed by another person: the certificate's fiscal code ({ $found }) is not the expected one ({ $expected }). Do not consider it signed by the citizen asked.
verify-fiscal_code_missing = The signing certificate carries no fiscal code: who signed cannot be confirmed.
verify-untrusted_issuer = The signer's certificate was not issued by a trusted authority, or the authority was not one when it signed (European trusted lists): the signature cannot be relied on.
verify-trust_not_checked = Whether the authority that issued the certificate is trusted was not checked (European trusted lists not downloaded yet, or out of date); the rest of the signature was verified.
verify-certificate_signature_invalid = A certificate of the signing chain is forged or damaged: the signature cannot be relied on.
verify-certificate_expired = The signer's certificate had expired when it signed: the signature is not valid.
verify-certificate_not_yet_valid = The signer's certificate was not yet valid when it signed: the signature is not valid.
verify-revoked = The signer's certificate had been revoked before signing: the signature is not valid.
verify-revocation_unknown = The document does not carry what is needed to check whether the certificate had been revoked.
verify-no_timestamp = The signature has no timestamp: the signing time is not certified and the certificate was checked as of today.
verify-timestamp_invalid = The signature's timestamp is not valid: the signing time is not certified.
verify-original_changed = The signed document is not the one sent for signing: the file's first version differs from the uploaded PDF. Do not use it and check with the citizen.
verify-field_missing = One of the required signature fields is missing: the citizen did not sign every clause.
verify-field_unsigned = One of the required signature fields is not signed: the citizen did not sign every clause.

## verification kept with the request (timeline, notifications, the signed list and its export)

timeline-verified = Signature check: { $verdict }
settings-notify_kind-signature_invalid = the check of a signed document says “Signature not valid”
notification-signature_invalid-title = Signature not valid
notification-signature_invalid-body = { $title } – { $signer }: the check of the signed document failed. Open the request for the reasons.
notification-signature_invalid-anonymous = The check of a signed document failed: open FirmaDesk for the reasons.
notification-group-signature_invalid-title = { $count } signatures not valid
notification-group-signature_invalid-body = The check of some signed documents failed: open FirmaDesk for the reasons.
verification-alert = Warning: this document's signature is not valid. Do not consider it signed until the reasons below are cleared up.
verification-document = Document { $id }
verification-column = Signature check

## Printed sheets (issue #16): the citizen's sheet is always in Italian; the receipt in the clerk's language.
print-date_time = { $date } at { $time }
print-sheet-title = Sign the document with the IO app
print-sheet-intro = { $body } asks you to sign a document with Firma con IO, the free qualified electronic signature of the IO app.
print-sheet-document = Document
print-sheet-type = Type
print-sheet-signer = Signer
print-sheet-deadline = To be signed
print-sheet-deadline_value = by { $time } on { $date } (Italian time)
print-sheet-qr_caption = Scan the QR code with the camera of the phone where you have the IO app.
print-sheet-link_intro = Or open this link on your phone:
print-sheet-steps_title = How to sign
print-sheet-step_app = Open the IO app on your phone (if you do not have it, download it from the App Store or Google Play) and log in.
print-sheet-step_open = Scan the QR code or open the link: the signature request opens in the IO app. It is also in the message "Hai un documento da firmare", if the body sent you one.
print-sheet-step_read = Read the document and select the signatures requested.
print-sheet-step_sign = Confirm with your electronic identity card (CIE) and its PIN, as the app guides you.
print-sheet-step_done = The app will send you the message "Ecco i documenti firmati": the signed document stays in the IO app for 90 days.
print-sheet-free = Signing with IO is free of charge.
print-sheet-support = For information or help, write to { $email }.
print-sheet-support_office = For information or help, ask the office that gave you this sheet.
print-sheet-printed = Printed on { $when } · Request code: { $id }
print-receipt-title = Signature request receipt
print-receipt-body = Body
print-receipt-title_field = Title
print-receipt-type = Document type
print-receipt-signer = Signer
print-receipt-fiscal_code = Fiscal code
print-receipt-status = Status
print-receipt-created = Created on
print-receipt-published = Sent to IO on
print-receipt-deadline = Deadline
print-receipt-signed = Signed on
print-receipt-io_id = Firma con IO ID
print-receipt-reason = Reason
print-receipt-document = Document { $n }
print-receipt-audit = Audit trail
print-receipt-audit_note = Every operation on the request, in Italian time, with who performed it (FirmaDesk for automatic steps).
print-receipt-no_events = No operations recorded.
print-receipt-printed = Printed on { $when } by FirmaDesk.

## Protocol and records office (issue #14)
handoff-title = Protocol and records office
handoff-field-number = Number
handoff-field-date = Date
handoff-field-register = Register
handoff-field-classification = Classification
handoff-field-fascicolo = File (fascicolo)
handoff-field-reserved = Confidential
handoff-register_hint = For example «Protocollo generale» or «Repertorio contratti».
handoff-none = No protocol data.
handoff-edit = Edit protocol data
handoff-cancel = Cancel
handoff-save = Save protocol data
handoff-saved = Protocol data saved.
handoff-updated = Last changed by { $who } on { $when }
handoff-package = Package for the records office
handoff-package_hint = A ZIP file with the signed PDF exactly as downloaded, the metadata (XML and JSON), the signature check, the activity log and the SHA-256 of every file.
handoff-package_done = Package saved in
handoff-packages = Packages for the records office
handoff-mail_send = Send to the protocol mailbox
handoff-mail_queued = Package queued for the protocol mailbox.
handoff-mail_waiting = Package queued for { $to }: it leaves as soon as the mail server takes it.
handoff-mail_last_error = Attempts: { $attempts }. Last error: { $reason }. Next attempt: { $when }.
settings-mail_title = Protocol mailbox
settings-mail_help = The preservation packages of this profile's signed requests can be e-mailed (PEC or e-mail) to the body's protocol mailbox through its mail server. The connection is always encrypted (TLS); the password stays in the system keyring.
settings-mail_set = Set: packages go to { $to }.
settings-mail_unset = Not set for the active profile.
settings-mail_host = Mail server (SMTP or PEC)
settings-mail_host_help = For example smtps.pec.aruba.it
settings-mail_security = Secure connection
settings-mail_starttls = STARTTLS (usually port 587)
settings-mail_tls = TLS (usually port 465, PEC)
settings-mail_port = Port
settings-mail_username = User
settings-mail_password = Password
settings-mail_password_saved = Password saved in the keyring: leave empty to keep it.
settings-mail_from = Sender
settings-mail_to = Protocol mailbox
settings-mail_to_help = The address where the body's protocol registers what arrives.
settings-mail_ca = The body's certificate authority (PEM file, optional)
settings-mail_automatic = Send every signed request automatically
settings-mail_automatic_help = As soon as the signed document is archived, its package is queued for the protocol mailbox.
settings-mail_save = Save protocol mailbox
settings-mail_remove = Remove
settings-mail_saved = Protocol mailbox saved.
settings-mail_removed = Protocol mailbox removed.
