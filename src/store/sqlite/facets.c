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

/* The facets are counted by a pass over the hits (row_counts) when the hits are
 * fewer than the rows over this, else by intersections: measured at 8x. */
#define ROWS_PASS_SHARE 1

/* The pass counts hits by class when they are more than the classes over this (a
 * class without hits costs a load and a test at the end, a hit counted by class saves
 * the three facets' increments and its themes'). */
#define CLASS_PASS_SHARE 2

static const char *const group_name[F__COUNT] = {"response", "cycle", "theme",
                                                 "state_under_review"};

struct rt__facets {
    uint64_t version;    /* rt_store_version when last known fresh */
    int known;           /* version is set: built, unusable and stamp are of it */
    int64_t stamp;       /* the build's stamp (schema 21's row of facet -1); 0: none */
    int built, unusable; /* unusable: the data has what it cannot hold (build) */
    struct fgroup g[F__COUNT];
    uint8_t *doclen; /* tokens of recommendation i's text in the full-text index; 0
                        when none or 256 or more (rank.c then asks FTS5) */
    size_t n_doclen;
    struct rt__facets_build *b; /* while rt__facets_add_* build it */
    uint32_t *dl32;             /* while built and not yet stored: every length, for the postings */
    uint32_t *len0;             /* the same, of the first column (the text) alone */
    /* The postings (postings.c): the index's rows and tokens when they were built, 0
     * when none were. */
    int64_t post_rows, post_tokens;
    /* The full-text index's words (postings.c), read at the first prefix query. */
    struct rt__vocab *vocab;
    int vocab_read;
    /* Each row's entry of each facet of one value a row (its index in g[f] plus 1, 0
     * for none; of[F_THEME] unused) and its theme entries as bits, made at the second
     * count (rows_make); rows_made -1 when they cannot be used. Rows of the same
     * entries share a class: class_of[id] (n_rows of them) is row id's, cls[c] its
     * entries (n_cls classes). */
    uint32_t *class_of;
    size_t n_rows;
    struct row_entries *cls;
    size_t n_cls;
    int rows_made;
    uint64_t counts;   /* rt__facets_count calls */
    uint32_t *hit_ids; /* the hits of the last count by rows (row_counts), as an array */
    size_t hit_ids_alloc;
};

/* A row's entries, together: a pass over sparse hits reads one cache line a hit, not
 * one in each of four arrays (2.3 MB of themes and 0.6 MB per facet at 8x). */
struct row_entries {
    uint64_t themes;
    uint16_t of[F__COUNT];
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

static void builder_free(struct rt__facets *fx);

static void facets_clear(struct rt__facets *fx)
{
    builder_free(fx);
    for (int i = 0; i < F__COUNT; i++)
        group_release(&fx->g[i]);
    rt_free(fx->doclen);
    fx->doclen = NULL;
    fx->n_doclen = 0;
    rt_free(fx->dl32);
    fx->dl32 = NULL;
    rt_free(fx->len0);
    fx->len0 = NULL;
    fx->post_rows = fx->post_tokens = 0;
    rt__vocab_free(fx->vocab);
    fx->vocab = NULL;
    fx->vocab_read = 0;
    rt_free(fx->class_of);
    fx->class_of = NULL;
    fx->n_rows = 0;
    rt_free(fx->cls);
    fx->cls = NULL;
    fx->n_cls = 0;
    fx->rows_made = 0;
    fx->counts = 0;
    rt_free(fx->hit_ids);
    fx->hit_ids = NULL;
    fx->hit_ids_alloc = 0;
    fx->built = 0;
    fx->stamp = 0;
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

/* Entries of the builder's groups indexed by a small id (facets.h: rt__facets_add_*). */
struct rt__facets_build {
    struct slots states, themes;
    struct fentry *last_cycle;
};

struct rt__facets *rt__facets_new(void)
{
    return rt_xcalloc(1, sizeof(struct rt__facets));
}

static struct rt__facets_build *builder(struct rt__facets *fx)
{
    if (!fx->b)
        fx->b = rt_xcalloc(1, sizeof(*fx->b));
    return fx->b;
}

static void builder_free(struct rt__facets *fx)
{
    if (!fx->b)
        return;
    rt_free(fx->b->states.at);
    rt_free(fx->b->themes.at);
    rt_free(fx->b);
    fx->b = NULL;
}

int rt__facets_add_rec(struct rt__facets *fx, int64_t id, const char *response, int64_t cycle,
                       int64_t sur)
{
    struct rt__facets_build *b = builder(fx);
    struct fgroup *g = &fx->g[F_RESPONSE];
    struct fentry *e = NULL;

    if (id < 0 || id > (int64_t)UINT32_MAX || !response || sur < 0 || sur > 1 << 20)
        return 1;
    for (size_t i = 0; i < g->n && !e; i++)
        if (!strcmp(g->e[i].key, response))
            e = &g->e[i];
    roaring_bitmap_add((e ? e : group_add(g, response, 0))->bm, (uint32_t)id);

    if (!b->last_cycle || b->last_cycle->num != cycle) {
        g = &fx->g[F_CYCLE];
        b->last_cycle = NULL;
        for (size_t i = 0; i < g->n && !b->last_cycle; i++)
            if (g->e[i].num == cycle)
                b->last_cycle = &g->e[i];
        if (!b->last_cycle) {
            char buf[24];
            snprintf(buf, sizeof(buf), "%lld", (long long)cycle);
            b->last_cycle = group_add(g, buf, cycle);
        }
    }
    roaring_bitmap_add(b->last_cycle->bm, (uint32_t)id);
    roaring_bitmap_add(slot_entry(&b->states, &fx->g[F_STATE], (size_t)sur, sur)->bm, (uint32_t)id);
    return 0;
}

int rt__facets_add_theme(struct rt__facets *fx, int64_t rec, int64_t theme, const char *origin)
{
    static const char *const origins[3] = {"official", "model", "person"};
    struct rt__facets_build *b = builder(fx);
    size_t o = 0;

    if (rec < 0 || rec > (int64_t)UINT32_MAX || theme < 0 || theme > 1 << 20 || !origin)
        return 1;
    while (o < 3 && strcmp(origins[o], origin))
        o++;
    if (o == 3)
        return 1;
    /* The group's array may move as entries are added: the cycle found last goes. */
    b->last_cycle = NULL;
    roaring_bitmap_add(slot_entry(&b->themes, &fx->g[F_THEME], (size_t)theme * 3 + o, theme)->bm,
                       (uint32_t)rec);
    return 0;
}

void rt__facets_name(struct rt__facets *fx, int themes, int64_t id, const char *key)
{
    struct fgroup *g = &fx->g[themes ? F_THEME : F_STATE];

    for (size_t i = 0; i < g->n; i++)
        if (g->e[i].num == id && !g->e[i].key)
            g->e[i].key = rt_xstrdup(key ? key : "");
}

void rt__facets_done(struct rt__facets *fx)
{
    builder_free(fx);
    /* Equal keys next to each other, in the order of the GROUP BY's second key. An
     * entry no row named (a dangling id) gets the empty key. */
    for (int f = 0; f < F__COUNT; f++) {
        for (size_t i = 0; i < fx->g[f].n; i++)
            if (!fx->g[f].e[i].key)
                fx->g[f].e[i].key = rt_xstrdup("");
        if (fx->g[f].n > 1) /* an empty group has no array to give qsort */
            qsort(fx->g[f].e, fx->g[f].n, sizeof(struct fentry), f == F_CYCLE ? num_cmp : key_cmp);
        for (size_t i = 0; i < fx->g[f].n; i++)
            roaring_bitmap_run_optimize(fx->g[f].e[i].bm);
    }
    fx->built = 1;
}

/* Gives each entry of a group whose num names a row of sql (id, key) that key. */
static int name_entries(struct rt_store *st, struct rt__facets *fx, const char *sql, int themes,
                        struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(st, sql, err);
    int rc;

    if (!s)
        return RT_ESTORE;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        rt__facets_name(fx, themes, sqlite3_column_int64(s, 0),
                        (const char *)sqlite3_column_text(s, 1));
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "facet index");
}

/*
 * Reads the facets of every recommendation. 0 when built, 1 when the data has
 * something the index cannot hold (an id beyond 32 bits, a cycle that is not a
 * number), RT_ESTORE on failure.
 */
static int build(struct rt_store *st, struct rt__facets *fx, struct rt_error *err)
{
    sqlite3_stmt *s;
    int rc, odd = 0;

    s = rt__stmt_sql(st, "SELECT id, response, cycle, sur_id FROM recommendation", err);
    if (!s)
        return RT_ESTORE;
    while (!odd && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int ct = sqlite3_column_type(s, 2);

        odd = (ct != SQLITE_INTEGER && ct != SQLITE_NULL) ||
              rt__facets_add_rec(
                  fx, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1),
                  ct == SQLITE_NULL ? 0 : sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3));
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

    s = rt__stmt_sql(st, "SELECT rec_id, theme_id, origin FROM recommendation_theme", err);
    if (!s) {
        rc = RT_ESTORE;
        goto out;
    }
    while (!odd && (rc = sqlite3_step(s)) == SQLITE_ROW)
        odd = rt__facets_add_theme(fx, sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
                                   (const char *)sqlite3_column_text(s, 2));
    sqlite3_reset(s);
    if (odd) {
        rc = 1;
        goto out;
    }
    if (rc != SQLITE_DONE) {
        rc = rt__db_error(st, err, "facet index");
        goto out;
    }
    if ((rc = name_entries(st, fx, "SELECT id, code FROM state", 0, err)) < 0 ||
        (rc = name_entries(st, fx, "SELECT id, label FROM theme", 1, err)) < 0)
        goto out;
    rt__facets_done(fx);
    return 0;
out:
    builder_free(fx);
    return rc;
}

/*
 * Reads each recommendation's length in the full-text index (FTS5's docsize table:
 * one varint per column, summed as bm25 sums them) into fx->doclen. 0, 1 when an id is
 * beyond 32 bits or a length cannot be read, RT_ESTORE on failure.
 */
static int build_doclen(struct rt_store *st, struct rt__facets *fx, struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(st, "SELECT id, sz FROM recommendation_fts_docsize", err);
    size_t alloc = 0, alloc32 = 0;
    int rc, odd = 0;

    if (!s)
        return RT_ESTORE;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const unsigned char *p = sqlite3_column_blob(s, 1);
        int n = sqlite3_column_bytes(s, 1), i = 0, col = 0;
        uint64_t v = 0, v0 = 0;

        /* bm25's length of a row is its tokens in every column: the sum of the varints */
        while (i < n && v <= UINT32_MAX) {
            uint64_t c = 0;
            int k;
            for (k = 0; i < n && k < 9; k++, i++) {
                if (k == 8) {
                    c = c << 8 | p[i++];
                    break;
                }
                c = c << 7 | (p[i] & 0x7f);
                if (!(p[i] & 0x80)) {
                    i++;
                    break;
                }
            }
            v += c;
            if (col++ == 0)
                v0 = c;
        }
        if (id < 0 || id >= (int64_t)UINT32_MAX || n == 0 || v > UINT32_MAX) {
            odd = 1;
            break;
        }
        if ((size_t)id >= fx->n_doclen) {
            size_t was = fx->n_doclen;
            RT_ALLOC_GROW(fx->doclen, (size_t)id + 1, alloc);
            fx->n_doclen = (size_t)id + 1;
            memset(fx->doclen + was, 0, (fx->n_doclen - was) * sizeof(*fx->doclen));
            if (alloc32 != alloc) {
                RT_REALLOC_ARRAY(fx->dl32, alloc);
                RT_REALLOC_ARRAY(fx->len0, alloc);
                alloc32 = alloc;
            }
            memset(fx->dl32 + was, 0, (fx->n_doclen - was) * sizeof(*fx->dl32));
            memset(fx->len0 + was, 0, (fx->n_doclen - was) * sizeof(*fx->len0));
        }
        fx->doclen[id] = v <= UINT8_MAX ? (uint8_t)v : 0;
        fx->dl32[id] = (uint32_t)v;
        fx->len0[id] = (uint32_t)v0;
    }
    sqlite3_reset(s);
    if (odd)
        return 1;
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "facet index");
}

/* Reads stored into fx: 0, 1 when a row cannot be read (then rebuilt), RT_ESTORE. */
static int load(struct rt_store *st, struct rt__facets *fx, struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(st,
                                   "SELECT facet, key, num, bitmap FROM search_index"
                                   " WHERE facet BETWEEN 0 AND 4 ORDER BY facet, pos",
                                   err);
    int rc, odd = 0;

    if (!s)
        return RT_ESTORE;
    while (!odd && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        int f = sqlite3_column_int(s, 0);
        const char *key = (const char *)sqlite3_column_text(s, 1);
        const char *blob = sqlite3_column_blob(s, 3);
        size_t n = (size_t)sqlite3_column_bytes(s, 3);

        if (f == F__COUNT) { /* the lengths, a byte each */
            rt_free(fx->doclen);
            fx->n_doclen = n;
            RT_ALLOC_ARRAY(fx->doclen, n ? n : 1);
            if (n)
                memcpy(fx->doclen, blob, n);
            odd = sqlite3_column_int64(s, 2) != (int64_t)n; /* num: how many */
        } else if (f < F__COUNT && key && blob) {
            struct fentry *e = group_add(&fx->g[f], key, sqlite3_column_int64(s, 2));
            roaring_bitmap_free(e->bm);
            /* Sized first: CRoaring says on stderr what it cannot read. */
            e->bm = roaring_bitmap_portable_deserialize_size(blob, n) == n
                        ? roaring_bitmap_portable_deserialize_safe(blob, n)
                        : NULL;
            if (!e->bm) {
                e->bm = roaring_bitmap_create();
                odd = 1;
            }
        } else {
            odd = 1;
        }
    }
    sqlite3_reset(s);
    if (odd)
        return 1;
    if (rc != SQLITE_DONE)
        return rt__db_error(st, err, "facet index");
    /* An index stored without the postings (by an older build) is built again. */
    if ((rc = rt__postings_marker(st, &fx->post_rows, &fx->post_tokens, err)) < 0)
        return rc;
    return rc == 1 ? 0 : 1;
}

/* Writes fx to the table with a new stamp; in the caller's write transaction. */
static int store(struct rt_store *st, struct rt__facets *fx, struct rt_error *err)
{
    sqlite3_stmt *s;
    char *buf = NULL;
    size_t alloc = 0;
    int rc = 0;

    if (sqlite3_exec(st->db, "DELETE FROM search_index", NULL, NULL, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "facet index");
    if (!(s = rt__stmt_sql(st,
                           "INSERT INTO search_index(facet, pos, key, num, bitmap)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)",
                           err)))
        return RT_ESTORE;
    do
        sqlite3_randomness(sizeof(fx->stamp), &fx->stamp);
    while (fx->stamp == 0);
    for (int f = -1; f <= F__COUNT && rc == 0; f++) {
        size_t n = f < 0 || f == F__COUNT ? 1 : fx->g[f].n;
        for (size_t i = 0; i < n && rc == 0; i++) {
            size_t len = 0;

            sqlite3_bind_int(s, 1, f);
            sqlite3_bind_int64(s, 2, (int64_t)i);
            if (f < 0) {
                sqlite3_bind_text(s, 3, "", 0, SQLITE_STATIC);
                sqlite3_bind_int64(s, 4, fx->stamp);
            } else if (f == F__COUNT) {
                len = fx->n_doclen;
                RT_ALLOC_GROW(buf, len, alloc);
                if (len)
                    memcpy(buf, fx->doclen, len);
                sqlite3_bind_text(s, 3, "", 0, SQLITE_STATIC);
                sqlite3_bind_int64(s, 4, (int64_t)fx->n_doclen);
            } else {
                const struct fentry *e = &fx->g[f].e[i];
                len = roaring_bitmap_portable_size_in_bytes(e->bm);
                RT_ALLOC_GROW(buf, len, alloc);
                len = roaring_bitmap_portable_serialize(e->bm, buf);
                sqlite3_bind_text(s, 3, e->key, -1, SQLITE_STATIC);
                sqlite3_bind_int64(s, 4, e->num);
            }
            sqlite3_bind_blob(s, 5, buf ? buf : "", (int)len, SQLITE_STATIC);
            if (sqlite3_step(s) != SQLITE_DONE)
                rc = rt__db_error(st, err, "facet index");
            sqlite3_reset(s);
        }
    }
    sqlite3_clear_bindings(s);
    rt_free(buf);
    if (rc == 0)
        rc = rt__postings_store(st, fx->dl32, fx->len0, fx->doclen, fx->n_doclen, &fx->post_rows,
                                &fx->post_tokens, err);
    return rc;
}

/* The stamp of the stored index: 1 with *stamp, 0 when none is stored (or the table
 * is missing: a database opened read-only before schema 21), RT_ESTORE. */
static int stored_stamp(struct rt_store *st, int64_t *stamp, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db, "SELECT num FROM search_index WHERE facet = -1", -1, &s, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(s);
        return 0;
    }
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        *stamp = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "facet index");
}

/* Builds fx from the tables: 0, 1 when it cannot hold the data, RT_ESTORE. */
static int build_all(struct rt_store *st, struct rt__facets *fx, struct rt_error *err)
{
    int rc;

    facets_clear(fx);
    if ((rc = build(st, fx, err)) == 0)
        rc = build_doclen(st, fx, err);
    if (rc != 0)
        facets_clear(fx);
    return rc;
}

/*
 * In the read transaction of the caller: fx as stored, kept when it is the build fx
 * holds, else read; *none set when nothing is stored. The version is read after
 * the stamp, so that both are of the transaction's moment.
 */
static int refresh_stored(struct rt_store *st, struct rt__facets *fx, int *none,
                          struct rt_error *err)
{
    int64_t stamp = 0;
    int rc;

    *none = 0;
    if ((rc = stored_stamp(st, &stamp, err)) < 0 || rt_store_version(st, &fx->version, err) < 0)
        return RT_ESTORE;
    if (rc == 0) {
        *none = 1;
        return 0;
    }
    if (fx->built && fx->stamp == stamp)
        return 0;
    facets_clear(fx);
    if ((rc = load(st, fx, err)) < 0)
        return rc;
    if (rc == 1) {
        facets_clear(fx);
        *none = 1;
        return 0;
    }
    fx->built = 1;
    fx->stamp = stamp;
    return 0;
}

int rt__facets_get(struct rt_store *st, struct rt__facets **out, struct rt_error *err)
{
    struct rt__facets *fx;
    uint64_t version;
    int own, none = 0, rc;

    *out = NULL;
    /* Inside a write transaction the index would miss or keep what is not committed. */
    if (st->in_tx || sqlite3_txn_state(st->db, NULL) == SQLITE_TXN_WRITE)
        return 0;
    if (rt_store_version(st, &version, err) < 0)
        return RT_ESTORE;
    if (!st->facets)
        st->facets = rt_xcalloc(1, sizeof(*st->facets));
    fx = st->facets;
    if (fx->known && fx->version == version) {
        *out = fx->built ? fx : NULL;
        return 0;
    }
    fx->known = 0;
    fx->unusable = 0;
    /* Outside a transaction, one of our own, so that what is read is of one moment. */
    own = sqlite3_get_autocommit(st->db);
    if (own && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "facet index");
    rc = refresh_stored(st, fx, &none, err);
    if (rc == 0 && none && own) {
        /* Built once for every process: under the write lock if it is free now, so
         * that what is stored is the data as it is; else only for this one. */
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
        sqlite3_busy_timeout(st->db, 0);
        if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
            if ((rc = refresh_stored(st, fx, &none, err)) == 0 && none &&
                (rc = build_all(st, fx, err)) == 0 && (rc = store(st, fx, err)) == 0)
                rc = rt_store_version(st, &fx->version, err);
            if (rc == 0 && none)
                fx->built = 1;
        } else if (sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
            rc = rt__db_error(st, err, "facet index");
        } else if ((rc = build_all(st, fx, err)) == 0) {
            rc = rt_store_version(st, &fx->version, err);
            fx->built = 1;
        }
        sqlite3_busy_timeout(st->db, RT__BUSY_TIMEOUT_MS);
    } else if (rc == 0 && none) {
        /* In the caller's read transaction: for this process only. */
        if ((rc = build_all(st, fx, err)) == 0)
            fx->built = 1;
    }
    if (own)
        sqlite3_exec(st->db, rc < 0 ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    if (rc < 0) {
        facets_clear(fx);
        return rc;
    }
    rt_free(fx->dl32); /* only the postings read them */
    fx->dl32 = NULL;
    rt_free(fx->len0);
    fx->len0 = NULL;
    fx->unusable = rc == 1;
    fx->known = 1;
    *out = fx->built ? fx : NULL;
    return 0;
}

/*
 * At the end of an import, in its write transaction and before its COMMIT: the index
 * built from the tables and stored with them, so that one commit writes both (after
 * the commit it took a transaction of its own, its WAL frames and their checkpoint).
 * Best effort under a savepoint: when it fails, or the data is what the index cannot
 * hold, nothing is stored and a search builds it as before.
 */
void rt__facets_store_in_load(struct rt_store *st)
{
    struct rt__facets *fx;
    int64_t stamp;
    int rc;

    /* Still stored when the import changed nothing that the index holds (every change
     * empties it): a search reads it. */
    if (stored_stamp(st, &stamp, NULL) != 0)
        return;
    if (!st->facets)
        st->facets = rt_xcalloc(1, sizeof(*st->facets));
    fx = st->facets;
    fx->known = 0; /* the version moves at the commit; the stamp says it is this build */
    fx->built = 0;
    if (sqlite3_exec(st->db, "SAVEPOINT rt_facets", NULL, NULL, NULL) != SQLITE_OK)
        return;
    if ((rc = build_all(st, fx, NULL)) == 0 && (rc = store(st, fx, NULL)) == 0)
        fx->built = 1;
    else
        facets_clear(fx);
    if (rc != 0)
        sqlite3_exec(st->db, "ROLLBACK TO rt_facets", NULL, NULL, NULL);
    sqlite3_exec(st->db, "RELEASE rt_facets", NULL, NULL, NULL);
    rt_free(fx->dl32); /* only the postings read them */
    fx->dl32 = NULL;
    rt_free(fx->len0);
    fx->len0 = NULL;
}

/* The serialised form (facets.h): numbers little-endian, whatever the machine. */
static void put_u64(struct rt_buf *b, uint64_t v)
{
    unsigned char c[8];

    for (int i = 0; i < 8; i++)
        c[i] = (unsigned char)(v >> (8 * i));
    rt_buf_add(b, c, sizeof(c));
}

static int get_u64(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
    if (end - *p < 8)
        return -1;
    *v = 0;
    for (int i = 0; i < 8; i++)
        *v |= (uint64_t)(*p)[i] << (8 * i);
    *p += 8;
    return 0;
}

#define FX_MAGIC "rtfacet1"

void rt__facets_serialize(const struct rt__facets *fx, struct rt_buf *out)
{
    char *bm = NULL;
    size_t alloc = 0;

    rt_buf_add(out, FX_MAGIC, 8);
    for (int f = 0; f < F__COUNT; f++) {
        put_u64(out, fx->g[f].n);
        for (size_t i = 0; i < fx->g[f].n; i++) {
            const struct fentry *e = &fx->g[f].e[i];
            size_t k = strlen(e->key), len = roaring_bitmap_portable_size_in_bytes(e->bm);

            put_u64(out, k);
            rt_buf_add(out, e->key, k);
            put_u64(out, (uint64_t)e->num);
            RT_ALLOC_GROW(bm, len, alloc);
            len = roaring_bitmap_portable_serialize(e->bm, bm);
            put_u64(out, len);
            rt_buf_add(out, bm, len);
        }
    }
    put_u64(out, fx->n_doclen);
    rt_buf_add(out, fx->doclen, fx->n_doclen);
    rt_free(bm);
}

struct rt__facets *rt__facets_deserialize(const void *data, size_t len)
{
    const unsigned char *p = data, *end = p + len;
    struct rt__facets *fx = rt__facets_new();
    uint64_t n, v;

    if (len < 8 || memcmp(p, FX_MAGIC, 8))
        goto bad;
    p += 8;
    for (int f = 0; f < F__COUNT; f++) {
        if (get_u64(&p, end, &n) < 0 || n > (uint64_t)(end - p))
            goto bad;
        for (uint64_t i = 0; i < n; i++) {
            struct fentry *e;
            uint64_t k, num;
            char *key;

            if (get_u64(&p, end, &k) < 0 || k > (uint64_t)(end - p))
                goto bad;
            key = rt_xcalloc(k + 1, 1);
            memcpy(key, p, k);
            p += k;
            e = group_add(&fx->g[f], key, 0);
            rt_free(key);
            if (get_u64(&p, end, &num) < 0 || get_u64(&p, end, &v) < 0 || v > (uint64_t)(end - p))
                goto bad;
            e->num = (int64_t)num;
            roaring_bitmap_free(e->bm);
            /* Sized first: CRoaring says on stderr what it cannot read. */
            e->bm = roaring_bitmap_portable_deserialize_size((const char *)p, v) == v
                        ? roaring_bitmap_portable_deserialize_safe((const char *)p, v)
                        : NULL;
            if (!e->bm) {
                e->bm = roaring_bitmap_create();
                goto bad;
            }
            p += v;
        }
    }
    if (get_u64(&p, end, &n) < 0 || n != (uint64_t)(end - p))
        goto bad;
    if (n) {
        RT_ALLOC_ARRAY(fx->doclen, n);
        memcpy(fx->doclen, p, n);
        fx->n_doclen = n;
    }
    fx->built = 1;
    return fx;
bad:
    rt__facets_free(fx);
    return NULL;
}

int rt__facets_postings(const struct rt__facets *fx, int64_t *rows, int64_t *tokens)
{
    *rows = fx ? fx->post_rows : 0;
    *tokens = fx ? fx->post_tokens : 0;
    return *rows > 0 && *tokens > 0;
}

const struct rt__vocab *rt__facets_vocab(struct rt_store *st, struct rt__facets *fx)
{
    if (!fx || !fx->post_rows)
        return NULL;
    if (!fx->vocab_read) {
        fx->vocab_read = 1;
        fx->vocab = rt__vocab_read(st);
    }
    return fx->vocab;
}

uint64_t rt__facets_version(const struct rt__facets *fx)
{
    return fx ? fx->version : 0;
}

const uint8_t *rt__facets_doclen(const struct rt__facets *fx, size_t *n)
{
    *n = fx ? fx->n_doclen : 0;
    return fx ? fx->doclen : NULL;
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

roaring_bitmap_t *rt__facets_all(const struct rt__facets *fx)
{
    roaring_bitmap_t *bm = roaring_bitmap_create();

    /* Every recommendation has one response. */
    for (size_t i = 0; i < fx->g[F_RESPONSE].n; i++)
        roaring_bitmap_or_inplace(bm, fx->g[F_RESPONSE].e[i].bm);
    return bm;
}

int rt__facets_pass(const struct rt__facets *fx, const struct rt_search_spec *q,
                    const int64_t *themes, size_t n_themes, roaring_bitmap_t **out)
{
    roaring_bitmap_t *acc = NULL;

    *out = NULL;
    if (q->by_id || q->session || q->category || q->mechanism)
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
        roaring_bitmap_t *bm = roaring_bitmap_create();
        const struct fgroup *g = &fx->g[F_THEME];

        for (size_t k = 0; k < n_themes; k++)
            for (size_t i = 0; i < g->n; i++)
                if (g->e[i].num == themes[k])
                    roaring_bitmap_or_inplace(bm, g->e[i].bm);
        acc = and_into(acc, bm);
    }
    *out = acc;
    return 1;
}

int rt__facets_filter(struct rt_store *st, struct rt__facets *fx, const struct rt_search_spec *q,
                      roaring_bitmap_t **out, struct rt_error *err)
{
    int64_t *themes = NULL;
    size_t n = 0, alloc = 0;
    int rc;

    *out = NULL;
    if (q->by_id || q->session || q->category || q->mechanism)
        return 0;
    if (q->theme) {
        sqlite3_stmt *s = rt__stmt_sql(st, THEME_IDS("?1"), err);

        if (!s)
            return RT_ESTORE;
        sqlite3_bind_text(s, 1, q->theme, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            RT_ALLOC_GROW(themes, n + 1, alloc);
            themes[n++] = sqlite3_column_int64(s, 0);
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) {
            rt_free(themes);
            return rt__db_error(st, err, "theme filter");
        }
    }
    rc = rt__facets_pass(fx, q, themes, n, out);
    rt_free(themes);
    return rc;
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

/* A class of rows' entries while they are numbered: the slot's class plus 1, 0 free. */
static size_t class_slot(const uint32_t *slot, size_t cap, const struct row_entries *cls,
                         const struct row_entries *r)
{
    uint64_t h = r->themes ^ ((uint64_t)r->of[0] | (uint64_t)r->of[1] << 16 |
                              (uint64_t)r->of[2] << 32 | (uint64_t)r->of[3] << 48) *
                                 0x9e3779b97f4a7c15u;
    size_t i;

    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9u;
    h ^= h >> 32;
    for (i = (size_t)h & (cap - 1); slot[i]; i = (i + 1) & (cap - 1)) {
        const struct row_entries *c = &cls[slot[i] - 1];
        if (c->themes == r->themes && !memcmp(c->of, r->of, sizeof(c->of)))
            break;
    }
    return i;
}

/* The slots of the classes so far again, in a table twice as large (*cap). */
static uint32_t *class_slots_grow(uint32_t *slot, size_t *cap, const struct row_entries *cls,
                                  size_t n_cls)
{
    rt_free(slot);
    *cap *= 2;
    slot = rt_xcalloc(*cap, sizeof(*slot));
    for (size_t c = 0; c < n_cls; c++)
        slot[class_slot(slot, *cap, cls, &cls[c])] = (uint32_t)(c + 1);
    return slot;
}

/*
 * Makes fx->class_of and fx->cls: each row's entry of each facet of one value per
 * row, and its themes' entries as bits, the rows of the same entries in one class. 1
 * when they can be used, else 0 (a row in two entries of one such facet, more than 64
 * theme entries or 65,535 of another facet).
 */
static int rows_make(struct rt__facets *fx)
{
    struct row_entries *rows;
    uint32_t *slot;
    size_t max = 0, cap = 1024, alloc = 0;

    if (fx->rows_made)
        return fx->rows_made > 0;
    fx->rows_made = -1;
    for (int f = 0; f < F__COUNT; f++) {
        const struct fgroup *g = &fx->g[f];
        if (g->n >= (f == F_THEME ? 65 : UINT16_MAX))
            return 0;
        for (size_t i = 0; i < g->n; i++)
            if (!roaring_bitmap_is_empty(g->e[i].bm) &&
                roaring_bitmap_maximum(g->e[i].bm) + 1 > max)
                max = (size_t)roaring_bitmap_maximum(g->e[i].bm) + 1;
    }
    rows = rt_xcalloc(max ? max : 1, sizeof(*rows));
    for (int f = 0; f < F__COUNT; f++) {
        const struct fgroup *g = &fx->g[f];
        for (size_t i = 0; i < g->n; i++) {
            /* The entry's rows as an array (in fx->hit_ids, free until a count). */
            size_t n = (size_t)roaring_bitmap_get_cardinality(g->e[i].bm);
            const uint32_t *v;
            RT_ALLOC_GROW(fx->hit_ids, n + 1, fx->hit_ids_alloc);
            roaring_bitmap_to_uint32_array(g->e[i].bm, fx->hit_ids);
            v = fx->hit_ids;
            for (size_t j = 0; j < n; j++) {
                if (f == F_THEME) {
                    rows[v[j]].themes |= (uint64_t)1 << i;
                    continue;
                }
                if (rows[v[j]].of[f]) {
                    rt_free(rows);
                    return 0;
                }
                rows[v[j]].of[f] = (uint16_t)(i + 1);
            }
        }
    }
    /* The classes, numbered in the order of their first row. The table of slots
     * grows with the classes, not the rows (far fewer: 19,376 for the 283,000 rows of
     * the UPR Info file eight times over), so that it stays in the processor's cache;
     * a row of its predecessor's entries (often, in the order of import) is not
     * looked up. */
    slot = rt_xcalloc(cap, sizeof(*slot));
    RT_ALLOC_ARRAY(fx->class_of, max ? max : 1);
    for (size_t id = 0; id < max; id++) {
        size_t i;
        if (id && rows[id].themes == rows[id - 1].themes &&
            !memcmp(rows[id].of, rows[id - 1].of, sizeof(rows[id].of))) {
            fx->class_of[id] = fx->class_of[id - 1];
            continue;
        }
        i = class_slot(slot, cap, fx->cls, &rows[id]);
        if (slot[i]) {
            fx->class_of[id] = slot[i] - 1;
            continue;
        }
        RT_ALLOC_GROW(fx->cls, fx->n_cls + 1, alloc);
        fx->cls[fx->n_cls++] = rows[id];
        fx->class_of[id] = (uint32_t)(fx->n_cls - 1);
        if (fx->n_cls * 2 > cap)
            slot = class_slots_grow(slot, &cap, fx->cls, fx->n_cls);
        else
            slot[i] = (uint32_t)fx->n_cls;
    }
    rt_free(slot);
    rt_free(rows);
    fx->n_rows = max;
    fx->rows_made = 1;
    return 1;
}

/* Adds n to the counts k of the entries of class c. */
static void class_add(uint64_t **k, const struct row_entries *c, uint64_t n)
{
    k[F_RESPONSE][c->of[F_RESPONSE]] += n;
    k[F_CYCLE][c->of[F_CYCLE]] += n;
    k[F_STATE][c->of[F_STATE]] += n;
    for (uint64_t m = c->themes; m; m &= m - 1)
        k[F_THEME][__builtin_ctzll(m) + 1] += n;
}

/*
 * Each facet entry's count of hits, k[f][i + 1] for entry i of facet f (each g->n + 1
 * long, zeroed), from each hit's class of entries (rows_make): one pass over the hits
 * instead of an intersection with each entry's rows, for hits fewer than the rows of
 * the index over ROWS_PASS_SHARE. When the hits are more than the classes over
 * CLASS_PASS_SHARE, the pass only counts each class's hits, and each class adds its count to its
 * entries after: an increment a hit, not one per facet and theme. 1, else 0 (not counted).
 */
static int row_counts(struct rt__facets *fx, const roaring_bitmap_t *hits, uint64_t **k)
{
    uint64_t card = roaring_bitmap_get_cardinality(hits), out = 0;
    uint32_t *by_class = NULL;

    /* Not at the first count: a process that counts once (the command line) would
     * spend more making the rows' entries than the pass saves. */
    if (fx->counts++ < 1 || !rows_make(fx) || card * ROWS_PASS_SHARE > fx->n_rows)
        return 0;
    if (card * CLASS_PASS_SHARE > fx->n_cls)
        by_class = rt_xcalloc(fx->n_cls ? fx->n_cls : 1, sizeof(*by_class));
    /* The hits as an array (CRoaring's bulk copy, much cheaper a hit than its
     * iterator), kept for the next count. */
    RT_ALLOC_GROW(fx->hit_ids, (size_t)card + 1, fx->hit_ids_alloc);
    roaring_bitmap_to_uint32_array(hits, fx->hit_ids);
    for (size_t j = 0; j < card; j++) {
        uint32_t id = fx->hit_ids[j];
        if (id >= fx->n_rows)
            out++;
        else if (by_class)
            by_class[fx->class_of[id]]++;
        else
            class_add(k, &fx->cls[fx->class_of[id]], 1);
    }
    for (size_t c = 0; by_class && c < fx->n_cls; c++)
        if (by_class[c])
            class_add(k, &fx->cls[c], by_class[c]);
    for (int f = 0; f < F__COUNT; f++)
        k[f][0] += out;
    rt_free(by_class);
    return 1;
}

void rt__facets_count(struct rt__facets *fx, const roaring_bitmap_t *hits,
                      struct rt_search_result *res)
{
    uint64_t *by_row[F__COUNT];
    int pass;

    for (int f = 0; f < F__COUNT; f++)
        by_row[f] = rt_xcalloc(fx->g[f].n + 1, sizeof(*by_row[f]));
    pass = row_counts(fx, hits, by_row);
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
            int64_t k;
            /* The rows of no UPR cycle (OSCE/ODIHR's, cycle 0) count under no cycle. */
            if (f == F_CYCLE && g->e[i].num <= 0)
                continue;
            k = pass ? (int64_t)by_row[f][i + 1]
                     : (int64_t)roaring_bitmap_and_cardinality(hits, g->e[i].bm);
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
    for (int f = 0; f < F__COUNT; f++)
        rt_free(by_row[f]);
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
