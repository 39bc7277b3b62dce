/*
 * compare_render.c - prints a vnp_compare as text, JSON or HTML, and
 * scores it against a gold alignment.
 *
 * Input:  a vnp_compare after vnp_compare_run.
 * Output: a caller-owned string. Text is for a terminal (columns counted
 *         in code points of display width, via utf8proc_charwidth); JSON
 *         follows docs/compare-schema.json; HTML is one page with inline
 *         CSS and no script, no network and no external asset.
 * Invariants: every string from a document goes through json_escape or
 *         html_esc; the render never changes the model.
 */
#include "compare.h"
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- prototypes ---- */

static void rd_clip(vnp_buf *b, const char *s, int width, int pad);
static void rd_span(json_w *w, long s, long e, long line);
static void rd_text(vnp_compare *c, vnp_buf *b);
static void rd_json(vnp_compare *c, vnp_buf *b);
static void rd_html(vnp_compare *c, vnp_buf *b);
static void html_esc(vnp_buf *b, const char *s, size_t n);
static double rd_copy(const cmp_doc *ch, int top, size_t *nsh);
static void rd_section_cov(const cmp_doc *p, const cmp_doc *ch, int top,
                           size_t cnt[3], double *cov);
static const char *rd_status(int st);
static const char *rd_evidence(const cmp_doc *ch, const cmp_link *l, int e,
                               size_t *len);
static const char *rd_top_title(const cmp_doc *d, int top);
static void rd_docinfo(json_w *w, const cmp_doc *d);
static void html_s(vnp_buf *b, const char *s);
static void html_colour(vnp_buf *b, double s);
static void html_item(vnp_buf *b, const char *idp, size_t i, const cmp_item *it,
                      const char *cls, double score);
static void rd_html_child(vnp_compare *c, vnp_buf *b, size_t k);
static int gd_related(const cmp_doc *d, int a, int b);

static const char *rd_evidence(const cmp_doc *ch, const cmp_link *l, int e,
                               size_t *len) {
  *len = l->ev_end[e] - l->ev_start[e];
  return ch->items.v[l->child_item].text + l->ev_start[e];
}

static const char *rd_status(int st) {
  switch (st) {
  case 2:
    return "covered";
  case 1:
    return "partly";
  case 0:
    return "not";
  }
  return "skipped";
}

/* Appends s cut to `width` display columns (an ellipsis marks a cut), and
 * pads it with spaces to `width` when pad is set. */
static void rd_clip(vnp_buf *b, const char *s, int width, int pad) {
  int used = 0;
  size_t i = 0, n = s ? strlen(s) : 0;
  while (i < n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                          (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0)
      break;
    int cw = utf8proc_charwidth(cp);
    if (cp == '\n' || cp == '\t')
      cp = ' ', cw = 1;
    if (used + cw > width - 1 && i + (size_t)k < n) {
      vnp_buf_puts(b, "\xE2\x80\xA6"); /* ellipsis */
      used++;
      break;
    }
    vnp_buf_put(b, s + i, (size_t)k);
    used += cw;
    i += (size_t)k;
  }
  while (pad && used++ < width)
    vnp_buf_putc(b, ' ');
}

static double rd_copy(const cmp_doc *ch, int top, size_t *nsh) {
  size_t sh = 0, hit = 0;
  for (size_t i = 0; i < ch->items.n; i++)
    if (top < 0 || ch->items.v[i].top == top) {
      sh += ch->items.v[i].nsh;
      hit += ch->items.v[i].nhit;
    }
  *nsh = sh;
  return sh ? (double)hit / (double)sh : 0;
}

static void rd_section_cov(const cmp_doc *p, const cmp_doc *ch, int top,
                           size_t cnt[3], double *cov) {
  cnt[0] = cnt[1] = cnt[2] = 0;
  for (size_t i = 0; i < p->items.n; i++)
    if (p->items.v[i].top == top && ch->pstatus[i] >= 0)
      cnt[ch->pstatus[i]]++;
  size_t n = cnt[0] + cnt[1] + cnt[2];
  *cov = n ? (cnt[2] + cnt[1] / 2.0) / (double)n : 0;
}

static const char *rd_top_title(const cmp_doc *d, int top) {
  return d->items.v[top].text;
}

/* ---- text ---- */

static void rd_text(vnp_compare *c, vnp_buf *b) {
  cmp_doc *p = &c->docs[0];
  vnp_buf_printf(b, "PARENT  %s  %s of %s\n", p->path,
                 p->number ? p->number : "(no number)",
                 p->date ? p->date : "?");
  for (size_t k = 1; k < c->ndocs; k++) {
    cmp_doc *ch = &c->docs[k];
    vnp_buf_printf(b, "CHILD %zu %s  %s of %s\n", k, ch->path,
                   ch->number ? ch->number : "(no number)",
                   ch->date ? ch->date : "?");
    vnp_buf_printf(b, "  link: %s - %s\n", ch->link_status,
                   ch->link_message ? ch->link_message : "");
    vnp_buf_printf(b, "  coverage: %.0f%% (%zu covered, %zu partly, %zu not)\n",
                   ch->coverage * 100, ch->n_cov[2], ch->n_cov[1],
                   ch->n_cov[0]);
    size_t nsh;
    vnp_buf_printf(b, "  copied from the parent: %.0f%% of the text\n",
                   rd_copy(ch, -1, &nsh) * 100);
  }
  vnp_buf_puts(b, "\nPARENT ITEMS\n");
  vnp_buf_puts(b, "id          item                                       ");
  for (size_t k = 1; k < c->ndocs; k++)
    vnp_buf_printf(b, "  %-8s score  best match (child %zu)", "cover", k);
  vnp_buf_putc(b, '\n');
  for (size_t i = 0; i < p->items.n; i++) {
    cmp_item *it = &p->items.v[i];
    if (it->ncontent < CMP_MIN_TERMS && it->up >= 0)
      continue;
    int ind = it->depth > 3 ? 3 : it->depth;
    vnp_buf_printf(b, "%*s", ind, "");
    rd_clip(b, it->id, 12 - ind, 1);
    rd_clip(b, it->text, 42, 1);
    for (size_t k = 1; k < c->ndocs; k++) {
      cmp_doc *ch = &c->docs[k];
      int st = ch->pstatus[i];
      if (st < 0) {
        vnp_buf_puts(b, "  -");
        continue;
      }
      vnp_buf_printf(b, "  %-8s %.2f  ", rd_status(st), ch->pbest[i]);
      if (st > 0 && ch->pbest_item[i] >= 0)
        rd_clip(b, ch->items.v[ch->pbest_item[i]].id, 14, c->ndocs > 2);
      else if (c->ndocs > 2)
        rd_clip(b, "", 14, 1);
    }
    vnp_buf_putc(b, '\n');
  }
  for (size_t k = 1; k < c->ndocs; k++) {
    cmp_doc *ch = &c->docs[k];
    vnp_buf_printf(b, "\nCHILD %zu: %s\n", k, ch->path);
    vnp_buf_puts(b, "coverage by parent section\n");
    for (size_t i = 0; i < p->items.n; i++) {
      if (p->items.v[i].up >= 0)
        continue;
      size_t cnt[3];
      double cov;
      rd_section_cov(p, ch, (int)i, cnt, &cov);
      vnp_buf_puts(b, "  ");
      rd_clip(b, p->items.v[i].id, 6, 1);
      rd_clip(b, rd_top_title(p, (int)i), 34, 1);
      int bars = (int)(cov * 20 + 0.5);
      for (int x = 0; x < 20; x++)
        vnp_buf_puts(b, x < bars ? "#" : ".");
      vnp_buf_printf(b, " %3.0f%%  (%zu/%zu/%zu)\n", cov * 100, cnt[2], cnt[1],
                     cnt[0]);
    }
    vnp_buf_puts(b, "alignment (child item -> parent items, score, shared "
                    "phrases)\n");
    int last = -1;
    for (size_t l = 0; l < ch->links.n; l++) {
      cmp_link *k2 = &ch->links.v[l];
      vnp_buf_puts(b, "  ");
      rd_clip(b, k2->child_item == last ? "" : ch->items.v[k2->child_item].id,
              14, 1);
      last = k2->child_item;
      rd_clip(b, p->items.v[k2->parent_item].id, 12, 1);
      vnp_buf_printf(b, "%.2f  ", k2->score);
      for (int e = 0; e < k2->nevidence; e++) {
        size_t sl;
        const char *s = rd_evidence(ch, k2, e, &sl);
        vnp_buf_printf(b, "%s\"%.*s\"", e ? ", " : "", (int)sl, s);
      }
      vnp_buf_putc(b, '\n');
    }
    vnp_buf_printf(b,
                   "local additions (%zu child items with no basis in the "
                   "parent)\n",
                   ch->n_local);
    for (size_t i = 0; i < ch->items.n; i++) {
      cmp_item *it = &ch->items.v[i];
      if (it->ncontent < CMP_MIN_TERMS || it->best >= CMP_T_PARTIAL)
        continue;
      vnp_buf_puts(b, "  ");
      rd_clip(b, it->id, 14, 1);
      rd_clip(b, it->text, 60, 0);
      vnp_buf_putc(b, '\n');
    }
    vnp_buf_puts(b, "copy ratio by child section\n");
    for (size_t i = 0; i < ch->items.n; i++) {
      if (ch->items.v[i].up >= 0)
        continue;
      size_t nsh;
      double r = rd_copy(ch, (int)i, &nsh);
      if (!nsh)
        continue;
      vnp_buf_puts(b, "  ");
      rd_clip(b, ch->items.v[i].id, 6, 1);
      rd_clip(b, ch->items.v[i].text, 40, 1);
      vnp_buf_printf(b, " %3.0f%%\n", r * 100);
    }
    vnp_buf_printf(b, "conflicts (%zu)\n", ch->conflicts.n);
    for (size_t i = 0; i < ch->conflicts.n; i++)
      vnp_buf_printf(b, "  [%s] %s\n", ch->conflicts.v[i].type,
                     ch->conflicts.v[i].message);
    vnp_buf_printf(b, "missing expected parts (%zu)\n", ch->missing.n);
    for (size_t i = 0; i < ch->missing.n; i++)
      vnp_buf_printf(b, "  [%s] %s\n", ch->missing_code.v[i], ch->missing.v[i]);
  }
}

/* ---- JSON ---- */

static void rd_span(json_w *w, long s, long e, long line) {
  if (s < 0 || e < s || line < 1)
    json_null(w);
  else
    json_span(w, (uint64_t)s, (uint64_t)e, (uint32_t)line);
}

static void rd_docinfo(json_w *w, const cmp_doc *d) {
  json_kstr(w, "path", d->path);
  json_kstr(w, "number", d->number);
  json_kstr(w, "date", d->date);
  json_kstr(w, "issuer", d->issuer);
  json_kstr(w, "type", d->type);
}

static void rd_json(vnp_compare *c, vnp_buf *b) {
  json_w w;
  json_init(&w, b, 1, VNP_TONE_KEEP);
  cmp_doc *p = &c->docs[0];
  json_obj_begin(&w);
  json_kstr(&w, "schema", "vnplan-compare/0.1");
  json_key(&w, "thresholds");
  json_obj_begin(&w);
  json_kdouble(&w, "covered", CMP_T_FULL);
  json_kdouble(&w, "partly", CMP_T_PARTIAL);
  json_obj_end(&w);
  json_key(&w, "parent");
  json_obj_begin(&w);
  rd_docinfo(&w, p);
  json_key(&w, "items");
  json_arr_begin(&w);
  for (size_t i = 0; i < p->items.n; i++) {
    cmp_item *it = &p->items.v[i];
    json_obj_begin(&w);
    json_kstr(&w, "id", it->id);
    json_kstr(&w, "kind", it->kind);
    json_kstr(&w, "section", p->items.v[it->top].id);
    json_kstr(&w, "text", it->text);
    json_key(&w, "span");
    rd_span(&w, it->start, it->end, it->line);
    json_key(&w, "coverage");
    json_arr_begin(&w);
    for (size_t k = 1; k < c->ndocs; k++) {
      cmp_doc *ch = &c->docs[k];
      json_obj_begin(&w);
      json_kstr(&w, "status", rd_status(ch->pstatus[i]));
      json_kdouble(&w, "score", ch->pbest[i]);
      json_key(&w, "child_item");
      json_strz(&w, ch->pbest_item[i] >= 0 && ch->pstatus[i] > 0
                        ? ch->items.v[ch->pbest_item[i]].id
                        : NULL);
      json_obj_end(&w);
    }
    json_arr_end(&w);
    json_obj_end(&w);
  }
  json_arr_end(&w);
  json_obj_end(&w);
  json_key(&w, "children");
  json_arr_begin(&w);
  for (size_t k = 1; k < c->ndocs; k++) {
    cmp_doc *ch = &c->docs[k];
    json_obj_begin(&w);
    rd_docinfo(&w, ch);
    json_key(&w, "link");
    json_obj_begin(&w);
    json_kstr(&w, "status", ch->link_status);
    json_kstr(&w, "message", ch->link_message);
    json_key(&w, "citation");
    if (ch->link_cite >= 0) {
      cmp_cite *ci = &ch->cites.v[ch->link_cite];
      json_obj_begin(&w);
      json_kstr(&w, "number", ci->number);
      json_kstr(&w, "date", ci->date);
      json_kstr(&w, "issuer", ci->issuer);
      json_key(&w, "span");
      rd_span(&w, ci->start, ci->end, ci->line);
      json_obj_end(&w);
    } else
      json_null(&w);
    json_kstr(&w, "via", ch->link_via >= 0 ? c->docs[ch->link_via].path : NULL);
    json_obj_end(&w);
    json_key(&w, "coverage");
    json_obj_begin(&w);
    json_kdouble(&w, "overall", ch->coverage);
    json_key(&w, "covered");
    json_uint(&w, ch->n_cov[2]);
    json_key(&w, "partly");
    json_uint(&w, ch->n_cov[1]);
    json_key(&w, "not");
    json_uint(&w, ch->n_cov[0]);
    json_key(&w, "sections");
    json_arr_begin(&w);
    for (size_t i = 0; i < p->items.n; i++) {
      if (p->items.v[i].up >= 0)
        continue;
      size_t cnt[3];
      double cov;
      rd_section_cov(p, ch, (int)i, cnt, &cov);
      json_obj_begin(&w);
      json_kstr(&w, "id", p->items.v[i].id);
      json_kstr(&w, "title", p->items.v[i].text);
      json_kdouble(&w, "coverage", cov);
      json_key(&w, "covered");
      json_uint(&w, cnt[2]);
      json_key(&w, "partly");
      json_uint(&w, cnt[1]);
      json_key(&w, "not");
      json_uint(&w, cnt[0]);
      json_obj_end(&w);
    }
    json_arr_end(&w);
    json_obj_end(&w);
    json_key(&w, "alignment");
    json_arr_begin(&w);
    for (size_t l = 0; l < ch->links.n; l++) {
      cmp_link *k2 = &ch->links.v[l];
      cmp_item *a = &ch->items.v[k2->child_item];
      cmp_item *pb = &p->items.v[k2->parent_item];
      json_obj_begin(&w);
      json_kstr(&w, "child", a->id);
      json_kstr(&w, "parent", pb->id);
      json_kdouble(&w, "score", k2->score);
      json_kstr(&w, "label", k2->score >= CMP_T_FULL ? "full" : "partly");
      json_key(&w, "evidence");
      json_arr_begin(&w);
      for (int e = 0; e < k2->nevidence; e++) {
        size_t sl;
        const char *s = rd_evidence(ch, k2, e, &sl);
        json_str(&w, s, sl);
      }
      json_arr_end(&w);
      json_key(&w, "child_span");
      rd_span(&w, a->start, a->end, a->line);
      json_key(&w, "parent_span");
      rd_span(&w, pb->start, pb->end, pb->line);
      json_obj_end(&w);
    }
    json_arr_end(&w);
    json_key(&w, "local_additions");
    json_arr_begin(&w);
    for (size_t i = 0; i < ch->items.n; i++) {
      cmp_item *it = &ch->items.v[i];
      if (it->ncontent < CMP_MIN_TERMS || it->best >= CMP_T_PARTIAL)
        continue;
      json_obj_begin(&w);
      json_kstr(&w, "id", it->id);
      json_kdouble(&w, "best", it->best);
      json_key(&w, "span");
      rd_span(&w, it->start, it->end, it->line);
      json_obj_end(&w);
    }
    json_arr_end(&w);
    json_key(&w, "copy");
    json_obj_begin(&w);
    size_t nsh;
    json_kdouble(&w, "overall", rd_copy(ch, -1, &nsh));
    json_kint(&w, "shingle", CMP_SHINGLE);
    json_key(&w, "sections");
    json_arr_begin(&w);
    for (size_t i = 0; i < ch->items.n; i++) {
      if (ch->items.v[i].up >= 0)
        continue;
      double r = rd_copy(ch, (int)i, &nsh);
      json_obj_begin(&w);
      json_kstr(&w, "id", ch->items.v[i].id);
      json_kdouble(&w, "ratio", r);
      json_key(&w, "shingles");
      json_uint(&w, nsh);
      json_obj_end(&w);
    }
    json_arr_end(&w);
    json_obj_end(&w);
    json_key(&w, "conflicts");
    json_arr_begin(&w);
    for (size_t i = 0; i < ch->conflicts.n; i++) {
      cmp_conflict *x = &ch->conflicts.v[i];
      json_obj_begin(&w);
      json_kstr(&w, "type", x->type);
      json_kstr(&w, "message", x->message);
      json_kstr(&w, "child",
                x->child_item >= 0 ? ch->items.v[x->child_item].id : NULL);
      json_kstr(&w, "parent",
                x->parent_item >= 0 ? p->items.v[x->parent_item].id : NULL);
      json_key(&w, "child_span");
      rd_span(&w, x->cstart, x->cend, x->cline);
      json_key(&w, "parent_span");
      rd_span(&w, x->pstart, x->pend, x->pline);
      json_obj_end(&w);
    }
    json_arr_end(&w);
    json_key(&w, "missing");
    json_arr_begin(&w);
    for (size_t i = 0; i < ch->missing.n; i++) {
      json_obj_begin(&w);
      json_kstr(&w, "code", ch->missing_code.v[i]);
      json_kstr(&w, "message", ch->missing.v[i]);
      json_obj_end(&w);
    }
    json_arr_end(&w);
    json_obj_end(&w);
  }
  json_arr_end(&w);
  json_obj_end(&w);
  json_end(&w);
}

/* ---- HTML ---- */

static void html_esc(vnp_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    switch (s[i]) {
    case '<':
      vnp_buf_puts(b, "&lt;");
      break;
    case '>':
      vnp_buf_puts(b, "&gt;");
      break;
    case '&':
      vnp_buf_puts(b, "&amp;");
      break;
    case '"':
      vnp_buf_puts(b, "&quot;");
      break;
    default:
      vnp_buf_putc(b, s[i]);
    }
  }
}

static void html_s(vnp_buf *b, const char *s) {
  if (s)
    html_esc(b, s, strlen(s));
}

/* background for a score: from pale red (0) through amber to green (1) */
static void html_colour(vnp_buf *b, double s) {
  if (s < 0) { /* not scored: a short heading */
    vnp_buf_puts(b, "#f2f2f2");
    return;
  }
  int hue = s >= CMP_T_FULL ? 120 : s >= CMP_T_PARTIAL ? 45 : 0;
  int light = 92 - (int)(s * 20);
  vnp_buf_printf(b, "hsl(%d,70%%,%d%%)", hue, light);
}

static const char HTML_CSS[] =
    "body{font:14px/1.4 sans-serif;margin:0;color:#222}"
    "header{padding:8px 16px;background:#234;color:#fff}"
    "header h1{font-size:18px;margin:4px 0}"
    ".summary{padding:8px 16px;background:#eef}"
    ".conflicts{padding:4px 16px;background:#fee;border-left:4px solid #c00}"
    ".grid{display:grid;grid-template-columns:1fr 1fr;gap:0 12px;"
    "padding:8px 16px}"
    ".col h2{font-size:15px;position:sticky;top:0;background:#fff;"
    "margin:0;padding:4px 0}"
    ".item{border:1px solid #ccc;border-radius:4px;margin:4px 0;"
    "padding:4px 6px}"
    ".item .id{font-weight:bold;margin-right:6px}"
    ".item .links{font-size:12px;color:#333}"
    ".item .links a{margin-right:6px}"
    ".d1{margin-left:0}.d2{margin-left:12px}.d3{margin-left:24px}"
    ".d4{margin-left:36px}"
    ".cov-2{border-left:6px solid #2a2}.cov-1{border-left:6px solid #e90}"
    ".cov-0{border-left:6px solid #c22}"
    ".local{border-left:6px dashed #888}"
    ".conflict{outline:2px solid #c00}"
    ".flag{color:#c00;font-weight:bold}"
    ".bar{display:inline-block;width:160px;height:10px;background:#ddd;"
    "vertical-align:middle;margin:0 6px}"
    ".bar span{display:block;height:10px;background:#2a2}"
    ".sec{margin-top:10px;font-weight:bold}"
    ".ev{color:#555;font-style:italic}"
    ".text{white-space:pre-wrap}";

static void html_item(vnp_buf *b, const char *idp, size_t i, const cmp_item *it,
                      const char *cls, double score) {
  int d = it->depth + 1 > 4 ? 4 : it->depth + 1;
  vnp_buf_printf(b, "<div class=\"item d%d %s\" id=\"%s%zu\" data-id=\"", d,
                 cls, idp, i);
  html_s(b, it->id);
  vnp_buf_printf(b, "\" data-score=\"%.2f\" style=\"background:", score);
  html_colour(b, score);
  vnp_buf_puts(b, "\"><span class=\"id\">");
  html_s(b, it->id);
  vnp_buf_puts(b, "</span><span class=\"text\">");
  size_t n = strlen(it->text);
  /* a long table row or paragraph is cut for the page, not in the JSON */
  html_esc(b, it->text, n > 600 ? 600 : n);
  if (n > 600)
    vnp_buf_puts(b, "\xE2\x80\xA6");
  vnp_buf_puts(b, "</span>");
}

static void rd_html_child(vnp_compare *c, vnp_buf *b, size_t k) {
  cmp_doc *p = &c->docs[0], *ch = &c->docs[k];
  char cid[32];
  snprintf(cid, sizeof cid, "c%zu-", k);
  size_t nsh;
  vnp_buf_printf(b, "<section class=\"child\" id=\"child-%zu\">", k);
  vnp_buf_puts(b, "<div class=\"summary\"><b>Child: ");
  html_s(b, ch->number ? ch->number : ch->path);
  vnp_buf_puts(b, "</b> (");
  html_s(b, ch->path);
  vnp_buf_printf(b, ")<br>Link: <span class=\"link-%s\">", ch->link_status);
  html_s(b, ch->link_status);
  vnp_buf_puts(b, "</span> &mdash; ");
  html_s(b, ch->link_message);
  vnp_buf_printf(b,
                 "<br>Coverage: <span class=\"bar\"><span style=\"width:%.0f%%"
                 "\"></span></span>%.0f%% (%zu covered, %zu partly, %zu not) "
                 "&middot; copied from the parent: %.0f%% &middot; local "
                 "additions: %zu",
                 ch->coverage * 100, ch->coverage * 100, ch->n_cov[2],
                 ch->n_cov[1], ch->n_cov[0], rd_copy(ch, -1, &nsh) * 100,
                 ch->n_local);
  for (size_t i = 0; i < ch->missing.n; i++) {
    vnp_buf_puts(b, "<br><span class=\"flag missing\">Missing: ");
    html_s(b, ch->missing.v[i]);
    vnp_buf_puts(b, "</span>");
  }
  vnp_buf_puts(b, "</div>");
  if (ch->conflicts.n) {
    vnp_buf_printf(b, "<div class=\"conflicts\"><b>Conflicts (%zu)</b><ul>",
                   ch->conflicts.n);
    for (size_t i = 0; i < ch->conflicts.n; i++) {
      cmp_conflict *x = &ch->conflicts.v[i];
      vnp_buf_printf(b, "<li class=\"conflict-item\" data-type=\"%s\">",
                     x->type);
      if (x->child_item >= 0)
        vnp_buf_printf(b, "<a href=\"#%s%d\">child</a> ", cid, x->child_item);
      if (x->parent_item >= 0)
        vnp_buf_printf(b, "<a href=\"#p%zu-%d\">parent</a> ", k,
                       x->parent_item);
      html_s(b, x->message);
      vnp_buf_puts(b, "</li>");
    }
    vnp_buf_puts(b, "</ul></div>");
  }
  vnp_buf_puts(b, "<div class=\"grid\"><div class=\"col parent\"><h2>Parent: ");
  html_s(b, p->number ? p->number : p->path);
  vnp_buf_puts(b, "</h2>");
  char pid[32];
  snprintf(pid, sizeof pid, "p%zu-", k);
  for (size_t i = 0; i < p->items.n; i++) {
    cmp_item *it = &p->items.v[i];
    if (it->up < 0) {
      size_t cnt[3];
      double cov;
      rd_section_cov(p, ch, (int)i, cnt, &cov);
      vnp_buf_printf(b, "<div class=\"sec\" data-coverage=\"%.2f\">Section ",
                     cov);
      html_s(b, it->id);
      vnp_buf_printf(b,
                     " coverage <span class=\"bar\"><span style=\"width:"
                     "%.0f%%\"></span></span>%.0f%%</div>",
                     cov * 100, cov * 100);
    }
    int st = ch->pstatus[i];
    char cls[64];
    int conf = 0;
    for (size_t x = 0; x < ch->conflicts.n; x++)
      conf |= ch->conflicts.v[x].parent_item == (int)i;
    snprintf(cls, sizeof cls, "pitem cov-%d%s", st < 0 ? 9 : st,
             conf ? " conflict" : "");
    html_item(b, pid, i, it, cls, st < 0 ? -1 : ch->pbest[i]);
    if (conf)
      vnp_buf_puts(b, " <span class=\"flag\">&#9888;</span>");
    vnp_buf_puts(b, "<div class=\"links\">");
    if (st >= 0)
      vnp_buf_printf(b, "%s %.2f ", rd_status(st), ch->pbest[i]);
    int shown = 0;
    for (size_t l = 0; l < ch->links.n; l++)
      if (ch->links.v[l].parent_item == (int)i) {
        vnp_buf_printf(b, "<a href=\"#%s%d\">", cid, ch->links.v[l].child_item);
        html_s(b, ch->items.v[ch->links.v[l].child_item].id);
        vnp_buf_printf(b, " (%.2f)</a>", ch->links.v[l].score);
        shown |= ch->links.v[l].child_item == ch->pbest_item[i];
      }
    /* the best child item even when that item links elsewhere first */
    if (st > 0 && !shown && ch->pbest_item[i] >= 0) {
      vnp_buf_printf(b, "best: <a href=\"#%s%d\">", cid, ch->pbest_item[i]);
      html_s(b, ch->items.v[ch->pbest_item[i]].id);
      vnp_buf_printf(b, " (%.2f)</a>", ch->pbest[i]);
    }
    vnp_buf_puts(b, "</div></div>");
  }
  vnp_buf_puts(b, "</div><div class=\"col childcol\"><h2>Child: ");
  html_s(b, ch->number ? ch->number : ch->path);
  vnp_buf_puts(b, "</h2>");
  for (size_t i = 0; i < ch->items.n; i++) {
    cmp_item *it = &ch->items.v[i];
    int conf = 0;
    for (size_t x = 0; x < ch->conflicts.n; x++)
      conf |= ch->conflicts.v[x].child_item == (int)i;
    int local = it->ncontent >= CMP_MIN_TERMS && it->best < CMP_T_PARTIAL;
    char cls[64];
    snprintf(cls, sizeof cls, "citem%s%s", local ? " local" : "",
             conf ? " conflict" : "");
    html_item(b, cid, i, it, cls, it->ncontent < CMP_MIN_TERMS ? -1 : it->best);
    if (conf)
      vnp_buf_puts(b, " <span class=\"flag\">&#9888;</span>");
    vnp_buf_puts(b, "<div class=\"links\">");
    if (local)
      vnp_buf_puts(b, "local addition ");
    for (size_t l = 0; l < ch->links.n; l++) {
      cmp_link *k2 = &ch->links.v[l];
      if (k2->child_item != (int)i)
        continue;
      vnp_buf_printf(b, "<a class=\"al\" href=\"#%s%d\">&rarr; ", pid,
                     k2->parent_item);
      html_s(b, p->items.v[k2->parent_item].id);
      vnp_buf_printf(b, " (%.2f)</a><span class=\"ev\">", k2->score);
      for (int e = 0; e < k2->nevidence; e++) {
        size_t sl;
        const char *s = rd_evidence(ch, k2, e, &sl);
        vnp_buf_puts(b, e ? ", " : "");
        html_esc(b, s, sl);
      }
      vnp_buf_puts(b, "</span> ");
    }
    vnp_buf_puts(b, "</div></div>");
  }
  vnp_buf_puts(b, "</div></div></section>");
}

static void rd_html(vnp_compare *c, vnp_buf *b) {
  vnp_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta "
                  "charset=\"utf-8\"><title>vnplan compare: ");
  html_s(b, c->docs[0].number ? c->docs[0].number : c->docs[0].path);
  vnp_buf_puts(b, "</title><style>");
  vnp_buf_puts(b, HTML_CSS);
  vnp_buf_puts(b, "</style></head><body><header><h1>vnplan compare</h1>"
                  "Parent: ");
  html_s(b, c->docs[0].number);
  vnp_buf_puts(b, " &mdash; ");
  html_s(b, c->docs[0].path);
  vnp_buf_printf(b,
                 " &middot; thresholds: covered &ge; %.2f, partly &ge; %.2f"
                 "</header>\n",
                 CMP_T_FULL, CMP_T_PARTIAL);
  for (size_t k = 1; k < c->ndocs; k++)
    rd_html_child(c, b, k);
  vnp_buf_puts(b, "\n</body></html>\n");
}

char *vnp_compare_render(vnp_compare *c, vnp_compare_format fmt, size_t *len) {
  vnp_buf b;
  vnp_buf_init(&b);
  if (c->ran) {
    if (fmt == VNP_COMPARE_JSON)
      rd_json(c, &b);
    else if (fmt == VNP_COMPARE_HTML)
      rd_html(c, &b);
    else
      rd_text(c, &b);
  }
  vnp_buf_putc(&b, 0);
  b.len--;
  return vnp_buf_detach(&b, len);
}

/* ---- gold ---- */

/* Is item `a` of d an ancestor or descendant of `b` (or b itself)? */
static int gd_related(const cmp_doc *d, int a, int b) {
  for (int x = a; x >= 0; x = d->items.v[x].up)
    if (x == b)
      return 1;
  for (int x = b; x >= 0; x = d->items.v[x].up)
    if (x == a)
      return 1;
  return 0;
}

char *vnp_compare_gold(vnp_compare *c, size_t child, const char *tsv,
                       size_t len, double prf[3]) {
  if (!c->ran || child < 1 || child >= c->ndocs)
    return NULL;
  cmp_doc *p = &c->docs[0], *ch = &c->docs[child];
  cmp_gold_pairs gold = {0};
  char *named = xcalloc(ch->items.n + 1, 1);
  vnp_buf rep;
  vnp_buf_init(&rep);
  size_t nlocal = 0, local_ok = 0;
  cmp_gold_read(c, child, tsv, len, &gold, named, &nlocal, &rep);
  size_t npred = 0, tp = 0, tp_len = 0, found = 0, found_len = 0;
  for (size_t l = 0; l < ch->links.n; l++) {
    cmp_link *k = &ch->links.v[l];
    if (!named[k->child_item])
      continue;
    npred++;
    int hit = 0, near = 0;
    for (size_t g = 0; g < gold.n; g++)
      if (gold.v[g].ci == k->child_item) {
        hit |= gold.v[g].pi == k->parent_item;
        near |= gd_related(p, gold.v[g].pi, k->parent_item);
      }
    tp += (size_t)hit;
    tp_len += (size_t)near;
    if (!near)
      vnp_buf_printf(&rep, "extra   %s -> %s (%.2f)\n",
                     ch->items.v[k->child_item].id,
                     p->items.v[k->parent_item].id, k->score);
  }
  for (size_t g = 0; g < gold.n; g++) {
    int hit = 0, near = 0;
    for (size_t l = 0; l < ch->links.n; l++)
      if (ch->links.v[l].child_item == gold.v[g].ci) {
        hit |= ch->links.v[l].parent_item == gold.v[g].pi;
        near |= gd_related(p, gold.v[g].pi, ch->links.v[l].parent_item);
      }
    found += (size_t)hit;
    found_len += (size_t)near;
    if (!near)
      vnp_buf_printf(&rep, "missed  %s -> %s\n", ch->items.v[gold.v[g].ci].id,
                     p->items.v[gold.v[g].pi].id);
  }
  for (size_t ci = 0; ci < ch->items.n; ci++) {
    if (!named[ci])
      continue;
    int has_gold = 0;
    for (size_t g = 0; g < gold.n; g++)
      has_gold |= gold.v[g].ci == (int)ci;
    if (!has_gold && ch->items.v[ci].best < CMP_T_PARTIAL)
      local_ok++;
  }
  size_t nnamed = 0;
  for (size_t x = 0; x < ch->items.n; x++)
    nnamed += (size_t)named[x];
  double P = npred ? (double)tp / (double)npred : 0;
  double R = gold.n ? (double)found / (double)gold.n : 0;
  double F = P + R > 0 ? 2 * P * R / (P + R) : 0;
  double Pl = npred ? (double)tp_len / (double)npred : 0;
  double Rl = gold.n ? (double)found_len / (double)gold.n : 0;
  double Fl = Pl + Rl > 0 ? 2 * Pl * Rl / (Pl + Rl) : 0;
  prf[0] = P;
  prf[1] = R;
  prf[2] = F;
  vnp_buf_printf(&rep,
                 "child items scored: %zu, gold links: %zu, predicted: %zu\n"
                 "strict:  precision %.3f  recall %.3f  F1 %.3f\n"
                 "lenient: precision %.3f  recall %.3f  F1 %.3f  (an "
                 "ancestor or descendant of the gold parent item counts)\n"
                 "local additions in gold: %zu, found as local: %zu\n",
                 nnamed, gold.n, npred, P, R, F, Pl, Rl, Fl, nlocal, local_ok);
  free(named);
  vnp_vec_free(gold);
  return vnp_buf_detach(&rep, NULL);
}
