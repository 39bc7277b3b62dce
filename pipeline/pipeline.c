/*
 * pipeline.c - the public API: wires reader -> normalize -> segment ->
 * extract -> render for one document, and runs rule examples.
 *
 * feed() streams bytes through the reader and the per-line normalizer, so
 * a document's raw bytes are never held whole; finish() runs the
 * whole-document passes (reflow, segmentation, extraction). Memory is
 * bounded by the document, never by a batch.
 */
#include "doc.h"
#include "extract.h"
#include "normalize.h"
#include "reader.h"
#include "render.h"
#include "rules.h"
#include "segment.h"

#include <stdlib.h>
#include <string.h>

struct vnp_pipeline {
  vnp_doc *doc;
  reader *rd;
  normalizer *norm;
  int finished;
};

const char *vnp_version(void) { return VNP_VERSION; }

const char *vnp_strerror(int code) {
  switch (code) {
  case VNP_OK: return "success";
  case VNP_ENOMEM: return "out of memory";
  case VNP_EIO: return "input/output error";
  case VNP_ERULES: return "invalid rule file";
  case VNP_EUSAGE: return "invalid argument";
  case VNP_ESTATE: return "call out of order";
  case VNP_EINPUT: return "input cannot be parsed";
  }
  return "unknown error";
}

void vnp_free(void *p) { free(p); }

static void on_line(void *ctx, const char *text, uint32_t len,
                    const omap *map, uint64_t orig_start, uint64_t orig_end,
                    uint32_t lineno, unsigned flags) {
  vnp_pipeline *p = ctx;
  if (p->doc->opts.stop_after == VNP_STOP_READ)
    return;
  normalize_line(p->norm, text, len, map, orig_start, orig_end, lineno,
                 flags);
}

vnp_pipeline *vnp_pipeline_new(const vnp_rules *rules,
                               const vnp_options *opts) {
  vnp_pipeline *p = xcalloc(1, sizeof(vnp_pipeline));
  p->doc = doc_new(rules, opts);
  p->norm = normalize_new(p->doc);
  p->rd = reader_new(p->doc, on_line, p);
  return p;
}

int vnp_pipeline_feed(vnp_pipeline *p, const char *buf, size_t len) {
  if (p->finished)
    return VNP_ESTATE;
  reader_feed(p->rd, buf, len);
  return VNP_OK;
}

int vnp_pipeline_finish(vnp_pipeline *p) {
  if (p->finished)
    return VNP_ESTATE;
  p->finished = 1;
  reader_finish(p->rd);
  vnp_stop stop = p->doc->opts.stop_after;
  if (stop != VNP_STOP_READ)
    normalize_finish(p->norm);
  if (stop == VNP_STOP_NONE || stop == VNP_STOP_SEGMENT)
    segment_run(p->doc);
  if (stop == VNP_STOP_NONE && !(p->doc->opts.flags & VNP_OPT_NO_EXTRACT))
    extract_run(p->doc);
  if ((p->doc->opts.flags & VNP_OPT_STRICT) && p->doc->nerrors)
    return VNP_EINPUT;
  return VNP_OK;
}

char *vnp_pipeline_json(vnp_pipeline *p, unsigned json_flags, size_t *len) {
  vnp_buf b = VNP_BUF_INIT;
  /* the JSON is about 3.2x the input (more pretty): one allocation of
   * that size instead of ~40 growth steps, each copying what came before */
  uint64_t guess = p->doc->bytes * 4 + 4096;
  vnp_buf_grow(&b, guess < ((size_t)1 << 30) ? (size_t)guess : (size_t)1 << 30);
  render_json(p->doc, &b, json_flags);
  return vnp_buf_detach(&b, len);
}

void vnp_pipeline_json_write(vnp_pipeline *p, unsigned json_flags,
                             vnp_write_fn write, void *ctx) {
  render_json_to(p->doc, json_flags, write, ctx);
}

char *vnp_pipeline_text(vnp_pipeline *p, size_t *len, char **changes_json) {
  vnp_buf b = VNP_BUF_INIT;
  render_text(p->doc, &b);
  if (changes_json) {
    vnp_buf c = VNP_BUF_INIT;
    render_changes(p->doc, &c);
    *changes_json = vnp_buf_detach(&c, NULL);
  }
  return vnp_buf_detach(&b, len);
}

size_t vnp_pipeline_errors(const vnp_pipeline *p) { return p->doc->nerrors; }

void vnp_pipeline_free(vnp_pipeline *p) {
  if (!p)
    return;
  reader_free(p->rd);
  normalize_free(p->norm);
  doc_free(p->doc);
  free(p);
}

/* Internal: lets `vnplan normalize --changes` ask for the change list
 * before feeding. */
void vnp_pipeline_record_changes(vnp_pipeline *p, int on) {
  p->doc->record_changes = on;
}

/* ---- rule examples ---- */

static int example_value(const vnp_rules *rs, const rule *r, const char *text,
                         size_t len, pcre2_match_data *md, const char *key,
                         vnp_buf *out) {
  size_t gs, ge;
  vnp_buf_clear(out);
  /* resolved values (extract.c) first: "value=5000" for "5.000" */
  if (extract_example_value(rs, r, text, len, md, key, out))
    return 1;
  vnp_buf_clear(out);
  if (rule_group(r, md, key, &gs, &ge)) {
    vnp_buf_put(out, text + gs, ge - gs);
    return 1;
  }
  if (normalize_example_value(rs, r, text, len, key, out))
    return 1;
  const char *v = rule_emit(r, key);
  if (v) {
    vnp_buf_puts(out, v);
    return 1;
  }
  return 0;
}

int vnp_rules_test(const vnp_rules *rs, char **report, int *passed) {
  vnp_buf rep = VNP_BUF_INIT, val = VNP_BUF_INIT;
  pcre2_match_data *md = rules_match_data(rs);
  int fails = 0, ok = 0;
  for (size_t i = 0; i < rs->nrules; i++) {
    const rule *r = &rs->rules[i];
    for (size_t k = 0; k < r->nexamples; k++) {
      const rule_example *e = &r->examples[k];
      size_t len = strlen(e->text);
      int rc = rule_exec(rs, r, e->text, len, 0, md);
      if (e->counter) {
        if (rc > 0) {
          size_t s, en;
          rule_span(md, &s, &en);
          vnp_buf_printf(&rep,
                         "%s:%u: rule %s: counter-example matched \"%.*s\" "
                         "in: %s\n",
                         r->file, e->line, r->id, (int)(en - s), e->text + s,
                         e->text);
          fails++;
        } else {
          ok++;
        }
        continue;
      }
      if (rc <= 0) {
        vnp_buf_printf(&rep, "%s:%u: rule %s: example did not match%s: %s\n",
                       r->file, e->line, r->id,
                       rc < 0 ? " (PCRE2 limit or error)" : "", e->text);
        fails++;
        continue;
      }
      int bad = 0;
      for (size_t j = 0; j < e->nexpect; j++) {
        const rule_kv *kv = &e->expect[j];
        if (!example_value(rs, r, e->text, len, md, kv->key, &val)) {
          vnp_buf_printf(&rep,
                         "%s:%u: rule %s: no value for '%s' (expected "
                         "\"%s\") in: %s\n",
                         r->file, e->line, r->id, kv->key, kv->value,
                         e->text);
          bad = 1;
        } else if (strcmp(val.ptr, kv->value) != 0) {
          vnp_buf_printf(&rep,
                         "%s:%u: rule %s: %s is \"%s\", expected \"%s\" in: "
                         "%s\n",
                         r->file, e->line, r->id, kv->key, val.ptr, kv->value,
                         e->text);
          bad = 1;
        }
      }
      if (bad)
        fails++;
      else
        ok++;
    }
  }
  /* rules with a word index (`starts`) must find what a plain search
   * finds, on the example text of every rule */
  for (size_t i = 0; i < rs->nrules; i++) {
    const rule *r = &rs->rules[i];
    if (!r->start_bit)
      continue;
    int bad = 0;
    pcre2_code *plain = rules_plain_code(r);
    for (size_t j = 0; j < rs->nrules && !bad; j++)
      for (size_t k = 0; k < rs->rules[j].nexamples && !bad; k++) {
        const rule_example *e = &rs->rules[j].examples[k];
        char why[256];
        if (!rules_check_index(rs, r, plain, e->text, strlen(e->text), why,
                               sizeof why)) {
          vnp_buf_printf(&rep, "%s:%u: starts: %s in: %s\n", r->file,
                         r->starts_line, why, e->text);
          bad = 1;
        }
      }
    pcre2_code_free(plain);
    if (bad)
      fails++;
  }
  pcre2_match_data_free(md);
  vnp_buf_free(&val);
  if (passed)
    *passed = ok;
  if (report)
    *report = vnp_buf_detach(&rep, NULL);
  else
    vnp_buf_free(&rep);
  return fails;
}
