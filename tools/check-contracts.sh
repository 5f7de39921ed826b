#!/bin/sh
# Fails when a function of the public API (an RT_API declaration in
# include/rightstrack/*.h) has no contract comment directly above it (STYLE.md
# rule 13). The line above a declaration must close a /* */ comment; or the
# declaration follows, with no blank line, others that stand under one comment,
# and that comment names it (rt_buf_addf) or its family (rt_buf_add*).
# Usage: tools/check-contracts.sh [HEADER...]
set -u
[ $# -gt 0 ] || set -- include/rightstrack/*.h
awk '
function fail(msg) {
    printf "%s:%d: %s\n", FILENAME, FNR, msg
    bad = 1
}
# Whether the comment text c names the function f, or a family f belongs to.
function names(c, f,    w) {
    gsub(/\/\*|\*\//, " ", c)
    while (match(c, /[A-Za-z_][A-Za-z0-9_]*\*?/)) {
        w = substr(c, RSTART, RLENGTH)
        c = substr(c, RSTART + RLENGTH)
        if (w == f)
            return 1
        if (w ~ /\*$/ && index(f, substr(w, 1, length(w) - 1)) == 1)
            return 1
    }
    return 0
}
# Checks the declaration that starts on this line, once its name is known.
function check(f) {
    if (under)
        return
    if (before != "decl_end" || group == "")
        fail("RT_API " f " has no contract comment above it")
    else if (!names(group, f))
        fail("RT_API " f " stands in a group whose comment does not name it (or rt_family*)")
}
FNR == 1 { prev = ""; in_decl = 0; in_comment = 0; group = ""; comment = "" }
{
    line = $0
    if (in_decl) {                       # a declaration that spans lines
        decl = decl " " line
        if (name == "" && match(decl, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
            name = substr(decl, RSTART, RLENGTH)
            sub(/[ \t]*\($/, "", name)
            check(name)
        }
        if (line ~ /[;{]/)
            in_decl = 0
        prev = in_decl ? "decl" : "decl_end"
        next
    }
    if (line ~ /^RT_API[ \t]/) {
        before = prev
        under = prev == "comment_end"    # right under a comment, which heads a group
        if (under)
            group = comment
        decl = line
        name = ""
        if (match(decl, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
            name = substr(decl, RSTART, RLENGTH)
            sub(/[ \t]*\($/, "", name)
            check(name)
        }
        in_decl = line !~ /[;{]/
        prev = in_decl ? "decl" : "decl_end"
        next
    }
    if (in_comment || line ~ /^[ \t]*\/\*/) {
        comment = in_comment ? comment " " line : line
        in_comment = line !~ /\*\/[ \t]*$/
        prev = in_comment ? "comment" : "comment_end"
        next
    }
    if (line ~ /^[ \t]*\/\//)
        fail("a // comment (STYLE.md rule 13: /* */ only)")
    prev = "other"
    group = ""
}
END { exit bad }
' "$@" || {
    echo "check-contracts: every RT_API function needs a comment above it saying what it does," \
         "who owns what, and what it returns on failure (STYLE.md rule 13)" >&2
    exit 1
}
