//! What a booklet costs (issue 18: imposing ≤ 10 % of the render): the same issue composed at
//! the booklet's page size, then written with and without its imposed sheets, interleaved,
//! ROUNDS times (default 200). Prints the medians (min–max) of compose, the reader's PDF
//! alone, the PDF with its booklet, and the booklet's share of the whole render.
//!
//! `cargo bench --bench impose -- ISSUE [PAPER]` (PAPER default a4).
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(path) = args.first() else {
        eprintln!("usage: cargo bench --bench impose -- ISSUE [PAPER]");
        std::process::exit(2);
    };
    let paper = quire::config::parse_paper(args.get(1).map_or("a4", String::as_str)).unwrap();
    let n: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let book = quire::fonts::FontBook::bundled();
    let text = std::fs::read_to_string(path).unwrap();
    let base = quire::config::Config::default();
    let opts = quire::RenderOptions {
        paper: Some(paper),
        print: quire::print::PrintFlags {
            booklet: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let (mut compose, mut plain, mut booklet) = (Vec::new(), Vec::new(), Vec::new());
    let mut pages = 0;
    for round in 0..n {
        // Alternate which of the two writes goes first.
        for with in [round % 2 == 0, round % 2 != 0] {
            let t0 = Instant::now();
            let c = quire::compose_issue(path, &text, &base, &book, &opts, &Default::default())
                .unwrap();
            let t1 = Instant::now();
            pages = c.doc.pages.len();
            let mut print = c.print.clone();
            if !with {
                print.booklet = None;
            }
            let w = quire::pdf::write_print(c.doc, &book, None, &print).unwrap();
            let t2 = Instant::now();
            assert_eq!(w.booklet.is_some(), with);
            compose.push((t1 - t0).as_secs_f64() * 1e3);
            if with {
                booklet.push((t2 - t1).as_secs_f64() * 1e3);
            } else {
                plain.push((t2 - t1).as_secs_f64() * 1e3);
            }
        }
    }
    let stat = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[0], v[v.len() - 1])
    };
    let (c, cmin, cmax) = stat(&mut compose);
    let (p, pmin, pmax) = stat(&mut plain);
    let (b, bmin, bmax) = stat(&mut booklet);
    println!("{path}: {pages} pages, {n} interleaved rounds (median, min–max)");
    println!("compose                 {c:8.3} ms ({cmin:.3}–{cmax:.3})");
    println!("PDF, reader's only      {p:8.3} ms ({pmin:.3}–{pmax:.3})");
    println!("PDF + booklet           {b:8.3} ms ({bmin:.3}–{bmax:.3})");
    println!(
        "booklet's share of the render (target <= 10%): {:.1}% ({:.3} ms of {:.3} ms)",
        (b - p) / (c + p) * 100.0,
        b - p,
        c + p
    );
}
