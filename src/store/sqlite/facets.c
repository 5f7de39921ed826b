/* Facet counts as bitmap intersections (facets.h). */
#include "base/compat.h"

#include "store/sqlite/facets.h"
#include "store/sqlite/json_sql.h"

/*
 * One value of a facet and the recommendations that have it. A theme has one
 * entry per (theme, origin): the SQL it replaces counts rows of
 * recommendation_theme, so a recommendation tagged with a label twice (two
 * vocabularies, or two origins) counts twice, and so it does here.
 */
struct fentry {
    char *key;   /* the facet's key as the GROUP BY gave it; owned */
    int64_t num; /* cycle: the number; theme: the theme id; state: the state id */
    roaring_bitmap_t *bm;
};

struct fgroup {
    struct fentry *e;
    size_t n, alloc;
};

enum { F_RESPONSE, F_CYCLE, F_THEME, F_STATE, F__COUNT };

static const char *const group_name[F__COUNT] = {"response", "cycle", "theme",
                                                 "state_under_review"};

struct rt__facets {
    uint64_t version;    /* rt_store_version when built */
    int built, unusable; /* unusable: the data has what it cannot hold (build) */
    unsigned asks;       /* searches that could have used it since it was last fresh */
    struct fgroup g[F__COUNT];
};

static void group_release(struct fgroup *g)
{
    for (size_t i = 0; i < g->n; i++) {
        rt_free(g->e[i].key);
        roaring_bitmap_free(g->e[i].bm);
    }
    rt_free(g->e);
    memset(g, 0, sizeof(*g));
}

static void facets_clear(struct rt__facets *fx)
{
    for (int i = 0; i < F__COUNT; i++)
        group_release(&fx->g[i]);
    fx->built = 0;
}

void rt__facets_free(struct rt__facets *fx)
{
    if (!fx)
        return;
    facets_clear(fx);
    rt_free(fx);
}

static struct fentry *group_add(struct fgroup *g, const char *key, int64_t num)
{
    struct fentry *e;

    RT_ALLOC_GROW(g->e, g->n + 1, g->alloc);
    e = &g->e[g->n++];
    e->key = key ? rt_xstrdup(key) : NULL;
    e->num = num;
    e->bm = roaring_bitmap_create();
    return e;
}

/* Entries indexed by a small id (a state's, or a theme's times 3 plus its origin). */
struct slots {
    ptrdiff_t *at; /* index into the group + 1; 0: none yet */
    size_t n;
};

static struct fentry *slot_entry(struct slots *sl, struct fgroup *g, size_t i, int64_t num)
{
    if (i >= sl->n) {
        size_t n = i + 1 > sl->n * 2 ? i + 1 : sl->n * 2;
        RT_REALLOC_ARRAY(sl->at, n);
        memset(sl->at + sl->n, 0, (n - sl->n) * sizeof(*sl->at));
        sl->n = n;
    }
    if (!sl->at[i]) {
        group_add(g, NULL, num);
        sl->at[i] = (ptrdiff_t)g->n;
    }
    return &g->e[sl->at[i] - 1];
}

/* Gives each entry of g whose num names a row of sql (id, key) that key; drops the others. */
static int name_entries(struct rt_store *st, struct fgroup *g, const char *sql, int by_theme,
                        struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(st, sql, err);
    size_t m = 0;
    int rc;

    if (!s)
        return RT_ESTORE;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const char *key = (const char *)sqlite3_column_text(s, 1);
        for (size_t i = 0; i < g->n; i++)
            if (g->e[i].num == id && !g->e[i].key)
                g->e[i].key = rt_xstrdup(key ? key : "");
        (void)by_theme;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return rt__db_error(st, err, "facet index");
    for (size_t i = 0; i < g->n; i++) {
        if (g->e[i].key)
            g->e[m++] = g->e[i];
        else
            roaring_bitmap_free(g->e[i].bm);
    }
    g->n = m;
    return 0;
}

static int key_cmp(const void *a, const void *b)
{
    const struct fentry *x = a, *y = b;
    return strcmp(x->key, y->key);
}

static int num_cmp(const void *a, const void *b)
{
    const struct fentry *x = a, *y = b;
    return x->num < y->num ? -1 : x->num > y->num;
}

/*
 * Reads the facets of every recommendation. 0 when built, 1 when the data has
 * something the index cannot hold (an id beyond 32 bits, a cycle that is not a
 * number), RT_ESTORE on failure.
 */
static int build(struct rt_store *st, struct rt__facets *fx, struct rt_error *err)
{
    static const char *const origins[3] = {"official", "model", "person"};
    struct slots states = {0}, themes = {0};
    struct fentry *last_cycle = NULL;
    sqlite3_stmt *s;
    int rc, odd = 0;

    s = rt__stmt_sql(st, "SELECT id, response, cycle, sur_id FROM recommendation", err);
    if (!s)
        return RT_ESTORE;
    while (!odd && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0), sur = sqlite3_column_int64(s, 3), cycle = 0;
        const char *resp = (const char *)sqlite3_column_text(s, 1);
        struct fgroup *g = &fx->g[F_RESPONSE];
        struct fentry *e = NULL;
        int ct = sqlite3_column_type(s, 2);

        if (id < 0 || id > (int64_t)UINT32_MAX || !resp || sur < 0 || sur > 1 << 20 ||
            (ct != SQLITE_INTEGER && ct != SQLITE_NULL)) {
            odd = 1;
            break;
        }
        for (size_t i = 0; i < g->n && !e; i++)
            if (!strcmp(g->e[i].key, resp))
                e = &g->e[i];
        roaring_bitmap_add((e ? e : group_add(g, resp, 0))->bm, (uint32_t)id);

        cycle = ct == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 2);
        if (!last_cycle || last_cycle->num != cycle) {
            g = &fx->g[F_CYCLE];
            last_cycle = NULL;
            for (size_t i = 0; i < g->n && !last_cycle; i++)
                if (g->e[i].num == cycle)
                    last_cycle = &g->e[i];
            if (!last_cycle) {
                char buf[24];
                snprintf(buf, sizeof(buf), "%lld", (long long)cycle);
                last_cycle = group_add(g, buf, cycle);
            }
        }
        roaring_bitmap_add(last_cycle->bm, (uint32_t)id);
        roaring_bitmap_add(slot_entry(&states, &fx->g[F_STATE], (size_t)sur, sur)->bm,
                           (uint32_t)id);
    }
    sqlite3_reset(s);
    if (!odd && rc != SQLITE_DONE) {
        rc = rt__db_error(st, err, "facet index");
        goto out;
    }
    if (odd) {
        rc = 1;
        goto out;
    }

    s = rt__stmt_sql(st, "SELECT rec_id, theme_id, origin FROM recommendation_theme", err);
    if (!s) {
        rc = RT_ESTORE;
        goto out;
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t rec = sqlite3_column_int64(s, 0), theme = sqlite3_column_int64(s, 1);
        const char *origin = (const char *)sqlite3_column_text(s, 2);
        size_t o = 0;

        if (rec < 0 || rec > (int64_t)UINT32_MAX || theme < 0 || theme > 1 << 20 || !origin) {
            odd = 1;
            break;
        }
        while (o < 3 && strcmp(origins[o], origin))
            o++;
        if (o == 3) {
            odd = 1;
            break;
        }
        roaring_bitmap_add(slot_entry(&themes, &fx->g[F_THEME], (size_t)theme * 3 + o, theme)->bm,
                           (uint32_t)rec);
    }
    sqlite3_reset(s);
    if (odd) {
        rc = 1;
        goto out;
    }
    if (rc != SQLITE_DONE) {
        rc = rt__db_error(st, err, "facet index");
        goto out;
    }
    if ((rc = name_entries(st, &fx->g[F_STATE], "SELECT id, code FROM state", 0, err)) < 0 ||
        (rc = name_entries(st, &fx->g[F_THEME], "SELECT id, label FROM theme", 1, err)) < 0)
        goto out;

    /* Equal keys next to each other, in the order of the GROUP BY's second key. */
    for (int f = 0; f < F__COUNT; f++) {
        if (fx->g[f].n > 1) /* an empty group has no array to give qsort */
            qsort(fx->g[f].e, fx->g[f].n, sizeof(struct fentry), f == F_CYCLE ? num_cmp : key_cmp);
        for (size_t i = 0; i < fx->g[f].n; i++)
            roaring_bitmap_run_optimize(fx->g[f].e[i].bm);
    }
    rc = 0;
out:
    rt_free(states.at);
    rt_free(themes.at);
    return rc;
}

int rt__facets_get(struct rt_store *st, struct rt__facets **out, struct rt_error *err)
{
    struct rt__facets *fx;
    uint64_t version;
    int rc;

    *out = NULL;
    /* Inside a transaction the index would miss or keep what is not committed. */
    if (st->in_tx || !sqlite3_get_autocommit(st->db))
        return 0;
    if (rt_store_version(st, &version, err) < 0)
        return RT_ESTORE;
    if (!st->facets)
        st->facets = rt_xcalloc(1, sizeof(*st->facets));
    fx = st->facets;
    if (fx->built && fx->version == version) {
        *out = fx;
        return 0;
    }
    if (fx->built || fx->version != version) {
        facets_clear(fx);
        fx->version = version;
        fx->asks = 0;
        fx->unusable = 0;
    }
    if (fx->unusable)
        return 0;
    /* Built on the second search that asks for it since the data last changed: a
     * process that searches once (the CLI) counts with SQL, which costs less than
     * reading every recommendation's facets. */
    if (++fx->asks < 2)
        return 0;
    /* One read transaction, so that the tables are read as of one moment. */
    if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "facet index");
    rc = build(st, fx, err);
    sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    if (rc == 0 && rt_store_version(st, &version, err) == 0 && version == fx->version) {
        fx->built = 1;
        *out = fx;
        return 0;
    }
    facets_clear(fx);
    fx->unusable = rc == 1;
    return rc < 0 ? rc : 0;
}

static roaring_bitmap_t *and_into(roaring_bitmap_t *acc, roaring_bitmap_t *b)
{
    if (!acc)
        return b;
    roaring_bitmap_and_inplace(acc, b);
    roaring_bitmap_free(b);
    return acc;
}

/* A copy of the entries' bitmap of f whose num is num, or an empty one. */
static roaring_bitmap_t *entry_of(const struct fgroup *g, int64_t num, const char *key)
{
    roaring_bitmap_t *bm = roaring_bitmap_create();

    for (size_t i = 0; i < g->n; i++)
        if (key ? !strcmp(g->e[i].key, key) : g->e[i].num == num)
            roaring_bitmap_or_inplace(bm, g->e[i].bm);
    return bm;
}

int rt__facets_filter(struct rt_store *st, struct rt__facets *fx, const struct rt_search_spec *q,
                      roaring_bitmap_t **out, struct rt_error *err)
{
    roaring_bitmap_t *acc = NULL;

    *out = NULL;
    if (q->by_id || q->session || q->category)
        return 0;
    if (q->sur_id)
        acc = and_into(acc, entry_of(&fx->g[F_STATE], q->sur_id, NULL));
    if (q->cycle)
        acc = and_into(acc, entry_of(&fx->g[F_CYCLE], q->cycle, NULL));
    if (q->response >= 0)
        acc = and_into(
            acc, entry_of(&fx->g[F_RESPONSE], 0, rt_response_name((enum rt_response)q->response)));
    if (q->theme) {
        /* The themes the filter names, as THEME_MATCH finds them. */
        sqlite3_stmt *s = rt__stmt_sql(st, THEME_IDS("?1"), err);
        roaring_bitmap_t *bm;
        int rc;

        if (!s) {
            rt__bitmap_free(acc);
            return RT_ESTORE;
        }
        bm = roaring_bitmap_create();
        sqlite3_bind_text(s, 1, q->theme, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            int64_t id = sqlite3_column_int64(s, 0);
            const struct fgroup *g = &fx->g[F_THEME];
            for (size_t i = 0; i < g->n; i++)
                if (g->e[i].num == id)
                    roaring_bitmap_or_inplace(bm, g->e[i].bm);
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) {
            roaring_bitmap_free(bm);
            rt__bitmap_free(acc);
            return rt__db_error(st, err, "theme filter");
        }
        acc = and_into(acc, bm);
    }
    *out = acc;
    return 1;
}

struct fcount {
    const struct fentry *e;
    int64_t n;
};

static int count_cmp(const void *a, const void *b)
{
    const struct fcount *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return x->e < y->e ? -1 : x->e > y->e; /* entries are in key order */
}

void rt__facets_count(const struct rt__facets *fx, const roaring_bitmap_t *hits,
                      struct rt_search_result *res)
{
    for (int f = 0; f < F__COUNT; f++) {
        const struct fgroup *g = &fx->g[f];
        struct rt_facet *fc = &res->facets[res->n_facets++];
        struct fcount *c;
        size_t n = 0;

        fc->name = group_name[f];
        if (!g->n)
            continue;
        RT_ALLOC_ARRAY(c, g->n);
        for (size_t i = 0; i < g->n; i++) {
            int64_t k = (int64_t)roaring_bitmap_and_cardinality(hits, g->e[i].bm);
            if (n && (f == F_CYCLE ? c[n - 1].e->num == g->e[i].num
                                   : !strcmp(c[n - 1].e->key, g->e[i].key)))
                c[n - 1].n += k;
            else
                c[n++] = (struct fcount){&g->e[i], k};
        }
        qsort(c, n, sizeof(*c), count_cmp);
        RT_ALLOC_ARRAY(fc->counts, n ? n : 1);
        for (size_t i = 0; i < n && c[i].n > 0; i++) {
            fc->counts[fc->n].key = rt_xstrdup(c[i].e->key);
            fc->counts[fc->n++].n = c[i].n;
        }
        rt_free(c);
    }
}

struct bits_ctx {
    uint64_t *bits;
};

static bool set_bit(uint32_t v, void *arg)
{
    struct bits_ctx *c = arg;
    c->bits[v / 64] |= (uint64_t)1 << (v % 64);
    return true;
}

int64_t rt__bitmap_to_bits(const roaring_bitmap_t *bm, uint64_t **bits, size_t *words)
{
    struct bits_ctx c;
    uint64_t n = roaring_bitmap_get_cardinality(bm);

    *words = n ? (size_t)roaring_bitmap_maximum(bm) / 64 + 1 : 1;
    c.bits = rt_xcalloc(*words, sizeof(*c.bits));
    roaring_iterate(bm, set_bit, &c);
    *bits = c.bits;
    return (int64_t)n;
}
