/*
 * extract.h - rule-driven extraction of tasks, bodies, deadlines, targets,
 * citations and funding (internal).
 */
#ifndef VNP_EXTRACT_H
#define VNP_EXTRACT_H

#include "doc.h"
#include "json.h"
#include "rules.h"

struct vnp_ext;

/* Runs every extractor over the segmented document; results in d->ext. */
void extract_run(vnp_doc *d);
/* Writes the "tasks", "targets", "citations", ... keys of the top-level
 * object. */
void extract_json(const vnp_doc *d, json_w *w);
void extract_free(struct vnp_ext *ext);

/* For `vnplan rules test`: if extraction derives a value for `key` from
 * the current match of `r` on `text`, appends it to `out` and returns 1. */
int extract_example_value(const vnp_rules *rs, const rule *r,
                          const char *text, size_t len, pcre2_match_data *md,
                          const char *key, vnp_buf *out);

#endif
