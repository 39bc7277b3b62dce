/*
 * test_tone.c - tone-mark placement: both styles, repairs, words left
 * alone, the hunspell-vi syllable list, and the offset map of the step.
 *
 * Expected values are written out by hand (the differing clusters, the
 * repairs) or taken from an independent source (the 69 syllables that
 * differ between 1ec5/hunspell-vi's DauCu and DauMoi dictionaries, listed
 * in notes-vietnamese-text.md section 1.1).
 */
#include "omap.h"
#include "tone.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define FIRST VNP_TONE_FIRST_VOWEL
#define MAIN VNP_TONE_MAIN_VOWEL

/* Restyles a NUL-terminated string; returns a malloc'd copy of the result
 * and the number of syllables changed in *changed (if not NULL). */
static char *restyle(const char *s, vnp_tone_style st, size_t *changed) {
  vnp_buf b = VNP_BUF_INIT;
  size_t n = tone_restyle(s, strlen(s), st, &b);
  if (changed)
    *changed = n;
  char *r = xstrndup(b.ptr, b.len);
  vnp_buf_free(&b);
  return r;
}

static void expect(const char *in, vnp_tone_style st, const char *want,
                   size_t want_changed) {
  size_t n;
  char *got = restyle(in, st, &n);
  cr_expect_str_eq(got, want, "%s style: \"%s\" -> \"%s\", want \"%s\"",
                   st == FIRST ? "first-vowel" : "main-vowel", in, got, want);
  cr_expect_eq(n, want_changed, "\"%s\": %zu syllables changed, want %zu", in,
               n, want_changed);
  free(got);
}

/* ---- the open syllables oa, oe, uy ---------------------------------- */

/* {first-vowel, main-vowel}: every tone, three casings. */
static const char *const differ[][2] = {
    /* lowercase */
    {"hòa", "hoà"},
    {"hóa", "hoá"},
    {"hỏa", "hoả"},
    {"hõa", "hoã"},
    {"họa", "hoạ"},
    {"khòe", "khoè"},
    {"khóe", "khoé"},
    {"khỏe", "khoẻ"},
    {"khõe", "khoẽ"},
    {"khọe", "khoẹ"},
    {"thùy", "thuỳ"},
    {"thúy", "thuý"},
    {"thủy", "thuỷ"},
    {"thũy", "thuỹ"},
    {"thụy", "thuỵ"},
    {"òa", "oà"},
    {"ọe", "oẹ"},
    {"ủy", "uỷ"},
    /* Capitalized */
    {"Hòa", "Hoà"},
    {"Hóa", "Hoá"},
    {"Hỏa", "Hoả"},
    {"Hõa", "Hoã"},
    {"Họa", "Hoạ"},
    {"Khòe", "Khoè"},
    {"Khóe", "Khoé"},
    {"Khỏe", "Khoẻ"},
    {"Khõe", "Khoẽ"},
    {"Khọe", "Khoẹ"},
    {"Thùy", "Thuỳ"},
    {"Thúy", "Thuý"},
    {"Thủy", "Thuỷ"},
    {"Thũy", "Thuỹ"},
    {"Thụy", "Thuỵ"},
    {"Òa", "Oà"},
    {"Óe", "Oé"},
    {"Ủy", "Uỷ"},
    /* UPPERCASE */
    {"HÒA", "HOÀ"},
    {"HÓA", "HOÁ"},
    {"HỎA", "HOẢ"},
    {"HÕA", "HOÃ"},
    {"HỌA", "HOẠ"},
    {"KHÒE", "KHOÈ"},
    {"KHÓE", "KHOÉ"},
    {"KHỎE", "KHOẺ"},
    {"KHÕE", "KHOẼ"},
    {"KHỌE", "KHOẸ"},
    {"THÙY", "THUỲ"},
    {"THÚY", "THUÝ"},
    {"THỦY", "THUỶ"},
    {"THŨY", "THUỸ"},
    {"THỤY", "THUỴ"},
    {"ÒA", "OÀ"},
    {"ỎE", "OẺ"},
    {"ỦY", "UỶ"},
};

Test(tone, differing_clusters_both_styles) {
  for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
    const char *f = differ[i][0], *m = differ[i][1];
    expect(f, FIRST, f, 0);
    expect(f, MAIN, m, 1);
    expect(m, MAIN, m, 0);
    expect(m, FIRST, f, 1);
  }
}

Test(tone, differing_clusters_round_trip) {
  for (size_t i = 0; i < sizeof differ / sizeof differ[0]; i++) {
    for (int k = 0; k < 2; k++) {
      const char *w = differ[i][k];
      char *a = restyle(w, k ? FIRST : MAIN, NULL);
      char *b = restyle(a, k ? MAIN : FIRST, NULL);
      cr_expect_str_eq(b, w, "round trip of \"%s\" gave \"%s\"", w, b);
      free(a);
      free(b);
    }
  }
}

Test(tone, keep_style_copies) {
  expect("hoà hòa tòan Thuỷ", VNP_TONE_KEEP, "hoà hòa tòan Thuỷ", 0);
}

/* ---- words that are the same in both styles ------------------------- */

Test(tone, same_in_both_styles) {
  static const char *const same[] = {
      "quý",    "quà",   "quạ",   "quyết",  "quỳnh", "giữa",   "già",
      "gìn",    "hoàn",  "hoặc",  "khuyến", "thuở",  "huế",    "thuế",
      "ngoài",  "khuỷu", "người", "mười",   "được",  "huýt",   "hoạch",
      "giường", "xoáy",  "ngoẻo", "khuya",  "Quý",   "QUỲNH",  "NGƯỜI",
      "Huế",    "THUỞ",  "tài",   "mía",    "múa",   "cừu",    "kỳ",
      "Việt",   "một",   "cộng",  "nặng",   "uyển",  "Nguyễn", "đường",
  };
  for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
    expect(same[i], FIRST, same[i], 0);
    expect(same[i], MAIN, same[i], 0);
  }
}

/* ---- misplaced marks ------------------------------------------------ */

Test(tone, repairs_misplaced_marks) {
  static const char *const fix[][2] = {
      {"tòan", "toàn"},     {"baỏ", "bảo"},     {"nghịêm", "nghiệm"},
      {"lựơng", "lượng"},   {"tìên", "tiền"},   {"cuả", "của"},
      {"baỷ", "bảy"},       {"qúy", "quý"},     {"qùy", "quỳ"},
      {"hoăc", "hoăc"},     {"Tòan", "Toàn"},   {"TÒAN", "TOÀN"},
      {"NGHỊÊM", "NGHIỆM"}, {"ngươì", "người"}, {"đựơc", "được"},
      {"chuyễn", "chuyễn"}, {"thủơ", "thuở"},   {"húê", "huế"},
  };
  for (size_t i = 0; i < sizeof fix / sizeof fix[0]; i++) {
    size_t want = strcmp(fix[i][0], fix[i][1]) != 0;
    expect(fix[i][0], FIRST, fix[i][1], want);
    expect(fix[i][0], MAIN, fix[i][1], want);
  }
  /* A letter repair (u -> ư) is not a tone move: left alone. */
  expect("giuờng", FIRST, "giuờng", 0);
  expect("giuờng", MAIN, "giuờng", 0);
}

Test(tone, sentence) {
  /* underthesea's test sentence (its Ð -> Đ fold is not ours). */
  expect("Đảm baỏ chất lựơng phòng thí nghịêm hoá học", FIRST,
         "Đảm bảo chất lượng phòng thí nghiệm hóa học", 4);
  expect("Đảm baỏ chất lựơng phòng thí nghịêm hoá học", MAIN,
         "Đảm bảo chất lượng phòng thí nghiệm hoá học", 3);
  expect("(hoà),thuỷ;\"khoẻ\"-Hoà.", FIRST, "(hòa),thủy;\"khỏe\"-Hòa.", 4);
}

/* ---- words that are not syllables ----------------------------------- */

Test(tone, leaves_non_syllables_alone) {
  static const char *const keep[] = {
      "café",  "Café",        "résumé", "naïve", "José",
      "hòà",   "hoà2",        "2hoà",   "hoàx",  "fòa",
      "ABC",   "UBND",        "HĐND",   "2024",  "e-mail",
      "thuỷỷ", "hoà\xcc\x81", "ǹoa",    "wòa",   "nghiềngg",
      "bqoà",  "Ṁoà",         "",       "  \t ", "h\xcc\x80oa",
      "q",     "qoà",         "μοà",
  };
  for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
    expect(keep[i], FIRST, keep[i], 0);
    expect(keep[i], MAIN, keep[i], 0);
  }
}

Test(tone, other_scripts_and_marks_pass_through) {
  const char *s = "Giá 1.000đ — “hoà” ☺ 漢字 hoà\xe2\x80\x8bthuỷ";
  expect(s, FIRST, "Giá 1.000đ — “hòa” ☺ 漢字 hòa\xe2\x80\x8bthủy", 3);
}

/* ---- the hunspell-vi syllable list ---------------------------------- */

#ifndef HUNSPELL_DIC
#define HUNSPELL_DIC "/usr/share/hunspell/vi_VN.dic"
#endif

/* The 69 syllables that differ between the styles (traditional
 * spelling), from notes-vietnamese-text.md section 1.1. */
static const char affected69[] =
    "chóa chóe chùy chọe dóa dọa góa hòa hòe hóa húy "
    "họa họe hỏa hủy khóa khóe khỏa khỏe lòa lòe lóe "
    "lũy lụy ngóe ngõa ngụy nhòa nhòe nhóa nhóe nhụy sòa "
    "súy thòa thóa thùy thúy thỏa thụy thủy trụy tòa "
    "tòe tóe tõe tùy túy tọa tỏa tỏe tụy tủy xòa xòe "
    "xóa xõa xùy xúy xọe xỏa òa óe úy đóa đọa ọe "
    "ỏe ủy";

static int in_affected(const char *w) {
  size_t n = strlen(w);
  for (const char *p = affected69; *p;) {
    const char *e = strchr(p, ' ');
    size_t k = e ? (size_t)(e - p) : strlen(p);
    if (k == n && memcmp(p, w, n) == 0)
      return 1;
    p += k + (e ? 1 : 0);
  }
  return 0;
}

Test(tone, hunspell_dictionary) {
  FILE *f = fopen(HUNSPELL_DIC, "r");
  if (!f)
    cr_assert_fail("cannot open " HUNSPELL_DIC
                   ": install hunspell-vi (make deps installs it)");
  char line[512];
  int declared = -1, entries = 0, changed_main = 0, changed_first = 0;
  int not_listed = 0, not_restored = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    if (declared < 0) {
      declared = atoi(line);
      continue;
    }
    line[strcspn(line, "/")] = 0; /* affix flags */
    entries++;
    size_t n;
    char *m = restyle(line, MAIN, &n);
    if (strcmp(m, line) != 0 || n) {
      changed_main++;
      cr_log_error("main-vowel changed \"%s\" to \"%s\"", line, m);
    }
    char *t = restyle(line, FIRST, &n);
    if (strcmp(t, line) != 0) {
      changed_first++;
      cr_expect_eq(n, 1);
      if (!in_affected(t)) {
        not_listed++;
        cr_log_error("first-vowel: \"%s\" -> \"%s\" not in the list", line, t);
      }
      char *back = restyle(t, MAIN, &n);
      if (strcmp(back, line) != 0) {
        not_restored++;
        cr_log_error("\"%s\" -> \"%s\" -> \"%s\"", line, t, back);
      }
      free(back);
    }
    free(m);
    free(t);
  }
  fclose(f);
  cr_expect_eq(entries, declared, "read %d entries, the file says %d", entries,
               declared);
  cr_expect_eq(entries, 6631);
  cr_expect_eq(changed_main, 0);
  cr_expect_eq(changed_first, 69);
  cr_expect_eq(not_listed, 0);
  cr_expect_eq(not_restored, 0);
}

Test(tone, affected_list_is_traditional) {
  /* The oracle itself: every listed syllable is stable in first-vowel
   * style and changes in main-vowel style. */
  char buf[sizeof affected69];
  memcpy(buf, affected69, sizeof buf);
  int n = 0;
  for (char *w = strtok(buf, " "); w; w = strtok(NULL, " ")) {
    n++;
    expect(w, FIRST, w, 0);
    size_t k;
    char *m = restyle(w, MAIN, &k);
    cr_expect_str_neq(m, w, "\"%s\" should change in main-vowel style", w);
    free(m);
  }
  cr_expect_eq(n, 69);
}

/* Every entry with a tone mark, with the mark moved to each other vowel
 * letter (the i of gi and the u of qu included): both styles must put it
 * back, since the position depends only on the letters. Built with
 * utf8proc (NFD, move the mark, NFC). */
static int is_tone_mark(utf8proc_int32_t c) {
  return c == 0x300 || c == 0x301 || c == 0x303 || c == 0x309 || c == 0x323;
}

static int is_vowel_base(utf8proc_int32_t c) {
  return c < 128 && strchr("aeiouyAEIOUY", (int)c) != NULL;
}

/* Writes into `dst` the NFC of `w` with its tone mark after the base
 * letter number `to` (counting base letters, not marks). Returns 0 if
 * `to` is not a vowel or already carries the mark. */
static int move_tone(const char *w, int to, char *dst, size_t cap) {
  utf8proc_int32_t cps[64], out[64];
  utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)w,
                                          (utf8proc_ssize_t)strlen(w), cps, 64,
                                          UTF8PROC_DECOMPOSE);
  cr_assert(n > 0 && n < 60);
  utf8proc_int32_t tone = 0;
  int from = -1, letter = -1, m = 0;
  int to_ok = 0;
  for (utf8proc_ssize_t i = 0; i < n; i++) {
    if (utf8proc_get_property(cps[i])->combining_class == 0) {
      letter++;
      if (letter == to)
        to_ok = is_vowel_base(cps[i]);
    }
    if (is_tone_mark(cps[i])) {
      tone = cps[i];
      from = letter;
    }
  }
  if (!tone || from == to || !to_ok)
    return 0;
  letter = -1;
  for (utf8proc_ssize_t i = 0; i < n; i++) {
    if (utf8proc_get_property(cps[i])->combining_class == 0)
      letter++;
    if (cps[i] != tone)
      out[m++] = cps[i];
    if (letter == to &&
        (i + 1 == n || utf8proc_get_property(cps[i + 1])->combining_class == 0))
      out[m++] = tone;
  }
  /* Canonical order of the marks, then NFC. */
  utf8proc_uint8_t *nfc = NULL;
  utf8proc_uint8_t tmp[256];
  utf8proc_ssize_t t = 0;
  for (int i = 0; i < m; i++)
    t += utf8proc_encode_char(out[i], tmp + t);
  utf8proc_ssize_t r =
      utf8proc_map(tmp, t, &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  cr_assert(r > 0 && (size_t)r < cap);
  memcpy(dst, nfc, (size_t)r + 1);
  free(nfc);
  return 1;
}

Test(tone, hunspell_misplaced_marks_repaired) {
  FILE *f = fopen(HUNSPELL_DIC, "r");
  if (!f)
    cr_assert_fail("cannot open " HUNSPELL_DIC
                   ": install hunspell-vi (make deps installs it)");
  char line[512], moved[256];
  int first = 1, variants = 0, bad = 0;
  while (fgets(line, sizeof line, f)) {
    if (first) {
      first = 0;
      continue;
    }
    line[strcspn(line, "/\r\n")] = 0;
    char *canon_first = restyle(line, FIRST, NULL);
    for (int to = 0; to < 8; to++) {
      if (!move_tone(line, to, moved, sizeof moved))
        continue;
      variants++;
      char *a = restyle(moved, MAIN, NULL), *b = restyle(moved, FIRST, NULL);
      if (strcmp(a, line) != 0 || strcmp(b, canon_first) != 0) {
        if (bad++ < 20)
          cr_log_error("%s (from %s): main %s, first %s", moved, line, a, b);
      }
      free(a);
      free(b);
    }
    free(canon_first);
  }
  fclose(f);
  cr_expect_eq(bad, 0, "%d of %d misplaced variants not repaired", bad,
               variants);
  /* Counted independently (Python unicodedata over the same file): 2,044
   * toned entries have 2,293 other vowel letters. */
  cr_expect_eq(variants, 2293);
}

/* ---- the offset map of tone_restyle_step ---------------------------- */

/* Runs the step over `in` whose original text starts at offset `base`. */
static size_t step(const char *in, vnp_tone_style st, vnp_buf *out, omap *map,
                   uint64_t base) {
  omap inmap;
  omap_identity(&inmap, (uint32_t)strlen(in), base);
  omap_builder b;
  omap_builder_init(&b);
  size_t n =
      tone_restyle_step(in, (uint32_t)strlen(in), &inmap, st, out, &b, NULL);
  omap_init(map);
  omap_builder_done(&b, map);
  omap_free(&inmap);
  return n;
}

Test(tone, step_offset_map) {
  /* "tuỳ" is 5 bytes (ỳ is 3), "tùy" 4 (ù is 2): the map must absorb the
   * difference. Input offsets: tuỳ [0,5) ' ' ý [6,8) ' ' hoà [9,13) ' '
   * bền [14,19). */
  const char *in = "tuỳ ý hoà bền";
  vnp_buf out = VNP_BUF_INIT;
  omap map;
  size_t n = step(in, FIRST, &out, &map, 100);
  cr_assert_str_eq(out.ptr, "tùy ý hòa bền");
  cr_expect_eq(n, 2);
  /* Output offsets: tùy [0,4) ' ' ý [5,7) ' ' hòa [8,12) ' ' bền [13,18). */
  cr_expect_eq(omap_start(&map, 0), 100); /* tùy: changed, 4 <- 5 bytes */
  cr_expect_eq(omap_end(&map, 4), 105);
  cr_expect_eq(omap_start(&map, 5), 106); /* ý: unchanged, shifted by 1 */
  cr_expect_eq(omap_end(&map, 7), 108);
  cr_expect_eq(omap_start(&map, 8), 109); /* hòa: changed, same length */
  cr_expect_eq(omap_end(&map, 12), 113);
  cr_expect_eq(omap_start(&map, 13), 114); /* bền: unchanged */
  cr_expect_eq(omap_end(&map, 18), 119);
  omap_free(&map);
  vnp_buf_free(&out);
}

Test(tone, step_offset_map_growing) {
  /* The other direction: "tùy" (4 bytes) -> "tuỳ" (5 bytes). */
  const char *in = "Ông tùy, ủy ban";
  vnp_buf out = VNP_BUF_INIT;
  omap map;
  size_t n = step(in, MAIN, &out, &map, 0);
  cr_assert_str_eq(out.ptr, "Ông tuỳ, uỷ ban");
  cr_expect_eq(n, 2);
  /* in: Ông [0,4) ' ' tùy [5,9) ',' ' ' ủy [11,15) ' ' ban [16,19)
   * out: Ông [0,4) ' ' tuỳ [5,10) ',' ' ' uỷ [12,16) ' ' ban [17,20) */
  cr_expect_eq(omap_start(&map, 0), 0);
  cr_expect_eq(omap_end(&map, 4), 4);
  cr_expect_eq(omap_start(&map, 5), 5);
  cr_expect_eq(omap_end(&map, 10), 9);
  cr_expect_eq(omap_start(&map, 10), 9); /* the comma */
  cr_expect_eq(omap_start(&map, 12), 11);
  cr_expect_eq(omap_end(&map, 16), 15);
  cr_expect_eq(omap_start(&map, 17), 16);
  cr_expect_eq(omap_end(&map, 20), 19);
  omap_free(&map);
  vnp_buf_free(&out);
}

Test(tone, step_keep_is_identity) {
  const char *in = "hoà tòan";
  vnp_buf out = VNP_BUF_INIT;
  omap map;
  size_t n = step(in, VNP_TONE_KEEP, &out, &map, 7);
  cr_assert_str_eq(out.ptr, in);
  cr_expect_eq(n, 0);
  cr_expect_eq(map.n, 1);
  cr_expect_eq(omap_start(&map, 4), 11);
  cr_expect_eq(omap_end(&map, 10), 17);
  omap_free(&map);
  vnp_buf_free(&out);
}

Test(tone, appends_to_out) {
  vnp_buf b = VNP_BUF_INIT;
  vnp_buf_puts(&b, "x:");
  tone_restyle("hoà", strlen("hoà"), FIRST, &b);
  cr_expect_str_eq(b.ptr, "x:hòa");
  vnp_buf_free(&b);
}

/* The built-in table of precomposed letters agrees with utf8proc's
 * decomposition on every code point it covers. */
Test(tone, letter_table_matches_utf8proc) {
  cr_expect_eq(tone_table_mismatches(), 0);
}

/* ---- the word memo ----------------------------------------------------- */

/* With one memo shared by every call (both styles, each text twice so the
 * second pass is answered from the memo), tone_restyle_needed and
 * tone_restyle_step answer exactly as without: on every word of the
 * hunspell dictionary, each word with its mark moved to the wrong vowel,
 * and lines joining many words (2,048 slots: collisions replace slots). */
static void memo_check(tone_memo *m, const char *w, size_t *moved) {
  for (int st = 0; st < 2; st++) {
    vnp_tone_style style = st ? MAIN : FIRST;
    int plain = tone_restyle_needed(w, strlen(w), style, NULL);
    for (int pass = 0; pass < 2; pass++) {
      int memo = tone_restyle_needed(w, strlen(w), style, m);
      cr_expect_eq(memo, plain, "\"%s\" style %d pass %d", w, st, pass);
    }
    *moved += plain;
    if (!plain)
      continue;
    vnp_buf a = VNP_BUF_INIT, b = VNP_BUF_INIT;
    omap inmap, ma, mb;
    omap_identity(&inmap, (uint32_t)strlen(w), 0);
    omap_builder ba, bb;
    omap_builder_init(&ba);
    omap_builder_init(&bb);
    size_t na =
        tone_restyle_step(w, (uint32_t)strlen(w), &inmap, style, &a, &ba, NULL);
    size_t nb =
        tone_restyle_step(w, (uint32_t)strlen(w), &inmap, style, &b, &bb, m);
    cr_expect_eq(na, nb);
    cr_expect(a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0, "%s", w);
    omap_init(&ma);
    omap_init(&mb);
    omap_builder_done(&ba, &ma);
    omap_builder_done(&bb, &mb);
    cr_expect_eq(ma.n, mb.n);
    omap_free(&ma);
    omap_free(&mb);
    omap_free(&inmap);
    vnp_buf_free(&a);
    vnp_buf_free(&b);
  }
}

Test(tone, memo_answers_as_parsing) {
  FILE *f = fopen(HUNSPELL_DIC, "r");
  if (!f)
    cr_assert_fail("cannot open " HUNSPELL_DIC);
  tone_memo *m = tone_memo_new();
  char line[512];
  vnp_buf joined = VNP_BUF_INIT;
  size_t words = 0, moved = 0;
  int first = 1;
  while (fgets(line, sizeof line, f)) {
    if (first) { /* the entry count */
      first = 0;
      continue;
    }
    line[strcspn(line, "\r\n/")] = 0;
    words++;
    memo_check(m, line, &moved);
    /* the mark on the wrong vowel: "hoà" -> "hòa" spelled "hoà" etc. */
    char *t = restyle(line, FIRST, NULL);
    memo_check(m, t, &moved);
    free(t);
    vnp_buf_puts(&joined, line);
    vnp_buf_putc(&joined, ' ');
    if (joined.len > 200) {
      vnp_buf_putc(&joined, 0);
      memo_check(m, joined.ptr, &moved);
      vnp_buf_clear(&joined);
    }
  }
  fclose(f);
  cr_expect_eq(words, 6631);
  cr_expect_gt(moved, 69); /* main-vowel style moves the 69 and more */
  vnp_buf_free(&joined);
  tone_memo_free(m);
}
