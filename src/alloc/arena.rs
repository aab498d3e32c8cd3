//! The allocator of a render: one mapping, bumped, with a free list per block size.
//!
//! A one-page render makes ~12,000 allocations (3.6 MB in all, under 1 MB live at once) and
//! frees almost all of them; glibc's malloc and free were ~10 % of its instructions, and its
//! heap grew a page fault at a time. Here an allocation is a free-list pop or a pointer bump,
//! a free a push (or, for the block last made, a step back), and a vector growing at the top
//! of the arena grows in place.
//!
//! Blocks have classes: multiples of 16 bytes up to 1 KiB, then powers of two. A block's class
//! comes from its size alone, so a free (which is given the layout) knows it. Space is never
//! given back to the kernel: the work is short, and exits soon.
//!
//! The mapping reserves [`RESERVE`] bytes of address space (`MAP_NORESERVE`: only the pages
//! touched are memory). When it is full, blocks come from the system's allocator; a block's
//! address says which allocator made it. A spin lock guards the state: a render mostly runs
//! on one thread (its pages are written on every core only from a few dozen on), so the lock
//! is rarely contended, and is correct when it is.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::sync::atomic::{AtomicBool, Ordering};

/// Address space reserved for the arena of a process.
pub const RESERVE: usize = 1 << 30;
/// A transparent huge page on x86-64 and most arm64 kernels.
const HUGE_PAGE: usize = 2 << 20;
/// Largest block class kept in the 16-byte-step lists.
const SMALL_MAX: usize = 1024;
const SMALL_CLASSES: usize = SMALL_MAX / 16;
/// Power-of-two classes above `SMALL_MAX`: 2 KiB up to the whole reserve.
const LARGE_CLASSES: usize = 20;

pub struct Arena {
    lock: AtomicBool,
    state: UnsafeCell<State>,
}

// SAFETY: `state` is only touched while `lock` is held.
unsafe impl Sync for Arena {}

struct State {
    /// Start of the mapping (0 until `init`).
    base: usize,
    /// Next free byte (16-aligned).
    top: usize,
    /// The highest `top` so far: the mapping is zero from here on (below it, a block given
    /// back at the top and bumped again holds what was written in it).
    clean: usize,
    /// End of the mapping.
    end: usize,
    /// Heads of the free lists (0: empty); a free block holds the address of the next.
    free: [usize; SMALL_CLASSES + LARGE_CLASSES],
}

/// Block class and block size of an allocation of `size` bytes (`None`: too large for a
/// class, taken from the system).
#[inline]
fn class_of(size: usize) -> Option<(usize, usize)> {
    if size <= SMALL_MAX {
        let units = size.max(1).div_ceil(16);
        Some((units - 1, units * 16))
    } else {
        let block = size.checked_next_power_of_two()?;
        let k = block.trailing_zeros() as usize - (SMALL_MAX.trailing_zeros() as usize + 1);
        (k < LARGE_CLASSES).then_some((SMALL_CLASSES + k, block))
    }
}

impl Arena {
    pub const fn new() -> Arena {
        Arena {
            lock: AtomicBool::new(false),
            state: UnsafeCell::new(State {
                base: 0,
                top: 0,
                clean: 0,
                end: 0,
                free: [0; SMALL_CLASSES + LARGE_CLASSES],
            }),
        }
    }

    /// Maps the arena, `reserve` bytes of address space (rounded down to whole huge pages),
    /// on transparent huge pages; false when the kernel refuses the mapping (the
    /// caller then keeps another allocator). Called once, before any allocation.
    pub fn init(&self, reserve: usize) -> bool {
        let reserve = reserve - reserve % HUGE_PAGE;
        if reserve == 0 {
            return false;
        }
        // One huge page more than asked, so that the arena can start on a huge-page boundary.
        // SAFETY: an anonymous private mapping with no address hint; the result is checked.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                reserve + HUGE_PAGE,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return false;
        }
        let base = (p as usize).next_multiple_of(HUGE_PAGE);
        // Huge pages where the kernel has them (THP "madvise" or "always"): the first
        // allocation faults in 2 MiB at once, which is all a one-page render uses, instead of
        // ~300 faults of 4 KiB (a tenth of the whole `quire render`, measured). A kernel
        // without them ignores the advice or refuses it; the arena works either way.
        // SAFETY: advice on pages of our own mapping.
        unsafe { libc::madvise(base as *mut libc::c_void, reserve, libc::MADV_HUGEPAGE) };
        self.with(|s| {
            s.base = base;
            s.top = base;
            s.clean = base;
            s.end = base + reserve;
        });
        true
    }

    #[inline]
    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut tries = 0u32;
        while self
            .lock
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            tries += 1;
            if tries.is_multiple_of(64) {
                // The holder may have been preempted (more threads than cores): let it run
                // rather than spin through our time slice. `sched_yield` does not allocate.
                // SAFETY: a system call without arguments.
                unsafe { libc::sched_yield() };
            } else {
                std::hint::spin_loop();
            }
        }
        // SAFETY: the lock is held, so this is the only reference to the state.
        let r = f(unsafe { &mut *self.state.get() });
        self.lock.store(false, Ordering::Release);
        r
    }

    #[inline]
    fn owns(&self, ptr: *mut u8) -> bool {
        // `base` and `end` are set once, before the first allocation, and never change.
        // SAFETY: read-only access to fields no one writes after `init`.
        let s = unsafe { &*self.state.get() };
        (s.base..s.end).contains(&(ptr as usize))
    }

    /// A block for `layout`, and whether it is fresh from the mapping (all zero).
    #[inline]
    fn take(&self, layout: Layout) -> (*mut u8, bool) {
        let Some((class, block)) = class_of(layout.size()) else {
            // SAFETY: forwarded with the caller's (valid, non-zero-size) layout.
            return (unsafe { System.alloc(layout) }, false);
        };
        let align = layout.align();
        let got = self.with(|s| {
            if align <= 16 {
                let head = s.free[class];
                if head != 0 {
                    // SAFETY: a free block of this class holds the next block's address.
                    s.free[class] = unsafe { *(head as *const usize) };
                    return Some((head, false));
                }
            }
            let start = s.top.checked_next_multiple_of(align)?;
            let next = start.checked_add(block)?;
            if next > s.end {
                return None;
            }
            s.top = next;
            let fresh = start >= s.clean;
            s.clean = s.clean.max(next);
            Some((start, fresh))
        });
        match got {
            Some((p, fresh)) => (p as *mut u8, fresh),
            // SAFETY: as above.
            None => (unsafe { System.alloc(layout) }, false),
        }
    }
}

unsafe impl GlobalAlloc for Arena {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.take(layout).0
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let (p, fresh) = self.take(layout);
        if !fresh && !p.is_null() {
            // SAFETY: `p` is a block of at least `layout.size()` bytes.
            unsafe { p.write_bytes(0, layout.size()) };
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if !self.owns(ptr) {
            // SAFETY: a block the system allocator made, with its layout.
            return unsafe { System.dealloc(ptr, layout) };
        }
        let Some((class, block)) = class_of(layout.size()) else {
            return;
        };
        let p = ptr as usize;
        self.with(|s| {
            if p + block == s.top {
                s.top = p;
            } else {
                // SAFETY: the block is ours, at least 16 bytes and 8-aligned, and no longer
                // used by anyone: its first word links it into its class's list.
                unsafe { *(p as *mut usize) = s.free[class] };
                s.free[class] = p;
            }
        });
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !self.owns(ptr) {
            // SAFETY: a block the system allocator made, with its layout.
            return unsafe { System.realloc(ptr, layout, new_size) };
        }
        let old = class_of(layout.size()).map_or(0, |(_, b)| b);
        let p = ptr as usize;
        if let Some((_, new)) = class_of(new_size) {
            if new == old {
                return ptr;
            }
            // The block made last grows (or shrinks) where it is; another block shrinks
            // where it is (its tail is lost until it is freed into its new, smaller class).
            let in_place = self.with(|s| {
                if p + old == s.top && p + new <= s.end {
                    s.top = p + new;
                    s.clean = s.clean.max(s.top);
                    true
                } else {
                    new < old
                }
            });
            if in_place {
                return ptr;
            }
        }
        // SAFETY: `new_size` with the old alignment is a valid layout (GlobalAlloc's
        // contract); the old block is alive for `layout.size()` bytes.
        unsafe {
            let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
            let q = self.alloc(new_layout);
            if !q.is_null() {
                std::ptr::copy_nonoverlapping(ptr, q, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            q
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arena(reserve: usize) -> Arena {
        let a = Arena::new();
        assert!(a.init(reserve));
        a
    }

    fn layout(size: usize) -> Layout {
        Layout::from_size_align(size, 8).unwrap()
    }

    #[test]
    fn arena_classes_cover_every_size_once() {
        assert_eq!(class_of(1), Some((0, 16)));
        assert_eq!(class_of(16), Some((0, 16)));
        assert_eq!(class_of(17), Some((1, 32)));
        assert_eq!(class_of(1024), Some((SMALL_CLASSES - 1, 1024)));
        assert_eq!(class_of(1025), Some((SMALL_CLASSES, 2048)));
        assert_eq!(class_of(4096), Some((SMALL_CLASSES + 1, 4096)));
        assert_eq!(class_of(4097), Some((SMALL_CLASSES + 2, 8192)));
        let largest = 1usize << (SMALL_MAX.trailing_zeros() as usize + LARGE_CLASSES);
        assert_eq!(
            class_of(largest).map(|c| c.0),
            Some(SMALL_CLASSES + LARGE_CLASSES - 1)
        );
        assert_eq!(class_of(largest + 1), None);
        assert_eq!(class_of(usize::MAX), None);
        for size in 1..5000 {
            let (_, block) = class_of(size).unwrap();
            assert!(block >= size && block % 16 == 0, "{size}");
        }
    }

    #[test]
    fn arena_reuses_freed_blocks_and_keeps_contents() {
        let a = arena(HUGE_PAGE);
        unsafe {
            let x = a.alloc(layout(40));
            let y = a.alloc(layout(40));
            assert_eq!(y as usize - x as usize, 48, "bumped by the 48-byte class");
            // Not the last block: into its class's list, and out again for the same class.
            a.dealloc(x, layout(40));
            assert_eq!(a.alloc(layout(33)), x);
            // The last block steps the top back.
            a.dealloc(y, layout(40));
            assert_eq!(a.alloc(layout(100)), y);
            // A block given back at the top and taken again is zeroed when asked: the
            // mapping's zeros are behind it.
            let t = a.alloc(layout(64));
            t.write_bytes(0xCD, 64);
            a.dealloc(t, layout(64));
            let t2 = a.alloc_zeroed(layout(64));
            assert_eq!(t2, t);
            assert!(std::slice::from_raw_parts(t2, 64).iter().all(|&b| b == 0));
            a.dealloc(t2, layout(64));
            // So is a block grown at the top over bytes written before.
            let g = a.alloc(layout(16));
            let h = a.alloc(layout(1000));
            h.write_bytes(0xEE, 1000);
            a.dealloc(h, layout(1000));
            let g2 = a.realloc(g, layout(16), 1000);
            assert_eq!(g2, g);
            let z2 = a.alloc_zeroed(layout(48));
            assert!(std::slice::from_raw_parts(z2, 48).iter().all(|&b| b == 0));
            a.dealloc(z2, layout(48));
            a.dealloc(g2, layout(1000));
            // Zeroed memory is zero even when the block is recycled.
            x.write_bytes(0xAB, 40);
            a.dealloc(x, layout(40));
            let z = a.alloc_zeroed(layout(40));
            assert_eq!(z, x);
            assert!(std::slice::from_raw_parts(z, 40).iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn arena_grows_the_last_block_in_place_and_moves_others() {
        let a = arena(HUGE_PAGE);
        unsafe {
            let v = a.alloc(layout(100));
            for i in 0..100 {
                *v.add(i) = i as u8;
            }
            let grown = a.realloc(v, layout(100), 5000);
            assert_eq!(grown, v, "the last block grows where it is");
            let w = a.alloc(layout(16));
            let moved = a.realloc(grown, layout(5000), 9000);
            assert_ne!(moved, grown, "a block under another moves");
            for i in 0..100 {
                assert_eq!(*moved.add(i), i as u8);
            }
            let shrunk = a.realloc(moved, layout(9000), 10);
            assert_eq!(shrunk, moved);
            assert_eq!(*shrunk.add(9), 9);
            a.dealloc(w, layout(16));
            a.dealloc(shrunk, layout(10));
            let big = Layout::from_size_align(64, 64).unwrap();
            let p = a.alloc(big);
            assert_eq!(p as usize % 64, 0);
            a.dealloc(p, big);
        }
    }

    #[test]
    fn arena_falls_back_to_the_system_when_full() {
        let a = arena(HUGE_PAGE);
        unsafe {
            let half = layout(HUGE_PAGE / 2);
            let blocks: Vec<*mut u8> = (0..3).map(|_| a.alloc(half)).collect();
            assert!(a.owns(blocks[0]) && a.owns(blocks[1]));
            assert!(
                !blocks[2].is_null() && !a.owns(blocks[2]),
                "from the system"
            );
            blocks[2].write_bytes(1, HUGE_PAGE / 2);
            // A block of the arena that must move when full moves to the system, intact.
            blocks[0].write(7);
            let moved = a.realloc(blocks[0], half, HUGE_PAGE);
            assert!(!a.owns(moved));
            assert_eq!(*moved, 7);
            let grown = a.realloc(blocks[2], half, HUGE_PAGE);
            assert_eq!(*grown.add(HUGE_PAGE / 2 - 1), 1);
            a.dealloc(moved, layout(HUGE_PAGE));
            a.dealloc(grown, layout(HUGE_PAGE));
            a.dealloc(blocks[1], half);
            // Too large for any class: the system's.
            let huge = layout(usize::MAX / 4);
            assert!(class_of(huge.size()).is_none());
        }
    }

    #[test]
    fn arena_is_safe_to_share_between_threads() {
        let a: &'static Arena = Box::leak(Box::new(arena(64 << 20)));
        let threads: Vec<_> = (0..4u8)
            .map(|t| {
                std::thread::spawn(move || {
                    let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
                    let mut seed = 0x9E37_79B9_u32.wrapping_mul(u32::from(t) + 1);
                    for i in 0..20_000u32 {
                        seed ^= seed << 13;
                        seed ^= seed >> 17;
                        seed ^= seed << 5;
                        if seed.is_multiple_of(3) && !live.is_empty() {
                            let (p, l, v) = live.swap_remove(seed as usize % live.len());
                            unsafe {
                                assert!(std::slice::from_raw_parts(p, l.size())
                                    .iter()
                                    .all(|&b| b == v));
                                a.dealloc(p, l);
                            }
                        } else {
                            let l = layout(1 + (seed as usize % 3000));
                            let v = (i as u8) ^ t;
                            unsafe {
                                let p = a.alloc(l);
                                p.write_bytes(v, l.size());
                                live.push((p, l, v));
                            }
                        }
                    }
                    for (p, l, v) in live {
                        unsafe {
                            assert!(std::slice::from_raw_parts(p, l.size())
                                .iter()
                                .all(|&b| b == v));
                            a.dealloc(p, l);
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    }
}
