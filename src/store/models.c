/*
 * The theme classifier's data written once for every back end, through src/store/sql.h:
 * the texts it is trained on and tags, the clearing of its tags and categories, a
 * category set, the theme counts and the theme areas (store.h's functions themselves:
 * no back end has a member for them). Text is ordered here in C (strcmp, SQLite's
 * BINARY; ASCII case folded where the column is NOCASE): the two stores' SQL would
 * order it by different collations. What stays each back end's is the model's blob
 * (SQLite reads it by incremental I/O, PostgreSQL sends it as bytea) and the writes of
 * an import (SQLite's rec_write.c).
 */
#include "base/compat.h"

#include <stdlib.h>
#include <string.h>

#include <rightstrack/store.h>

#include "store/sql.h"

/* A category set (?1 recommendation, ?2 category, ?3 origin, ?4 confidence): nothing
 * when the data has a category, or when a model's would replace a person's. */
#define REC_CATEGORY_SET                                                                           \
    "INSERT INTO recommendation_category(rec_id, category, origin, confidence)"                    \
    " SELECT id, ?2, ?3, ?4 FROM recommendation WHERE id = ?1 AND action_category IS NULL"         \
    " ON CONFLICT (rec_id) DO UPDATE SET category = excluded.category,"                            \
    " origin = excluded.origin, confidence = excluded.confidence"                                  \
    " WHERE excluded.origin = 'person' OR recommendation_category.origin = 'model'"

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

void rt_rec_texts_free(struct rt_rec_text *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++) {
        rt_free(a[i].text);
        for (size_t k = 0; k < a[i].n_labels; k++)
            rt_free(a[i].labels[k]);
        rt_free(a[i].labels);
    }
    rt_free(a);
}

struct texts {
    struct rt_rec_text *a;
    size_t n, alloc, alloc_labels;
};

/* A row (id, text, action category, label or NULL): a recommendation's rows come
 * together, one a label. */
static int text_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct texts *t = ctx;
    int64_t id = rt__sql_int(row, 0);
    struct rt_rec_text *r;

    (void)err;
    if (!t->n || t->a[t->n - 1].id != id) {
        RT_ALLOC_GROW(t->a, t->n + 1, t->alloc);
        r = &t->a[t->n++];
        r->id = id;
        r->text = rt_xstrdup(rt__sql_text(row, 1) ? rt__sql_text(row, 1) : "");
        r->labels = NULL;
        r->n_labels = 0;
        r->action_category = (int)rt__sql_int(row, 2);
        t->alloc_labels = 0;
    }
    r = &t->a[t->n - 1];
    if (rt__sql_text(row, 3)) {
        RT_ALLOC_GROW(r->labels, r->n_labels + 1, t->alloc_labels);
        r->labels[r->n_labels++] = rt_xstrdup(rt__sql_text(row, 3));
    }
    return 0;
}

int rt_store_rec_texts(struct rt_store *st, const char *vocabulary, enum rt_rec_texts_which which,
                       struct rt_rec_text **out, size_t *out_n, struct rt_error *err)
{
    static const char labelled[] =
        "SELECT r.id, r.text, r.action_category, t.label FROM recommendation r"
        " JOIN recommendation_theme rt ON rt.rec_id = r.id AND rt.origin = 'official'"
        " JOIN theme t ON t.id = rt.theme_id AND t.vocabulary = ?1 ORDER BY r.id";
    static const char unlabelled[] =
        "SELECT r.id, r.text, r.action_category, NULL FROM recommendation r"
        " WHERE NOT EXISTS (SELECT 1 FROM recommendation_theme rt JOIN theme t"
        " ON t.id = rt.theme_id WHERE rt.rec_id = r.id AND rt.origin = 'official'"
        " AND t.vocabulary = ?1) ORDER BY r.id";
    static const char untagged[] =
        "SELECT r.id, r.text, r.action_category, t.label FROM recommendation r"
        " LEFT JOIN recommendation_theme rt ON rt.rec_id = r.id AND rt.origin = 'official'"
        " AND rt.theme_id IN (SELECT id FROM theme WHERE vocabulary = ?1)"
        " LEFT JOIN theme t ON t.id = rt.theme_id"
        " WHERE r.action_category IS NULL OR rt.rec_id IS NULL ORDER BY r.id";
    struct texts t = {0};
    int rc;

    *out = NULL;
    *out_n = 0;
    rc = rt__sql_rows(st, err, text_row, &t,
                      which == RT_TEXTS_LABELLED     ? labelled
                      : which == RT_TEXTS_UNLABELLED ? unlabelled
                                                     : untagged,
                      "t", vocabulary);
    if (rc < 0) {
        rt_rec_texts_free(t.a, t.n);
        return rc;
    }
    for (size_t i = 0; i < t.n; i++)
        if (t.a[i].n_labels > 1)
            qsort(t.a[i].labels, t.a[i].n_labels, sizeof(*t.a[i].labels), cmp_str);
    *out = t.a;
    *out_n = t.n;
    return 0;
}

/* Runs a write and sets *out_n to the rows it changed. */
static int write_count(struct rt_store *st, const char *sql, const char *vocabulary, int64_t *out_n,
                       struct rt_error *err)
{
    int rc = vocabulary ? rt__sql_exec(st, err, NULL, sql, "t", vocabulary)
                        : rt__sql_exec(st, err, NULL, sql, "");

    if (rc == 0)
        *out_n = rt__sql_changes(st);
    return rc;
}

int rt_store_model_tags_clear(struct rt_store *st, const char *vocabulary, int64_t *out_n,
                              struct rt_error *err)
{
    return write_count(st,
                       "DELETE FROM recommendation_theme WHERE origin = 'model' AND theme_id IN"
                       " (SELECT id FROM theme WHERE vocabulary = ?1)",
                       vocabulary, out_n, err);
}

int rt_store_model_categories_clear(struct rt_store *st, int64_t *out_n, struct rt_error *err)
{
    return write_count(st, "DELETE FROM recommendation_category WHERE origin = 'model'", NULL,
                       out_n, err);
}

int rt_store_rec_set_category(struct rt_store *st, int64_t rec_id, int category, const char *origin,
                              double confidence, int *out_set, struct rt_error *err)
{
    int rc;

    *out_set = 0;
    if (category < 1 || category > 5)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "category", "action category %d is not 1 to 5",
                            category);
    if (!origin || (strcmp(origin, "model") && strcmp(origin, "person")))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "origin",
                            "the origin of a category is 'model' or 'person', not '%s'",
                            origin ? origin : "");
    if (!(confidence >= 0 && confidence <= 1))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "confidence",
                            "a confidence is from 0 to 1, not %g", confidence);
    if ((rc = rt__sql_exec(st, err, NULL, REC_CATEGORY_SET, "iitd", rec_id, (int64_t)category,
                           origin, confidence)) < 0)
        return rc;
    if ((*out_set = rt__sql_changes(st) > 0))
        return 0;
    /* Nothing written: say so when there is no such recommendation. */
    return rt__sql_exists(st, "recommendation", rec_id, "recommendation", NULL, err);
}

void rt_theme_counts_free(struct rt_theme_count *a, size_t n)
{
    for (size_t i = 0; a && i < n; i++)
        rt_free(a[i].label);
    rt_free(a);
}

struct counts {
    struct rt_theme_count *a;
    size_t n, alloc;
};

static int count_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct counts *c = ctx;

    (void)err;
    RT_ALLOC_GROW(c->a, c->n + 1, c->alloc);
    c->a[c->n].label = rt_xstrdup(rt__sql_text(row, 0));
    c->a[c->n].official = rt__sql_int(row, 1);
    c->a[c->n].model = rt__sql_int(row, 2);
    c->n++;
    return 0;
}

/* Most official tags first, then by label. */
static int cmp_count(const void *x, const void *y)
{
    const struct rt_theme_count *a = x, *b = y;

    if (a->official != b->official)
        return a->official > b->official ? -1 : 1;
    return strcmp(a->label, b->label);
}

int rt_store_theme_counts(struct rt_store *st, const char *vocabulary, struct rt_theme_count **out,
                          size_t *out_n, struct rt_error *err)
{
    struct counts c = {0};
    int rc;

    *out = NULL;
    *out_n = 0;
    if ((rc = rt__sql_rows(st, err, count_row, &c,
                           "SELECT t.label,"
                           " coalesce(sum(CASE WHEN rt.origin = 'official' THEN 1 ELSE 0 END), 0),"
                           " coalesce(sum(CASE WHEN rt.origin = 'model' THEN 1 ELSE 0 END), 0)"
                           " FROM theme t LEFT JOIN recommendation_theme rt ON rt.theme_id = t.id"
                           " WHERE t.vocabulary = ?1 GROUP BY t.id, t.label",
                           "t", vocabulary)) < 0) {
        rt_theme_counts_free(c.a, c.n);
        return rc;
    }
    if (c.n > 1)
        qsort(c.a, c.n, sizeof(*c.a), cmp_count);
    *out = c.a;
    *out_n = c.n;
    return 0;
}

void rt_theme_areas_free(struct rt_theme_area *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rt_free(a[i].code);
        rt_free(a[i].label);
        for (size_t k = 0; k < a[i].n_labels; k++) {
            rt_free(a[i].labels[k].vocabulary);
            rt_free(a[i].labels[k].label);
        }
        rt_free(a[i].labels);
    }
    rt_free(a);
}

struct areas {
    struct rt_theme_area *a;
    size_t n, alloc, lalloc;
};

/* A row (code, label, osce, vocabulary or NULL, label): an area's rows come together,
 * one a label of it. */
static int area_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct areas *t = ctx;
    const char *code = rt__sql_text(row, 0);
    struct rt_theme_area *cur = t->n ? &t->a[t->n - 1] : NULL;

    (void)err;
    if (!cur || strcmp(cur->code, code)) {
        RT_ALLOC_GROW(t->a, t->n + 1, t->alloc);
        cur = &t->a[t->n++];
        memset(cur, 0, sizeof(*cur));
        cur->code = rt_xstrdup(code);
        cur->label = rt_xstrdup(rt__sql_text(row, 1));
        cur->osce = (int)rt__sql_int(row, 2);
        t->lalloc = 0;
    }
    if (rt__sql_text(row, 3)) {
        RT_ALLOC_GROW(cur->labels, cur->n_labels + 1, t->lalloc);
        cur->labels[cur->n_labels].vocabulary = rt_xstrdup(rt__sql_text(row, 3));
        cur->labels[cur->n_labels].label = rt_xstrdup(rt__sql_text(row, 4));
        cur->n_labels++;
    }
    return 0;
}

/* a and b with ASCII's capitals made small, as SQLite's NOCASE and PostgreSQL's lower()
 * in the "C" collation compare them. */
static int nocase_cmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        x += x >= 'A' && x <= 'Z' ? 'a' - 'A' : 0;
        y += y >= 'A' && y <= 'Z' ? 'a' - 'A' : 0;
        if (x != y || !x)
            return x - y;
    }
}

/* By vocabulary, OSCE's last, then by label with ASCII case folded (the column's
 * NOCASE): no two labels of a vocabulary and area differ only in case. */
static int cmp_area_label(const void *x, const void *y)
{
    const struct rt_theme_area_label *a = x, *b = y;
    int ao = !strcmp(a->vocabulary, "osce"), bo = !strcmp(b->vocabulary, "osce"), c;

    if (ao != bo)
        return ao - bo;
    if ((c = strcmp(a->vocabulary, b->vocabulary)) != 0)
        return c;
    return (c = nocase_cmp(a->label, b->label)) != 0 ? c : strcmp(a->label, b->label);
}

int rt_store_theme_areas(struct rt_store *st, struct rt_theme_area **out, size_t *out_n,
                         struct rt_error *err)
{
    struct areas t = {0};
    int rc;

    *out = NULL;
    *out_n = 0;
    if ((rc = rt__sql_rows(st, err, area_row, &t,
                           "SELECT a.code, a.label, a.osce, m.vocabulary, m.label"
                           " FROM theme_area a LEFT JOIN theme_area_label m ON m.area = a.code"
                           " ORDER BY a.pos",
                           "")) < 0) {
        rt_theme_areas_free(t.a, t.n);
        return rc;
    }
    for (size_t i = 0; i < t.n; i++)
        if (t.a[i].n_labels > 1)
            qsort(t.a[i].labels, t.a[i].n_labels, sizeof(*t.a[i].labels), cmp_area_label);
    *out = t.a;
    *out_n = t.n;
    return 0;
}
