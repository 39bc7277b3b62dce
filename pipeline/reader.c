/*
 * reader.c - bytes -> whole lines.
 *
 * Input:  chunks of any size (vnp_pipeline_feed).
 * Output: one callback per line: valid UTF-8 text without its line ending,
 *         an omap into the original bytes, the 1-based line number.
 * Carries across chunks (cmark S_parser_feed and its #117 fix): the
 * unfinished line, a "chunk ended in CR" flag, the first bytes until the
 * BOM is decided, and an incomplete UTF-8 sequence.
 * Repairs, each counted and reported as a diagnostic, never fatal:
 *   - UTF-8 BOM dropped; UTF-16LE/BE with BOM converted with ICU;
 *   - CRLF and lone CR become line breaks;
 *   - invalid UTF-8 bytes and NUL become U+FFFD (utf8proc validates);
 *   - a form feed breaks the line and marks the next one LINE_PAGEBREAK;
 *     two with nothing between them also LINE_EMPTYPAGE (a lost page).
 * Every line start's original offset goes to doc->line_starts, so any
 * original offset maps to a line number.
 */
#include "reader.h"

#include "limits.h"

#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/utf16.h>
#include <utf8proc.h>

/* ---- prototypes ---- */
static void reader_emit_line(reader *r, uint64_t orig_end);
static void reader_put_run(reader *r, const char *s, uint32_t n,
                           uint64_t orig);
static void reader_put_repl(reader *r, uint64_t orig, uint64_t olen,
                            const char *repl, uint32_t rlen);
static void reader_utf8(reader *r, const uint8_t *s, size_t n);
static void reader_utf16(reader *r, const uint8_t *s, size_t n, int flush);
static void reader_start(reader *r, const uint8_t *s, size_t n);

enum { ENC_UNKNOWN, ENC_UTF8, ENC_UTF16LE, ENC_UTF16BE };

static const char REPL[] = "\xEF\xBF\xBD"; /* U+FFFD */

struct reader {
  vnp_doc *doc;
  reader_line_fn fn;
  void *ctx;
  int enc;
  uint8_t head[4]; /* first bytes, until the BOM is decided */
  size_t nhead;
  uint64_t pos;        /* original offset of the next byte */
  uint64_t line_start; /* original offset where the current line starts */
  vnp_buf line;
  omap map;
  int last_cr;        /* previous byte was CR (skip a following LF) */
  unsigned next_flags; /* flags for the line being built */
  uint8_t carry[4];   /* incomplete UTF-8 sequence at a chunk end */
  size_t ncarry;
  uint64_t carry_pos;
  uint32_t lineno;
  UConverter *cnv;
  struct sha256_ctx sha;
  /* counts */
  uint64_t n_invalid, n_nul, n_cr, n_ff, first_invalid, first_nul;
};

reader *reader_new(vnp_doc *doc, reader_line_fn fn, void *ctx) {
  reader *r = xcalloc(1, sizeof(reader));
  r->doc = doc;
  r->fn = fn;
  r->ctx = ctx;
  vnp_buf_init(&r->line);
  omap_init(&r->map);
  r->lineno = 1;
  sha256_init(&r->sha);
  vnp_vec_push(doc->line_starts, (uint64_t)0);
  return r;
}

void reader_free(reader *r) {
  if (!r)
    return;
  vnp_buf_free(&r->line);
  omap_free(&r->map);
  if (r->cnv)
    ucnv_close(r->cnv);
  free(r);
}

/* ---- line assembly ---- */

static void reader_put_run(reader *r, const char *s, uint32_t n,
                           uint64_t orig) {
  vnp_buf_put(&r->line, s, n);
  omap_push(&r->map, n, orig, n);
}

static void reader_put_repl(reader *r, uint64_t orig, uint64_t olen,
                            const char *repl, uint32_t rlen) {
  vnp_buf_put(&r->line, repl, rlen);
  omap_push(&r->map, rlen, orig, olen);
}

static void reader_emit_line(reader *r, uint64_t orig_end) {
  if (r->line.len > VNP_MAX_LINE) {
    /* unreachable in practice: the offset map uses 32-bit offsets */
    vnp_buf_truncate(&r->line, VNP_MAX_LINE);
  }
  r->fn(r->ctx, r->line.ptr, (uint32_t)r->line.len, &r->map, r->line_start,
        orig_end, r->lineno, r->next_flags);
  vnp_buf_clear(&r->line);
  r->map.n = 0;
  r->next_flags = 0;
  r->lineno++;
}

/* Handles a line-control character at original offset `at`, `clen` bytes
 * long. Returns 1 if it was a control that was consumed. */
static int reader_control(reader *r, uint8_t c, uint64_t at, uint64_t clen) {
  uint64_t next = at + clen;
  if (c == '\n') {
    if (r->last_cr) { /* second half of CRLF */
      r->last_cr = 0;
      r->line_start = next;
      r->doc->line_starts.v[r->doc->line_starts.n - 1] = next;
      return 1;
    }
    reader_emit_line(r, at);
    r->line_start = next;
    vnp_vec_push(r->doc->line_starts, next);
    return 1;
  }
  r->last_cr = 0;
  if (c == '\r') {
    r->n_cr++;
    reader_emit_line(r, at);
    r->last_cr = 1;
    r->line_start = next;
    vnp_vec_push(r->doc->line_starts, next);
    return 1;
  }
  if (c == '\f') {
    r->n_ff++;
    if (r->line.len) {
      reader_emit_line(r, at);
      vnp_vec_push(r->doc->line_starts, next);
    } else if (r->next_flags & LINE_PAGEBREAK) {
      r->next_flags |= LINE_EMPTYPAGE; /* "\f\f": a page with nothing */
    }
    r->line_start = next;
    r->next_flags |= LINE_PAGEBREAK;
    return 1;
  }
  return 0;
}

static void reader_invalid(reader *r, uint64_t at, uint64_t n) {
  if (!r->n_invalid)
    r->first_invalid = at;
  r->n_invalid += n;
  r->next_flags |= LINE_INVALID;
  reader_put_repl(r, at, n, REPL, 3);
}

/* ---- UTF-8 ---- */

/* Length of the valid UTF-8 sequence at s (lead byte >= 0x80), 0 if it
 * may be valid but is cut by the end of the buffer, -1 if invalid. Checks
 * overlongs, surrogates and the U+10FFFF limit (RFC 3629 table). */
static inline int u8_valid(const uint8_t *s, size_t avail) {
  uint8_t c = s[0];
  int n;
  uint8_t lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
  } else
    return -1;
  for (int k = 1; k < n; k++) {
    if ((size_t)k >= avail)
      return 0;
    uint8_t x = s[k];
    if (k == 1 ? (x < lo || x > hi) : (x & 0xC0) != 0x80)
      return -1;
  }
  return n;
}

/* Bytes that end a run: line controls and NUL. */
static int is_break(uint8_t c) {
  return c == '\n' || c == '\r' || c == '\f' || c == 0;
}

static void reader_utf8(reader *r, const uint8_t *s, size_t n) {
  size_t i = 0;
  /* Finish a sequence carried over from the previous chunk. */
  while (r->ncarry && i < n) {
    uint8_t tmp[4];
    memcpy(tmp, r->carry, r->ncarry);
    size_t take = 0;
    while (r->ncarry + take < 4 && i + take < n)
      take++;
    memcpy(tmp + r->ncarry, s + i, take);
    int v = u8_valid(tmp, r->ncarry + take);
    if (v > 0) {
      reader_put_run(r, (const char *)tmp, (uint32_t)v, r->carry_pos);
      i += (size_t)v - r->ncarry;
      r->ncarry = 0;
    } else if (v == 0) { /* still incomplete: the chunk was tiny */
      memcpy(r->carry + r->ncarry, s + i, take);
      r->ncarry += take;
      i += take;
    } else {
      reader_invalid(r, r->carry_pos, 1);
      /* re-scan the carried bytes after the bad lead byte */
      memmove(r->carry, r->carry + 1, --r->ncarry);
      r->carry_pos++;
      if (r->ncarry) {
        uint8_t c0 = r->carry[0];
        if (c0 < 0x80 || (c0 & 0xC0) == 0x80) {
          for (size_t k = 0; k < r->ncarry; k++)
            reader_invalid(r, r->carry_pos + k, 1);
          r->ncarry = 0;
        }
      }
    }
  }
  uint64_t base = r->pos;
  while (i < n) {
    size_t start = i;
    /* one run of valid text up to a control byte or a bad sequence */
    for (;;) {
      if (i >= n)
        break;
      uint8_t c = s[i];
      if (c < 0x80) {
        if (c < 0x20 && is_break(c))
          break;
        i++;
        /* after an ASCII byte, 8 ASCII bytes >= 0x20 at a time (not after
         * a letter of two or three bytes: in Vietnamese text the next
         * eight bytes are rarely all ASCII) */
        while (i + 8 <= n) {
          uint64_t w;
          memcpy(&w, s + i, 8);
          if ((w & 0x8080808080808080ull) ||
              ((w - 0x2020202020202020ull) & ~w & 0x8080808080808080ull))
            break;
          i += 8;
        }
        continue;
      }
      /* the common letters first: two-byte sequences, and three-byte ones
       * whose lead byte puts no limit on the second byte (E1-EC, EE-EF);
       * everything else through u8_valid */
      if (c >= 0xC2 && c <= 0xDF) {
        if (i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
          i += 2;
          continue;
        }
      } else if (c >= 0xE1 && c <= 0xEF && c != 0xED) {
        if (i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80) {
          i += 3;
          continue;
        }
      }
      int v = u8_valid(s + i, n - i);
      if (v <= 0)
        break;
      i += (size_t)v;
    }
    if (i > start) {
      r->last_cr = 0;
      reader_put_run(r, (const char *)s + start, (uint32_t)(i - start),
                     base + start);
    }
    if (i >= n)
      break;
    uint8_t c = s[i];
    if (c < 0x80) {
      if (reader_control(r, c, base + i, 1)) {
        i++;
        continue;
      }
      r->last_cr = 0; /* NUL */
      if (!r->n_nul)
        r->first_nul = base + i;
      r->n_nul++;
      reader_put_repl(r, base + i, 1, REPL, 3);
      i++;
      continue;
    }
    r->last_cr = 0;
    int v = u8_valid(s + i, n - i);
    if (v == 0) { /* cut by the chunk end: carry it */
      memcpy(r->carry, s + i, n - i);
      r->ncarry = n - i;
      r->carry_pos = base + i;
      break;
    }
    reader_invalid(r, base + i, 1);
    i++;
  }
}

/* ---- UTF-16 (ICU) ---- */

/* Feeds whole UTF-16 code units to ICU, so every character's offset is
 * known (ICU reports -1 for a character begun in an earlier call): an odd
 * byte at a chunk end waits in r->carry. */
static void reader_utf16_units(reader *r, const uint8_t *s, size_t n,
                               uint64_t base, int flush);

static void reader_utf16(reader *r, const uint8_t *s, size_t n, int flush) {
  uint64_t base = r->pos;
  if (r->ncarry && n) {
    uint8_t unit[2] = {r->carry[0], s[0]};
    r->ncarry = 0;
    reader_utf16_units(r, unit, 2, r->carry_pos, 0);
    s++;
    n--;
    base++;
  }
  size_t even = n & ~(size_t)1;
  reader_utf16_units(r, s, even, base, flush && even == n);
  if (even < n) {
    r->carry[0] = s[even];
    r->ncarry = 1;
    r->carry_pos = base + even;
    if (flush) {
      r->ncarry = 0;
      reader_invalid(r, r->carry_pos, 1);
    }
  }
}

static void reader_utf16_units(reader *r, const uint8_t *s, size_t n,
                               uint64_t base, int flush) {
  UChar out[1024];
  int32_t offs[1024];
  const char *src = (const char *)s, *limit = (const char *)s + n;
  for (;;) {
    UErrorCode err = U_ZERO_ERROR;
    UChar *tgt = out;
    const char *src0 = src;
    ucnv_toUnicode(r->cnv, &tgt, out + 1024, &src, limit, offs, flush, &err);
    int32_t nout = (int32_t)(tgt - out);
    uint64_t b0 = base + (uint64_t)(src0 - (const char *)s);
    for (int32_t k = 0; k < nout;) {
      UChar32 cp;
      int32_t k0 = k;
      U16_NEXT(out, k, nout, cp);
      uint64_t at = offs[k0] >= 0 ? b0 + (uint64_t)offs[k0] : b0 - 2;
      uint64_t olen = (uint64_t)(k - k0) * 2;
      if (cp < 0x80) {
        if (reader_control(r, (uint8_t)cp, at, olen))
          continue;
        r->last_cr = 0;
        if (cp == 0) {
          if (!r->n_nul)
            r->first_nul = at;
          r->n_nul++;
          reader_put_repl(r, at, olen, REPL, 3);
        } else {
          char c = (char)cp;
          reader_put_repl(r, at, olen, &c, 1);
        }
        continue;
      }
      r->last_cr = 0;
      if (U_IS_SURROGATE(cp) || cp == 0xFFFD) {
        if (cp != 0xFFFD || !r->n_invalid)
          r->first_invalid = r->n_invalid ? r->first_invalid : at;
        r->n_invalid++;
        reader_put_repl(r, at, olen, REPL, 3);
        continue;
      }
      uint8_t u8[4];
      utf8proc_ssize_t m = utf8proc_encode_char(cp, u8);
      reader_put_repl(r, at, olen, (const char *)u8, (uint32_t)m);
    }
    if (err == U_BUFFER_OVERFLOW_ERROR)
      continue;
    break;
  }
}

/* ---- encoding detection ---- */

static void reader_start(reader *r, const uint8_t *s, size_t n) {
  size_t skip = 0;
  if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
    r->enc = ENC_UTF8;
    r->doc->encoding = "utf-8-bom";
    skip = 3;
  } else if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
    r->enc = ENC_UTF16LE;
    r->doc->encoding = "utf-16le";
    skip = 2;
  } else if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
    r->enc = ENC_UTF16BE;
    r->doc->encoding = "utf-16be";
    skip = 2;
  } else {
    r->enc = ENC_UTF8;
  }
  if (r->enc == ENC_UTF16LE || r->enc == ENC_UTF16BE) {
    UErrorCode err = U_ZERO_ERROR;
    r->cnv = ucnv_open(r->enc == ENC_UTF16LE ? "UTF-16LE" : "UTF-16BE", &err);
    if (U_FAILURE(err)) {
      r->cnv = NULL;
      r->enc = ENC_UTF8;
    }
  }
  r->pos += skip;
  r->line_start = r->pos;
  r->doc->line_starts.v[0] = r->pos;
  if (r->enc == ENC_UTF8)
    reader_utf8(r, s + skip, n - skip);
  else
    reader_utf16(r, s + skip, n - skip, 0);
  r->pos += n - skip;
}

void reader_feed(reader *r, const char *buf, size_t len) {
  const uint8_t *s = (const uint8_t *)buf;
  sha256_update(&r->sha, len, s);
  r->doc->bytes += len;
  if (r->enc == ENC_UNKNOWN) {
    /* Collect up to 3 bytes before deciding on a BOM. */
    while (len && r->nhead < 3) {
      r->head[r->nhead++] = *s++;
      len--;
    }
    if (r->nhead < 3)
      return;
    uint8_t h[3];
    memcpy(h, r->head, 3);
    r->nhead = 0;
    reader_start(r, h, 3);
    if (!len)
      return;
  }
  if (r->enc == ENC_UTF8)
    reader_utf8(r, s, len);
  else
    reader_utf16(r, s, len, 0);
  r->pos += len;
}

void reader_finish(reader *r) {
  vnp_doc *d = r->doc;
  if (r->enc == ENC_UNKNOWN) {
    uint8_t h[3];
    size_t n = r->nhead;
    memcpy(h, r->head, n);
    r->nhead = 0;
    reader_start(r, h, n);
  }
  if (r->enc != ENC_UTF8 && r->cnv) {
    if (r->ncarry) {
      r->ncarry = 0;
      reader_invalid(r, r->carry_pos, 1);
    }
    reader_utf16_units(r, (const uint8_t *)"", 0, r->pos, 1);
  }
  if (r->ncarry) {
    reader_invalid(r, r->carry_pos, r->ncarry);
    r->ncarry = 0;
  }
  if (r->line.len || r->next_flags & LINE_INVALID)
    reader_emit_line(r, r->pos);
  else if (d->line_starts.n > 1 &&
           d->line_starts.v[d->line_starts.n - 1] >= r->pos)
    d->line_starts.n--; /* the file ended with a line break */

  uint8_t dig[SHA256_DIGEST_SIZE];
  sha256_digest(&r->sha, SHA256_DIGEST_SIZE, dig);
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
    d->sha256[2 * i] = hex[dig[i] >> 4];
    d->sha256[2 * i + 1] = hex[dig[i] & 15];
  }
  d->sha256[64] = 0;

  vnp_span none = {0, 0, 0};
  if (r->n_invalid) {
    vnp_span sp = {r->first_invalid, r->first_invalid + 1, 0};
    sp.line = doc_lineno_at(d, sp.start);
    doc_diag(d, (d->opts.flags & VNP_OPT_STRICT) ? "error" : "warning",
             "invalid-encoding", sp,
             "%llu invalid %s byte(s) replaced by U+FFFD, first at byte "
             "offset %llu (line %u)",
             (unsigned long long)r->n_invalid,
             r->enc == ENC_UTF8 ? "UTF-8" : "UTF-16",
             (unsigned long long)r->first_invalid, sp.line);
  }
  if (r->n_nul) {
    vnp_span sp = {r->first_nul, r->first_nul + 1, 0};
    sp.line = doc_lineno_at(d, sp.start);
    int binary = r->n_nul * 100 > d->bytes || r->n_nul > 64;
    doc_diag(d, binary ? "error" : "warning",
             binary ? "binary-input" : "nul-byte", sp,
             "%llu NUL byte(s) replaced by U+FFFD, first at byte offset %llu"
             "%s",
             (unsigned long long)r->n_nul, (unsigned long long)r->first_nul,
             binary ? ": this looks like a binary file, not a text document"
                    : "");
  }
  if (r->n_cr)
    doc_count_step(d, "line-endings", r->n_cr);
  if (r->n_ff)
    doc_count_step(d, "form-feeds", r->n_ff);
  if (d->bytes == 0)
    doc_diag(d, "error", "empty-input", none, "the input is empty");
}
