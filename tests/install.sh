#!/bin/sh
# `make install` into a DESTDIR: the binary finds its installed rules, and a
# program embedding libvnplan builds from the installed header, library and
# pkg-config file.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL install: $*"; }
make -s -C "$root" install DESTDIR="$tmp" PREFIX=/usr > "$tmp/log" 2>&1 || { cat "$tmp/log"; bad "make install"; }
for f in usr/bin/vnplan usr/lib/libvnplan.a usr/lib/libvnplan.so usr/include/vnplan.h usr/lib/pkgconfig/vnplan.pc usr/share/vnplan/rules/base.rules; do
  [ -e "$tmp/$f" ] && ok || bad "missing $f"
done
# the installed binary finds ../share/vnplan/rules by itself
(cd /tmp && "$tmp/usr/bin/vnplan" parse "$root/corpus/seed-000.txt" | jq -e '.schema' >/dev/null) && ok || bad "installed vnplan cannot parse"
cat > "$tmp/embed.c" <<'C'
#include <vnplan.h>
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
  vnp_rules *r; vnp_error e;
  if (vnp_rules_load(argv[1], &r, &e)) { fprintf(stderr, "%s\n", e.message); return 1; }
  vnp_pipeline *p = vnp_pipeline_new(r, NULL);
  const char *doc = "KE HOACH\n\nI. MUC DICH\n";
  vnp_pipeline_feed(p, doc, strlen(doc));
  vnp_pipeline_finish(p);
  char *js = vnp_pipeline_json(p, 0, NULL);
  int good = strstr(js, "\"schema\":\"vnplan/") != NULL;
  vnp_free(js); vnp_pipeline_free(p); vnp_rules_free(r);
  (void)argc;
  return good ? 0 : 1;
}
C
export PKG_CONFIG_SYSROOT_DIR="$tmp" PKG_CONFIG_PATH="$tmp/usr/lib/pkgconfig"
if cc -o "$tmp/embed" "$tmp/embed.c" $(pkg-config --cflags vnplan) "$tmp/usr/lib/libvnplan.a" $(pkg-config --libs --static vnplan | sed 's/-lvnplan//') 2>"$tmp/cc.log"; then
  "$tmp/embed" "$tmp/usr/share/vnplan/rules" && ok || bad "embedded program failed"
else
  cat "$tmp/cc.log"; bad "cannot build against the installed library"
fi
echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
