/*
 * test_genre.c - whole-document extraction on forms of the genre that the
 * corpus documents do not use, in two documents written for these tests
 * in the shape of real ones: tests/data/district-plan-forms.txt (a
 * district plan: field lines, a funding section, numeric aims under "MỤC
 * ĐÍCH, YÊU CẦU", deadlines with a due day every quarter) and
 * tests/data/party-programme-forms.txt (a provincial party committee's
 * action programme: "I-", "1-", "2.1-", "III/", "1/" numbering).
 *
 * Every expected value was read off the test document by eye; end dates
 * are exclusive (a deadline "trước ngày 31/3/2024" ends 2024-03-31, "đến
 * hết tháng 12/2024" ends 2025-01-01).
 */
#include "test_util.h"
#include "vnplan.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static vnp_rules *R;
static json_t *DOC, *PROG;

/* The parse JSON of tests/data/NAME. */
static json_t *parse_data(const char *name) {
  char path[256];
  snprintf(path, sizeof path, "../tests/data/%s", name);
  size_t n;
  char *text = tu_corpus(path, &n);
  vnp_pipeline *p = vnp_pipeline_new(R, NULL);
  vnp_pipeline_feed(p, text, n);
  vnp_pipeline_finish(p);
  char *js = vnp_pipeline_json(p, 0, NULL);
  json_error_t e;
  json_t *doc = json_loads(js, 0, &e);
  cr_assert(doc, "parse JSON of %s: %s", name, e.text);
  vnp_free(js);
  vnp_pipeline_free(p);
  free(text);
  return doc;
}

static void load(void) {
  R = tu_rules_load();
  DOC = parse_data("district-plan-forms.txt");
  PROG = parse_data("party-programme-forms.txt");
}

static void unload(void) {
  json_decref(DOC);
  json_decref(PROG);
  vnp_rules_free(R);
}

TestSuite(genre, .init = load, .fini = unload);

/* The task with this id (fails when absent). */
static json_t *task(const char *id) {
  json_t *tasks = json_object_get(DOC, "tasks"), *t;
  size_t i;
  json_array_foreach(tasks, i, t) {
    if (strcmp(json_string_value(json_object_get(t, "id")), id) == 0)
      return t;
  }
  cr_assert_fail("no task %s", id);
  return NULL;
}

/* The texts of a task's bodies under `key`, joined by " | ". */
static void bodies(const char *id, const char *key, char *out, size_t n) {
  json_t *v = json_object_get(task(id), key), *b;
  size_t i;
  out[0] = 0;
  json_array_foreach(v, i, b) {
    if (i)
      strncat(out, " | ", n - strlen(out) - 1);
    strncat(out, json_string_value(json_object_get(b, "text")),
            n - strlen(out) - 1);
  }
}

/* The one deadline of a task. */
static json_t *deadline(const char *id) {
  json_t *v = json_object_get(task(id), "deadline");
  cr_assert_eq(json_array_size(v), 1, "task %s: %zu deadlines", id,
               json_array_size(v));
  return json_array_get(v, 0);
}

static const char *str(json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

Test(genre, gazetteer_name_with_its_place_leads) {
  char b[512];
  bodies("II.1.1", "lead", b, sizeof b);
  cr_assert_str_eq(b, "Văn phòng HĐND và UBND huyện");
  bodies("II.1.1", "partners", b, sizeof b);
  cr_assert_str_eq(b, "Phòng Nội vụ");
}

Test(genre, report_to_stops_before_the_time_phrase) {
  char b[512];
  bodies("IV.2", "report_to", b, sizeof b);
  cr_assert_str_eq(b, "Phòng Nội vụ");
  json_t *d = deadline("IV.2");
  cr_assert_str_eq(str(d, "end"), "2024-01-20");
  cr_assert_str_eq(str(d, "mod"), "BEFORE");
}

Test(genre, periodic_every_quarter_mid_sentence) {
  json_t *d = deadline("IV.1");
  cr_assert_str_eq(str(d, "kind"), "recurring");
  cr_assert_str_eq(str(json_object_get(d, "recurrence"), "every"), "P3M");
}

Test(genre, field_lines_of_a_lettered_item) {
  char b[512];
  bodies("II.2.a", "lead", b, sizeof b);
  cr_assert_str_eq(b, "Phòng Tư pháp");
  json_t *d = deadline("II.2.a");
  cr_assert_str_eq(str(d, "start"), "2024-10-01");
  cr_assert_str_eq(str(d, "end"), "2024-11-01");
}

/* numeric aims stated under "Mục đích" are targets */
Test(genre, targets_in_a_purpose_section) {
  json_t *tg = json_object_get(DOC, "targets"), *t;
  size_t i;
  int rate = 0, up = 0, least = 0;
  json_array_foreach(tg, i, t) {
    double v = json_number_value(json_object_get(t, "value"));
    const char *cmp = str(t, "comparator");
    const char *ind = str(t, "indicator");
    if (v == 98 && strcmp(cmp, "gt") == 0 && ind &&
        strcmp(ind, "Tỷ lệ hồ sơ giải quyết đúng hạn") == 0)
      rate = 1;
    if (v == 85 && strcmp(cmp, "gte") == 0)
      up = 1;
    if (v == 80 && strcmp(cmp, "gte") == 0 &&
        json_integer_value(json_object_get(t, "horizon")) == 2025)
      least = 1;
  }
  cr_assert(rate, "no 'Tỷ lệ ... đạt trên 98%%' target");
  cr_assert(up, "no '85%% trở lên' (gte) target");
  cr_assert(least, "no 'Đến năm 2025 ... ít nhất 80%%' target");
}

/* The child of `node` whose label is `label` (fails when absent). */
static json_t *child(json_t *node, const char *label) {
  json_t *kids = json_is_array(node) ? node : json_object_get(node, "children");
  json_t *c;
  size_t i;
  json_array_foreach(kids, i, c) {
    const char *l = str(c, "label");
    if (l && strcmp(l, label) == 0)
      return c;
  }
  cr_assert_fail("no child %s", label);
  return NULL;
}

Test(genre, dotted_numbers_with_a_dash_are_headings) {
  json_t *ii2 = child(child(json_object_get(PROG, "sections"), "II-"), "2-");
  json_t *a = child(ii2, "2.1-"), *b = child(ii2, "2.2-");
  cr_assert_str_eq(str(a, "text"),
                   "Rà soát, điều chỉnh quy hoạch chung các đô thị, hoàn "
                   "thành trong năm 2023.");
  cr_assert_str_eq(str(b, "text"),
                   "Xây dựng chương trình phát triển đô thị toàn tỉnh.");
  json_t *iii = child(json_object_get(PROG, "sections"), "III/");
  child(iii, "1/");
  child(iii, "3/");
}

/* ---- layouts: footers read by OCR from two columns, parts and chapters
 * ---- */

static json_t *COLS, *GLUED;

static void load_footers(void) {
  R = tu_rules_load();
  COLS = parse_data("ocr-footer-columns.txt");
  GLUED = parse_data("ocr-footer-glued.txt");
}

static void unload_footers(void) {
  json_decref(COLS);
  json_decref(GLUED);
  vnp_rules_free(R);
}

TestSuite(layout, .init = load_footers, .fini = unload_footers);

/* The recipients' texts joined by " | ". */
static void recipients(json_t *doc, char *out, size_t n) {
  json_t *v = json_object_get(doc, "recipients"), *r;
  size_t i;
  out[0] = 0;
  json_array_foreach(v, i, r) {
    if (i)
      strncat(out, " | ", n - strlen(out) - 1);
    strncat(out, str(r, "text"), n - strlen(out) - 1);
  }
}

/* each row holds a recipient on the left and a piece of the signature on
 * the right: the rows below a signature piece are still recipients */
Test(layout, signature_column_beside_the_list) {
  char b[1024];
  recipients(COLS, b, sizeof b);
  cr_assert_str_eq(b, "Bộ Văn hóa, Thể thao và Du lịch | TT. Tỉnh ủy, HĐND "
                      "tỉnh | Các sở, ban, ngành tỉnh | UBND các huyện, "
                      "thành phố | Lãnh đạo VPUBND tỉnh | Lưu: VT, KGVX.");
  json_t *sg = json_object_get(COLS, "signature");
  cr_assert_str_eq(str(sg, "on_behalf"), "TM. ỦY BAN NHÂN DÂN");
  cr_assert_str_eq(str(sg, "deputy"), "KT. CHỦ TỊCH");
  cr_assert_str_eq(str(sg, "position"), "PHÓ CHỦ TỊCH");
  cr_assert_str_eq(str(sg, "signer"), "Trần Thị Hoa");
  /* each field points to its own bytes */
  size_t n;
  char *text = tu_corpus("../tests/data/ocr-footer-columns.txt", &n);
  const char *keys[] = {"on_behalf", "deputy", "position", "signer"};
  for (size_t i = 0; i < 4; i++) {
    json_t *sp = json_object_get(json_object_get(sg, "spans"), keys[i]);
    size_t s = json_integer_value(json_object_get(sp, "start"));
    size_t e = json_integer_value(json_object_get(sp, "end"));
    const char *want = str(sg, keys[i]);
    cr_assert(e <= n && e - s == strlen(want) && !strncmp(text + s, want, e - s),
              "%s: %zu..%zu is not '%s'", keys[i], s, e, want);
  }
  free(text);
}

/* the list and the whole signature on one line, ';' read as ':' and a
 * stray '!' from the column rule */
Test(layout, signature_glued_after_the_list) {
  char b[1024];
  recipients(GLUED, b, sizeof b);
  cr_assert_str_eq(b, "Ban Thường trực Ủy ban MTTQ huyện | Đảng ủy xã | Lưu: "
                      "MTTQ");
  json_t *sg = json_object_get(GLUED, "signature");
  cr_assert_str_eq(str(sg, "on_behalf"), "TM. BAN THƯỜNG TRỰC");
  cr_assert_str_eq(str(sg, "position"), "CHỦ TỊCH");
  cr_assert_str_eq(str(sg, "signer"), "Lê Văn Ba");
}

/* ---- parts, chapters and articles ---- */

/* "Phần" > "Chương" > "Điều" > "1.": a chapter nests under its part, an
 * article under its chapter, and the next part closes both */
Test(layout, parts_chapters_articles_nest) {
  json_t *doc = parse_data("regulation-parts.txt");
  json_t *secs = json_object_get(doc, "sections");
  cr_assert_eq(json_array_size(secs), 2, "%zu top sections",
               json_array_size(secs));
  json_t *p1 = child(secs, "Phần I");
  json_t *c1 = child(p1, "Chương I"), *c2 = child(p1, "Chương II");
  json_t *a1 = child(c1, "Điều 1.");
  child(c1, "Điều 2.");
  child(c2, "Điều 3.");
  child(a1, "1.");
  child(a1, "2.");
  child(child(secs, "Phần II"), "Điều 4.");
  json_decref(doc);
}

/* OCR lost the separator and a stroke of "VII." ("VI MỞ RỘNG ...") and
 * read "VIII." as "VIH.": the Roman list goes on V, VI, VII, VIII, IX */
Test(layout, roman_numbers_with_lost_separator_and_stroke) {
  json_t *doc = parse_data("ocr-roman-lost.txt");
  json_t *secs = json_object_get(doc, "sections");
  const char *want[] = {"V.", "VI.", "VII.", "VIII.", "IX."};
  cr_assert_eq(json_array_size(secs), 5, "%zu sections",
               json_array_size(secs));
  for (size_t i = 0; i < 5; i++)
    cr_assert_str_eq(str(json_array_get(secs, i), "label"), want[i]);
  cr_assert_str_eq(str(json_array_get(secs, 2), "title"),
                   "MỞ RỘNG HỢP TÁC QUỐC TẾ VỀ TÌM KIẾM");
  json_decref(doc);
}

/* a decision issuing a plan, with rules of dashes under the title and in
 * the header table: the rules are no text, the plan is an attachment */
Test(layout, decision_with_plan_and_rules) {
  json_t *doc = parse_data("decision-with-plan.txt");
  json_t *dm = json_object_get(doc, "document");
  cr_assert_str_eq(str(dm, "type_key"), "decision");
  cr_assert_str_eq(str(dm, "number"), "2150/QĐ-UBND");
  json_t *att = json_object_get(dm, "attachments");
  cr_assert_eq(json_array_size(att), 1);
  cr_assert_str_eq(str(json_array_get(att, 0), "type"), "KẾ HOẠCH");
  json_t *pre = json_object_get(doc, "preamble"), *p;
  size_t i;
  json_array_foreach(pre, i, p) {
    cr_assert(!strstr(str(p, "text"), "---"), "preamble: %s", str(p, "text"));
  }
  json_decref(doc);
}

/* OCR debris in the header: a stray ':' before the type line */
Test(layout, header_with_ocr_debris) {
  json_t *doc = parse_data("ocr-header-debris.txt");
  json_t *dm = json_object_get(doc, "document");
  cr_assert_str_eq(str(dm, "type"), "KẾ HOẠCH");
  cr_assert_str_eq(str(dm, "issuer"), "BAN CHỈ ĐẠO TỈNH VỀ CHUYỂN ĐỔI SỐ");
  cr_assert_str_eq(str(dm, "number"), "15/KH-BCĐ");
  cr_assert_str_eq(str(dm, "date"), "2024-03-04");
  cr_assert_str_eq(str(dm, "title"), "TRIỂN KHAI CHUYỂN ĐỔI SỐ NĂM 2024");
  json_decref(doc);
}

/* ---- funding: each source a fact with its kind, level and bytes ---- */

Test(genre, funding_sources_point_to_their_bytes) {
  size_t n;
  char *text = tu_corpus("../tests/data/district-plan-forms.txt", &n);
  json_t *fu = json_object_get(DOC, "funding");
  cr_assert_eq(json_array_size(fu), 2, "%zu sources", json_array_size(fu));
  json_t *a = json_array_get(fu, 0), *b = json_array_get(fu, 1);
  cr_assert_str_eq(str(a, "text"), "nguồn ngân sách huyện năm 2024");
  cr_assert_str_eq(str(a, "source"), "local_budget");
  cr_assert_str_eq(str(a, "level"), "district");
  cr_assert_str_eq(str(b, "text"), "các nguồn hợp pháp khác");
  cr_assert_str_eq(str(b, "source"), "other_lawful");
  for (size_t i = 0; i < 2; i++) {
    json_t *f = json_array_get(fu, i), *sp = json_object_get(f, "span");
    size_t s = json_integer_value(json_object_get(sp, "start"));
    size_t e = json_integer_value(json_object_get(sp, "end"));
    cr_assert(e > s && e <= n);
    cr_assert(strncmp(text + s, str(f, "text"), e - s) == 0 &&
                  strlen(str(f, "text")) == e - s,
              "span %zu..%zu is not '%s'", s, e, str(f, "text"));
  }
  free(text);
}

/* a task's result (the product its row names) points to its bytes: on
 * the 140-task table of corpus/04, every result span holds its text */
Test(layout, task_results_point_to_their_bytes) {
  const char *name = "04_nq03-nqcp-2025_chinh-phu_ctrhd-thuc-hien-nq57.txt";
  size_t n;
  char *text = tu_corpus(name, &n);
  vnp_pipeline *p = vnp_pipeline_new(R, NULL);
  vnp_pipeline_feed(p, text, n);
  vnp_pipeline_finish(p);
  char *js = vnp_pipeline_json(p, 0, NULL);
  json_t *doc = json_loads(js, 0, NULL);
  cr_assert(doc);
  json_t *tasks = json_object_get(doc, "tasks"), *t;
  size_t i, results = 0;
  json_array_foreach(tasks, i, t) {
    json_t *r = json_object_get(t, "result");
    if (json_is_null(r))
      continue;
    results++;
    json_t *sp = json_object_get(r, "span");
    size_t s = json_integer_value(json_object_get(sp, "start"));
    size_t e = json_integer_value(json_object_get(sp, "end"));
    const char *want = str(r, "text");
    cr_assert(e <= n && e - s == strlen(want) && !strncmp(text + s, want, e - s),
              "task %s: result '%s' at %zu..%zu", str(t, "id"), want, s, e);
  }
  cr_assert_geq(results, 100, "%zu results", results);
  json_decref(doc);
  vnp_free(js);
  vnp_pipeline_free(p);
  free(text);
}

/* a provincial council's resolution: "Điều 2. Tổ chức thực hiện" holds
 * tasks, "Giao <body> ..." names the lead, and the closing sentence's
 * adoption date is no deadline */
Test(layout, council_resolution_articles) {
  json_t *doc = parse_data("council-resolution.txt");
  json_t *dm = json_object_get(doc, "document");
  cr_assert_str_eq(str(dm, "type_key"), "resolution");
  cr_assert_str_eq(str(dm, "authority"), "KHÓA XVIII, KỲ HỌP THỨ 17");
  json_t *secs = json_object_get(doc, "sections");
  cr_assert_str_eq(str(child(secs, "Điều 2."), "kind"), "implementation");
  cr_assert_str_eq(str(child(secs, "Điều 1."), "kind"), "scope");
  json_t *tasks = json_object_get(doc, "tasks"), *t;
  size_t i;
  int found = 0;
  json_array_foreach(tasks, i, t) {
    if (strcmp(str(t, "id"), "2.1") == 0) {
      json_t *lead = json_object_get(t, "lead");
      cr_assert_eq(json_array_size(lead), 1);
      cr_assert_str_eq(str(json_array_get(lead, 0), "text"),
                       "Ủy ban nhân dân tỉnh");
      found = 1;
    }
    json_t *dl = json_object_get(t, "deadline"), *x;
    size_t k;
    json_array_foreach(dl, k, x) {
      cr_assert(strcmp(str(x, "text"), "tháng 12 năm 2023") != 0,
                "task %s: the adoption date read as a deadline", str(t, "id"));
    }
  }
  cr_assert(found, "no task 2.1");
  json_decref(doc);
}

/* a letter with no section kinds ("... có ý kiến như sau: 1. ... 2. ..."):
 * its numbered items are its tasks */
Test(layout, letter_items_are_tasks) {
  json_t *doc = parse_data("directive-letter.txt");
  json_t *tasks = json_object_get(doc, "tasks");
  cr_assert_eq(json_array_size(tasks), 3, "%zu tasks",
               json_array_size(tasks));
  json_t *t1 = json_array_get(tasks, 0);
  cr_assert_str_eq(str(t1, "id"), "1");
  cr_assert_str_eq(
      str(json_array_get(json_object_get(t1, "lead"), 0), "text"),
      "Phòng Văn hóa và Thông tin");
  cr_assert_str_eq(
      str(json_array_get(json_object_get(t1, "deadline"), 0), "end"),
      "2024-04-30");
  json_decref(doc);
}
