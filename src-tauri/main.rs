// Hide the console window of release builds on Windows; the app logs to a file instead.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    firmadesk_app::run();
}
