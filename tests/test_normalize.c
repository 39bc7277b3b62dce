/*
 * test_normalize.c - the normalization stage: per-line steps, stamp noise,
 * page numbers, running headers, reflow, offset maps, chunk invariance.
 *
 * Inputs are real phrases from the seeds and corpus documents (checked by
 * eye against the corpus documents) plus a synthetic Tesseract-like text with
 * form feeds. Rules come from the repository's rules/ directory.
 */
#include "doc.h"
#include "normalize.h"
#include "reader.h"
#include "rules.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vnp_rules *RS;

static void load_rules(void) {
  RS = tu_rules_load();
}

static void free_rules(void) { vnp_rules_free(RS); }

TestSuite(normalize, .init = load_rules, .fini = free_rules);

typedef struct run {
  vnp_doc *d;
  normalizer *n;
} run;

static void on_line(void *ctx, const char *text, uint32_t len, const omap *map,
                    uint64_t s, uint64_t e, uint32_t lineno, unsigned flags) {
  run *r = ctx;
  normalize_line(r->n, text, len, map, s, e, lineno, flags);
}

/* Reads, normalizes and reflows `in` fed in chunks of `chunk` bytes. */
static vnp_doc *norm_chunks(const char *in, size_t len, size_t chunk,
                            unsigned flags, int record) {
  vnp_options o;
  memset(&o, 0, sizeof o);
  o.flags = flags;
  run r;
  r.d = doc_new(RS, &o);
  r.d->record_changes = record;
  r.n = normalize_new(r.d);
  reader *rd = reader_new(r.d, on_line, &r);
  for (size_t i = 0; i < len; i += chunk)
    reader_feed(rd, in + i, len - i < chunk ? len - i : chunk);
  reader_finish(rd);
  normalize_finish(r.n);
  reader_free(rd);
  normalize_free(r.n);
  return r.d;
}

static vnp_doc *norm(const char *in) {
  return norm_chunks(in, strlen(in), 1 << 20, 0, 1);
}

/* The normalized text of line `i` (0-based). */
static const char *line(vnp_doc *d, size_t i) {
  cr_assert_lt(i, d->lines.n, "line %zu of %zu", i, d->lines.n);
  return d->lines.v[i].text;
}

static uint64_t step(vnp_doc *d, const char *name) {
  for (int i = 0; i < d->nsteps; i++)
    if (strcmp(d->step_names[i], name) == 0)
      return d->step_counts[i];
  return 0;
}

/* Index of the first block containing `needle`, or -1. */
static long find_block(vnp_doc *d, const char *needle) {
  for (size_t i = 0; i < d->blocks.n; i++)
    if (strstr(d->blocks.v[i].text, needle))
      return (long)i;
  return -1;
}

static char *slurp(const char *name, size_t *len) {
  return tu_corpus(name, len);
}

/* ---- whitespace ---- */

Test(normalize, whitespace_nbsp_zwsp_tabs_trim) {
  /* NBSP inside, ZWSP glued into a word, a tab, a double space, soft
   * hyphen, trailing and leading spaces */
  const char in[] = "  Ban\xC2\xA0Thường\tvụ  Tỉnh\xE2\x80\x8B ủy "
                    "qu\xC2\xAD"
                    "án triệt \n";
  vnp_doc *d = norm(in);
  cr_assert_str_eq(line(d, 0), "Ban Thường vụ Tỉnh ủy quán triệt");
  cr_assert_gt(step(d, "whitespace"), 0);
  /* "Thường" starts at original byte 2+3+2 = 7 ("  Ban" + NBSP) */
  const vnp_line *l = &d->lines.v[0];
  const char *t = strstr(l->text, "Thường");
  uint32_t off = (uint32_t)(t - l->text);
  cr_assert_eq(omap_start(&l->map, off), 7);
  cr_assert_eq(memcmp(in + omap_start(&l->map, off), "Thường", 8), 0);
  /* "quán" maps back to "qu<SHY>án" */
  t = strstr(l->text, "quán");
  off = (uint32_t)(t - l->text);
  uint64_t s = omap_start(&l->map, off), e = omap_end(&l->map, off + 5);
  cr_assert_eq(e - s, 7, "q u SHY(2) á(2) n");
  doc_free(d);
}

Test(normalize, blank_and_space_only_lines) {
  vnp_doc *d = norm(" \t \xC2\xA0\n\nx\n");
  cr_assert_str_eq(line(d, 0), "");
  cr_assert(d->lines.v[0].flags & LINE_BLANK);
  cr_assert(d->lines.v[1].flags & LINE_BLANK);
  cr_assert_str_eq(line(d, 2), "x");
  cr_assert_eq(d->blocks.n, 1);
  cr_assert_eq(d->blocks.v[0].lineno, 3);
  doc_free(d);
}

Test(normalize, ascii_line_unchanged) {
  vnp_doc *d = norm("Ke hoach so 12/KH-UBND\n");
  cr_assert_str_eq(line(d, 0), "Ke hoach so 12/KH-UBND");
  cr_assert_eq(d->nsteps, 0);
  cr_assert_eq(d->changes.n, 0);
  doc_free(d);
}

/* ---- NFC ---- */

Test(normalize, nfd_becomes_nfc_with_map) {
  /* "Kế hoạch" in NFD: e + U+0302 + U+0301, a + U+0323 */
  const char in[] = "K"
                    "e\xCC\x82\xCC\x81"
                    " hoa\xCC\xA3"
                    "ch\n";
  vnp_doc *d = norm(in);
  cr_assert_str_eq(line(d, 0), "Kế hoạch");
  cr_assert_eq(step(d, "nfc"), 2);
  const vnp_line *l = &d->lines.v[0];
  /* "ế" (3 bytes at 1) maps to the 5 original bytes at 1 */
  cr_assert_eq(omap_start(&l->map, 1), 1);
  cr_assert_eq(omap_end(&l->map, 4), 6);
  /* "ch" after "hoạ" keeps exact offsets */
  const char *ch = strstr(l->text, "ch");
  cr_assert_eq(omap_start(&l->map, (uint32_t)(ch - l->text)),
               (uint64_t)(strstr(in, "ch") - in));
  doc_free(d);
}

Test(normalize, nfd_corpus_line_13) {
  /* corpus 13 line 35 has NFD letters ("đại" and "biểu" decomposed) */
  size_t len;
  char *buf = slurp("13_kh16-mttq-xa-luongminh-2025_cong-tac-bau-cu.txt", &len);
  vnp_doc *d = norm_chunks(buf, len, 1 << 20, 0, 0);
  cr_assert_eq(step(d, "nfc"), 17);
  for (size_t i = 0; i < d->lines.n; i++)
    for (const unsigned char *p = (const unsigned char *)d->lines.v[i].text; *p;
         p++)
      cr_assert(!(p[0] == 0xCC && p[1] >= 0x80 && p[1] <= 0xA3),
                "combining mark left on line %zu", i + 1);
  doc_free(d);
  free(buf);
}

/* ---- variant characters ---- */

Test(normalize, variant_chars) {
  /* underthesea's example with look-alike Ð; ð; spacing acute after a */
  vnp_doc *d = norm("\xC3\x90"
                    "ảm bảo ch\xE1\xBA\xA5t l\xC6\xB0\xE1\xBB\xA3ng\n"
                    "\xC4\x91\xC3\xB0 v\xC3\xA0 Ca\xC2\xB4"
                    "c\n"
                    "\xC2\xB4 alone\n");
  cr_assert_str_eq(line(d, 0), "Đảm bảo chất lượng");
  cr_assert_str_eq(line(d, 1), "đđ và Các");
  cr_assert_str_eq(line(d, 2), "\xC2\xB4 alone", "no vowel before: kept");
  cr_assert_eq(step(d, "variant-chars"), 3);
  doc_free(d);
}

/* ---- dashes ---- */

Test(normalize, dashes_fold_quotes_stay) {
  vnp_doc *d = norm("nhiệm kỳ 2026 \xE2\x80\x93 2031 \xE2\x80\x9C"
                    "dân giàu\xE2\x80\x9D \xE2\x88\x92 5\n");
  cr_assert_str_eq(line(d, 0), "nhiệm kỳ 2026 - 2031 \xE2\x80\x9C"
                               "dân giàu\xE2\x80\x9D - 5");
  cr_assert_eq(step(d, "dashes"), 2);
  doc_free(d);
}

/* ---- markdown ---- */

Test(normalize, markdown_headings_and_bold) {
  vnp_doc *d = norm("## KẾ HOẠCH\n"
                    "#### **1. Ủy ban MTTQ Việt Nam xã**\n"
                    "**1.** Tạo chuyển biến mạnh mẽ\n"
                    "- Bố trí ngân sách (*Thời gian thực hiện: từ năm "
                    "2023*).\n"
                    "* Thời gian thực hiện: Từ khi thành lập\n"
                    "*\n"
                    "### **III - NHIỆM VỤ TRỌNG TÂM**\n"
                    "5*3 = 15 và a_b__c\n");
  cr_assert_str_eq(line(d, 0), "KẾ HOẠCH");
  cr_assert_eq(d->lines.v[0].md_level, 2);
  cr_assert(d->lines.v[0].flags & LINE_MDHEAD);
  cr_assert(!(d->lines.v[0].flags & LINE_BOLD));
  cr_assert_str_eq(line(d, 1), "1. Ủy ban MTTQ Việt Nam xã");
  cr_assert_eq(d->lines.v[1].md_level, 4);
  cr_assert(d->lines.v[1].flags & LINE_BOLD);
  cr_assert_str_eq(line(d, 2), "1. Tạo chuyển biến mạnh mẽ");
  cr_assert(!(d->lines.v[2].flags & LINE_BOLD), "only the number was bold");
  cr_assert_str_eq(line(d, 3), "- Bố trí ngân sách (Thời gian thực hiện: từ "
                               "năm 2023).");
  cr_assert_str_eq(line(d, 4), "* Thời gian thực hiện: Từ khi thành lập",
                   "a literal bullet stays");
  cr_assert_str_eq(line(d, 5), "");
  cr_assert(d->lines.v[5].flags & LINE_BLANK);
  cr_assert_str_eq(line(d, 6), "III - NHIỆM VỤ TRỌNG TÂM");
  cr_assert(d->lines.v[6].flags & LINE_BOLD);
  cr_assert_str_eq(line(d, 7), "5*3 = 15 và a_b__c");
  /* "1." of line 3 maps past the "**" markers */
  const vnp_line *l = &d->lines.v[2];
  cr_assert_eq(omap_start(&l->map, 0), l->orig_start + 2);
  doc_free(d);
}

Test(normalize, markdown_bold_title_across_lines) {
  /* seed 001 lines 5-7: a bold title hard-wrapped with "  " breaks */
  vnp_doc *d =
      norm("**KẾ HOẠCH**\n"
           "\n"
           "**thực hiện Nghị quyết số 20-NQ/TW ngày 16/6/2022 của Ban "
           "Chấp hành  \n"
           "Trung ương Đảng khóa XIII về tiếp tục đổi mới, phát triển và "
           "nâng cao  \n"
           "hiệu quả kinh tế tập thể trong giai đoạn mới**\n"
           "\n"
           "Thực hiện Nghị quyết số 20-NQ/TW ngày 16/6/2022.\n");
  cr_assert(d->lines.v[2].flags & LINE_HARDBREAK);
  cr_assert(d->lines.v[3].flags & LINE_BOLD);
  cr_assert(d->lines.v[4].flags & LINE_BOLD);
  cr_assert(!(d->lines.v[6].flags & LINE_BOLD));
  cr_assert_eq(d->blocks.n, 3);
  cr_assert_str_eq(d->blocks.v[1].text,
                   "thực hiện Nghị quyết số 20-NQ/TW ngày 16/6/2022 của Ban "
                   "Chấp hành Trung ương Đảng khóa XIII về tiếp tục đổi mới, "
                   "phát triển và nâng cao hiệu quả kinh tế tập thể trong "
                   "giai đoạn mới");
  cr_assert_eq(step(d, "reflow"), 2);
  doc_free(d);
}

/* ---- document codes ---- */

Test(normalize, doc_codes) {
  vnp_doc *d = norm("Triển khai thực hiện Nghị quyết số 20- NQ/TW về tiếp "
                    "tục\n"
                    "Nghị quyết số 20 - NQ/TW\n"
                    "Quyết định số 3210/QĐ - UBND ngày 28/6/2014\n"
                    "Số: 145/KH - LMHTXVN\n"
                    "giai đoạn 2021 - 2025; chính trị - xã hội; 5.000 "
                    "thành viên\n");
  cr_assert_str_eq(line(d, 0),
                   "Triển khai thực hiện Nghị quyết số 20-NQ/TW về tiếp tục");
  cr_assert_str_eq(line(d, 1), "Nghị quyết số 20-NQ/TW");
  cr_assert_str_eq(line(d, 2), "Quyết định số 3210/QĐ-UBND ngày 28/6/2014");
  cr_assert_str_eq(line(d, 3), "Số: 145/KH-LMHTXVN");
  cr_assert_str_eq(line(d, 4), "giai đoạn 2021 - 2025; chính trị - xã hội; "
                               "5.000 thành viên");
  cr_assert_eq(step(d, "doc-codes"), 4);
  /* the change list names the step and the original bytes */
  int found = 0;
  for (size_t i = 0; i < d->changes.n; i++) {
    const vnp_change *c = &d->changes.v[i];
    if (strcmp(c->step, "doc-codes") == 0 && c->line == 3) {
      cr_assert_str_eq(c->before, "QĐ - ");
      cr_assert_str_eq(c->after, "QĐ-");
      found = 1;
    }
  }
  cr_assert(found);
  doc_free(d);
}

Test(normalize, rule_examples_pass) {
  char *report = NULL;
  int passed = 0;
  int fails = vnp_rules_test(RS, &report, &passed);
  cr_assert_eq(fails, 0, "%s", report);
  cr_assert_gt(passed, 20);
  free(report);
}

/* ---- table rows ---- */

Test(normalize, table_rows) {
  vnp_doc *d = norm("TT | Tên nhiệm vụ | Cơ quan chủ trì\n"
                    "1 | Xây dựng kế hoạch | Bộ KH&ĐT\n"
                    "a|b\n");
  cr_assert(d->lines.v[0].flags & LINE_TABLE);
  cr_assert(d->lines.v[1].flags & LINE_TABLE);
  cr_assert(!(d->lines.v[2].flags & LINE_TABLE));
  cr_assert_eq(d->blocks.n, 3, "table rows are never joined");
  doc_free(d);
}

/* ---- stamp noise (seed 001 line 9) ---- */

Test(normalize, stamp_noise_seed_001) {
  size_t len;
  char *buf = slurp("seed-001.txt", &len);
  vnp_doc *d = norm_chunks(buf, len, 1 << 20, 0, 0);
  const vnp_line *l = &d->lines.v[8];
  cr_assert_eq(l->lineno, 9);
  cr_assert(l->flags & LINE_NOISE);
  cr_assert_eq(find_block(d, "684"), -1, "the stamp is not in the text");
  int diag = 0;
  for (size_t i = 0; i < d->diags.n; i++) {
    const vnp_diag *g = &d->diags.v[i];
    if (strcmp(g->code, "stamp-noise") == 0) {
      cr_assert_str_eq(g->level, "warning");
      cr_assert_eq(g->span.line, 9);
      cr_assert_eq(g->span.start, (uint64_t)(strstr(buf, "**NỘI VỤ") - buf));
      cr_assert(strstr(g->message, "Ngày: 18/01/2023"));
      diag++;
    }
  }
  cr_assert_eq(diag, 1);
  cr_assert_eq(step(d, "stamp-noise"), 1);
  doc_free(d);
  free(buf);
}

Test(normalize, header_number_is_not_noise) {
  size_t len;
  char *buf = slurp("seed-003.txt", &len);
  vnp_doc *d = norm_chunks(buf, len, 1 << 20, 0, 0);
  cr_assert_eq(step(d, "stamp-noise"), 0);
  cr_assert_geq(find_block(d, "Số: 145/KH-LMHTXVN"), 0);
  doc_free(d);
  free(buf);
  d = norm("CÔNG VĂN ĐẾN Số: 1234 Ngày: 05/3/2024 Chuyển: VP\n"
           "Số: 16/KH-MTTQ-BTT\n"
           "Ngày: 18/01/2023\n");
  cr_assert(d->lines.v[0].flags & LINE_NOISE);
  cr_assert(!(d->lines.v[1].flags & LINE_NOISE));
  cr_assert(!(d->lines.v[2].flags & LINE_NOISE), "one stamp word alone");
  doc_free(d);
}

/* ---- reflow across blank lines (seeds) ---- */

Test(normalize, reflow_seed_joins) {
  size_t len;
  char *buf = slurp("seed-001.txt", &len);
  vnp_doc *d = norm_chunks(buf, len, 1 << 20, 0, 0);
  /* lines 25 / 27: "... Kế hoạch thực hiện của" + "Ban Thường vụ ..." */
  long b = find_block(d, "Kế hoạch thực hiện của Ban Thường vụ Tỉnh ủy và "
                         "xây dựng kế hoạch thực hiện trong phạm vi");
  cr_assert_geq(b, 0);
  cr_assert_eq(d->blocks.v[b].lineno, 25);
  cr_assert_eq(d->blocks.v[b].nlines, 3);
  /* lines 51 / 53: "... có liên quan" + "về đổi mới, ..." (lowercase) */
  cr_assert_geq(find_block(d, "có liên quan về đổi mới, phát triển"), 0);
  /* "Thời gian hoàn thành" (line 29) stays its own paragraph */
  b = find_block(d, "Thời gian hoàn thành: Trong quý I/2023.");
  cr_assert_geq(b, 0);
  cr_assert_eq(d->blocks.v[b].nlines, 1);
  doc_free(d);
  free(buf);

  buf = slurp("seed-002.txt", &len);
  d = norm_chunks(buf, len, 1 << 20, 0, 0);
  b = find_block(d, "Việc lãnh đạo, chỉ đạo của nhiều cấp ủy");
  cr_assert_geq(b, 0);
  cr_assert_eq(d->blocks.v[b].lineno, 20);
  /* "I- ĐẶC ĐIỂM TÌNH HÌNH" and "4." items are not joined to anything */
  b = find_block(d, "I- ĐẶC ĐIỂM TÌNH HÌNH");
  cr_assert_str_eq(d->blocks.v[b].text, "I- ĐẶC ĐIỂM TÌNH HÌNH");
  doc_free(d);
  free(buf);

  buf = slurp("seed-000.txt", &len);
  d = norm_chunks(buf, len, 1 << 20, 0, 0);
  b = find_block(d, "làm giám đốc. Phối hợp");
  cr_assert_geq(b, 0);
  cr_assert_eq(d->blocks.v[b].lineno, 25);
  doc_free(d);
  free(buf);
}

Test(normalize, reflow_joined_block_maps_to_original) {
  const char in[] = "2. Các đồng chí chịu trách nhiệm, Kế hoạch thực hiện "
                    "của\n"
                    "\n"
                    "Ban Thường vụ Tỉnh ủy và xây dựng kế hoạch.\n";
  vnp_doc *d = norm(in);
  cr_assert_eq(d->blocks.n, 1);
  const vnp_block *b = &d->blocks.v[0];
  const char *ban = strstr(b->text, "Ban Thường");
  uint32_t off = (uint32_t)(ban - b->text);
  uint64_t orig = (uint64_t)(strstr(in, "Ban Thường") - in);
  cr_assert_eq(omap_start(&b->map, off), orig);
  cr_assert_eq(omap_end(&b->map, off + 3), orig + 3);
  /* the joining space maps to "\n\n" between the lines */
  uint64_t nl = (uint64_t)(strchr(in, '\n') - in);
  cr_assert_eq(b->text[off - 1], ' ');
  cr_assert_eq(omap_start(&b->map, off - 1), nl);
  cr_assert_eq(omap_end(&b->map, off), orig);
  /* the whole block spans the whole input minus the final newline */
  cr_assert_eq(omap_start(&b->map, 0), 0);
  cr_assert_eq(omap_end(&b->map, b->len), sizeof in - 2);
  vnp_span sp = doc_block_span(d, b, off, b->len);
  cr_assert_eq(sp.line, 3);
  cr_assert_eq(step(d, "reflow"), 1);
  /* the join is in the change list: last word, line break, first word */
  const vnp_change *c = &d->changes.v[d->changes.n - 1];
  cr_assert_str_eq(c->step, "reflow");
  cr_assert_str_eq(c->before, "của\nBan");
  cr_assert_str_eq(c->after, "của Ban");
  cr_assert_eq(c->start, nl);
  cr_assert_eq(c->end, orig);
  doc_free(d);
}

Test(normalize, reflow_keeps_header_lines_apart) {
  /* corpus 01 lines 1-10 and a hard-wrapped paragraph after them */
  vnp_doc *d = norm("BAN CHẤP HÀNH TRUNG ƯƠNG\n"
                    "Số 57-NQ/TW\n"
                    "Hà Nội, ngày 22 tháng 12 năm 2024\n"
                    "NGHỊ QUYẾT\n"
                    "CỦA BỘ CHÍNH TRỊ\n"
                    "về đột phá phát triển khoa học, công nghệ\n"
                    "- Tiềm lực, trình độ khoa học\n"
                    "a) Xây dựng, triển khai\n"
                    "đ) Xây dựng nền tảng số\n");
  cr_assert_eq(d->blocks.n, 9, "%zu blocks", d->blocks.n);
  cr_assert_str_eq(d->blocks.v[1].text, "Số 57-NQ/TW");
  cr_assert(d->blocks.v[1].flags & BLOCK_ADJACENT);
  cr_assert(!(d->blocks.v[0].flags & BLOCK_ADJACENT));
  cr_assert_str_eq(d->blocks.v[5].text,
                   "về đột phá phát triển khoa học, công nghệ");
  doc_free(d);
}

Test(normalize, reflow_hard_wrapped_text) {
  /* pdftotext-like hard wrap at ~60 characters */
  vnp_doc *d =
      norm("1. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các cơ quan\n"
           "liên quan hướng dẫn các cấp ủy tổ chức nghiên cứu, học tập,\n"
           "quán triệt Nghị quyết số 20-NQ/TW và Kế hoạch thực hiện của\n"
           "Ban Thường vụ Tỉnh ủy; chỉ đạo các cơ quan báo chí, thông tin,\n"
           "truyền thông trên địa bàn tăng cường tuyên truyền nội dung.\n"
           "Thời gian thực hiện: Thường xuyên.\n"
           "2. Các đồng chí Ủy viên Ban Chấp hành Đảng bộ tỉnh, người đứng\n"
           "đầu các cấp ủy, tổ chức đảng, các cơ quan, đơn vị chịu trách\n"
           "nhiệm chỉ đạo, tổ chức nghiên cứu, quán triệt Nghị quyết số\n"
           "20-NQ/TW trong phạm vi phụ trách.\n");
  cr_assert_eq(d->blocks.n, 3, "%zu blocks", d->blocks.n);
  cr_assert_eq(d->blocks.v[0].nlines, 5);
  cr_assert(strstr(d->blocks.v[0].text, "của Ban Thường vụ Tỉnh ủy; chỉ"));
  cr_assert_str_eq(d->blocks.v[1].text, "Thời gian thực hiện: Thường xuyên.");
  cr_assert_eq(d->blocks.v[2].nlines, 4);
  doc_free(d);
}

Test(normalize, no_reflow_option) {
  vnp_doc *d = norm_chunks("Việc lãnh\n\nđạo, chỉ đạo\nxong.\n",
                           strlen("Việc lãnh\n\nđạo, chỉ đạo\nxong.\n"), 4096,
                           VNP_OPT_NO_REFLOW, 0);
  cr_assert_eq(d->blocks.n, 3);
  cr_assert_str_eq(d->blocks.v[1].text, "đạo, chỉ đạo");
  cr_assert(d->blocks.v[2].flags & BLOCK_ADJACENT);
  doc_free(d);
}

/* ---- pages: Tesseract-like text with form feeds ---- */

static const char OCR[] =
    "ỦY BAN NHÂN DÂN TỈNH\n"
    "Số: 12/KH-UBND\n"
    "\n"
    "KẾ HOẠCH\n"
    "Thực hiện Chương trình chuyển đổi số năm 2024\n"
    "\n"
    "1. Mục đích: Nâng cao hiệu quả quản lý nhà nước trên địa bàn và\n"
    "\f"
    "Kế hoạch số 12/KH-UBND\n"
    "- 2 -\n"
    "phát triển kinh tế số của tỉnh trong giai đoạn 2024 - 2025.\n"
    "2. Yêu cầu: Các sở, ngành triển khai thực hiện có hiệu quả các\n"
    "\f"
    "Kế hoạch số 12/KH-UBND\n"
    "3\n"
    "nhiệm vụ được giao.\n"
    "3. Kinh phí: Ngân sách tỉnh bố trí hàng năm cho các sở, ngành về\n"
    "\f"
    "Kế hoạch số 12/KH-UBND\n"
    "Trang 4\n"
    "chuyển đổi số.\n"
    "Nơi nhận:\n"
    "- Như trên;\n";

Test(normalize, ocr_pages_numbers_headers_joins) {
  vnp_doc *d = norm(OCR);
  cr_assert_eq(step(d, "page-numbers"), 3);
  cr_assert_eq(step(d, "running-headers"), 3);
  cr_assert_eq(find_block(d, "Kế hoạch số 12/KH-UBND"), -1);
  cr_assert_eq(find_block(d, "- 2 -"), -1);
  long b = find_block(d, "trên địa bàn và phát triển kinh tế số của tỉnh "
                         "trong giai đoạn 2024 - 2025.");
  cr_assert_geq(b, 0, "joined across the first page break");
  cr_assert_eq(d->blocks.v[b].lineno, 7);
  cr_assert_geq(find_block(d, "có hiệu quả các nhiệm vụ được giao."), 0);
  cr_assert_geq(find_block(d, "cho các sở, ngành về chuyển đổi số."), 0);
  cr_assert_geq(find_block(d, "Số: 12/KH-UBND"), 0, "header line kept");
  b = find_block(d, "Nơi nhận:");
  cr_assert_str_eq(d->blocks.v[b].text, "Nơi nhận:");
  /* page-number lines are marked, not removed from d->lines */
  int pn = 0;
  for (size_t i = 0; i < d->lines.n; i++)
    pn += (d->lines.v[i].flags & LINE_PAGENUM) != 0;
  cr_assert_eq(pn, 3);
  doc_free(d);
}

Test(normalize, page_number_needs_page_edge) {
  /* without form feeds a bare number is text (corpus 01 line 44) */
  vnp_doc *d = norm("Đoạn một.\n\n1\n\nĐoạn hai.\n");
  cr_assert_eq(step(d, "page-numbers"), 0);
  cr_assert_geq(find_block(d, "1"), 0);
  doc_free(d);
}

/* ---- chunk invariance ---- */

static char *json_of(const char *in, size_t len, size_t chunk, int random) {
  vnp_options o;
  memset(&o, 0, sizeof o);
  vnp_pipeline *p = vnp_pipeline_new(RS, &o);
  unsigned seed = 12345;
  for (size_t i = 0; i < len;) {
    size_t c = chunk;
    if (random) {
      seed = seed * 1103515245u + 12345u;
      c = 1 + (seed >> 16) % 97;
    }
    if (c > len - i)
      c = len - i;
    vnp_pipeline_feed(p, in + i, c);
    i += c;
  }
  vnp_pipeline_finish(p);
  char *j = vnp_pipeline_json(p, 0, NULL);
  vnp_pipeline_free(p);
  return j;
}

Test(normalize, chunk_invariance) {
  const char *names[] = {"seed-001.txt", "seed-000.txt",
                         "13_kh16-mttq-xa-luongminh-2025_cong-tac-bau-cu.txt"};
  for (size_t k = 0; k < 3; k++) {
    size_t len;
    char *buf = slurp(names[k], &len);
    char *whole = json_of(buf, len, len ? len : 1, 0);
    char *one = json_of(buf, len, 1, 0);
    char *seven = json_of(buf, len, 7, 0);
    char *rnd = json_of(buf, len, 0, 1);
    cr_assert_str_eq(one, whole, "%s: 1-byte chunks", names[k]);
    cr_assert_str_eq(seven, whole, "%s: 7-byte chunks", names[k]);
    cr_assert_str_eq(rnd, whole, "%s: random chunks", names[k]);
    vnp_free(whole);
    vnp_free(one);
    vnp_free(seven);
    vnp_free(rnd);
    free(buf);
  }
  /* the synthetic OCR text too (form feeds across chunks) */
  char *whole = json_of(OCR, sizeof OCR - 1, sizeof OCR, 0);
  char *one = json_of(OCR, sizeof OCR - 1, 1, 0);
  cr_assert_str_eq(one, whole);
  vnp_free(whole);
  vnp_free(one);
}

Test(normalize, text_output_one_block_per_line) {
  vnp_options o;
  memset(&o, 0, sizeof o);
  vnp_pipeline *p = vnp_pipeline_new(RS, &o);
  const char in[] = "## KẾ HOẠCH\n\nViệc lãnh\n\nđạo, chỉ đạo.\n";
  vnp_pipeline_feed(p, in, sizeof in - 1);
  vnp_pipeline_finish(p);
  char *changes = NULL;
  size_t len;
  char *t = vnp_pipeline_text(p, &len, &changes);
  cr_assert_str_eq(t, "KẾ HOẠCH\nViệc lãnh đạo, chỉ đạo.\n");
  cr_assert_not_null(changes);
  vnp_free(t);
  vnp_free(changes);
  vnp_pipeline_free(p);
}

/* ---- robustness ---- */

Test(normalize, odd_input_does_not_crash) {
  /* markers only, many stars, lone combining marks, empty lines, U+FFFD */
  const char in[] = "****\n"
                    "** **\n"
                    "***x***\n"
                    "\xCC\x81\xCC\x80 a\n"
                    "#\n"
                    "#######  not a heading\n"
                    "\xFF\xFE bad\n"
                    "* * * * * * * * * * * * * * * * * * * * * * * * * * * * "
                    "* * * * * * * * * * * * * * * * * * * * * * * * * * * * "
                    "* * * * * * * * * * * * * * * * * * * * * * * * * * *\n";
  vnp_doc *d = norm(in);
  cr_assert_str_eq(line(d, 0), "");
  cr_assert_str_eq(line(d, 1), "");
  cr_assert_str_eq(line(d, 2), "x");
  cr_assert_str_eq(line(d, 4), "");
  cr_assert_str_eq(line(d, 5), "####### not a heading");
  for (size_t i = 0; i < d->blocks.n; i++)
    cr_assert_eq(strlen(d->blocks.v[i].text), d->blocks.v[i].len);
  doc_free(d);
}

/* Random documents built from the pieces every step reacts to: whole, 1-
 * and 3-byte chunks must give the same JSON, and nothing may crash. */
Test(normalize, chunk_invariance_random_inputs) {
  static const char *atoms[] = {"*",
                                "**",
                                "***",
                                "****",
                                "_",
                                "__",
                                "#",
                                "## ",
                                "  ",
                                "\t",
                                "\xC2\xA0",
                                "\xE2\x80\x8B",
                                "\xC2\xAD",
                                "\xCC\x81",
                                "\xCC\xA3",
                                "ô",
                                "\xC3\x90",
                                "\xC3\xB0",
                                "\xC2\xB4",
                                "\xE2\x80\x93",
                                " - ",
                                "20",
                                "/",
                                "NQ",
                                "QĐ",
                                "TW",
                                " | ",
                                "\f",
                                "\n",
                                "\n\n",
                                "Số: ",
                                "684",
                                "Ngày: 18/01/2023",
                                "ĐẾN",
                                "của",
                                "Việc lãnh",
                                "đạo",
                                "1. ",
                                "a) ",
                                "- ",
                                "* ",
                                "Trang 3",
                                "\r\n",
                                "\xFF",
                                "x",
                                "KẾ HOẠCH"};
  const size_t na = sizeof atoms / sizeof *atoms;
  unsigned seed = 42;
  char buf[4096];
  for (int k = 0; k < 60; k++) {
    size_t len = 0;
    seed = seed * 1103515245u + 12345u;
    int parts = 1 + (int)((seed >> 16) % 200);
    for (int p = 0; p < parts; p++) {
      seed = seed * 1103515245u + 12345u;
      const char *a = atoms[(seed >> 16) % na];
      size_t l = strlen(a);
      if (len + l >= sizeof buf)
        break;
      memcpy(buf + len, a, l);
      len += l;
    }
    char *whole = json_of(buf, len, len ? len : 1, 0);
    char *one = json_of(buf, len, 1, 0);
    char *three = json_of(buf, len, 3, 0);
    cr_assert_str_eq(one, whole, "doc %d: 1-byte chunks", k);
    cr_assert_str_eq(three, whole, "doc %d: 3-byte chunks", k);
    vnp_free(whole);
    vnp_free(one);
    vnp_free(three);
  }
}

/* ---- web and PDF layouts ---- */

/* HTML table cells one per line group, a lone "|" between cells: each cell
 * is one block, the "|" lines are layout, the lines after the last "|" are
 * not a cell. */
Test(normalize, lone_pipe_cells_join) {
  vnp_doc *d = norm("ỦY\nBAN NHÂN DÂN\nTỈNH KON TUM\n-------\n|\n"
                    "CỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                    "Độc lập - Tự do - Hạnh phúc\n|\nSố:\n06/2024/QĐ-UBND\n|\n"
                    "Kon Tum, ngày 25\ntháng 01 năm 2024\n|\nQUYẾT ĐỊNH\n"
                    "QUY ĐỊNH CHẾ ĐỘ BÁO CÁO\n");
  cr_assert_eq(d->blocks.n, 6, "%zu blocks", d->blocks.n);
  cr_expect_str_eq(d->blocks.v[0].text, "ỦY BAN NHÂN DÂN TỈNH KON TUM -------");
  cr_expect_str_eq(d->blocks.v[1].text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
                                        "Độc lập - Tự do - Hạnh phúc");
  cr_expect_str_eq(d->blocks.v[2].text, "Số: 06/2024/QĐ-UBND");
  cr_expect_str_eq(d->blocks.v[3].text, "Kon Tum, ngày 25 tháng 01 năm 2024");
  cr_expect_str_eq(d->blocks.v[4].text, "QUYẾT ĐỊNH");
  cr_expect_str_eq(d->blocks.v[5].text, "QUY ĐỊNH CHẾ ĐỘ BÁO CÁO");
  /* a joined cell maps back to the original bytes */
  vnp_span sp = doc_block_span(d, &d->blocks.v[2], 6, 21);
  cr_expect_eq(sp.start, strlen("ỦY\nBAN NHÂN DÂN\nTỈNH KON TUM\n-------\n|\n"
                                "CỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                                "Độc lập - Tự do - Hạnh phúc\n|\nSố:\n"));
  doc_free(d);
  /* a first cell never reaches back past a sentence */
  d = norm("Quý khách vui lòng đăng nhập.\nỦY BAN NHÂN DÂN\nTỈNH KON TUM\n|\n"
           "Số: 06/2024/QĐ-UBND\n|\n");
  cr_assert_eq(d->blocks.n, 3, "%zu blocks", d->blocks.n);
  cr_expect_str_eq(d->blocks.v[1].text, "ỦY BAN NHÂN DÂN TỈNH KON TUM");
  doc_free(d);
}

/* Hard-wrapped text without blank lines: lines that stop mid-phrase are
 * joined (also before a number or a capital), never into a numbered line,
 * and a short heading keeps the capitalized paragraph after it apart. */
Test(normalize, hard_wrapped_without_blank_lines) {
  vnp_doc *d =
      norm("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm\n"
           "2015; Căn cứ Nghị định số\n"
           "34/2016/NĐ-CP ngày 14 tháng 5 năm 2016 của Chính phủ quy định chi\n"
           "tiết một số điều của Luật Ban hành văn bản quy phạm pháp luật;\n"
           "Điều 1. Ban\n"
           "hành kèm theo Quyết định này Quy định chế độ báo cáo trên địa bàn\n"
           "Tỉnh.\n"
           "1. Mục tiêu chung\n"
           "Tạo chuyển biến mạnh mẽ trong nhận thức của cấp ủy, chính quyền,\n"
           "Mặt trận Tổ quốc và các đoàn thể về vị trí, vai trò của kinh tế\n"
           "tập thể.\n"
           "- Tạo chuyển biến mạnh mẽ trong nhận\n"
           "thức, hành động của cán bộ, đảng viên.\n"
           "2. Mục tiêu cụ thể\n");
  cr_expect_eq(step(d, "hard-wrapped"), 1);
  cr_assert_eq(d->blocks.n, 6, "%zu blocks", d->blocks.n);
  cr_expect(strstr(d->blocks.v[0].text, "năm 2015; Căn cứ Nghị định số "
                                        "34/2016/NĐ-CP ngày 14") != NULL);
  cr_expect(strstr(d->blocks.v[0].text, "chi tiết một số điều") != NULL);
  cr_expect_str_eq(d->blocks.v[1].text,
                   "Điều 1. Ban hành kèm theo Quyết định này Quy định chế độ "
                   "báo cáo trên địa bàn Tỉnh.");
  cr_expect_str_eq(d->blocks.v[2].text, "1. Mục tiêu chung");
  cr_expect(strncmp(d->blocks.v[3].text, "Tạo chuyển biến", 16) == 0);
  cr_expect(strstr(d->blocks.v[3].text, "chính quyền, Mặt trận") != NULL);
  cr_expect_str_eq(d->blocks.v[4].text,
                   "- Tạo chuyển biến mạnh mẽ trong nhận thức, hành động của "
                   "cán bộ, đảng viên.");
  cr_expect_str_eq(d->blocks.v[5].text, "2. Mục tiêu cụ thể");
  doc_free(d);
  /* ordinary one-line paragraphs are not taken for hard-wrapped text */
  d = norm("I. MỤC ĐÍCH\n1. Mục đích\nNâng cao nhận thức.\n2. Yêu cầu\n"
           "Bảo đảm thiết thực.\nII. NHIỆM VỤ\n1. Tuyên truyền\n"
           "Các cơ quan tổ chức tuyên truyền.\n");
  cr_expect_eq(step(d, "hard-wrapped"), 0);
  cr_expect_eq(d->blocks.n, 8);
  doc_free(d);
}

/* A caps heading wrapped onto the next line in OCR output (corpus/ocr/clean
 * seed-001 lines 15-36): capitals are wider in print, so a full caps line
 * holds fewer letters than the wrap width; its rest is joined, a short
 * caps heading is not joined to anything. */
Test(normalize, reflow_wrapped_caps_heading) {
  vnp_doc *d = norm(
      "I- MỤC ĐÍCH, YÊU CẦU\n\n"
      "1. Tạo chuyển biến mạnh mẽ trong nhận thức, hành động của hệ thống "
      "chính trị và\n"
      "nhân dân về vị trí, vai trò và tầm quan trọng của kinh tế tập thể "
      "trong nền kinh tế thị\n"
      "trường định hướng xã hội chủ nghĩa. Nêu cao trách nhiệm của các cấp "
      "ủy, tổ chức đảng,\n"
      "các cấp, các ngành và của cán bộ, đảng viên, công chức, viên chức, "
      "đoàn viên, hội viên\n"
      "trong thực hiện Nghị quyết số 20-NQ/TW.\n\n"
      "H - CÔNG TÁC QUÁN TRIỆT NGHỊ QUYẾT VÀ TRIỂN KHAI KẾ HOẠCH\n"
      "THỰC HIỆN\n\n"
      "1. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan "
      "hướng dẫn\n"
      "các cấp ủy tổ chức nghiên cứu, học tập, quán triệt Nghị quyết số "
      "20-NQ/TW và Kế\n"
      "hoạch thực hiện của Ban Thường vụ Tỉnh ủy; chỉ đạo các cơ quan báo "
      "chí, thông tin,\n"
      "truyền thông trên địa bàn tăng cường tuyên truyền nội dung, kết quả "
      "thực hiện Nghị\n"
      "quyết số 20-NQ/TW trên địa bàn.\n\n"
      "II - NHIỆM VỤ\n"
      "TRỌNG TÂM\n");
  cr_assert_eq(d->blocks.n, 6, "%zu blocks", d->blocks.n);
  cr_expect_str_eq(d->blocks.v[0].text, "I- MỤC ĐÍCH, YÊU CẦU");
  cr_expect_str_eq(d->blocks.v[2].text,
                   "H - CÔNG TÁC QUÁN TRIỆT NGHỊ QUYẾT VÀ TRIỂN KHAI KẾ "
                   "HOẠCH THỰC HIỆN");
  /* a short caps line is a heading of its own, not a wrapped one */
  cr_expect_str_eq(d->blocks.v[4].text, "II - NHIỆM VỤ");
  cr_expect_str_eq(d->blocks.v[5].text, "TRỌNG TÂM");
  doc_free(d);
}

/* Letter-spaced PDF text (corpus 09_qd3210, a thuvienphapluat copy): the
 * fragments of a syllable are joined, whole syllables are left alone. */
Test(normalize, letter_spacing_rejoined) {
  vnp_doc *d = norm("ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH\n\n"
                    "- T hủ tướ ng C h í nh ph ủ;\n\n"
                    "KT. CHỦ TỊ CH P HÓ CHỦ T Ị CH\n\n"
                    "Bộ Y tế và Sở Tài chính phối hợp theo điểm a, b\n");
  cr_assert_eq(d->blocks.n, 4, "%zu blocks", d->blocks.n);
  cr_expect_str_eq(d->blocks.v[0].text,
                   "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH");
  cr_expect_str_eq(d->blocks.v[1].text, "- Thủ tướng Chính phủ;");
  cr_expect_str_eq(d->blocks.v[2].text, "KT. CHỦ TỊCH PHÓ CHỦ TỊCH");
  cr_expect_str_eq(d->blocks.v[3].text,
                   "Bộ Y tế và Sở Tài chính phối hợp theo điểm a, b");
  cr_expect_gt(step(d, "letter-spacing"), 10);
  doc_free(d);
}

/* Years glued by a lost dash after a period word. */
Test(normalize, glued_year_range) {
  vnp_doc *d = norm("trong giai đoạn 20112020 và mã số 20112020\n");
  cr_expect_str_eq(line(d, 0), "trong giai đoạn 2011-2020 và mã số 20112020");
  cr_expect_eq(step(d, "year-ranges"), 1);
  doc_free(d);
}

/* OCR debris (corpus/ocr/bad seed-002, re-typed): a run of lines where many
 * tokens are no Vietnamese syllable is one low-confidence warning with
 * the run's span; good lines and documents without page breaks get none. */
Test(normalize, low_confidence_regions) {
  const char *in = "Thực hiện Nghị quyết số 20-NQ/TW của Ban Chấp hành.\n"
                   "An mm. xố _ấẤ „ jð\n"
                   "ˆ Hhữ saÚ 7 7 nà ằẩTT\n"
                   "Kinh tế tập thể là thành phần kinh tế quan trọng.\n"
                   "\f- Thường trực Đảng ủy( b/c);\n"
                   "Các cơ quan UBND, MTTQ và QĐ-TTg thực hiện.\n";
  vnp_doc *d = norm(in);
  int n = 0;
  for (size_t i = 0; i < d->diags.n; i++) {
    const vnp_diag *g = &d->diags.v[i];
    if (strcmp(g->code, "low-confidence") != 0)
      continue;
    n++;
    cr_expect_eq(g->span.line, 2);
    cr_expect_eq(g->span.start, strlen("Thực hiện Nghị quyết số 20-NQ/TW "
                                       "của Ban Chấp hành.\n"));
    cr_expect_eq(g->span.end, strlen("Thực hiện Nghị quyết số 20-NQ/TW "
                                     "của Ban Chấp hành.\n"
                                     "An mm. xố _ấẤ „ jð\n"
                                     "ˆ Hhữ saÚ 7 7 nà ằẩTT"));
  }
  cr_expect_eq(n, 1);
  cr_expect_eq(step(d, "low-confidence"), 2);
  cr_expect(d->lines.v[1].flags & LINE_LOWCONF);
  cr_expect(!(d->lines.v[3].flags & LINE_LOWCONF));
  doc_free(d);
  /* the same text without a form feed: not checked */
  d = norm("An mm. xố _ấẤ „ jð\nˆ Hhữ saÚ 7 7 nà ằẩTT\n");
  cr_expect_eq(step(d, "low-confidence"), 0);
  doc_free(d);
}

/* ---- setup ---- */

/* The per-code-point step table is built from ranges for speed; it must
 * say what nfc_safe, ws_class, is_dash and the chars.tsv folds say, with
 * the repository's rules (folds present) and without rules. */
Test(normalize, hot_table_matches_definitions) {
  vnp_options o;
  memset(&o, 0, sizeof o);
  vnp_doc *d = doc_new(RS, &o);
  normalizer *n = normalize_new(d);
  cr_expect_eq(normalize_hot_mismatches(n), 0);
  normalize_free(n);
  doc_free(d);
  d = doc_new(NULL, &o);
  n = normalize_new(d);
  cr_expect_eq(normalize_hot_mismatches(n), 0);
  normalize_free(n);
  doc_free(d);
}
