/*
 * json.c - JSON writer (see json.h).
 */
#include "json.h"

#include "tone.h"

#include <stdio.h>
#include <string.h>
#include <utf8proc.h>

/* Byte classes for json_escape: 0 printable ASCII copied as is, 1 ASCII
 * to escape, 2 the lead byte of a two-byte sequence, 3 other lead bytes
 * (E0, ED and F0-F4: their second byte has a narrower range), 4 never
 * valid at the start of a character, 5 the lead byte of a three-byte
 * sequence whose second byte may be any continuation byte (E1-EC, EE, EF:
 * the Vietnamese letters U+1EA0-U+1EF9 are E1 BA xx and E1 BB xx). */
static const uint8_t JSON_CLASS[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, /* 0x70 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0x80 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0x90 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0xA0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0xB0 */
    4, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xC0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xD0 */
    3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 3, 5, 5, /* 0xE0 */
    3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, /* 0xF0 */
};

/* Appends without a function call when the buffer has room (the common
 * case); same bytes as vnp_buf_put / vnp_buf_putc. */
static inline void jput(vnp_buf *b, const void *s, size_t n) {
  if (b->len + n < b->cap) {
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = 0;
  } else {
    vnp_buf_put(b, s, n);
  }
}

static inline void jputc(vnp_buf *b, char c) {
  if (b->len + 1 < b->cap) {
    b->ptr[b->len++] = c;
    b->ptr[b->len] = 0;
  } else {
    vnp_buf_putc(b, c);
  }
}

void json_init(json_w *w, vnp_buf *out, int pretty, vnp_tone_style tone) {
  memset(w, 0, sizeof *w);
  w->out = out;
  w->pretty = pretty;
  w->tone = tone;
}

void json_set_flush(json_w *w, json_flush_fn fn, void *ctx) {
  w->flush = fn;
  w->flush_ctx = ctx;
}

static void json_flush(json_w *w) {
  if (w->out->len)
    w->flush(w->out->ptr, w->out->len, w->flush_ctx);
  vnp_buf_clear(w->out);
}

static void json_indent(json_w *w) {
  static const char sp[] = "\n                                ";
  size_t n = 2 * (size_t)(w->depth > 0 ? w->depth : 0);
  if (n + 1 < sizeof sp) {
    jput(w->out, sp, n + 1);
    return;
  }
  jputc(w->out, '\n');
  for (int i = 0; i < w->depth; i++)
    jput(w->out, "  ", 2);
}

/* Separator before a value or key at the current depth. */
static void json_pre(json_w *w) {
  if (w->flush && w->out->len >= JSON_FLUSH_AT)
    json_flush(w);
  if (w->after_key) {
    w->after_key = 0;
    return;
  }
  if (w->depth > 0 && w->depth < JSON_MAX_NEST) {
    if (w->count[w->depth]++)
      jputc(w->out, ',');
    if (w->pretty)
      json_indent(w);
  }
}

static void json_open(json_w *w, char c) {
  json_pre(w);
  jputc(w->out, c);
  w->depth++;
  if (w->depth < JSON_MAX_NEST)
    w->count[w->depth] = 0;
}

static void json_close(json_w *w, char c) {
  int had = w->depth < JSON_MAX_NEST ? w->count[w->depth] : 1;
  w->depth--;
  if (w->pretty && had)
    json_indent(w);
  jputc(w->out, c);
}

void json_obj_begin(json_w *w) { json_open(w, '{'); }
void json_obj_end(json_w *w) { json_close(w, '}'); }
void json_arr_begin(json_w *w) { json_open(w, '['); }
void json_arr_end(json_w *w) { json_close(w, ']'); }

void json_key(json_w *w, const char *key) {
  json_pre(w);
  /* keys are short plain ASCII: quoted and followed by the colon in one
   * append (anything else goes through json_escape) */
  char tmp[64];
  size_t n = 0;
  tmp[n++] = '"';
  const uint8_t *k = (const uint8_t *)key;
  while (*k && n < sizeof tmp - 4 && !JSON_CLASS[*k])
    tmp[n++] = (char)*k++;
  if (!*k) {
    tmp[n++] = '"';
    tmp[n++] = ':';
    if (w->pretty)
      tmp[n++] = ' ';
    jput(w->out, tmp, n);
  } else {
    json_escape(w->out, key, strlen(key));
    jput(w->out, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
  }
  w->after_key = 1;
}

/* Length of the well-formed multi-byte UTF-8 sequence at p, or 0 (also 0
 * for an ASCII byte). */
static inline size_t utf8_seq(const uint8_t *p, const uint8_t *end) {
  uint8_t c = p[0];
  size_t left = (size_t)(end - p);
  if (c < 0xC2 || c > 0xF4)
    return 0;
  if (c < 0xE0)
    return left >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c < 0xF0) {
    if (left < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
      return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))
      return 0;
    return 3;
  }
  if (left < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
      (p[3] & 0xC0) != 0x80)
    return 0;
  if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
    return 0;
  return 4;
}

void json_escape(vnp_buf *out, const char *s, size_t len) {
  static const char hex[] = "0123456789abcdef";
  const uint8_t *p = (const uint8_t *)s, *end = p + len;
  vnp_buf_grow(out, len + 2);
  jputc(out, '"');
  while (p < end) {
    /* the longest run that is copied as is: printable ASCII other than
     * '"' and '\\', and well-formed UTF-8 sequences (the ones
     * utf8proc_iterate accepts: RFC 3629, no surrogates or overlongs) */
    const uint8_t *q = p;
    while (q < end) {
      uint8_t c = *q;
      uint8_t k = JSON_CLASS[c];
      if (!k) {
        q++;
        continue;
      }
      if (k == 2 && end - q >= 2 && (q[1] & 0xC0) == 0x80) {
        q += 2; /* the common Vietnamese case: a two-byte letter */
        continue;
      }
      if (k == 5 && end - q >= 3 && (q[1] & 0xC0) == 0x80 &&
          (q[2] & 0xC0) == 0x80) {
        q += 3; /* a three-byte letter (U+1EA0-U+1EF9 and the like) */
        continue;
      }
      size_t n = k >= 2 && k != 4 ? utf8_seq(q, end) : 0;
      if (!n)
        break;
      q += n;
    }
    if (q > p) {
      jput(out, p, (size_t)(q - p));
      p = q;
      continue;
    }
    uint8_t c = *p;
    if (c < 0x80) {
      char esc[7];
      switch (c) {
      case '"': vnp_buf_put(out, "\\\"", 2); break;
      case '\\': vnp_buf_put(out, "\\\\", 2); break;
      case '\n': vnp_buf_put(out, "\\n", 2); break;
      case '\t': vnp_buf_put(out, "\\t", 2); break;
      case '\r': vnp_buf_put(out, "\\r", 2); break;
      case '\b': vnp_buf_put(out, "\\b", 2); break;
      case '\f': vnp_buf_put(out, "\\f", 2); break;
      default:
        memcpy(esc, "\\u00", 4);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        vnp_buf_put(out, esc, 6);
      }
      p++;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, end - p, &cp);
    if (n > 0) {
      vnp_buf_put(out, p, (size_t)n);
      p += n;
    } else {
      vnp_buf_put(out, "\xEF\xBF\xBD", 3);
      p++;
    }
  }
  jputc(out, '"');
}

void json_str(json_w *w, const char *s, size_t len) {
  json_pre(w);
  if (w->tone == VNP_TONE_MAIN_VOWEL) {
    vnp_buf t = VNP_BUF_INIT;
    tone_restyle(s, len, VNP_TONE_MAIN_VOWEL, &t);
    json_escape(w->out, t.ptr, t.len);
    vnp_buf_free(&t);
  } else {
    json_escape(w->out, s, len);
  }
}

void json_strz(json_w *w, const char *s) {
  if (!s)
    json_null(w);
  else
    json_str(w, s, strlen(s));
}

/* Decimal digits of v, as printf's %llu writes them. */
static void put_ull(vnp_buf *b, unsigned long long v, int neg) {
  char tmp[24];
  size_t i = sizeof tmp;
  do {
    tmp[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  if (neg)
    tmp[--i] = '-';
  jput(b, tmp + i, sizeof tmp - i);
}

void json_int(json_w *w, long long v) {
  json_pre(w);
  if (v < 0)
    put_ull(w->out, 0ull - (unsigned long long)v, 1);
  else
    put_ull(w->out, (unsigned long long)v, 0);
}

void json_uint(json_w *w, unsigned long long v) {
  json_pre(w);
  put_ull(w->out, v, 0);
}

void json_double(json_w *w, double v) {
  json_pre(w);
  if (v == (double)(long long)v && v > -1e15 && v < 1e15)
    vnp_buf_printf(w->out, "%lld", (long long)v);
  else
    vnp_buf_printf(w->out, "%.10g", v);
}

void json_bool(json_w *w, int v) {
  json_pre(w);
  vnp_buf_puts(w->out, v ? "true" : "false");
}

void json_null(json_w *w) {
  json_pre(w);
  jput(w->out, "null", 4);
}

void json_kstr(json_w *w, const char *key, const char *s) {
  json_key(w, key);
  json_strz(w, s);
}

void json_kint(json_w *w, const char *key, long long v) {
  json_key(w, key);
  json_int(w, v);
}

void json_kdouble(json_w *w, const char *key, double v) {
  json_key(w, key);
  json_double(w, v);
}

void json_kbool(json_w *w, const char *key, int v) {
  json_key(w, key);
  json_bool(w, v);
}

void json_knull(json_w *w, const char *key) {
  json_key(w, key);
  json_null(w);
}

void json_raw(json_w *w, const char *s, size_t len) {
  json_pre(w);
  vnp_buf_put(w->out, s, len);
}

void json_span(json_w *w, uint64_t start, uint64_t end, uint32_t line) {
  if (!line) {
    json_null(w);
    return;
  }
  json_obj_begin(w);
  json_key(w, "start");
  json_uint(w, start);
  json_key(w, "end");
  json_uint(w, end);
  json_key(w, "line");
  json_uint(w, line);
  json_obj_end(w);
}

void json_end(json_w *w) {
  jputc(w->out, '\n');
  if (w->flush)
    json_flush(w);
}
