#!/bin/sh
# Validates the JSON of every corpus document (and of odd inputs) against
# docs/schema.json with python3-jsonschema (Debian package).
set -u
VNPLAN=${1:?usage: schema.sh path/to/vnplan}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf '\377\376K\000\n\000' > "$tmp/utf16.txt"
printf 'x\001y\033z "q" \\ \177\n' > "$tmp/controls.txt"
printf '' > "$tmp/empty.txt"
"$VNPLAN" parse --jsonl --rules "$root/rules" "$root"/corpus/*.txt "$tmp"/*.txt > "$tmp/all.jsonl" 2>/dev/null
/usr/bin/python3 - "$root/docs/schema.json" "$tmp/all.jsonl" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
ok = bad = 0
for n, line in enumerate(open(sys.argv[2], encoding="utf-8"), 1):
    doc = json.loads(line)
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    if errs:
        bad += 1
        print("FAIL schema: %s" % doc.get("source", {}).get("path"))
        for e in errs[:5]:
            print("  at /%s: %s" % ("/".join(map(str, e.path)), e.message[:200]))
    else:
        ok += 1
print("schema: %d passed, %d failed" % (ok, bad))
sys.exit(1 if bad or not ok else 0)
PY
