//! `firmadesk-worker`: the headless worker as its own small executable (the app's `firmadesk worker` runs
//! the same code). Logs go to stderr (the journal, under systemd); the exit status is 0 after a clean stop,
//! 2 for settings to fix, 1 otherwise.

use clap::Parser;

fn main() {
    let options = firmadesk_worker::Options::parse();
    std::process::exit(firmadesk_worker::main_with(options));
}
