//! Build script: generates the Tauri context and the per-command permissions.
//!
//! Every app command is listed here so tauri-build generates `allow-<command>` / `deny-<command>`
//! permissions; `src-tauri/capabilities/` then grants exactly the ones the window needs.

const COMMANDS: &[&str] = &[
    "app_info",
    "set_locale",
    "dashboard",
    "todo_list",
    "list_requests",
    "request_detail",
    "check_fiscal_code",
    "document_types",
    "save_document_type",
    "import_pdf",
    "verify_pdf",
    "render_page",
    "submit_request",
    "reopen_request",
    "keep_draft",
    "kept_draft",
    "set_aside_draft",
    "set_aside_drafts",
    "resume_draft",
    "delete_draft",
    "signer_book",
    "save_template",
    "export_templates",
    "import_templates",
    "bulk_read",
    "bulk_check",
    "bulk_report",
    "bulk_pick_folder",
    "bulk_send",
    "bulk_batches",
    "bulk_batch",
    "bulk_control",
    "bulk_batch_report",
    "edit_document_type",
    "duplicate_document_type",
    "remove_document_type",
    "restore_document_type",
    "simulate_sign",
    "simulate_reject",
    "cancel_request",
    "list_profiles",
    "save_profile",
    "set_active_profile",
    "verify_profile",
    "delete_profile",
    "set_sandbox_outage",
    "sandbox_outage",
    "get_settings",
    "open_archive",
    "open_signed",
    "reveal_signed",
    "reveal_export",
    "print_sheet",
    "print_receipt",
    "get_autostart",
    "set_autostart",
    "export_signed_csv",
    "export_signed_zip",
    "set_protocol",
    "export_packages",
    "send_to_protocol",
    "mail_settings",
    "save_mail_settings",
    "remove_mail_settings",
    "qr_code",
    "choose_archive_dir",
    "set_notifications",
    "auth_status",
    "auth_activity",
    "login",
    "logout",
    "team_view",
    "team_test",
    "team_enable",
    "team_disable",
    "restart_app",
    "team_move_desk",
    "my_role",
    "clerk_roles",
    "set_clerk_role",
];

fn main() {
    // The UI vendors Bootstrap Italia from npm (copied by `cargo xtask`); without it the window still
    // works but is unstyled, so say so loudly instead of failing the build of a core-only checkout.
    if !std::path::Path::new("ui/vendor/bootstrap-italia").exists() {
        println!(
            "cargo:warning=ui/vendor is missing: run `cargo xtask run` (or `cargo xtask ui`) to install the UI assets"
        );
    }
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    println!("cargo:rerun-if-changed=ui");
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    tauri_build::try_build(attributes).expect("failed to run tauri-build");
}
