#!/bin/sh
# tools/check-contracts.sh (run by make lint): every RT_API function of the public
# headers has a contract comment above it, and a bare one is caught.
. "$(dirname "$0")/../lib/test-lib.sh"
pg_not_yet "uses no store"

C="$ROOT/tools/check-contracts.sh"

check "the public headers pass" sh "$C"

# A copy of the real headers with one thing planted, which must fail and name it.
plant() {
    rm -rf "$TMP/h" && mkdir "$TMP/h" && cp "$ROOT"/include/rightstrack/*.h "$TMP/h/"
    printf '%b' "$1" >>"$TMP/h/rt.h"
}
plant '\nRT_API int rt_planted(void);\n'
check_fails "a bare declaration fails" 1 sh "$C" "$TMP"/h/*.h
grep -q "rt.h:.*rt_planted has no contract" "$TMP/out"
check_eq "and is named with its file and line" 0 $?

plant '\n/* Does one thing. */\nRT_API int rt_planted(void);\n\nRT_API int rt_bare(void);\n'
check_fails "a blank line ends the comment's reach" 1 sh "$C" "$TMP"/h/*.h
grep -q "rt_bare" "$TMP/out" && ! grep -q "rt_planted" "$TMP/out"
check_eq "only the declaration after the blank line is named" 0 $?

plant '\n/* #define X 1 */\n#define X 1\nRT_API int rt_planted(void);\n'
check_fails "a comment above something else does not count" 1 sh "$C" "$TMP"/h/*.h

plant '\n/* rt_one does this. */\nRT_API int rt_one(void);\nRT_API int rt_two(void);\n'
check_fails "a group member the comment does not name fails" 1 sh "$C" "$TMP"/h/*.h
grep -q "rt_two stands in a group" "$TMP/out"
check_eq "and says so" 0 $?

plant '\n/*\n * rt_one does this; rt_two that; the rt_three* family\n * the rest.\n */\nRT_API int rt_one(void);\nRT_API int rt_two(void);\nRT_API int\nrt_three_a(int x,\n           int y);\nRT_API int rt_three_b(void);\n'
check "a group whose comment names each member, or its family, passes" sh "$C" "$TMP"/h/*.h

plant '\n// Does one thing.\nRT_API int rt_planted(void);\n'
check_fails "a // comment fails" 1 sh "$C" "$TMP"/h/*.h

done_testing
