#!/bin/sh
# No Vietnamese vocabulary in the C sources: every phrase lives in rules/.
# Fails on a double-quoted string in pipeline/*.c or *.h that holds a
# Latin letter with a diacritic (U+00C0-U+1EF9). Comments quote Vietnamese
# examples with single quotes, so they are not flagged.
cd "$(dirname "$0")/.." || exit 2
hits=$(LC_ALL=C.UTF-8 grep -nP '"[^"\n]*[\x{00C0}-\x{1EF9}][^"\n]*"' pipeline/*.c pipeline/*.h)
if [ -n "$hits" ]; then
  printf '%s\n' "$hits"
  echo "novn: Vietnamese text in a C string (vocabulary belongs in rules/)"
  exit 1
fi
echo "novn: no Vietnamese text in pipeline/*.c, *.h"
