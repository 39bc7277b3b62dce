/*
 * buf.h - growable byte buffer and allocation wrappers.
 *
 * Invariants (as git's strbuf): `ptr` is never NULL, always NUL-terminated,
 * may contain NULs; vnp_buf_detach hands the bytes to the caller and leaves
 * the buffer empty. Allocation failure aborts in xmalloc/xrealloc, so
 * callers never check for NULL.
 */
#ifndef VNP_BUF_H
#define VNP_BUF_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

typedef struct vnp_buf {
  char *ptr;
  size_t len;
  size_t cap;
} vnp_buf;

#define VNP_BUF_INIT {vnp_buf_empty, 0, 0}
extern char vnp_buf_empty[1];

void vnp_buf_init(vnp_buf *b);
void vnp_buf_grow(vnp_buf *b, size_t extra);
void vnp_buf_put(vnp_buf *b, const void *data, size_t len);
void vnp_buf_puts(vnp_buf *b, const char *s);
void vnp_buf_putc(vnp_buf *b, int c);
void vnp_buf_printf(vnp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void vnp_buf_vprintf(vnp_buf *b, const char *fmt, va_list ap);
void vnp_buf_truncate(vnp_buf *b, size_t len);
void vnp_buf_clear(vnp_buf *b);
char *vnp_buf_detach(vnp_buf *b, size_t *len);
void vnp_buf_free(vnp_buf *b);

/* A growable array of fixed-size elements. The first push allocates room
 * for 2, then the room doubles: most vectors of the document model hold
 * one or two elements (a task's deadlines and bodies, a node's paragraphs),
 * and room for 8 left most of their memory unused (14% of the peak RSS
 * parsing 20 MB). */
#define VNP_VEC(T)                                                            \
  struct {                                                                    \
    T *v;                                                                     \
    size_t n, cap;                                                            \
  }
#define vnp_vec_push(vec, x)                                                  \
  do {                                                                        \
    if ((vec).n == (vec).cap) {                                               \
      (vec).cap = (vec).cap ? (vec).cap * 2 : 2;                              \
      (vec).v = xrealloc((vec).v, (vec).cap * sizeof(*(vec).v));              \
    }                                                                         \
    (vec).v[(vec).n++] = (x);                                                 \
  } while (0)
#define vnp_vec_free(vec)                                                     \
  do {                                                                        \
    free((vec).v);                                                            \
    (vec).v = NULL;                                                           \
    (vec).n = (vec).cap = 0;                                                  \
  } while (0)

#endif
