#!/bin/sh
# The house rules, kept by the build: a banned libc call in a face fails to compile,
# touching any header rebuilds what uses it, and .ci/run stops on a lint error.
# Nothing here compiles the project: `make -n` only plans, and the scratch files are
# single small units.
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "uses no store"

cd "$ROOT" || exit 1
# The build under test: build/debug, build/asan, ... (RT is BUILD_DIR/rightstrack).
BUILD=$(basename "$(dirname "$RT")")
O=build/$BUILD
# A make of our own, not a part of the one that may be running this test.
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$BUILD" "$@"; }

# 1. banned.h reaches the faces. The compile command is the one make would run for a
#    real file of src/cli/ (or src/http/), with a scratch file in its place.
cat >"$TMP/banned.c" <<'EOF'
#include <stdlib.h>
#include <string.h>

#include <rightstrack/rt.h>

int face_scratch(const char *s);
int face_scratch(const char *s)
{
    char to[16];
    strcpy(to, s);
    return atoi(to);
}
EOF
sed 's/strcpy(to, s);/snprintf(to, sizeof to, "%s", s);/; s/atoi(to)/(int)strtol(to, NULL, 10)/' \
    "$TMP/banned.c" | sed '1i #include <stdio.h>' >"$TMP/clean.c"
for face in cli/cmd_report http/api; do
    cmd=$(mk -s -n -B "$O/src/$face.o" | grep -- " -c src/$face.c ")
    check_eq "make has a compile command for src/$face.c" 1 "$(printf '%s\n' "$cmd" | grep -c .)"
    case $cmd in
    *"-include src/base/banned.h"*) pass "src/$face.c is compiled with banned.h forced" ;;
    *) fail "src/$face.c is compiled with banned.h forced" "$cmd" ;;
    esac
    clean=$(printf '%s\n' "$cmd" | sed "s| -c src/$face.c | -c $TMP/clean.c |; s| -o [^ ]*| -o $TMP/clean.o|")
    banned=$(printf '%s\n' "$cmd" | sed "s| -c src/$face.c | -c $TMP/banned.c |; s| -o [^ ]*| -o $TMP/banned.o|")
    check "a clean scratch file compiles as src/$face.c" sh -c "$clean"
    check_fails "strcpy and atoi in src/${face%%/*}/ fail the build" 1 sh -c "$banned"
    grep -q 'sorry_strcpy_is_a_banned_function' "$TMP/err"
    check_eq "the error names strcpy as banned" 0 $?
    grep -q 'sorry_atoi_is_a_banned_function' "$TMP/err"
    check_eq "the error names atoi as banned" 0 $?
done

# 2. Every header has its users: after a full build, bumping any header's time makes
#    make want to rebuild at least one object or program (make -W: nothing is touched).
targets="all $(mk -s print-UNIT_BIN)"
# shellcheck disable=SC2086
if mk -q $targets; then
    pass "the build is up to date"
    headers=$(find include src -name '*.h' | sort)
    check_eq "there are headers to check" yes "$([ "$(echo "$headers" | wc -l)" -ge 20 ] && echo yes)"
    # The programs first (cheap to plan), the unit tests only for a header they alone use.
    for h in $headers; do
        n=$(mk -n -W "$h" all 2>/dev/null | grep -c -- ' -o ')
        # shellcheck disable=SC2086
        [ "$n" -gt 0 ] || n=$(mk -n -W "$h" $targets 2>/dev/null | grep -c -- ' -o ')
        [ "$n" -gt 0 ] || echo "$h"
    done >"$TMP/orphans"
    check_eq "touching any header rebuilds its users" "" "$(cat "$TMP/orphans")"
    n=$(mk -n -W src/http/http_int.h $targets | grep -c -- " -c src/http/")
    check_eq "touching src/http/http_int.h rebuilds the web face" yes "$([ "$n" -ge 5 ] && echo yes)"
else
    # Only when run by hand before `make check` built the unit tests.
    say "# SKIP: $O is not fully built (make BUILD=$BUILD check builds it); header checks skipped"
    n_skip=$((n_skip + 1))
fi

# 3. .ci/run stops on a lint error: a scratch copy of the tree with a banned call
#    planted, and only the lint steps of .ci/run (CI_LINT_ONLY=1), which come first.
copy=$TMP/tree
mkdir "$copy"
tar -cf - --exclude=./build --exclude=./.git --exclude=./tests/web/node_modules . |
    tar -xf - -C "$copy"
(cd "$copy" && CI_LINT_ONLY=1 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL sh .ci/run) \
    >"$TMP/ci.out" 2>&1
check_eq "the lint steps of .ci/run pass on the tree as it is" 0 $?
printf '/* planted by t0100 */\nstatic void planted(char *d) { strcpy(d, "x"); }\n' \
    >>"$copy/src/cli/cmd_report.c"
(cd "$copy" && CI_LINT_ONLY=1 env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL sh .ci/run) \
    >"$TMP/ci.out" 2>&1
check_eq ".ci/run fails on a planted banned call" 1 "$([ $? -ne 0 ] && echo 1)"
grep -q 'src/cli/cmd_report.c:.*strcpy' "$TMP/ci.out"
check_eq "and names where it is" 0 $?
check_eq "and stops before building or testing anything" no "$([ -e "$copy/build" ] && echo yes || echo no)"
sed -n '/^make lint$/=' "$ROOT/.ci/run" >"$TMP/lint_line"
sed -n '/^make test$/=' "$ROOT/.ci/run" >"$TMP/test_line"
check_eq ".ci/run lints before it tests" yes \
    "$([ "$(cat "$TMP/lint_line")" -lt "$(cat "$TMP/test_line")" ] && echo yes)"

done_testing
