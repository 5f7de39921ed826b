/* Tests of Unicode clean-up and name keys. */
#include <criterion/criterion.h>

#include <rightstrack/text.h>

#include "lib/upr_texts.h"

static char *clean(const char *s)
{
    struct rt_buf b = RT_BUF_INIT;
    cr_assert_eq(rt_text_clean(s, strlen(s), &b), 0);
    return rt_buf_detach(&b, NULL);
}

static char *key(const char *s)
{
    struct rt_buf b = RT_BUF_INIT;
    cr_assert_eq(rt_text_name_key(s, strlen(s), &b), 0);
    return rt_buf_detach(&b, NULL);
}

Test(clean, folds_white_space_and_trims)
{
    char *s = clean("  Ratify\tthe \r\n Convention \u00a0 now  ");
    cr_assert_str_eq(s, "Ratify the Convention now");
    rt_free(s);
}

Test(clean, composes_to_nfc)
{
    /* e + combining acute becomes one code point. */
    char *s = clean("Equite\xcc\x81");
    cr_assert_str_eq(s, "Equit\xc3\xa9");
    rt_free(s);
}

Test(clean, rejects_invalid_utf8)
{
    struct rt_buf b = RT_BUF_INIT;
    cr_assert_eq(rt_text_clean("ab\xff", 3, &b), RT_EINVAL);
    cr_assert_eq(b.len, 0);
    rt_buf_release(&b);
}

Test(clean, ascii_white_space_of_every_kind)
{
    char *s = clean("\t\v\f Ratify\r\n\tthe   Convention\x0b now \n");
    cr_assert_str_eq(s, "Ratify the Convention now");
    rt_free(s);
    s = clean(" \t\r\n ");
    cr_assert_str_eq(s, "");
    rt_free(s);
    s = clean("one");
    cr_assert_str_eq(s, "one");
    rt_free(s);
}

Test(clean, appends_to_what_the_buffer_holds)
{
    struct rt_buf b = RT_BUF_INIT;
    rt_buf_adds(&b, "Before:");
    cr_assert_eq(rt_text_clean("  two  words ", 13, &b), 0);
    cr_assert_str_eq(b.buf, "Before:two words");
    cr_assert_eq(rt_text_clean(" caf\xc3\xa9  au lait", 16, &b), 0);
    cr_assert_str_eq(b.buf, "Before:two wordscaf\xc3\xa9 au lait");
    rt_buf_release(&b);
}

/*
 * ASCII text takes a path of its own; text with one character more than ASCII takes
 * the general one (NFC, then white space by code point). "\u00e9 " before an ASCII
 * text must give "\u00e9", a space and what the ASCII path gives.
 */
static void same_as_general_path(void *ctx, const char *s, size_t len)
{
    struct rt_buf ascii = RT_BUF_INIT, general = RT_BUF_INIT, in = RT_BUF_INIT;
    size_t *n = ctx;

    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80)
            return;
    cr_assert_eq(rt_text_clean(s, len, &ascii), 0);
    rt_buf_adds(&in, "\xc3\xa9 ");
    rt_buf_add(&in, s, len);
    cr_assert_eq(rt_text_clean(in.buf, in.len, &general), 0);
    cr_assert_eq(memcmp(general.buf, "\xc3\xa9", 2), 0);
    cr_assert_str_eq(general.buf + 2 + (ascii.len > 0), ascii.buf, "%.*s", (int)len, s);
    rt_buf_release(&ascii);
    rt_buf_release(&general);
    rt_buf_release(&in);
    (*n)++;
}

Test(clean, ascii_path_agrees_with_the_general_one)
{
    static const char *const crafted[] = {"",
                                          " ",
                                          "a",
                                          " a ",
                                          "a  b",
                                          "\tx\ny\rz\x0b\x0c",
                                          "end with space ",
                                          "  lead",
                                          "a\x01"
                                          "b",
                                          "tab\t\tend\t"};
    size_t n = 0;

    for (size_t i = 0; i < sizeof(crafted) / sizeof(crafted[0]); i++)
        same_as_general_path(&n, crafted[i], strlen(crafted[i]));
    cr_assert_eq(n, sizeof(crafted) / sizeof(crafted[0]));
    n = 0;
    cr_assert_gt(upr_texts(same_as_general_path, &n), 30000);
    cr_assert_gt(n, 30000, "only %zu ASCII texts", n);
}

Test(name_key, variants_meet)
{
    const char *same[][2] = {
        {"C\xc3\xb4te d'Ivoire", "Cote d\xe2\x80\x99Ivoire"},
        {"Antigua & Barbuda", "antigua and barbuda"},
        {"the former Yugoslav Republic of Macedonia", "Former Yugoslav Republic of Macedonia"},
        {"&#40;Unknown&#41;", "(Unknown)"},
        {"  South   Sudan ", "South Sudan"},
    };
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        char *a = key(same[i][0]), *b = key(same[i][1]);
        cr_assert_str_eq(a, b, "'%s' vs '%s'", same[i][0], same[i][1]);
        rt_free(a);
        rt_free(b);
    }
}

Test(name_key, exact_form)
{
    char *s = key("Iran (Islamic Republic of)");
    cr_assert_str_eq(s, "iran islamic republic of");
    rt_free(s);
    s = key("&#40;Unknown&#41;");
    cr_assert_str_eq(s, "unknown");
    rt_free(s);
}
