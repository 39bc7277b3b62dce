/*
 * test_rules.c - the rule loader's word index (`starts`) and its lists
 * written as tries: an indexed rule, or one whose lists are tries, finds
 * exactly what a plain search of its pattern with flat alternations finds
 * (same spans, same groups), on every line of every corpus document and
 * on awkward text; a wrong `starts` is caught; bad `starts` lines are load
 * errors; the caseless and case-sensitive list sites.
 */
#include "rules.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utf8proc.h>

static vnp_rules *RS;

static void load_rules(void) {
  RS = tu_rules_load();
}

static void free_rules(void) { vnp_rules_free(RS); }

TestSuite(rules, .init = load_rules, .fini = free_rules);

static const rule *find_rule(const vnp_rules *rs, const char *id) {
  for (size_t i = 0; i < rs->nrules; i++)
    if (strcmp(rs->rules[i].id, id) == 0)
      return &rs->rules[i];
  return NULL;
}

/* A rule with a gate that matches s (from any offset, as extraction
 * scans) must have its gate in s. Returns 1 if r has a gate. */
static int check_gate(const vnp_rules *rs, const rule *r, const char *s,
                      size_t len) {
  if (!r->gate_re)
    return 0;
  pcre2_match_data *md = rules_match_data(rs);
  int m = rule_exec(rs, r, s, len, 0, md) > 0;
  cr_assert(!m || rule_gate(rs, r, s, len, md),
            "rule %s matches without its gate in: %.*s", r->id,
            (int)(len > 300 ? 300 : len), s);
  pcre2_match_data_free(md);
  return 1;
}

/* Checks every indexed rule (and every gate) on s; returns the number of
 * rules checked. */
static size_t check_all(const vnp_rules *rs, pcre2_code **plain, const char *s,
                        size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < rs->nrules; i++)
    check_gate(rs, &rs->rules[i], s, len);
  for (size_t i = 0; i < rs->nrules; i++) {
    const rule *r = &rs->rules[i];
    if (!r->start_bit && !r->pattern_flat)
      continue;
    char why[256];
    cr_assert(rules_check_index(rs, r, plain[i], s, len, why, sizeof why),
              "%s in: %.*s", why, (int)(len > 300 ? 300 : len), s);
    n++;
  }
  return n;
}

static pcre2_code **plain_all(const vnp_rules *rs) {
  pcre2_code **p = calloc(rs->nrules, sizeof *p);
  for (size_t i = 0; i < rs->nrules; i++)
    p[i] = rules_plain_code(&rs->rules[i]);
  return p;
}

static void plain_free(const vnp_rules *rs, pcre2_code **p) {
  for (size_t i = 0; i < rs->nrules; i++)
    pcre2_code_free(p[i]);
  free(p);
}

/* The body and role rules of bodies.rules carry an index. */
Test(rules, body_rules_are_indexed) {
  const char *ids[] = {"body.gazetteer.name", "body.gazetteer.alias",
                       "body.generic", "body.council", "role.lead"};
  for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
    const rule *r = find_rule(RS, ids[i]);
    cr_assert_not_null(r, "%s", ids[i]);
    cr_assert_neq(r->start_bit, 0, "%s has no word index", ids[i]);
  }
  cr_assert_eq(find_rule(RS, "role.split")->start_bit, 0);
}

/* Every line of every corpus document (and each whole document, where
 * matches may span lines): the index finds what a plain search finds. */
Test(rules, index_equals_search_on_corpus) {
  const char *root = getenv("VNPLAN_ROOT");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/corpus", root ? root : ".");
  DIR *dh = opendir(dir);
  cr_assert_not_null(dh);
  pcre2_code **plain = plain_all(RS);
  struct dirent *de;
  size_t docs = 0, checks = 0;
  while ((de = readdir(dh)) != NULL) {
    size_t nl = strlen(de->d_name);
    if (nl < 5 || strcmp(de->d_name + nl - 4, ".txt") != 0)
      continue;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    vnp_buf b = VNP_BUF_INIT;
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
      vnp_buf_put(&b, tmp, k);
    fclose(f);
    const char *p = b.ptr, *end = b.ptr + b.len;
    while (p < end) {
      const char *e = memchr(p, '\n', (size_t)(end - p));
      if (!e)
        e = end;
      checks += check_all(RS, plain, p, (size_t)(e - p));
      p = e + 1;
    }
    docs++;
    vnp_buf_free(&b);
  }
  closedir(dh);
  plain_free(RS, plain);
  cr_assert_geq(docs, 12, "corpus documents: %zu", docs);
  cr_assert_gt(checks, 10000);
}

/* rules_words_sub of a range of a text = rules_words of that range, on
 * ranges of every corpus document (many starting or ending inside words,
 * at digits, at line ends) and on every range of an awkward line. */
static size_t check_sub(const char *s, size_t len, size_t a, size_t b,
                        const rule_wordvec *all, uint64_t all_any) {
  (void)all_any;
  rule_wordvec x = {0}, y = {0};
  uint64_t mx = rules_words_sub(RS, s, len, all->v, all->n, a, b, &x);
  uint64_t my = rules_words(RS, s + a, b - a, &y);
  cr_assert_eq(mx, my, "bits of [%zu,%zu): %.*s", a, b, (int)(b - a), s + a);
  cr_assert_eq(x.n, y.n, "words of [%zu,%zu): %.*s", a, b, (int)(b - a),
               s + a);
  for (size_t i = 0; i < x.n; i++) {
    cr_assert_eq(x.v[i].pos, y.v[i].pos, "[%zu,%zu) word %zu", a, b, i);
    cr_assert_eq(x.v[i].mask, y.v[i].mask, "[%zu,%zu) word %zu", a, b, i);
  }
  size_t n = x.n;
  vnp_vec_free(x);
  vnp_vec_free(y);
  return n;
}

Test(rules, words_of_a_range) {
  const char *root = getenv("VNPLAN_ROOT");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/corpus", root ? root : ".");
  DIR *dh = opendir(dir);
  cr_assert_not_null(dh);
  struct dirent *de;
  size_t ranges = 0, words = 0;
  uint64_t rnd = 88172645463325252ull;
  while ((de = readdir(dh)) != NULL) {
    size_t nl = strlen(de->d_name);
    if (nl < 5 || strcmp(de->d_name + nl - 4, ".txt") != 0)
      continue;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    vnp_buf b = VNP_BUF_INIT;
    char tmp[65536];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
      vnp_buf_put(&b, tmp, k);
    fclose(f);
    size_t len = b.len < 200000 ? b.len : 200000;
    while (len && (b.ptr[len] & 0xC0) == 0x80)
      len--;
    rule_wordvec all = {0};
    uint64_t any = rules_words(RS, b.ptr, len, &all);
    for (int i = 0; i < 3000; i++) {
      rnd ^= rnd << 13, rnd ^= rnd >> 7, rnd ^= rnd << 17;
      size_t a0 = (size_t)(rnd % len);
      size_t n = (size_t)((rnd >> 32) % 400);
      size_t b0 = a0 + n < len ? a0 + n : len;
      while (a0 && (b.ptr[a0] & 0xC0) == 0x80)
        a0--;
      while (b0 < len && (b.ptr[b0] & 0xC0) == 0x80)
        b0++;
      words += check_sub(b.ptr, len, a0, b0, &all, any);
      ranges++;
    }
    vnp_vec_free(all);
    vnp_buf_free(&b);
  }
  closedir(dh);
  cr_assert_gt(ranges, 30000);
  cr_assert_gt(words, 10000);
  /* every range of a line with cut words, digits, capitals, punctuation */
  const char *t = "Ủy ban nhân dân tỉnh, Sở Tài chính và 12 UBND huyện phối "
                  "hợp chủ trì; báo cáo Ban Thường vụ Tỉnh ủy trong tháng "
                  "6/2025, các cơ quan, đơn vị (Sở Nội vụ) thực hiện xong.";
  size_t tl = strlen(t);
  rule_wordvec all = {0};
  uint64_t any = rules_words(RS, t, tl, &all);
  for (size_t a0 = 0; a0 <= tl; a0++)
    for (size_t b0 = a0; b0 <= tl; b0++) {
      if ((a0 < tl && (t[a0] & 0xC0) == 0x80) ||
          (b0 < tl && (t[b0] & 0xC0) == 0x80))
        continue;
      check_sub(t, tl, a0, b0, &all, any);
    }
  vnp_vec_free(all);
}

/* rules_list_find finds what a walk over the whole list finds, for every
 * item of every list (as written, upper-cased, lower-cased) and for the
 * words and word pairs of a corpus document. */
static int eq_lower(const char *a, size_t an, const char *b, size_t bn) {
  size_t i = 0, j = 0;
  while (i < an && j < bn) {
    utf8proc_int32_t ca, cb;
    utf8proc_ssize_t la = utf8proc_iterate((const utf8proc_uint8_t *)a + i,
                                           (utf8proc_ssize_t)(an - i), &ca);
    utf8proc_ssize_t lb = utf8proc_iterate((const utf8proc_uint8_t *)b + j,
                                           (utf8proc_ssize_t)(bn - j), &cb);
    if (la <= 0 || lb <= 0)
      return 0;
    if (utf8proc_tolower(ca) != utf8proc_tolower(cb))
      return 0;
    i += (size_t)la;
    j += (size_t)lb;
  }
  return i == an && j == bn;
}

static const char *find_walk(const rule_list *l, const char *s, size_t n) {
  for (size_t i = 0; i < l->n; i++)
    if (eq_lower(l->items[i], strlen(l->items[i]), s, n))
      return l->items[i];
  return NULL;
}

static void check_find(const rule_list *l, const char *s, size_t n) {
  cr_assert_eq(rules_list_find(l, s, n, eq_lower), find_walk(l, s, n),
               "list %s: %.*s", l->name, (int)n, s);
}

Test(rules, list_find_equals_walk) {
  size_t found = 0;
  for (size_t k = 0; k < RS->nlists; k++) {
    const rule_list *l = &RS->lists[k];
    cr_assert(l->lcap > 0, "list %s has no hash table", l->name);
    for (size_t i = 0; i < l->n; i++) {
      const char *it = l->items[i];
      check_find(l, it, strlen(it));
      found += rules_list_find(l, it, strlen(it), eq_lower) != NULL;
      /* upper-cased, code point by code point */
      char up[512];
      size_t un = 0, j = 0, il = strlen(it);
      while (j < il && un + 4 < sizeof up) {
        utf8proc_int32_t c;
        utf8proc_ssize_t q = utf8proc_iterate(
            (const utf8proc_uint8_t *)it + j, (utf8proc_ssize_t)(il - j), &c);
        cr_assert_gt(q, 0);
        un += (size_t)utf8proc_encode_char(utf8proc_toupper(c),
                                           (utf8proc_uint8_t *)up + un);
        j += (size_t)q;
      }
      check_find(l, up, un);
      cr_assert_not_null(rules_list_find(l, up, un, eq_lower), "%s", up);
      utf8proc_uint8_t *lo = utf8proc_NFKC_Casefold((const utf8proc_uint8_t *)it);
      check_find(l, (const char *)lo, strlen((const char *)lo));
      free(lo);
    }
  }
  cr_assert_gt(found, 100);
  const char *root = getenv("VNPLAN_ROOT");
  char path[4096];
  snprintf(path, sizeof path, "%s/corpus/seed-000.txt", root ? root : ".");
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f);
  vnp_buf b = VNP_BUF_INIT;
  char tmp[65536];
  size_t k;
  while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
    vnp_buf_put(&b, tmp, k);
  fclose(f);
  const rule_list *ls[] = {rules_list(RS, "predicate_starts"),
                           rules_list(RS, "body_openers"),
                           rules_list(RS, "body_heads")};
  size_t hits = 0, prev = 0, start = 0;
  for (size_t i = 0; i <= b.len; i++) {
    if (i < b.len && b.ptr[i] != ' ' && b.ptr[i] != '\n')
      continue;
    for (size_t j = 0; j < 3; j++) {
      cr_assert_not_null(ls[j]);
      check_find(ls[j], b.ptr + start, i - start);
      check_find(ls[j], b.ptr + prev, i - prev);
      hits += find_walk(ls[j], b.ptr + prev, i - prev) != NULL;
    }
    prev = start;
    start = i + 1;
  }
  cr_assert_gt(hits, 10);
  vnp_buf_free(&b);
}

/* Awkward text: matches right at the start and end, inside words, after
 * underscores and digits, capitals, the long s and the Kelvin sign, and
 * searches starting in the middle of a word. */
Test(rules, index_equals_search_on_edge_text) {
  static const char *texts[] = {
      "Sở Tài chính",
      "xSở Tài chính, _Sở Tư pháp và 5Sở Nội vụ",
      "SỞ TÀI CHÍNH CHỦ TRÌ, PHỐI HỢP VỚI UBND TỈNH",
      "ủy ban nhân dân tỉnh; UBND_tỉnh; UBND tỉnh2",
      "Ban Thường vụ Tỉnh ủy chủ trì; Ban Tuyên giáo Tỉnh ủy phối hợp với "
      "các sở, ngành",
      "\xC5\xBF\xE1\xBB\x9F T\xC3\xA0i ch\xC3\xADnh", /* long s */
      "\xE2\x84\xAA"
      "BND t\xE1\xBB\x89nh", /* Kelvin sign */
      "Các cơ quan Thông tấn báo chí; các đơn vị của Bộ Giáo dục và Đào tạo",
      "Tổ đảng ở Thường trực Ủy ban KH,CN&MT báo cáo Ban Thường vụ",
      "trong 6 tháng đầu năm 2024, trong  06 tháng cuối năm 2023; "
      "sáu tháng đầu năm 2025 và 06 tháng cuối năm 2026",
      "Trong 6tháng đầu năm 2024; trong\t6 tháng cuối năm 2024",
      "15/10/2023, ngày 3/2, từ 2025 và những năm tiếp theo; x15/10/2023",
      "Các Phó chủ tịch phụ trách lĩnh vực Dân tộc chủ trì; Tổ đảng ở "
      "Thường trực Hội đồng Dân tộc; Chi  bộ",
      "",
      "a",
      "đ",
  };
  pcre2_code **plain = plain_all(RS);
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
    check_all(RS, plain, texts[i], strlen(texts[i]));
  /* from every offset, also inside words and characters' first bytes */
  const char *t = texts[4];
  size_t len = strlen(t);
  pcre2_match_data *m1 = rules_match_data(RS);
  const rule *r = find_rule(RS, "body.generic");
  pcre2_code *pl = rules_plain_code(r);
  for (size_t st = 0; st <= len; st++) {
    if (st < len && (t[st] & 0xC0) == 0x80)
      continue;
    int a = rule_exec(RS, r, t, len, st, m1);
    pcre2_match_data *m2 = rules_match_data(RS);
    int b = pcre2_match(pl, (PCRE2_SPTR)t, len, st, 0, m2, NULL);
    cr_assert_eq(a > 0, b > 0, "offset %zu", st);
    if (a > 0) {
      size_t s1, e1, s2, e2;
      rule_span(m1, &s1, &e1);
      rule_span(m2, &s2, &e2);
      cr_assert_eq(s1, s2, "offset %zu", st);
      cr_assert_eq(e1, e2, "offset %zu", st);
    }
    pcre2_match_data_free(m2);
  }
  pcre2_code_free(pl);
  pcre2_match_data_free(m1);
  plain_free(RS, plain);
}

/* Writes one rule file into a fresh directory and loads it. */
static int load_one(const char *text, vnp_rules **out, vnp_error *err,
                    char *dir, size_t n) {
  char tmpl[] = "/tmp/vnp-rules-XXXXXX";
  cr_assert_not_null(mkdtemp(tmpl));
  snprintf(dir, n, "%s", tmpl);
  char path[256];
  snprintf(path, sizeof path, "%s/t.rules", dir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
  snprintf(path, sizeof path, "%s/heads.lst", dir);
  f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("Sở\nPhòng\n", f);
  fclose(f);
  return vnp_rules_load(dir, out, err);
}

static void unload(vnp_rules *rs, const char *dir) {
  vnp_rules_free(rs);
  char path[256];
  snprintf(path, sizeof path, "%s/t.rules", dir);
  remove(path);
  snprintf(path, sizeof path, "%s/heads.lst", dir);
  remove(path);
  rmdir(dir);
}

/* A `starts` that does not hold (the match can begin with another word)
 * is caught by the check, so `vnplan rules test` reports it. */
Test(rules, wrong_starts_is_caught) {
  vnp_rules *rs;
  vnp_error err;
  char dir[64];
  int rc = load_one("rule body.x\n  kind body\n"
                    "  pattern (?:Sở|Ban)\\s+\\p{Lu}\\p{L}*\n"
                    "  starts %{heads}\n"
                    "  example Ban Kinh tế\nend\n",
                    &rs, &err, dir, sizeof dir);
  cr_assert_eq(rc, 0, "%s", err.message);
  const rule *r = find_rule(rs, "body.x");
  cr_assert_neq(r->start_bit, 0);
  pcre2_code *pl = rules_plain_code(r);
  char why[256];
  const char *t = "Ban Kinh tế";
  cr_assert_not(rules_check_index(rs, r, pl, t, strlen(t), why, sizeof why));
  cr_assert(strstr(why, "body.x") != NULL, "%s", why);
  t = "Phòng Kinh tế";
  cr_assert(rules_check_index(rs, r, pl, t, strlen(t), why, sizeof why), "%s",
            why);
  char *report = NULL;
  int passed = 0;
  cr_assert_gt(vnp_rules_test(rs, &report, &passed), 0);
  cr_assert(strstr(report, "starts") != NULL, "%s", report);
  free(report);
  pcre2_code_free(pl);
  unload(rs, dir);
}

/* Lists as tries: a list with case variants ("Sở", "SỞ", "sở Y tế") at a
 * case-sensitive site, at a (?i:...) site and after (?i) in a group, and a
 * list of phrases of one length inside a lookbehind: every rule matches
 * what its flat alternation matches, on texts mixing the variants. */
Test(rules, list_tries_equal_flat_alternations) {
  char tmpl[] = "/tmp/vnp-rules-XXXXXX";
  cr_assert_not_null(mkdtemp(tmpl));
  char path[256];
  snprintf(path, sizeof path, "%s/t.rules", tmpl);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("rule body.cs\n  kind body\n  pattern (?<body>%{v})\\b\nend\n"
        "rule body.ci\n  kind body\n"
        "  pattern (?<body>(?i:%{v})\\s%{v})\nend\n"
        "rule body.inl\n  kind body\n"
        "  pattern (?:x|(?i)(?<body>%{v}))(?:\\s+(?<head>%{v}))?\nend\n"
        "rule body.all\n  kind body\n  flags i\n"
        "  pattern (?<body>%{v}+)(?-i:\\s(?<head>%{v}))?\nend\n"
        "rule body.lb\n  kind body\n"
        "  pattern (?<=%{w})\\s(?<body>\\S+)\nend\n",
        f);
  fclose(f);
  snprintf(path, sizeof path, "%s/v.lst", tmpl);
  f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("Sở\nSỞ\nsở\nsở Y tế\nSở Y\nSở Tài chính\nPhòng\nph\n", f);
  fclose(f);
  snprintf(path, sizeof path, "%s/w.lst", tmpl);
  f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("ab\nac\n", f);
  fclose(f);
  vnp_rules *rs;
  vnp_error err;
  cr_assert_eq(vnp_rules_load(tmpl, &rs, &err), 0, "%s", err.message);
  const char *ids[] = {"body.cs", "body.ci", "body.inl", "body.all",
                       "body.lb"};
  for (size_t i = 0; i < 5; i++) {
    const rule *r = find_rule(rs, ids[i]);
    cr_assert_not_null(r->pattern_flat, "%s has no trie", ids[i]);
    cr_assert_str_neq(r->pattern, r->pattern_flat, "%s", ids[i]);
  }
  /* a caseless site: one branch per folding */
  const char *all = find_rule(rs, "body.all")->pattern;
  const char *cs_site = strstr(all, "(?-i:");
  cr_assert_not_null(cs_site);
  const char *up = strstr(all, "Ở");
  cr_assert(up && up > cs_site, "%s", all); /* only at the (?-i:) site */
  cr_assert(strstr(find_rule(rs, "body.cs")->pattern, "Ở") != NULL);
  const char *texts[] = {
      "Sở Y tế và SỞ Y TẾ, sở y tế; Sở Tài chính SỞ TÀI CHÍNH",
      "sở Sở SỞ sởsở Sở Y Sở Y tế Phòng PHÒNG phòng ph Ph PH",
      "Sở Y tế sở Y tế SỞ Y tế Sở y Sở Tài chínhx ab x ac y Sở",
      "x Sở Y sở Y tế SỞ Sở SởSỞsở Y TẾ",
  };
  pcre2_code **plain = plain_all(rs);
  size_t checks = 0;
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
    checks += check_all(rs, plain, texts[i], strlen(texts[i]));
  cr_assert_eq(checks, 5 * (sizeof texts / sizeof *texts));
  plain_free(rs, plain);
  /* the check does see a difference */
  pcre2_match_data *md = rules_match_data(rs);
  const rule *cs = find_rule(rs, "body.cs");
  const char *t = "SỞ Y TẾ";
  cr_assert_gt(rule_exec(rs, cs, t, strlen(t), 0, md), 0);
  size_t ms, me;
  rule_span(md, &ms, &me);
  cr_assert_eq(me - ms, strlen("SỞ"));
  cr_assert_eq(rule_exec(rs, cs, "sỞ", strlen("sỞ"), 0, md), 0);
  pcre2_match_data_free(md);
  vnp_rules_free(rs);
  snprintf(path, sizeof path, "%s/t.rules", tmpl);
  remove(path);
  snprintf(path, sizeof path, "%s/v.lst", tmpl);
  remove(path);
  snprintf(path, sizeof path, "%s/w.lst", tmpl);
  remove(path);
  rmdir(tmpl);
}

/* Gates: the citation rules that need a number code share one; it holds
 * on every example of every rule (the corpus lines are checked above), it
 * rules out text without a code, and a gate that does not hold is caught
 * by the check. */
Test(rules, gates_hold_and_rule_out) {
  const rule *typed = find_rule(RS, "citation.typed");
  const rule *bare = find_rule(RS, "citation.bare");
  cr_assert_not_null(typed->gate_re);
  cr_assert_eq(typed->gate_re, bare->gate_re, "one gate, compiled once");
  cr_assert_eq(typed->gate_id, bare->gate_id);
  size_t checked = 0;
  for (size_t j = 0; j < RS->nrules; j++)
    for (size_t k = 0; k < RS->rules[j].nexamples; k++) {
      const char *t = RS->rules[j].examples[k].text;
      for (size_t i = 0; i < RS->nrules; i++)
        checked += (size_t)check_gate(RS, &RS->rules[i], t, strlen(t));
    }
  cr_assert_gt(checked, 1000);
  pcre2_match_data *md = rules_match_data(RS);
  const char *no[] = {"- Phối hợp với các sở, ngành từ 2021-2025",
                      "ngày 12/3/2024, theo Kế hoạch số 15/2024",
                      "KH-UBND không có số"};
  const char *yes[] = {"Kế hoạch số 15/KH-UBND", "Nghị quyết 20-NQ/TW",
                       "Quyết định 1804 / QĐ-TTg"};
  for (size_t i = 0; i < 3; i++) {
    cr_assert_not(rule_gate(RS, typed, no[i], strlen(no[i]), md), "%s", no[i]);
    cr_assert_eq(rule_exec(RS, typed, no[i], strlen(no[i]), 0, md), 0);
    cr_assert(rule_gate(RS, typed, yes[i], strlen(yes[i]), md), "%s", yes[i]);
    cr_assert_gt(rule_exec(RS, typed, yes[i], strlen(yes[i]), 0, md), 0,
                 "%s", yes[i]);
  }
  pcre2_match_data_free(md);
  /* a gate that a match can lack */
  vnp_rules *rs;
  vnp_error err;
  char dir[64];
  cr_assert_eq(load_one("rule body.x\n  kind body\n  pattern Sở\\s\\d+\n"
                        "  gate \\d{2}\nend\n",
                        &rs, &err, dir, sizeof dir),
               0, "%s", err.message);
  const rule *r = find_rule(rs, "body.x");
  const char *t = "Sở 5";
  md = rules_match_data(rs);
  cr_assert_gt(rule_exec(rs, r, t, strlen(t), 0, md), 0);
  cr_assert_not(rule_gate(rs, r, t, strlen(t), md));
  pcre2_match_data_free(md);
  unload(rs, dir);
  cr_assert_neq(load_one("rule body.x\n  kind body\n  pattern Sở\n"
                         "  gate (\nend\n",
                         &rs, &err, dir, sizeof dir),
                0);
  cr_assert(strstr(err.message, "gate") != NULL, "%s", err.message);
  unload(NULL, dir);
}

/* Load errors: an unknown list, a phrase that does not begin with a
 * letter, kind normalize. A Greek first word gets no index (searched as
 * usual) but still loads. */
Test(rules, starts_errors_and_fallback) {
  vnp_rules *rs;
  vnp_error err;
  char dir[64];
  cr_assert_neq(load_one("rule body.x\n  kind body\n  pattern Sở\n"
                         "  starts %{nosuchlist}\nend\n",
                         &rs, &err, dir, sizeof dir),
                0);
  cr_assert(strstr(err.message, "nosuchlist") != NULL, "%s", err.message);
  unload(NULL, dir);
  cr_assert_neq(load_one("rule body.x\n  kind body\n  pattern Sở\n"
                         "  starts (Sở\nend\n",
                         &rs, &err, dir, sizeof dir),
                0);
  cr_assert(strstr(err.message, "letter") != NULL, "%s", err.message);
  unload(NULL, dir);
  cr_assert_neq(load_one("rule norm.x\n  kind normalize\n  pattern Sở\n"
                         "  replace S\n  starts Sở\nend\n",
                         &rs, &err, dir, sizeof dir),
                0);
  cr_assert(strstr(err.message, "normalize") != NULL, "%s", err.message);
  unload(NULL, dir);
  cr_assert_eq(load_one("rule body.x\n  kind body\n  pattern (?i)σ\\w+\n"
                        "  starts σ\nend\n",
                        &rs, &err, dir, sizeof dir),
               0, "%s", err.message);
  const rule *r = find_rule(rs, "body.x");
  cr_assert_eq(r->start_bit, 0, "a Greek first word must not be indexed");
  pcre2_match_data *md = rules_match_data(rs);
  const char *t = "x \xCF\x82\xCE\xB1"; /* final sigma matches caselessly */
  cr_assert_gt(rule_exec(rs, r, t, strlen(t), 0, md), 0);
  pcre2_match_data_free(md);
  unload(rs, dir);
}

/* The prefilter: a rule whose pattern matches anything runs exactly when
 * its literal occurs (ASCII letters caseless, other bytes exact), on
 * random text over a small alphabet with both cases and UTF-8 bytes. */
static int ref_has(const char *s, size_t len, const char *lit) {
  size_t n = strlen(lit);
  for (size_t i = 0; i + n <= len; i++) {
    size_t k = 0;
    for (; k < n; k++) {
      unsigned char x = (unsigned char)s[i + k], y = (unsigned char)lit[k];
      if (x == y)
        continue;
      if (x < 0x80 && y < 0x80 && ((x | 32) >= 'a' && (x | 32) <= 'z') &&
          (x | 32) == (y | 32))
        continue;
      break;
    }
    if (k == n)
      return 1;
  }
  return n == 0;
}

Test(rules, prefilter_literal_search) {
  vnp_rules *rs;
  vnp_error err;
  char dir[64];
  int rc = load_one("rule body.a\n  kind body\n  pattern (?:)\n"
                    "  prefilter nG\nend\n"
                    "rule body.b\n  kind body\n  pattern (?:)\n"
                    "  prefilter \xC4\x91i\nend\n"
                    "rule body.c\n  kind body\n  pattern (?:)\n"
                    "  prefilter ,\nend\n",
                    &rs, &err, dir, sizeof dir);
  cr_assert_eq(rc, 0, "%s", err.message);
  static const char *alpha[] = {"n", "N", "g",        "G",        "i",
                                ",", " ", "\xC4\x91", "\xC4\x90", "x"};
  pcre2_match_data *md = rules_match_data(rs);
  unsigned seed = 12345;
  size_t hits = 0;
  for (int t = 0; t < 20000; t++) {
    char s[64];
    size_t len = 0;
    seed = seed * 1103515245u + 12345u;
    int n = (int)((seed >> 16) % 12);
    for (int k = 0; k < n; k++) {
      seed = seed * 1103515245u + 12345u;
      const char *a = alpha[(seed >> 16) % 10];
      memcpy(s + len, a, strlen(a));
      len += strlen(a);
    }
    s[len] = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
      const rule *r = &rs->rules[i];
      seed = seed * 1103515245u + 12345u;
      size_t start = len ? (seed >> 16) % (len + 1) : 0;
      int want = ref_has(s + start, len - start, r->prefilter);
      int got = rule_exec(rs, r, s, len, start, md) > 0;
      cr_assert_eq(got, want, "rule %s from %zu in '%s'", r->id, start, s);
      hits += got;
    }
  }
  cr_assert_gt(hits, 1000);
  pcre2_match_data_free(md);
  unload(rs, dir);
}
