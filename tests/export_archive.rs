//! `quire export` on a generated archive (scripts/gen-archive): every good issue exported and
//! valid, the broken one reported, the manifest complete, incremental re-runs, byte-identical
//! outputs for -j 1 and -j 2, a SIGKILLed run that leaves whole files only, hostile paths,
//! and an annual volume whose contents match its pages.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A fixed SOURCE_DATE_EPOCH: the outputs must not depend on the clock.
const EPOCH: &str = "1500000000";
/// The archive the "Done when" list asks for: at least 100 issues.
const ARCHIVE_ISSUES: usize = 120;
/// The archive of the kill test: large enough that a run at -j 1 is still working well after
/// its first manifest save (0.5 s in) at any speed quire reaches (~4 s at 250 issues/s).
const KILL_ISSUES: usize = 1000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Generate an archive of `n` issues into `dir` with the project's script.
fn gen_archive(dir: &Path, n: usize) {
    let st = Command::new("python3")
        .arg(root().join("scripts/gen-archive"))
        .arg(dir)
        .args(["--issues", &n.to_string()])
        .status()
        .expect("python3 runs scripts/gen-archive");
    assert!(st.success(), "gen-archive failed");
}

fn export_cmd(dir: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_quire"));
    c.arg("export")
        .arg(dir)
        .arg("-o")
        .arg(out)
        .args(extra)
        .env("SOURCE_DATE_EPOCH", EPOCH);
    c
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn export(dir: &Path, out: &Path, extra: &[&str]) -> Run {
    let o: Output = export_cmd(dir, out, extra).output().expect("quire runs");
    common::keep_pdfs(out);
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// The summary: the last line of stdout.
fn summary(run: &Run) -> &str {
    run.stdout.lines().last().unwrap_or("")
}

/// Every plain file under `dir` (symlinks left out), relative, with its bytes; a file that
/// vanishes while being listed is left out.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                stack.push(e.path());
            } else if ft.is_file() {
                let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
                // A running export renames its temporary files away under our feet.
                match fs::read(e.path()) {
                    Ok(bytes) => {
                        out.insert(rel, bytes);
                    }
                    Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                    Err(err) => panic!("{}: {err}", e.path().display()),
                }
            }
        }
    }
    out
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    files(dir)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect()
}

fn qpdf_ok(path: &Path) -> bool {
    Command::new("qpdf")
        .arg("--check")
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

fn manifest(out: &Path) -> Value {
    serde_json::from_slice(&fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

fn pdftotext(pdf: &Path, page: usize) -> String {
    let o = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn export_archive_all_good_issues_valid_broken_reported_incremental() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    let out = tmp.path().join("out");
    gen_archive(&dir, ARCHIVE_ISSUES);

    let run = export(&dir, &out, &["-j", "2"]);
    assert_eq!(run.code, 1, "a broken issue makes the exit code 1");
    assert!(
        summary(&run).starts_with(&format!(
            "{} rendered, 0 up to date, 1 failed (2015/2015-01.txt:1:1: ",
            ARCHIVE_ISSUES - 1
        )),
        "{}",
        run.stdout
    );
    assert!(run
        .stderr
        .contains("2015/2015-01.txt:1:1: error: the front matter opened by --- on line 1"));

    // Every good issue is a PDF that qpdf accepts, in the mirrored folders.
    let made = pdfs(&out);
    assert_eq!(made.len(), ARCHIVE_ISSUES - 1);
    assert!(made.contains(&PathBuf::from("2010/2010-04 special.pdf")));
    for p in &made {
        assert!(qpdf_ok(&out.join(p)), "qpdf --check {}", p.display());
    }

    // The manifest lists every issue, in source order, with the documented fields.
    let m = manifest(&out);
    let issues = m["issues"].as_array().unwrap();
    assert_eq!(issues.len(), ARCHIVE_ISSUES);
    let sources: Vec<&str> = issues
        .iter()
        .map(|e| e["source"].as_str().unwrap())
        .collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(sources, sorted);
    let broken = issues
        .iter()
        .find(|e| e["source"] == "2015/2015-01.txt")
        .unwrap();
    assert_eq!(broken["status"], "failed");
    let good = issues
        .iter()
        .find(|e| e["source"] == "2017/2017-04.txt")
        .unwrap();
    for field in [
        "source",
        "output",
        "title",
        "newsletter",
        "issue",
        "year",
        "date",
        "language",
        "pages",
        "bytes",
        "sha256",
        "status",
    ] {
        assert!(good.get(field).is_some(), "manifest field {field}");
    }
    assert_eq!(good["status"], "rendered");
    assert_eq!(good["year"], 2017);
    assert_eq!(good["issue"], 4);
    let bytes = fs::read(out.join("2017/2017-04.pdf")).unwrap();
    assert_eq!(good["bytes"], bytes.len());

    // A second run renders nothing and says so; changing a file's time changes nothing.
    let run = export(&dir, &out, &[]);
    assert!(summary(&run).starts_with(&format!(
        "0 rendered, {} up to date, 1 failed",
        ARCHIVE_ISSUES - 1
    )));
    let before = files(&out);
    let f = fs::File::options()
        .append(true)
        .open(dir.join("2012/2012-03.txt"))
        .unwrap();
    f.set_modified(std::time::SystemTime::now() + Duration::from_secs(3600))
        .unwrap();
    drop(f);
    let run = export(&dir, &out, &[]);
    assert!(summary(&run).starts_with("0 rendered, "), "{}", run.stdout);

    // Changing one file's text renders that one only.
    let p = dir.join("2012/2012-03.txt");
    let mut text = fs::read_to_string(&p).unwrap();
    text.push_str("\nOne more line for the record.\n");
    fs::write(&p, text).unwrap();
    let run = export(&dir, &out, &[]);
    assert!(summary(&run).starts_with(&format!(
        "1 rendered, {} up to date, 1 failed",
        ARCHIVE_ISSUES - 2
    )));
    assert!(run
        .stdout
        .contains("rendered 2012/2012-03.txt -> 2012/2012-03.pdf"));
    let after = files(&out);
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        changed,
        vec![
            &PathBuf::from("2012/2012-03.pdf"),
            &PathBuf::from("manifest.json")
        ]
    );

    // --force renders everything again, to the same bytes.
    let run = export(&dir, &out, &["--force", "--quiet"]);
    assert!(summary(&run).starts_with(&format!("{} rendered, 0 up to date", ARCHIVE_ISSUES - 1)));
    assert!(
        !run.stdout.contains("rendered 20"),
        "--quiet prints no progress"
    );
    let forced = files(&out);
    for p in pdfs(&out) {
        assert_eq!(forced.get(&p), after.get(&p), "{}", p.display());
    }
}

#[test]
fn export_same_bytes_for_j1_and_j2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    gen_archive(&dir, 30);
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    export(&dir, &a, &["-j", "1", "--volumes"]);
    export(&dir, &b, &["-j", "2", "--volumes"]);
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    assert!(fa.contains_key(Path::new("volume-2011.pdf")));
    for (k, v) in &fa {
        assert!(fb.get(k) == Some(v), "{} differs", k.display());
    }
}

#[test]
fn export_killed_run_leaves_whole_pdfs_and_next_run_completes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    let out = tmp.path().join("out");
    gen_archive(&dir, KILL_ISSUES);
    let mut child = export_cmd(&dir, &out, &["-j", "1", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once it has saved its manifest at least once, i.e. midway.
    let start = Instant::now();
    while !out.join("manifest.json").exists() && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    // Meanwhile a second export into the same OUTDIR stops at once, touching nothing.
    let before = pdfs(&out).len();
    let second = export(&dir, &out, &["-j", "1"]);
    assert_eq!(second.code, 2, "{}", second.stderr);
    assert!(
        second.stderr.contains("another quire export (process ")
            && second.stderr.lines().count() == 1,
        "{}",
        second.stderr
    );
    assert!(second.stdout.is_empty());
    assert!(
        pdfs(&out).len() >= before,
        "the first run's files are left alone"
    );
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    assert!(!status.success(), "the run was killed before it finished");

    let made = pdfs(&out);
    assert!(
        !made.is_empty() && made.len() < KILL_ISSUES - 1,
        "killed midway: {}",
        made.len()
    );
    for p in &made {
        assert!(qpdf_ok(&out.join(p)), "{} is whole", p.display());
    }
    let m = manifest(&out);
    let recorded = m["issues"].as_array().unwrap().len();
    assert!(recorded > 0);

    let run = export(&dir, &out, &[]);
    assert_eq!(run.code, 1);
    let s = summary(&run);
    let up_to_date: usize = s
        .split(", ")
        .nth(1)
        .and_then(|p| p.strip_suffix(" up to date"))
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        up_to_date > 0,
        "the next run keeps the killed run's work: {s}"
    );
    assert_eq!(pdfs(&out).len(), KILL_ISSUES - 1);
    // The killed run's lock died with it; this run's is released (its file left empty); no
    // temporary file is left.
    let all = files(&out);
    assert_eq!(
        all.get(Path::new(".quire-export.lock")).map(Vec::len),
        Some(0)
    );
    let leftovers: Vec<PathBuf> = all
        .into_keys()
        .filter(|p| p.to_string_lossy().contains(".quire-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(
        manifest(&out)["issues"].as_array().unwrap().len(),
        KILL_ISSUES
    );
}

const GOOD: &str = "NEWSLETTER Issue 1 of 2017\n\n\nA Title\n\nSome text.\n";

#[test]
fn export_hostile_paths_never_leave_outdir() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    let trap = tmp.path().join("trap");
    fs::create_dir_all(&outside).unwrap();
    fs::create_dir_all(&trap).unwrap();
    fs::write(outside.join("secret.txt"), GOOD).unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir_all(dir.join("2017")).unwrap();
    fs::create_dir_all(dir.join("a b/c d")).unwrap();
    fs::write(dir.join("2017/ok.txt"), GOOD).unwrap();
    fs::write(dir.join("a b/c d/with space.txt"), GOOD).unwrap();
    fs::write(dir.join("..txt"), GOOD).unwrap();
    fs::write(dir.join("a..b.txt"), GOOD).unwrap();
    fs::write(dir.join("back\\slash.txt"), GOOD).unwrap();
    // Links out of DIR: a file, a folder, and `..` through a folder link.
    std::os::unix::fs::symlink(outside.join("secret.txt"), dir.join("link-out.txt")).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("folder-out")).unwrap();
    std::os::unix::fs::symlink(&dir, dir.join("2017/loop")).unwrap();
    std::os::unix::fs::symlink("../..", dir.join("a b/up")).unwrap();
    // A link inside DIR is fine.
    std::os::unix::fs::symlink(dir.join("2017/ok.txt"), dir.join("alias.txt")).unwrap();
    // OUTDIR already holds a folder link leading out: writing through it must fail.
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(&trap, out.join("2017")).unwrap();

    let run = export(&dir, &out, &[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("link-out.txt: warning: skipped"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2017/ok.pdf"), "{}", run.stderr);
    assert_eq!(
        fs::read_dir(&trap).unwrap().count(),
        0,
        "nothing written through the link"
    );
    assert_eq!(fs::read_dir(&outside).unwrap().count(), 1);
    // Hidden files ("..txt" too) are not issues; links out and folder links are not followed.
    let mut made = pdfs(&out);
    made.sort();
    assert_eq!(
        made,
        vec![
            PathBuf::from("a b/c d/with space.pdf"),
            PathBuf::from("a..b.pdf"),
            PathBuf::from("alias.pdf"),
            PathBuf::from("back\\slash.pdf"),
        ]
    );
    for p in &made {
        let real = fs::canonicalize(out.join(p)).unwrap();
        assert!(real.starts_with(fs::canonicalize(&out).unwrap()));
    }
}

#[test]
fn export_volume_contents_match_pages_and_outline_nests() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("archive");
    let out = tmp.path().join("out");
    gen_archive(&dir, 24);
    let run = export(&dir, &out, &["--volumes"]);
    assert!(
        summary(&run).ends_with("volumes: 4 rendered, 0 up to date, 0 failed"),
        "{}",
        run.stdout
    );
    let vol = out.join("volume-2010.pdf");
    assert!(qpdf_ok(&vol));

    // Contents: "Issue N   Title   page" lines on page 2.
    let toc = pdftotext(&vol, 2);
    assert!(toc.contains("Contents"));
    let entries: Vec<(String, usize)> = toc
        .lines()
        .filter(|l| l.trim_start().starts_with("Issue "))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            let page = words.last().unwrap().parse().unwrap();
            (words[2..words.len() - 1].join(" "), page)
        })
        .collect();
    let m = manifest(&out);
    let volume = m["volumes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["output"] == "volume-2010.pdf")
        .unwrap();
    let members = volume["issues"].as_array().unwrap().len();
    assert_eq!(entries.len(), members);
    let total = volume["pages"].as_u64().unwrap() as usize;
    for (title, page) in &entries {
        let text = pdftotext(&vol, *page);
        assert!(
            text.contains(title.as_str()),
            "page {page} starts \"{title}\""
        );
        assert!(
            text.contains(&format!("Page {page} of {total}")),
            "footer of page {page}"
        );
    }

    // Outline: year -> issues -> sections, each issue entry on its contents page.
    let o = Command::new("qpdf")
        .args(["--json", "--json-key=outlines"])
        .arg(&vol)
        .output()
        .unwrap();
    let j: Value = serde_json::from_slice(&o.stdout).unwrap();
    let top = j["outlines"].as_array().unwrap();
    assert_eq!(top.len(), 1);
    assert_eq!(top[0]["title"], "NEWSLETTER 2010");
    let kids = top[0]["kids"].as_array().unwrap();
    assert_eq!(kids.len(), entries.len());
    for (k, (title, page)) in kids.iter().zip(&entries) {
        assert!(k["title"].as_str().unwrap().ends_with(title.as_str()));
        assert_eq!(k["destpageposfrom1"].as_u64().unwrap() as usize, *page);
        let sections = k["kids"].as_array().unwrap();
        assert!((3..=12).contains(&sections.len()), "{}", sections.len());
        assert!(sections[0]["title"].as_str().unwrap().starts_with("I. "));
    }
}

#[test]
fn export_patterns_and_nearest_quire_yaml() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    fs::create_dir_all(dir.join("letter")).unwrap();
    fs::write(
        dir.join("quire.yaml"),
        "paper: a4\nexport:\n  patterns: [\"*.issue\"]\n",
    )
    .unwrap();
    fs::write(dir.join("letter/quire.yaml"), "paper: letter\n").unwrap();
    fs::write(dir.join("a.issue"), GOOD).unwrap();
    fs::write(dir.join("b.txt"), GOOD).unwrap();
    fs::write(dir.join("letter/c.issue"), GOOD).unwrap();
    let out = tmp.path().join("out");
    let run = export(&dir, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        pdfs(&out),
        vec![PathBuf::from("a.pdf"), PathBuf::from("letter/c.pdf")]
    );
    let size = |p: &str| {
        let o = Command::new("pdfinfo").arg(out.join(p)).output().unwrap();
        let info = String::from_utf8_lossy(&o.stdout).into_owned();
        info.lines()
            .find(|l| l.starts_with("Page size:"))
            .unwrap_or("")
            .to_string()
    };
    assert!(size("a.pdf").contains("595.") && size("a.pdf").contains("841."));
    assert!(
        size("letter/c.pdf").contains("612 x 792"),
        "{}",
        size("letter/c.pdf")
    );

    // Changing a quire.yaml re-renders the issues under it only.
    fs::write(dir.join("letter/quire.yaml"), "paper: legal\n").unwrap();
    let run = export(&dir, &out, &[]);
    assert!(
        summary(&run).starts_with("1 rendered, 1 up to date, 0 failed"),
        "{}",
        run.stdout
    );
    assert!(
        size("letter/c.pdf").contains("612 x 1008"),
        "{}",
        size("letter/c.pdf")
    );
}

#[test]
fn export_front_matter_font_is_used_and_its_contents_are_part_of_the_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    let out = tmp.path().join("out");
    fs::create_dir_all(dir.join("2017/faces")).unwrap();
    let face = dir.join("2017/faces/house.ttf");
    fs::copy(root().join("fonts/NotoSans-Italic.ttf"), &face).unwrap();
    fs::write(
        dir.join("2017/a.txt"),
        format!("---\nfonts: [faces/house.ttf]\ntheme:\n  body:\n    font: NotoSans-Italic\n---\n{GOOD}"),
    )
    .unwrap();
    fs::write(dir.join("2017/b.txt"), GOOD).unwrap();
    let run = export(&dir, &out, &["--volumes"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The annual volume binds both issues, each in its own faces.
    let o = Command::new("pdffonts")
        .arg(out.join("volume-2017.pdf"))
        .output()
        .expect("pdffonts runs");
    let vol = String::from_utf8_lossy(&o.stdout);
    assert!(
        vol.contains("+NotoSans-Italic") && vol.contains("+NotoSerif-Regular"),
        "{vol}"
    );
    let fonts = |name: &str| {
        let o = Command::new("pdffonts")
            .arg(out.join("2017").join(name))
            .output()
            .expect("pdffonts runs");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert!(
        fonts("a.pdf").contains("+NotoSans-Italic"),
        "{}",
        fonts("a.pdf")
    );
    assert!(
        fonts("b.pdf").contains("+NotoSerif-Regular"),
        "{}",
        fonts("b.pdf")
    );

    // Another face under the same file name (and the theme naming it): only that issue is
    // rendered again.
    fs::copy(root().join("fonts/NotoSans-BoldItalic.ttf"), &face).unwrap();
    fs::write(
        dir.join("2017/a.txt"),
        format!("---\nfonts: [faces/house.ttf]\ntheme:\n  body:\n    font: NotoSans-BoldItalic\n---\n{GOOD}"),
    )
    .unwrap();
    let before = fs::read(out.join("2017/b.pdf")).unwrap();
    let run = export(&dir, &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        summary(&run).starts_with("1 rendered, 1 up to date"),
        "{}",
        run.stdout
    );
    assert!(
        fonts("a.pdf").contains("+NotoSans-BoldItalic"),
        "{}",
        fonts("a.pdf")
    );
    assert_eq!(fs::read(out.join("2017/b.pdf")).unwrap(), before);
    // The font file alone changes (the text does not): the issue is not up to date; here its
    // theme now names a face the file no longer has, so it fails.
    fs::copy(root().join("fonts/NotoSans-Italic.ttf"), &face).unwrap();
    let run = export(&dir, &out, &[]);
    assert_eq!(run.code, 1, "the theme names a face the file no longer has");
    assert!(
        summary(&run).starts_with("0 rendered, 1 up to date, 1 failed"),
        "{}",
        run.stdout
    );

    // A missing font: that issue fails, naming itself and the file.
    fs::remove_file(&face).unwrap();
    let run = export(&dir, &out, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("2017/a.txt: error: ") && run.stderr.contains("house.ttf"),
        "{}",
        run.stderr
    );
}
