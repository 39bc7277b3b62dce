/*
 * doc.c - the document model: arena, diagnostics, spans and tree nodes.
 */
#include "doc.h"

#include "limits.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ---- arena ---- */

struct arena_chunk {
  arena_chunk *next;
  size_t used, cap; /* bytes of data[] handed out / available */
  size_t maplen;    /* 0: malloc'd; else the length of the mmap */
  max_align_t data[];
};

/* Chunk of a small arena (malloc'd: short documents reuse the heap). */
#define ARENA_CHUNK (64 * 1024)
/* Once an arena holds this much, chunks come from mmap ... */
#define ARENA_BIG_AFTER (1024 * 1024)
/* ... in multiples of the transparent huge page size, aligned to it. */
#define ARENA_HUGE ((size_t)2 << 20)

void arena_init(vnp_arena *a) {
  a->head = NULL;
  a->total = 0;
}

/* `len` bytes of fresh zeroed memory aligned to ARENA_HUGE and advised for
 * huge pages, or NULL. */
static void *map_huge(size_t len) {
  char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0);
  if (p == MAP_FAILED)
    return NULL;
  if ((uintptr_t)p & (ARENA_HUGE - 1)) { /* map more, keep an aligned part */
    munmap(p, len);
    size_t span = len + ARENA_HUGE;
    p = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
             -1, 0);
    if (p == MAP_FAILED)
      return NULL;
    char *al = (char *)(((uintptr_t)p + ARENA_HUGE - 1) & ~(ARENA_HUGE - 1));
    if (al > p)
      munmap(p, (size_t)(al - p));
    if (al + len < p + span)
      munmap(al + len, (size_t)(p + span - (al + len)));
    p = al;
  }
#ifdef MADV_HUGEPAGE
  madvise(p, len, MADV_HUGEPAGE); /* advice only: failure is harmless */
#endif
  return p;
}

/* A chunk with room for `n` bytes, linked into the arena. */
static arena_chunk *chunk_new(vnp_arena *a, size_t n) {
  size_t hdr = offsetof(arena_chunk, data);
  arena_chunk *c = NULL;
  if (n > SIZE_MAX - hdr - ARENA_HUGE)
    xmalloc(SIZE_MAX); /* cannot be satisfied: aborts as any failed malloc */
  if (a->total >= ARENA_BIG_AFTER) {
    size_t len = (hdr + n + ARENA_HUGE - 1) & ~(ARENA_HUGE - 1);
    c = map_huge(len);
    if (c) {
      c->maplen = len;
      c->cap = len - hdr;
    }
  }
  if (!c) {
    size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
    c = xmalloc(hdr + cap);
    c->maplen = 0;
    c->cap = cap;
  }
  c->used = 0;
  a->total += c->cap;
  /* keep allocating from the head when it has more room left than the new
   * chunk will (a large request gets a chunk of its own) */
  arena_chunk *h = a->head;
  if (h && h->cap - h->used > c->cap - n) {
    c->next = h->next;
    h->next = c;
  } else {
    c->next = h;
    a->head = c;
  }
  return c;
}

/* `n` bytes at `align` (a power of two <= 16) in some chunk; sets *fresh
 * when the bytes have never been written (zero). */
static inline void *arena_take(vnp_arena *a, size_t n, size_t align,
                               int *fresh) {
  arena_chunk *c = a->head;
  size_t at = 0;
  if (c) {
    at = (c->used + align - 1) & ~(align - 1);
    if (at > c->cap || c->cap - at < n)
      c = NULL;
  }
  if (!c) {
    c = chunk_new(a, n);
    at = 0;
  }
  c->used = at + n;
  *fresh = c->maplen != 0;
  return (char *)c->data + at;
}

void *arena_alloc_raw(vnp_arena *a, size_t n) {
  int fresh;
  return arena_take(a, n, 16, &fresh);
}

void *arena_alloc(vnp_arena *a, size_t n) {
  int fresh;
  void *p = arena_take(a, n, 16, &fresh);
  if (!fresh) /* mmap'd chunks are zero and never reused */
    memset(p, 0, n);
  return p;
}

char *arena_strndup(vnp_arena *a, const char *s, size_t n) {
  int fresh;
  char *p = arena_take(a, n + 1, 1, &fresh);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *arena_strdup(vnp_arena *a, const char *s) {
  return arena_strndup(a, s, strlen(s));
}

void arena_free(vnp_arena *a) {
  arena_chunk *c = a->head;
  while (c) {
    arena_chunk *next = c->next;
    if (c->maplen)
      munmap(c, c->maplen);
    else
      free(c);
    c = next;
  }
  a->head = NULL;
  a->total = 0;
}

void arena_omap_copy(vnp_arena *a, omap *dst, const omap *src) {
  omap_init(dst);
  if (!src->n)
    return;
  dst->seg = arena_alloc_raw(a, src->n * sizeof(omap_seg));
  memcpy(dst->seg, src->seg, src->n * sizeof(omap_seg));
  dst->n = src->n;
  dst->total = src->total;
}

/* ---- document ---- */

vnp_doc *doc_new(const vnp_rules *rules, const vnp_options *opts) {
  vnp_doc *d = xcalloc(1, sizeof(vnp_doc));
  arena_init(&d->arena);
  d->rules = rules;
  if (opts)
    d->opts = *opts;
  if (d->opts.path)
    d->opts.path = d->path = arena_strdup(&d->arena, d->opts.path);
  if (d->opts.doc_date)
    d->opts.doc_date = arena_strdup(&d->arena, d->opts.doc_date);
  d->encoding = "utf-8";
  d->root = node_new(d, NODE_SECTION);
  d->root->level = 0;
  return d;
}

void extract_free(struct vnp_ext *ext); /* extract.c */

void doc_free(vnp_doc *d) {
  if (!d)
    return;
  for (size_t i = 0; i < d->lines.n; i++) {
    if (d->lines.v[i].in_arena)
      continue;
    free(d->lines.v[i].text);
    omap_free(&d->lines.v[i].map);
  }
  vnp_vec_free(d->lines);
  for (size_t i = 0; i < d->blocks.n; i++) {
    if (d->blocks.v[i].in_arena)
      continue;
    free(d->blocks.v[i].text);
    omap_free(&d->blocks.v[i].map);
  }
  vnp_vec_free(d->blocks);
  vnp_vec_free(d->line_starts);
  vnp_vec_free(d->preamble);
  vnp_vec_free(d->recipients);
  vnp_vec_free(d->attachments);
  vnp_vec_free(d->changes);
  vnp_vec_free(d->diags);
  /* Free node vectors: walk the tree iteratively (no recursion). */
  vnp_node *n = d->root;
  while (n) {
    vnp_vec_free(n->paras);
    vnp_vec_free(n->rows);
    vnp_vec_free(n->row_ncells);
    vnp_vec_free(n->row_spans);
    vnp_vec_free(n->row_blocks);
    if (n->first) {
      n = n->first;
      continue;
    }
    while (n && !n->next)
      n = n->parent;
    if (n)
      n = n->next;
  }
  extract_free(d->ext);
  arena_free(&d->arena);
  free(d);
}

void doc_diag(vnp_doc *d, const char *level, const char *code, vnp_span span,
              const char *fmt, ...) {
  if (strcmp(level, "error") == 0)
    d->nerrors++;
  if (d->diags.n >= VNP_MAX_DIAGS) {
    d->diags_dropped++;
    return;
  }
  vnp_buf b = VNP_BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  vnp_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  vnp_diag g;
  g.level = level;
  g.code = code;
  g.message = arena_strndup(&d->arena, b.ptr, b.len);
  g.span = span;
  vnp_buf_free(&b);
  vnp_vec_push(d->diags, g);
}

void doc_count_step(vnp_doc *d, const char *step, uint64_t n) {
  if (!n)
    return;
  for (int i = 0; i < d->nsteps; i++) {
    if (strcmp(d->step_names[i], step) == 0) {
      d->step_counts[i] += n;
      return;
    }
  }
  if (d->nsteps < NORM_MAX_STEPS) {
    d->step_names[d->nsteps] = step;
    d->step_counts[d->nsteps++] = n;
  }
}

uint32_t doc_lineno_at(const vnp_doc *d, uint64_t orig) {
  size_t lo = 0, hi = d->line_starts.n;
  if (!hi)
    return 1;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (d->line_starts.v[mid] <= orig)
      lo = mid;
    else
      hi = mid;
  }
  return (uint32_t)lo + 1;
}

/* doc_lineno_at(d, orig), searching forward from line `near` (1-based)
 * first: a span of a block almost always starts on the block's first line
 * or a few lines below it, so this reads one or two cache lines of
 * line_starts instead of a binary search's ~17. Same result: the last
 * line start <= orig (line_starts is ascending). */
static uint32_t lineno_near(const vnp_doc *d, uint64_t orig, uint32_t near) {
  size_t n = d->line_starts.n;
  const uint64_t *v = d->line_starts.v;
  size_t i = near ? near - 1 : 0;
  if (i < n && v[i] <= orig) {
    for (int k = 0; k < 16; k++, i++)
      if (i + 1 == n || v[i + 1] > orig)
        return (uint32_t)i + 1;
  }
  return doc_lineno_at(d, orig);
}

static vnp_span map_span(const vnp_doc *d, const omap *m, uint32_t s,
                         uint32_t e, uint32_t near) {
  vnp_span sp;
  sp.start = omap_start(m, s);
  sp.end = e > s ? omap_end(m, e) : sp.start;
  if (sp.end < sp.start)
    sp.end = sp.start;
  sp.line = lineno_near(d, sp.start, near);
  return sp;
}

vnp_span doc_block_span(const vnp_doc *d, const vnp_block *b, uint32_t s,
                        uint32_t e) {
  return map_span(d, &b->map, s, e, b->lineno);
}

vnp_span doc_line_span(const vnp_doc *d, const vnp_line *l, uint32_t s,
                       uint32_t e) {
  return map_span(d, &l->map, s, e, l->lineno);
}

vnp_span span_join(vnp_span a, vnp_span b) {
  if (!a.line)
    return b;
  if (!b.line)
    return a;
  vnp_span r = a;
  if (b.start < r.start) {
    r.start = b.start;
    r.line = b.line;
  }
  if (b.end > r.end)
    r.end = b.end;
  return r;
}

vnp_node *node_new(vnp_doc *d, vnp_node_type type) {
  vnp_node *n = arena_alloc(&d->arena, sizeof(vnp_node));
  n->type = type;
  return n;
}

void node_append(vnp_node *parent, vnp_node *child) {
  child->parent = parent;
  child->next = NULL;
  if (parent->last)
    parent->last->next = child;
  else
    parent->first = child;
  parent->last = child;
}
