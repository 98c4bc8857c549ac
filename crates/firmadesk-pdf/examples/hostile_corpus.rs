//! Regenerates the committed hostile-PDF corpus in `tests/fixtures/hostile/` (run by hand after changing
//! `tests/common/hostile.rs`; slow, since two 1 GiB inflate bombs are deflated twice).

#[path = "../tests/common/hostile.rs"]
mod hostile;

fn main() -> std::io::Result<()> {
    let dir = hostile::corpus_dir();
    std::fs::create_dir_all(&dir)?;
    for (name, what) in hostile::CORPUS {
        std::fs::write(dir.join(name), hostile::generate(name))?;
        println!("{name}: {what}");
    }
    Ok(())
}
