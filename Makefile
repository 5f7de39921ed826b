# rightstrack — one non-recursive GNU Makefile (STACK.md section 11).
#
#   make            build build/$(BUILD)/rightstrack (BUILD=debug|release|asan)
#   make run        bootstrap, build, load the demo data, start the tour
#   make test       bootstrap, build, run every test, then again under ASan+UBSan
#   make check      run the tests of one build (no bootstrap, no second pass)
#   make check-web  the browser and API tests (tests/web, Node + Debian chromium) on that build
#   make api-lint   docs/api.yaml through an OpenAPI validator (Redocly CLI; check-web runs it)
#   make fuzz       a libFuzzer target until stopped (FUZZ_TARGET=readout|query|text|import|http)
#   make fuzz-check a bounded run of each fuzz target (FUZZ_CHECK_TIME s; make test runs it)
#   make install    PREFIX=/usr/local DESTDIR=

BUILD   ?= debug
PREFIX  ?= /usr/local
DESTDIR ?=
O       := build/$(BUILD)

CC      ?= cc
PKGS    := jansson libutf8proc sqlite3 libsodium libmicrohttpd nettle libzip expat icu-uc icu-i18n \
           libpq
# Only rightstrack-serve links libmicrohttpd (and through it GnuTLS).
SERVE_PKGS := libmicrohttpd
CSV_LIBS     ?= -lcsv
STEMMER_LIBS ?= -lstemmer
XLSX_LIBS    ?= -lxlsxwriter
# CRoaring (libroaring-dev): Debian ships no pkg-config file for it.
ROARING_LIBS ?= -lroaring

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wvla -Wimplicit-fallthrough -Wcast-qual -Werror
CFLAGS_debug   := -O0 -g3
CFLAGS_release := -O2 -DNDEBUG -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS_asan    := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
                  -fno-omit-frame-pointer
CFLAGS_fuzz    := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
                  -fno-omit-frame-pointer
LDFLAGS_release := -pie -Wl,-z,relro,-z,now
LDFLAGS_asan    := -fsanitize=address,undefined
LDFLAGS_fuzz    := -fsanitize=address,undefined
# libFuzzer comes with clang (Debian: clang, libclang-rt-dev).
ifeq ($(BUILD),fuzz)
CC := clang
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

BASE_CFLAGS := -std=c17 -D_DEFAULT_SOURCE -fvisibility=hidden $(WARN) $(CFLAGS_$(BUILD)) \
               -MMD -MP $(PKG_CFLAGS)
LIB_CFLAGS  := $(BASE_CFLAGS) -Iinclude -Isrc -I$(O)/gen
# The faces include only include/rightstrack/; banned.h comes to them forced, so that a
# banned libc call in src/cli/ or src/http/ fails to compile as it does in the library.
FACE_CFLAGS := $(BASE_CFLAGS) -Iinclude -include src/base/banned.h
# libpq is not linked: src/store/pg/pq.c loads it when a PostgreSQL store is opened.
LIBS        := $(filter-out $(shell pkg-config --libs $(SERVE_PKGS) libpq 2>/dev/null),$(PKG_LIBS)) \
               $(CSV_LIBS) $(STEMMER_LIBS) $(XLSX_LIBS) $(ROARING_LIBS) -lm -lpthread
SERVE_LIBS  := $(shell pkg-config --libs $(SERVE_PKGS) 2>/dev/null) $(LIBS)
ALL_LDFLAGS := $(LDFLAGS_$(BUILD)) $(LDFLAGS)

LIB_SRC := $(wildcard src/base/*.c src/text/*.c src/model/*.c src/store/*.c \
                      src/store/sqlite/*.c src/store/pg/*.c src/ingest/*.c src/search/*.c src/report/*.c \
                      src/auth/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
HTTP_SRC := $(wildcard src/http/*.c)
SCHEMA  := $(sort $(wildcard src/store/sqlite/schema/*.sql))
PG_SCHEMA := $(sort $(wildcard src/store/pg/schema/*.sql))
EMBED   := $(SCHEMA) $(PG_SCHEMA) data/states/variants.tsv data/states/groups.tsv \
           data/readout/gazetteer.tsv data/readout/words.tsv data/readout/themes.tsv \
           data/themes/areas.tsv data/themes/taxonomy.tsv data/upr/hrc_sessions.tsv

LIB_CORE_OBJ := $(LIB_SRC:%.c=$(O)/%.o) $(O)/gen/embedded.o
LIB_OBJ := $(LIB_CORE_OBJ) $(O)/gen/schema_image.o
CLI_OBJ := $(CLI_SRC:%.c=$(O)/%.o)
HTTP_OBJ := $(HTTP_SRC:%.c=$(O)/%.o)
# The web face's request handling without the server (no libmicrohttpd).
HTTP_ROUTE_OBJ := $(filter-out $(O)/src/http/main.o $(O)/src/http/server.o,$(HTTP_OBJ))
LIB     := $(O)/librightstrack.a
BIN     := $(O)/rightstrack
SERVE_BIN := $(O)/rightstrack-serve

UNIT_SRC := $(wildcard tests/unit/*/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/unit/%)

.PHONY: all run test check check-pg check-unit check-cli check-web check-web-pg api-lint install uninstall clean lint \
        format-check bootstrap bench fuzz fuzz-check
all: $(BIN) $(SERVE_BIN)

$(O)/gen/embedded.c: tools/embed.sh $(EMBED)
	@mkdir -p $(@D)
	sh tools/embed.sh $(EMBED) > $@.tmp && mv $@.tmp $@

$(O)/gen/embedded.o: $(O)/gen/embedded.c
	$(CC) $(BASE_CFLAGS) -Wno-missing-prototypes -c $< -o $@

# A new database is written from an image of one built by the migrations, made here
# by the library itself (src/store/sqlite/image.c).
$(O)/tools/schema_image: tools/schema_image.c $(LIB_CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(FACE_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB_CORE_OBJ) $(LIBS)

$(O)/gen/schema_image.c: $(O)/tools/schema_image
	@rm -f $(O)/gen/schema.db $(O)/gen/schema.db-wal $(O)/gen/schema.db-shm
	$(O)/tools/schema_image $(O)/gen/schema.db > $@.tmp && mv $@.tmp $@
	@rm -f $(O)/gen/schema.db

$(O)/gen/schema_image.o: $(O)/gen/schema_image.c
	$(CC) $(BASE_CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(O)/src/cli/%.o: src/cli/%.c
	@mkdir -p $(@D)
	$(CC) $(FACE_CFLAGS) -c $< -o $@

$(O)/src/http/%.o: src/http/%.c
	@mkdir -p $(@D)
	$(CC) $(FACE_CFLAGS) -c $< -o $@

$(O)/src/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LIBS)

$(SERVE_BIN): $(HTTP_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(HTTP_OBJ) $(LIB) $(SERVE_LIBS)

$(O)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -Wno-missing-prototypes -Itests $(shell pkg-config --cflags criterion) \
	    $(ALL_LDFLAGS) -o $@ $< $(LIB) $(LIBS) $(shell pkg-config --libs criterion)

# The web face is not in the library: its tests link its request handling (no
# libmicrohttpd), as the fuzz target does.
$(O)/tests/unit/http/%: tests/unit/http/%.c $(HTTP_ROUTE_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -Wno-missing-prototypes -Itests $(shell pkg-config --cflags criterion) \
	    $(ALL_LDFLAGS) -o $@ $< $(HTTP_ROUTE_OBJ) $(LIB) $(LIBS) \
	    $(shell pkg-config --libs criterion)

bootstrap:
	@sh scripts/bootstrap

run: bootstrap
	$(MAKE) BUILD=release
	sh scripts/tour build/release/rightstrack

check: $(BIN) $(SERVE_BIN) $(UNIT_BIN)
	sh tests/run.sh $(O)

# The CLI scripts again on PostgreSQL (issue 16): one throwaway cluster for the run,
# a database per script; the SQLite-only scripts are listed with their reasons.
check-pg: $(BIN) $(SERVE_BIN)
	RT_TEST_STORE=postgresql sh tests/run.sh $(O)

# playwright-core from the committed lockfile; npm ci again only when it changes.
WEB_DEPS := tests/web/node_modules/.package-lock.json
$(WEB_DEPS): tests/web/package-lock.json tests/web/package.json
	cd tests/web && npm ci --no-audit --no-fund
	@touch $@

# docs/api.yaml against the OpenAPI rules of Redocly CLI (pinned in tests/web's lockfile;
# no telemetry). Errors fail; warnings are printed. tests/web/api.test.mjs holds the
# server's answers to the file's schemas.
REDOCLY := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
           tests/web/node_modules/.bin/redocly
api-lint: $(WEB_DEPS)
	$(REDOCLY) lint --format=stylish docs/api.yaml

# The browser and API tests on SQLite: tests/web/run.sh runs node --test on tests/web/
# and ends with "web tests: N passed, N failed (store: sqlite)".
check-web: api-lint $(BIN) $(SERVE_BIN) $(WEB_DEPS)
	RT=$(O)/rightstrack sh tests/web/run.sh

# The same browser and API tests on PostgreSQL (issue 16): one throwaway cluster for the
# run (tests/lib/pg.sh), a database per server; screenshots to build/web-screenshots-pg.
check-web-pg: $(BIN) $(SERVE_BIN) $(WEB_DEPS)
	RT=$(O)/rightstrack RT_TEST_STORE=postgresql sh tests/web/run.sh

# The fuzz targets (tests/fuzz/fuzz_T.c: T = readout, the readout parser; query, the
# search query language; text, clean-up, name keys and the tokenizer; import, the
# importer with CSV, MacRoman, XLSX and export JSON; xlsx, the XLSX reader alone; http,
# the web face's request handling, linked without the server): the library built with
# clang and the sanitizers (BUILD=fuzz), the seeds of tests/fuzz/corpus/T and the words
# of tests/fuzz/T.dict; new inputs go to build/fuzz/corpus-T, crashes to build/fuzz/crash-*.
# `make fuzz FUZZ_TARGET=query` runs one until stopped (FUZZ_TIME=s bounds it);
# `make fuzz-check` runs each for FUZZ_CHECK_TIME seconds.
FUZZ_TARGETS    := readout query text import http xlsx
FUZZ_TARGET     ?= readout
FUZZ_TIME       ?= 0
FUZZ_CHECK_TIME ?= 30
FUZZ_ARGS = -dict=tests/fuzz/$(1).dict -max_len=16384 -timeout=25 -rss_limit_mb=2048 \
            -artifact_prefix=build/fuzz/ -print_final_stats=1
FUZZ_RUN = mkdir -p build/fuzz/corpus-$(1) && \
           build/fuzz/fuzz_$(1) $(call FUZZ_ARGS,$(1)) -max_total_time=$(2) \
               build/fuzz/corpus-$(1) tests/fuzz/corpus/$(1)

$(O)/fuzz_%: tests/fuzz/fuzz_%.c $(LIB)
	$(CC) $(LIB_CFLAGS) -fsanitize=fuzzer $(ALL_LDFLAGS) -o $@ $< $(LIB) $(LIBS)

$(O)/fuzz_http: tests/fuzz/fuzz_http.c $(HTTP_ROUTE_OBJ) $(LIB)
	$(CC) $(LIB_CFLAGS) -fsanitize=fuzzer $(ALL_LDFLAGS) -o $@ $< $(HTTP_ROUTE_OBJ) $(LIB) $(LIBS)

fuzz:
	$(MAKE) BUILD=fuzz build/fuzz/fuzz_$(FUZZ_TARGET)
	$(call FUZZ_RUN,$(FUZZ_TARGET),$(FUZZ_TIME))

fuzz-check:
	$(MAKE) BUILD=fuzz $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	$(foreach t,$(FUZZ_TARGETS),$(call FUZZ_RUN,$(t),$(FUZZ_CHECK_TIME)) &&) true

test: bootstrap
	$(MAKE) BUILD=debug check
	$(MAKE) BUILD=debug check-pg
	$(MAKE) BUILD=debug check-web
	$(MAKE) BUILD=debug check-web-pg
	$(MAKE) BUILD=asan check
	$(MAKE) BUILD=asan check-pg
	$(MAKE) fuzz-check

bench:
	@sh scripts/bootstrap bench
	$(MAKE) BUILD=release
	sh bench/import.sh build/release/rightstrack
	sh bench/search.sh build/release/rightstrack
	sh bench/http.sh build/release/rightstrack
	sh bench/report.sh build/release/rightstrack

install:
	$(MAKE) BUILD=release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/rightstrack \
	    $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 build/release/rightstrack $(DESTDIR)$(PREFIX)/bin/rightstrack
	install -m 755 build/release/rightstrack-serve \
	    $(DESTDIR)$(PREFIX)/libexec/rightstrack/rightstrack-serve
	install -m 644 docs/rightstrack.1 $(DESTDIR)$(PREFIX)/share/man/man1/rightstrack.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/rightstrack $(DESTDIR)$(PREFIX)/share/man/man1/rightstrack.1 \
	    $(DESTDIR)$(PREFIX)/libexec/rightstrack/rightstrack-serve
	-rmdir $(DESTDIR)$(PREFIX)/libexec/rightstrack 2>/dev/null

lint:
	sh tools/check-banned.sh
	sh tools/check-contracts.sh

format-check:
	clang-format --dry-run -Werror $(LIB_SRC) $(CLI_SRC) $(HTTP_SRC) $(wildcard src/*/*.h \
	    src/store/sqlite/*.h src/store/pg/*.h) include/rightstrack/*.h tools/*.c tests/fuzz/*.c

clean:
	rm -rf build

# What each object and program was built from (-MMD -MP): every header it read.
DEPS := $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(HTTP_OBJ:.o=.d) $(UNIT_BIN:=.d) \
        $(O)/tools/schema_image.d $(FUZZ_TARGETS:%=$(O)/fuzz_%.d)
-include $(DEPS)

# `make print-VAR` prints a variable (tests/cli/t0100-build-rules.sh reads FACE_CFLAGS).
print-%:
	@echo '$($*)'
