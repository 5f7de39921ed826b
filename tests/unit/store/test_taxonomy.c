/* Tests of the theme taxonomy (src/store/sqlite/taxonomy.c): seeding and theme search. */
#include <criterion/criterion.h>

#include <rightstrack/store.h>

#include "base/embedded.h"
#include "lib/test_store.h"
#include "lib/testutil.h"

static struct rt_store *st;

static const char *db_path(void)
{
    return test_store("t");
}

static void open_db(void)
{
    struct rt_error e = RT_ERROR_INIT;
    cr_assert_eq(rt_store_open(&st, db_path(), RT_STORE_CREATE, &e), 0, "%s", e.msg.buf);
}

static void close_db(void)
{
    rt_store_close(st);
}

TestSuite(taxonomy, .init = open_db, .fini = close_db);

/* Non-empty, non-comment lines of an embedded file. */
static size_t data_lines(const char *name)
{
    const struct rt__embedded *e = rt__embedded_find(name);
    size_t n = 0;

    cr_assert_not_null(e, "%s", name);
    for (const char *p = e->data; p < e->data + e->len;) {
        const char *nl = memchr(p, '\n', (size_t)(e->data + e->len - p));
        if (*p != '\n' && *p != '#')
            n++;
        if (!nl)
            break;
        p = nl + 1;
    }
    return n;
}

static const struct rt_theme_area *area(const struct rt_theme_area *a, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(a[i].code, code))
            return &a[i];
    cr_assert_fail("no area %s", code);
    return NULL;
}

static int has_label(const struct rt_theme_area *a, const char *voc, const char *label)
{
    for (size_t k = 0; k < a->n_labels; k++)
        if (!strcmp(a->labels[k].vocabulary, voc) && !strcmp(a->labels[k].label, label))
            return 1;
    return 0;
}

Test(taxonomy, seeded_from_the_embedded_files)
{
    struct rt_theme_area *a = NULL;
    size_t n = 0, n_labels = 0, n_osce = 0;

    cr_assert_eq(rt_store_theme_areas(st, &a, &n, NULL), 0);
    cr_assert_eq(n, data_lines("data/themes/areas.tsv"));
    cr_assert_str_eq(a[0].code, "expression"); /* in the file's order */
    cr_assert(has_label(area(a, n, "death-penalty"), "upr-info", "Death penalty"));
    cr_assert(has_label(area(a, n, "right-to-life"), "uhri", "Right to life"));
    cr_assert(has_label(area(a, n, "media"), "osce", "media"));
    cr_assert(area(a, n, "political-prisoners")->osce);
    cr_assert_not(area(a, n, "torture")->osce);
    for (size_t i = 0; i < n; i++) {
        cr_assert_gt(a[i].n_labels, 0, "%s has no label", a[i].code);
        n_osce += (size_t)a[i].osce;
        for (size_t k = 0; k < a[i].n_labels; k++)
            n_labels += strcmp(a[i].labels[k].vocabulary, "osce") != 0;
    }
    cr_assert_eq(n_osce, 8);
    /* Two UHRI lines differ only in case ("Children: Juvenile justice"). */
    cr_assert_eq(n_labels + 2, data_lines("data/themes/taxonomy.tsv"));
    rt_theme_areas_free(a, n);
}

Test(taxonomy, seeded_once)
{
    struct rt_store *again = NULL;
    struct rt_theme_area *a = NULL, *b = NULL;
    size_t n = 0, m = 0, la = 0, lb = 0;

    cr_assert_eq(rt_store_theme_areas(st, &a, &n, NULL), 0);
    cr_assert_eq(rt_store_open(&again, db_path(), 0, NULL), 0);
    cr_assert_eq(rt_store_theme_areas(again, &b, &m, NULL), 0);
    cr_assert_eq(n, m);
    for (size_t i = 0; i < n; i++) {
        la += a[i].n_labels;
        lb += b[i].n_labels;
    }
    cr_assert_eq(la, lb);
    rt_theme_areas_free(a, n);
    rt_theme_areas_free(b, m);
    rt_store_close(again);
}

static int64_t put(const char *text, const char *voc, const char *theme)
{
    struct rt_rec_in in = {0};
    int64_t id = 0, sur = 0;
    unsigned flags;
    int added;

    cr_assert_eq(rt_store_state_find(st, "SVN", 3, &sur, NULL), 0);
    in.sur_id = sur;
    in.session = 20;
    in.cycle = 2;
    in.text = text;
    in.text_len = strlen(text);
    in.response = RT_RESPONSE_SUPPORTED;
    cr_assert_eq(rt_store_begin_load(st, NULL), 0);
    cr_assert_eq(rt_store_rec_put(st, &in, &id, &flags, NULL), 0);
    cr_assert_eq(rt_store_rec_add_theme(st, id, voc, theme, "official", 1, &added, NULL), 0);
    cr_assert_eq(rt_store_commit(st, NULL), 0);
    return id;
}

static int64_t total(const char *theme)
{
    struct rt_search_spec q = {0};
    struct rt_search_result res = {0};
    int64_t n;

    q.response = -1;
    q.limit = 10;
    q.theme = theme;
    cr_assert_eq(rt_store_search(st, &q, &res, NULL), 0);
    n = res.total;
    rt_search_result_release(&res);
    return n;
}

Test(taxonomy, search_by_label_or_area_across_vocabularies)
{
    put("Reduce the suicide rate", "uhri", "Right to life");
    put("Investigate extrajudicial killings", "upr-info", "Extrajudicial executions");
    put("Abolish the death penalty", "upr-info", "Death penalty");
    put("Protect journalists", "uhri", "Freedom of opinion and expression & access to information");
    put("Free the press", "upr-info", "Freedom of the press");

    cr_assert_eq(total("right-to-life"), 2);
    cr_assert_eq(total("Right to life"), 2);
    cr_assert_eq(total("EXTRAJUDICIAL executions"), 2);
    cr_assert_eq(total("death-penalty"), 1);
    cr_assert_eq(total("Death penalty"), 1);
    cr_assert_eq(total("expression"), 2);
    cr_assert_eq(total("Freedom of the press"), 2); /* maps to media and expression */
    cr_assert_eq(total("media"), 1);
    cr_assert_eq(total("Freedom of the media"), 1);
    cr_assert_eq(total("no such theme"), 0);
}
