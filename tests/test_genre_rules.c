/*
 * test_genre_rules.c - whole-document extraction on forms of the genre
 * that real plans use and the corpus documents do not, in
 * tests/data/commune-plan-forms.txt (a commune plan written for these
 * tests in the shape of real ones: a citation number with a letter, a
 * second number of a shared-type list, a "Tờ trình" with '&' in its code,
 * targets after a colon with "trở lên", areas in "ngàn ha", life
 * expectancy, a body heading "Công an xã" whose bullets open with "Chủ
 * trì"/"Phối hợp X", month ranges of one year, a due day every year, a
 * citation type in capitals, an issuer holding "và", a court and
 * "Ủy ban nhân dân cấp xã", "trước ngày 15/01 năm 2026", "từ ngày ...").
 * Every check fails on the rules before these forms were added (run with
 * VNPLAN_RULES pointing at the older rules to see it).
 *
 * Every expected value was read off the test document by eye; end dates
 * are exclusive ("tháng 3 - 4/2025" ends 2025-05-01, "Tháng 10-12/2025"
 * ends 2026-01-01).
 */
#include "test_util.h"
#include "vnplan.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static vnp_rules *R;
static json_t *DOC;

static void load(void) {
  R = tu_rules_load();
  size_t n;
  char *text = tu_corpus("../tests/data/commune-plan-forms.txt", &n);
  vnp_pipeline *p = vnp_pipeline_new(R, NULL);
  vnp_pipeline_feed(p, text, n);
  vnp_pipeline_finish(p);
  char *js = vnp_pipeline_json(p, 0, NULL);
  json_error_t e;
  DOC = json_loads(js, 0, &e);
  cr_assert(DOC, "parse JSON: %s", e.text);
  vnp_free(js);
  vnp_pipeline_free(p);
  free(text);
}

static void unload(void) {
  json_decref(DOC);
  vnp_rules_free(R);
}

TestSuite(genre_rules, .init = load, .fini = unload);

static const char *str(json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}

/* The task with this id (fails when absent). */
static json_t *task(const char *id) {
  json_t *tasks = json_object_get(DOC, "tasks"), *t;
  size_t i;
  json_array_foreach(tasks, i, t) {
    if (strcmp(str(t, "id"), id) == 0)
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
    strncat(out, str(b, "text"), n - strlen(out) - 1);
  }
}

/* The one deadline of a task. */
static json_t *deadline(const char *id) {
  json_t *v = json_object_get(task(id), "deadline");
  cr_assert_eq(json_array_size(v), 1, "task %s: %zu deadlines", id,
               json_array_size(v));
  return json_array_get(v, 0);
}

/* The citation with this number (fails when absent). */
static json_t *citation(const char *number) {
  json_t *c;
  size_t i;
  json_array_foreach(json_object_get(DOC, "citations"), i, c) {
    if (str(c, "number") && strcmp(str(c, "number"), number) == 0)
      return c;
  }
  cr_assert_fail("no citation %s", number);
  return NULL;
}

/* The target with this value and unit (fails when absent). */
static json_t *target(double value, const char *unit) {
  json_t *t;
  size_t i;
  json_array_foreach(json_object_get(DOC, "targets"), i, t) {
    double v = json_number_value(json_object_get(t, "value"));
    if (fabs(v - value) < 1e-9 && str(t, "unit") &&
        strcmp(str(t, "unit"), unit) == 0)
      return t;
  }
  cr_assert_fail("no target %g %s", value, unit);
  return NULL;
}

Test(genre_rules, citation_numbers_with_a_letter_or_an_ampersand) {
  json_t *c = citation("12b/NQ-HĐND");
  cr_assert_str_eq(str(c, "type"), "Nghị quyết");
  cr_assert_str_eq(str(c, "date"), "2024-12-20");
  c = citation("08/TTr-VHXH&TT");
  cr_assert_str_eq(str(c, "type"), "Tờ trình");
  cr_assert_str_eq(str(c, "date"), "2025-02-03");
}

/* "các Quyết định của ...: số 310/QĐ-UBND ngày ...; 315/QĐ-UBND ngày ..." */
Test(genre_rules, second_number_of_a_shared_type_list) {
  json_t *c = citation("315/QĐ-UBND");
  cr_assert_str_eq(str(c, "date"), "2025-01-08");
}

Test(genre_rules, at_least_after_a_colon) {
  json_t *t = target(45, "%");
  cr_assert_str_eq(str(t, "comparator"), "gte");
  cr_assert_eq(json_integer_value(json_object_get(t, "horizon")), 2025);
}

Test(genre_rules, rate_reaching_a_standard_with_its_year) {
  json_t *t = target(92, "%");
  cr_assert_str_eq(str(t, "indicator"), "Tỷ lệ hộ gia đình đạt chuẩn văn hóa");
  cr_assert_eq(json_integer_value(json_object_get(t, "horizon")), 2025);
}

Test(genre_rules, areas_in_thousands_of_hectares) {
  json_t *t = target(1.2, "ngàn ha");
  cr_assert_str_eq(str(t, "comparator"), "range");
  cr_assert_float_eq(json_number_value(json_object_get(t, "value2")), 1.5,
                     1e-9);
  t = target(3, "ngàn ha");
  cr_assert_str_eq(str(t, "comparator"), "gt");
}

Test(genre_rules, life_expectancy_in_years) {
  json_t *t = target(74, "tuổi");
  cr_assert_str_eq(str(t, "comparator"), "gt");
}

/* "2. Công an xã" hands its body down; "- Phối hợp Ban Chỉ huy Quân sự
 * xã ..." names a partner without "với" */
Test(genre_rules, body_with_its_place_heads_its_items) {
  char b[512];
  bodies("II.2.1", "lead", b, sizeof b);
  cr_assert_str_eq(b, "Công an xã");
  bodies("II.2.2", "lead", b, sizeof b);
  cr_assert_str_eq(b, "Công an xã");
  bodies("II.2.2", "partners", b, sizeof b);
  cr_assert_str_eq(b, "Ban Chỉ huy Quân sự xã");
}

Test(genre_rules, partner_without_with_after_lead) {
  char b[512];
  bodies("II.1.1", "partners", b, sizeof b);
  cr_assert_str_eq(b, "Đài Truyền thanh xã");
}

Test(genre_rules, ampersand_inside_a_body_name) {
  char b[512];
  bodies("II.3", "lead", b, sizeof b);
  cr_assert_str_eq(b, "Phòng Kinh tế & Hạ tầng huyện");
}

Test(genre_rules, two_months_of_one_year) {
  json_t *d = deadline("II.1.1");
  cr_assert_str_eq(str(d, "start"), "2025-03-01");
  cr_assert_str_eq(str(d, "end"), "2025-05-01");
  d = deadline("II.2.2");
  cr_assert_str_eq(str(d, "start"), "2025-10-01");
  cr_assert_str_eq(str(d, "end"), "2026-01-01");
}

Test(genre_rules, due_day_every_year_after_a_comma) {
  json_t *d = deadline("II.1.2");
  cr_assert_str_eq(str(d, "kind"), "recurring");
  json_t *r = json_object_get(d, "recurrence");
  cr_assert_str_eq(str(r, "every"), "P1Y");
  cr_assert_str_eq(str(r, "due"), "--12-31");
}

Test(genre_rules, health_station_leads_its_task) {
  char b[512];
  bodies("II.1.2", "lead", b, sizeof b);
  cr_assert_str_eq(b, "Trạm Y tế xã");
}

/* a citation type in capitals ("THỰC HIỆN KẾT LUẬN SỐ ...") is given in its
 * canonical form; an issuer whose name holds "và" is whole */
Test(genre_rules, citation_type_canonical_and_issuer_with_and) {
  json_t *c = citation("14-KL/HU");
  cr_assert_str_eq(str(c, "type"), "Kết luận");
  cr_assert_str_eq(str(c, "date"), "2025-01-06");
  c = citation("57/SKHĐT-TH");
  cr_assert_str_eq(str(c, "issuer"), "Sở Kế hoạch và Đầu tư");
}

/* "4. Tòa án nhân dân huyện chủ trì, phối hợp với Ủy ban nhân dân cấp xã
 * ...; hoàn thành trước ngày 15/01 năm 2026." */
Test(genre_rules, court_leads_commune_level_partner_day_with_year_word) {
  char b[512];
  bodies("II.4", "lead", b, sizeof b);
  cr_assert_str_eq(b, "Tòa án nhân dân huyện");
  bodies("II.4", "partners", b, sizeof b);
  cr_assert_str_eq(b, "Ủy ban nhân dân cấp xã");
  json_t *d = deadline("II.4");
  cr_assert_str_eq(str(d, "end"), "2026-01-15");
  cr_assert_str_eq(str(d, "mod"), "BEFORE");
}

/* "triển khai từ ngày 01/7/2025": from that day on */
Test(genre_rules, from_a_day_on) {
  json_t *d = deadline("II.5");
  cr_assert_str_eq(str(d, "start"), "2025-07-01");
  cr_assert(json_is_null(json_object_get(d, "end")));
  cr_assert_str_eq(str(d, "mod"), "ON_OR_AFTER");
}

/* "6. <task>" over "- Đơn vị thực hiện: ...", "- Phối hợp: ...", "- Tiến
 * độ: Quý III/2025.": three field lines of one task, not three tasks */
Test(genre_rules, field_lines_with_other_labels) {
  char b[512];
  bodies("II.6", "lead", b, sizeof b);
  cr_assert_str_eq(b, "Ban Văn hóa - Xã hội xã");
  bodies("II.6", "partners", b, sizeof b);
  cr_assert_str_eq(b, "Trưởng các thôn");
  json_t *d = deadline("II.6");
  cr_assert_str_eq(str(d, "start"), "2025-07-01");
  cr_assert_str_eq(str(d, "end"), "2025-10-01");
}

/* "7. Công chức Địa chính - Xây dựng theo chức năng, nhiệm vụ được giao
 * chủ trì, phối hợp với Trưởng các thôn ...": a commune clerk leads across
 * the duty phrase, village heads are partners */
Test(genre_rules, clerk_leads_across_duty_phrase) {
  char b[512];
  bodies("II.7", "lead", b, sizeof b);
  cr_assert_str_eq(b, "Công chức Địa chính - Xây dựng");
  bodies("II.7", "partners", b, sizeof b);
  cr_assert_str_eq(b, "Trưởng các thôn");
}

/* the codes "12b/NQ-HĐND" and "14-KL/HU" name no bodies */
Test(genre_rules, no_body_inside_a_citation_code) {
  json_t *b;
  size_t i;
  json_array_foreach(json_object_get(DOC, "bodies"), i, b) {
    const char *t = str(b, "text");
    cr_assert(strcmp(t, "HĐND") != 0 && strcmp(t, "HU") != 0,
              "body '%s' taken from a citation code", t);
  }
}
