/* Tests of struct rt_buf: its invariants, limits and hand-over. */
#include <criterion/criterion.h>

#include <rightstrack/rt.h>

static void check_invariants(const struct rt_buf *b)
{
    cr_assert_not_null(b->buf);
    cr_assert_eq(b->buf[b->len], '\0');
    cr_assert(b->cap == 0 || b->len < b->cap);
}

Test(buf, init_is_empty_and_never_null)
{
    struct rt_buf b = RT_BUF_INIT;
    check_invariants(&b);
    cr_assert_eq(b.len, 0);
    cr_assert_str_eq(b.buf, "");
    rt_buf_release(&b);
    check_invariants(&b);
}

Test(buf, appends_and_formats)
{
    struct rt_buf b = RT_BUF_INIT;
    cr_assert_eq(rt_buf_adds(&b, "hello"), 0);
    cr_assert_eq(rt_buf_addch(&b, ' '), 0);
    cr_assert_eq(rt_buf_addf(&b, "%d-%s", 42, "x"), 0);
    check_invariants(&b);
    cr_assert_str_eq(b.buf, "hello 42-x");
    cr_assert_eq(b.len, 10);
    for (int i = 0; i < 1000; i++)
        rt_buf_add(&b, "abc", 3);
    check_invariants(&b);
    cr_assert_eq(b.len, 3010);
    rt_buf_release(&b);
}

Test(buf, binary_safe)
{
    struct rt_buf b = RT_BUF_INIT;
    rt_buf_add(&b, "a\0b", 3);
    cr_assert_eq(b.len, 3);
    cr_assert_eq(memcmp(b.buf, "a\0b", 3), 0);
    rt_buf_release(&b);
}

Test(buf, max_refuses_and_keeps_content)
{
    struct rt_buf b;
    rt_buf_init(&b, 8);
    cr_assert_eq(rt_buf_adds(&b, "12345678"), 0);
    cr_assert_eq(rt_buf_adds(&b, "9"), RT_ETOOBIG);
    cr_assert_str_eq(b.buf, "12345678");
    cr_assert_eq(rt_buf_addf(&b, "%s", "more"), RT_ETOOBIG);
    check_invariants(&b);
    rt_buf_release(&b);
}

Test(buf, detach_hands_over)
{
    struct rt_buf b = RT_BUF_INIT;
    size_t n;
    char *s;
    rt_buf_adds(&b, "keep me");
    s = rt_buf_detach(&b, &n);
    cr_assert_str_eq(s, "keep me");
    cr_assert_eq(n, 7);
    check_invariants(&b);
    cr_assert_eq(b.len, 0);
    rt_free(s);
}

Test(error, set_and_print)
{
    struct rt_error e = RT_ERROR_INIT;
    char out[256] = {0};
    FILE *fp = fmemopen(out, sizeof(out), "w");
    cr_assert_eq(rt_error_set(&e, RT_EINVAL, "f.csv", 12, "Text", "bad %s", "thing"), RT_EINVAL);
    rt_error_print(&e, "rt", fp);
    fclose(fp);
    cr_assert_str_eq(out, "rt: f.csv:12: field 'Text': bad thing\n");
    rt_error_release(&e);
    cr_assert_null(e.file);
}
