/*
 * libFuzzer target for the text functions every import and search goes through:
 * rt_text_clean (NFC, white space folded), rt_text_name_key (state names) and the
 * word tokenizer (rt_tokenize, with each of its flags). Whatever the bytes, they
 * must keep their promises: clean-up gives valid UTF-8 with no space at either end
 * and no two in a row, or refuses invalid UTF-8; every token is non-empty valid
 * UTF-8 without NUL, from a span inside the text; the stem cache gives the same
 * tokens as a fresh tokenizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rightstrack/text.h>

#include "fuzz.h"

struct tokens {
    size_t len; /* of the text */
    unsigned flags;
    struct rt_buf all; /* every token, each followed by a NUL */
};

static int on_token(void *ctx, const char *term, size_t len, size_t start, size_t end,
                    int colocated)
{
    struct tokens *t = ctx;

    CHECK(len > 0 && memchr(term, '\0', len) == NULL);
    CHECK(rt_text_valid_utf8(term, len));
    CHECK(start < end && end <= t->len);
    CHECK(!colocated || (t->flags & RT_TOKENIZE_NEW_WORDS));
    rt_buf_add(&t->all, term, len);
    rt_buf_addch(&t->all, colocated ? '\1' : '\0');
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct rt_tokenizer *warm; /* lives across inputs, as in the index */
    const char *s = (const char *)data;
    struct rt_buf out = RT_BUF_INIT;
    unsigned flags = size ? data[0] & 1 : 0;
    struct tokens a = {size, flags, RT_BUF_INIT}, b = {size, flags, RT_BUF_INIT};
    struct rt_tokenizer *fresh = rt_tokenizer_new("english");
    int rc;

    rc = rt_text_clean(s, size, &out);
    CHECK(rc == 0 || rc == RT_EINVAL || rc == RT_ETOOBIG);
    CHECK(rc != RT_EINVAL || !rt_text_valid_utf8(s, size));
    if (rc == 0) {
        CHECK(rt_text_valid_utf8(out.buf, out.len));
        CHECK(out.len == 0 || (out.buf[0] != ' ' && out.buf[out.len - 1] != ' '));
        CHECK(strstr(out.buf, "  ") == NULL && strlen(out.buf) <= out.len);
    }
    rt_buf_reset(&out);
    if (rt_text_name_key(s, size, &out) == 0)
        CHECK(out.len == 0 || (out.buf[0] != ' ' && out.buf[out.len - 1] != ' '));

    if (!warm)
        warm = rt_tokenizer_new("english");
    CHECK(warm && fresh);
    /* Last unstemmed: the same tokens but maybe the last, on both. Otherwise the
     * warm cache has met words before, so it gives fewer new words; compare stems. */
    CHECK(rt_tokenize(fresh, s, size, flags ? RT_TOKENIZE_LAST_UNSTEMMED : 0, on_token, &a) == 0);
    CHECK(rt_tokenize(warm, s, size, flags ? RT_TOKENIZE_LAST_UNSTEMMED : 0, on_token, &b) == 0);
    CHECK(a.all.len == b.all.len && !memcmp(a.all.buf, b.all.buf, a.all.len));
    a.flags = RT_TOKENIZE_NEW_WORDS;
    rt_buf_reset(&a.all);
    CHECK(rt_tokenize(fresh, s, size, RT_TOKENIZE_NEW_WORDS, on_token, &a) == 0);
    rt_tokenizer_free(fresh);
    rt_buf_release(&a.all);
    rt_buf_release(&b.all);
    rt_buf_release(&out);
    return 0;
}
