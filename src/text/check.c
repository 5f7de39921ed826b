/* The one rule for text that comes in: valid UTF-8 without control characters. */
#include "base/compat.h"

#include <utf8proc.h>

#include <rightstrack/text.h>

/* A control character that text may not hold: C0 but tab and line feed, DEL, C1. */
static int forbidden(int32_t cp, const char *s, size_t len, size_t i)
{
    if (cp == '\t' || cp == '\n')
        return 0;
    /* A carriage return only as the first half of a line end (forms send CRLF). */
    if (cp == '\r')
        return !(i + 1 < len && s[i + 1] == '\n');
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

int rt_text_check(const char *field, const char *s, size_t len, struct rt_error *err)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    const char *name = field ? field : "text";
    size_t i = 0;

    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n;

        if (p[i] >= 0x20 && p[i] < 0x7f) {
            i++;
            continue;
        }
        if (p[i] < 0x80) {
            cp = p[i];
            n = 1;
        } else if ((n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp)) < 0) {
            return rt_error_set(err, RT_EINVAL, NULL, 0, name,
                                "%s is not valid UTF-8 (byte %zu, 0x%02X)", name, i + 1,
                                (unsigned)p[i]);
        }
        if (forbidden(cp, s, len, i))
            return rt_error_set(err, RT_EINVAL, NULL, 0, name,
                                "%s holds a control character (U+%04X at byte %zu); only tab "
                                "and line breaks may be in text",
                                name, (unsigned)cp, i + 1);
        i += (size_t)n;
    }
    return 0;
}

void rt_text_printable(const char *s, size_t len, struct rt_buf *out)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;

    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n;

        if (p[i] >= 0x20 && p[i] < 0x7f) {
            rt_buf_addch(out, (char)p[i++]);
            continue;
        }
        if (p[i] < 0x80) {
            cp = p[i];
            n = 1;
        } else if ((n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp)) < 0) {
            rt_buf_adds(out, "\xEF\xBF\xBD"); /* U+FFFD for a byte that is not UTF-8 */
            i++;
            continue;
        }
        if (forbidden(cp, s, len, i))
            rt_buf_adds(out, "\xEF\xBF\xBD");
        else
            rt_buf_add(out, s + i, (size_t)n);
        i += (size_t)n;
    }
}
