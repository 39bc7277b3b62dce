/*
 * limits.h - every hard limit of the pipeline, with its reason (md4c
 * "internal limits", jq MAX_PARSING_DEPTH). Reaching one gives a diagnostic,
 * never a crash.
 */
#ifndef VNP_LIMITS_H
#define VNP_LIMITS_H

/* Heading nesting deeper than this is folded into the deepest level: real
 * documents use at most 6 numbering levels. */
#define VNP_MAX_DEPTH 16
/* Diagnostics kept per document; the rest are counted in one summary. */
#define VNP_MAX_DIAGS 1000
/* PCRE2 match limit per pattern call: bounds backtracking on OCR garbage. */
#define VNP_PCRE_MATCH_LIMIT 1000000
/* PCRE2 depth (heap frames) limit per call. */
#define VNP_PCRE_DEPTH_LIMIT 10000
/* Rules per directory: guards against a runaway generated rule file. */
#define VNP_MAX_RULES 10000
/* Length of one rule-file line, after continuation. */
#define VNP_MAX_RULE_LINE 65536
/* Extraction runs on at most this many bytes of one paragraph: longer
 * "paragraphs" are binary or run-together junk, not prose. */
#define VNP_MAX_EXTRACT_PARA (1u << 20)
/* Text of one paragraph kept in the offset map as uint32 offsets. */
#define VNP_MAX_LINE ((1u << 31) - 1)

#endif
