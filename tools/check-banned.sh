#!/bin/sh
# Fails when source uses a banned libc call, plain malloc/free, or a relative include.
set -u
status=0
if grep -rnE '\b(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|strtok|gmtime|localtime|ctime|asctime|atoi|atol|mktemp)\s*\(' src include | grep -v 'src/base/banned.h'; then
    echo "check-banned: banned libc call (STYLE.md rule 12)" >&2; status=1
fi
if grep -rnE '(^|[^_a-z])(malloc|calloc|realloc|free)\s*\(' src | grep -v 'src/base/alloc.c' | grep -v 'sqlite3_free\|json_\|utf8proc_'; then
    echo "check-banned: plain allocation outside src/base/alloc.c (STYLE.md rule 8)" >&2; status=1
fi
if grep -rn '#include "\.\./' src include tests; then
    echo "check-banned: relative include (STYLE.md 1.1)" >&2; status=1
fi
exit $status
