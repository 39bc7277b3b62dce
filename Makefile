# vnplan - Vietnamese directive documents to structured JSON.
#
#   make test      install missing Debian packages, build, run every test
#   make demo      parse a bundled corpus document and print its JSON
#   make install   PREFIX=/usr/local DESTDIR=
#
# Every output goes to build/; `make clean` removes it.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
LIBDIR = $(PREFIX)/lib
INCDIR = $(PREFIX)/include
DATADIR = $(PREFIX)/share/vnplan
PKGCONFIGDIR = $(LIBDIR)/pkgconfig

CC ?= cc
CFLAGS ?= -O2 -g
PKGS = libpcre2-8 libutf8proc icu-uc nettle jansson
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN = -std=c11 -Wall -Wextra -Werror -pedantic -Wstrict-prototypes \
       -Wno-overlength-strings
ALL_CFLAGS = $(WARN) -D_GNU_SOURCE -fPIC -pthread $(PKG_CFLAGS) \
             -DVNP_RULES_DIR='"$(DATADIR)/rules"' $(CFLAGS)
LDLIBS = $(PKG_LIBS) -lm -pthread

B = build
LIB_SRC = $(filter-out pipeline/cli%.c,$(wildcard pipeline/*.c))
LIB_OBJ = $(LIB_SRC:pipeline/%.c=$(B)/obj/%.o)
CLI_SRC = $(wildcard pipeline/cli*.c)
CLI_OBJ = $(CLI_SRC:pipeline/%.c=$(B)/obj/%.o)
TEST_SRC = $(wildcard tests/test_*.c)
TEST_OBJ = $(TEST_SRC:tests/%.c=$(B)/tobj/%.o)
HDRS = $(wildcard pipeline/*.h)

.PHONY: all deps test unit golden rules-test badinput cli schema pathological install-test bench demo install clean \
        asan leakcheck format golden-update eval eval-readme compare

all: $(B)/vnplan $(B)/libvnplan.a $(B)/libvnplan.so

deps:
	@sh .ci/deps

$(B)/obj/%.o: pipeline/%.c $(HDRS) | $(B)/obj
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/tobj/%.o: tests/%.c $(HDRS) | $(B)/tobj
	$(CC) $(ALL_CFLAGS) -Ipipeline -c $< -o $@

$(B)/obj $(B)/tobj:
	mkdir -p $@

$(B)/libvnplan.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/libvnplan.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libvnplan.so.0 -o $@ $^ $(LDLIBS)

$(B)/vnplan: $(CLI_OBJ) $(B)/libvnplan.a
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(B)/libvnplan.a $(LDLIBS)

$(B)/unit-tests: $(TEST_OBJ) $(B)/libvnplan.a
	$(CC) $(ALL_CFLAGS) -o $@ $(TEST_OBJ) $(B)/libvnplan.a $(LDLIBS) \
	  $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)

# The test target installs what is missing first, then builds in a
# sub-make so that pkg-config sees the freshly installed packages.
test: deps
	@$(MAKE) --no-print-directory unit rules-test golden badinput cli schema pathological install-test eval compare

unit: $(B)/unit-tests $(B)/vnplan
	VNPLAN_RULES=$(CURDIR)/rules VNPLAN_ROOT=$(CURDIR) \
	  $(B)/unit-tests --jobs 2

rules-test: $(B)/vnplan
	$(B)/vnplan rules test rules
	sh tests/novn.sh

golden: $(B)/vnplan
	sh tests/golden.sh $(B)/vnplan

golden-update: $(B)/vnplan
	sh tests/golden.sh $(B)/vnplan --update

# Accuracy against corpus/gold/ (and corpus/ocr/ when present); fails
# below the floors in corpus/THRESHOLDS. eval-readme also rewrites the
# README's accuracy table.
eval: $(B)/vnplan
	sh tests/eval.sh $(B)/vnplan

eval-readme: $(B)/vnplan
	sh tests/eval.sh $(B)/vnplan --readme

badinput: $(B)/vnplan
	sh tests/badinput.sh $(B)/vnplan

cli: $(B)/vnplan
	sh tests/cli.sh $(B)/vnplan

schema: $(B)/vnplan
	sh tests/schema.sh $(B)/vnplan

pathological: $(B)/vnplan
	sh tests/pathological.sh $(B)/vnplan

compare: $(B)/vnplan
	sh tests/compare.sh $(B)/vnplan
	ARTIFACTS=$(B)/artifacts sh tests/compare_html.sh $(B)/vnplan

install-test: all
	sh tests/install.sh

demo: $(B)/vnplan
	$(B)/vnplan parse --pretty --rules rules corpus/seed-003.txt

bench: all
	sh bench/run.sh $(B)/vnplan

asan:
	$(MAKE) B=build/asan CFLAGS='-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all' unit golden badinput

# valgrind over the corpus, failing on leaks only: PCRE2's JIT code reads
# past the subject in 16-byte vectors, which valgrind reports as invalid
# reads (known false positives); ASan/LSan in `make asan` check the rest.
leakcheck: $(B)/vnplan
	@for f in corpus/*.txt; do \
	  valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    --log-file=$(B)/valgrind.log $(B)/vnplan parse --rules rules $$f >/dev/null; \
	  grep -E "(definitely|indirectly) lost: [1-9]" $(B)/valgrind.log && { echo "leak: $$f"; exit 1; }; \
	  echo "no leak: $$f"; \
	done

format:
	clang-format -i pipeline/*.c pipeline/*.h tests/*.c

$(B)/vnplan.pc: Makefile
	mkdir -p $(B)
	printf 'prefix=%s\nlibdir=%s\nincludedir=%s\n\nName: vnplan\nDescription: Vietnamese directive documents to structured JSON\nVersion: 0.1.0\nRequires.private: %s\nLibs: -L$${libdir} -lvnplan\nLibs.private: -pthread\nCflags: -I$${includedir}\n' \
	  '$(PREFIX)' '$(LIBDIR)' '$(INCDIR)' '$(PKGS)' > $@

install: all $(B)/vnplan.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) \
	  $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(DATADIR)/rules
	install -m 755 $(B)/vnplan $(DESTDIR)$(BINDIR)/vnplan
	install -m 644 $(B)/libvnplan.a $(DESTDIR)$(LIBDIR)/libvnplan.a
	install -m 755 $(B)/libvnplan.so $(DESTDIR)$(LIBDIR)/libvnplan.so.0
	ln -sf libvnplan.so.0 $(DESTDIR)$(LIBDIR)/libvnplan.so
	install -m 644 pipeline/vnplan.h $(DESTDIR)$(INCDIR)/vnplan.h
	install -m 644 $(B)/vnplan.pc $(DESTDIR)$(PKGCONFIGDIR)/vnplan.pc
	install -m 644 rules/* $(DESTDIR)$(DATADIR)/rules/

clean:
	rm -rf build
