//! "Avvia all'accesso" (issue #16): FirmaDesk among the OS's login items, started hidden to the tray. The
//! kept plugin (tauri-plugin-autostart) writes the XDG autostart entry on Linux
//! (`~/.config/autostart/FirmaDesk.desktop`), a Launch Agent on macOS and the `Run` key on Windows. Off
//! by default: nothing is registered until the clerk turns it on in Impostazioni, and the OS's item is the
//! one record of the choice (read back, never kept twice).

use std::path::Path;

/// The argument the login item starts FirmaDesk with: the window stays hidden when the tray can hold it.
pub const HIDDEN_ARG: &str = "--hidden";

/// The plugin, registering `firmadesk --hidden` (and the data folder when this process was given one with
/// `--data-dir`, so the login item opens the same desk).
pub fn plugin(data_dir: Option<&Path>) -> tauri::plugin::TauriPlugin<tauri::Wry> {
    // On macOS the plugin's default, a Launch Agent (`~/Library/LaunchAgents`), not AppleScript.
    let mut builder = tauri_plugin_autostart::Builder::new()
        .app_name("FirmaDesk")
        .arg(HIDDEN_ARG);
    if let Some(dir) = data_dir {
        builder = builder.arg("--data-dir").arg(command_line_path(dir));
    }
    builder.build()
}

/// A path as one argument of the login item's command line: quoted for the desktop entry's `Exec` and
/// the Windows `Run` value when it has spaces; macOS's Launch Agent keeps arguments apart by itself.
fn command_line_path(dir: &Path) -> String {
    let text = dir.display().to_string();
    if cfg!(target_os = "macos") || !text.contains(' ') {
        text
    } else {
        format!("\"{text}\"")
    }
}

/// The data folder given on this process's command line (`--data-dir DIR` or `--data-dir=DIR`), if any.
pub fn data_dir_argument() -> Option<std::path::PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    firmadesk_desk::paths::resolve_data_dir(&args, None, None)
}

/// Whether this process was started by the login item.
pub fn started_hidden() -> bool {
    std::env::args().any(|a| a == HIDDEN_ARG)
}
