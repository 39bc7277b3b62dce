#!/bin/sh
# OCR heading survival: for each OCR quality directory (corpus/ocr/QUALITY/
# NAME.txt, from the ocr branch), parse the OCR copy and count how many of
# the clean document's golden headings (corpus/NAME.headings: level, label,
# title) come out identical, exactly and diacritic-insensitively (marks
# stripped, case folded, đ -> d).
#   sh tests/ocr_headings.sh build/vnplan [OCR_DIR]
set -u
VNPLAN=${1:?usage: ocr_headings.sh path/to/vnplan [ocr-dir]}
root=$(cd "$(dirname "$0")/.." && pwd)
OCR=${2:-$root/corpus/ocr}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fold() { python3 -c '
import sys, unicodedata
for l in sys.stdin:
    l = unicodedata.normalize("NFD", l.rstrip("\n")).replace("\u0111", "d").replace("\u0110", "D")
    print("".join(c for c in l if unicodedata.category(c) != "Mn").casefold())'; }
for q in clean degraded bad; do
  [ -d "$OCR/$q" ] || continue
  tot=0; ex=0; fo=0
  for gold in "$root"/corpus/*.headings; do
    name=$(basename "$gold" .headings)
    [ -f "$OCR/$q/$name.txt" ] || continue
    "$VNPLAN" parse --rules "$root/rules" "$OCR/$q/$name.txt" 2>/dev/null |
      jq -r '[.sections[] | recurse(.children[]?) | select(.type=="section" and .heading) | "\(.level)\t\(.label)\t\(.title)"] | .[]' > "$tmp/got"
    n=$(wc -l < "$gold")
    # multiset intersection of lines
    e=$(sort "$gold" > "$tmp/a"; sort "$tmp/got" > "$tmp/b"; comm -12 "$tmp/a" "$tmp/b" | wc -l)
    f=$(fold < "$gold" | sort > "$tmp/a"; fold < "$tmp/got" | sort > "$tmp/b"; comm -12 "$tmp/a" "$tmp/b" | wc -l)
    [ "${VERBOSE:-}" ] && printf '  %-70s %4d %4d %4d\n' "$name" "$n" "$e" "$f"
    tot=$((tot+n)); ex=$((ex+e)); fo=$((fo+f))
  done
  printf '%-9s headings %4d  exact %4d (%s%%)  folded %4d (%s%%)\n' "$q" "$tot" "$ex" \
    "$(echo "scale=1; 100*$ex/$tot" | bc)" "$fo" "$(echo "scale=1; 100*$fo/$tot" | bc)"
done
