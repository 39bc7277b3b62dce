/*
 * render.c - the parsed document as JSON, in a fixed key order
 * (docs/schema.json describes it), and the normalized text.
 *
 * Top level: schema, source, document, normalization, preamble, sections,
 * recipients, signature, then the extraction keys (tasks, targets,
 * citations, ...) from extract.c, then diagnostics.
 * Every span is {"start": byte, "end": byte, "line": n} in the ORIGINAL
 * input. No timestamps, no absolute paths beyond what the caller passed.
 */
#include "render.h"

#include "extract.h"
#include "json.h"
#include "tone.h"

#include <string.h>

/* ---- prototypes ---- */
static void put_span(json_w *w, const char *key, vnp_span s);
static void put_field(json_w *w, const char *key, const vnp_field *f);
static void put_paras(json_w *w, const char *key, const vnp_para *p,
                      size_t n);
static void put_node(json_w *w, const vnp_node *n);

static void put_span(json_w *w, const char *key, vnp_span s) {
  json_key(w, key);
  int pretty = w->pretty;
  w->pretty = 0; /* spans stay on one line even in pretty output */
  json_span(w, s.start, s.end, s.line);
  w->pretty = pretty;
}

static void put_field(json_w *w, const char *key, const vnp_field *f) {
  json_key(w, key);
  json_strz(w, f->text);
}

static void put_paras(json_w *w, const char *key, const vnp_para *p,
                      size_t n) {
  json_key(w, key);
  json_arr_begin(w);
  for (size_t i = 0; i < n; i++) {
    json_obj_begin(w);
    json_kstr(w, "text", p[i].text);
    put_span(w, "span", p[i].span);
    json_obj_end(w);
  }
  json_arr_end(w);
}

static const char *node_type_name(vnp_node_type t) {
  switch (t) {
  case NODE_SECTION: return "section";
  case NODE_ITEM: return "item";
  case NODE_TABLE: return "table";
  case NODE_ROW: return "row";
  }
  return "section";
}

static void put_cells(json_w *w, const char **cells, uint32_t n) {
  json_arr_begin(w);
  int pretty = w->pretty;
  for (uint32_t c = 0; c < n; c++)
    json_strz(w, cells[c]);
  w->pretty = pretty;
  json_arr_end(w);
}

/* Writes one node and its subtree. Depth is bounded by VNP_MAX_DEPTH (the
 * segmenter never nests deeper), so recursion is safe here. */
static void put_node(json_w *w, const vnp_node *n) {
  json_obj_begin(w);
  json_kstr(w, "type", node_type_name(n->type));
  if (n->type == NODE_TABLE) {
    json_kint(w, "level", n->level);
    put_span(w, "span", n->full);
    json_key(w, "header");
    if (n->has_header && n->rows.n)
      put_cells(w, n->rows.v[0], n->row_ncells.v[0]);
    else
      json_null(w);
    json_key(w, "rows");
    json_arr_begin(w);
    for (size_t r = n->has_header ? 1 : 0; r < n->rows.n; r++) {
      json_obj_begin(w);
      json_key(w, "cells");
      put_cells(w, n->rows.v[r], n->row_ncells.v[r]);
      put_span(w, "span", n->row_spans.v[r]);
      json_obj_end(w);
    }
    json_arr_end(w);
    json_obj_end(w);
    return;
  }
  json_kstr(w, "label", n->label);
  json_kstr(w, "number", n->number);
  json_kstr(w, "style", n->style);
  json_kbool(w, "heading", n->heading);
  json_kstr(w, "title", n->title);
  json_kstr(w, "text", n->text);
  json_kstr(w, "kind", n->kind);
  json_kint(w, "level", n->level);
  json_kint(w, "part", n->part);
  put_span(w, "span", n->span);
  put_paras(w, "paragraphs", n->paras.v, n->paras.n);
  json_key(w, "children");
  json_arr_begin(w);
  for (const vnp_node *c = n->first; c; c = c->next)
    put_node(w, c);
  json_arr_end(w);
  json_obj_end(w);
}

static void render_json_w(const vnp_doc *d, json_w *wp);

void render_json(const vnp_doc *d, vnp_buf *out, unsigned flags) {
  json_w w;
  json_init(&w, out, (flags & VNP_JSON_PRETTY) != 0, d->opts.tone_style);
  render_json_w(d, &w);
}

void render_json_to(const vnp_doc *d, unsigned flags, json_flush_fn fn,
                    void *ctx) {
  vnp_buf b = VNP_BUF_INIT;
  vnp_buf_grow(&b, JSON_FLUSH_AT + 4096);
  json_w w;
  json_init(&w, &b, (flags & VNP_JSON_PRETTY) != 0, d->opts.tone_style);
  json_set_flush(&w, fn, ctx);
  render_json_w(d, &w);
  vnp_buf_free(&b);
}

static void render_json_w(const vnp_doc *d, json_w *wp) {
  json_w w = *wp;
  json_obj_begin(&w);
  json_kstr(&w, "schema", VNP_SCHEMA);

  json_key(&w, "source");
  json_obj_begin(&w);
  json_kstr(&w, "path", d->path);
  json_key(&w, "bytes");
  json_uint(&w, d->bytes);
  json_kstr(&w, "sha256", d->sha256);
  json_kstr(&w, "encoding", d->encoding);
  json_key(&w, "lines");
  json_uint(&w, d->line_starts.n);
  json_obj_end(&w);

  json_key(&w, "document");
  json_obj_begin(&w);
  put_field(&w, "type", &d->type);
  put_field(&w, "type_key", &d->type_key);
  put_field(&w, "number", &d->number);
  put_field(&w, "date", &d->date);
  put_field(&w, "place", &d->place);
  put_field(&w, "issuer", &d->issuer);
  put_field(&w, "authority", &d->authority);
  put_field(&w, "title", &d->title);
  json_key(&w, "spans");
  json_obj_begin(&w);
  put_span(&w, "type", d->type.span);
  put_span(&w, "number", d->number.span);
  put_span(&w, "date", d->date.span);
  put_span(&w, "place", d->place.span);
  put_span(&w, "issuer", d->issuer.span);
  put_span(&w, "title", d->title.span);
  json_obj_end(&w);
  json_key(&w, "attachments");
  json_arr_begin(&w);
  for (size_t i = 0; i < d->attachments.n; i++) {
    json_obj_begin(&w);
    json_key(&w, "part");
    json_uint(&w, i + 1);
    json_kstr(&w, "type", d->attachments.v[i].type);
    json_kstr(&w, "title", d->attachments.v[i].title);
    put_span(&w, "span", d->attachments.v[i].span);
    json_obj_end(&w);
  }
  json_arr_end(&w);
  json_obj_end(&w);

  json_key(&w, "normalization");
  json_obj_begin(&w);
  json_key(&w, "tone_style");
  json_strz(&w, d->opts.tone_style == VNP_TONE_MAIN_VOWEL ? "main-vowel"
                : d->opts.tone_style == VNP_TONE_KEEP   ? "keep"
                                                        : "first-vowel");
  json_key(&w, "steps");
  json_obj_begin(&w);
  for (int i = 0; i < d->nsteps; i++) {
    json_key(&w, d->step_names[i]);
    json_uint(&w, d->step_counts[i]);
  }
  json_obj_end(&w);
  json_obj_end(&w);

  put_paras(&w, "preamble", d->preamble.v, d->preamble.n);

  json_key(&w, "sections");
  json_arr_begin(&w);
  for (const vnp_node *c = d->root->first; c; c = c->next)
    put_node(&w, c);
  json_arr_end(&w);

  put_paras(&w, "recipients", d->recipients.v, d->recipients.n);

  json_key(&w, "signature");
  if (!d->signature.present) {
    json_null(&w);
  } else {
    json_obj_begin(&w);
    put_field(&w, "on_behalf", &d->signature.on_behalf);
    put_field(&w, "deputy", &d->signature.deputy);
    put_field(&w, "position", &d->signature.position);
    json_kbool(&w, "signed", d->signature.signed_mark.text != NULL);
    put_field(&w, "signer", &d->signature.signer);
    put_span(&w, "span", d->signature.span);
    json_key(&w, "spans");
    json_obj_begin(&w);
    put_span(&w, "on_behalf", d->signature.on_behalf.span);
    put_span(&w, "deputy", d->signature.deputy.span);
    put_span(&w, "position", d->signature.position.span);
    put_span(&w, "signer", d->signature.signer.span);
    json_obj_end(&w);
    json_obj_end(&w);
  }

  extract_json(d, &w);

  json_key(&w, "diagnostics");
  json_arr_begin(&w);
  for (size_t i = 0; i < d->diags.n; i++) {
    const vnp_diag *g = &d->diags.v[i];
    json_obj_begin(&w);
    json_kstr(&w, "level", g->level);
    json_kstr(&w, "code", g->code);
    json_kstr(&w, "message", g->message);
    put_span(&w, "span", g->span);
    json_obj_end(&w);
  }
  if (d->diags_dropped) {
    json_obj_begin(&w);
    json_kstr(&w, "level", "info");
    json_kstr(&w, "code", "too-many-diagnostics");
    json_key(&w, "message");
    vnp_buf m = VNP_BUF_INIT;
    vnp_buf_printf(&m, "%llu more diagnostics not listed",
                   (unsigned long long)d->diags_dropped);
    json_str(&w, m.ptr, m.len);
    vnp_buf_free(&m);
    put_span(&w, "span", (vnp_span){0, 0, 0});
    json_obj_end(&w);
  }
  json_arr_end(&w);
  json_obj_end(&w);
  json_end(&w);
}

void render_text(const vnp_doc *d, vnp_buf *out) {
  for (size_t i = 0; i < d->blocks.n; i++) {
    const vnp_block *b = &d->blocks.v[i];
    if (d->opts.tone_style == VNP_TONE_MAIN_VOWEL) {
      tone_restyle(b->text, b->len, VNP_TONE_MAIN_VOWEL, out);
    } else {
      vnp_buf_put(out, b->text, b->len);
    }
    vnp_buf_putc(out, '\n');
  }
}

void render_changes(const vnp_doc *d, vnp_buf *out) {
  json_w w;
  json_init(&w, out, 0, VNP_TONE_KEEP);
  json_arr_begin(&w);
  for (size_t i = 0; i < d->changes.n; i++) {
    const vnp_change *c = &d->changes.v[i];
    json_obj_begin(&w);
    json_kstr(&w, "step", c->step);
    put_span(&w, "span", (vnp_span){c->start, c->end, c->line});
    json_kstr(&w, "before", c->before);
    json_kstr(&w, "after", c->after);
    json_obj_end(&w);
  }
  json_arr_end(&w);
  json_end(&w);
}
