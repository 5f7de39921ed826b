/* Unicode clean-up of imported text and match keys for names. */
#include "base/compat.h"

#include <utf8proc.h>

#include <rightstrack/text.h>

int rt_text_valid_utf8(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0;

    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n;
        uint64_t v;

        /* ASCII, 8 bytes at a time (a whole file is checked before it is read). */
        if (len - i >= 8 && (memcpy(&v, p + i, 8), !(v & 0x8080808080808080ULL))) {
            i += 8;
            continue;
        }
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
        if (n < 0)
            return 0;
        i += (size_t)n;
    }
    return 1;
}

static int is_ascii(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 0;
    return 1;
}

static int is_space_cp(utf8proc_int32_t cp)
{
    if (cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85)
        return 1;
    if (cp < 0x80)
        return 0;
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
        return 1;
    default:
        return 0;
    }
}

/* Length in bytes of the character at p[i] (valid UTF-8), and whether it is white space. */
static size_t next_char(const utf8proc_uint8_t *p, size_t i, size_t len, int *space)
{
    utf8proc_int32_t cp;
    utf8proc_ssize_t n;

    if (p[i] < 0x80) {
        *space = p[i] == ' ' || (p[i] >= 0x09 && p[i] <= 0x0d);
        return 1;
    }
    n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
    *space = is_space_cp(cp);
    return (size_t)n;
}

/* Folds white space of valid UTF-8 s into out, copying each run of other characters
 * at once. */
static int fold_space(const char *s, size_t len, struct rt_buf *out)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0, word = 0, start = out->len;
    int rc = 0;

    while (i <= len) {
        int space = 1;
        size_t n = i < len ? next_char(p, i, len, &space) : 1;

        if (space) { /* also at the end: the run s[word, i) is complete */
            if (i > word && ((out->len > start && (rc = rt_buf_addch(out, ' ')) < 0) ||
                             (rc = rt_buf_add(out, s + word, i - word)) < 0)) {
                rt_buf_setlen(out, start);
                return rc;
            }
            word = i + n;
        }
        i += n;
    }
    return 0;
}

/*
 * fold_space for text that is all ASCII (NFC already), in one pass written straight
 * into out. Returns 1, leaving out as it was, at the first byte that is not ASCII.
 */
static int fold_space_ascii(const char *s, size_t len, struct rt_buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t start = out->len, i = 0;
    char *o, *first;
    int gap = 0; /* white space seen since the last word */

    if (rt_buf_grow(out, len) < 0) /* the general path may still fit */
        return 1;
    o = first = out->buf + start;
    while (i < len) {
        size_t j = i;
        /* A run of printable ASCII (0x21 to 0x7e) and DEL, copied at once. */
        while (j < len && (unsigned char)(p[j] - 0x21) < 0x5f)
            j++;
        if (j > i) {
            if (gap && o > first)
                *o++ = ' ';
            gap = 0;
            memcpy(o, s + i, j - i);
            o += j - i;
            i = j;
            continue;
        }
        if (p[i] >= 0x80) {
            out->buf[start] = '\0';
            return 1;
        }
        if (p[i] == ' ' || (p[i] >= 0x09 && p[i] <= 0x0d)) {
            gap = 1;
        } else { /* another control character: part of a word */
            if (gap && o > first)
                *o++ = ' ';
            gap = 0;
            *o++ = (char)p[i];
        }
        i++;
    }
    out->len = start + (size_t)(o - first);
    out->buf[out->len] = '\0';
    return 0;
}

int rt_text_clean(const char *s, size_t len, struct rt_buf *out)
{
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t n;
    int rc;

    /* Most texts are ASCII, which is NFC as it is. */
    if ((rc = fold_space_ascii(s, len, out)) <= 0)
        return rc;
    if (!rt_text_valid_utf8(s, len))
        return RT_EINVAL;
    n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfc,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0)
        return RT_EINVAL;
    rc = fold_space((const char *)nfc, (size_t)n, out);
    rt_free(nfc);
    return rc;
}

/* Decodes "&#NN;" and "&#xHH;" entities of s into out (as UTF-8). */
static void decode_entities(const char *s, size_t len, struct rt_buf *out)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '&' && i + 2 < len && s[i + 1] == '#') {
            size_t j = i + 2;
            int hex = j < len && (s[j] == 'x' || s[j] == 'X');
            long cp = 0;
            size_t digits = 0;

            if (hex)
                j++;
            for (; j < len && digits < 7; j++, digits++) {
                int c = (unsigned char)s[j], d;
                if (c >= '0' && c <= '9')
                    d = c - '0';
                else if (hex && c >= 'a' && c <= 'f')
                    d = c - 'a' + 10;
                else if (hex && c >= 'A' && c <= 'F')
                    d = c - 'A' + 10;
                else
                    break;
                cp = cp * (hex ? 16 : 10) + d;
            }
            if (digits && j < len && s[j] == ';' &&
                utf8proc_codepoint_valid((utf8proc_int32_t)cp)) {
                utf8proc_uint8_t enc[4];
                utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, enc);
                rt_buf_add(out, enc, (size_t)n);
                i = j;
                continue;
            }
        }
        rt_buf_addch(out, s[i]);
    }
}

int rt_text_name_key(const char *s, size_t len, struct rt_buf *out)
{
    struct rt_buf dec = RT_BUF_INIT;
    utf8proc_uint8_t *folded = NULL;
    const char *p;
    size_t n, start = out->len;
    int space = 0, rc = 0;

    decode_entities(s, len, &dec);
    if (!rt_text_valid_utf8(dec.buf, dec.len)) {
        rc = RT_EINVAL;
        goto out;
    }
    if (is_ascii(dec.buf, dec.len)) {
        p = dec.buf;
        n = dec.len;
    } else {
        utf8proc_ssize_t k =
            utf8proc_map((const utf8proc_uint8_t *)dec.buf, (utf8proc_ssize_t)dec.len, &folded,
                         UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
                             UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
        if (k < 0) {
            rc = RT_EINVAL;
            goto out;
        }
        p = (const char *)folded;
        n = (size_t)k;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (c == '&') {
            if (out->len > start)
                rt_buf_addch(out, ' ');
            rt_buf_adds(out, "and");
            space = 1;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (space && out->len > start)
                rt_buf_addch(out, ' ');
            space = 0;
            rt_buf_addch(out, c);
        } else {
            space = 1;
        }
    }
    if (out->len - start >= 4 && !memcmp(out->buf + start, "the ", 4)) {
        memmove(out->buf + start, out->buf + start + 4, out->len - start - 4);
        rt_buf_setlen(out, out->len - 4);
    }
out:
    rt_free(folded);
    rt_buf_release(&dec);
    return rc;
}
