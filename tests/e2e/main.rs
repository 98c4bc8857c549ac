//! End-to-end tests on the real FirmaDesk window (WebKitWebDriver through tauri-driver, under Xvfb).
//! Run with `cargo xtask test`, which builds the app and provides the display and the session bus.

mod always_on;
mod bulk;
mod check;
mod english;
mod flow;
mod harness;
mod login;
mod settings;
mod shell;
mod team;
mod todo;
