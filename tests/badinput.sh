#!/bin/sh
# Bad input: each case must give a clear message, a defined exit code, no
# crash and no hang, and must not stop the other files of the same run.
set -u
VNPLAN=${1:?usage: badinput.sh path/to/vnplan}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL badinput: $*"; }
good="$root/corpus/seed-000.txt"
run() { timeout 60 "$VNPLAN" parse --rules "$root/rules" --jsonl "$@"; }

# missing file: message names the file, exit 1, the good file still parsed
out=$(run "$tmp/missing.txt" "$good" 2>"$tmp/err"); rc=$?
[ $rc -eq 1 ] && grep -q "missing.txt: No such file" "$tmp/err" && [ "$(printf '%s\n' "$out" | grep -c '"schema"')" -eq 1 ] && ok || bad "missing file (rc=$rc)"
# a directory
run "$tmp" "$good" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "is a directory" "$tmp/err" && ok || bad "directory (rc=$rc)"
# empty file: JSON with an error diagnostic
: > "$tmp/empty.txt"
out=$(run "$tmp/empty.txt" 2>"$tmp/err"); rc=$?
[ $rc -eq 1 ] && printf '%s' "$out" | jq -e '.diagnostics[] | select(.code=="empty-input")' >/dev/null && ok || bad "empty (rc=$rc)"
# binary file with NUL bytes
head -c 20000 /dev/urandom > "$tmp/bin.dat"; printf '\0\0\0\0' >> "$tmp/bin.dat"
head -c 4096 /dev/zero >> "$tmp/bin.dat"
out=$(run "$tmp/bin.dat" "$good" 2>"$tmp/err"); rc=$?
[ $rc -eq 1 ] && printf '%s\n' "$out" | head -1 | jq -e '.diagnostics[] | select(.code=="binary-input")' >/dev/null && [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] && ok || bad "binary (rc=$rc)"
# invalid UTF-8: repaired, warning with the byte offset, valid JSON out
printf 'KẾ HOẠCH\nabc\377def\n' > "$tmp/bad8.txt"
out=$(run "$tmp/bad8.txt" 2>"$tmp/err"); rc=$?
[ $rc -eq 0 ] && printf '%s' "$out" | jq -e '.diagnostics[] | select(.code=="invalid-encoding" and (.message|test("byte offset 16")))' >/dev/null && ok || bad "invalid utf-8 (rc=$rc)"
# a 50 MB single line
head -c 37500000 /dev/zero | base64 -w0 > "$tmp/long.txt"
out=$(run "$tmp/long.txt" 2>"$tmp/err"); rc=$?
[ $rc -eq 0 ] && printf '%s' "$out" | jq -e '.source.bytes == 50000000' >/dev/null && ok || bad "50 MB line (rc=$rc)"
# no headings at all
printf 'Một đoạn văn bản không có tiêu đề nào.\n\nĐoạn thứ hai.\n' > "$tmp/plain.txt"
out=$(run "$tmp/plain.txt" 2>"$tmp/err"); rc=$?
[ $rc -eq 0 ] && printf '%s' "$out" | jq -e '(.sections|length)==0' >/dev/null && ok || bad "no headings (rc=$rc)"
# write error: /dev/full
if [ -w /dev/full ]; then
  "$VNPLAN" parse --rules "$root/rules" "$good" > /dev/full 2>"$tmp/err"; rc=$?
  [ $rc -ne 0 ] && grep -q "error writing output" "$tmp/err" && ok || bad "/dev/full (rc=$rc)"
fi
# usage errors exit 2
"$VNPLAN" parse --bogus >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown option"
"$VNPLAN" frobnicate >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown command"
echo "badinput: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
