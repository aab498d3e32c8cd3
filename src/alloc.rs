//! The allocator, chosen once per process before its first allocation: an arena (`arena`)
//! for a render of up to a few hundred pages, the system's (glibc) for a short check,
//! `--version` or `--help`, mimalloc for everything else (an export, a very long issue, a
//! mail run, watch, a long check).
//!
//! mimalloc keeps a fresh page per size class and initialises its arena's bitmaps: on the
//! sample issue that was ~220 more page faults than glibc's allocator (~750 against ~530),
//! and the whole `quire render` ~8 % slower than with glibc's (`quire check` ~22 %). From
//! ~12 KB of text on it wins over glibc: a 545-page issue renders ~20 % faster and an export
//! ~25 %. The arena beats both on a render: a free-list pop or a pointer bump per allocation
//! (8 % fewer instructions on the sample than glibc), and a huge page or a few instead of
//! hundreds or thousands of faults. Whole `quire render`s, interleaved, arena / the allocator
//! before: the 2.9 KB sample 0.895 and 0.901 (glibc; 300 and 200 rounds), 11 KB 0.859, 21 KB
//! of Chinese 0.889, 54 KB 0.887, 125 KB 0.882, 250 KB 0.868 (mimalloc; 16–40 rounds), then
//! 500 KB 0.989 and 1 MB 1.021: a long issue's pages are written on every core, and the
//! threads then queue for the arena's lock, whose free lists also keep more memory than
//! mimalloc (198 against 140–157 MiB on the 794-page issue, 1.0 against 0.85 s). In an export
//! (mimalloc's threads, one issue after another) it made no difference (1.001 of the CPU
//! time, one thread).
//!
//! So the choice is made from the command line, in a constructor that runs before `main`
//! (and before the Rust runtime allocates), by [`short_work`]: a `render` of less than
//! [`ARENA_INPUT`] takes the arena, a `check` or no subcommand of less than [`SHORT_INPUT`]
//! the system's allocator (which also stands in when the arena cannot be mapped); everything
//! else takes mimalloc. glibc hands the constructor the arguments; musl does not, and there it
//! reads them from `/proc/self/cmdline` (and gives short work other than a render mimalloc,
//! not musl's malloc, which made a check a third slower); other platforms take mimalloc for
//! everything. An issue read from standard input (`-`) counts as short.
//!
//! Sound whatever runs first: the choice is a one-way switch from "undecided". The first
//! allocation settles it as mimalloc if the constructor has not chosen by then, and the
//! constructor only switches from "undecided"; every block is therefore freed by the
//! allocator that made it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};

use mimalloc::MiMalloc;

#[cfg(target_os = "linux")]
mod arena;

const UNDECIDED: u8 = 0;
const MIMALLOC: u8 = 1;
const SYSTEM: u8 = 2;
#[cfg_attr(
    not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))),
    allow(dead_code)
)]
const ARENA: u8 = 3;

/// The arena of short work (see `arena`).
#[cfg(target_os = "linux")]
static SHORT: arena::Arena = arena::Arena::new();

static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);

/// Input files (bytes, all of them together) below which a check uses the system allocator.
/// Measured whole `quire render`s, interleaved, mimalloc / glibc: the 2.9 KB sample 1.07
/// (glibc faster), an 11 KB issue 1.01, 15 KB of Chinese 0.98, 30 KB 0.96, 120 KB 0.88.
#[cfg_attr(
    not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))),
    allow(dead_code)
)]
const SHORT_INPUT: u64 = 8 * 1024;

/// Input files below which a render uses the arena (the measurements are in the module's
/// docs: it wins up to 250 KB, about 60 pages, and loses from 1 MB).
#[cfg_attr(
    not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))),
    allow(dead_code)
)]
const ARENA_INPUT: u64 = 256 * 1024;

/// The process's allocator: mimalloc or the system's, as [`CHOICE`] says.
pub struct Dispatch;

/// The allocator chosen, settled as mimalloc if nothing was chosen yet.
#[inline]
fn choice() -> u8 {
    match CHOICE.load(Ordering::Relaxed) {
        UNDECIDED => {
            match CHOICE.compare_exchange(UNDECIDED, MIMALLOC, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => MIMALLOC,
                Err(now) => now,
            }
        }
        now => now,
    }
}

/// The allocators other than mimalloc, out of line: mimalloc's calls (an export's millions)
/// stay a load, a compare and a jump, without the arena's code inlined around them.
struct Other;

impl Other {
    #[inline(never)]
    unsafe fn alloc(layout: Layout) -> *mut u8 {
        match choice() {
            #[cfg(target_os = "linux")]
            ARENA => SHORT.alloc(layout),
            SYSTEM => System.alloc(layout),
            _ => MiMalloc.alloc(layout),
        }
    }

    #[inline(never)]
    unsafe fn alloc_zeroed(layout: Layout) -> *mut u8 {
        match choice() {
            #[cfg(target_os = "linux")]
            ARENA => SHORT.alloc_zeroed(layout),
            SYSTEM => System.alloc_zeroed(layout),
            _ => MiMalloc.alloc_zeroed(layout),
        }
    }

    #[inline(never)]
    unsafe fn dealloc(ptr: *mut u8, layout: Layout) {
        match choice() {
            #[cfg(target_os = "linux")]
            ARENA => SHORT.dealloc(ptr, layout),
            SYSTEM => System.dealloc(ptr, layout),
            _ => MiMalloc.dealloc(ptr, layout),
        }
    }

    #[inline(never)]
    unsafe fn realloc(ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match choice() {
            #[cfg(target_os = "linux")]
            ARENA => SHORT.realloc(ptr, layout, new_size),
            SYSTEM => System.realloc(ptr, layout, new_size),
            _ => MiMalloc.realloc(ptr, layout, new_size),
        }
    }
}

#[inline]
fn mimalloc() -> bool {
    CHOICE.load(Ordering::Relaxed) == MIMALLOC
}

// SAFETY: every call goes to one of three allocators that uphold `GlobalAlloc`'s contract, and
// the same one for a block's whole life (`CHOICE` changes at most once, before the first
// allocation).
unsafe impl GlobalAlloc for Dispatch {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if mimalloc() {
            MiMalloc.alloc(layout)
        } else {
            Other::alloc(layout)
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if mimalloc() {
            MiMalloc.alloc_zeroed(layout)
        } else {
            Other::alloc_zeroed(layout)
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if mimalloc() {
            MiMalloc.dealloc(ptr, layout)
        } else {
            Other::dealloc(ptr, layout)
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if mimalloc() {
            MiMalloc.realloc(ptr, layout, new_size)
        } else {
            Other::realloc(ptr, layout, new_size)
        }
    }
}

/// Short work, and the allocator it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))),
    allow(dead_code)
)]
enum Short {
    /// A `render` of less than [`ARENA_INPUT`]: from the arena, on huge pages.
    Render,
    /// A `check`, `--version`, `--help` of less than [`SHORT_INPUT`]: a few hundred kilobytes,
    /// from the system's allocator (on a huge page the arena cost `--version` ~0.2 ms, a
    /// tenth, to zero it; on ordinary pages it made `check` ~5 % slower than glibc's, which
    /// reuses freed space more tightly).
    Light,
}

/// Whether a command line (the arguments after the program's name) is short work: a `render`
/// whose files add up to less than [`ARENA_INPUT`] bytes, or a `check` or no subcommand at
/// all whose files add up to less than [`SHORT_INPUT`]. `size` gives a file's size (`None`
/// when the argument is not a regular file); the output file (`-o`, `--output`) is not input
/// and is not counted.
#[cfg_attr(
    not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))),
    allow(dead_code)
)]
fn short_work<'a>(
    args: impl IntoIterator<Item = &'a [u8]>,
    size: impl Fn(&[u8]) -> Option<u64>,
) -> Option<Short> {
    let mut total = 0u64;
    let mut work = Short::Light;
    let mut command_seen = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if matches!(arg, b"-o" | b"--output" | b"--color") {
            args.next();
            continue;
        }
        if !command_seen && !arg.starts_with(b"-") {
            match arg {
                b"render" => work = Short::Render,
                b"check" => {}
                _ => return None,
            }
            command_seen = true;
            continue;
        }
        total = total.saturating_add(size(arg).unwrap_or(0));
    }
    let limit = match work {
        Short::Render => ARENA_INPUT,
        Short::Light => SHORT_INPUT,
    };
    (total < limit).then_some(work)
}

/// Chooses the allocator for the command line `args` (after the program's name), before the
/// first allocation: the arena for a short render, the system's for other short work (on
/// glibc; mimalloc on musl), nothing (mimalloc at the first allocation) otherwise.
#[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
fn settle<'a>(args: impl IntoIterator<Item = &'a [u8]>, size: impl Fn(&[u8]) -> Option<u64>) {
    if let Some(work) = short_work(args, size) {
        let want = if work == Short::Render && SHORT.init(arena::RESERVE) {
            ARENA
        } else if cfg!(target_env = "musl") {
            // musl's malloc is slow on the many small blocks of a check: mimalloc took 0.75 of
            // a check's time and 0.96 of `--version`'s (plain builds, 300 and 200 rounds).
            MIMALLOC
        } else {
            SYSTEM
        };
        let _ = CHOICE.compare_exchange(UNDECIDED, want, Ordering::Relaxed, Ordering::Relaxed);
    }
}

/// A regular file's size by `stat(2)`, without allocating (the path is copied into a stack
/// buffer to be NUL-terminated).
#[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
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
        super::settle(args, super::file_size);
    }

    #[used]
    #[link_section = ".init_array"]
    static CHOOSE: extern "C" fn(c_int, *const *const c_char, *const *const c_char) = choose;
}

#[cfg(all(target_os = "linux", target_env = "musl"))]
mod choose {
    /// musl calls `.init_array` functions without arguments: the command line is read from
    /// `/proc/self/cmdline` (NUL-separated) into a buffer on the stack, without allocating. A
    /// command line longer than the buffer, or an unreadable one, leaves the choice to the
    /// first allocation (mimalloc).
    extern "C" fn choose() {
        let mut buf = [0u8; 8192];
        // SAFETY: a NUL-terminated path and valid flags; the result is checked.
        let fd = unsafe {
            libc::open(
                c"/proc/self/cmdline".as_ptr(),
                libc::O_RDONLY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return;
        }
        let mut len = 0;
        let whole = loop {
            let rest = &mut buf[len..];
            if rest.is_empty() {
                break false;
            }
            // SAFETY: `rest` is writable for `rest.len()` bytes; `fd` is open.
            let n = unsafe { libc::read(fd, rest.as_mut_ptr().cast(), rest.len()) };
            match usize::try_from(n) {
                Ok(0) => break true,
                Ok(n) => len += n,
                Err(_) => break false,
            }
        };
        // SAFETY: `fd` was opened above and is closed once.
        unsafe { libc::close(fd) };
        if !whole {
            return;
        }
        let cmdline = &buf[..len];
        let args = cmdline
            .strip_suffix(&[0])
            .unwrap_or(cmdline)
            .split(|&b| b == 0)
            .skip(1);
        super::settle(args, super::file_size);
    }

    #[used]
    #[link_section = ".init_array"]
    static CHOOSE: extern "C" fn() = choose;
}

#[cfg(test)]
mod tests {
    use super::{short_work, Short};

    fn sized(arg: &[u8]) -> Option<u64> {
        match arg {
            b"small.txt" => Some(3_000),
            b"medium.txt" => Some(100_000),
            b"big.txt" => Some(2_000_000),
            b"out.pdf" => Some(40_000),
            _ => None,
        }
    }

    fn short(args: &[&str]) -> Option<Short> {
        short_work(args.iter().map(|a| a.as_bytes()), sized)
    }

    #[test]
    fn alloc_short_work_is_a_render_or_a_small_check() {
        assert_eq!(short(&["render", "small.txt"]), Some(Short::Render));
        assert_eq!(short(&["render", "medium.txt"]), Some(Short::Render));
        assert_eq!(
            short(&["render", "small.txt", "-o", "out.pdf"]),
            Some(Short::Render)
        );
        assert_eq!(
            short(&["render", "--output", "out.pdf", "small.txt"]),
            Some(Short::Render)
        );
        assert_eq!(
            short(&["--color", "never", "check", "small.txt"]),
            Some(Short::Light)
        );
        assert_eq!(
            short(&["check", "small.txt", "small.txt"]),
            Some(Short::Light)
        );
        assert_eq!(short(&["--version"]), Some(Short::Light));
        assert_eq!(short(&[]), Some(Short::Light));
    }

    #[test]
    fn alloc_long_or_other_work_takes_mimalloc() {
        assert_eq!(short(&["render", "big.txt"]), None);
        assert_eq!(
            short(&["render", "medium.txt", "medium.txt", "medium.txt"]),
            None
        );
        assert_eq!(short(&["check", "medium.txt"]), None);
        assert_eq!(short(&["check", "small.txt", "big.txt"]), None);
        // The output is not counted, but an input named twice is.
        assert_eq!(short(&["check", "out.pdf", "-o", "x.pdf"]), None);
        for command in ["export", "mail", "watch", "init", "extract"] {
            assert_eq!(short(&[command, "small.txt"]), None, "{command}");
        }
    }
}
