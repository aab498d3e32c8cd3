//! Build script: on x86-64 Linux, compiles `src/mem/mem.c`, a `memcpy`, `memmove` and `memcmp`
//! for the short copies and compares Rust code makes (see `src/mem.rs`). On musl they replace
//! the C library's (whose copies of every size start with `rep movsq`, and whose compares go a
//! byte at a time); on glibc they are only built under their own names, so that the unit
//! tests check them on every platform that ships them.

use std::env;

fn main() {
    println!("cargo:rerun-if-changed=src/mem/mem.c");
    println!("cargo:rerun-if-changed=src/build.rs");
    println!("cargo::rustc-check-cfg=cfg(quire_mem)");
    let var = |name: &str| env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_ARCH") != "x86_64" || var("CARGO_CFG_TARGET_OS") != "linux" {
        return;
    }
    let mut build = cc::Build::new();
    build
        .file("src/mem/mem.c")
        .opt_level(2)
        // No calls to memcpy or memset of the compiler's making inside memcpy itself.
        .flag("-ffreestanding")
        .flag_if_supported("-fno-tree-loop-distribute-patterns")
        .cargo_metadata(false);
    if var("CARGO_CFG_TARGET_ENV") == "musl" {
        build.define("QUIRE_REPLACE_LIBC", None);
    }
    build.compile("quire_mem");
    // Whole: the object must come before the C library on the link line even when no Rust
    // code names `quire_memcpy`, so that it is the `memcpy` every call binds to.
    println!("cargo:rustc-link-search=native={}", var("OUT_DIR"));
    println!("cargo:rustc-link-lib=static:+whole-archive=quire_mem");
    println!("cargo:rustc-cfg=quire_mem");
}
