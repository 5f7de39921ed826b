/* Unsafe libc functions turned into compile errors (STYLE.md rule 12). */
#ifndef RT_BANNED_H
#define RT_BANNED_H

/* The headers that declare them come first, so that this file can stand alone (the
 * Makefile forces it on the faces with -include) without breaking their declarations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RT_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) RT_BANNED(strcpy)
#undef strcat
#define strcat(x, y) RT_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) RT_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) RT_BANNED(strncat)
#undef sprintf
#define sprintf(...) RT_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) RT_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) RT_BANNED(strtok)
#undef gmtime
#define gmtime(t) RT_BANNED(gmtime)
#undef localtime
#define localtime(t) RT_BANNED(localtime)
#undef ctime
#define ctime(t) RT_BANNED(ctime)
#undef asctime
#define asctime(t) RT_BANNED(asctime)
#undef atoi
#define atoi(s) RT_BANNED(atoi)
#undef atol
#define atol(s) RT_BANNED(atol)
#undef mktemp
#define mktemp(s) RT_BANNED(mktemp)

#endif
