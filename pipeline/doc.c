/*
 * doc.c - the document model: arena, diagnostics, spans and tree nodes.
 */
#include "doc.h"

#include "limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena ---- */

struct arena_chunk {
  arena_chunk *next;
  size_t used, cap;
  max_align_t data[];
};

#define ARENA_CHUNK (64 * 1024)

void arena_init(vnp_arena *a) { a->head = NULL; }

/* Uninitialized memory for arena_strndup (which writes every byte). */
static void *arena_alloc_raw(vnp_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  arena_chunk *c = a->head;
  if (!c || c->cap - c->used < n) {
    size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
    c = xmalloc(sizeof(arena_chunk) + cap);
    c->used = 0;
    c->cap = cap;
    c->next = a->head;
    a->head = c;
  }
  void *p = (char *)c->data + c->used;
  c->used += n;
  return p;
}

void *arena_alloc(vnp_arena *a, size_t n) {
  void *p = arena_alloc_raw(a, n);
  memset(p, 0, n);
  return p;
}

char *arena_strndup(vnp_arena *a, const char *s, size_t n) {
  char *p = arena_alloc_raw(a, n + 1);
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
    free(c);
    c = next;
  }
  a->head = NULL;
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

static vnp_span map_span(const vnp_doc *d, const omap *m, uint32_t s,
                         uint32_t e) {
  vnp_span sp;
  sp.start = omap_start(m, s);
  sp.end = e > s ? omap_end(m, e) : sp.start;
  if (sp.end < sp.start)
    sp.end = sp.start;
  sp.line = doc_lineno_at(d, sp.start);
  return sp;
}

vnp_span doc_block_span(const vnp_doc *d, const vnp_block *b, uint32_t s,
                        uint32_t e) {
  return map_span(d, &b->map, s, e);
}

vnp_span doc_line_span(const vnp_doc *d, const vnp_line *l, uint32_t s,
                       uint32_t e) {
  return map_span(d, &l->map, s, e);
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
