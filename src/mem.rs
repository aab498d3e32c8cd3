//! `memcpy`, `memmove` and `memcmp` for the musl build (`src/mem/mem.c`, compiled by
//! `src/build.rs` on x86-64 Linux).
//!
//! The release binary that `scripts/pgo` makes on x86-64 Linux links musl statically: glibc's
//! start-up asks the processor for its cache sizes with ~50 `cpuid` instructions, and in a
//! virtual machine each one traps to the hypervisor (9–13 µs apiece on the machines this
//! project is measured on), ~0.5 ms before `main` of every process; musl asks nothing. But
//! musl's `memcpy` starts every copy, however short, with `rep movsq`, whose start-up costs
//! more than the few bytes most of Rust's copies move (a `Vec` growing, a string pushed, a
//! glyph run): 14 % of a render of the sample against glibc's 2.5 %. These two copy the way
//! glibc's do for short lengths — overlapping unaligned loads and stores, every load before
//! any store up to 64 bytes, then 64-byte blocks — and leave long copies (4 KiB and more) to
//! `rep movsb`. musl's `memcmp` (and `bcmp`, which Rust's slice equality calls) compares a
//! byte at a time: 2 % of an export against glibc's 0.4 %; this one compares eight bytes at a
//! time. On musl they are *the* `memcpy`, `memmove`, `memcmp` and `bcmp` (every call in the
//! binary, musl's own included, binds to them); on glibc they are built only under their own
//! names, so that these tests check them wherever they ship.

#[cfg(all(test, quire_mem))]
mod tests {
    use std::hint::black_box;

    extern "C" {
        fn quire_memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8;
        fn quire_memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8;
        fn quire_memcmp(a: *const u8, b: *const u8, n: usize) -> i32;
    }

    const SIZES: &[usize] = &[
        0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 66, 95, 96, 127,
        128, 129, 200, 255, 256, 257, 1000, 4095, 4096, 4097, 5000, 9999,
    ];

    /// A buffer of pseudo-random bytes (xorshift), different for every `seed`.
    fn noise(len: usize, seed: u64) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    /// What a copy of `n` bytes from `src` to `dst` within `buf` must leave, byte by byte
    /// (the source read whole before anything is written, as memmove's contract says).
    fn expected(buf: &[u8], dst: usize, src: usize, n: usize) -> Vec<u8> {
        let mut taken = Vec::with_capacity(n);
        for i in 0..n {
            taken.push(black_box(buf[src + i]));
        }
        let mut out = Vec::with_capacity(buf.len());
        for (i, &b) in buf.iter().enumerate() {
            out.push(black_box(if (dst..dst + n).contains(&i) {
                taken[i - dst]
            } else {
                b
            }));
        }
        out
    }

    #[test]
    fn mem_copies_every_length_and_alignment_between_separate_buffers() {
        let mut seed = 0;
        for &n in SIZES {
            for dst_align in 0..16 {
                for src_align in 0..16 {
                    seed += 1;
                    // Guard bytes around both ranges, which must keep their values.
                    let mut buf = noise(2 * n + 160, seed);
                    let (dst, src) = (32 + dst_align, 64 + n + src_align);
                    let want = expected(&buf, dst, src, n);
                    let base = buf.as_mut_ptr();
                    // SAFETY: both ranges lie inside `buf` and do not overlap.
                    let ret = unsafe { quire_memcpy(base.add(dst), base.add(src), n) };
                    assert_eq!(ret, unsafe { base.add(dst) });
                    assert!(
                        buf == want,
                        "memcpy of {n} bytes, alignments {dst_align}/{src_align}"
                    );
                }
            }
        }
    }

    #[test]
    fn mem_moves_overlapping_ranges_both_ways() {
        let mut seed = 1_000_000;
        for &n in SIZES {
            let step = if n > 200 { 7 } else { 1 };
            for dst_align in [0usize, 1, 7, 8, 15] {
                for src_align in [0usize, 3, 8, 13] {
                    for offset in (-70i64..=70).step_by(step) {
                        seed += 1;
                        let mut buf = noise(n + 200, seed);
                        let src = 80 + src_align;
                        let dst = (80 + dst_align as i64 + offset) as usize;
                        let want = expected(&buf, dst, src, n);
                        let base = buf.as_mut_ptr();
                        // SAFETY: both ranges lie inside `buf`; memmove allows the overlap.
                        let ret = unsafe { quire_memmove(base.add(dst), base.add(src), n) };
                        assert_eq!(ret, unsafe { base.add(dst) });
                        assert!(buf == want, "memmove of {n} bytes, {src} -> {dst}");
                    }
                }
            }
        }
    }

    /// memcmp's answer by the book: the sign of the first differing byte's difference.
    fn compare(a: &[u8], b: &[u8]) -> i32 {
        for (&x, &y) in a.iter().zip(b) {
            if black_box(x) != black_box(y) {
                return i32::from(x) - i32::from(y);
            }
        }
        0
    }

    #[test]
    fn mem_compares_like_memcmp_for_every_length_and_first_difference() {
        let mut seed = 2_000_000;
        for n in (0..=200).chain([255, 256, 1000, 4097]) {
            for align in 0..8 {
                // Equal, then one byte changed at every position (up or down), then two
                // changes, the later one the other way.
                let positions: Vec<Option<usize>> =
                    std::iter::once(None).chain((0..n).map(Some)).collect();
                for (i, &at) in positions.iter().enumerate() {
                    seed += 1;
                    let a = noise(n + 16, seed);
                    let mut b = a.clone();
                    if let Some(k) = at {
                        let delta = if i % 2 == 0 { 1 } else { 0x80 };
                        b[align + k] = b[align + k].wrapping_add(delta);
                        if i % 3 == 0 && k + 1 < n {
                            b[align + k + 1] = b[align + k + 1].wrapping_sub(1);
                        }
                    }
                    let (x, y) = (&a[align..align + n], &b[align..align + n]);
                    // SAFETY: both slices are `n` bytes long.
                    let got = unsafe { quire_memcmp(x.as_ptr(), y.as_ptr(), n) };
                    let want = compare(x, y);
                    assert_eq!(
                        got.signum(),
                        want.signum(),
                        "{n} bytes, difference at {at:?}"
                    );
                    let back = unsafe { quire_memcmp(y.as_ptr(), x.as_ptr(), n) };
                    assert_eq!(
                        back.signum(),
                        -want.signum(),
                        "{n} bytes swapped, at {at:?}"
                    );
                }
            }
        }
    }
}
