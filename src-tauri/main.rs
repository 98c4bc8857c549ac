//! The `firmadesk` executable: the desktop window, or `firmadesk check FILE.pdf` (the preflight for IT
//! staff and scripts, without a display).

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
    firmadesk_app::run();
}
