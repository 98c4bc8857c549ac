//! A real SMTP server on 127.0.0.1 for the tests of "Invia al protocollo" (issue #14): Debian's aiosmtpd
//! (`python3-aiosmtpd`, installed by `cargo xtask test`) run by `/usr/bin/python3`, with STARTTLS (or TLS
//! from the first byte) and a login required, its certificate issued by a test authority made here with
//! rcgen. Each message it accepts is kept in a folder with its attachments, for the test to read.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The test authority and the server's certificate (for `localhost` and `127.0.0.1`).
pub struct SmtpTls {
    /// The authority's certificate (PEM): the client trusts it.
    pub ca_pem: String,
    cert_pem: String,
    key_pem: String,
}

impl SmtpTls {
    /// A new authority and a server certificate it issued.
    pub fn generate() -> Self {
        let ca_key = rcgen::KeyPair::generate().expect("a key");
        let mut ca = rcgen::CertificateParams::new(Vec::<String>::new()).expect("parameters");
        ca.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(rcgen::DnType::CommonName, "FirmaDesk test SMTP authority");
        let ca = ca.self_signed(&ca_key).expect("the authority");
        let key = rcgen::KeyPair::generate().expect("a key");
        let server = rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("parameters")
            .signed_by(&key, &ca, &ca_key)
            .expect("the server certificate");
        Self {
            ca_pem: ca.pem(),
            cert_pem: server.pem(),
            key_pem: key.serialize_pem(),
        }
    }
}

/// A message the server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    /// The message as it arrived (RFC 5322).
    pub eml: Vec<u8>,
    /// Its attachments: file name and bytes.
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// The running server; stopped when dropped.
pub struct SmtpServer {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    dir: tempfile::TempDir,
}

/// A port on 127.0.0.1 nothing listens on now (the tests start the server there later, or never).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl SmtpServer {
    /// Starts the server on `port` with `tls`, accepting `login`/`password`; returns once it listens.
    pub fn start(tls: &SmtpTls, port: u16, login: &str, password: &str, implicit_tls: bool) -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let script = dir.path().join("server.py");
        std::fs::write(&script, include_str!("../smtp/server.py")).expect("the script");
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        std::fs::write(&cert, &tls.cert_pem).expect("the certificate");
        std::fs::write(&key, &tls.key_pem).expect("the key");
        let out = dir.path().join("received");
        std::fs::create_dir(&out).expect("the output folder");
        let mut command = Command::new("/usr/bin/python3");
        command
            .arg(&script)
            .arg(port.to_string())
            .arg(&cert)
            .arg(&key)
            .arg(&out)
            .arg(login)
            .arg(password);
        if implicit_tls {
            command.arg("--implicit-tls");
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 with aiosmtpd (python3-aiosmtpd, installed by cargo xtask test)");
        let stdout = child.stdout.take().expect("its output");
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first).expect("its first line");
        assert_eq!(first.trim(), "READY", "the SMTP test server did not start");
        Self { child, port, dir }
    }

    /// Every message accepted so far, in order.
    pub fn messages(&self) -> Vec<Received> {
        let out = self.dir.path().join("received");
        let mut out_files: Vec<PathBuf> = std::fs::read_dir(&out)
            .expect("the output folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        out_files.sort();
        let mut messages = Vec::new();
        for n in 1.. {
            let eml = out.join(format!("{n}.eml"));
            let Ok(bytes) = std::fs::read(&eml) else {
                break;
            };
            let prefix = format!("{n}-");
            let attachments = out_files
                .iter()
                .filter_map(|p| {
                    let name = p.file_name()?.to_str()?;
                    let file = name.strip_prefix(&prefix)?;
                    Some((file.to_owned(), std::fs::read(p).ok()?))
                })
                .collect();
            messages.push(Received {
                eml: bytes,
                attachments,
            });
        }
        messages
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        // Nothing of it is kept: stopped at once.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
