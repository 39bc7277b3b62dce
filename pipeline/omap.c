/*
 * omap.c - offset maps (see omap.h).
 *
 * Composition happens in omap_keep/omap_replace: a step's output segment is
 * expressed directly in original offsets by looking the consumed input range
 * up in the input's own map, so maps never chain at run time.
 */
#include "omap.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>

void omap_init(omap *m) {
  m->seg = NULL;
  m->n = m->cap = m->total = 0;
}

void omap_free(omap *m) {
  free(m->seg);
  omap_init(m);
}

void omap_copy(omap *dst, const omap *src) {
  omap_init(dst);
  if (!src->n)
    return;
  dst->seg = xmalloc(src->n * sizeof(omap_seg));
  memcpy(dst->seg, src->seg, src->n * sizeof(omap_seg));
  dst->n = dst->cap = src->n;
  dst->total = src->total;
}

static uint32_t omap_total(const omap *m) { return m->n ? m->total : 0; }

/* Normalized length of segment i. */
static uint32_t seg_nlen(const omap *m, uint32_t i) {
  return (i + 1 < m->n ? m->seg[i + 1].norm : m->total) - m->seg[i].norm;
}

void omap_push(omap *m, uint32_t nlen, uint64_t orig, uint64_t olen) {
  if (nlen == 0 && olen == 0)
    return;
  uint32_t norm = omap_total(m);
  if (olen > UINT32_MAX)
    olen = UINT32_MAX;
  if (m->n) {
    omap_seg *last = &m->seg[m->n - 1];
    if (seg_nlen(m, m->n - 1) == last->olen && nlen == olen &&
        last->orig + last->olen == orig &&
        (uint64_t)last->olen + olen <= UINT32_MAX) {
      last->olen += (uint32_t)olen;
      m->total += nlen;
      return;
    }
  }
  if (nlen == 0)
    return;
  if (m->n == m->cap) {
    m->cap = m->cap ? m->cap * 2 : 4;
    m->seg = xrealloc(m->seg, m->cap * sizeof(omap_seg));
  }
  m->seg[m->n].norm = norm;
  m->seg[m->n].orig = orig;
  m->seg[m->n].olen = (uint32_t)olen;
  m->n++;
  m->total = norm + nlen;
}

void omap_identity(omap *m, uint32_t len, uint64_t orig) {
  omap_init(m);
  omap_push(m, len, orig, len);
}

/* Index of the segment holding normalized byte `off` (off < total). */
static uint32_t find_seg(const omap *m, uint32_t off) {
  uint32_t lo = 0, hi = m->n;
  while (hi - lo > 1) {
    uint32_t mid = (lo + hi) / 2;
    if (m->seg[mid].norm <= off)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

uint64_t omap_start(const omap *m, uint32_t off) {
  if (!m->n)
    return 0;
  if (off >= omap_total(m)) {
    const omap_seg *s = &m->seg[m->n - 1];
    return s->orig + s->olen;
  }
  uint32_t i = find_seg(m, off);
  const omap_seg *s = &m->seg[i];
  if (seg_nlen(m, i) == s->olen)
    return s->orig + (off - s->norm);
  return s->orig;
}

uint64_t omap_end(const omap *m, uint32_t end) {
  if (!m->n)
    return 0;
  if (end == 0)
    return m->seg[0].orig;
  if (end > omap_total(m))
    end = omap_total(m);
  uint32_t i = find_seg(m, end - 1);
  const omap_seg *s = &m->seg[i];
  if (seg_nlen(m, i) == s->olen)
    return s->orig + (end - s->norm);
  return s->orig + s->olen;
}

void omap_builder_init(omap_builder *b) {
  omap_init(&b->out);
  b->norm_pos = 0;
  b->in_pos = 0;
}

void omap_keep(omap_builder *b, const omap *inmap, uint32_t n) {
  if (!n)
    return;
  uint32_t pos = (uint32_t)b->in_pos, end = pos + n;
  if (inmap->n == 1 && inmap->total == inmap->seg[0].olen &&
      inmap->seg[0].norm == 0) {
    /* one linear segment (a line as read): byte for byte */
    if (end <= inmap->total)
      omap_push(&b->out, n, inmap->seg[0].orig + pos, n);
    else if (pos < inmap->total)
      omap_push(&b->out, inmap->total - pos, inmap->seg[0].orig + pos,
                inmap->total - pos);
    b->in_pos += n;
    b->norm_pos += n;
    return;
  }
  /* Copy the input map's segments that overlap [pos, end). */
  uint32_t i = inmap->n ? find_seg(inmap, pos) : 0;
  while (pos < end && i < inmap->n) {
    const omap_seg *s = &inmap->seg[i];
    uint32_t snlen = seg_nlen(inmap, i);
    uint32_t send = s->norm + snlen;
    uint32_t take = (send < end ? send : end) - pos;
    if (snlen == s->olen) {
      omap_push(&b->out, take, s->orig + (pos - s->norm), take);
    } else if (pos == s->norm && take == snlen) {
      omap_push(&b->out, take, s->orig, s->olen);
    } else {
      /* Part of a replacement segment: map the part to the whole. */
      omap_push(&b->out, take, s->orig, s->olen);
    }
    pos += take;
    i++;
  }
  b->in_pos += n;
  b->norm_pos += n;
}

void omap_replace(omap_builder *b, const omap *inmap, uint32_t in_len,
                  uint32_t out_len) {
  uint32_t pos = (uint32_t)b->in_pos;
  if (inmap->n == 1 && inmap->total == inmap->seg[0].olen &&
      inmap->seg[0].norm == 0 && pos + in_len <= inmap->total) {
    /* one linear segment (a line as read): direct offsets */
    uint64_t o = inmap->seg[0].orig + pos;
    omap_push(&b->out, out_len, o, in_len);
    b->in_pos += in_len;
    b->norm_pos += out_len;
    return;
  }
  uint64_t o0 = omap_start(inmap, pos);
  uint64_t o1 = in_len ? omap_end(inmap, pos + in_len) : o0;
  if (o1 < o0)
    o1 = o0;
  omap_push(&b->out, out_len, o0, o1 - o0);
  b->in_pos += in_len;
  b->norm_pos += out_len;
}

void omap_builder_done(omap_builder *b, omap *out) {
  omap_free(out);
  *out = b->out;
  omap_init(&b->out);
}

void omap_append(omap *dst, const omap *src, uint32_t at) {
  (void)at; /* segments are appended at the current end of dst */
  for (uint32_t i = 0; i < src->n; i++)
    omap_push(dst, seg_nlen(src, i), src->seg[i].orig, src->seg[i].olen);
}
