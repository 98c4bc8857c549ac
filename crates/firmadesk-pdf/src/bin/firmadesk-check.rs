//! Standalone preflight, the same as `firmadesk check` (see `firmadesk_pdf::cli`).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = firmadesk_pdf::cli::check_cli(&args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
