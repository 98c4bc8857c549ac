//! FirmaDesk's engine for the shared render benchmark (`shared/bench/render`, adapter contract in its
//! README): `engine-firmadesk PDF_DIR OUT_JSON REPS THUMBS`.
//!
//! It times what the clerk waits for, through FirmaDesk's own code path: file bytes → page pixels ready for
//! the webview (rendered by pdfium and encoded as fast PNG, the transport the app uses). Each repetition
//! runs in a fresh process (this binary re-run with `--one FILE`), pdfium binding untimed, like the
//! anchors. Measurement names match the anchors'.
//!
//! `engine-firmadesk --isolation FILE RUNS` measures what a pdfium worker process would cost instead.

use firmadesk_pdf::render::{encode_png, render_page};
use firmadesk_pdf::Limits;
use std::path::Path;
use std::time::Instant;

const FILES: [&str; 3] = ["text-200p.pdf", "vector-jpeg-50p.pdf", "contract-1p.pdf"];

fn ms(t0: Instant) -> f64 {
    t0.elapsed().as_secs_f64() * 1000.0
}

/// One repetition on one file, in this process.
fn one_rep(path: &Path, thumbs: u32) -> serde_json::Value {
    let pdfium = firmadesk_pdf::library::pdfium().expect("pdfium");
    // The benchmark's files include a 50-page scan-like PDF larger than nothing we'd refuse; no limits here.
    let limits = Limits {
        max_bytes: u64::MAX,
        max_pages: u32::MAX,
    };
    let open_render = || {
        let bytes = std::fs::read(path).expect("read pdf");
        let doc = firmadesk_pdf::document::load(pdfium, &bytes, &limits).expect("open");
        let bitmap = render_page(&doc, 0, 1000).expect("render");
        let png = encode_png(&bitmap).expect("png");
        (bitmap.width, bitmap.height, png.len())
    };
    let t0 = Instant::now();
    let (w, h, png_len) = open_render();
    let cold = ms(t0);
    let t0 = Instant::now();
    open_render();
    let warm = ms(t0);

    let bytes = std::fs::read(path).expect("read pdf");
    let doc = firmadesk_pdf::document::load(pdfium, &bytes, &limits).expect("open");
    let t0 = Instant::now();
    render_page(&doc, 0, 1000).expect("render");
    let rerender = ms(t0);
    let t0 = Instant::now();
    open_render();
    let with_png = ms(t0);

    let n = (doc.pages().len().max(0) as u32).min(thumbs);
    let t0 = Instant::now();
    for page in 0..n {
        encode_png(&render_page(&doc, page, 200).expect("thumb")).expect("thumb png");
    }
    let thumbs_ms = ms(t0);
    serde_json::json!({
        "open+p1@1000 cold": cold, "open+p1@1000 warm": warm, "p1@1000 re-render": rerender,
        "open+p1@1000+PNG": with_png, "thumbs@200": thumbs_ms,
        "_px": [w, h], "_png_bytes": png_len, "_thumbs": n,
    })
}

/// Page 1 of `path` at 1000 px as fast PNG, the preview the app shows first.
fn page1_png(path: &Path) -> Vec<u8> {
    let pdfium = firmadesk_pdf::library::pdfium().expect("pdfium");
    let bytes = std::fs::read(path).expect("read pdf");
    let limits = Limits {
        max_bytes: u64::MAX,
        max_pages: u32::MAX,
    };
    let doc = firmadesk_pdf::document::load(pdfium, &bytes, &limits).expect("open");
    encode_png(&render_page(&doc, 0, 1000).expect("render")).expect("png")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `engine-firmadesk --isolation FILE RUNS`: what running pdfium in a worker process would cost (issue
/// #10, item 3): page 1 at 1000 px in this process, through a child spawned per call, and through one
/// persistent child (request on stdin, PNG on stdout). Prints medians in ms as JSON.
fn isolation(file: &Path, runs: usize) {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};
    let exe = std::env::current_exe().expect("own path");
    page1_png(file); // bind pdfium untimed, like the other measurements
    let in_process: Vec<f64> = (0..runs)
        .map(|_| {
            let t0 = Instant::now();
            page1_png(file);
            ms(t0)
        })
        .collect();
    let spawn_per_call: Vec<f64> = (0..runs)
        .map(|_| {
            let t0 = Instant::now();
            let out = Command::new(&exe).arg("--render").arg(file).output().expect("spawn");
            assert!(out.status.success() && out.stdout.starts_with(b"\x89PNG"));
            ms(t0)
        })
        .collect();
    let t0 = Instant::now();
    let mut child = Command::new(&exe)
        .arg("--serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn worker");
    let mut to = child.stdin.take().unwrap();
    let mut from = BufReader::new(child.stdout.take().unwrap());
    let mut ask = |to: &mut std::process::ChildStdin| {
        writeln!(to, "{}", file.display()).unwrap();
        let mut len = String::new();
        from.read_line(&mut len).unwrap();
        let mut png = vec![0; len.trim().parse().unwrap()];
        from.read_exact(&mut png).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
    };
    ask(&mut to);
    let worker_start = ms(t0);
    let persistent: Vec<f64> = (0..runs)
        .map(|_| {
            let t0 = Instant::now();
            ask(&mut to);
            ms(t0)
        })
        .collect();
    drop(to);
    child.wait().unwrap();
    println!(
        "{}",
        serde_json::json!({
            "file": file.display().to_string(), "runs": runs,
            "in-process ms": median(in_process), "spawn-per-call ms": median(spawn_per_call),
            "persistent-child ms": median(persistent), "persistent-child first call (spawn+bind) ms": worker_start,
        })
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("--render") => {
            use std::io::Write;
            std::io::stdout().write_all(&page1_png(Path::new(&args[2]))).unwrap();
            return;
        }
        Some("--serve") => {
            use std::io::{BufRead, Write};
            let mut out = std::io::stdout().lock();
            for line in std::io::stdin().lock().lines() {
                let png = page1_png(Path::new(line.unwrap().trim()));
                writeln!(out, "{}", png.len()).unwrap();
                out.write_all(&png).unwrap();
                out.flush().unwrap();
            }
            return;
        }
        Some("--isolation") => {
            isolation(Path::new(&args[2]), args[3].parse().expect("RUNS"));
            return;
        }
        _ => {}
    }
    if args.len() >= 5 && args[2] == "--one" {
        // engine-firmadesk PDF_DIR --one FILE THUMBS
        let thumbs = args[4].parse().expect("thumbs");
        println!("{}", one_rep(&Path::new(&args[1]).join(&args[3]), thumbs));
        return;
    }
    if args.len() != 5 {
        eprintln!("usage: engine-firmadesk PDF_DIR OUT_JSON REPS THUMBS");
        std::process::exit(2);
    }
    let (dir, out_json) = (&args[1], &args[2]);
    let reps: usize = args[3].parse().expect("REPS");
    let thumbs = &args[4];
    let exe = std::env::current_exe().expect("own path");
    let mut results = serde_json::Map::new();
    for file in FILES {
        let mut runs: Vec<serde_json::Value> = Vec::new();
        for _ in 0..reps {
            let out = std::process::Command::new(&exe)
                .args([dir, "--one", file, thumbs])
                .output()
                .expect("spawn rep");
            if !out.status.success() {
                eprintln!(
                    "firmadesk rep failed on {file}:\n{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                std::process::exit(1);
            }
            runs.push(serde_json::from_slice(&out.stdout).expect("rep json"));
        }
        let mut res = serde_json::Map::new();
        for key in [
            "open+p1@1000 cold",
            "open+p1@1000 warm",
            "p1@1000 re-render",
            "open+p1@1000+PNG",
            "thumbs@200",
        ] {
            let name = if key == "thumbs@200" {
                format!("thumbs@200 x{}", runs[0]["_thumbs"])
            } else {
                key.to_string()
            };
            res.insert(name, runs.iter().map(|r| r[key].clone()).collect());
        }
        res.insert(
            "_meta".into(),
            serde_json::json!({"px": runs[0]["_px"], "png_bytes": runs[0]["_png_bytes"]}),
        );
        results.insert(file.to_string(), res.into());
        eprintln!("  firmadesk {file}: done");
    }
    let out = serde_json::json!({
        "engine": "firmadesk", "label": "FirmaDesk (pdfium-render + fast PNG)",
        "version": concat!("firmadesk-pdf ", env!("CARGO_PKG_VERSION"), " / pdfium-render 0.9.5"),
        "reps": reps, "results": results,
    });
    std::fs::write(out_json, serde_json::to_string_pretty(&out).unwrap()).expect("write OUT_JSON");
}
