#!/bin/sh
# Accuracy: scores the parser against every gold file in corpus/gold/
# (set "clean") and, when corpus/ocr/SET/ exists, the OCR copies in it
# against the same gold (set "ocr-SET"), each against its floors in
# corpus/THRESHOLDS; the clean set also scores the alignment of `vnplan
# compare` against the gold pairs in corpus/pairs/ (field "alignment")
# on which compare's thresholds were calibrated; a pair whose file has a
# line starting "# held-out" (never used to tune compare) is scored on its
# own as set "heldout", against its own floor. Then a few checks of
# `vnplan eval` itself.
#
#   sh tests/eval.sh build/vnplan            tables + floors + checks
#   sh tests/eval.sh build/vnplan --readme   also rewrite the README table
#
# Fails (exit 1) if a score is below its floor or a check fails.
set -u
VNPLAN=${1:?usage: eval.sh path/to/vnplan [--readme]}
README=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL eval: $*"; }
cd "$root" || exit 1

# ---- scores ----
sets="clean"
heldout=$(grep -l '^# held-out' corpus/pairs/*.tsv)
calibrated=$(grep -L '^# held-out' corpus/pairs/*.tsv)
# shellcheck disable=SC2086 # the lists of pair files are split on purpose
"$VNPLAN" eval --rules rules --set clean --thresholds corpus/THRESHOLDS \
  --pairs $calibrated corpus/gold/*.json && ok || bad "clean scores below the floors in corpus/THRESHOLDS"
if [ -n "$heldout" ]; then
  echo
  # shellcheck disable=SC2086
  "$VNPLAN" eval --rules rules --set heldout --thresholds corpus/THRESHOLDS \
    --pairs $heldout && ok || bad "held-out pairs below the floors in corpus/THRESHOLDS"
fi
"$VNPLAN" eval --rules rules --set clean --json corpus/gold/*.json > "$tmp/clean.json"
for q in clean degraded bad; do
  [ -d "corpus/ocr/$q" ] || continue
  sets="$sets ocr-$q"
  echo
  "$VNPLAN" eval --rules rules --set "ocr-$q" --source-dir "corpus/ocr/$q" \
    --thresholds corpus/THRESHOLDS corpus/gold/*.json \
    && ok || bad "ocr-$q scores below the floors in corpus/THRESHOLDS"
  "$VNPLAN" eval --rules rules --set "ocr-$q" --source-dir "corpus/ocr/$q" \
    --json corpus/gold/*.json > "$tmp/ocr-$q.json"
done

# ---- checks of the command ----
# --json is JSON with a total per scored field
jq -e '.total.headings.f1 >= 0 and (.documents | length) > 0' "$tmp/clean.json" >/dev/null \
  && ok || bad "--json output"
# a gold with a wrong heading fails its floor, and --explain names the fact
jq '.sections[0].title = "NOT A HEADING OF THIS DOCUMENT"
    | .source.path = "'"$root"'/corpus/seed-000.txt"' corpus/gold/seed-000.json > "$tmp/wrong.json"
printf 'clean headings 1.0\n' > "$tmp/T"
"$VNPLAN" eval --rules rules --explain --thresholds "$tmp/T" "$tmp/wrong.json" > "$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'below the floor' "$tmp/err" && ok || bad "floor not enforced (rc=$rc)"
grep -q 'miss  headings   1 | I. | NOT A HEADING OF THIS DOCUMENT' "$tmp/out" \
  && grep -q 'false headings   1 | I. | MỤC ĐÍCH, YÊU CẦU' "$tmp/out" \
  && ok || bad "--explain does not list the miss and the false hit"
# an unreadable source is exit 1, an unknown option exit 2
jq '.source.path = "does-not-exist.txt"' corpus/gold/seed-000.json > "$tmp/nosrc.json"
"$VNPLAN" eval --rules rules "$tmp/nosrc.json" >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && ok || bad "missing source: rc=$rc, want 1"
printf '{"source": {"path": "x.txt"},\n  "sections": [' > "$tmp/broken.json"
"$VNPLAN" eval --rules rules "$tmp/broken.json" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'broken.json:2:' "$tmp/err" && ok || bad "malformed gold: rc=$rc, want 1 and file:line"
"$VNPLAN" eval --bogus corpus/gold/seed-000.json >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok || bad "unknown option: rc=$rc, want 2"
# an OCR copy is scored against the clean gold (here: the clean text
# itself through --ocr-of, which ignores spans) and scores the same
"$VNPLAN" eval --rules rules --json --ocr-of corpus/gold/seed-003.json corpus/seed-003.txt \
  | jq -c '.total' > "$tmp/ocrof"
jq -c '.documents[] | select(.gold == "corpus/gold/seed-003.json") | .fields' "$tmp/clean.json" > "$tmp/self"
cmp -s "$tmp/ocrof" "$tmp/self" && ok || bad "--ocr-of on the clean text differs from the clean score"

# --pairs: a row per pair and in the total, in --json too; the counts
# are those of `vnplan compare --gold`
"$VNPLAN" eval --rules rules --json --pairs corpus/pairs/*.tsv > "$tmp/pairs.json"; rc=$?
npairs=$(ls corpus/pairs/*.tsv | wc -l)
[ $rc -eq 0 ] && jq -e --argjson n "$npairs" '(.pairs | length) == $n and (.documents | length) == 0
    and .total.alignment.tp == ([.pairs[].fields.alignment.tp] | add)
    and (.pairs[] | select(.pair == "corpus/pairs/05-01.tsv")
         | .child == "corpus/05_kh3260-ddqh15-2025_dang-doan-quoc-hoi_thuc-hien-nq57.txt"
           and .parent == "corpus/01_nq57-ntw-2024_bo-chinh-tri_khcn-dmst-cds.txt")' \
  "$tmp/pairs.json" >/dev/null && ok || bad "--pairs --json (rc=$rc)"
for p in corpus/pairs/*.tsv; do
  n=$(basename "$p" .tsv)
  want=$("$VNPLAN" compare --rules rules --gold "$p" corpus/"${n#*-}"_*.txt corpus/"${n%-*}"_*.txt 2>/dev/null \
    | sed -n 's/^strict: *precision \([0-9.]*\) *recall \([0-9.]*\) *F1 \([0-9.]*\).*/\1 \2 \3/p')
  got=$(jq -r --arg p "$p" '.pairs[] | select(.pair == $p) | .fields.alignment
    | "\(.precision) \(.recall) \(.f1)"' "$tmp/pairs.json" \
    | awk '{ printf "%.3f %.3f %.3f", $1, $2, $3 }')
  [ -n "$want" ] && [ "$want" = "$got" ] && ok || bad "$p: eval '$got', compare --gold '$want'"
done
"$VNPLAN" eval --rules rules --pairs corpus/pairs/05-01.tsv | grep -q '^  alignment ' \
  && ok || bad "--pairs: no alignment row in the table"
# an alignment floor is enforced; a pair line naming no item is an error
printf 'clean alignment 1.0\n' > "$tmp/T"
"$VNPLAN" eval --rules rules --thresholds "$tmp/T" corpus/pairs/05-01.tsv >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q 'alignment: F1 .* below the floor' "$tmp/err" && ok || bad "alignment floor not enforced (rc=$rc)"
mkdir -p "$tmp/c/pairs" && cp corpus/01_*.txt corpus/05_*.txt "$tmp/c/"
printf 'NO.SUCH.ITEM\tIII.1\tfull\n' > "$tmp/c/pairs/05-01.tsv"
"$VNPLAN" eval --rules rules "$tmp/c/pairs/05-01.tsv" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q '1 line names no item' "$tmp/err" && ok || bad "bad pair line: rc=$rc, want 1"

# ---- README table ----
if [ "$README" = --readme ]; then
  {
    echo "<!-- EVAL-TABLE -->"
    echo "Measured by \`make eval\` on $(ls corpus/gold/*.json | wc -l) documents with reviewed gold"
    echo "(\`corpus/gold/\`, see \`docs/eval.md\`); counts summed over the documents"
    echo "that annotate the field (column documents). Known parser errors:"
    echo "\`corpus/gold/KNOWN-MISSES.md\`."
    echo
    echo "| field | documents | tp | fp | fn | precision | recall | F1 |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    jq -r '. as $r | .total | to_entries[] | .key as $k | [$k, ([$r.documents[] | select(.fields[$k] != null)] | length), .value.tp, .value.fp, .value.fn, .value.precision, .value.recall, .value.f1] | @tsv' "$tmp/clean.json" \
      | awk -F'\t' '{ printf "| %s | %d | %d | %d | %d | %.3f | %.3f | %.3f |\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
    if [ "$sets" != clean ]; then
      echo
      echo "F1 on the OCR copies (\`corpus/ocr/SET/\`: Tesseract output at three scan"
      echo "qualities) scored against the same gold, spans ignored:"
      echo
      printf '| F1 per set |'; for s in $sets; do printf ' %s |' "$s"; done; echo
      printf '|---|'; for s in $sets; do printf -- '---:|'; done; echo
      for f in $(jq -r '.total | keys_unsorted[]' "$tmp/clean.json"); do
        printf '| %s |' "$f"
        for s in $sets; do
          printf ' %s |' "$(jq -r --arg f "$f" '.total[$f].f1 // empty' "$tmp/$s.json" | awk '{ printf "%.3f", $1 }')"
        done
        echo
      done
    fi
    echo "<!-- /EVAL-TABLE -->"
  } > "$tmp/table"
  awk -v t="$tmp/table" '
    /<!-- EVAL-TABLE -->/ { while ((getline l < t) > 0) print l; skip = 1; next }
    /<!-- \/EVAL-TABLE -->/ { skip = 0; next }
    !skip { print }' README.md > "$tmp/README" && cp "$tmp/README" README.md
  echo "README.md: accuracy table rewritten"
fi

echo "eval: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
