#!/bin/sh
# Command-line behaviour: -j N gives the same bytes as -j 1, normalize,
# rule-file errors (golden stderr in corpus/errors/), help and version.
set -u
VNPLAN=${1:?usage: cli.sh path/to/vnplan}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL cli: $*"; }
cd "$root" || exit 1

# -j: output order and bytes do not depend on the number of threads
set -- corpus/*.txt corpus/*.txt corpus/*.txt
"$VNPLAN" parse --jsonl -j 1 "$@" > "$tmp/j1" 2>&1
"$VNPLAN" parse --jsonl -j 4 "$@" > "$tmp/j4" 2>&1
[ -s "$tmp/j1" ] && cmp -s "$tmp/j1" "$tmp/j4" && ok || bad "-j 4 differs from -j 1"
[ "$(wc -l < "$tmp/j1")" -eq $# ] && ok || bad "--jsonl: expected $# lines"
# -j with several documents: a job whose predecessors are all printed
# streams its JSON to stdout, the others buffer theirs; the bytes (stdout
# and stderr, in order) are those of one run per file
set -- corpus/1*.txt /nonexistent corpus/seed-00*.txt corpus/0*.txt
for f in "$@"; do "$VNPLAN" parse --pretty "$f" 2>&1; done > "$tmp/p1"
"$VNPLAN" parse --pretty -j 3 "$@" > "$tmp/p3" 2>&1
[ -s "$tmp/p1" ] && cmp -s "$tmp/p1" "$tmp/p3" && ok || bad "-j 3 --pretty differs from one run per file"
# --files-from: paths from a list, after the command-line ones, same bytes
ls corpus/*.txt > "$tmp/list"
"$VNPLAN" parse --jsonl -j 2 corpus/seed-000.txt --files-from "$tmp/list" > "$tmp/ff" 2>&1
"$VNPLAN" parse --jsonl -j 1 corpus/seed-000.txt corpus/*.txt > "$tmp/ff1" 2>&1
cmp -s "$tmp/ff" "$tmp/ff1" && ok || bad "--files-from differs from arguments"
# stdin and a file give the same document apart from the path
"$VNPLAN" parse corpus/seed-003.txt | jq -S 'del(.source.path)' > "$tmp/a"
"$VNPLAN" parse - < corpus/seed-003.txt | jq -S 'del(.source.path)' > "$tmp/b"
cmp -s "$tmp/a" "$tmp/b" && ok || bad "stdin differs from file"
# normalize prints text; --changes prints the change list as a JSON array
"$VNPLAN" normalize corpus/seed-000.txt > "$tmp/n" 2>"$tmp/c"; rc=$?
[ $rc -eq 0 ] && [ -s "$tmp/n" ] && ok || bad "normalize (rc=$rc)"
"$VNPLAN" normalize --changes corpus/seed-000.txt > "$tmp/c"
jq -e 'type == "array"' "$tmp/c" >/dev/null && ok || bad "normalize --changes is not a JSON array"
# help, version, usage errors
"$VNPLAN" --help | grep -q "vnplan parse\|parse \[FILE" && ok || bad "--help"
"$VNPLAN" --version | grep -q '^vnplan [0-9]' && ok || bad "--version"
"$VNPLAN" parse -j 0 x >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "-j 0 must be a usage error"
"$VNPLAN" parse --tone-style=nope x >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "bad tone style"
# rule-file errors: each corpus/errors/NAME/ is a rules dir; NAME.stderr
# holds the exact expected message (paths relative to the repo root)
for d in corpus/errors/*/; do
  name=$(basename "$d")
  "$VNPLAN" parse --rules "corpus/errors/$name" corpus/seed-000.txt > /dev/null 2> "$tmp/err"; rc=$?
  if [ $rc -eq 2 ] && diff -u "corpus/errors/$name.stderr" "$tmp/err" > "$tmp/d"; then ok; else bad "rules error $name (rc=$rc)"; cat "$tmp/d"; fi
done
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
