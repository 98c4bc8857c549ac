//! The `firmadesk` executable: the desktop window, `firmadesk check FILE.pdf` (the preflight for IT
//! staff and scripts, without a display), `firmadesk cf CODE...` (the fiscal-code check, likewise),
//! `firmadesk verify FILE.pdf [--fiscal-code CF]` (the check of a signed PDF, as JSON),
//! `firmadesk bulk check LIST ...` (the dry run of a list for a bulk send) or `firmadesk worker ...` (team
//! mode's headless worker).

// Hide the console window of release builds on Windows; the app logs to a file instead.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `firmadesk check FILE.pdf [--fields FIELDS.json]`: the preflight for IT staff and scripts. It runs
    // before any window code, so it needs no display.
    if args.get(1).map(String::as_str) == Some("check") {
        let code = firmadesk_pdf::cli::check_cli(&args[2..], &mut std::io::stdout(), &mut std::io::stderr());
        std::process::exit(code);
    }
    // `firmadesk cf CODE... [--name "Nome Cognome"]`: the fiscal-code check for IT staff and scripts.
    if args.get(1).map(String::as_str) == Some("cf") {
        let code = firmadesk_desk::cf::cf_cli(&args[2..], &mut std::io::stdout(), &mut std::io::stderr());
        std::process::exit(code);
    }
    // `firmadesk verify FILE.pdf [--fiscal-code CF]`: the check of a signed PDF, as JSON (exit 0 valid, 1 not).
    if args.get(1).map(String::as_str) == Some("verify") {
        let code = firmadesk_desk::verify::verify_cli(&args[2..], &mut std::io::stdout(), &mut std::io::stderr());
        std::process::exit(code);
    }
    // `firmadesk bulk check LIST --template NAME [--pdf FILE | --pdf-dir DIR]`: the dry run of a list.
    if args.get(1).map(String::as_str) == Some("bulk") {
        let code = firmadesk_desk::bulk::cli::bulk_cli(&args[2..], &mut std::io::stdout(), &mut std::io::stderr());
        std::process::exit(code);
    }
    // `firmadesk worker --database URL ...`: the headless worker of team mode (no window, no display).
    if args.get(1).map(String::as_str) == Some("worker") {
        use clap::Parser;
        let options = firmadesk_worker::Options::parse_from(&args[1..]);
        std::process::exit(firmadesk_worker::main_with(options));
    }
    firmadesk_app::run();
}
