/*
 * test_doc.c - the document arena (doc.c): alignment, zeroing, packed
 * strings, large requests, and the switch from malloc'd chunks to mmap'd
 * huge-page chunks once an arena is big.
 */
#include "doc.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

static int all_bytes(const void *p, size_t n, unsigned char v) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++)
    if (s[i] != v)
      return 0;
  return 1;
}

/* 8 MB in 100-byte pieces crosses from malloc'd chunks to mmap'd ones:
 * every piece is zeroed, 16-byte aligned, and no two pieces overlap. */
Test(doc, arena_alloc_many_zeroed_aligned_disjoint) {
  vnp_arena a;
  arena_init(&a);
  enum { N = 80000, SZ = 100 };
  static unsigned char *ptrs[N];
  for (size_t i = 0; i < N; i++) {
    ptrs[i] = arena_alloc(&a, SZ);
    cr_assert_eq((uintptr_t)ptrs[i] % 16, 0, "piece %zu not aligned", i);
    cr_assert(all_bytes(ptrs[i], SZ, 0), "piece %zu not zeroed", i);
    memset(ptrs[i], (int)(i % 251) + 1, SZ);
  }
  for (size_t i = 0; i < N; i++)
    cr_assert(all_bytes(ptrs[i], SZ, (unsigned char)(i % 251 + 1)),
              "piece %zu overwritten", i);
  cr_assert_geq(a.total, (size_t)N * SZ);
  /* chunks are at most one huge page over what was asked for (2 MiB) plus
   * the malloc'd start (1 MiB) */
  cr_assert_leq(a.total, (size_t)N * 112 + (3u << 20));
  arena_free(&a);
  cr_assert_null(a.head);
  cr_assert_eq(a.total, 0);
}

/* Memory a freed arena wrote (malloc may hand it out again) comes back
 * zeroed from arena_alloc in the next arena. */
Test(doc, arena_alloc_zeroes_reused_memory) {
  for (int round = 0; round < 3; round++) {
    vnp_arena a;
    arena_init(&a);
    for (int i = 0; i < 2000; i++) {
      unsigned char *p = arena_alloc(&a, 1000);
      cr_assert(all_bytes(p, 1000, 0), "round %d piece %d", round, i);
      memset(p, 0xFF, 1000);
    }
    arena_free(&a);
  }
}

/* Strings are packed one after the other; the next aligned allocation is
 * 16-byte aligned again. */
Test(doc, arena_strings_packed) {
  vnp_arena a;
  arena_init(&a);
  char *s1 = arena_strndup(&a, "abcdef", 2);
  char *s2 = arena_strdup(&a, "xyz");
  char *s3 = arena_strndup(&a, "", 0);
  cr_assert_str_eq(s1, "ab");
  cr_assert_str_eq(s2, "xyz");
  cr_assert_str_eq(s3, "");
  cr_assert_eq(s2, s1 + 3);
  cr_assert_eq(s3, s2 + 4);
  void *p = arena_alloc(&a, 8);
  cr_assert_eq((uintptr_t)p % 16, 0);
  cr_assert_geq((char *)p, s3 + 1);
  arena_free(&a);
}

/* A request larger than a chunk gets a chunk of its own, zeroed and whole,
 * and the small allocations go on in the chunk they were using; in a big
 * arena (mmap'd chunks) as in a small one. */
Test(doc, arena_large_request_keeps_head) {
  for (int big = 0; big < 2; big++) {
    vnp_arena a;
    arena_init(&a);
    if (big)
      for (int i = 0; i < 300; i++) /* 1.2 MB: past the malloc'd start */
        arena_alloc(&a, 4000);
    char *s1 = arena_alloc(&a, 32);
    size_t n = (size_t)5 << 20;
    unsigned char *p = arena_alloc(&a, n);
    cr_assert(all_bytes(p, n, 0));
    memset(p, 0x5A, n);
    char *s2 = arena_alloc(&a, 32);
    cr_assert_eq(s2, s1 + 32, "big=%d: small allocations moved", big);
    cr_assert(all_bytes(p, n, 0x5A));
    cr_assert(all_bytes(s2, 32, 0));
    arena_free(&a);
  }
}

/* arena_omap_copy: the copy has the same segments, in the arena. */
Test(doc, arena_omap_copy_same_segments) {
  vnp_arena a;
  arena_init(&a);
  omap m;
  omap_init(&m);
  omap_push(&m, 3, 10, 3);
  omap_push(&m, 1, 20, 2);
  omap c;
  arena_omap_copy(&a, &c, &m);
  cr_assert_eq(c.n, m.n);
  cr_assert_eq(c.total, m.total);
  cr_assert_eq(c.cap, 0);
  cr_assert_eq(memcmp(c.seg, m.seg, m.n * sizeof(omap_seg)), 0);
  cr_assert_eq(omap_start(&c, 1), 11);
  cr_assert_eq(omap_end(&c, 4), 22);
  omap_free(&m);
  arena_free(&a);
}

/* A block's span line is searched from the block's own line first: the
 * result is doc_lineno_at's for every offset, whatever the block's lineno
 * (right, too small, too large, 0, past the last line). */
Test(doc, block_span_line_matches_binary_search) {
  vnp_doc *d = doc_new(NULL, NULL);
  /* a few far-apart lines, then 100 one-byte lines, then far apart again */
  static const uint64_t head[] = {0, 7, 50, 51, 90};
  for (size_t i = 0; i < sizeof head / sizeof *head; i++)
    vnp_vec_push(d->line_starts, head[i]);
  for (uint64_t o = 100; o < 200; o++)
    vnp_vec_push(d->line_starts, o);
  vnp_vec_push(d->line_starts, (uint64_t)400);
  uint32_t nlines = (uint32_t)d->line_starts.n;
  for (uint32_t hint = 0; hint <= nlines + 2; hint++)
    for (uint64_t orig = 0; orig < 450; orig++) {
      vnp_block b;
      memset(&b, 0, sizeof b);
      omap_identity(&b.map, 4, orig);
      b.lineno = hint;
      vnp_span sp = doc_block_span(d, &b, 0, 2);
      cr_assert_eq(sp.start, orig);
      cr_assert_eq(sp.end, orig + 2);
      cr_assert_eq(sp.line, doc_lineno_at(d, orig), "hint %u orig %lu", hint,
                   (unsigned long)orig);
      omap_free(&b.map);
    }
  /* spot checks of doc_lineno_at itself */
  cr_assert_eq(doc_lineno_at(d, 0), 1);
  cr_assert_eq(doc_lineno_at(d, 6), 1);
  cr_assert_eq(doc_lineno_at(d, 7), 2);
  cr_assert_eq(doc_lineno_at(d, 99), 5);
  cr_assert_eq(doc_lineno_at(d, 150), 56);
  cr_assert_eq(doc_lineno_at(d, 1000), nlines);
  doc_free(d);
}
