//! Watches desktop notifications on the session bus: every `Notify` call to
//! `org.freedesktop.Notifications`, as `dbus-monitor` prints it. Needs a session bus with a notification
//! daemon (`cargo xtask test` runs the tests under `dbus-run-session` with dunst).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running `dbus-monitor` on the `Notify` calls; stopped when dropped.
pub struct BusMonitor {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl BusMonitor {
    /// Starts watching; returns once the monitor's match rule is active (its first line).
    ///
    /// # Panics
    /// Without a session bus or `dbus-monitor` (package dbus): these tests need both.
    pub fn start() -> Self {
        assert!(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
            "no D-Bus session: run this test through `cargo xtask test` (it starts dunst on a private bus)"
        );
        let mut child = Command::new("dbus-monitor")
            .args(["--session", "interface='org.freedesktop.Notifications',member='Notify'"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-monitor (package dbus)");
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // dbus-monitor prints its NameAcquired signal once the match rule is active.
        lines
            .recv_timeout(Duration::from_secs(10))
            .expect("dbus-monitor did not start");
        Self { child, lines }
    }

    /// Waits at most `within` for a line containing `needle`: `Ok` with the lines seen up to it and the rest
    /// of its call (a notification's body follows its title), `Err` with every line seen if it did not come.
    pub fn wait_for(&self, needle: &str, within: Duration) -> Result<Vec<String>, Vec<String>> {
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        while let Ok(line) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            let hit = line.contains(needle);
            seen.push(line);
            if hit {
                // The rest of the same call (body, actions, hints) follows at once, indented; the next
                // message starts at the line's first column.
                while let Ok(rest) = self.lines.recv_timeout(Duration::from_secs(1)) {
                    if !rest.starts_with(char::is_whitespace) {
                        break;
                    }
                    seen.push(rest);
                }
                return Ok(seen);
            }
        }
        Err(seen)
    }

    /// Whether a line containing `needle` comes within `within`.
    pub fn saw(&self, needle: &str, within: Duration) -> bool {
        self.wait_for(needle, within).is_ok()
    }
}

impl Drop for BusMonitor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
