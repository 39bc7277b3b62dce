/*
 * test_util.h - helpers shared by the Criterion test files (tests/test_*.c
 * are linked into one binary; test_util.c holds no tests).
 */
#ifndef VNP_TEST_UTIL_H
#define VNP_TEST_UTIL_H

#include "vnplan.h"

#include <stddef.h>

/* The rules under test: $VNPLAN_RULES, else $VNPLAN_ROOT/rules, else
 * ./rules. A load error fails the calling test with the loader's message. */
vnp_rules *tu_rules_load(void);

/* The whole file PATH, NUL-terminated (free it); *len gets its size when
 * len is not NULL. A missing file fails the calling test. */
char *tu_slurp(const char *path, size_t *len);

/* The whole file $VNPLAN_ROOT/corpus/NAME, as tu_slurp. */
char *tu_corpus(const char *name, size_t *len);

#endif
