/*
 * The recommending states and theme tags of every recommendation, in memory, for a
 * store that serves many searches (rt_store_keep_search: the web server). A page of
 * hits then reads only its own rows: the two statements load_hits (read.c) runs for
 * a page's states and themes cost more than the rows themselves (a key look-up in a
 * table without rowid and a sort for every hit). Read whole, in the order those
 * statements give, once for each version of the data (rt_store_version), in the
 * caller's read transaction; the lists are the same bytes in the same order.
 */
#include "base/compat.h"

#include "store/sqlite/facets.h"
#include "store/sqlite/ops.h"
#include "store/sqlite/sqlite_int.h"

/* A theme tag: the theme's row in themes, its origin (one of origins) and confidence. */
struct tag {
    uint32_t theme;
    uint32_t origin;
    double confidence;
};

struct rt__hit_rows {
    int built;
    uint64_t version;
    int64_t max_id;   /* ids 1..max_id have lists; larger ones have none */
    uint32_t *by_at;  /* max_id + 2: recommendation id's states are by[by_at[id]..] */
    uint32_t *by;     /* state ids */
    uint32_t *tag_at; /* max_id + 2, as by_at */
    struct tag *tags; /* in the order the page's statement gives */
    char (*codes)[sizeof(((struct rt_state_ref *)0)->code)]; /* by state id (max_state + 1) */
    char **names;                                            /* by state id; NULL: no such state */
    int64_t max_state;                                       /* of the table state */
    char **vocab, **label;                                   /* by theme id (max_theme + 1) */
    int64_t max_theme;
};

/* The origins a theme tag may have (the table's CHECK). */
static const char *const origins[] = {"official", "model", "person"};

static void rows_clear(struct rt__hit_rows *h)
{
    for (int64_t i = 0; h->names && i <= h->max_state; i++)
        rt_free(h->names[i]);
    for (int64_t i = 0; h->vocab && i <= h->max_theme; i++) {
        rt_free(h->vocab[i]);
        rt_free(h->label[i]);
    }
    rt_free(h->by_at);
    rt_free(h->by);
    rt_free(h->tag_at);
    rt_free(h->tags);
    rt_free(h->codes);
    rt_free(h->names);
    rt_free(h->vocab);
    rt_free(h->label);
    memset(h, 0, sizeof(*h));
}

void rt__hit_rows_free(struct rt__hit_rows *h)
{
    if (h) {
        rows_clear(h);
        rt_free(h);
    }
}

/* One integer of a statement without arguments; RT_ESTORE with err. */
static int one_int(struct rt_store *st, const char *sql, int64_t *out, struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(st, sql, err);
    int rc;

    if (!s)
        return RT_ESTORE;
    rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    rc = rc == SQLITE_ROW ? 0 : rt__db_error(st, err, "hit rows");
    sqlite3_reset(s);
    return rc;
}

/*
 * Reads the lists of one table: rows of (recommendation id, then what add takes), in
 * order of id; at[id] is where id's entries begin (the entries of ids without any
 * are empty). 1 when an id falls outside 1..max_id (the data changed under a
 * statement that should not let it: the caller then uses SQL).
 */
static int read_lists(struct rt_store *st, struct rt__hit_rows *h, const char *sql, uint32_t *at,
                      int (*add)(struct rt__hit_rows *h, sqlite3_stmt *s, size_t i, size_t *alloc),
                      struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt_sql(st, sql, err);
    int64_t next = 1; /* the first id whose start is not yet set */
    size_t n = 0, alloc = 0;
    int rc, out = 0;

    if (!s)
        return RT_ESTORE;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (id < next - 1 || id > h->max_id || n >= UINT32_MAX) {
            out = 1;
            break;
        }
        while (next <= id)
            at[next++] = (uint32_t)n;
        if (add(h, s, n, &alloc)) {
            out = 1;
            break;
        }
        n++;
    }
    while (next <= h->max_id + 1)
        at[next++] = (uint32_t)n;
    rc = out || rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "hit rows");
    sqlite3_reset(s);
    return rc < 0 ? rc : out;
}

static int add_by(struct rt__hit_rows *h, sqlite3_stmt *s, size_t i, size_t *alloc)
{
    int64_t state = sqlite3_column_int64(s, 1);

    if (state < 0 || state > h->max_state || !h->names[state])
        return 1;
    RT_ALLOC_GROW(h->by, i + 1, *alloc);
    h->by[i] = (uint32_t)state;
    return 0;
}

static int add_tag(struct rt__hit_rows *h, sqlite3_stmt *s, size_t i, size_t *alloc)
{
    int64_t theme = sqlite3_column_int64(s, 1);
    const char *origin = (const char *)sqlite3_column_text(s, 2);
    uint32_t o = 0;

    if (theme < 0 || theme > h->max_theme || !h->label[theme] || !origin)
        return 1;
    while (o < RT_ARRAY_SIZE(origins) && strcmp(origins[o], origin))
        o++;
    if (o == RT_ARRAY_SIZE(origins))
        return 1;
    RT_ALLOC_GROW(h->tags, i + 1, *alloc);
    h->tags[i] = (struct tag){(uint32_t)theme, o, sqlite3_column_double(s, 3)};
    return 0;
}

/* Reads everything for the data as the caller's transaction sees it: 0, 1 when it
 * cannot be held (the caller uses SQL), RT_ESTORE. */
static int build(struct rt_store *st, struct rt__hit_rows *h, struct rt_error *err)
{
    int64_t n_recs = 0;
    sqlite3_stmt *s;
    int rc;

    if ((rc = one_int(st,
                      "SELECT max(max(coalesce((SELECT max(rec_id) FROM recommendation_by),"
                      " 0), coalesce((SELECT max(rec_id) FROM recommendation_theme), 0)), 0)",
                      &h->max_id, err)) < 0 ||
        (rc = one_int(st, "SELECT count(*) FROM recommendation", &n_recs, err)) < 0 ||
        (rc = one_int(st, "SELECT coalesce(max(id), 0) FROM state", &h->max_state, err)) < 0 ||
        (rc = one_int(st, "SELECT coalesce(max(id), 0) FROM theme", &h->max_theme, err)) < 0)
        return rc;
    /* Arrays indexed by id: only for ids about as dense as an import makes them. */
    if (h->max_id > 4 * n_recs + 4096 || h->max_state > 65536 || h->max_theme > 65536 ||
        h->max_id >= UINT32_MAX / 2)
        return 1;
    h->by_at = rt_xcalloc((size_t)h->max_id + 2, sizeof(*h->by_at));
    h->tag_at = rt_xcalloc((size_t)h->max_id + 2, sizeof(*h->tag_at));
    h->codes = rt_xcalloc((size_t)h->max_state + 1, sizeof(*h->codes));
    h->names = rt_xcalloc((size_t)h->max_state + 1, sizeof(*h->names));
    h->vocab = rt_xcalloc((size_t)h->max_theme + 1, sizeof(*h->vocab));
    h->label = rt_xcalloc((size_t)h->max_theme + 1, sizeof(*h->label));
    if (!(s = rt__stmt_sql(st, "SELECT id, code, name FROM state", err)))
        return RT_ESTORE;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (id >= 0 && id <= h->max_state) {
            /* as by_add (read.c) copies it */
            snprintf(h->codes[id], sizeof(h->codes[id]), "%s",
                     (const char *)sqlite3_column_text(s, 1));
            h->names[id] = rt__col_strdup(s, 2);
        }
    }
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "hit rows");
    sqlite3_reset(s);
    if (rc < 0 || !(s = rt__stmt_sql(st, "SELECT id, vocabulary, label FROM theme", err)))
        return RT_ESTORE;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (id >= 0 && id <= h->max_theme) {
            h->vocab[id] = rt__col_strdup(s, 1);
            h->label[id] = rt__col_strdup(s, 2);
        }
    }
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "hit rows");
    sqlite3_reset(s);
    if (rc < 0)
        return rc;
    /* The orders of load_hits' statements, over every recommendation. */
    if ((rc = read_lists(st, h,
                         "SELECT b.rec_id, b.state_id FROM recommendation_by b JOIN state s"
                         " ON s.id = b.state_id ORDER BY b.rec_id, s.name",
                         h->by_at, add_by, err)) != 0)
        return rc;
    return read_lists(st, h,
                      "SELECT rt.rec_id, rt.theme_id, rt.origin, rt.confidence"
                      " FROM recommendation_theme rt JOIN theme t ON t.id = rt.theme_id"
                      " ORDER BY rt.rec_id, t.vocabulary, t.label, rt.origin",
                      h->tag_at, add_tag, err);
}

int rt__hit_rows_get(struct rt_store *st, const struct rt__hit_rows **out, struct rt_error *err)
{
    struct rt__hit_rows *h = st->hit_rows;
    uint64_t version;
    int rc;

    *out = NULL;
    /* Not kept; or not in a read transaction, where what is read would not be of one
     * moment; or in a write one, where it could miss what is not yet committed. */
    if (!h || st->in_tx || sqlite3_get_autocommit(st->db) ||
        sqlite3_txn_state(st->db, NULL) == SQLITE_TXN_WRITE)
        return 0;
    if (rt__sqlite_version(st, &version, err) < 0)
        return RT_ESTORE;
    if (h->built && h->version == version) {
        *out = h;
        return 0;
    }
    rows_clear(h);
    if ((rc = build(st, h, err)) != 0) {
        rows_clear(h);
        return rc < 0 ? rc : 0;
    }
    h->built = 1;
    h->version = version;
    *out = h;
    return 0;
}

void rt__hit_rows_fill(const struct rt__hit_rows *h, struct rt_rec *r)
{
    size_t alloc = 0;

    if (r->id < 1 || r->id > h->max_id)
        return;
    for (uint32_t i = h->by_at[r->id]; i < h->by_at[r->id + 1]; i++) {
        struct rt_state_ref *ref;
        RT_ALLOC_GROW(r->by, r->n_by + 1, alloc);
        ref = &r->by[r->n_by++];
        memcpy(ref->code, h->codes[h->by[i]], sizeof(ref->code));
        ref->name = rt_xstrdup(h->names[h->by[i]]);
    }
    alloc = 0;
    for (uint32_t i = h->tag_at[r->id]; i < h->tag_at[r->id + 1]; i++) {
        const struct tag *g = &h->tags[i];
        struct rt_rec_theme *t;
        RT_ALLOC_GROW(r->themes, r->n_themes + 1, alloc);
        t = &r->themes[r->n_themes++];
        t->vocabulary = rt_xstrdup(h->vocab[g->theme]);
        t->label = rt_xstrdup(h->label[g->theme]);
        t->origin = rt_xstrdup(origins[g->origin]);
        t->confidence = g->confidence;
    }
}

int rt__sqlite_keep_search(struct rt_store *st, struct rt_error *err)
{
    const struct rt__hit_rows *h;
    struct rt__facets *fx;
    int own = sqlite3_get_autocommit(st->db), rc;

    if (!st->hit_rows)
        st->hit_rows = rt_xcalloc(1, sizeof(*st->hit_rows));
    /* The facet index first: outside a transaction it may be built and stored. */
    if ((rc = rt__facets_get(st, &fx, err)) < 0)
        return rc;
    if (own && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "hit rows");
    rc = rt__hit_rows_get(st, &h, err);
    if (own)
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
    return rc;
}
