/*
 * test_json.c - the JSON string escaper: its fast path (runs of printable
 * ASCII and well-formed UTF-8 copied at once) must give exactly what the
 * byte-by-byte definition gives (ASCII escapes, sequences utf8proc accepts
 * copied, every other byte U+FFFD), on edge cases and random bytes.
 */
#include "json.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/* The definition, one character at a time. */
static void ref_escape(vnp_buf *out, const char *s, size_t len) {
  const uint8_t *p = (const uint8_t *)s, *end = p + len;
  vnp_buf_putc(out, '"');
  while (p < end) {
    uint8_t c = *p;
    if (c < 0x80) {
      if (c == '"')
        vnp_buf_puts(out, "\\\"");
      else if (c == '\\')
        vnp_buf_puts(out, "\\\\");
      else if (c == '\n')
        vnp_buf_puts(out, "\\n");
      else if (c == '\t')
        vnp_buf_puts(out, "\\t");
      else if (c == '\r')
        vnp_buf_puts(out, "\\r");
      else if (c == '\b')
        vnp_buf_puts(out, "\\b");
      else if (c == '\f')
        vnp_buf_puts(out, "\\f");
      else if (c < 0x20 || c == 0x7F)
        vnp_buf_printf(out, "\\u%04x", c);
      else
        vnp_buf_putc(out, c);
      p++;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, end - p, &cp);
    if (n > 0) {
      vnp_buf_put(out, p, (size_t)n);
      p += n;
    } else {
      vnp_buf_puts(out, "\xEF\xBF\xBD");
      p++;
    }
  }
  vnp_buf_putc(out, '"');
}

static void same(const char *s, size_t len) {
  vnp_buf a = VNP_BUF_INIT, b = VNP_BUF_INIT;
  json_escape(&a, s, len);
  ref_escape(&b, s, len);
  cr_assert_eq(a.len, b.len, "length %zu vs %zu", a.len, b.len);
  cr_assert(memcmp(a.ptr, b.ptr, a.len) == 0, "bytes differ: %s vs %s", a.ptr,
            b.ptr);
  vnp_buf_free(&a);
  vnp_buf_free(&b);
}

Test(json, escape_known_strings) {
  vnp_buf a = VNP_BUF_INIT;
  json_escape(&a, "a\"b\\c\n\x01\x7f", 8);
  cr_assert_str_eq(a.ptr, "\"a\\\"b\\\\c\\n\\u0001\\u007f\"");
  vnp_buf_clear(&a);
  /* a surrogate (ED A0 80) and an overlong (C0 AF) become U+FFFD each byte */
  json_escape(&a, "x\xED\xA0\x80y\xC0\xAF", 7);
  cr_assert_str_eq(a.ptr, "\"x\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDy"
                          "\xEF\xBF\xBD\xEF\xBF\xBD\"");
  vnp_buf_free(&a);
}

Test(json, escape_edge_sequences_match_definition) {
  static const char *const cases[] = {
      "",
      "\xC2\x80",
      "\xC2",
      "\xDF\xBF",
      "\xE0\x9F\xBF",
      "\xE0\xA0\x80",
      "\xED\x9F\xBF",
      "\xED\xA0\x80",
      "\xEF\xBF\xBF",
      "\xEF\xBF",
      "\xF0\x8F\xBF\xBF",
      "\xF0\x90\x80\x80",
      "\xF4\x8F\xBF\xBF",
      "\xF4\x90\x80\x80",
      "\xF5\x80\x80\x80",
      "\xFF",
      "\x80\x80",
      "Ph\xC3\xA1t tri\xE1\xBB\x83n \"kh\xE1\xBB\x8F\x65\"\t\\"};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    same(cases[i], strlen(cases[i]));
}

Test(json, escape_random_bytes_match_definition) {
  uint64_t x = 88172645463325252ull;
  char buf[64];
  /* bytes drawn mostly from the lead/continuation ranges */
  static const uint8_t pool[] = {
      'a',  ' ',  '"',  '\\', '\n', 0x01, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
      0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  for (int t = 0; t < 20000; t++) {
    size_t n = (size_t)(t % 17);
    for (size_t i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      buf[i] = (char)pool[x % sizeof pool];
    }
    same(buf, n);
  }
}

/* Numbers: the digit writer gives what printf gives. */
Test(json, integers_as_printf) {
  static const long long v[] = {0,
                                1,
                                -1,
                                9,
                                10,
                                -10,
                                123456789,
                                -987654321,
                                9223372036854775807LL,
                                -9223372036854775807LL - 1};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
    vnp_buf a = VNP_BUF_INIT, b = VNP_BUF_INIT;
    json_w w;
    json_init(&w, &a, 0, VNP_TONE_KEEP);
    json_int(&w, v[i]);
    vnp_buf_printf(&b, "%lld", v[i]);
    cr_assert_str_eq(a.ptr, b.ptr);
    vnp_buf_clear(&a);
    vnp_buf_clear(&b);
    json_uint(&w, (unsigned long long)v[i]);
    vnp_buf_printf(&b, "%llu", (unsigned long long)v[i]);
    cr_assert_str_eq(a.ptr, b.ptr);
    vnp_buf_free(&a);
    vnp_buf_free(&b);
  }
}

typedef struct sink {
  vnp_buf all;
  size_t calls, biggest;
} sink;

static void to_sink(const char *s, size_t n, void *ctx) {
  sink *k = ctx;
  vnp_buf_put(&k->all, s, n);
  k->calls++;
  if (n > k->biggest)
    k->biggest = n;
}

/* A streamed document is the buffered one, cut into pieces of bounded
 * size; pretty and deep nesting included. */
static void write_doc(json_w *w, int n) {
  json_obj_begin(w);
  json_key(w, "items");
  json_arr_begin(w);
  for (int i = 0; i < n; i++) {
    json_obj_begin(w);
    json_key(w, "text");
    json_strz(w, "Ủy ban nhân dân tỉnh \"chủ trì\"\n");
    json_key(w, "n");
    json_int(w, -i);
    json_key(w, "deep");
    for (int d = 0; d < 20; d++)
      json_arr_begin(w);
    json_null(w);
    for (int d = 0; d < 20; d++)
      json_arr_end(w);
    json_obj_end(w);
  }
  json_arr_end(w);
  json_obj_end(w);
  json_end(w);
}

Test(json, streamed_equals_buffered) {
  for (int pretty = 0; pretty < 2; pretty++) {
    vnp_buf whole = VNP_BUF_INIT, part = VNP_BUF_INIT;
    json_w w;
    json_init(&w, &whole, pretty, VNP_TONE_KEEP);
    write_doc(&w, 5000);
    sink k = {VNP_BUF_INIT, 0, 0};
    json_init(&w, &part, pretty, VNP_TONE_KEEP);
    json_set_flush(&w, to_sink, &k);
    write_doc(&w, 5000);
    cr_assert_gt(whole.len, 4 * JSON_FLUSH_AT);
    cr_assert_eq(k.all.len, whole.len);
    cr_assert(memcmp(k.all.ptr, whole.ptr, whole.len) == 0);
    cr_assert_gt(k.calls, 4);
    cr_assert_lt(k.biggest, JSON_FLUSH_AT + 4096);
    cr_assert_eq(part.len, 0, "everything was flushed");
    vnp_buf_free(&whole);
    vnp_buf_free(&part);
    vnp_buf_free(&k.all);
  }
}

/* Keys: plain ones take the short path, others (quotes, controls,
 * non-ASCII, long) are escaped as strings are. */
Test(json, keys_as_escaped_strings) {
  static const char *keys[] = {
      "id",
      "year_source",
      "a\"b",
      "tab\there",
      "\xC4\x91i\xE1\xBB\x83m",
      "a-very-long-key-that-does-not-fit-the-short-path-buffer-at-all-x",
      ""};
  for (int pretty = 0; pretty < 2; pretty++)
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
      vnp_buf a = VNP_BUF_INIT, b = VNP_BUF_INIT;
      json_w w;
      json_init(&w, &a, pretty, VNP_TONE_KEEP);
      json_key(&w, keys[i]);
      json_escape(&b, keys[i], strlen(keys[i]));
      vnp_buf_puts(&b, pretty ? ": " : ":");
      cr_assert_str_eq(a.ptr, b.ptr, "key %zu", i);
      vnp_buf_free(&a);
      vnp_buf_free(&b);
    }
}

/* Strings built from whole and cut three-byte sequences (lead bytes E1-EC,
 * EE, EF take the three-byte fast path; E0 and ED do not) and ASCII: the
 * escaper gives what the definition gives. */
Test(json, escape_three_byte_pieces_match_definition) {
  static const char *const tokens[] = {"\xE1\xBB\x83",
                                       "\xE1\xBA\xA1",
                                       "\xE1\xBB",
                                       "\xEC\xBF\xBF",
                                       "\xEE\x80\x80",
                                       "\xEF\xBF\xBF",
                                       "\xE0\xA0\x80",
                                       "\xE0\x9F\xBF",
                                       "\xED\x9F\xBF",
                                       "\xED\xA0\x80",
                                       "\xE5\x80",
                                       "\xBB",
                                       "a",
                                       " ",
                                       "\"",
                                       "\x7F"};
  uint64_t x = 0x9E3779B97F4A7C15ull;
  char buf[128];
  for (int t = 0; t < 20000; t++) {
    size_t n = 0, k = (size_t)(t % 12);
    for (size_t i = 0; i < k; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      const char *tok = tokens[x % (sizeof tokens / sizeof *tokens)];
      memcpy(buf + n, tok, strlen(tok));
      n += strlen(tok);
    }
    same(buf, n);
  }
}

/* Keys of random bytes around the word-at-a-time test's edges (0x1F/0x20,
 * 0x7E/0x7F/0x80, '"', '\\', lengths across 8 and 16): the key is written
 * as json_escape writes the string, then the colon. */
Test(json, random_keys_as_escaped_strings) {
  static const uint8_t pool[] = {'a',  ' ',  '~',  '!',  '[',  ']',
                                 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xFF,
                                 '"',  '\\', 0xC3, 0xA1, 0x5C, 0x21};
  uint64_t x = 0x2545F4914F6CDD1Dull;
  char key[40];
  for (int t = 0; t < 20000; t++) {
    size_t n = (size_t)(t % 25);
    for (size_t i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      uint8_t c = pool[x % sizeof pool];
      /* mostly plain keys, so the short path is taken often */
      key[i] = (char)((x >> 32) % 4 ? 'a' + (int)((x >> 40) % 26) : c);
    }
    key[n] = 0;
    vnp_buf a = VNP_BUF_INIT, b = VNP_BUF_INIT;
    json_w w;
    json_init(&w, &a, 0, VNP_TONE_KEEP);
    json_key(&w, key);
    json_escape(&b, key, n);
    vnp_buf_putc(&b, ':');
    cr_assert_str_eq(a.ptr, b.ptr, "key %d", t);
    vnp_buf_free(&a);
    vnp_buf_free(&b);
  }
}
