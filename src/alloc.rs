//! The allocator, chosen once per process before its first allocation: mimalloc for work that
//! allocates a lot (an export, a long issue, a mail run, watch), the system's (glibc) for a
//! short one-issue command.
//!
//! mimalloc keeps a fresh page per size class and initialises its arena's bitmaps: on the
//! sample issue that is ~220 more page faults than glibc's allocator (~750 against ~530),
//! and the whole `quire render` is ~8 % slower with it (`quire check` ~22 %). From ~12 KB
//! of text on it wins: a 545-page issue renders ~20 % faster and an export ~25 %. So the
//! choice is made from the command line, in a constructor that runs before `main` (and
//! before the Rust runtime allocates): `render`, `check` and no subcommand at all
//! (`--version`, `--help`) take the system allocator when the files named on the command line
//! add up to less than [`SHORT_INPUT`]; everything else, and every platform where the
//! constructor is not given the arguments, takes mimalloc. An issue read from standard input (`-`) counts as short.
//!
//! Sound whatever runs first: the choice is a one-way switch from "undecided". The first
//! allocation settles it as mimalloc if the constructor has not chosen by then, and the
//! constructor only switches from "undecided"; every block is therefore freed by the
//! allocator that made it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};

use mimalloc::MiMalloc;

const UNDECIDED: u8 = 0;
const MIMALLOC: u8 = 1;
const SYSTEM: u8 = 2;

static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);

/// Input files (bytes, all of them together) below which a render or check uses the system
/// allocator. Measured whole `quire render`s, interleaved, mimalloc / glibc: the 2.9 KB sample
/// 1.07 (glibc faster), an 11 KB issue 1.01, 15 KB of Chinese 0.98, 30 KB 0.96, 120 KB 0.88.
#[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
const SHORT_INPUT: u64 = 8 * 1024;

/// The process's allocator: mimalloc or the system's, as [`CHOICE`] says.
pub struct Dispatch;

#[inline]
fn system() -> bool {
    match CHOICE.load(Ordering::Relaxed) {
        SYSTEM => true,
        MIMALLOC => false,
        _ => {
            match CHOICE.compare_exchange(UNDECIDED, MIMALLOC, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => false,
                Err(now) => now == SYSTEM,
            }
        }
    }
}

// SAFETY: every call goes to one of two allocators that uphold `GlobalAlloc`'s contract, and
// the same one for a block's whole life (`CHOICE` changes at most once, before the first
// allocation).
unsafe impl GlobalAlloc for Dispatch {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if system() {
            System.alloc(layout)
        } else {
            MiMalloc.alloc(layout)
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if system() {
            System.alloc_zeroed(layout)
        } else {
            MiMalloc.alloc_zeroed(layout)
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if system() {
            System.dealloc(ptr, layout)
        } else {
            MiMalloc.dealloc(ptr, layout)
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if system() {
            System.realloc(ptr, layout, new_size)
        } else {
            MiMalloc.realloc(ptr, layout, new_size)
        }
    }
}

/// Whether a command line (the arguments after the program's name) is short work: `render`,
/// `check` or no subcommand, with the files it names adding up to less than `limit` bytes.
/// `size` gives a file's size (`None` when the argument is not a regular file); the output
/// file (`-o`, `--output`) is not input and is not counted.
#[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
fn short_work<'a>(
    args: impl IntoIterator<Item = &'a [u8]>,
    limit: u64,
    size: impl Fn(&[u8]) -> Option<u64>,
) -> bool {
    let mut total = 0u64;
    let mut command_seen = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if matches!(arg, b"-o" | b"--output" | b"--color") {
            args.next();
            continue;
        }
        if !command_seen && !arg.starts_with(b"-") {
            if !matches!(arg, b"render" | b"check") {
                return false;
            }
            command_seen = true;
            continue;
        }
        total = total.saturating_add(size(arg).unwrap_or(0));
        if total >= limit {
            return false;
        }
    }
    true
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod choose {
    use std::ffi::{c_char, c_int, CStr};

    /// glibc calls `.init_array` functions with `argc, argv, envp` (an extension other C
    /// libraries do not share: hence only on linux-gnu).
    extern "C" fn choose(argc: c_int, argv: *const *const c_char, _envp: *const *const c_char) {
        if argv.is_null() || argc < 1 {
            return;
        }
        let n = usize::try_from(argc).unwrap_or(0);
        // SAFETY: glibc passes `argc` valid NUL-terminated strings in `argv`, alive for the
        // whole process.
        let args = (1..n).filter_map(|i| unsafe {
            let p = *argv.add(i);
            (!p.is_null()).then(|| CStr::from_ptr(p).to_bytes())
        });
        if super::short_work(args, super::SHORT_INPUT, file_size) {
            let _ = super::CHOICE.compare_exchange(
                super::UNDECIDED,
                super::SYSTEM,
                std::sync::atomic::Ordering::Relaxed,
                std::sync::atomic::Ordering::Relaxed,
            );
        }
    }

    /// A regular file's size by `stat(2)`, without allocating (the path is copied into a
    /// stack buffer to be NUL-terminated).
    fn file_size(path: &[u8]) -> Option<u64> {
        let mut buf = [0u8; 4096];
        if path.is_empty() || path.len() >= buf.len() || path.contains(&0) {
            return None;
        }
        buf[..path.len()].copy_from_slice(path);
        // SAFETY: `buf` is NUL-terminated (zeroed past `path`); `st` is written by stat.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::stat(buf.as_ptr().cast(), &mut st) } == 0;
        (ok && (st.st_mode & libc::S_IFMT) == libc::S_IFREG)
            .then(|| u64::try_from(st.st_size).unwrap_or(u64::MAX))
    }

    #[used]
    #[link_section = ".init_array"]
    static CHOOSE: extern "C" fn(c_int, *const *const c_char, *const *const c_char) = choose;
}

#[cfg(test)]
mod tests {
    use super::short_work;

    fn sized(arg: &[u8]) -> Option<u64> {
        match arg {
            b"small.txt" => Some(3_000),
            b"big.txt" => Some(2_000_000),
            b"out.pdf" => Some(40_000),
            _ => None,
        }
    }

    fn short(args: &[&str]) -> bool {
        short_work(args.iter().map(|a| a.as_bytes()), super::SHORT_INPUT, sized)
    }

    #[test]
    fn alloc_short_work_is_a_small_render_or_check() {
        assert!(short(&["render", "small.txt"]));
        assert!(short(&["render", "small.txt", "-o", "out.pdf"]));
        assert!(short(&["render", "--output", "out.pdf", "small.txt"]));
        assert!(short(&["--color", "never", "check", "small.txt"]));
        assert!(short(&["check", "small.txt", "small.txt"]));
        assert!(short(&["--version"]));
        assert!(short(&[]));
    }

    #[test]
    fn alloc_long_or_other_work_takes_mimalloc() {
        assert!(!short(&["render", "big.txt"]));
        assert!(!short(&["check", "small.txt", "big.txt"]));
        // The output is not counted, but an input named twice is.
        assert!(!short(&["render", "out.pdf", "-o", "x.pdf"]));
        for command in ["export", "mail", "watch", "init", "extract"] {
            assert!(!short(&[command, "small.txt"]), "{command}");
        }
    }
}
