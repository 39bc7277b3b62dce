/*
 * buf.c - growable byte buffer and the allocation wrappers that abort on
 * failure (cmark xcalloc, jq jv_mem_alloc).
 */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char vnp_buf_empty[1] = {0};

static void oom(void) {
  fputs("vnplan: out of memory, aborting\n", stderr);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p)
    oom();
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p)
    oom();
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q)
    oom();
  return q;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

void vnp_buf_init(vnp_buf *b) {
  b->ptr = vnp_buf_empty;
  b->len = b->cap = 0;
}

void vnp_buf_grow(vnp_buf *b, size_t extra) {
  size_t need = b->len + extra + 1;
  if (need <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap = cap + cap / 2 + 64;
  if (b->cap == 0) {
    b->ptr = xmalloc(cap);
    b->ptr[0] = 0;
  } else {
    b->ptr = xrealloc(b->ptr, cap);
  }
  b->cap = cap;
}

void vnp_buf_put(vnp_buf *b, const void *data, size_t len) {
  if (!len)
    return;
  vnp_buf_grow(b, len);
  memcpy(b->ptr + b->len, data, len);
  b->len += len;
  b->ptr[b->len] = 0;
}

void vnp_buf_puts(vnp_buf *b, const char *s) { vnp_buf_put(b, s, strlen(s)); }

void vnp_buf_putc(vnp_buf *b, int c) {
  vnp_buf_grow(b, 1);
  b->ptr[b->len++] = (char)c;
  b->ptr[b->len] = 0;
}

void vnp_buf_vprintf(vnp_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n <= 0)
    return;
  vnp_buf_grow(b, (size_t)n);
  vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void vnp_buf_printf(vnp_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vnp_buf_vprintf(b, fmt, ap);
  va_end(ap);
}

void vnp_buf_truncate(vnp_buf *b, size_t len) {
  if (len < b->len) {
    b->len = len;
    b->ptr[len] = 0;
  }
}

void vnp_buf_clear(vnp_buf *b) { vnp_buf_truncate(b, 0); }

char *vnp_buf_detach(vnp_buf *b, size_t *len) {
  char *p;
  if (b->cap == 0) {
    p = xmalloc(1);
    p[0] = 0;
  } else {
    p = b->ptr;
  }
  if (len)
    *len = b->len;
  vnp_buf_init(b);
  return p;
}

void vnp_buf_free(vnp_buf *b) {
  if (b->cap)
    free(b->ptr);
  vnp_buf_init(b);
}
