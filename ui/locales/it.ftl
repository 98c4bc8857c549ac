# FirmaDesk — Italian messages, the reference language (Project Fluent, https://projectfluent.org).
# One catalogue per language for the UI (@fluent/bundle) and for Rust (fluent-bundle in firmadesk-desk):
# every text a clerk can see. Ids are the UI's dotted keys with dashes (`nav.settings` -> `nav-settings`);
# errors are `errors-<area>-<reason>` by the desk's error code. Tests check that every language has the same
# messages with the same variables (crates/firmadesk-desk/src/i18n.rs, ui/tests/i18n.test.js).

## app

app-tagline = Richieste di firma con Firma con IO

## a11y

a11y-skip_to_content = Vai al contenuto

## nav

nav-label = Menu principale
nav-dashboard = Cruscotto
nav-settings = Impostazioni
nav-new = Nuova richiesta
nav-bulk = Invio da elenco
nav-pending = In attesa di firma
nav-signed = Firmati
nav-request = Dettaglio richiesta
nav-todo = Da fare

## sandbox

sandbox-banner_title = Modalità prova
sandbox-banner_text = Le richieste vanno al servizio di prova locale: nessun cittadino riceve messaggi.
sandbox-recovered = Lo stato salvato della modalità prova era danneggiato: ne è stata conservata una copia in { $path } e la modalità prova è ripartita da zero (le richieste di prova precedenti non sono più sul servizio di prova).

## dashboard

dashboard-title = Cruscotto
dashboard-intro = Prepara le richieste di firma, segui quelle in attesa e ritrova i documenti firmati.
dashboard-new_request = Nuova richiesta
dashboard-counters_title = Richieste
dashboard-counts-waiting = In attesa di firma
dashboard-counts-expiring = In scadenza
dashboard-counts-expired = Scadute
dashboard-counts-signed = Firmate
dashboard-counts-sending = In invio
dashboard-counts-drafts = Bozze
dashboard-counts-rejected = Rifiutate
dashboard-counts-cancelled = Annullate
dashboard-counts-failed = Non riuscite
dashboard-recent_title = Attività recente
dashboard-recent_empty = Nessuna attività: le richieste inviate compariranno qui.
dashboard-unavailable = Impossibile leggere l'archivio locale.
dashboard-untitled = (senza titolo)
dashboard-held_title = Conservate su questo computer ({ $count })
dashboard-held_intro = Il database dell'ufficio non era raggiungibile: queste richieste partono da sole appena la connessione torna. Non chiudere definitivamente questa postazione prima di allora.
dashboard-batches_title = Elenchi in invio
dashboard-held_problem = L'ufficio non le ha accettate: { $problem }
dashboard-sync_failed = Aggiornamento da Firma con IO non riuscito: { $message } I dati mostrati sono quelli dell'archivio locale.
dashboard-todo_title = Da fare
dashboard-todo_text = { $count ->
    [0] Nessuna richiesta ha bisogno di un intervento.
    [one] Una richiesta ha bisogno di un intervento.
   *[other] { $count } richieste hanno bisogno di un intervento.
}
dashboard-todo_open = Apri «Da fare»

## info

info-title = Informazioni
info-version = Versione
info-data_dir = Cartella dati
info-service = Servizio Firma con IO

## settings

settings-title = Impostazioni
settings-language = Lingua dell'interfaccia
settings-language_title = Lingua
settings-profiles_title = Profili di firma
settings-profiles_help = Ogni profilo è un accesso a Firma con IO: la modalità prova integrata oppure le chiavi di test e di produzione dell'ente. Le chiavi API sono conservate solo nel portachiavi di sistema: FirmaDesk non le mostra e non le salva altrove, si possono solo sostituire.
settings-profiles_unavailable = Impossibile leggere i profili di firma.
settings-environment = Ambiente
settings-environments-prova = Prova
settings-environments-test = Test
settings-environments-produzione = Produzione
settings-environment_help = Test per le prove con una chiave di test; Produzione per le richieste reali ai cittadini.
settings-base_url = Indirizzo del servizio
settings-base_url_help = Lasciare vuoto per usare l'indirizzo di Firma con IO in produzione.
settings-api_key = Chiave API
settings-key_present = presente
settings-key_missing = mancante
settings-key_help_new = La chiave dell'ente dal portale di Firma con IO (area riservata). Viene conservata solo nel portachiavi di sistema.
settings-key_help_edit = Lasciare vuoto per mantenere la chiave già salvata. Una nuova chiave sostituisce quella nel portachiavi di sistema.
settings-key_required = Inserire la chiave API del profilo.
settings-key_retype = Per sicurezza la chiave API digitata è stata cancellata dal campo: inserirla di nuovo.
settings-support_email = Email di supporto
settings-support_email_help = Facoltativa: l'indirizzo che i cittadini vedono nell'app IO per chiedere assistenza.
settings-testers = Codici fiscali dei tester
settings-testers_help = Con una chiave di test Firma con IO invia solo ai tester registrati nel portale: indicarne qui i codici fiscali (uno per riga) e FirmaDesk rifiuterà subito gli altri. Vuoto: decide il servizio.
settings-oidc_legend = Accesso dell'ente (OIDC)
settings-oidc_legend_optional = Accesso dell'ente (OIDC) — facoltativo
settings-oidc_help = Per l'accesso degli operatori con le credenziali dell'ente. Lasciare vuoto se non si usa.
settings-oidc_issuer = URL dell'emittente (issuer)
settings-oidc_client_id = Client ID
settings-oidc_scopes = Scope
settings-oidc_scopes_help = Separati da spazi, ad esempio: openid profile
settings-profile_active = Attivo per le nuove richieste
settings-activate = Usa per le nuove richieste
settings-activated = Profilo «{ $name }» attivo: le nuove richieste useranno questo profilo.
settings-verify = Verifica chiave
settings-verifying = Verifica della chiave in corso…
settings-edit = Modifica
settings-delete = Elimina
settings-delete_question = Eliminare il profilo «{ $name }» e la sua chiave API dal portachiavi? L'operazione non si può annullare.
settings-delete_yes = Sì, elimina il profilo
settings-delete_no = No, torna indietro
settings-deleted = Profilo «{ $name }» eliminato.
settings-form_new_title = Nuovo profilo
settings-form_edit_title = Modifica il profilo «{ $name }»
settings-form_name = Nome del profilo
settings-name_missing = Indicare un nome per il profilo.
settings-save_profile = Salva il profilo
settings-cancel_edit = Annulla la modifica
settings-profile_saved = Profilo «{ $name }» salvato.
settings-sandbox_title = Modalità prova
settings-outage_label = Simula servizio Firma con IO non disponibile
settings-outage_help = Simula un'interruzione del servizio per vedere come si comporta FirmaDesk: le richieste inviate nel frattempo restano in coda e gli invii in coda riprendono da soli quando la simulazione viene disattivata.
settings-outage_on = Servizio di prova non disponibile (simulazione attiva): i nuovi invii restano in coda.
settings-outage_off = Servizio di prova disponibile.
settings-team_title = Modalità ufficio
settings-team_help = In modalità ufficio le postazioni dell'ente condividono un database PostgreSQL: ognuna vede le richieste di tutte e un solo worker per chiave API le invia e le segue. La password resta solo nel portachiavi di sistema.
settings-team_url = Indirizzo del database
settings-team_url_help = Nella forma postgres://utente@server:5432/database, senza password.
settings-team_tls = Connessione cifrata (TLS)
settings-team_tls_help = Si può disattivare solo per un database su questo computer.
settings-team_ca = Certificato dell'autorità dell'ente (file PEM, facoltativo)
settings-team_password = Password del database
settings-team_password_saved = Lasciare vuoto per usare la password già salvata nel portachiavi.
settings-team_test = Prova connessione
settings-team_enable = Attiva la modalità ufficio
settings-team_disable = Torna alla postazione singola
settings-team_restart = Riavvia FirmaDesk ora
settings-team_probe = Connessione riuscita (PostgreSQL { $version }).
settings-team_schema_empty = Il database è vuoto: FirmaDesk lo preparerà al primo avvio.
settings-team_schema_current = Il database è pronto: contiene { $requests } richieste.
settings-team_schema_older = Il database sarà aggiornato al primo avvio ({ $pending } modifiche).
settings-team_schema_newer = Il database è stato aggiornato da una versione più recente di FirmaDesk: aggiornare FirmaDesk su questo computer.
settings-team_active = Questa postazione lavora sul database dell'ufficio: { $url }
settings-team_inactive = Questa postazione usa il proprio archivio locale.
settings-team_restart_needed = La modifica vale dal prossimo avvio di FirmaDesk.
team-banner = Il database dell'ufficio non è stato aperto: { $reason } FirmaDesk mostra l'archivio di questo computer e non invia richieste; riavviarlo quando il problema è risolto.
team-offline = Il database dell'ufficio non è raggiungibile: questi sono i dati visti alle { $time }, in sola lettura. FirmaDesk si aggiorna da solo quando la connessione torna.
settings-roles_title = Ruoli nell'ufficio
settings-role_mine = Su questa postazione: { $identity }, { $role }.
settings-role_amministratore = amministratore
settings-role_operatore = operatore
settings-role_identity = Operatore (email di accesso, oppure utente@computer)
settings-role_label = Ruolo
settings-role_set = Assegna il ruolo
settings-role_saved = Ruolo assegnato.
settings-team_move = Trasferisci i dati di questa postazione
settings-team_move_help = Una volta sola, in un database dell'ufficio ancora vuoto: le richieste, la cronologia, i modelli e i documenti firmati che questa postazione teneva per sé. Le chiavi API restano nel portachiavi di ogni computer.
settings-team_moved = Trasferite { $requests } richieste e { $files } documenti firmati ({ $missing } non più presenti su questo computer).
settings-templates_title = Tipi di documento e modelli
settings-templates_help = Ogni tipo di documento porta il titolo del suo dossier su IO, un'eventuale email di supporto sua e il suo modello: i documenti e i campi di firma che ogni PDF di quel tipo riceve da sé. I quattro tipi iniziali hanno un campo di firma in fondo all'ultima pagina. Si creano e modificano qui, oppure dal modulo della nuova richiesta con «Salva documenti e campi come modello del tipo scelto»; si condividono tra uffici con un file: l'ente lo prepara una volta, gli uffici lo importano.
settings-template_fields = { $count ->
    [one] modello con 1 campo di firma
   *[other] modello con { $count } campi di firma
}
settings-template_none = nessun modello
settings-templates_export = Esporta i modelli
settings-templates_import = Importa modelli…
settings-templates_exported = { $count } tipi di documento esportati in { $path }
settings-templates_imported = { $count } tipi di documento importati.
types-new = Nuovo tipo di documento
types-edit = Modifica
types-duplicate = Duplica
types-remove = Elimina
types-restore = Ripristina
types-cancel = Annulla
types-archived = archiviato
types-dossier = dossier IO «{ $title }»
types-support = assistenza { $email }
types-copy_of = { $name } (copia)
types-duplicate_name = Nome del nuovo tipo
types-duplicate_confirm = Crea la copia
types-duplicated = Tipo «{ $name }» creato: ha lo stesso dossier, email di supporto e modello.
types-remove_question = Eliminare il tipo «{ $name }»?
types-remove_help = Se con questo tipo sono già state inviate richieste, viene archiviato: non è più proposto per le nuove richieste, e le richieste inviate restano come sono. Si può ripristinare.
types-removed = Tipo «{ $name }» eliminato.
types-archived_done = Tipo «{ $name }» archiviato: è usato da richieste inviate, quindi resta per la loro cronologia ma non è più proposto.
types-restored = Tipo «{ $name }» di nuovo disponibile per le nuove richieste.
types-name = Nome del tipo
types-name_help_new = Il nome con cui gli operatori scelgono il tipo (ad esempio «Delibera»); non si cambia dopo il primo salvataggio.
types-name_help = Il nome non si cambia: le richieste inviate lo riportano. Per un nome diverso, duplicare il tipo.
types-title = Titolo del dossier su IO
types-email = Email di supporto per i cittadini
types-email_placeholder = quella del profilo
types-email_help = Vuota: si usa quella del profilo. Cambiare titolo o email crea un nuovo dossier su IO al prossimo invio; le richieste già inviate restano nel loro.
types-retention = Tempo di conservazione (anni)
types-retention_help = Quello del massimario di scarto dell'ente per questo tipo di documento. Va nei metadati del pacchetto per la conservazione (TempoDiConservazione); vuoto: lo stabilisce l'ufficio protocollo.
types-retention_line = conservazione { $years } anni
types-problem_retention = Il tempo di conservazione è un numero intero di anni da 1 a 999, o vuoto.
types-has_template = Il tipo ha un modello (documenti e campi di firma già posizionati)
types-save = Salva il tipo
types-editing = Modifica di «{ $name }»
types-count = { $count } di { $max } caratteri
types-saved = Tipo «{ $name }» salvato.
types-documents = Documenti del modello
types-document_n = Documento { $n }
types-document_add = Aggiungi documento
types-document_remove = Rimuovi questo documento
types-document_title = Titolo del documento
types-document_title_placeholder = vuoto: dal nome del file
types-pages = Pagine del campione
types-from_end = Sono le ultime pagine del documento (firma in fondo, qualunque sia la lunghezza)
types-sample = Pagina { $page } di { $pages } del campione
types-sample_help = Trascinare un campo con il mouse, oppure selezionarlo e spostarlo con le frecce (Maiusc: 10 punti).
types-field_box = Campo { $n }: { $title }
types-field_n = Campo { $n }
types-field_show = Mostra sulla pagina
types-field_remove = Rimuovi il campo
types-field_add = Aggiungi campo (al massimo { $max })
types-page = Pagina
types-page_n = Pagina { $n }
types-coord_x = Da sinistra (pt)
types-coord_y = Dall'alto (pt)
types-coord_w = Larghezza (pt)
types-coord_h = Altezza (pt)
types-clause_type = Tipo di clausola
types-clause_title = Titolo della clausola
types-problem_name = Il nome deve avere da 1 a { $max } caratteri.
types-problem_title = Il titolo del dossier deve avere da { $min } a { $max } caratteri (ne ha { $count }).
types-problem_email = L'email di supporto non è un indirizzo valido.
types-problem_document_title = Documento { $doc }: il titolo deve avere da { $min } a { $max } caratteri, oppure restare vuoto.
types-problem_fields = Documento { $doc }: da 1 a { $max } campi di firma.
types-problem_outside = Documento { $doc }, campo { $field }: esce dalla pagina.
types-problem_clause_type = Documento { $doc }, campo { $field }: tipo di clausola non valido.
types-problem_clause = Documento { $doc }, campo { $field }: il titolo della clausola deve avere da { $min } a { $max } caratteri.
bulk-title = Invio da elenco
bulk-intro = Lo stesso tipo di documento a molti cittadini, da un elenco esportato dall'anagrafe o da un foglio di calcolo (CSV o Excel). Prima di tutto la verifica, riga per riga: in questa fase non viene inviato nulla.
bulk-step_list = 1. Tipo di documento ed elenco
bulk-type = Tipo di documento
bulk-type_choose = Scegliere il tipo…
bulk-file_pick = Scegli l'elenco (CSV o Excel)…
bulk-reading = Lettura di { $name }…
bulk-format_csv = CSV, separatore «{ $separator }», { $encoding }
bulk-format_xlsx = Excel, foglio «{ $sheet }»
bulk-file_info = { $name }: { $count ->
    [one] 1 riga
   *[other] { $count } righe
} ({ $kind })
bulk-step_columns = 2. Colonne dell'elenco
bulk-columns_help = FirmaDesk ha riconosciuto le colonne dai loro titoli: controllarle e correggerle se serve. Servono il codice fiscale e il nome (intero, oppure nome e cognome).
bulk-column_none = — nessuna —
bulk-role_full_name = Nominativo (nome e cognome)
bulk-role_name = Nome
bulk-role_surname = Cognome
bulk-role_fiscal_code = Codice fiscale
bulk-role_email = Email
bulk-role_pdf = PDF di ogni riga (nome del file)
bulk-role_protocol = Protocollo
bulk-pdf_folder_pick = Scegli la cartella dei PDF…
bulk-pdf_folder_none = nessuna cartella scelta: i PDF delle righe risulteranno mancanti
bulk-problem_no_code = Indicare la colonna del codice fiscale.
bulk-problem_no_name = Indicare la colonna del nominativo, oppure quelle di nome e cognome.
bulk-problem_no_type = Scegliere il tipo di documento.
bulk-check = Verifica l'elenco
bulk-checking = Verifica di { $count } righe in corso…
bulk-shared_title = Documento per tutti
bulk-shared_help = Lo stesso PDF per ogni riga: FirmaDesk lo controlla come Firma con IO e vi posiziona i campi del modello del tipo scelto. Per un PDF diverso per ogni riga, indicare la colonna con il nome del file.
bulk-shared_pick = Scegli il PDF…
bulk-shared_accepted = { $name }: { $pages ->
    [one] 1 pagina
   *[other] { $pages } pagine
}, accettato da Firma con IO.
bulk-shared_refused = { $name } non è accettato da Firma con IO: { $reason }
bulk-shared_fields = { $count ->
    [one] 1 campo di firma del modello
   *[other] { $count } campi di firma del modello
} (pagina { $pages }).
bulk-shared_no_fields = Il tipo scelto non ha un modello: nessun campo di firma verrebbe posizionato. Aggiungerne uno in Impostazioni › Tipi di documento e modelli.
bulk-step_report = 3. Esito della verifica
bulk-count_ready = { $count ->
    [one] 1 pronta
   *[other] { $count } pronte
}
bulk-count_warnings = { $count } con avvisi
bulk-count_errors = { $count ->
    [one] 1 errata
   *[other] { $count } errate
}
bulk-errors_help = Le righe errate restano escluse finché non vengono corrette: usare «Correggi» sulla riga, oppure correggere l'elenco e caricarlo di nuovo. Le righe con avvisi vanno controllate.
bulk-nothing_sent = Nessuna riga errata. Nulla è stato inviato.
bulk-filter = Mostra
bulk-filter_problems = Righe da controllare
bulk-filter_errors = Solo righe errate
bulk-filter_all = Tutte le righe
bulk-save_report = Salva il resoconto (CSV)
bulk-report_saved = Resoconto salvato in { $path }
bulk-no_rows_shown = Nessuna riga da mostrare con questo filtro.
bulk-more_rows = Altre { $count } righe non mostrate: sono tutte nel resoconto CSV.
bulk-col_line = Riga
bulk-col_name = Nominativo
bulk-col_code = Codice fiscale
bulk-col_birthplace = Luogo di nascita
bulk-col_outcome = Esito
bulk-col_problems = Da controllare
bulk-col_action = Azione
bulk-outcome_ready = pronta
bulk-outcome_warning = con avvisi
bulk-outcome_error = errata
bulk-fix = Correggi
bulk-fix_save = Correggi e verifica di nuovo
bulk-step_send = 4. Invio
bulk-send_help = Ogni riga pronta o con avvisi diventa una richiesta, con il documento per tutti e i suoi campi di firma. L'invio procede al ritmo consentito dalla chiave di Firma con IO; si può mettere in pausa, riprendere o fermare. Se FirmaDesk viene chiuso, l'invio riprende alla riapertura, senza inviare due volte la stessa riga.
bulk-send_title = Titolo di ogni richiesta
bulk-send_expires = Scadenza
bulk-send = { $count ->
    [one] Invia a 1 cittadino…
   *[other] Invia a { $count } cittadini…
}
bulk-send_confirm = { $count ->
    [one] Confermare l'invio di «{ $title }» a 1 cittadino? Riceverà il messaggio nell'app IO.
   *[other] Confermare l'invio di «{ $title }» a { $count } cittadini? Ognuno riceverà il messaggio nell'app IO.
}
bulk-send_confirm_yes = { $count ->
    [one] Sì, invia a 1 cittadino
   *[other] Sì, invia a { $count } cittadini
}
bulk-send_confirm_no = Annulla
bulk-send_started = { $count ->
    [one] Invio avviato: 1 richiesta.
   *[other] Invio avviato: { $count } richieste.
}
bulk-send_no_report = Verificare prima l'elenco.
bulk-send_no_rows = Nessuna riga è pronta da inviare.
bulk-send_no_folder = Scegliere la cartella dei PDF delle righe.
bulk-send_no_template = Il tipo scelto non ha un modello: i campi di firma dei PDF delle righe vengono dal modello. Aggiungerlo in Impostazioni › Tipi di documento e modelli.
bulk-send_no_document = Scegliere il documento per tutti.
bulk-send_document_refused = Il documento scelto non è accettato da Firma con IO: sceglierne un altro.
bulk-send_no_fields = Il documento non ha campi di firma: aggiungere un modello al tipo di documento in Impostazioni › Tipi di documento e modelli.
bulk-progress_title = Invio dell'elenco «{ $name }»
bulk-progress_text = { $done } righe su { $total }
bulk-state_sending = Invio in corso
bulk-state_paused = In pausa: le righe non ancora avviate attendono
bulk-state_done = Invio concluso
bulk-state_stopped = Invio fermato: le righe non avviate non sono state inviate
bulk-count_sent = { $count ->
    [one] 1 inviata
   *[other] { $count } inviate
}
bulk-count_failed = { $count ->
    [one] 1 non riuscita o esclusa
   *[other] { $count } non riuscite o escluse
}
bulk-count_left = { $count } da inviare
bulk-eta_seconds = circa { $count } s al termine
bulk-eta_minutes = circa { $count } min al termine
bulk-eta_hours = circa { $hours } h { $minutes } min al termine
bulk-pause = Pausa
bulk-resume = Riprendi
bulk-stop = Ferma l'invio
bulk-pause_done = Invio in pausa.
bulk-resume_done = Invio ripreso.
bulk-stop_done = Invio fermato.
bulk-final_report = Salva il resoconto finale (CSV)
bulk-failed_rows = Righe non riuscite o escluse
bulk-col_reason = Motivo
bulk-batches_title = Elenchi inviati
bulk-batches_none = Nessun elenco inviato con questo profilo.
bulk-batch_line = { $type } · { $when } · { $who }
settings-archive_title = Archivio
settings-archive_help = FirmaDesk scarica i documenti firmati appena il cittadino firma e li conserva in questa cartella.
settings-archive_dir = Cartella dell'archivio
settings-open_archive = Apri la cartella
settings-archive_change = Cambia cartella…
settings-archive_change_help = I documenti firmati da ora in poi saranno salvati nella nuova cartella; quelli già archiviati restano dove sono.
settings-archive_changed = Cartella dell'archivio cambiata: { $path }
settings-autostart_title = Avvio
settings-autostart_label = Avvia FirmaDesk all'accesso al computer
settings-autostart_help = FirmaDesk si avvia nascosto nell'area di notifica e segue le richieste senza aprire la finestra; si apre dall'icona. Disattivato se non lo si sceglie.
settings-autostart_on = FirmaDesk si avvierà all'accesso.
settings-autostart_off = FirmaDesk non si avvierà all'accesso.
settings-notifications_title = Notifiche
settings-notifications_help = Le notifiche del sistema avvisano anche quando la finestra di FirmaDesk non è in primo piano.
settings-notifications_label = Mostra le notifiche sul desktop
settings-notifications_on = Notifiche sul desktop attivate.
settings-notifications_off = Notifiche sul desktop disattivate.
settings-notify_kinds_legend = Avvisa quando
settings-notify_kind-signed = un documento è firmato
settings-notify_kind-rejected = una firma non è completata
settings-notify_kind-expiring = una richiesta scade entro 48 ore
settings-notify_kind-expired = una richiesta è scaduta senza firma
settings-notify_kind-send_failed = un invio non riesce o un documento va corretto
settings-notify_kind-archive_failed = un documento firmato non può essere archiviato
settings-quiet_label = Ore di silenzio
settings-quiet_from = Dalle
settings-quiet_to = Alle
settings-quiet_help = Durante le ore di silenzio (ora di questo computer) le notifiche sono trattenute e mostrate tutte insieme, raggruppate, quando finiscono.
settings-quiet_missing = Indicare l'ora di inizio e quella di fine delle ore di silenzio.
settings-notify_saved = Preferenze delle notifiche salvate.
settings-add_profile = Aggiungi un profilo
settings-cancel_new = Annulla
settings-hide_names_label = Nascondi i nomi dei cittadini nelle notifiche
settings-hide_names_help = Se non è selezionato, i nomi sono nascosti per i profili con accesso dell'ente e mostrati per gli altri. Senza un accesso valido i nomi non compaiono mai.

## languages

languages-it = Italiano
languages-en = English

## common

common-loading = Caricamento…

## status

status-draft = Bozza
status-sending = In invio
status-queued = In coda
status-waiting = In attesa di firma
status-signed = Firmata
status-rejected = Rifiutata
status-cancelled = Annullata
status-failed = Non riuscita

## expiry

expiry-expiring = In scadenza
expiry-expired = Scaduta

## steps

steps-ensure_dossier = Preparazione del dossier
steps-resolve_signer = Verifica del firmatario
steps-create_request = Creazione della richiesta
steps-upload = Caricamento dei documenti
steps-wait_validation = Controllo dei documenti da parte di Firma con IO
steps-publish = Pubblicazione della richiesta
steps-wait_published = Attesa della pubblicazione
steps-notify = Invio del messaggio su IO
steps-waiting = In attesa della firma del cittadino
steps-needs_edit = Documento da correggere
steps-failed = Invio non riuscito
steps-cancel = Annullamento della richiesta

## clause

clause-REQUIRED = Obbligatoria
clause-UNFAIR = Vessatoria
clause-OPTIONAL = Facoltativa

## list

list-search = Cerca
list-search_placeholder = Nome, codice fiscale o titolo
list-filter = Mostra
list-sort = Ordina per
list-type = Tipo di documento
list-all_types = Tutti i tipi
list-from = Create dal
list-to = Create fino al
list-scope = Profilo
list-scope_active = Profilo attivo
list-all_profiles = Tutti i profili
list-profile_line = Profilo: { $name }
list-clear = Azzera i filtri
list-no_match_filters = Nessuna richiesta corrisponde ai filtri scelti.
list-order = Ordine
list-ascending = Crescente
list-descending = Decrescente
list-filters-waiting = In attesa di firma
list-filters-expiring = In scadenza
list-filters-expired = Scadute
list-filters-sending = In invio o in coda
list-filters-draft = Bozze
list-filters-failed = Non riuscite
list-filters-rejected = Rifiutate
list-filters-cancelled = Annullate
list-filters-all = Tutte
list-filters-signed = Firmate
list-sorts-expires_at = Scadenza
list-sorts-updated = Ultima modifica
list-sorts-signer_name = Firmatario
list-sorts-created = Data di creazione
list-total = { $count ->
    [one] 1 richiesta
   *[other] { $count } richieste
}
list-total_at_least = Più di { $count } richieste: restringere la ricerca con i filtri
list-empty = Nessuna richiesta in questo elenco.
list-no_match = Nessuna richiesta corrisponde alla ricerca.
list-unavailable = Impossibile leggere l'elenco dall'archivio locale.
list-more = Mostra altre
list-open = Apri
list-col_request = Richiesta
list-col_signer = Firmatario
list-col_status = Stato
list-col_deadline = Scadenza
list-col_updated = Aggiornata
list-col_actions = Azioni
list-col_signed_at = Firmata il
list-col_archive = Archivio
list-archived = Archiviata
list-not_archived = Da archiviare
list-col_select = Selezione
list-select_all = Seleziona tutti
list-select_row = Seleziona «{ $title }» ({ $signer })
list-export_csv = Esporta elenco CSV
list-export_zip = Esporta PDF in ZIP
list-export_selected = { $count ->
    [one] Si esporta la richiesta selezionata.
   *[other] Si esportano le { $count } richieste selezionate.
}
list-export_visible = { $count ->
    [one] Nessuna selezione: si esporta la richiesta mostrata.
   *[other] Nessuna selezione: si esportano tutte le { $count } richieste mostrate.
}
list-exporting = Esportazione in corso…
list-export_saved_in = File salvato in
list-export_count = { $count ->
    [one] 1 richiesta esportata
   *[other] { $count } richieste esportate
}
list-export_reveal = Apri la cartella

## pending

pending-title = In attesa di firma
pending-intro = Le richieste inviate ai cittadini e non ancora firmate, con la loro scadenza.

## drafts (set aside with "Metti da parte", listed under "Bozze")

drafts-set_aside = Metti da parte
drafts-set_aside_help = Conserva questa bozza tra le Bozze per riprenderla più tardi e ricomincia con un modulo vuoto.
drafts-set_aside_done = Bozza «{ $label }» messa da parte: la ritrovi tra le Bozze.
drafts-open_list = Vai alle bozze
drafts-title = Bozze non inviate
drafts-intro = Le richieste messe da parte su questo computer e non ancora inviate.
drafts-empty = Nessuna bozza messa da parte.
drafts-unavailable = Impossibile leggere le bozze messe da parte.
drafts-untitled = Bozza senza titolo
drafts-no_signer = Firmatario non indicato
drafts-no_type = Tipo non scelto
drafts-documents = { $count ->
    [one] 1 documento
   *[other] { $count } documenti
}
drafts-saved_at = messa da parte il { $when }
drafts-missing = { $count ->
    [one] Documento non più conservato, da aggiungere di nuovo: { $names }
   *[other] Documenti non più conservati, da aggiungere di nuovo: { $names }
}
drafts-resume = Riprendi
drafts-delete = Elimina
drafts-delete_question = Eliminare la bozza «{ $label }»?
drafts-delete_text = La bozza non si potrà recuperare.
drafts-delete_confirm = Elimina la bozza
drafts-delete_cancel = Annulla
drafts-deleted = Bozza «{ $label }» eliminata.
drafts-resumed = Bozza «{ $label }» ripresa.
drafts-resumed_previous = Bozza «{ $label }» ripresa; quella che stavi compilando è stata messa da parte tra le Bozze.

## signed

signed-title = Firmati
signed-intro = Le richieste firmate e i documenti salvati nell'archivio.

## new

new-title = Nuova richiesta
new-intro = Compila i dati, aggiungi i PDF e indica dove il cittadino deve firmare.
new-section_request = Richiesta
new-document_type = Tipo di documento
new-document_type_choose = Scegli il tipo di documento
new-document_type_new = Crea un nuovo tipo di documento
new-document_type_name = Nome del tipo (es. Accordo)
new-document_type_dossier = Titolo del dossier su IO
new-document_type_dossier_help = Da 3 a 60 caratteri: il cittadino lo vede nell'app IO.
new-document_type_save = Salva il tipo
new-document_type_cancel = Annulla
new-document_type_saved = Tipo di documento «{ $name }» salvato e scelto.
new-document_type_name_invalid = Il nome del tipo deve avere da 1 a 60 caratteri.
new-document_type_dossier_invalid = Il titolo del dossier deve avere da 3 a 60 caratteri.
new-document_type_dossier_is = Dossier su IO: «{ $title }»
new-document_type_none = Non ci sono ancora tipi di documento: creane uno.
new-reopened_fix = Correzione di «{ $title }»: inviandola si crea una nuova richiesta collegata a quella ferma.
new-reopened_duplicate = Copia di «{ $title }»: si invierà come nuova richiesta.
new-reopened_same_signer = Nuova richiesta per il firmatario di «{ $title }».
new-reopened_reason = Motivo: { $reason }
new-reopened_missing = Documenti non più conservati, da aggiungere di nuovo: { $names }
new-save_template = Salva documenti e campi come modello del tipo scelto
new-template_saved = Modello del tipo «{ $type }» salvato: i prossimi PDF di questo tipo avranno gli stessi campi.
new-template_applied = Campi del modello «{ $type }» applicati ai documenti.
new-template_notes = Differenze rispetto al modello
new-template_missing_page = Il campo «{ $clause }» è a pagina { $page }, che questo PDF non ha: disegnarlo di nuovo.
new-template_moved = Il campo «{ $clause }» (pagina { $page }) non entrava nella pagina ed è stato spostato: controllarlo.
new-template_other_size = La pagina { $page } ha un formato diverso dal modello: controllare la posizione del campo «{ $clause }».
new-template_page_count = Il modello ha { $expected } pagine, questo PDF { $actual }: controllare i campi.
new-request_title = Titolo della richiesta
new-request_title_help = Da 3 a 60 caratteri. Proposto dal tipo di documento e dal primo documento: si può cambiare.
new-document_fallback_title = Documento { $n }
new-char_count = { $count }/{ $max }
new-section_signer = Firmatario
new-signer_name = Nome e cognome
new-signer_book_help = Firmatari già usati: sceglierne uno per compilare nome e codice fiscale.
new-fiscal_code = Codice fiscale
new-fiscal_code_invalid = Codice fiscale non valido.
new-fiscal_code_ok = Codice fiscale valido: { $details }. Verificare che corrisponda al firmatario.
new-fiscal_code_name_mismatch = Le lettere del codice fiscale non corrispondono a nome e cognome indicati: verificare di non aver scambiato il codice con quello di un'altra persona (per cognomi acquisiti o nomi stranieri può essere corretto).
new-fiscal_code_confirm = Ho verificato: il codice fiscale è quello di questo firmatario
new-born_in = luogo di nascita { $place }
new-birthplace_not_at_birth = Il codice catastale { $code } ({ $place }) non era in uso alla data di nascita: verificare il codice sul documento del cittadino.
new-birthplace_unknown = Il codice catastale { $code } non corrisponde a nessun comune o stato estero noto: verificare il codice sul documento del cittadino.
new-born_on = nato/a il { $date }
new-sex_M = sesso maschile
new-sex_F = sesso femminile
new-belfiore = codice comune { $code }
new-section_delivery = Scadenza e consegna
new-expires_at = Scadenza
new-expires_citizen = Il cittadino leggerà: «{ $text }».
new-expires_empty = Senza data si applica la scadenza predefinita del servizio (90 giorni).
new-expires_invalid = Data non valida.
new-expires_past = La scadenza è già passata: scegliere una data da oggi in poi.
new-delivery = Come arriva la richiesta al cittadino
new-delivery_io = Messaggio nell'app IO
new-delivery_qr = Solo QR code allo sportello
new-section_documents = Documenti
new-drop_hint = Trascina i PDF in un punto qualsiasi della finestra oppure scegli i file.
new-pdf_input = Aggiungi documenti PDF
new-pdf_not_kept = { $name }: la copia del documento non è più conservata, aggiungerlo di nuovo.
new-pdf_not_pdf = «{ $name }» non è un PDF: si possono aggiungere solo file PDF.
new-pdf_failed = «{ $name }»: { $message }
new-importing = Caricamento di { $names }…
new-docs_added = { $count ->
    [one] 1 documento aggiunto.
   *[other] { $count } documenti aggiunti.
}
new-docs_refused = { $count ->
    [one] 1 file non aggiunto: vedere il messaggio di errore.
   *[other] { $count } file non aggiunti: vedere i messaggi di errore.
}
new-document_removed = Documento «{ $name }» rimosso.
new-remove_document = Rimuovi
new-editing = Campi in modifica
new-pages = { $count ->
    [one] 1 pagina
   *[other] { $count } pagine
}
new-fields_count = { $count ->
    [one] 1 campo di firma
   *[other] { $count } campi di firma
}
new-doc_title = Titolo del documento
new-doc_title_help = Da 3 a 60 caratteri: il cittadino lo vede nell'app IO.
new-findings = Controlli sul documento
new-severity-error = Errore
new-severity-warning = Attenzione
new-severity-info = Nota
new-page_n = pagina { $page }
new-service_refuses = Firma con IO non accetterebbe questo documento.
new-pdfa_missing = Il documento non è in formato PDF/A: le Linee guida AgID lo preferiscono per la conservazione. Se possibile, salvarlo come PDF/A prima di inviarlo (dopo la firma non si può più convertire).
new-section_protocol = Dati di protocollo (facoltativi)
new-protocol_help = Se il documento è già protocollato, il numero dà il nome al file firmato nell'archivio e va nel pacchetto per la conservazione. Si possono indicare anche dopo, nel dettaglio della richiesta.
new-section_fields = Campi di firma
new-placement_empty = Aggiungi un documento per indicare dove il cittadino deve firmare.
new-placing_on = Documento: { $name }
new-page = Pagina
new-page_of = { $page } di { $count }
new-page_prev = Pagina precedente
new-page_next = Pagina successiva
new-thumbs_label = Miniature delle pagine
new-thumbs_help = Frecce, Inizio e Fine per passare da una miniatura all'altra; Invio o Spazio mostra la pagina nell'anteprima.
new-thumb_label = Pagina { $page }
new-zoom = Zoom
new-zoom_in = Ingrandisci
new-zoom_out = Riduci
new-add_field = Aggiungi un campo al centro
new-preview_help = Trascina sulla pagina per disegnare un campo di firma; trascina un campo per spostarlo, il suo angolo in basso a destra per ridimensionarlo. Da tastiera, sull'anteprima: Invio o N aggiunge un campo al centro, le frecce spostano il campo selezionato di 1 pt (con Maiusc di 10 pt), Canc lo elimina, Esc annulla la selezione; con Tab si raggiungono le coordinate.
new-preview_label = Anteprima della pagina { $page } di { $count }
new-preview_loading = Caricamento dell'anteprima…
new-preview_failed = Anteprima non disponibile: { $message }
new-page_image = Pagina { $page } di { $count } di «{ $name }»
new-field_box = Campo di firma { $n }: x { $x }, y { $y }, { $w } × { $h } pt, «{ $title }»
new-field_added = Campo { $n } aggiunto a pagina { $page }: x { $x }, y { $y }, { $w } × { $h } pt.
new-field_removed = Campo { $n } eliminato.
new-field_position = Posizione: x { $x }, y { $y }.
new-fields_title = Campi di firma del documento ({ $count })
new-no_fields = Nessun campo: disegnane uno sull'anteprima.
new-field_item = Campo { $n } · pagina { $page } · { $type }
new-select_hint = Seleziona un campo per modificarne posizione e clausola.
new-field_selected = Campo { $n } (pagina { $page })
new-units_help = In punti PDF (1/72 di pollice), dall'angolo in alto a sinistra della pagina.
new-field_x = X (pt)
new-field_y = Y (pt)
new-field_w = Larghezza (pt)
new-field_h = Altezza (pt)
new-clause_type = Tipo di clausola
new-clause_title = Titolo della clausola
new-clause_title_help = Da 5 a 80 caratteri: il cittadino lo legge accanto alla firma.
new-remove_field = Elimina il campo
new-acro_title = Campi di firma già presenti nel PDF
new-acro_item = «{ $name }», pagina { $page }
new-acro_use = Usa questo campo
new-acro_used = Già usato
new-acro_signed = Già firmato
new-submit = Richiedi firma
new-submitting = Invio in corso…
new-submitted = Richiesta salvata: invio a Firma con IO in corso.
new-held = Il database dell'ufficio non è raggiungibile: la richiesta è conservata su questo computer e partirà da sola appena la connessione torna.
new-ready = Tutto pronto: la richiesta può essere inviata.
new-missing = Per richiedere la firma:
new-problems-document_type = scegliere il tipo di documento
new-problems-title = scrivere il titolo della richiesta (da 3 a 60 caratteri)
new-problems-signer_name = indicare nome e cognome del firmatario
new-problems-fiscal_code = inserire un codice fiscale valido
new-problems-fiscal_code_name = confermare il codice fiscale le cui lettere non corrispondono al nome
new-problems-expires_at = scegliere una scadenza da oggi in poi
new-problems-delivery = scegliere come consegnare la richiesta
new-problems-importing = attendere la fine del caricamento dei documenti
new-problems-documents = aggiungere almeno un documento PDF
new-problems-doc_title = dare a ogni documento un titolo da 3 a 60 caratteri
new-problems-doc_errors = sostituire i documenti che Firma con IO non accetterebbe
new-problems-fields = disegnare almeno un campo di firma
new-problems-clause_title = dare a ogni campo un titolo della clausola da 5 a 80 caratteri
new-problems-clause_type = scegliere il tipo di ogni clausola
new-problems-optional_only = in ogni documento almeno un campo deve essere obbligatorio o vessatorio
new-problems-field_bounds = riportare ogni campo dentro la sua pagina

## request

request-title = Dettaglio richiesta
request-unavailable = Impossibile leggere la richiesta dall'archivio locale.
request-reject_reason = Motivo del rifiuto
request-send_failed = Invio non riuscito
request-send_title = Invio in corso
request-send_queued_title = Invio in coda
request-step_done = completato
request-step_current = in corso
request-step_todo = da fare
request-upload_progress = Caricamento del documento { $document } di { $count }
request-upload_done = Documenti caricati
request-queued = Invio sospeso: { $message } FirmaDesk riproverà da solo.
request-next_attempt = Prossimo tentativo: { $when }
request-attempts = Tentativi: { $count }
request-sandbox_group = Simulazione del cittadino (modalità prova)
request-simulate_sign = Simula firma del cittadino
request-simulate_reject = Simula errore di firma
request-simulated_sign = Firma simulata: lo stato si aggiorna a breve.
request-simulated_reject = Errore di firma simulato: lo stato si aggiorna a breve.
request-cancel = Annulla richiesta
request-cancel_question = Annullare la richiesta? Il cittadino non potrà più firmare e l'annullamento non si può revocare.
request-cancel_yes = Sì, annulla la richiesta
request-cancel_no = No, torna indietro
request-cancelled = Richiesta annullata.
request-data_title = Dati della richiesta
request-document_type = Tipo di documento
request-signer = Firmatario
request-fix_and_resend = Correggi e reinvia
request-duplicate = Duplica
request-same_signer = Nuova richiesta per lo stesso firmatario
request-reuse_question = Nel modulo c'è già una richiesta in preparazione: sostituirla?
request-reuse_replace = Sostituisci
request-reuse_keep = Mantieni quella in preparazione
request-open_linked = Apri l'altra richiesta
request-fiscal_code = Codice fiscale
request-delivery = Consegna
request-expires_at = Scadenza
request-no_deadline = Predefinita del servizio
request-created_at = Creata
request-updated_at = Ultimo aggiornamento
request-published_at = Pubblicata
request-signed_at = Firmata
request-io_status = Stato su Firma con IO
request-io_request_id = ID su Firma con IO
request-local_id = ID locale
request-deliveries-io_message = Messaggio nell'app IO
request-deliveries-qr_only = Solo QR code allo sportello
request-deliveries-both = Messaggio nell'app IO e QR code
request-documents_title = Documenti
request-field_at = Pagina { $page }, x { $x }, y { $y }, { $w } × { $h } pt
request-field_existing = Campo del PDF «{ $name }»
request-no_fields = Nessun campo: il cittadino firma in modo invisibile l'intero documento.
request-archive_title = Documenti firmati archiviati
request-archive_none = Nessun documento firmato, per ora.
request-archive_pending = Firma completata: archiviazione dei documenti in corso.
request-copy_path = Copia percorso
request-path_copied = Percorso copiato.
request-copy_failed = Impossibile copiare il percorso.
request-timeline_title = Cronologia
request-timeline_empty = Nessun evento registrato.
request-action_pending = Operazione inviata: in attesa dell'aggiornamento da Firma con IO…
request-show_qr = Firma allo sportello
request-qr_title = Firma allo sportello
request-qr_alt = Codice QR per firmare «{ $title }»
request-qr_instructions = Inquadra il codice con la fotocamera del telefono per firmare con l'app IO
request-qr_close = Chiudi
request-qr_moved = La richiesta ora è: { $status }.
request-copy_link = Copia link di firma
request-link_copied = Link copiato
request-print_sheet = Stampa foglio per il cittadino
request-print_receipt = Ricevuta e registro (PDF)
request-printed_opened = PDF aperto nel lettore per la stampa e salvato in:
request-printed_saved = PDF salvato: aprirlo con un lettore PDF per stamparlo. Si trova in:
request-printed_reveal = Mostra nella cartella
request-link_not_ready = Il link di firma non è disponibile: c'è solo mentre la richiesta è in attesa di firma su Firma con IO.
request-link_expired = La richiesta è scaduta: il link di firma non vale più. Usare «Correggi e reinvia».
request-link_copy_failed = Impossibile copiare il link: selezionarlo in «Link di firma» tra i dati della richiesta e copiarlo a mano.
request-signing_link = Link di firma
request-open_signed = Apri
request-reveal_signed = Mostra nella cartella

## todo ("Da fare": what the clerk must act on in the active profile, most urgent first)

todo-title = Da fare
todo-intro = Le richieste su cui intervenire, dalle più urgenti: invii non riusciti, richieste rifiutate, in scadenza entro 48 ore e scadute.
todo-profile = Profilo
todo-sandbox_note = richieste di prova: nessuna è arrivata a un cittadino.
todo-empty = Niente da fare: nessuna richiesta di questo profilo ha bisogno di un intervento.
todo-unavailable = Impossibile leggere le richieste da fare.
todo-more = Sono mostrate solo le prime richieste di ogni gruppo: le altre sono negli elenchi.
todo-failed_title = Invii non riusciti
todo-rejected_title = Rifiutate
todo-expiring_title = In scadenza entro 48 ore
todo-expired_title = Scadute
todo-other_title = Altre
todo-new_request = Nuova richiesta
todo-deadline = Scadenza: { $when }
todo-changed = Ultimo aggiornamento: { $when }

## events

events-send_completed = Invio completato: la richiesta è in attesa di firma.
events-send_failed = Invio non riuscito: { $message }
events-document_rejected = Documento «{ $title }» rifiutato: { $reason }
events-status_signed = Una richiesta è stata firmata.
events-status_rejected = Una richiesta è stata rifiutata.
events-status_cancelled = Una richiesta è stata annullata.

## drop

drop-overlay = Rilascia i PDF per aggiungerli alla nuova richiesta

## io_status

io_status-DRAFT = Bozza
io_status-READY = Pronta
io_status-WAIT_FOR_SIGNATURE = In attesa di firma
io_status-SIGNED = Firmata
io_status-REJECTED = Rifiutata
io_status-CANCELLED = Annullata
io_status-WAIT_FOR_UPLOAD = In attesa del caricamento
io_status-WAIT_FOR_VALIDATION = In verifica

## errors

errors-ipc-unavailable = FirmaDesk deve essere avviato come applicazione desktop.
errors-settings-write_failed = Impossibile salvare le impostazioni: verificare lo spazio su disco e i permessi della cartella dati.
errors-settings-unknown_locale = Lingua non disponibile.
errors-settings-invalid_time = Orario non valido: indicarlo come ore e minuti, per esempio 19:00.
errors-team-missing_url = Indicare l'indirizzo del database dell'ufficio, nella forma postgres://utente@server:5432/database.
errors-team-ca_unreadable = Impossibile leggere il file del certificato dell'autorità: verificare il percorso.
errors-team-not_active = Attivare prima la modalità ufficio e riavviare FirmaDesk: i dati si trasferiscono nel database dell'ufficio in uso.
errors-team-held_sends = Ci sono richieste conservate su questo computer in attesa del database dell'ufficio: lasciare la modalità ufficio dopo che sono partite.
errors-held-write_failed = Impossibile conservare la richiesta su questo computer: verificare lo spazio su disco e i permessi della cartella dati.
errors-team-nothing_to_move = Questa postazione non ha un archivio locale da trasferire.
errors-role-admin_only = Solo un amministratore dell'ufficio può modificare profili, chiavi, modelli e ruoli.
errors-role-missing_identity = Indicare l'operatore: l'email con cui accede o utente@computer.
errors-archive-altered = Il file nell'archivio non è più quello firmato (è stato modificato): non viene aperto. Avvisare l'assistenza.
errors-profile-missing_name = Indicare un nome per il profilo.
errors-profile-invalid_environment = La modalità prova è già disponibile: scegliere Test o Produzione.
errors-profile-invalid_url = Indirizzo del servizio non valido: usare un indirizzo https (ad esempio quello predefinito di Firma con IO).
errors-profile-builtin = Il profilo di prova non si modifica e non si elimina.
errors-profile-invalid_email = L'email di supporto non è un indirizzo valido (ad esempio protocollo@comune.example.it): i cittadini la vedono nell'app IO.
errors-profile-invalid_key = La chiave API non sembra valida: copiarla di nuovo dal portale di Firma con IO (area riservata dell'ente).
errors-profile-invalid_tester = Il codice fiscale di un tester non è valido: controllarlo nell'elenco dei tester del profilo (uno per riga).
errors-profile-missing_key = Inserire la chiave API del profilo (dal portale di Firma con IO, area riservata dell'ente).
errors-profile-not_found = Profilo non trovato.
errors-profile-in_use = Il profilo ha richieste di firma nell'archivio locale: non può essere eliminato.
errors-profile-ok = Chiave API valida: il servizio Firma con IO risponde.
errors-profile-key_rejected = Chiave API non valida o revocata (errore 401): copiarla di nuovo dal portale di Firma con IO o chiederne una nuova.
errors-profile-ip_forbidden = Accesso negato (errore 403): l'indirizzo IP di questa postazione non è tra quelli autorizzati per la chiave. Chiedere all'amministratore di aggiungerlo nel portale di Firma con IO.
errors-mail-invalid_settings = Un campo della casella del protocollo non è valido: correggerlo.
errors-mail-not_configured = La casella del protocollo non è impostata per questo profilo: un amministratore la imposta in Impostazioni.
errors-profile-unreachable = Servizio Firma con IO non raggiungibile: controllare la connessione e l'indirizzo del servizio.
errors-protocol-invalid_date = Data di protocollo non valida: indicare giorno, mese e anno, non nel futuro.
errors-protocol-invalid_text = Un campo dei dati di protocollo è troppo lungo o contiene a capo: correggerlo.
errors-profile-key_for_new_url = L'indirizzo del servizio è cambiato: inserire di nuovo la chiave API. Per sicurezza la chiave salvata non viene mai inviata a un indirizzo diverso da quello per cui è stata inserita.
errors-profile-no_key = Il profilo non ha una chiave API nel portachiavi: inserirla di nuovo in Impostazioni.
errors-profile-rate_limited = Troppe richieste al servizio (errore 429): riprovare tra qualche secondo.
errors-archive-invalid = Cartella non valida: sceglierne un'altra.
errors-archive-not_writable = FirmaDesk non può scrivere nella cartella scelta: sceglierne un'altra o verificarne i permessi.
errors-archive-not_pdf = Il file nell'archivio non è un PDF: non viene aperto. Verificare la cartella dell'archivio.
errors-archive-not_archived = Il documento firmato non è nell'archivio: attendere il salvataggio o aggiornare la richiesta.
errors-archive-missing = Il file non esiste più nell'archivio: è stato spostato o eliminato.
errors-archive-open_failed = Impossibile aprire il file: verificare che sia installato un lettore PDF.
errors-archive-outside = Percorso non valido: il file non è tra le esportazioni dell'archivio.
errors-archive-unavailable = La cartella dell'archivio non è accessibile: verificare i permessi.
errors-sandbox-not_running = La modalità prova non è attiva: sceglierla in Impostazioni per usare le richieste di prova.
errors-sandbox-start_failed = Impossibile avviare il servizio di prova locale: riavviare FirmaDesk; se il problema persiste contattare l'assistenza.
errors-sandbox-not_sandbox = Questa richiesta non è della modalità prova: la firma non si può simulare.
errors-sandbox-reject_failed = Simulazione del rifiuto non riuscita: riprovare.
errors-sandbox-sign_failed = Simulazione della firma non riuscita: riprovare.
errors-auth-login_required = Accesso richiesto: accedere con l'account dell'ente per continuare.
errors-auth-browser_unavailable = Impossibile aprire il browser per l'accesso: aprirlo e riprovare.
errors-auth-invalid_config = Configurazione dell'accesso non valida: verificare il servizio di accesso del profilo in Impostazioni.
errors-auth-invalid_id_token = Risposta del servizio di accesso non valida: riprovare; se si ripete contattare l'assistenza.
errors-auth-invalid_signature = La firma del token di identità non è valida: accesso rifiutato per sicurezza.
errors-auth-keyring_failure = Errore del portachiavi di sistema: riprovare; se si ripete riavviare il computer.
errors-auth-keyring_locked = Il portachiavi di sistema è bloccato: sbloccarlo e riprovare.
errors-auth-login_denied = Accesso negato dal servizio dell'ente.
errors-auth-login_timeout = Accesso non completato in tempo: riprovare.
errors-auth-loopback_unavailable = Impossibile ricevere la risposta dell'accesso su questo computer: riprovare.
errors-auth-no_keyring = Nessun portachiavi di sistema disponibile: installarne uno (Secret Service) e riaprire FirmaDesk.
errors-auth-nonce_mismatch = Risposta di accesso non attesa: possibile tentativo di attacco, accesso rifiutato.
errors-auth-provider_rejected = Il servizio di accesso ha rifiutato la richiesta: verificare la configurazione del profilo.
errors-auth-provider_unavailable = Servizio di accesso non raggiungibile: controllare la connessione e riprovare.
errors-auth-second_factor_missing = L'accesso non ha usato il secondo fattore: ripetere l'accesso con il secondo fattore.
errors-auth-session_expired = Sessione scaduta: accedere di nuovo.
errors-auth-state_mismatch = Risposta di accesso non attesa: possibile tentativo di attacco, accesso rifiutato.
errors-auth-token_expired = Il token di identità è scaduto: accedere di nuovo.
errors-auth-wrong_audience = Il token di identità è destinato a un'altra applicazione: accesso rifiutato.
errors-auth-wrong_issuer = Il token di identità viene da un altro servizio di accesso: accesso rifiutato.
errors-bulk-duplicate_header = Due colonne dell'elenco hanno lo stesso titolo: rinominarne una nel foglio di calcolo e caricare di nuovo l'elenco.
errors-bulk-empty = L'elenco è vuoto: esportarlo di nuovo dal foglio di calcolo e riprovare.
errors-bulk-no_fiscal_code_column = Indicare quale colonna dell'elenco contiene il codice fiscale.
errors-bulk-no_rows = L'elenco ha solo la riga dei titoli delle colonne: aggiungere una riga per ogni destinatario.
errors-bulk-too_large = L'elenco supera 10 MB: togliere le colonne che non servono o dividerlo in più file.
errors-bulk-too_many_columns = L'elenco ha più di 200 colonne: tenere solo quelle che servono (nominativo, codice fiscale, PDF...) e caricarlo di nuovo.
errors-bulk-too_many_rows = L'elenco ha più di 20.000 righe: dividerlo in più file e inviarli uno alla volta.
errors-bulk-unreadable = Il foglio di calcolo non si riesce a leggere: aprirlo, salvarlo di nuovo come Excel (.xlsx) o CSV e riprovare.
errors-bulk-unsupported = Il file non è un elenco che FirmaDesk sa leggere: salvarlo dal foglio di calcolo come CSV o Excel (.xlsx).
errors-bulk-batch_elsewhere = Questo elenco è inviato da un altro computer: metterlo in pausa o fermarlo da lì.
errors-bulk-batch_finished = L'invio di questo elenco è già concluso.
errors-bulk-batch_not_found = Invio da elenco non trovato: aggiornare la pagina.
errors-bulk-nothing_to_send = Nessuna riga è pronta: correggere le righe errate e verificare di nuovo l'elenco.
errors-bulk-no_template = Il tipo di documento scelto non ha un modello: i campi di firma dei PDF delle righe vengono dal modello. Aggiungerlo in Impostazioni › Tipi di documento e modelli.
errors-bulk-row_pdf = Il PDF di una riga non si può inviare: controllare che sia nella cartella scelta e verificare di nuovo l'elenco.
errors-doctype-exists = Esiste già un tipo di documento con questo nome: sceglierne un altro.
errors-doctype-invalid_email = L'email di supporto non è un indirizzo valido: correggerla o lasciarla vuota per usare quella del profilo.
errors-doctype-invalid_retention = Il tempo di conservazione è un numero intero di anni da 1 a 999 (quello del massimario di scarto dell'ente): correggerlo o lasciarlo vuoto.
errors-doctype-invalid_name = Indicare un nome per il tipo di documento.
errors-doctype-invalid_template = Il modello non può essere salvato: controllare documenti e campi di firma.
errors-doctype-invalid_title = Indicare un titolo per il tipo di documento.
errors-engine-archive = Impossibile salvare il documento firmato nell'archivio: verificare lo spazio su disco e i permessi della cartella.
errors-engine-bad_download = Il documento firmato scaricato non è valido: verrà scaricato di nuovo automaticamente.
errors-engine-document_rejected = Firma con IO ha rifiutato il documento: correggerlo e inviarlo di nuovo.
errors-engine-not_allowed = Operazione non possibile nello stato attuale della richiesta.
errors-engine-not_found = Richiesta o profilo non trovato: aggiornare l'elenco.
errors-engine-offline = Servizio Firma con IO non raggiungibile: l'operazione verrà ripetuta automaticamente.
errors-engine-refused = Firma con IO ha rifiutato l'operazione: verificare i dati e la chiave del profilo.
errors-engine-shutdown = FirmaDesk si sta chiudendo: riprovare dopo il riavvio.
errors-engine-signer_not_on_io = Il cittadino non usa l'app IO: non può firmare con Firma con IO.
errors-engine-store = Archivio locale non disponibile: riavviare FirmaDesk.
errors-draft-empty = Non c'è nulla da mettere da parte: la bozza è vuota.
errors-draft-invalid_id = Bozza non valida: aggiornare l'elenco delle bozze.
errors-draft-not_deleted = Impossibile eliminare la bozza dal disco: verificare i permessi della cartella dati.
errors-draft-not_found = La bozza non c'è più: è stata ripresa o eliminata.
errors-draft-not_kept = Impossibile conservare la bozza sul disco: verificare lo spazio libero.
errors-draft-too_large = La bozza è troppo grande per essere conservata: inviarla o ridurre i documenti.
errors-export-empty = Nessuna richiesta firmata selezionata: selezionarne almeno una.
errors-autostart-failed = Impossibile cambiare l'avvio all'accesso: verificare i permessi della cartella di avvio automatico del sistema.
errors-export-write_failed = Esportazione non riuscita: verificare lo spazio su disco e i permessi della cartella dell'archivio.
errors-pdf-bad_request = Caricamento non valido: riprovare.
errors-pdf-encrypted = Il PDF è protetto da password o cifrato: salvarne una copia senza protezione e caricarla.
errors-pdf-library_missing = Componente PDF mancante: reinstallare FirmaDesk.
errors-pdf-not_pdf = Il file non è un PDF: scegliere un documento PDF.
errors-pdf-render_failed = L'anteprima della pagina non è riuscita: riprovare.
errors-pdf-save_failed = Impossibile salvare una copia del documento: verificare lo spazio su disco.
errors-pdf-too_large = Il PDF è troppo grande: ridurne le dimensioni e riprovare.
errors-pdf-too_many_pages = Il PDF ha troppe pagine: dividerlo e riprovare.
errors-pdf-unknown = Documento non trovato: caricarlo di nuovo.
errors-pdf-unreadable = Il PDF è danneggiato o non leggibile: salvarne una nuova copia e riprovare.
errors-qr-not_ready = Il codice QR sarà disponibile quando la richiesta è in attesa di firma.
errors-qr-unavailable = Codice QR non disponibile: riprovare tra poco.
errors-request-expired_deadline = La scadenza è già passata: sceglierne una futura.
errors-request-invalid_clause = Tipo di firma non valido per un campo: scegliere obbligatoria, facoltativa o non vincolante.
errors-request-invalid_deadline = Scadenza non valida: usare il formato gg/mm/aaaa.
errors-request-invalid_fiscal_code = Codice fiscale non valido: verificarlo sul documento del cittadino.
errors-request-invalid_title = Indicare un titolo per la richiesta.
errors-request-missing_signer = Indicare il nome del firmatario.
errors-request-no_documents = Aggiungere almeno un documento PDF.
errors-request-not_tester = Con una chiave di test Firma con IO invia solo ai codici fiscali dei tester: questo codice non è tra i tester del profilo. Aggiungerlo al profilo (e nel portale di Firma con IO) oppure usare il profilo di produzione.
errors-request-service_refuses = Firma con IO rifiuterebbe un documento che i controlli di FirmaDesk avevano accettato: correggerlo e riprovare.
errors-request-other_profile = La richiesta da correggere è stata inviata con un altro profilo: sceglierlo in Impostazioni e riprovare.
errors-request-still_active = Si può correggere e reinviare solo una richiesta ferma (rifiutata, non riuscita, scaduta o annullata).
errors-request-not_found = Richiesta non trovata nell'archivio locale: aggiornare l'elenco.
errors-request-not_sent = La richiesta non è ancora arrivata a Firma con IO: attendere la fine dell'invio.
errors-request-preflight_failed = Un documento non supera i controlli di Firma con IO: correggerlo e riprovare.
errors-request-unknown_document_type = Tipo di documento sconosciuto: sceglierne uno dall'elenco.
errors-store-backup = Impossibile salvare la copia di sicurezza dell'archivio locale: verificare lo spazio su disco.
errors-store-forbidden = Il database dell'ufficio non permette questa operazione all'utente indicato in Modalità ufficio: profili, tipi di documento e ruoli li modificano gli amministratori; l'aggiornamento del database lo fa il servizio dell'ufficio.
errors-store-corrupt = L'archivio locale è danneggiato: contattare l'assistenza (una copia di sicurezza è nella cartella dati).
errors-store-invalid = Dati non validi per l'archivio locale: verificarli e riprovare.
errors-store-migration = Aggiornamento dell'archivio locale non riuscito: riavviare FirmaDesk; i dati non sono stati modificati.
errors-store-newer_schema = L'archivio locale è di una versione più recente di FirmaDesk: aggiornare FirmaDesk.
errors-store-sqlite = Archivio locale non disponibile: riavviare FirmaDesk; se si ripete verificare lo spazio su disco.
errors-store-unreachable = Il database dell'ufficio non è raggiungibile: verificare la rete; FirmaDesk riprova da solo.
errors-store-denied = Il database dell'ufficio ha rifiutato utente o password: verificarli in Impostazioni › Modalità ufficio.
errors-store-postgres = Errore del database dell'ufficio: riprovare; se si ripete, avvisare l'assistenza.
errors-store-fenced = Un altro computer ha preso il ruolo di worker per questa chiave: questo ha smesso di inviare; le richieste proseguono su quello.

## login

login-title = Accesso con l'account dell'ente
login-intro = Per lavorare sulle richieste di firma di questo profilo occorre accedere con l'account dell'ente e il secondo fattore di autenticazione.
login-provider = Servizio di accesso:
login-browser = Si aprirà il browser di sistema: completato l'accesso, tornare a FirmaDesk.
login-button = Accedi
login-clerk = Accesso come
login-logout = Esci

## timeline

timeline-actor_firmadesk = FirmaDesk
timeline-actor_io = Firma con IO

## timeline (written by Rust: firmadesk-desk's wording module words each entry from its code)

timeline-created = Richiesta creata e inviata a Firma con IO
timeline-created_fix = Richiesta creata e inviata a Firma con IO, in sostituzione di «{ $title }»
timeline-replaced = Corretta e reinviata come nuova richiesta «{ $title }»
timeline-step_finished = { $step }: completato
timeline-failed = Invio non riuscito: { $reason }
timeline-create_adopted = Richiesta già creata su IO al tentativo precedente: ripresa senza duplicati
timeline-document_rejected = Il documento «{ $title }» è stato rifiutato da Firma con IO: { $reason }
timeline-status = Stato su IO: { $status }
timeline-io_status-DRAFT = Bozza
timeline-io_status-READY = Pubblicata
timeline-io_status-WAIT_FOR_SIGNATURE = In attesa di firma
timeline-io_status-SIGNED = Firmata
timeline-io_status-REJECTED = Firma non riuscita
timeline-io_status-CANCELLED = Annullata
timeline-io_status-unknown = Stato sconosciuto
timeline-archived = Documento firmato salvato in { $path }
timeline-archive_renamed = Documento firmato rinominato con il numero di protocollo: { $path }
timeline-mail_queued = Pacchetto in coda per la casella del protocollo { $to }
timeline-mail_sent = Pacchetto consegnato al server di posta per la casella del protocollo { $to }
timeline-mail_failed = Invio al protocollo non riuscito, nuovo tentativo automatico: { $reason }
timeline-protocol = Dati di protocollo: { $summary }
timeline-protocol_cleared = Dati di protocollo cancellati
timeline-archive_failed = Salvataggio del documento firmato non riuscito: verrà ritentato.
timeline-download_invalid = Il documento firmato scaricato non è valido: verrà scaricato di nuovo.
timeline-cancelled = Richiesta annullata dall'operatore
timeline-cancel_requested = Annullamento richiesto: lo esegue il servizio dell'ufficio che ha la chiave

## notification (desktop notifications, worded by firmadesk-desk's notify module)

notification-open = Apri
notification-signed-title = Documento firmato
notification-signed-body = { $title } – { $signer }: firmato su IO e salvato nell'archivio.
notification-signed_not_archived-body = { $title } – { $signer }: firmato su IO. Salvataggio nell'archivio non riuscito: verrà ritentato.
notification-signed-anonymous = Una richiesta è stata firmata su IO: aprire FirmaDesk per i dettagli.
notification-rejected-title = Firma non riuscita
notification-rejected-body = { $title } – { $signer }: la firma non è stata completata ({ $reason }). Creare una nuova richiesta.
notification-rejected-no_reason = motivo non indicato
notification-rejected-anonymous = Una firma non è stata completata: aprire FirmaDesk per i dettagli.
notification-open_app = Apri FirmaDesk
notification-signed_not_archived-title = Firmato, ma non archiviato
notification-signed_not_archived-anonymous = Una richiesta è stata firmata su IO, ma il salvataggio nell'archivio non è riuscito: aprire FirmaDesk per i dettagli.
notification-expiring-title = Richiesta in scadenza
notification-expiring-body = { $title } – { $signer }: la firma scade entro 48 ore. Ricordarlo al firmatario o stampare il QR code.
notification-expiring-anonymous = Una richiesta scade entro 48 ore: aprire FirmaDesk per i dettagli.
notification-expired-title = Richiesta scaduta
notification-expired-body = { $title } – { $signer }: scaduta senza firma. Creare una nuova richiesta.
notification-expired-anonymous = Una richiesta è scaduta senza firma: aprire FirmaDesk per i dettagli.
notification-send_failed-title = Invio non riuscito
notification-send_failed-body = { $title } – { $signer }: { $reason }
notification-send_failed-anonymous = Un invio non è riuscito: aprire FirmaDesk per i dettagli.
notification-needs_edit-title = Documento da correggere
notification-needs_edit-body = { $title } – { $signer }: { $reason }
notification-needs_edit-anonymous = Firma con IO ha rifiutato un documento: aprire FirmaDesk per correggerlo.
notification-group-signed-title = { $count } documenti firmati
notification-group-signed-body = Firmati su IO e salvati nell'archivio: aprire FirmaDesk per i dettagli.
notification-group-archive_failed-title = { $count } documenti firmati non archiviati
notification-group-archive_failed-body = Firmati su IO, ma il salvataggio nell'archivio non è riuscito: verrà ritentato. Aprire FirmaDesk per i dettagli.
notification-group-rejected-title = { $count } firme non riuscite
notification-group-rejected-body = Aprire FirmaDesk per i motivi e creare nuove richieste.
notification-group-expiring-title = { $count } richieste in scadenza
notification-group-expiring-body = La firma scade entro 48 ore: aprire FirmaDesk per i dettagli.
notification-group-expired-title = { $count } richieste scadute
notification-group-expired-body = Scadute senza firma: aprire FirmaDesk per creare nuove richieste.
notification-group-send_failed-title = { $count } invii non riusciti
notification-group-send_failed-body = Aprire FirmaDesk per i dettagli e correggere.

## tray (the tray icon's tooltip and menu)

tray-waiting = { $count ->
    [0] FirmaDesk – nessuna richiesta in attesa di firma
    [one] FirmaDesk – 1 richiesta in attesa di firma
   *[other] FirmaDesk – { $count } richieste in attesa di firma
}
tray-open = Apri FirmaDesk
tray-quit = Esci
tray-waiting-line = { $count ->
    [0] Nessuna in attesa di firma
   *[other] { $count } in attesa di firma
}
tray-attention = { $count } da fare
tray-attention-line = { $count ->
    [0] Niente da fare
   *[other] Da fare: { $count }
}
tray-sync-pause = Sospendi sincronizzazione
tray-sync-resume = Riprendi sincronizzazione
tray-keeps-working-title = FirmaDesk continua a funzionare
tray-keeps-working-body = La finestra è chiusa, ma FirmaDesk resta attivo nell'area di notifica: controlla le firme, archivia i documenti firmati e avvisa. Per uscire: icona di FirmaDesk, poi «Esci».
tray-quit-title = Uscire da FirmaDesk?
tray-quit-sending = { $count ->
    [one] C'è 1 invio in corso: se si esce ora, riprenderà al prossimo avvio di FirmaDesk.
   *[other] Ci sono { $count } invii in corso: se si esce ora, riprenderanno al prossimo avvio di FirmaDesk.
}
tray-quit-cancel = Annulla

## preflight (the document checks; firmadesk-pdf gives each finding a code and its values)

preflight-not_pdf = Il file non è un PDF: scegliere un documento PDF.
preflight-encrypted = Il PDF è protetto da password o cifrato: salvarne una copia non protetta e caricare quella.
preflight-unreadable = Il PDF è danneggiato o illeggibile: salvarne una nuova copia e riprovare.
preflight-too_complex = Il PDF ha una struttura troppo complessa o anomala per essere controllato in sicurezza: rigenerarlo dal programma di origine.
preflight-too_large = Il PDF è troppo grande: ridurne le dimensioni e riprovare.
preflight-too_many_pages = Il PDF ha troppe pagine: dividerlo e riprovare.
preflight-internal = Il controllo del PDF non è riuscito: riprovare; se succede di nuovo reinstallare FirmaDesk.
preflight-repaired_structure = Il PDF ha una struttura interna danneggiata che FirmaDesk ha potuto riparare, ma il servizio potrebbe rifiutarlo: se possibile rigenerarlo dal programma di origine.
preflight-title_length = Il titolo del documento deve avere da 3 a 60 caratteri (ne ha { $len }).
preflight-clause_title_length = Il titolo della firma n. { $n } deve avere da 5 a 80 caratteri (ne ha { $len }).
preflight-only_optional_clauses = Almeno una firma deve essere obbligatoria o vessatoria: con solo firme facoltative il servizio rifiuta la richiesta.
preflight-no_fields = Nessun campo firma: il cittadino apporrà una firma invisibile sull'intero documento.
preflight-page_not_found = La firma «{ $title }» è sulla pagina { $page }, ma il documento ha { $pages } pagine.
preflight-field_outside_page = La firma «{ $title }» esce dalla pagina { $page } ({ $width }×{ $height } punti): spostarla o ridurla.
preflight-page_rotated_or_cropped = La pagina { $page } è ruotata o ritagliata: il servizio posiziona la firma «{ $title }» ignorando rotazione e ritaglio. Verificare la posizione o usare un PDF senza rotazione.
preflight-field_not_found = Il campo firma "{ $name }" indicato per «{ $title }» non esiste nel documento.
preflight-field_already_signed = Il campo firma "{ $name }" è già firmato: sceglierne un altro.
preflight-document_already_signed = Il documento contiene già delle firme: la nuova firma si aggiungerà a quelle esistenti.

## verification (issue #14: "Verifica un PDF firmato", and the result kept per signed document)

nav-verify = Verifica un PDF firmato
verification-verdict-valid = Firma valida
verification-verdict-valid_with_warnings = Firma valida, avvisi
verification-verdict-invalid = Firma non valida
verification-title = Verifica un PDF firmato
verification-intro = Trascinare qui un PDF firmato, anche arrivato per altre vie (PEC, posta elettronica): FirmaDesk controlla ogni firma, chi ha firmato e se il documento è cambiato dopo la firma. Il file non viene salvato.
verification-drop = Trascinare qui il PDF firmato
verification-pick = Scegli un PDF…
verification-fiscal_code = Codice fiscale atteso (facoltativo)
verification-fiscal_code_hint = Se indicato, FirmaDesk controlla che abbia firmato proprio questa persona.
verification-again = Verifica di nuovo
verification-checking = Verifica in corso…
verification-file = File: { $name }
verification-signer = Firmatario
verification-signer_fiscal_code = Codice fiscale del firmatario
verification-signing_time = Firmato il
verification-signing_time_certified = { $time } (ora certificata da marca temporale)
verification-reasons = Motivi
verification-no_reasons = Tutti i controlli sono stati superati.
verification-trust-sandbox = Autorità di fiducia: quella di prova di Modalità prova.
verification-trust-not_checked = L'autorità che ha emesso il certificato non è stata controllata: gli elenchi di fiducia europei non sono ancora stati scaricati, o sono scaduti (FirmaDesk li riscarica da solo quando è in rete).
verification-trust-trusted_lists = Autorità di fiducia: i prestatori qualificati degli elenchi di fiducia europei, nel periodo in cui erano qualificati.
verification-list = { $territory } n. { $sequence }
verification-lists = Elenchi di fiducia europei in uso: { $lists }, controllati il { $when }.
verification-lists_none = Gli elenchi di fiducia europei non sono ancora stati scaricati, o sono scaduti: FirmaDesk li scarica da solo quando è in rete.
verification-lists_problem = Gli elenchi di fiducia europei non sono disponibili: l'ultimo scaricamento non è riuscito (il motivo è nel registro di FirmaDesk). FirmaDesk riprova ogni ora; se il problema resta, avvisare l'assistenza informatica.
verification-unknown = —
verification-label = Verifica firma
verification-pending = Non ancora verificata
verification-detail = Dettaglio tecnico

## verify (the finding codes of firmadesk-verify, worded: what is wrong and what to do)

verify-not_a_pdf = Il file non è un PDF leggibile: chiedere al mittente una nuova copia del documento firmato.
verify-no_signature = Il documento non contiene alcuna firma digitale: non è un documento firmato.
verify-signature_malformed = La firma è danneggiata e non si può leggere: chiedere una nuova copia del documento firmato.
verify-unsupported_algorithm = La firma usa un algoritmo che FirmaDesk non sa verificare: farla controllare con un altro programma di verifica.
verify-digest_mismatch = Il documento è stato modificato dopo la firma: il contenuto non è più quello firmato. Non usarlo e richiedere l'originale.
verify-signature_invalid = La firma non corrisponde al certificato del firmatario: non è autentica. Non usare il documento.
verify-byte_range_gap = La firma non copre tutto il documento: una parte può essere stata aggiunta o cambiata senza firma. Non usare il documento.
verify-page_changed_after_signing = Dopo la firma qualcuno ha cambiato il contenuto di una pagina: non usare il documento e richiedere l'originale firmato.
verify-updated_after_signing = Dopo la firma il file è stato aggiornato senza cambiare le pagine (ad esempio con note): controllare che l'aggiunta sia attesa.
verify-another_signature = Il documento contiene più di una firma: sono state controllate tutte; verificare che le altre firme siano attese.
verify-fiscal_code_mismatch = Il documento è firmato da un'altra persona: il codice fiscale del certificato ({ $found }) non è quello atteso ({ $expected }). Non considerarlo firmato dal cittadino richiesto.
verify-fiscal_code_missing = Il certificato di firma non riporta il codice fiscale: non si può confermare chi ha firmato.
verify-untrusted_issuer = Il certificato del firmatario non è stato emesso da un'autorità di fiducia, o non lo era quando ha firmato (elenchi di fiducia europei): la firma non è affidabile.
verify-trust_not_checked = L'affidabilità dell'autorità che ha emesso il certificato non è stata controllata (elenchi di fiducia europei non ancora scaricati o scaduti); il resto della firma è stato verificato.
verify-certificate_signature_invalid = Un certificato della catena di firma è falso o danneggiato: la firma non è affidabile.
verify-certificate_expired = Il certificato del firmatario era scaduto al momento della firma: la firma non è valida.
verify-certificate_not_yet_valid = Il certificato del firmatario non era ancora valido al momento della firma: la firma non è valida.
verify-revoked = Il certificato del firmatario era stato revocato prima della firma: la firma non è valida.
verify-revocation_unknown = Il documento non contiene le informazioni per controllare se il certificato era stato revocato.
verify-no_timestamp = La firma non ha una marca temporale: l'ora della firma non è certificata e il certificato è stato controllato alla data di oggi.
verify-timestamp_invalid = La marca temporale della firma non è valida: l'ora della firma non è certificata.
verify-original_changed = Il documento firmato non è quello inviato in firma: la prima versione del file è diversa dal PDF caricato. Non usarlo e verificare con il cittadino.
verify-field_missing = Manca uno dei campi firma richiesti: il cittadino non ha firmato tutte le clausole.
verify-field_unsigned = Uno dei campi firma richiesti non è firmato: il cittadino non ha firmato tutte le clausole.

## verification kept with the request (timeline, notifications, the signed list and its export)

timeline-verified = Verifica della firma: { $verdict }
settings-notify_kind-signature_invalid = la verifica di un documento firmato dice «Firma non valida»
notification-signature_invalid-title = Firma non valida
notification-signature_invalid-body = { $title } – { $signer }: la verifica del documento firmato ha dato esito negativo. Aprire la richiesta per i motivi.
notification-signature_invalid-anonymous = La verifica di un documento firmato ha dato esito negativo: aprire FirmaDesk per i motivi.
notification-group-signature_invalid-title = { $count } firme non valide
notification-group-signature_invalid-body = La verifica di alcuni documenti firmati ha dato esito negativo: aprire FirmaDesk per i motivi.
verification-alert = Attenzione: la firma di questo documento non è valida. Non considerarlo firmato finché i motivi qui sotto non sono chiariti.
verification-document = Documento { $id }
verification-column = Verifica firma

## Printed sheets (issue #16): the citizen's sheet is always in Italian; the receipt in the clerk's language.
print-date_time = { $date } alle { $time }
print-sheet-title = Firma il documento con l'app IO
print-sheet-intro = { $body } ti chiede di firmare un documento con Firma con IO, la firma elettronica qualificata gratuita dell'app IO.
print-sheet-document = Documento
print-sheet-type = Tipo
print-sheet-signer = Firmatario
print-sheet-deadline = Da firmare
print-sheet-deadline_value = fino alle { $time } del { $date } (ora italiana)
print-sheet-qr_caption = Inquadra il codice QR con la fotocamera del telefono su cui hai l'app IO.
print-sheet-link_intro = Oppure apri questo link dal telefono:
print-sheet-steps_title = Come firmare
print-sheet-step_app = Apri l'app IO sul telefono (se non l'hai, scaricala da App Store o Google Play) e accedi.
print-sheet-step_open = Inquadra il codice QR o apri il link: la richiesta di firma si apre nell'app IO. La trovi anche nel messaggio «Hai un documento da firmare», se l'ente te l'ha inviato.
print-sheet-step_read = Leggi il documento e seleziona le firme richieste.
print-sheet-step_sign = Conferma con la tua Carta d'Identità Elettronica (CIE) e il suo PIN, come ti guida l'app.
print-sheet-step_done = Riceverai nell'app il messaggio «Ecco i documenti firmati»: il documento firmato resta nell'app IO per 90 giorni.
print-sheet-free = La firma con IO è gratuita.
print-sheet-support = Per informazioni o assistenza scrivi a { $email }.
print-sheet-support_office = Per informazioni o assistenza rivolgiti all'ufficio che ti ha consegnato questo foglio.
print-sheet-printed = Stampato il { $when } · Codice della richiesta: { $id }
print-receipt-title = Ricevuta della richiesta di firma
print-receipt-body = Ente
print-receipt-title_field = Titolo
print-receipt-type = Tipo di documento
print-receipt-signer = Firmatario
print-receipt-fiscal_code = Codice fiscale
print-receipt-status = Stato
print-receipt-created = Creata il
print-receipt-published = Inviata a IO il
print-receipt-deadline = Scadenza
print-receipt-signed = Firmata il
print-receipt-io_id = ID Firma con IO
print-receipt-reason = Motivo
print-receipt-document = Documento { $n }
print-receipt-audit = Registro delle operazioni
print-receipt-audit_note = Ogni operazione sulla richiesta, con l'ora italiana e chi l'ha eseguita (FirmaDesk per i passi automatici).
print-receipt-no_events = Nessuna operazione registrata.
print-receipt-printed = Stampata il { $when } da FirmaDesk.

## Protocollo e conservazione (issue #14)
handoff-title = Protocollo e conservazione
handoff-field-number = Numero
handoff-field-date = Data
handoff-field-register = Registro
handoff-field-classification = Classificazione
handoff-field-fascicolo = Fascicolo
handoff-field-reserved = Riservato
handoff-register_hint = Ad esempio «Protocollo generale» o «Repertorio contratti».
handoff-none = Nessun dato di protocollo.
handoff-edit = Modifica dati di protocollo
handoff-cancel = Annulla
handoff-save = Salva dati di protocollo
handoff-saved = Dati di protocollo salvati.
handoff-updated = Ultima modifica di { $who } il { $when }
handoff-package = Pacchetto per la conservazione
handoff-package_hint = Un file ZIP con il PDF firmato così come scaricato, i metadati (XML e JSON), la verifica della firma, il registro delle attività e l'impronta SHA-256 di ogni file.
handoff-package_done = Pacchetto salvato in
handoff-packages = Pacchetti per la conservazione
handoff-mail_send = Invia al protocollo
handoff-mail_queued = Pacchetto messo in coda per la casella del protocollo.
handoff-mail_waiting = Pacchetto in coda per { $to }: parte appena il server di posta lo accetta.
handoff-mail_last_error = Tentativi: { $attempts }. Ultimo errore: { $reason }. Prossimo tentativo: { $when }.
settings-mail_title = Casella del protocollo
settings-mail_help = I pacchetti per la conservazione delle richieste firmate di questo profilo possono essere inviati per posta (PEC o e-mail) alla casella del protocollo dell'ente, tramite il suo server di posta. La connessione è sempre cifrata (TLS); la password resta nel portachiavi del sistema.
settings-mail_set = Impostata: i pacchetti vanno a { $to }.
settings-mail_unset = Non impostata per il profilo attivo.
settings-mail_host = Server di posta (SMTP o PEC)
settings-mail_host_help = Ad esempio smtps.pec.aruba.it
settings-mail_security = Connessione sicura
settings-mail_starttls = STARTTLS (di solito porta 587)
settings-mail_tls = TLS (di solito porta 465, PEC)
settings-mail_port = Porta
settings-mail_username = Utente
settings-mail_password = Password
settings-mail_password_saved = Password salvata nel portachiavi: lasciare vuoto per mantenerla.
settings-mail_from = Mittente
settings-mail_to = Casella del protocollo
settings-mail_to_help = L'indirizzo su cui il protocollo dell'ente registra ciò che arriva.
settings-mail_ca = Certificato dell'autorità dell'ente (file PEM, facoltativo)
settings-mail_automatic = Invia automaticamente ogni richiesta firmata
settings-mail_automatic_help = Appena il documento firmato è archiviato, il suo pacchetto va in coda per la casella del protocollo.
settings-mail_save = Salva casella del protocollo
settings-mail_remove = Rimuovi
settings-mail_saved = Casella del protocollo salvata.
settings-mail_removed = Casella del protocollo rimossa.
