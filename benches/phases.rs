//! The in-process floor of a render (issue 16): the wall time of each stage in a fresh process
//! (the first, cold round) and the median of warm rounds (ROUNDS, default 200), as `quire
//! render` runs them: the bundled font book, reading the issue and its folder's quire.yaml,
//! compose (parse, itemize, shape, break, paginate), the PDF (embed, content, serialize,
//! compress), the write. The allocator is mimalloc, the binary's for long work; a `quire
//! render` of a short issue runs on the binary's arena (see `alloc` there), whose warm floor
//! read higher on the sample (this benchmark with the arena as its allocator, alternated
//! with mimalloc: warm medians 1.07 of mimalloc's, seven runs, 0.65–1.13), so this is the
//! stricter of the two floors.
//!
//! `cargo bench --bench phases -- ISSUE` (scripts/bench runs it on the sample).
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    // `cargo bench` passes `--bench`; the issue is the first other argument.
    let Some(path) = std::env::args().skip(1).find(|a| !a.starts_with("--")) else {
        eprintln!("usage: cargo bench --bench phases -- ISSUE");
        std::process::exit(2);
    };
    let n: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let out = std::env::temp_dir().join(format!("quire-phases-{}.pdf", std::process::id()));
    let mut rows: Vec<[u128; 6]> = Vec::new();
    for _ in 0..n {
        let t0 = Instant::now();
        let book = quire::fonts::FontBook::bundled();
        let t1 = Instant::now();
        let text = std::fs::read_to_string(&path).unwrap();
        let cfg = std::path::Path::new(&path).with_file_name("quire.yaml");
        let base = match std::fs::read_to_string(&cfg) {
            Ok(t) => quire::config::Config::from_yaml("quire.yaml", &t).unwrap(),
            Err(_) => quire::config::Config::default(),
        };
        let t2 = Instant::now();
        let opts = quire::RenderOptions::default();
        let composed =
            quire::compose_issue(&path, &text, &base, &book, &opts, &Default::default()).unwrap();
        let t3 = Instant::now();
        let pdf = quire::pdf::write_pdf_owned_as(composed.doc, &book, None).unwrap();
        let t4 = Instant::now();
        std::fs::write(&out, &pdf).unwrap();
        let t5 = Instant::now();
        let us = |a: Instant, b: Instant| (b - a).as_micros();
        rows.push([
            us(t0, t1),
            us(t1, t2),
            us(t2, t3),
            us(t3, t4),
            us(t4, t5),
            us(t0, t5),
        ]);
    }
    let _ = std::fs::remove_file(&out);
    let names = ["book", "read+yaml", "compose", "pdf", "write", "total"];
    let first = rows[0];
    let warm = &mut rows[1..];
    for (i, name) in names.iter().enumerate() {
        let mut col: Vec<u128> = warm.iter().map(|r| r[i]).collect();
        col.sort();
        let med = col.get(col.len() / 2).copied().unwrap_or(0);
        println!("{name:10} cold {:6} us  warm median {:6} us", first[i], med);
    }
}
