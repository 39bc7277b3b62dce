/*
 * test_segment.c - the segmenter: heading recognizer, levels, header
 * fields, footer, heading vs numbered paragraph, tables, attachments.
 *
 * Documents are built here one block per non-blank line (what reflow does
 * to text without hard wraps), so the tests do not depend on normalize.c.
 */
#include "doc.h"
#include "limits.h"
#include "normalize.h"
#include "reader.h"
#include "rules.h"
#include "segment.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static vnp_rules *load_rules(void) {
  static vnp_rules *rs;
  if (!rs) {
    vnp_error err;
    int rc = vnp_rules_load(getenv("VNPLAN_RULES"), &rs, &err);
    cr_assert_eq(rc, 0, "rules: %s", err.message);
  }
  return rs;
}

/* One line per '\n'; a block per non-blank line; identity offset maps;
 * every block gets `flags`. */
static vnp_doc *mkdoc_flags(const char *text, unsigned flags) {
  vnp_doc *d = doc_new(load_rules(), NULL);
  const char *p = text;
  uint64_t off = 0;
  uint32_t lineno = 1;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    vnp_vec_push(d->line_starts, off);
    vnp_line l;
    memset(&l, 0, sizeof l);
    l.text = xstrndup(p, len);
    l.len = (uint32_t)len;
    l.lineno = lineno;
    l.flags = len ? 0 : LINE_BLANK;
    l.orig_start = off;
    l.orig_end = off + len;
    omap_identity(&l.map, (uint32_t)len, off);
    vnp_vec_push(d->lines, l);
    if (len) {
      vnp_block b;
      memset(&b, 0, sizeof b);
      b.text = xstrndup(p, len);
      b.len = (uint32_t)len;
      b.first_line = (uint32_t)(d->lines.n - 1);
      b.nlines = 1;
      b.lineno = lineno;
      b.flags = flags;
      omap_identity(&b.map, (uint32_t)len, off);
      vnp_vec_push(d->blocks, b);
    }
    off += len + (nl ? 1 : 0);
    lineno++;
    p += len + (nl ? 1 : 0);
  }
  segment_run(d);
  return d;
}

static vnp_doc *mkdoc(const char *text) { return mkdoc_flags(text, 0); }

static void on_line(void *ctx, const char *text, uint32_t len, const omap *map,
                    uint64_t s, uint64_t e, uint32_t lineno, unsigned flags) {
  normalize_line(ctx, text, len, map, s, e, lineno, flags);
}

static vnp_doc *mkdoc_path(const char *dir, const char *name);

/* A corpus file through the real reader and normalizer, then segment. */
static vnp_doc *mkdoc_file(const char *name) {
  return mkdoc_path("corpus", name);
}

/* DIR/NAME under the repository root, read, normalized and segmented. */
static vnp_doc *mkdoc_path(const char *dir, const char *name) {
  char path[512];
  const char *root = getenv("VNPLAN_ROOT");
  snprintf(path, sizeof path, "%s/%s/%s", root ? root : ".", dir, name);
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  vnp_doc *d = doc_new(load_rules(), NULL);
  normalizer *n = normalize_new(d);
  reader *rd = reader_new(d, on_line, n);
  char tmp[4096];
  size_t k;
  while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
    reader_feed(rd, tmp, k);
  fclose(f);
  reader_finish(rd);
  normalize_finish(n);
  reader_free(rd);
  normalize_free(n);
  segment_run(d);
  return d;
}

/* How many diagnostics of d have this code. */
static int count_diag(const vnp_doc *d, const char *code) {
  int n = 0;
  for (size_t i = 0; i < d->diags.n; i++)
    n += strcmp(d->diags.v[i].code, code) == 0;
  return n;
}

/* The n-th node in document order (sections and items, not tables). */
static const vnp_node *nth(const vnp_node *root, int n) {
  const vnp_node *stack[64];
  int sp = 0, i = 0;
  /* iterative pre-order walk */
  const vnp_node *cur = root->first;
  while (cur) {
    if (cur->type != NODE_TABLE) {
      if (i == n)
        return cur;
      i++;
    }
    if (cur->first) {
      if (cur->next)
        stack[sp++] = cur->next;
      cur = cur->first;
    } else if (cur->next) {
      cur = cur->next;
    } else {
      cur = sp ? stack[--sp] : NULL;
    }
  }
  return NULL;
}

static const char *style_of(const char *line) {
  static char out[64];
  vnp_doc *d = mkdoc(line);
  const vnp_node *n = d->root->first;
  snprintf(out, sizeof out, "%s",
           n && n->type != NODE_TABLE ? n->style : "-none-");
  doc_free(d);
  return out;
}

/* ---- the recognizer ---- */

Test(segment, heading_styles) {
  struct {
    const char *line, *style;
  } cases[] = {
      {"I. MỤC ĐÍCH, YÊU CẦU", "roman."},
      {"IV - NHIỆM VỤ CỤ THỂ", "roman-"},
      {"I- QUAN ĐIỂM CHỈ ĐẠO", "roman-"},
      {"II/ NỘI DUNG, HÌNH THỨC TUYÊN TRUYỀN", "roman/"},
      {"1. Mục tiêu tổng quát", "arabic."},
      {"1- Tăng cường tuyên truyền", "arabic-"},
      {"1.1. Trung tâm Thông tin - Tuyên truyền:", "dotted2"},
      {"2.10. Phối hợp với các sở", "dotted2"},
      {"1.3 Xây dựng, ban hành kế hoạch", "dotted2"},
      {"2.1.3. Chính sách tín dụng", "dotted3"},
      {"2.1.a. Thành lập Ban Chỉ đạo:", "dotted-letter"},
      {"a) Cơ quan chủ trì", "letter)"},
      {"đ) Xây dựng cổng thông tin điện tử", "letter)"},
      {"(1) Tổ chức hiệp thương lần thứ nhất", "paren"},
      {"A. MỤC ĐÍCH, YÊU CẦU", "upper."},
      {"A- NHIỆM VỤ", "upper."},
      {"Điều 1. Ban hành kèm theo Nghị quyết này", "article"},
      {"PHỤ LỤC I", "annex"},
      {"- Ban Chỉ đạo quốc gia.", "bullet-"},
      {"+ Đợt 1: Trong khoảng thời gian", "bullet+"},
      {"* Thời gian thực hiện: Thường xuyên", "bullet*"},
      {"• Tuyên truyền sâu rộng", "bullet•"},
      {"1/ Tuyên truyền sâu rộng", "arabic/"},
      {"a. Mục tiêu chung", "letter."},
      {"Chương II. NHIỆM VỤ", "chapter"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    cr_expect_str_eq(style_of(cases[i].line), cases[i].style, "%s",
                     cases[i].line);
}

Test(segment, not_headings) {
  const char *cases[] = {
      "5.000 thành viên tham gia",
      "2021 - 2025 là giai đoạn quan trọng",
      "II/2021 hoàn thành",
      "10,5% tổng số hộ",
      "1/11/2012 ban hành",
      "In ấn và phát hành tài liệu",
      "Vi phạm pháp luật về bầu cử",
      "C. Mác đã chỉ ra",
      "Căn cứ Điều 3 của Quyết định số 1237/QĐ-TTg",
      "Chương trình phối hợp giữa các cơ quan",
      "v.v. và các nội dung khác",
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    vnp_doc *d = mkdoc(cases[i]);
    cr_expect_null(d->root->first, "%s", cases[i]);
    cr_expect_eq(d->preamble.n, 1, "%s", cases[i]);
    doc_free(d);
  }
  /* a typographic rule is no heading and no paragraph: it has no text */
  vnp_doc *d = mkdoc("Căn cứ tình hình thực tế:\n-------\n___ ___\n");
  cr_expect_null(d->root->first);
  cr_expect_eq(d->preamble.n, 1, "%zu paragraphs", d->preamble.n);
  doc_free(d);
}

/* ---- levels ---- */

Test(segment, levels_nesting) {
  vnp_doc *d = mkdoc("A. MỤC ĐÍCH\n"
                     "B. NỘI DUNG\n"
                     "I. CÔNG TÁC QUÁN TRIỆT\n"
                     "1. Nội dung, biện pháp\n"
                     "a) Cơ quan chủ trì\n"
                     "- Ban Chỉ đạo quốc gia.\n"
                     "b) Cơ quan phối hợp\n"
                     "2. Thời gian thực hiện\n"
                     "II. BAN HÀNH VĂN BẢN\n"
                     "C. TỔ CHỨC THỰC HIỆN\n"
                     "1. Bộ Quốc phòng\n");
  const struct {
    const char *label;
    int level;
  } want[] = {{"A.", 1}, {"B.", 1}, {"I.", 2},  {"1.", 3}, {"a)", 4}, {"-", 5},
              {"b)", 4}, {"2.", 3}, {"II.", 2}, {"C.", 1}, {"1.", 2}};
  for (int i = 0; i < (int)(sizeof want / sizeof *want); i++) {
    const vnp_node *n = nth(d->root, i);
    cr_assert_not_null(n, "node %d", i);
    cr_expect_str_eq(n->label, want[i].label, "node %d", i);
    cr_expect_eq(n->level, want[i].level, "node %d (%s): level %d", i, n->label,
                 n->level);
  }
  /* C. after B. is a letter; the items: type and number */
  cr_expect_str_eq(nth(d->root, 9)->style, "upper.");
  cr_expect_eq(nth(d->root, 5)->type, NODE_ITEM);
  cr_expect_null(nth(d->root, 5)->number);
  cr_expect_str_eq(nth(d->root, 4)->number, "a");
  doc_free(d);
}

Test(segment, star_note_closes_dash_items) {
  vnp_doc *d = mkdoc("1. Giám sát việc thành lập\n"
                     "- Việc ban hành các văn bản;\n"
                     "* Thời gian thực hiện:\n"
                     "+ Đợt 1: Từ ngày 01/12/2025.\n"
                     "- Công tác vận động bầu cử.\n");
  cr_expect_eq(nth(d->root, 1)->level, 2);
  cr_expect_eq(nth(d->root, 2)->level, 2); /* "*" beside "-", not under */
  cr_expect_eq(nth(d->root, 3)->level, 3); /* "+" under "*" */
  cr_expect_eq(nth(d->root, 4)->level, 3); /* "-" under "*" again */
  doc_free(d);
}

Test(segment, bold_numbered_line_is_heading) {
  vnp_doc *d =
      mkdoc("1. Mục đích và yêu cầu của kế hoạch tuyên truyền năm 2023.\n");
  cr_expect(!d->root->first->heading);
  doc_free(d);
  /* the same line, whole line bold (as the normalizer flags it) */
  d = mkdoc_flags(
      "1. Mục đích và yêu cầu của kế hoạch tuyên truyền năm 2023.\n",
      LINE_BOLD);
  cr_expect(d->root->first->heading);
  cr_expect_str_eq(d->root->first->title,
                   "Mục đích và yêu cầu của kế hoạch tuyên truyền năm 2023");
  doc_free(d);
}

Test(segment, roman_v_after_iv) {
  vnp_doc *d = mkdoc("I. MỘT\nII. HAI\nIII. BA\nIV. BỐN\nV. NĂM\n");
  const vnp_node *n = nth(d->root, 4);
  cr_assert_not_null(n);
  cr_expect_str_eq(n->style, "roman.");
  cr_expect_str_eq(n->number, "V");
  cr_expect_eq(n->level, 1);
  doc_free(d);
  d = mkdoc("G. GIÊ\nH. HÁT\nI. ÍCH LỢI\n");
  cr_expect_str_eq(nth(d->root, 2)->style, "upper.");
  doc_free(d);
  /* sentence-case capital-letter headings: first of a list or next sibling */
  d = mkdoc("A. Mục tiêu chung\n1. Một\nB. Nhiệm vụ cụ thể\n");
  cr_expect_str_eq(nth(d->root, 2)->label, "B.");
  cr_expect_eq(nth(d->root, 2)->level, 1);
  doc_free(d);
  d = mkdoc("C. Mác đã chỉ ra vai trò của quần chúng\n");
  cr_expect_null(d->root->first);
  doc_free(d);
  d = mkdoc("a. Mục tiêu\nb. Yêu cầu\n");
  cr_expect_str_eq(nth(d->root, 1)->style, "letter.");
  doc_free(d);
  d = mkdoc("v. v. và các nội dung khác\n");
  cr_expect_null(d->root->first);
  doc_free(d);
}

Test(segment, numbering_gap_diagnostic) {
  vnp_doc *d = mkdoc("KẾ HOẠCH\n\nI. MỤC ĐÍCH\n1. Một\n2. Hai\n4. Bốn\n"
                     "II. NỘI DUNG\n");
  int gaps = 0;
  for (size_t i = 0; i < d->diags.n; i++)
    if (strcmp(d->diags.v[i].code, "numbering-gap") == 0) {
      gaps++;
      cr_expect_eq(d->diags.v[i].span.line, 6);
    }
  cr_expect_eq(gaps, 1);
  doc_free(d);
  d = mkdoc("I. MỤC ĐÍCH\n");
  cr_assert_eq(d->diags.n, 1);
  cr_expect_str_eq(d->diags.v[0].code, "no-type-line");
  doc_free(d);
}

Test(segment, skipped_level_recovers) {
  /* the document starts at "1." and later uses Roman numerals: I. must
   * not nest under 2. */
  vnp_doc *d = mkdoc("1. Mục đích\n2. Yêu cầu\nI. NỘI DUNG\n1. Tuyên truyền\n");
  cr_expect_eq(nth(d->root, 2)->level, 1);
  cr_expect_eq(nth(d->root, 3)->level, 2);
  doc_free(d);
}

Test(segment, numbered_line_not_under_bullet) {
  vnp_doc *d = mkdoc("1. Tổ chức hội nghị\n- Nguyên tắc tổ chức.\n"
                     "(1) Hiệp thương lần thứ nhất\n(2) Hiệp thương lần hai\n");
  cr_expect_eq(nth(d->root, 2)->level, 2);
  cr_expect_str_eq(nth(d->root, 2)->label, "(1)");
  doc_free(d);
}

Test(segment, attachment_restarts_levels) {
  vnp_doc *d = mkdoc("QUYẾT ĐỊNH\n\nVề ban hành Kế hoạch\n\nQUYẾT ĐỊNH:\n\n"
                     "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.\n\n"
                     "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
                     "Nơi nhận:\n- Như Điều 2;\n- Lưu: VT.\n\n"
                     "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Hữu Tín\n\n"
                     "KẾ HOẠCH\n\nTriển khai thực hiện Thông tư số 09\n\n"
                     "I. MỤC ĐÍCH - YÊU CẦU\n\n1. Mục đích\n\n"
                     "II. TỔ CHỨC THỰC HIỆN\n");
  cr_assert_eq(d->attachments.n, 1);
  cr_expect_str_eq(d->attachments.v[0].type, "KẾ HOẠCH");
  cr_expect_str_eq(d->attachments.v[0].title,
                   "Triển khai thực hiện Thông tư số 09");
  const vnp_node *a1 = nth(d->root, 0), *r1 = nth(d->root, 2);
  cr_expect_str_eq(a1->style, "article");
  cr_expect_eq(a1->part, 0);
  cr_expect_str_eq(r1->label, "I.");
  cr_expect_eq(r1->level, 1);
  cr_expect_eq(r1->part, 1);
  cr_expect_str_eq(r1->kind, "purpose");
  cr_expect_eq(nth(d->root, 3)->level, 2);
  cr_expect_str_eq(nth(d->root, 4)->kind, "implementation");
  /* the decision's footer */
  cr_expect_eq(d->recipients.n, 2);
  cr_expect_str_eq(d->recipients.v[0].text, "Như Điều 2");
  cr_expect(d->signature.present);
  cr_expect_str_eq(d->signature.deputy.text, "KT. CHỦ TỊCH");
  cr_expect_str_eq(d->signature.position.text, "PHÓ CHỦ TỊCH");
  cr_expect_str_eq(d->signature.signer.text, "Nguyễn Hữu Tín");
  /* the enacting formula is not a section */
  cr_expect_eq(d->preamble.n, 1);
  cr_expect_str_eq(d->preamble.v[0].text, "QUYẾT ĐỊNH:");
  doc_free(d);
}

Test(segment, attachment_after_articles_without_footer) {
  vnp_doc *d = mkdoc("QUYẾT ĐỊNH\n\nVề ban hành Kế hoạch\n\n"
                     "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch.\n\n"
                     "KẾ HOẠCH\n\nHỗ trợ nhà ở\n\nI. MỤC ĐÍCH\n");
  cr_assert_eq(d->attachments.n, 1);
  cr_expect_str_eq(d->attachments.v[0].title, "Hỗ trợ nhà ở");
  cr_expect_eq(nth(d->root, 1)->part, 1);
  cr_expect_eq(nth(d->root, 1)->level, 1);
  doc_free(d);
}

/* ---- heading vs numbered paragraph ---- */

Test(segment, heading_or_paragraph) {
  vnp_doc *d = mkdoc(
      "I. MỤC ĐÍCH, YÊU CẦU:\n"
      "1. Nhằm cụ thể hóa quan điểm, mục tiêu và tổ chức thực hiện những nội "
      "dung, nhiệm vụ giải pháp của Nghị quyết trong nền kinh tế thị trường "
      "định hướng xã hội chủ nghĩa.\n"
      "II. TỔ CHỨC THỰC HIỆN\n"
      "1. Liên minh HTX tỉnh, thành phố\n"
      "1.2. Ban Chính sách và Phát triển HTX: Đầu mối phối hợp với các đơn "
      "vị.\n"
      "2. Mục đích.\n"
      "3. Bước 1:\n"
      "4. NHIỆT LIỆT CHÀO MỪNG 30 NĂM THÀNH LẬP LIÊN MINH HỢP TÁC XÃ VIỆT "
      "NAM, HỢP TÁC, PHÁT TRIỂN.\n");
  const vnp_node *n = nth(d->root, 0);
  cr_expect(n->heading);
  cr_expect_str_eq(n->title, "MỤC ĐÍCH, YÊU CẦU");
  cr_expect_str_eq(n->kind, "purpose");
  n = nth(d->root, 1);
  cr_expect(!n->heading);
  cr_expect_null(n->title);
  cr_expect(strncmp(n->text, "Nhằm cụ thể hóa", strlen("Nhằm cụ thể hóa")) ==
            0);
  n = nth(d->root, 3);
  cr_expect(n->heading);
  cr_expect_str_eq(n->title, "Liên minh HTX tỉnh, thành phố");
  cr_expect_null(n->kind); /* a sub-heading that matches nothing */
  n = nth(d->root, 4);
  cr_expect(n->heading);
  cr_expect_str_eq(n->title, "Ban Chính sách và Phát triển HTX");
  cr_expect_str_eq(n->text, "Đầu mối phối hợp với các đơn vị.");
  cr_expect_str_eq(nth(d->root, 5)->title, "Mục đích");
  cr_expect_str_eq(nth(d->root, 6)->title, "Bước 1");
  cr_expect(!nth(d->root, 7)->heading); /* an upper-case slogan sentence */
  doc_free(d);
}

Test(segment, unmatched_top_heading_is_other) {
  vnp_doc *d = mkdoc("I. NHỮNG ĐIỀU CẦN LƯU Ý CHUNG\n1. Ghi chú riêng\n");
  cr_expect_str_eq(nth(d->root, 0)->kind, "other");
  cr_expect_null(nth(d->root, 1)->kind);
  doc_free(d);
}

Test(segment, paragraphs_attach_to_sections) {
  vnp_doc *d = mkdoc("3. Ban Tuyên giáo Tỉnh ủy\n"
                     "- Chủ trì tổ chức học tập, quán triệt.\n"
                     "Thời gian thực hiện: Thường xuyên.\n"
                     "4. Văn phòng Tỉnh ủy\n");
  const vnp_node *s3 = nth(d->root, 0);
  cr_assert_eq(s3->paras.n, 1);
  cr_expect_str_eq(s3->paras.v[0].text, "Thời gian thực hiện: Thường xuyên.");
  cr_expect_eq(nth(d->root, 1)->paras.n, 0);
  cr_expect(s3->full.end > s3->span.end);
  doc_free(d);
}

/* ---- tables ---- */

Test(segment, table_rows) {
  vnp_doc *d =
      mkdoc("PHỤ LỤC II\n"
            "DANH MỤC CÁC NHIỆM VỤ\n"
            "TT | Tên nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành\n"
            "I. | Nâng cao nhận thức |  | \n"
            "1. | Xây dựng chương trình | Bộ Văn hóa | 2025\n");
  const vnp_node *a = d->root->first;
  cr_assert_not_null(a);
  cr_expect_str_eq(a->style, "annex");
  cr_expect_str_eq(a->number, "II");
  cr_expect_str_eq(a->title, "DANH MỤC CÁC NHIỆM VỤ");
  cr_expect_str_eq(a->kind, "annex");
  const vnp_node *t = a->first;
  cr_assert_not_null(t);
  cr_expect_eq(t->type, NODE_TABLE);
  cr_expect(t->has_header);
  cr_assert_eq(t->rows.n, 3);
  cr_expect_eq(t->row_ncells.v[0], 4);
  cr_expect_str_eq(t->rows.v[0][1], "Tên nhiệm vụ");
  cr_expect_str_eq(t->rows.v[1][0], "I.");
  cr_expect_str_eq(t->rows.v[1][2], "");
  cr_expect_str_eq(t->rows.v[2][2], "Bộ Văn hóa");
  cr_expect_eq(t->row_spans.v[2].line, 5);
  cr_expect_null(t->next);
  doc_free(d);
}

/* ---- footer ---- */

Test(segment, footer_one_row) {
  vnp_doc *d = mkdoc(
      "1. Ban Thường trực chủ trì thực hiện kế hoạch này.\n"
      "Nơi nhận: - BTT Ủy ban MTTQ Việt Nam tỉnh; - Các Bộ: Quốc phòng, Lao "
      "động -Thương binh và Xã hội; - Ban CTMT TDP ( Thực hiện) - Lưu: VT. | "
      "TM. BAN THƯỜNG TRỰC CHỦ TỊCH Lan Thị Vân\n");
  cr_assert_eq(d->recipients.n, 4);
  cr_expect_str_eq(d->recipients_head.text, "Nơi nhận:");
  cr_expect_str_eq(d->recipients.v[0].text, "BTT Ủy ban MTTQ Việt Nam tỉnh");
  cr_expect_str_eq(d->recipients.v[1].text,
                   "Các Bộ: Quốc phòng, Lao động -Thương binh và Xã hội");
  cr_expect_str_eq(d->recipients.v[2].text, "Ban CTMT TDP ( Thực hiện)");
  cr_expect_str_eq(d->recipients.v[3].text, "Lưu: VT.");
  cr_expect(d->signature.present);
  cr_expect_str_eq(d->signature.on_behalf.text, "TM. BAN THƯỜNG TRỰC");
  cr_expect_str_eq(d->signature.position.text, "CHỦ TỊCH");
  cr_expect_str_eq(d->signature.signer.text, "Lan Thị Vân");
  doc_free(d);
}

Test(segment, footer_lines) {
  vnp_doc *d = mkdoc("1. Văn phòng theo dõi, đôn đốc việc thực hiện.\n\n"
                     "Noi nhận:\n"
                     "- Phó TTCP Trịnh Đình Dũng - Trưởng Ban\n"
                     "Chỉ đạo đổi mới, phát triển KTTT, HTX;\n"
                     "- Lưu: VT, TTTT.\n\n"
                     "T/M HUYỆN ỦY\nBÍ THƯ\n\n(Đã ký)\n\nĐình Tấn Hoàng\n");
  cr_assert_eq(d->recipients.n, 2);
  cr_expect_str_eq(d->recipients.v[0].text,
                   "Phó TTCP Trịnh Đình Dũng - Trưởng Ban Chỉ đạo đổi mới, "
                   "phát triển KTTT, HTX");
  cr_expect_str_eq(d->signature.on_behalf.text, "T/M HUYỆN ỦY");
  cr_expect_str_eq(d->signature.position.text, "BÍ THƯ");
  cr_expect_str_eq(d->signature.signed_mark.text, "Đã ký");
  cr_expect_str_eq(d->signature.signer.text, "Đình Tấn Hoàng");
  cr_expect_eq(d->signature.span.line, 8);
  doc_free(d);
}

/* ---- header fields of real documents ---- */

Test(segment, header_seed_003) {
  vnp_doc *d = mkdoc_file("seed-003.txt");
  cr_expect_str_eq(d->type.text, "KẾ HOẠCH");
  cr_expect_str_eq(d->type_key.text, "plan");
  cr_expect_str_eq(d->number.text, "145/KH-LMHTXVN");
  cr_expect_str_eq(d->date.text, "2021-03-22");
  cr_expect_str_eq(d->place.text, "Hà Nội");
  cr_expect_eq(d->number.span.line, 3);
  cr_expect(strncmp(d->title.text, "Triển khai Hướng dẫn số 164-HD/BTGTW",
                    strlen("Triển khai Hướng dẫn số 164-HD/BTGTW")) == 0);
  cr_expect_eq(d->preamble.n, 1);
  cr_expect_str_eq(d->signature.signer.text, "Nguyễn Ngọc Bảo");
  doc_free(d);
}

Test(segment, header_seed_002) {
  vnp_doc *d = mkdoc_file("seed-002.txt");
  cr_expect_str_eq(d->type.text, "CHƯƠNG TRÌNH HÀNH ĐỘNG");
  cr_expect_str_eq(d->type_key.text, "action_programme");
  cr_expect_str_eq(d->number.text, "26-CTr/TU");
  cr_expect_null(d->date.text);
  doc_free(d);
}

Test(segment, header_seed_004_and_000) {
  vnp_doc *d = mkdoc_file("seed-004.txt");
  cr_expect_str_eq(d->number.text, "04/KH-LMHTX");
  cr_expect_str_eq(d->date.text, "2023-03-01");
  cr_expect_str_eq(d->place.text, "Thái Bình");
  cr_expect_str_eq(d->title.text,
                   "Tuyên truyền Kỷ niệm 30 năm ngày Thành lập Liên minh Hợp "
                   "tác xã Việt Nam (29/10/1993 - 29/10/2023)");
  doc_free(d);
  d = mkdoc_file("seed-000.txt");
  cr_expect_str_eq(d->date.text, "2023-01-30");
  cr_expect_str_eq(d->place.text, "Hòa Thành");
  cr_expect_null(d->number.text);
  doc_free(d);
}

Test(segment, header_cells_crammed) {
  /* corpus/16: issuer, number, motto, place/date on one line */
  vnp_doc *d = mkdoc_file("16_kh-mttq-phuong-baccamranh-2025_kiem-tra-giam-"
                          "sat-bau-cu.txt");
  cr_expect_str_eq(d->number.text, "/KH-MTTQ-BTT");
  cr_expect_str_eq(d->date.text, "2025-11");
  cr_expect_str_eq(d->place.text, "Bắc Cam Ranh");
  cr_expect_str_eq(d->issuer.text,
                   "ỦY BAN MTTQ VIỆT NAM PHƯỜNG BẮC CAM RANH BAN THƯỜNG TRỰC");
  /* the dash between the years is "–" in the file ("-" once normalized) */
  const char *want = "Kiểm tra, giám sát công tác bầu cử đại biểu Quốc hội "
                     "khóa XVI và đại biểu Hội đồng nhân dân các cấp, nhiệm "
                     "kỳ 2026 ";
  cr_expect(strncmp(d->title.text, want, strlen(want)) == 0, "%s",
            d->title.text);
  cr_expect(strstr(d->title.text, " 2031 trên địa bàn phường Bắc Cam Ranh"),
            "%s", d->title.text);
  cr_expect_str_eq(d->signature.signer.text, "Phạm Thị Thúy");
  doc_free(d);
}

Test(segment, header_authority_and_issuer) {
  vnp_doc *d = mkdoc_file("04_nq03-nqcp-2025_chinh-phu_ctrhd-thuc-hien-"
                          "nq57.txt");
  cr_expect_str_eq(d->issuer.text, "CHÍNH PHỦ");
  cr_expect_str_eq(d->authority.text, "CHÍNH PHỦ");
  cr_expect_str_eq(d->number.text, "03/NQ-CP");
  cr_expect_str_eq(d->date.text, "2025-01-09");
  cr_expect_str_eq(d->type_key.text, "resolution");
  cr_assert_eq(d->attachments.n, 1);
  cr_expect_str_eq(d->attachments.v[0].type, "CHƯƠNG TRÌNH HÀNH ĐỘNG");
  cr_expect_str_eq(d->signature.deputy.text, "KT. THỦ TƯỚNG");
  cr_expect_str_eq(d->signature.signed_mark.text, "đã ký");
  doc_free(d);
  d = mkdoc_file("09_qd3210-ubnd-tphcm-2014_kh-ho-tro-nha-o-nguoi-co-"
                 "cong.txt");
  cr_expect_str_eq(d->authority.text,
                   "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH");
  cr_expect_str_eq(d->type_key.text, "decision");
  cr_expect_str_eq(d->date.text, "2014-06-28");
  doc_free(d);
  d = mkdoc_file("05_kh3260-ddqh15-2025_dang-doan-quoc-hoi_thuc-hien-"
                 "nq57.txt");
  /* the party motto is not part of the issuer */
  cr_expect_str_eq(d->issuer.text,
                   "BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG ĐOÀN QUỐC HỘI");
  cr_expect_str_eq(d->number.text, "3260-KH/ĐĐQH15");
  doc_free(d);
}

Test(segment, authority_line_under_type) {
  vnp_doc *d = mkdoc_file("01_nq57-ntw-2024_bo-chinh-tri_khcn-dmst-cds.txt");
  cr_expect_str_eq(d->type.text, "NGHỊ QUYẾT");
  cr_expect_str_eq(d->authority.text, "BỘ CHÍNH TRỊ");
  cr_expect_str_eq(d->title.text, "về đột phá phát triển khoa học, công "
                                  "nghệ, đổi mới sáng tạo và chuyển đổi số "
                                  "quốc gia");
  doc_free(d);
  /* a title that merely starts with "của" stays the title */
  d = mkdoc("KẾT LUẬN\n\nCỦA BỘ CHÍNH TRỊ VỀ VIỆC TIẾP TỤC THỰC HIỆN\n\n"
            "I. MỤC TIÊU\n");
  cr_expect_null(d->authority.text);
  cr_expect(d->title.text && strstr(d->title.text, "TIẾP TỤC"), "%s",
            d->title.text ? d->title.text : "(null)");
  doc_free(d);
  /* an upper-case title continued on the next line stays the title */
  d = mkdoc("KẾT LUẬN\nCỦA BỘ CHÍNH TRỊ VỀ VIỆC\nTIẾP TỤC THỰC HIỆN\n\n"
            "I. MỤC TIÊU\n");
  cr_expect_null(d->authority.text);
  doc_free(d);
}

Test(segment, type_and_title_on_one_line) {
  vnp_doc *d = mkdoc("ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH\n"
                     "Số: 12 /KH-UBND\n"
                     "ngày 05 tháng 01 năm 2024\n\n"
                     "KẾ HOẠCH Tuyên truyền Kỷ niệm 30 năm\n"
                     "ngày thành lập\n\n"
                     "Căn cứ Luật Tổ chức chính quyền địa phương;\n\n"
                     "I. MỤC ĐÍCH, YÊU CẦU\n");
  cr_expect_str_eq(d->type.text, "KẾ HOẠCH");
  cr_expect_str_eq(d->title.text, "Tuyên truyền Kỷ niệm 30 năm ngày thành lập");
  cr_expect_str_eq(d->number.text, "12 /KH-UBND");
  cr_expect_str_eq(d->date.text, "2024-01-05");
  cr_expect_null(d->place.text);
  cr_expect_str_eq(d->issuer.text, "ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH");
  cr_expect_eq(d->preamble.n, 1);
  cr_expect_str_eq(d->root->first->kind, "purpose");
  doc_free(d);
}

/* ---- robustness ---- */

Test(segment, every_block_lands_somewhere) {
  vnp_doc *d = mkdoc_file("07_kh252-bcdqg1237-2013_ban-chi-dao-qg_tim-kiem-"
                          "quy-tap-hai-cot.txt");
  /* count blocks referenced by nodes, paragraphs, rows, preamble */
  size_t nb = d->blocks.n;
  char *seen = calloc(nb, 1);
  for (size_t i = 0; i < d->preamble.n; i++)
    seen[d->preamble.v[i].block] = 1;
  for (size_t i = 0; i < d->recipients.n; i++)
    seen[d->recipients.v[i].block] = 1;
  for (int i = 0;; i++) {
    const vnp_node *n = nth(d->root, i);
    if (!n)
      break;
    seen[n->block] = 1;
    for (size_t k = 0; k < n->paras.n; k++)
      seen[n->paras.v[k].block] = 1;
  }
  size_t missing = 0;
  for (size_t i = 4; i < nb; i++) /* blocks 0-3: header fields */
    if (!seen[i])
      missing++;
  cr_expect_eq(missing, 0, "%zu blocks not placed", missing);
  free(seen);
  doc_free(d);
}

Test(segment, empty_and_garbage) {
  vnp_doc *d = mkdoc("");
  cr_expect_null(d->root->first);
  doc_free(d);
  d = mkdoc("|||\n| |\n- \n1.\n(\nNơi nhận:\nTM.\n");
  cr_expect(d->blocks.n == 7);
  doc_free(d);
}

/* Nesting deeper than VNP_MAX_DEPTH folds into the deepest level with a
 * diagnostic. Real schemes pop each other long before that, so the test
 * uses a rule directory of its own with 24 distinct schemes "Lk:". */
Test(segment, depth_limit_folds) {
  char dir[] = "/tmp/vnp-seg-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char path[256];
  snprintf(path, sizeof path, "%s/h.rules", dir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  for (int k = 1; k <= 24; k++)
    fprintf(
        f,
        "rule h%d\n  kind heading\n  pattern ^(?<num>L%d):\\s*(?<title>.*)$\n"
        "  emit style=s%d; family=s%d; rank=5\nend\n",
        k, k, k, k);
  fclose(f);
  vnp_rules *rs;
  vnp_error err;
  cr_assert_eq(vnp_rules_load(dir, &rs, &err), 0, "%s", err.message);
  vnp_buf text = VNP_BUF_INIT;
  for (int k = 1; k <= 24; k++)
    vnp_buf_printf(&text, "L%d: Mục %d\n", k, k);
  vnp_doc *d = doc_new(rs, NULL);
  uint64_t off = 0;
  for (int k = 0; k < 24; k++) {
    const char *s = text.ptr + off;
    size_t len = strchr(s, '\n') - s;
    vnp_vec_push(d->line_starts, off);
    vnp_block b;
    memset(&b, 0, sizeof b);
    b.text = xstrndup(s, len);
    b.len = (uint32_t)len;
    b.first_line = (uint32_t)k;
    b.nlines = 1;
    b.lineno = (uint32_t)k + 1;
    omap_identity(&b.map, (uint32_t)len, off);
    vnp_vec_push(d->blocks, b);
    off += len + 1;
  }
  segment_run(d);
  int maxlevel = 0, n = 0;
  for (const vnp_node *x; (x = nth(d->root, n)) != NULL; n++)
    if (x->level > maxlevel)
      maxlevel = x->level;
  cr_expect_eq(n, 24);
  cr_expect_eq(maxlevel, VNP_MAX_DEPTH);
  int warned = count_diag(d, "depth-limit");
  cr_expect_eq(warned, 1);
  doc_free(d);
  vnp_rules_free(rs);
  vnp_buf_free(&text);
  remove(path);
  rmdir(dir);
}

/* ---- OCR ---- */

/* Roman numbers as Tesseract misreads them (corpus/ocr): repaired only
 * when they continue the previous Roman heading. */
Test(segment, ocr_roman_repaired_from_context) {
  vnp_doc *d = mkdoc("I- QUAN ĐIỂM CHỈ ĐẠO\n1. Một\nH- MỤC TIÊU\n"
                     "HI- NHIỆM VỤ\n1V- TỔ CHỨC THỰC HIỆN\nV- KINH PHÍ\n"
                     "VỊ- CHẾ ĐỘ BÁO CÁO\n");
  const char *labels[] = {"I-", "II-", "III-", "IV-", "V-", "VI-"};
  const char *numbers[] = {"I", "II", "III", "IV", "V", "VI"};
  int k = 0;
  for (const vnp_node *n = d->root->first; n; n = n->next, k++) {
    cr_assert_lt(k, 6);
    cr_expect_str_eq(n->label, labels[k]);
    cr_expect_str_eq(n->number, numbers[k]);
    cr_expect_str_eq(n->style, "roman-");
    cr_expect_eq(n->level, 1);
  }
  cr_expect_eq(k, 6);
  int repairs = count_diag(d, "ocr-repair");
  cr_expect_eq(repairs, 4);
  doc_free(d);
  /* "IH-" after "I-": "H" as one "I" when "II" does not follow */
  d = mkdoc("I- MỤC ĐÍCH\nIH- NHIỆM VỤ\n");
  cr_expect_str_eq(nth(d->root, 1)->label, "II-");
  doc_free(d);
  /* "11." / "lII." after "I.": dotted style kept */
  d = mkdoc("I. MỤC ĐÍCH\n11. NỘI DUNG\nlII. TỔ CHỨC THỰC HIỆN\n");
  cr_expect_str_eq(nth(d->root, 1)->label, "II.");
  cr_expect_str_eq(nth(d->root, 2)->label, "III.");
  cr_expect_eq(nth(d->root, 2)->level, 1);
  doc_free(d);
  /* no Roman sibling before: "11." is an arabic heading, "H-" a letter */
  d = mkdoc("1. MỘT\n11. MƯỜI MỘT\n");
  cr_expect_str_eq(nth(d->root, 1)->label, "11.");
  doc_free(d);
  /* an arabic list that reaches 11 under a Roman heading stays arabic */
  d = mkdoc("I. MỤC ĐÍCH\n9. CHÍN\n10. MƯỜI\n11. MƯỜI MỘT\n");
  cr_expect_str_eq(nth(d->root, 3)->label, "11.");
  cr_expect_eq(nth(d->root, 3)->level, 2);
  doc_free(d);
  /* not the next number: no repair, a paragraph of "I." */
  d = mkdoc("I. MỤC ĐÍCH\n1V. BA\n");
  cr_expect_null(nth(d->root, 1));
  cr_expect_eq(nth(d->root, 0)->paras.n, 1);
  doc_free(d);
}

/* A Roman number that repeats its sibling lost a stroke (corpus/ocr/clean
 * seed-002: "I- ĐẶC ĐIỂM ... I- QUAN ĐIỂM ... HI- MỤC TIÊU"; seed-003:
 * "II. NỘI DUNG ... II. TỔ CHỨC THỰC HIỆN"). */
Test(segment, ocr_roman_lost_stroke) {
  vnp_doc *d = mkdoc("I- ĐẶC ĐIỂM TÌNH HÌNH\nI- QUAN ĐIỂM CHỈ ĐẠO\n"
                     "HI- MỤC TIÊU\nIV- NHIỆM VỤ\n");
  const char *labels[] = {"I-", "II-", "III-", "IV-"};
  int k = 0;
  for (const vnp_node *n = d->root->first; n; n = n->next, k++) {
    cr_assert_lt(k, 4);
    cr_expect_str_eq(n->label, labels[k]);
    cr_expect_eq(n->level, 1);
  }
  cr_expect_eq(k, 4);
  doc_free(d);
  d = mkdoc("I. MỤC ĐÍCH\nII. NỘI DUNG\n1. Một\nII. TỔ CHỨC THỰC HIỆN\n");
  cr_expect_str_eq(nth(d->root, 3)->label, "III.");
  cr_expect_str_eq(nth(d->root, 3)->number, "III");
  doc_free(d);
  /* "III" repeated: "IV" is not "III" plus a stroke, nothing repaired */
  d = mkdoc("I. MỘT\nII. HAI\nIII. BA\nIII. BA NỮA\n");
  cr_expect_str_eq(nth(d->root, 3)->label, "III.");
  doc_free(d);
}

/* The first Roman heading read as "1." (corpus/ocr/degraded seed-004 and
 * 19_kh134: '1. MỤC ĐÍCH, YÊU CẦU' then '1. Mục đích'): "I." only when
 * its title is upper case and the next numbered line is a plain "1." with
 * a sentence-case title; a later "II." read "1." when the arabic list
 * would restart. */
Test(segment, ocr_first_roman_from_child) {
  vnp_doc *d = mkdoc("1. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\n2. Yêu cầu\n"
                     "1. NỘI DUNG\n1. Tuyên truyền\nIII. TỔ CHỨC\n");
  const vnp_node *n = nth(d->root, 0);
  cr_assert_not_null(n);
  cr_expect_str_eq(n->label, "I.");
  cr_expect_str_eq(n->number, "I");
  cr_expect_str_eq(n->style, "roman.");
  cr_expect_str_eq(n->title, "MỤC ĐÍCH, YÊU CẦU");
  cr_expect_eq(n->level, 1);
  /* pre-order: I. 1. 2. II. 1. III. */
  const char *labels[] = {"I.", "1.", "2.", "II.", "1.", "III."};
  const int levels[] = {1, 2, 2, 1, 2, 1};
  for (int k = 0; k < 6; k++) {
    cr_assert_not_null(nth(d->root, k));
    cr_expect_str_eq(nth(d->root, k)->label, labels[k]);
    cr_expect_eq(nth(d->root, k)->level, levels[k]);
  }
  cr_expect_str_eq(nth(d->root, 3)->number, "II");
  cr_expect_str_eq(nth(d->root, 3)->title, "NỘI DUNG");
  cr_expect_null(nth(d->root, 6));
  int repairs = count_diag(d, "ocr-repair");
  cr_expect_eq(repairs, 2);
  doc_free(d);
  /* an arabic list of upper-case headings: "2." or "1.1." follows */
  d = mkdoc("1. MỤC ĐÍCH\n2. NỘI DUNG\n");
  cr_expect_str_eq(nth(d->root, 0)->label, "1.");
  doc_free(d);
  d = mkdoc("1. MỤC ĐÍCH\n1.1. Mục đích\n");
  cr_expect_str_eq(nth(d->root, 0)->label, "1.");
  doc_free(d);
  /* sentence-case title, or an upper-case "1." after it: not confirmed */
  d = mkdoc("1. Mục đích\n1. Một\n");
  cr_expect_str_eq(nth(d->root, 0)->label, "1.");
  doc_free(d);
  d = mkdoc("1. MỤC ĐÍCH\n1. NỘI DUNG\n");
  cr_expect_str_eq(nth(d->root, 0)->label, "1.");
  doc_free(d);
  /* 'IL' and '1L.' (corpus/ocr/degraded seed-000, seed-003): confirmed
   * by a sentence-case "1." child or by a later "II." */
  d = mkdoc("IL MỤC ĐÍCH, YÊU CẦU:\n1. Nhằm cụ thể hóa\n");
  cr_assert_not_null(nth(d->root, 0));
  cr_expect_str_eq(nth(d->root, 0)->label, "I.");
  cr_expect_str_eq(nth(d->root, 0)->title, "MỤC ĐÍCH, YÊU CẦU");
  cr_expect_eq(nth(d->root, 1)->level, 2);
  doc_free(d);
  d = mkdoc("1L. MỤC ĐÍCH, YÊU CẦU\n- Cụ thể hóa hướng dẫn.\n"
            "II. NỘI DUNG\n");
  cr_assert_not_null(nth(d->root, 0));
  cr_expect_str_eq(nth(d->root, 0)->label, "I.");
  cr_expect_str_eq(nth(d->root, 0)->number, "I");
  cr_expect_str_eq(nth(d->root, 2)->label, "II.");
  doc_free(d);
  /* no "1." child and no "II." later: not repaired */
  d = mkdoc("1L. MỤC ĐÍCH, YÊU CẦU\n- Cụ thể hóa hướng dẫn.\n"
            "III. NỘI DUNG\n");
  cr_expect_str_neq((char *)nth(d->root, 0)->label, "I.");
  doc_free(d);
}

/* A Roman number whose dot was lost or read as "L" (corpus/ocr 07_kh252:
 * degraded 'IL BAN HÀNH' for "II.", clean 'VIIL. MỞ RỘNG' for "VII.",
 * 'VIIIL BẢO ĐẢM' for "VIII."): "L" folds to "I" or is dropped, whichever
 * continues the previous Roman heading; the label takes its separator. */
Test(segment, ocr_roman_trailing_l) {
  vnp_doc *d = mkdoc("I. MỤC ĐÍCH\nIL BAN HÀNH CÁC VĂN BẢN\n"
                     "IIIL ĐẨY MẠNH THÔNG TIN\nIVL. THÀNH LẬP TỔ CHỨC\n");
  const char *labels[] = {"I.", "II.", "III.", "IV."};
  const char *titles[] = {"MỤC ĐÍCH", "BAN HÀNH CÁC VĂN BẢN",
                          "ĐẨY MẠNH THÔNG TIN", "THÀNH LẬP TỔ CHỨC"};
  for (int k = 0; k < 4; k++) {
    cr_assert_not_null(nth(d->root, k));
    cr_expect_str_eq(nth(d->root, k)->label, labels[k]);
    cr_expect_str_eq(nth(d->root, k)->title, titles[k]);
    cr_expect_eq(nth(d->root, k)->level, 1);
  }
  cr_expect_null(nth(d->root, 4));
  doc_free(d);
  /* neither reading continues "I.": no heading */
  d = mkdoc("I. MỤC ĐÍCH\nVIL BA BỐN NĂM\n");
  cr_expect_null(nth(d->root, 1));
  doc_free(d);
  /* a sentence-case title after "IL": no heading */
  d = mkdoc("I. MỤC ĐÍCH\nIL Hà Nội ngày mai\n");
  cr_expect_null(nth(d->root, 1));
  doc_free(d);
}

/* List letters as Tesseract misreads them (corpus/ocr/clean 04_nq03:
 * "ø)" for "g)", "1)" for "i)", "I)" and "ID)" for "l)"). */
Test(segment, ocr_letter_repaired_from_context) {
  vnp_doc *d = mkdoc("I. NHIỆM VỤ\ne) Một việc\nø) Xây dựng kế hoạch\n"
                     "h) Hai việc\n1) Thí điểm bản sao số\nk) Ba việc\n"
                     "ID) Xây dựng ngành công nghiệp\n");
  const vnp_node *h = nth(d->root, 0);
  const char *labels[] = {"e)", "g)", "h)", "i)", "k)", "l)"};
  int k = 0;
  for (const vnp_node *n = h->first; n; n = n->next, k++) {
    cr_assert_lt(k, 6);
    cr_expect_str_eq(n->label, labels[k]);
    cr_expect_eq(n->level, 2);
  }
  cr_expect_eq(k, 6);
  doc_free(d);
  /* "1)" that opens a numbered list under the letter stays "1)" */
  d = mkdoc("I. NHIỆM VỤ\nh) Các việc sau:\n1) Thứ nhất\n2) Thứ hai\n"
            "i) Việc khác\n");
  const vnp_node *hh = nth(nth(d->root, 0), 0);
  cr_assert_not_null(hh);
  cr_expect_str_eq(hh->label, "h)");
  cr_assert_not_null(hh->first);
  cr_expect_str_eq(hh->first->label, "1)");
  doc_free(d);
  /* not the next letter: "ø)" after "a)" is no heading */
  d = mkdoc("I. NHIỆM VỤ\na) Một việc\nø) Xây dựng kế hoạch\n");
  cr_expect_null(nth(nth(d->root, 0), 1));
  doc_free(d);
}

/* A two-column header flattened by OCR (corpus/ocr/clean 16_kh-mttq): the
 * motto's tail starts a line with "-" like a bullet. It is still a header
 * line (the month, read "II" by Tesseract, is repaired by the normalizer's
 * rule norm.ocr.date-eleven before this stage). */
Test(segment, ocr_flattened_header) {
  vnp_doc *d = mkdoc(
      "ỦY BAN MTTQ VIỆT NAM PHƯỜNG BẮC CAM RANH BAN THƯỜNG TRỰC\n"
      "Số: /KH-MTTQ-BTT I CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập\n"
      "- Tự do - Hạnh phúc Bắc Cam Ranh, ngày tháng 11 năm 2025\n"
      "KẾ HOẠCH\n"
      "Kiểm tra, giám sát công tác bầu cử\n\n"
      "Căn cứ Luật Bầu cử;\n");
  cr_assert_not_null(d->type.text);
  cr_expect_str_eq(d->type.text, "KẾ HOẠCH");
  cr_assert_not_null(d->date.text);
  cr_expect_str_eq(d->date.text, "2025-11");
  cr_assert_not_null(d->place.text);
  cr_expect_str_eq(d->place.text, "Bắc Cam Ranh");
  cr_assert_not_null(d->title.text);
  cr_expect_str_eq(d->title.text, "Kiểm tra, giám sát công tác bầu cử");
  doc_free(d);
}

/* Layout-preserving PDF text (modelled on corpus 19_kh134): the two
 * columns of the header and of the footer are split at their wide gaps;
 * a one-clause sentence with its own bullets, among numbered siblings
 * that are titles, is a title too. */
Test(segment, pdf_layout_columns) {
  vnp_doc *d = mkdoc_path("tests/data", "pdf-layout-columns.txt");
  cr_assert_not_null(d->issuer.text);
  cr_expect_str_eq(d->issuer.text, "ỦY BAN NHÂN DÂN TỈNH LÀO CAI");
  cr_expect_str_eq(d->number.text, "134/KH-UBND");
  cr_expect_str_eq(d->date.text, "2026-03-26");
  cr_expect_str_eq(d->place.text, "Lào Cai");
  const vnp_node *s1 = nth(d->root, 0);
  cr_assert_not_null(s1);
  const vnp_node *t2 = s1->first ? s1->first->next : NULL;
  cr_assert_not_null(t2);
  cr_expect_str_eq(t2->label, "2.");
  cr_expect(t2->heading, "a one-clause sentence with bullets is a title");
  const vnp_node *t3 = t2->next;
  cr_assert_not_null(t3);
  cr_expect_not(t3->heading, "a sentence of several clauses stays text");
  cr_assert_eq(d->recipients.n, 4, "%zu recipients", d->recipients.n);
  cr_expect_str_eq(d->recipients.v[0].text, "Như Điều 3");
  cr_expect_str_eq(d->recipients.v[3].text, "Lưu: VT, TH.");
  cr_assert_not_null(d->signature.signer.text);
  cr_expect_str_eq(d->signature.signer.text, "Nguyễn Thế Phước");
  cr_expect_str_eq(d->signature.position.text, "PHÓ CHỦ TỊCH");
  doc_free(d);
}

/* A thuvienphapluat-style one-line header with a "BỘ ..." issuer, a caps
 * title followed at once by the preamble sentence, and an annex right
 * under the one-line footer (modelled on corpus 17_kh09). */
Test(segment, oneline_header_and_annex) {
  vnp_doc *d = mkdoc_path("tests/data", "oneline-header-annex.txt");
  cr_assert_not_null(d->issuer.text);
  cr_expect_str_eq(d->issuer.text, "BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG");
  cr_assert_not_null(d->title.text);
  cr_expect_str_eq(d->title.text, "TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 13/CT-TTG "
                                  "NGÀY 02 THÁNG 5 NĂM 2024 CỦA THỦ TƯỚNG "
                                  "CHÍNH PHỦ");
  cr_assert_eq(d->preamble.n, 1);
  cr_assert_eq(d->recipients.n, 3, "%zu recipients", d->recipients.n);
  cr_expect_str_eq(d->recipients.v[2].text, "Lưu VT, VP(TH), BĐKH.");
  int annex = 0;
  for (const vnp_node *n = d->root->first; n; n = n->next)
    annex += n->label && strcmp(n->label, "PHỤ LỤC") == 0;
  cr_expect_eq(annex, 1, "the annex is a section of its own");
  doc_free(d);
}

/* "Nơi nhận:" with nothing after it (corpus/ocr/degraded seed-001: the
 * last page was lost by Tesseract) is reported; a complete footer is not. */
Test(segment, recipients_heading_without_recipients) {
  vnp_doc *d = mkdoc("I. NHIỆM VỤ\n1. Tổ chức thực hiện.\nNơi nhận:\n");
  int n = count_diag(d, "recipients-empty");
  cr_expect_eq(n, 1);
  doc_free(d);
  d = mkdoc("I. NHIỆM VỤ\n1. Tổ chức thực hiện.\nNơi nhận:\n- Như trên;\n"
            "- Lưu VT.\n");
  n = count_diag(d, "recipients-empty");
  cr_expect_eq(n, 0);
  cr_expect_eq(d->recipients.n, 2);
  doc_free(d);
}

/* Section kinds survive lost or changed diacritics. */
Test(segment, ocr_kinds_without_marks) {
  vnp_doc *d = mkdoc("I. MUC DICH, YEU CAU\nII. NHIEM VU\n"
                     "III. TÔ CHỨC THỰC HIỆN\nIV. KINH PHI\n"
                     "V. NHUNG DIEU KHAC\n");
  cr_expect_str_eq(nth(d->root, 0)->kind, "purpose");
  cr_expect_str_eq(nth(d->root, 1)->kind, "tasks");
  cr_expect_str_eq(nth(d->root, 2)->kind, "implementation");
  cr_expect_str_eq(nth(d->root, 3)->kind, "funding");
  cr_expect_str_eq(nth(d->root, 4)->kind, "other");
  doc_free(d);
}

/* ---- web and PDF layouts (tests/data, synthetic documents) ---- */

static int has_diag(const vnp_doc *d, const char *code) {
  for (size_t i = 0; i < d->diags.n; i++)
    if (strcmp(d->diags.v[i].code, code) == 0)
      return 1;
  return 0;
}

/* Header cells on lines of their own between lone "|" lines, every cell
 * hard-wrapped; body hard-wrapped without blank lines; footer as table
 * rows; an attachment with "(Ban hành kèm theo ...)" under its title. */
Test(segment, layout_pipe_cells_wrapped) {
  vnp_doc *d = mkdoc_path("tests/data", "pipe-cells-wrapped.txt");
  cr_expect_str_eq(d->type.text, "QUYẾT ĐỊNH");
  cr_expect_str_eq(d->type_key.text, "decision");
  cr_expect_str_eq(d->number.text, "3210/QĐ-UBND");
  cr_expect_str_eq(d->date.text, "2014-06-28");
  cr_expect_str_eq(d->place.text, "Thành phố Hồ Chí Minh");
  cr_expect_str_eq(d->issuer.text, "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH");
  cr_expect_str_eq(d->authority.text,
                   "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH");
  cr_expect_str_eq(d->title.text,
                   "VỀ BAN HÀNH KẾ HOẠCH TRIỂN KHAI THỰC HIỆN THÔNG TƯ SỐ "
                   "09/2013/TT-BXD VỀ HỖ TRỢ NGƯỜI CÓ CÔNG VỚI CÁCH MẠNG VỀ "
                   "NHÀ Ở");
  /* preamble: 3 bases joined across their wraps, the formula, and the
   * attachment's "(Ban hành kèm theo ...)" */
  cr_assert_eq(d->preamble.n, 5);
  cr_expect_str_eq(d->preamble.v[1].text,
                   "Căn cứ Quyết định số 22/2013/QĐ-TTg ngày 26 tháng 4 năm "
                   "2013 của Thủ tướng Chính phủ về hỗ trợ người có công với "
                   "cách mạng về nhà ở;");
  cr_expect_str_eq(d->preamble.v[3].text, "QUYẾT ĐỊNH:");
  cr_expect(strncmp(d->preamble.v[4].text, "(Ban hành kèm theo", 18) == 0);
  /* articles: wrapped text joined, also after "Điều 1. Ban" */
  const vnp_node *a1 = nth(d->root, 0);
  cr_expect_str_eq(a1->label, "Điều 1.");
  cr_expect_str_eq(a1->text,
                   "Ban hành kèm theo Quyết định này Kế hoạch triển khai "
                   "thực hiện Thông tư số 09/2013/TT-BXD trên địa bàn Thành "
                   "phố Hồ Chí Minh.");
  const vnp_node *a3 = nth(d->root, 2);
  cr_expect_str_eq(a3->label, "Điều 3.");
  cr_expect_eq(a3->paras.n, 0);
  cr_expect(strstr(a3->text, "Sở Xây dựng, Giám đốc Sở Tài chính") != NULL);
  /* footer rows: recipients column and signature column */
  cr_assert_eq(d->recipients.n, 3);
  cr_expect_str_eq(d->recipients.v[0].text, "Như Điều 3");
  cr_expect_str_eq(d->recipients.v[2].text, "Lưu: VT.");
  cr_expect_str_eq(d->signature.deputy.text, "KT. CHỦ TỊCH");
  cr_expect_str_eq(d->signature.position.text, "PHÓ CHỦ TỊCH");
  cr_expect_str_eq(d->signature.signer.text, "Nguyễn Hữu Tín");
  /* attachment: title ends before "(Ban hành kèm theo" */
  cr_assert_eq(d->attachments.n, 1);
  cr_expect_str_eq(d->attachments.v[0].title,
                   "TRIỂN KHAI THỰC HIỆN THÔNG TƯ SỐ 09/2013/TT-BXD TRÊN ĐỊA "
                   "BÀN THÀNH PHỐ HỒ CHÍ MINH");
  /* heading tree of the attachment: "I.      " runs and a tab collapse */
  const char *want[][3] = {
      {"1", "I.", "MỤC ĐÍCH - YÊU CẦU"},
      {"2", "1.", "Mục đích"},
      {"2", "2.", "Yêu cầu"},
      {"1", "II.", "NỘI DUNG THỰC HIỆN"},
      {"2", "1.", "Xác định đối tượng được hỗ trợ về nhà ở"},
      {"2", "2.",
       "Trình tự, thời gian lập và phê duyệt danh sách hỗ trợ nhà ở"},
      {"1", "III.", "TỔ CHỨC THỰC HIỆN"}};
  const vnp_node *n = nth(d->root, 3);
  for (size_t k = 0, i = 3; k < 7; i++) {
    n = nth(d->root, (int)i);
    cr_assert_not_null(n);
    if (n->type != NODE_SECTION)
      continue;
    cr_expect_eq(n->level, atoi(want[k][0]), "%s", want[k][2]);
    cr_expect_str_eq(n->label, want[k][1]);
    cr_expect_str_eq(n->title, want[k][2]);
    cr_expect_eq(n->part, 1);
    k++;
  }
  /* "2. Yêu cầu" keeps its wrapped paragraph apart, joined whole */
  const vnp_node *y = nth(d->root, 7);
  cr_assert_str_eq(y->label, "2.");
  cr_assert_eq(y->paras.n, 1);
  cr_expect_str_eq(y->paras.v[0].text,
                   "Việc hỗ trợ nhà ở cho người có công với cách mạng phải bảo "
                   "đảm công khai, minh bạch, tránh thất thoát, bảo đảm phân "
                   "bổ công bằng và hợp lý các nguồn lực hỗ trợ.");
  /* "20132015" repaired */
  const vnp_node *t = nth(d->root, 10);
  cr_assert_str_eq(t->label, "2.");
  cr_expect(strstr(t->paras.v[0].text, "giai đoạn 2013-2015") != NULL);
  doc_free(d);
}

/* Header rows with trailing " |", the republic's name over two rows,
 * lost dashes in the motto and the number, site boilerplate and a metadata
 * table first, a title-case type line, "Phần I" parts, "I)" numbering. */
Test(segment, layout_trailing_pipes_boilerplate) {
  vnp_doc *d = mkdoc_path("tests/data", "trailing-pipes-boilerplate.txt");
  cr_expect_str_eq(d->type.text, "Kế hoạch");
  cr_expect_str_eq(d->type_key.text, "plan");
  cr_expect_str_eq(d->number.text, "1961/KHUBND");
  cr_expect_str_eq(d->date.text, "2022-07-13");
  cr_expect_str_eq(d->place.text, "Ninh Bình");
  cr_expect_str_eq(d->issuer.text, "ỦY BAN NHÂN DÂN TỈNH NINH BÌNH");
  cr_expect_str_eq(d->title.text,
                   "Tuyên truyền, phổ biến Nghị quyết số 20-NQ/TW về tiếp tục "
                   "đổi mới, phát triển và nâng cao hiệu quả kinh tế tập thể "
                   "giai đoạn 2022-2030");
  /* the boilerplate is kept, in the preamble, and reported */
  cr_assert_eq(d->preamble.n, 4);
  cr_expect_str_eq(d->preamble.v[1].text, "VĂN BẢN PHÁP LUẬT TRỰC TUYẾN");
  cr_expect(has_diag(d, "site-boilerplate"));
  const char *want[][3] = {{"1", "Phần I", "Tình hình chung"},
                           {"2", "I)", "ĐẶC ĐIỂM TÌNH HÌNH"},
                           {"1", "PHẦN II.", "NHIỆM VỤ VÀ GIẢI PHÁP"},
                           {"2", "I)", "MỤC ĐÍCH, YÊU CẦU"},
                           {"2", "II)", "NHIỆM VỤ CỤ THỂ"}};
  for (int k = 0; k < 5; k++) {
    const vnp_node *n = nth(d->root, k);
    cr_assert_not_null(n);
    cr_expect_eq(n->level, atoi(want[k][0]), "%s", want[k][2]);
    cr_expect_str_eq(n->label, want[k][1]);
    cr_expect_str_eq(n->title, want[k][2]);
  }
  cr_expect_str_eq(nth(d->root, 1)->kind, "situation");
  cr_expect_str_eq(nth(d->root, 3)->kind, "purpose");
  cr_assert_eq(d->recipients.n, 2);
  cr_expect_str_eq(d->signature.on_behalf.text, "TM. ỦY BAN NHÂN DÂN");
  cr_expect_str_eq(d->signature.deputy.text, "KT. CHỦ TỊCH");
  cr_expect_str_eq(d->signature.signer.text, "Nguyễn Cao Sơn");
  doc_free(d);
}

/* Unnumbered upper-case sub-headings: only between sentences inside a
 * section; a run of upper-case lines (slogans) stays text. */
Test(segment, unnumbered_caps_subheadings) {
  vnp_doc *d = mkdoc("I. NHIỆM VỤ\nCác cơ quan thực hiện tốt nhiệm vụ.\n"
                     "NHIỆM VỤ CỤ THỂ\n1. Tuyên truyền sâu rộng.\n"
                     "2. Kiểm tra, giám sát.\nNHIỆM VỤ THƯỜNG XUYÊN\n"
                     "Các sở tổ chức thực hiện.\nII. KHẨU HIỆU\n"
                     "Các sở treo khẩu hiệu sau:\n"
                     "ĐẢNG CỘNG SẢN VIỆT NAM QUANG VINH\n"
                     "THI ĐUA LẬP THÀNH TÍCH CHÀO MỪNG ĐẠI HỘI\n"
                     "Các sở thực hiện.\n");
  const vnp_node *c = nth(d->root, 1);
  cr_assert_not_null(c);
  cr_expect_str_eq(c->style, "caps");
  cr_expect_str_eq(c->label, "");
  cr_expect_str_eq(c->title, "NHIỆM VỤ CỤ THỂ");
  cr_expect_eq(c->level, 2);
  cr_expect_str_eq(c->kind, "tasks");
  cr_expect_eq(nth(d->root, 2)->level, 3); /* "1." under it */
  const vnp_node *c2 = nth(d->root, 4);
  cr_expect_str_eq(c2->title, "NHIỆM VỤ THƯỜNG XUYÊN");
  cr_expect_eq(c2->level, 2);
  const vnp_node *k = nth(d->root, 5);
  cr_expect_str_eq(k->label, "II.");
  cr_expect_null(k->first);
  cr_expect_eq(k->paras.n, 4);
  /* the motto words of a slogan are no header start */
  cr_expect_eq(d->preamble.n, 0);
  cr_expect(!has_diag(d, "site-boilerplate"));
  doc_free(d);
  /* outside any section (title, authority lines) never */
  d = mkdoc("Các cơ quan thực hiện.\nNHIỆM VỤ CỤ THỂ\nCác sở thực hiện.\n");
  cr_expect_null(d->root->first);
  doc_free(d);
}

/* Arabic numbers misread as "I." / "l." or with a comma, under a Roman
 * heading (corpus/ocr/degraded 04: "I.MỤC TIÊU" then "I. Tổ chức ..."). */
Test(segment, ocr_arabic_repaired_from_context) {
  vnp_doc *d = mkdoc("I. MỤC TIÊU\nI. Tổ chức thể chế hóa các quan điểm\n"
                     "2. Hoàn thiện thể chế\n3, Tăng cường đầu tư\n"
                     "II. NHIỆM VỤ\nl. Nâng cao nhận thức\n");
  const char *labels[] = {"I.", "1.", "2.", "3.", "II.", "1."};
  const int levels[] = {1, 2, 2, 2, 1, 2};
  for (int k = 0; k < 6; k++) {
    const vnp_node *n = nth(d->root, k);
    cr_assert_not_null(n, "node %d", k);
    cr_expect_str_eq(n->label, labels[k]);
    cr_expect_eq(n->level, levels[k], "node %d", k);
  }
  cr_expect_str_eq(nth(d->root, 1)->style, "arabic.");
  doc_free(d);
  /* no heading above: "I." with a sentence-case title is no arabic 1 */
  d = mkdoc("I. Tổ chức thể chế hóa các quan điểm\n");
  cr_expect_str_eq(nth(d->root, 0)->label, "I.");
  doc_free(d);
}
