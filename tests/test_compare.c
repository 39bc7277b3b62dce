/*
 * test_compare.c - `vnplan compare`: the similarity measure on Vietnamese
 * phrases, each conflict type and the link check on small hand-made
 * parse results, gold scoring, and one real pair (05 -> 01) read by eye.
 */
#include "vnplan.h"
#include "test_util.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static vnp_rules *rules;

static void setup(void) {
  rules = tu_rules_load();
}

static void teardown(void) { vnp_rules_free(rules); }

TestSuite(compare, .init = setup, .fini = teardown);

/* ---- similarity ---- */

static double sim(const char *a, const char *b) {
  vnp_compare *c = vnp_compare_new(rules);
  double s = vnp_compare_similarity(c, a, b);
  vnp_compare_free(c);
  return s;
}

Test(compare, similarity_word_order) {
  /* same meaning, the adverbial moved to the front */
  double s = sim("Tăng cường ứng dụng chuyển đổi số trong cơ quan nhà nước",
                 "Trong cơ quan nhà nước, tăng cường ứng dụng chuyển đổi số");
  cr_assert_gt(s, 0.8, "reordered phrase: %f", s);
}

Test(compare, similarity_same_words_other_meaning) {
  /* the same syllables, opposite policy: only the bigrams tell */
  double same = sim("tăng ngân sách, giảm thuế", "tăng ngân sách, giảm thuế");
  double other = sim("tăng ngân sách, giảm thuế", "giảm ngân sách, tăng thuế");
  cr_assert_float_eq(same, 1.0, 1e-6);
  cr_assert_lt(other, 0.8, "same words, other meaning: %f", other);
  double order = sim("Tăng cường ứng dụng chuyển đổi số trong cơ quan nhà nước",
                     "Trong cơ quan nhà nước, tăng cường ứng dụng chuyển đổi "
                     "số");
  cr_assert_gt(order, other);
}

Test(compare, similarity_folds_tone_style_and_diacritics) {
  cr_assert_float_eq(sim("hòa nhập, thủy lợi", "hoà nhập, thuỷ lợi"), 1.0,
                     1e-6);
  /* OCR that lost every mark, and Đ */
  cr_assert_float_eq(sim("Đẩy mạnh chuyển đổi số", "day manh chuyen doi so"),
                     1.0, 1e-6);
}

Test(compare, similarity_unrelated_and_stopwords) {
  double s = sim("xây dựng trung tâm dữ liệu quốc gia",
                 "tổ chức bầu cử đại biểu Hội đồng nhân dân");
  cr_assert_lt(s, 0.05, "unrelated: %f", s);
  /* phrases sharing only function words (của, và, các) share nothing */
  s = sim("các trường của tỉnh và huyện", "các bệnh viện của xã và phường");
  cr_assert_lt(s, 0.01, "stopwords only: %f", s);
}

/* ---- hand-made parse results ---- */

/* A minimal parse result: one section of kind `kind` holding one item with
 * `text` (span 100..200, line 5), plus raw JSON arrays. */
static char *mkdoc(const char *number, const char *date, const char *kind,
                   const char *text, const char *tasks, const char *targets,
                   const char *cites) {
  char *s = malloc(8192);
  snprintf(s, 8192,
           "{\"schema\":\"vnplan/0.1\",\"document\":{\"number\":%s%s%s,"
           "\"date\":%s%s%s,\"issuer\":null,\"type\":\"KẾ HOẠCH\","
           "\"title\":null},\"preamble\":[],"
           "\"sections\":[{\"type\":\"section\",\"label\":\"I.\","
           "\"number\":\"I\",\"title\":\"Nhiệm vụ cụ thể của kế hoạch\","
           "\"text\":null,\"kind\":\"%s\",\"level\":1,"
           "\"span\":{\"start\":50,\"end\":80,\"line\":3},"
           "\"paragraphs\":[],\"children\":[{\"type\":\"item\","
           "\"label\":\"1.\",\"number\":\"1\",\"title\":null,\"text\":\"%s\","
           "\"kind\":null,\"level\":2,"
           "\"span\":{\"start\":100,\"end\":200,\"line\":5},"
           "\"paragraphs\":[],\"children\":[]}]}],"
           "\"tasks\":%s,\"targets\":%s,\"citations\":%s}",
           number ? "\"" : "", number ? number : "null", number ? "\"" : "",
           date ? "\"" : "", date ? date : "null", date ? "\"" : "", kind, text,
           tasks ? tasks : "[]", targets ? targets : "[]",
           cites ? cites : "[]");
  return s;
}

static const char TASK_TEXT[] =
    "Xây dựng nền tảng số dùng chung phục vụ giải quyết thủ tục hành chính "
    "trực tuyến cho người dân và doanh nghiệp";

static json_t *run(const char *parent, const char *child) {
  vnp_compare *c = vnp_compare_new(rules);
  vnp_error err;
  cr_assert_eq(vnp_compare_add(c, parent, strlen(parent), "p.json", &err), 0,
               "%s", err.message);
  cr_assert_eq(vnp_compare_add(c, child, strlen(child), "c.json", &err), 0,
               "%s", err.message);
  cr_assert_eq(vnp_compare_run(c), 0);
  char *js = vnp_compare_render(c, VNP_COMPARE_JSON, NULL);
  json_error_t je;
  json_t *root = json_loads(js, 0, &je);
  cr_assert_not_null(root, "render JSON: %s", je.text);
  vnp_free(js);
  vnp_compare_free(c);
  return root;
}

static json_t *child0(json_t *root) {
  return json_array_get(json_object_get(root, "children"), 0);
}

static int has_conflict(json_t *root, const char *type) {
  json_t *a = json_object_get(child0(root), "conflicts");
  size_t i;
  json_t *x;
  json_array_foreach(a, i, x) {
    if (strcmp(json_string_value(json_object_get(x, "type")), type) == 0)
      return 1;
  }
  return 0;
}

static const char *link_status(json_t *root) {
  return json_string_value(
      json_object_get(json_object_get(child0(root), "link"), "status"));
}

#define TASK(lead, end)                                                        \
  "[{\"id\":\"I.1\",\"section\":\"tasks\",\"text\":\"x\",\"lead\":" lead       \
  ",\"partners\":[],\"report_to\":[],\"deadline\":[{\"kind\":\"deadline\","    \
  "\"text\":\"t\",\"start\":null,\"end\":\"" end "\",\"span\":null}],"         \
  "\"span\":{\"start\":100,\"end\":200,\"line\":5}}]"
#define AGENCY                                                                 \
  "[{\"text\":\"Sở Nội vụ\",\"name\":\"Sở Nội vụ\",\"type\":\"agency\"}]"

Test(compare, conflict_deadline_later_than_parent) {
  char *p = mkdoc("10/KH-UBND", "2025-01-02", "tasks", TASK_TEXT,
                  TASK(AGENCY, "2025-06-30"), NULL, NULL);
  char *c = mkdoc("20/KH-UBND", "2025-02-01", "tasks", TASK_TEXT,
                  TASK(AGENCY, "2025-12-31"), NULL, NULL);
  json_t *r = run(p, c);
  cr_assert(has_conflict(r, "deadline"));
  cr_assert_not(has_conflict(r, "body"));
  json_decref(r);
  /* an earlier child deadline is no conflict */
  free(c);
  c = mkdoc("20/KH-UBND", "2025-02-01", "tasks", TASK_TEXT,
            TASK(AGENCY, "2025-03-31"), NULL, NULL);
  r = run(p, c);
  cr_assert_not(has_conflict(r, "deadline"));
  json_decref(r);
  free(p);
  free(c);
}

Test(compare, conflict_body_type_assigned_to_nobody) {
  char *p = mkdoc("10/KH-UBND", NULL, "tasks", TASK_TEXT,
                  TASK(AGENCY, "2025-06-30"), NULL, NULL);
  char *c = mkdoc("20/KH-UBND", NULL, "tasks", TASK_TEXT,
                  TASK("[]", "2025-06-30"), NULL, NULL);
  json_t *r = run(p, c);
  cr_assert(has_conflict(r, "body"));
  /* and the child's task without a body is a missing part */
  json_t *m = json_object_get(child0(r), "missing");
  int found = 0;
  size_t i;
  json_t *x;
  json_array_foreach(m, i, x) {
    found |= !strcmp(json_string_value(json_object_get(x, "code")),
                     "task-without-body");
  }
  cr_assert(found);
  json_decref(r);
  free(p);
  free(c);
}

#define TARGET(h, cmp, v)                                                          \
  "[{\"horizon\":" #h ",\"indicator\":\"Tỷ lệ hồ sơ giải quyết trực " \
  "tuyến\",\"comparator\":\"" cmp "\",\"value\":" #v ",\"unit\":\"%\","            \
  "\"text\":\"t\",\"span\":{\"start\":120,\"end\":130,\"line\":5}}]"

Test(compare, conflict_target_weaker) {
  char *p = mkdoc("10/KH-UBND", NULL, "objectives", TASK_TEXT, NULL,
                  TARGET(2030, "gte", 80), NULL);
  const char *weaker[] = {TARGET(2030, "gte", 70),     /* lower value */
                          TARGET(2032, "gte", 80),     /* later horizon */
                          TARGET(2030, "approx", 80)}; /* looser */
  for (int i = 0; i < 3; i++) {
    char *c = mkdoc("20/KH-UBND", NULL, "objectives", TASK_TEXT, NULL,
                    weaker[i], NULL);
    json_t *r = run(p, c);
    cr_assert(has_conflict(r, "target"), "case %d", i);
    json_decref(r);
    free(c);
  }
  const char *fine[] = {TARGET(2030, "gte", 90), TARGET(2028, "gt", 80)};
  for (int i = 0; i < 2; i++) {
    char *c =
        mkdoc("20/KH-UBND", NULL, "objectives", TASK_TEXT, NULL, fine[i], NULL);
    json_t *r = run(p, c);
    cr_assert_not(has_conflict(r, "target"), "case %d", i);
    json_decref(r);
    free(c);
  }
  /* another indicator with a lower value is not comparable */
  char *c = mkdoc("20/KH-UBND", NULL, "objectives", TASK_TEXT, NULL,
                  "[{\"horizon\":2030,\"indicator\":\"Tỷ lệ che phủ rừng\","
                  "\"comparator\":\"gte\",\"value\":40,\"unit\":\"%\","
                  "\"text\":\"t\",\"span\":null}]",
                  NULL);
  json_t *r = run(p, c);
  cr_assert_not(has_conflict(r, "target"));
  json_decref(r);
  free(c);
  free(p);
}

/* ---- link check ---- */

#define CITE(num, date)                                                        \
  "[{\"type\":\"Nghị quyết\",\"number\":\"" num "\",\"date\":" date            \
  ",\"issuer\":null,\"relation\":\"implements\","                              \
  "\"span\":{\"start\":10,\"end\":40,\"line\":2}}]"

Test(compare, link_number_and_date) {
  char *p = mkdoc("20-NQ/TW", "2022-06-16", "viewpoints", TASK_TEXT, NULL, NULL,
                  NULL);
  char *c = mkdoc("5/KH-UBND", NULL, "tasks", TASK_TEXT, NULL, NULL,
                  CITE("20-NQ/TW", "\"2022-06-16\""));
  json_t *r = run(p, c);
  cr_assert_str_eq(link_status(r), "direct");
  json_decref(r);
  free(c);
  /* the same number of 2012 is another resolution */
  c = mkdoc("5/KH-UBND", NULL, "tasks", TASK_TEXT, NULL, NULL,
            CITE("20-NQ/TW", "\"2012-11-01\""));
  r = run(p, c);
  cr_assert_str_eq(link_status(r), "date-mismatch");
  json_decref(r);
  free(c);
  /* spacing and case of the number do not matter */
  c = mkdoc("5/KH-UBND", NULL, "tasks", TASK_TEXT, NULL, NULL,
            CITE("20 - nq/tw", "null"));
  r = run(p, c);
  cr_assert_str_eq(link_status(r), "direct");
  json_decref(r);
  free(c);
  /* a child implementing another plan: the cited parent is missing */
  c = mkdoc("5/KH-UBND", NULL, "tasks", TASK_TEXT, NULL, NULL,
            CITE("88/KH-MTTQ-BTT", "\"2022-12-12\""));
  r = run(p, c);
  cr_assert_str_eq(link_status(r), "missing");
  const char *msg = json_string_value(
      json_object_get(json_object_get(child0(r), "link"), "message"));
  cr_assert(strstr(msg, "88/KH-MTTQ-BTT") != NULL, "%s", msg);
  json_decref(r);
  free(c);
  free(p);
}

Test(compare, link_indirect_through_intermediate_plan) {
  char *p = mkdoc("20-NQ/TW", "2022-06-16", "viewpoints", TASK_TEXT, NULL, NULL,
                  NULL);
  char *mid = mkdoc("88/KH-MTTQ-BTT", "2022-12-12", "tasks", TASK_TEXT, NULL,
                    NULL, CITE("20-NQ/TW", "\"2022-06-16\""));
  char *c = mkdoc("5/KH-MTTQ", NULL, "tasks", TASK_TEXT, NULL, NULL,
                  CITE("88/KH-MTTQ-BTT", "null"));
  vnp_compare *cm = vnp_compare_new(rules);
  cr_assert_eq(vnp_compare_add(cm, p, strlen(p), "p", NULL), 0);
  cr_assert_eq(vnp_compare_add(cm, mid, strlen(mid), "mid", NULL), 0);
  cr_assert_eq(vnp_compare_add(cm, c, strlen(c), "c", NULL), 0);
  cr_assert_eq(vnp_compare_run(cm), 0);
  char *js = vnp_compare_render(cm, VNP_COMPARE_JSON, NULL);
  json_t *r = json_loads(js, 0, NULL);
  json_t *second = json_array_get(json_object_get(r, "children"), 1);
  json_t *link = json_object_get(second, "link");
  cr_assert_str_eq(json_string_value(json_object_get(link, "status")),
                   "indirect");
  cr_assert_str_eq(json_string_value(json_object_get(link, "via")), "mid");
  json_decref(r);
  vnp_free(js);
  vnp_compare_free(cm);
  free(p);
  free(mid);
  free(c);
}

Test(compare, bad_input_is_an_error) {
  vnp_compare *c = vnp_compare_new(rules);
  vnp_error err;
  cr_assert_eq(vnp_compare_add(c, "{\"a\":1}", 7, "x.json", &err), VNP_EINPUT);
  cr_assert_eq(vnp_compare_add(c, "{broken", 7, "y.json", &err), VNP_EINPUT);
  cr_assert_eq(vnp_compare_run(c), VNP_EUSAGE); /* no documents */
  vnp_compare_free(c);
}

/* ---- a real pair, read by eye ---- */

static char *slurp(const char *path, size_t *len) {
  return tu_slurp(path, len);
}

Test(compare, real_pair_05_01) {
  const char *root = getenv("VNPLAN_ROOT");
  char pp[1024], cp[1024], gp[1024];
  snprintf(pp, sizeof pp,
           "%s/corpus/01_nq57-ntw-2024_bo-chinh-tri_khcn-"
           "dmst-cds.txt",
           root ? root : ".");
  snprintf(cp, sizeof cp,
           "%s/corpus/05_kh3260-ddqh15-2025_dang-doan-quoc-"
           "hoi_thuc-hien-nq57.txt",
           root ? root : ".");
  snprintf(gp, sizeof gp, "%s/corpus/pairs/05-01.tsv", root ? root : ".");
  size_t pl, cl, gl;
  char *p = slurp(pp, &pl), *c = slurp(cp, &cl), *g = slurp(gp, &gl);
  vnp_compare *cm = vnp_compare_new(rules);
  cr_assert_eq(vnp_compare_add(cm, p, pl, "01", NULL), 0);
  cr_assert_eq(vnp_compare_add(cm, c, cl, "05", NULL), 0);
  cr_assert_eq(vnp_compare_run(cm), 0);
  char *js = vnp_compare_render(cm, VNP_COMPARE_JSON, NULL);
  json_t *r = json_loads(js, 0, NULL);
  cr_assert_not_null(r);
  /* 05's II.2 repeats 01's IV.2 word for word ("lãnh đạo, chỉ đạo rà soát,
   * hoàn thiện pháp luật ...; tăng cường giám sát thực hiện theo quy
   * định"), and 05's II.2.2.h.1 copies 01's III.5.3 (an ninh mạng, chủ
   * quyền quốc gia trên nền tảng số và không gian mạng) */
  int ii2 = 0, h1 = 0;
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(child0(r), "alignment"), i, x) {
    const char *ch = json_string_value(json_object_get(x, "child"));
    const char *pa = json_string_value(json_object_get(x, "parent"));
    ii2 |= !strcmp(ch, "II.2") && !strcmp(pa, "IV.2");
    h1 |= !strcmp(ch, "II.2.2.h.1") && !strcmp(pa, "III.5.3");
  }
  cr_assert(ii2, "II.2 -> IV.2 not aligned");
  cr_assert(h1, "II.2.2.h.1 -> III.5.3 not aligned");
  /* 05 has no targets of its own: 01's objectives (II) are not covered */
  json_array_foreach(
      json_object_get(json_object_get(child0(r), "coverage"), "sections"), i,
      x) {
    if (!strcmp(json_string_value(json_object_get(x, "id")), "II"))
      cr_assert_lt(json_real_value(json_object_get(x, "coverage")), 0.2);
  }
  /* gold scoring runs and is better than chance */
  double prf[3];
  char *rep = vnp_compare_gold(cm, 1, g, gl, prf);
  cr_assert_not_null(rep);
  cr_assert_gt(prf[0], 0.3, "precision %f\n%s", prf[0], rep);
  cr_assert_gt(prf[1], 0.2, "recall %f\n%s", prf[1], rep);
  cr_assert_null(vnp_compare_gold(cm, 5, g, gl, prf));
  vnp_free(rep);
  json_decref(r);
  vnp_free(js);
  vnp_compare_free(cm);
  free(p);
  free(c);
  free(g);
}

/* ---- alignment mechanics on hand-made outlines ---- */

#define DOC(secs)                                                              \
  "{\"schema\":\"vnplan/0.1\",\"document\":{\"number\":null,\"date\":null,"    \
  "\"issuer\":null,\"type\":null,\"title\":null},\"preamble\":[],"             \
  "\"sections\":[" secs "],\"tasks\":[],\"targets\":[],\"citations\":[]}"
#define SEC(num, title, kind, children)                                        \
  "{\"type\":\"section\",\"number\":\"" num "\",\"title\":\"" title "\","      \
  "\"text\":null,\"kind\":" kind ",\"paragraphs\":[],\"children\":[" children  \
  "]}"
#define ITEM(num, text)                                                        \
  "{\"type\":\"item\",\"number\":\"" num "\",\"title\":null,\"text\":\"" text  \
  "\",\"kind\":null,\"paragraphs\":[],\"children\":[]}"

/* The links of child item `id` as "P1 P2 ..." (parent ids, link order). */
static void links_of(json_t *r, const char *id, char *out, size_t n) {
  size_t i, k = 0;
  json_t *x;
  out[0] = 0;
  json_array_foreach(json_object_get(child0(r), "alignment"), i, x) {
    if (strcmp(json_string_value(json_object_get(x, "child")), id) != 0)
      continue;
    k += (size_t)snprintf(out + k, n - k, "%s%s", k ? " " : "",
                          json_string_value(json_object_get(x, "parent")));
    if (k >= n)
      break;
  }
}

/* A parent with two task sections whose bullets differ in one phrase. */
static const char OUTLINE_PARENT[] = DOC(SEC(
    "III", "Nhiệm vụ, giải pháp", "\"tasks\"",
    SEC("1",
        "Phát triển hạ tầng số, hạ tầng viễn thông, mạng Internet tốc độ "
        "cao phủ sóng toàn quốc",
        "null",
        ITEM("1",
             "Xây dựng hệ thống dữ liệu dùng chung phục vụ quản lý mạng "
             "viễn thông")) "," SEC("2",
                                    "Phát triển nguồn nhân lực chất lượng cao, "
                                    "nhân tài cho khoa học "
                                    "công nghệ",
                                    "null",
                                    ITEM("1", "Xây dựng hệ thống dữ liệu dùng "
                                              "chung phục vụ quản lý đào tạo "
                                              "nhân lực, việc làm"))));

Test(compare, structure_hint_prefers_the_matching_section) {
  /* The child's task shares more words with III.2.1 (nhân lực) than with
   * III.1.1 (nothing but the common head), but it sits under a heading
   * that restates III.1: the outline makes III.1.1 its basis. */
  static const char child[] = DOC(
      SEC("II", "Nhiệm vụ cụ thể", "\"tasks\"",
          SEC("1",
              "Phát triển hạ tầng số, hạ tầng viễn thông, mạng Internet tốc "
              "độ cao phủ sóng toàn quốc",
              "null",
              ITEM("a", "Xây dựng hệ thống dữ liệu dùng chung phục vụ quản lý "
                        "nhân lực"))));
  char got[256];
  json_t *r = run(OUTLINE_PARENT, child);
  links_of(r, "II.1.a", got, sizeof got);
  cr_assert(strncmp(got, "III.1.1", 7) == 0, "links: %s", got); /* best */
  json_decref(r);
  /* control: under a heading that matches no section of the parent, the
   * words decide */
  static const char control[] = DOC(SEC(
      "II", "Nhiệm vụ cụ thể", "\"tasks\"",
      SEC("1", "Công tác văn thư, lưu trữ hồ sơ của cơ quan năm tới", "null",
          ITEM("a", "Xây dựng hệ thống dữ liệu dùng chung phục vụ quản lý "
                    "nhân lực"))));
  r = run(OUTLINE_PARENT, control);
  links_of(r, "II.1.a", got, sizeof got);
  cr_assert(strncmp(got, "III.2.1", 7) == 0, "links: %s", got);
  json_decref(r);
}

Test(compare, long_child_item_links_to_each_parent_item_it_restates) {
  /* one child paragraph, two sentences: the first restates III.1 at
   * length, the second takes up III.2; the whole paragraph is twice as
   * close to III.1, its second sentence alone is III.2 */
  static const char parent[] = DOC(SEC(
      "III", "Nhiệm vụ, giải pháp", "\"tasks\"",
      ITEM("1",
           "Phát triển trung tâm dữ liệu quốc gia, hạ tầng điện toán đám "
           "mây và mạng viễn thông tốc độ cao") "," ITEM("2",
                                                         "Đào tạo nhân lực an "
                                                         "toàn thông tin cho "
                                                         "cơ quan nhà nước")));
  static const char child[] = DOC(SEC(
      "II", "Nhiệm vụ cụ thể", "\"tasks\"",
      ITEM("1", "Phát triển trung tâm dữ liệu quốc gia, hạ tầng điện toán đám "
                "mây, mạng viễn thông tốc độ cao và các nền tảng số dùng "
                "chung. Đào tạo nhân lực an toàn thông tin.")));
  char got[256];
  json_t *r = run(parent, child);
  links_of(r, "II.1", got, sizeof got);
  cr_assert_str_eq(got, "III.1 III.2");
  json_decref(r);
}

Test(compare, table_metadata_columns_do_not_align) {
  /* the lead and partner cells name the bodies of IV.5; the task is III.1
   * (without compare-columns.lst the row aligns to IV.5 at 0.56) */
  static const char parent[] = DOC(SEC(
      "III", "Nhiệm vụ, giải pháp", "\"tasks\"",
      ITEM(
          "1",
          "Xây dựng nền tảng số dùng chung phục vụ giải quyết thủ "
          "tục hành chính trực tuyến")) "," SEC("IV", "Tổ chức thực hiện",
                                                "\"implementation\"",
                                                ITEM(
                                                    "5",
                                                    "Ban Tuyên giáo Trung ương "
                                                    "và Ban Chỉ đạo Trung ương "
                                                    "hướng dẫn tuyên truyền "
                                                    "nghị quyết")));
  static const char child[] = DOC(SEC(
      "PHỤ LỤC", "Danh mục nhiệm vụ", "\"annex\"",
      "{\"type\":\"table\",\"header\":[\"TT\",\"Tên nhiệm vụ\",\"Cơ quan chủ "
      "trì\",\"Cơ quan phối hợp\",\"Thời gian hoàn thành\"],\"rows\":["
      "{\"cells\":[\"1\",\"Xây dựng nền tảng số phục vụ thủ tục hành "
      "chính\",\"Ban Tuyên giáo Trung ương\",\"Ban Tuyên giáo Trung ương, Ban "
      "Chỉ đạo Trung ương\",\"Tháng 6/2025\"]}]}"));
  char got[256];
  json_t *r = run(parent, child);
  links_of(r, "APHỤ LỤC.T1", got, sizeof got);
  cr_assert_str_eq(got, "III.1");
  json_decref(r);
}
