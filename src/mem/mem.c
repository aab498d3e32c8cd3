/* memcpy, memmove and memcmp for the musl build (see src/mem.rs): musl copies every size with
   `rep movsq`, whose start-up dominates the short copies Rust code makes (a render's memcpy
   time 6x glibc's), and compares a byte at a time. */
#include <stddef.h>
#include <stdint.h>

typedef long long v16 __attribute__((vector_size(16), aligned(1), may_alias));
typedef uint64_t u64a __attribute__((aligned(1), may_alias));
typedef uint32_t u32a __attribute__((aligned(1), may_alias));
typedef uint16_t u16a __attribute__((aligned(1), may_alias));

/* Copies n <= 64 bytes, every load before any store: right for overlapping buffers too. */
static inline __attribute__((always_inline)) void small(unsigned char *d, const unsigned char *s, size_t n) {
    if (n >= 32) {
        v16 a = *(const v16 *)s, b = *(const v16 *)(s + 16);
        v16 c = *(const v16 *)(s + n - 32), e = *(const v16 *)(s + n - 16);
        *(v16 *)d = a; *(v16 *)(d + 16) = b; *(v16 *)(d + n - 32) = c; *(v16 *)(d + n - 16) = e;
    } else if (n >= 16) {
        v16 a = *(const v16 *)s, b = *(const v16 *)(s + n - 16);
        *(v16 *)d = a; *(v16 *)(d + n - 16) = b;
    } else if (n >= 8) {
        uint64_t a = *(const u64a *)s, b = *(const u64a *)(s + n - 8);
        *(u64a *)d = a; *(u64a *)(d + n - 8) = b;
    } else if (n >= 4) {
        uint32_t a = *(const u32a *)s, b = *(const u32a *)(s + n - 4);
        *(u32a *)d = a; *(u32a *)(d + n - 4) = b;
    } else if (n >= 2) {
        uint16_t a = *(const u16a *)s, b = *(const u16a *)(s + n - 2);
        *(u16a *)d = a; *(u16a *)(d + n - 2) = b;
    } else if (n == 1) {
        *d = *s;
    }
}

static inline __attribute__((always_inline)) void forward(unsigned char *d, const unsigned char *s, size_t n) {
    /* n > 64; the last 64 bytes loaded first, stored last (overlap-safe when d <= s). */
    v16 t0 = *(const v16 *)(s + n - 64), t1 = *(const v16 *)(s + n - 48);
    v16 t2 = *(const v16 *)(s + n - 32), t3 = *(const v16 *)(s + n - 16);
    unsigned char *end = d + n - 64;
    while (d < end) {
        v16 a = *(const v16 *)s, b = *(const v16 *)(s + 16);
        v16 c = *(const v16 *)(s + 32), e = *(const v16 *)(s + 48);
        *(v16 *)d = a; *(v16 *)(d + 16) = b; *(v16 *)(d + 32) = c; *(v16 *)(d + 48) = e;
        d += 64; s += 64;
    }
    *(v16 *)end = t0; *(v16 *)(end + 16) = t1; *(v16 *)(end + 32) = t2; *(v16 *)(end + 48) = t3;
}

void *quire_memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (n <= 64) {
        small(d, s, n);
    } else if (n < 4096) {
        forward(d, s, n);
    } else {
        __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    }
    return dst;
}

void *quire_memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (n <= 64) {
        small(d, s, n);
    } else if ((uintptr_t)d - (uintptr_t)s >= n) {
        /* The destination does not start inside the source: front to back is right. */
        forward(d, s, n);
    } else {
        /* d inside (s, s + n): back to front, the first 64 bytes loaded first, stored last. */
        v16 h0 = *(const v16 *)s, h1 = *(const v16 *)(s + 16);
        v16 h2 = *(const v16 *)(s + 32), h3 = *(const v16 *)(s + 48);
        size_t i = n;
        while (i > 64) {
            v16 a = *(const v16 *)(s + i - 64), b = *(const v16 *)(s + i - 48);
            v16 c = *(const v16 *)(s + i - 32), e = *(const v16 *)(s + i - 16);
            *(v16 *)(d + i - 64) = a; *(v16 *)(d + i - 48) = b;
            *(v16 *)(d + i - 32) = c; *(v16 *)(d + i - 16) = e;
            i -= 64;
        }
        *(v16 *)d = h0; *(v16 *)(d + 16) = h1; *(v16 *)(d + 32) = h2; *(v16 *)(d + 48) = h3;
    }
    return dst;
}

/* The first differing byte of two equal-length words loaded from p and q (x != y). */
static inline __attribute__((always_inline)) int first_difference(uint64_t x, uint64_t y) {
    int k = __builtin_ctzll(x ^ y) & ~7;
    return (int)((x >> k) & 0xff) - (int)((y >> k) & 0xff);
}

int quire_memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *p = a, *q = b;
    if (n >= 8) {
        /* Eight bytes at a time; the last eight overlap the words before, whose bytes are
           known equal, so the first difference found is the first one. */
        const unsigned char *end = p + n - 8;
        while (p < end) {
            uint64_t x = *(const u64a *)p, y = *(const u64a *)q;
            if (x != y) return first_difference(x, y);
            p += 8;
            q += 8;
        }
        q += end - p;
        uint64_t x = *(const u64a *)end, y = *(const u64a *)q;
        return x == y ? 0 : first_difference(x, y);
    }
    if (n >= 4) {
        uint64_t x = *(const u32a *)p, y = *(const u32a *)q;
        if (x != y) return first_difference(x, y);
        x = *(const u32a *)(p + n - 4);
        y = *(const u32a *)(q + n - 4);
        return x == y ? 0 : first_difference(x, y);
    }
    for (size_t i = 0; i < n; i++) {
        if (p[i] != q[i]) return (int)p[i] - (int)q[i];
    }
    return 0;
}

#ifdef QUIRE_REPLACE_LIBC
void *memcpy(void *restrict dst, const void *restrict src, size_t n) __attribute__((alias("quire_memcpy")));
void *memmove(void *dst, const void *src, size_t n) __attribute__((alias("quire_memmove")));
int memcmp(const void *a, const void *b, size_t n) __attribute__((alias("quire_memcmp")));
int bcmp(const void *a, const void *b, size_t n) __attribute__((alias("quire_memcmp")));
#endif
