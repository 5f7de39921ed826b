/* First include of every .c file: feature macros, common system headers, banned.h. */
#ifndef RT_COMPAT_H
#define RT_COMPAT_H

#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1
#endif

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/banned.h"

/* Reports an impossible state and aborts (STYLE.md rule 6). */
__attribute__((noreturn, format(printf, 3, 4))) void rt__bug(const char *file, int line,
                                                             const char *fmt, ...);
#define RT_BUG(...) rt__bug(__FILE__, __LINE__, __VA_ARGS__)

#endif
