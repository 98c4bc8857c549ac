//! Tauri commands, one module per area. Each command is a few lines: read state, call the core, map the
//! error to [`crate::error::UiError`].

pub mod app;
pub mod archive;
pub mod auth;
pub mod autostart;
pub mod bulk;
pub mod profiles;
pub mod requests;
pub mod roles;
pub mod sandbox;
pub mod team;
pub mod verify;

pub use firmadesk_desk::{save_settings, store_error};

/// A file sent as a command's raw body (`rawFile` in ui/js/ipc.js): its bytes and its name (the
/// percent-encoded `x-file-name` header, decoded); `code` when the body is not raw.
pub(crate) fn raw_file<'r>(
    request: &'r tauri::ipc::Request<'_>,
    code: firmadesk_desk::Code,
) -> Result<(&'r [u8], Option<String>), crate::error::UiError> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(crate::error::UiError::new(code, "Caricamento non valido: riprovare."));
    };
    let name = request.headers().get("x-file-name").and_then(|v| v.to_str().ok());
    Ok((bytes, name.map(firmadesk_desk::requests::percent_decode)))
}

#[cfg(test)]
mod tests {
    //! The list of commands is written in five places (the handler list, build.rs's permissions, the
    //! capability file, ui/js/ipc.js and the command modules): these tests check that they name the same
    //! commands, and that every command stays a thin call into the desk.

    use std::collections::BTreeSet;
    use std::path::Path;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    fn read(path: &str) -> String {
        std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Every `#[tauri::command]` of `src-tauri/commands/*.rs`: (file, name, lines of its body).
    fn commands() -> Vec<(String, String, usize)> {
        let mut out = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(root().join("src-tauri/commands"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            let mut i = 0;
            while i < lines.len() {
                if lines[i].trim() == "#[tauri::command]" {
                    let mut j = i + 1;
                    while !lines[j].trim_end().ends_with('{') {
                        j += 1;
                    }
                    let signature = lines[i + 1..=j].join(" ");
                    let name = signature.split("fn ").nth(1).unwrap().split(['(', '<']).next().unwrap();
                    let mut k = j + 1;
                    while lines[k] != "}" {
                        k += 1;
                    }
                    let name = name.trim().to_owned();
                    out.push((
                        file.file_name().unwrap().to_string_lossy().into_owned(),
                        name,
                        k - j - 1,
                    ));
                    i = k;
                }
                i += 1;
            }
        }
        out
    }

    /// The part of `text` between `start` and the next `end`.
    fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
        let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}")) + start.len();
        let to = from + text[from..].find(end).unwrap_or_else(|| panic!("no {end:?}"));
        &text[from..to]
    }

    /// Every `<prefix>name<suffix>` in `text`.
    fn quoted(text: &str, prefix: &str, suffix: &str) -> BTreeSet<String> {
        text.split(prefix)
            .skip(1)
            .filter_map(|rest| rest.split(suffix).next())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_list_of_commands_names_the_same_commands() {
        let defined: BTreeSet<String> = commands().into_iter().map(|(_, name, _)| name).collect();
        assert!(defined.len() > 30, "found only {defined:?}");
        let handlers: BTreeSet<String> = between(&read("src-tauri/lib.rs"), "generate_handler![", "]")
            .split(',')
            .filter_map(|path| path.rsplit("::").next())
            .map(|name| name.trim().to_owned())
            .filter(|name| !name.is_empty())
            .collect();
        assert_eq!(
            handlers, defined,
            "src-tauri/lib.rs generate_handler! vs the #[tauri::command]s"
        );
        let permissions = quoted(between(&read("src-tauri/build.rs"), "const COMMANDS", "];"), "\"", "\"");
        let permissions: BTreeSet<String> = permissions
            .into_iter()
            .filter(|n| !n.trim().is_empty() && !n.contains(','))
            .collect();
        assert_eq!(permissions, defined, "src-tauri/build.rs COMMANDS");
        let capability = read("src-tauri/capabilities/main.json");
        let granted: BTreeSet<String> = quoted(between(&capability, "\"permissions\"", "]"), "\"allow-", "\"")
            .into_iter()
            .map(|n| n.replace('-', "_"))
            .collect();
        assert_eq!(granted, defined, "src-tauri/capabilities/main.json allow-<command>");
        assert_eq!(
            quoted(&read("ui/js/ipc.js"), "invoke('", "'"),
            defined,
            "ui/js/ipc.js invoke('<command>')"
        );
    }

    /// Issue #11: a command is state → desk call → `?`; the work is in firmadesk-desk.
    #[test]
    fn every_command_body_is_at_most_ten_lines() {
        let long: Vec<_> = commands().into_iter().filter(|(_, _, lines)| *lines > 10).collect();
        assert!(
            long.is_empty(),
            "commands over 10 lines (move the work into the desk): {long:?}"
        );
    }
}
