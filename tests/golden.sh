#!/bin/sh
# Golden tests: parse each corpus/NAME.txt (options in NAME.args) and
# compare with NAME.json (full expected output, reviewed by eye) and/or
# NAME.headings (level, label and title of every heading).
# With --update, rewrite the expected files (review the diff!).
set -u
VNPLAN=${1:?usage: golden.sh path/to/vnplan [--update]}
UPDATE=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
pass=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for txt in "$root"/corpus/*.txt; do
  name=$(basename "$txt" .txt)
  args=""
  [ -f "$root/corpus/$name.args" ] && args=$(cat "$root/corpus/$name.args")
  # shellcheck disable=SC2086
  (cd "$root" && "$VNPLAN" parse --pretty --rules rules $args "corpus/$name.txt") > "$tmp/$name.json" 2>"$tmp/$name.err"
  for kind in json headings; do
    exp="$root/corpus/$name.$kind"
    if [ "$kind" = headings ]; then
      jq -r '[.sections[] | recurse(.children[]?) | select(.type=="section" and .heading) | "\(.level)\t\(.label)\t\(.title)"] | .[]' "$tmp/$name.json" > "$tmp/$name.headings"
    fi
    [ -f "$exp" ] || [ "$UPDATE" = --update ] || continue
    if [ "$UPDATE" = --update ]; then
      [ "$kind" = headings ] && [ ! -f "$exp" ] && continue
      cp "$tmp/$name.$kind" "$exp"; continue
    fi
    if diff -u "$exp" "$tmp/$name.$kind" > "$tmp/diff"; then
      pass=$((pass+1))
    else
      fail=$((fail+1)); echo "FAIL golden $name.$kind"; head -60 "$tmp/diff"
    fi
  done
done
echo "golden: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
