/*
 * The SQLite store's writes of recommendations: state and source look-ups, records
 * merged with their twins, their links to states and themes queued and written many
 * to a statement, and a load's queue of new records.
 */
#include "base/compat.h"

#include <rightstrack/text.h>

#include "base/hash.h"
#include "model/rules.h"
#include "store/sqlite/sqlite_int.h"

int rt__sqlite_state_find(struct rt_store *st, const char *name, size_t len, int64_t *out_id,
                          struct rt_error *err)
{
    struct rt_buf key = RT_BUF_INIT;
    sqlite3_stmt *s;
    int64_t id;
    int rc;

    if (rt__strmap_get(&st->state_cache, name, len, &id)) {
        if (id <= 0)
            return RT_ENOTFOUND;
        *out_id = id;
        return 0;
    }
    if (rt_text_name_key(name, len, &key) < 0 || !key.len) {
        rc = RT_ENOTFOUND;
        goto out;
    }
    if (!(s = rt__stmt(st, STMT_STATE_BY_KEY, err))) {
        rc = RT_ESTORE;
        goto out;
    }
    sqlite3_bind_text(s, 1, key.buf, (int)key.len, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        id = sqlite3_column_int64(s, 0);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        id = 0;
        rc = RT_ENOTFOUND;
    } else {
        rc = rt__db_error(st, err, "state look-up");
        goto out;
    }
    sqlite3_reset(s);
    rt__strmap_put(&st->state_cache, name, len, id);
    if (rc == 0)
        *out_id = id;
out:
    rt_buf_release(&key);
    return rc;
}

int rt__sqlite_state_get(struct rt_store *st, int64_t id, struct rt_state_ref *ref,
                         struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db, "SELECT code, name FROM state WHERE id = ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        snprintf(ref->code, sizeof(ref->code), "%s", (const char *)sqlite3_column_text(s, 0));
        ref->name = rt__col_strdup(s, 1);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "no state with id %lld", (long long)id);
    } else {
        rc = rt__db_error(st, err, "state");
    }
    sqlite3_finalize(s);
    return rc;
}

int rt__sqlite_source_put(struct rt_store *st, const struct rt_source *src, int64_t *out_id,
                          int *out_new, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO source(kind, title, path, sha256) VALUES (?1, ?2, ?3, ?4)"
                           " ON CONFLICT(sha256) DO NOTHING",
                           -1, &s, NULL) != SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    sqlite3_bind_text(s, 1, src->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, src->title, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, src->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, src->sha256, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE) {
        rc = rt__db_error(st, err, "add source");
        goto out;
    }
    *out_new = sqlite3_changes(st->db) > 0;
    sqlite3_finalize(s);
    s = NULL;
    if (sqlite3_prepare_v2(st->db, "SELECT id FROM source WHERE sha256 = ?1", -1, &s, NULL) !=
        SQLITE_OK)
        return rt__db_error(st, err, "prepare");
    sqlite3_bind_text(s, 1, src->sha256, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) {
        rc = rt__db_error(st, err, "find source");
        goto out;
    }
    *out_id = sqlite3_column_int64(s, 0);
    rc = 0;
out:
    sqlite3_finalize(s);
    return rc;
}

/* What a link queue holds. */
enum link_kind { LINK_BY, LINK_THEME, LINK_SOURCE };

/* Queued links are written when this many wait. */
#define LINK_QUEUE_MAX (32 * LINK_BATCH)

static int rec_put(struct rt_store *st, const struct rt_rec_in *r, int64_t *out_id,
                   unsigned *out_flags, struct rt_error *err);

static void bind_int_or_null(sqlite3_stmt *s, int i, int v)
{
    if (v)
        sqlite3_bind_int(s, i, v);
    else
        sqlite3_bind_null(s, i);
}

/* Is r a recommendation whose twins must have its paragraph too (an ODIHR one, whose
 * paragraph names the election)? */
static int keyed_by_paragraph(const struct rt_rec_in *r)
{
    return r->mechanism && strcmp(r->mechanism, "upr") != 0;
}

int64_t rt__rec_key_hash(const char *text, size_t len, int session, const char *mechanism,
                         const char *paragraph)
{
    uint64_t h = rt__hash(text, len);
    h ^= (uint64_t)(unsigned)session * 0x9E3779B97F4A7C15ULL;
    if (mechanism && strcmp(mechanism, "upr") != 0 && paragraph)
        h ^= rt__hash(paragraph, strlen(paragraph)) * 0xC2B2AE3D27D4EB4FULL;
    return (int64_t)(h >> 1);
}

/* The hash that finds a recommendation's twins: session and text (and paragraph). */
static int64_t key_hash(const struct rt_rec_in *r)
{
    return rt__rec_key_hash(r->text, r->text_len, r->session, r->mechanism, r->paragraph);
}

/* Merges r into the values of its twin: the rule of twins (src/model/rules.c). */
static unsigned merge_values(enum rt_response *resp, int *cat, const struct rt_rec_in *r)
{
    return rt__rec_merge(resp, cat, r->response, r->action_category);
}

/*
 * Merges r into the stored recommendation id (its twin), whose response, category
 * and paragraph are the current columns of s, a row of STMT_REC_FIND or
 * STMT_REC_BY_ID from column 1 on. Resets s.
 */
static int merge_stored(struct rt_store *st, sqlite3_stmt *s, int64_t id, const struct rt_rec_in *r,
                        unsigned *out_flags, struct rt_error *err)
{
    enum rt_response old = RT_RESPONSE_PENDING, resp;
    int old_cat = sqlite3_column_int(s, 2), cat;
    int has_par = sqlite3_column_type(s, 3) != SQLITE_NULL;

    rt_response_parse((const char *)sqlite3_column_text(s, 1), &old);
    sqlite3_reset(s);
    resp = old;
    cat = old_cat;
    *out_flags |= merge_values(&resp, &cat, r);
    if (resp != old || cat != old_cat || (!has_par && r->paragraph)) {
        if (!(s = rt__stmt(st, STMT_REC_FILL, err)))
            return RT_ESTORE;
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, rt_response_name(resp), -1, SQLITE_STATIC);
        bind_int_or_null(s, 3, cat);
        if (r->paragraph)
            sqlite3_bind_text(s, 4, r->paragraph, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            return rt__db_error(st, err, "update recommendation");
        sqlite3_reset(s);
        /* The paragraph is indexed: a row indexed without one is indexed again. */
        if (!has_par && r->paragraph && (!st->in_tx || id <= st->fts_from))
            return rt__fts_redo_note(st, id, err);
    }
    return 0;
}

/* Binds the columns of STMT_REC_INSERT_ID from parameter p on. */
static void bind_row(struct rt_store *st, sqlite3_stmt *s, int p, const struct rt__rec_row *row)
{
    const char *strings = st->recs.strings.buf;

    sqlite3_bind_int64(s, p, row->id);
    sqlite3_bind_text(s, p + 1, strings + row->mechanism, -1, SQLITE_STATIC);
    bind_int_or_null(s, p + 2, row->cycle);
    bind_int_or_null(s, p + 3, row->session);
    if (row->paragraph)
        sqlite3_bind_text(s, p + 4, strings + row->paragraph, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, p + 5, row->sur_id);
    sqlite3_bind_text(s, p + 6, strings + row->text, (int)row->text_len, SQLITE_STATIC);
    sqlite3_bind_text(s, p + 7, rt_response_name(row->response), -1, SQLITE_STATIC);
    bind_int_or_null(s, p + 8, row->action_category);
    if (row->source_id)
        sqlite3_bind_int64(s, p + 9, row->source_id);
    sqlite3_bind_int64(s, p + 10, row->key_hash);
    sqlite3_bind_text(s, p + 11, st->now, -1, SQLITE_STATIC);
}

/* Writes the queued recommendations, REC_BATCH to a statement and the rest one by one. */
static int recs_write(struct rt_store *st, struct rt_error *err)
{
    struct rt__rec_queue *q = &st->recs;
    size_t i = 0;

    while (i < q->n) {
        size_t rows = q->n - i >= REC_BATCH ? REC_BATCH : 1;
        sqlite3_stmt *s = rt__stmt(st, rows > 1 ? STMT_REC_INSERT_MANY : STMT_REC_INSERT_ID, err);

        if (!s)
            return RT_ESTORE;
        for (size_t k = 0; k < rows; k++)
            bind_row(st, s, (int)k * REC_COLUMNS + 1, &q->v[i + k]);
        if (sqlite3_step(s) != SQLITE_DONE)
            return rt__db_error(st, err, "add recommendations");
        sqlite3_reset(s);
        /* Tokenized for the full-text index on the other core meanwhile (tokcap.c). */
        for (size_t k = 0; st->tokwork && k < rows; k++) {
            const struct rt__rec_row *row = &q->v[i + k];
            rt__tokwork_row(st->tokwork, row->id, q->strings.buf + row->text, row->text_len,
                            row->paragraph ? q->strings.buf + row->paragraph : NULL);
        }
        i += rows;
    }
    q->n = 0;
    rt_buf_setlen(&q->strings, 1); /* offset 0 stays "none" */
    return 0;
}

void rt__recs_start(struct rt_store *st)
{
    struct rt__rec_queue *q = &st->recs;

    q->on = 1;
    q->next_id = 1;
    q->n = 0;
    q->twins_n = 0;
    q->twins_cap = 4096;
    q->twins = rt_xcalloc(q->twins_cap, sizeof(*q->twins));
    rt_buf_reset(&q->strings);
    rt_buf_addch(&q->strings, '\0');
}

void rt__recs_stop(struct rt_store *st)
{
    struct rt__rec_queue *q = &st->recs;

    q->on = 0;
    q->n = 0;
    RT_FREE_AND_NULL(q->twins);
    q->twins_cap = q->twins_n = 0;
}

int rt__recs_flush_and_stop(struct rt_store *st, struct rt_error *err)
{
    int rc = st->recs.on ? recs_write(st, err) : 0;
    rt__recs_stop(st);
    return rc;
}

/* What the twin table keys a recommendation by: its key hash and state under review. */
static uint32_t twin_key(int64_t hash, int64_t sur_id)
{
    uint64_t k = (uint64_t)hash ^ ((uint64_t)sur_id * 0x9E3779B97F4A7C15ULL);
    return (uint32_t)(k ^ (k >> 32));
}

/* Adds id to the twin table (slot: where key puts it), which doubles when 3/4 full. */
static void twin_add(struct rt__rec_queue *q, uint32_t key, uint32_t id)
{
    size_t mask, i;

    if ((q->twins_n + 1) * 4 > q->twins_cap * 3) {
        struct rt__twin *old = q->twins;
        size_t old_cap = q->twins_cap;
        q->twins_cap *= 2;
        q->twins = rt_xcalloc(q->twins_cap, sizeof(*q->twins));
        q->twins_n = 0;
        for (size_t k = 0; k < old_cap; k++)
            if (old[k].id)
                twin_add(q, old[k].key, old[k].id);
        rt_free(old);
    }
    mask = q->twins_cap - 1;
    for (i = key & mask; q->twins[i].id; i = (i + 1) & mask)
        ;
    q->twins[i].key = key;
    q->twins[i].id = id;
    q->twins_n++;
}

static size_t add_string(struct rt_buf *b, const char *s, size_t len)
{
    size_t off = b->len;
    if (rt_buf_add(b, s, len) < 0 || rt_buf_addch(b, '\0') < 0)
        RT_BUG("recommendation queue overflow");
    return off;
}

/*
 * rt_store_rec_put in a load into an empty store: every recommendation of the
 * transaction is in the twin table, so SQLite is asked only about a twin that has
 * been written already; a new one is queued with the next id.
 */
static int rec_put_queued(struct rt_store *st, const struct rt_rec_in *r, int64_t hash,
                          int64_t *out_id, unsigned *out_flags, struct rt_error *err)
{
    struct rt__rec_queue *q = &st->recs;
    uint32_t key = twin_key(hash, r->sur_id);
    size_t mask = q->twins_cap - 1;
    struct rt__rec_row *row;

    for (size_t i = key & mask; q->twins[i].id; i = (i + 1) & mask) {
        const struct rt__twin *t = &q->twins[i];
        int64_t id = t->id;

        if (t->key != key)
            continue;
        if (q->n && id >= q->v[0].id) { /* still queued */
            row = &q->v[id - q->v[0].id];
            if (row->sur_id != r->sur_id || row->key_hash != hash || row->session != r->session ||
                row->text_len != r->text_len ||
                memcmp(q->strings.buf + row->text, r->text, r->text_len) ||
                (keyed_by_paragraph(r) &&
                 strcmp(q->strings.buf + row->paragraph, r->paragraph ? r->paragraph : "")))
                continue;
            *out_flags |= merge_values(&row->response, &row->action_category, r);
            if (!row->paragraph && r->paragraph)
                row->paragraph = add_string(&q->strings, r->paragraph, strlen(r->paragraph));
        } else {
            sqlite3_stmt *s = rt__stmt(st, STMT_REC_BY_ID, err);
            const void *text;
            int same;

            if (!s)
                return RT_ESTORE;
            sqlite3_bind_int64(s, 1, id);
            if (sqlite3_step(s) != SQLITE_ROW)
                return rt__db_error(st, err, "find recommendation");
            text = sqlite3_column_blob(s, 0);
            same = sqlite3_column_int64(s, 5) == r->sur_id &&
                   sqlite3_column_int(s, 4) == r->session &&
                   (size_t)sqlite3_column_bytes(s, 0) == r->text_len &&
                   (!r->text_len || !memcmp(text, r->text, r->text_len)) &&
                   (!keyed_by_paragraph(r) || !strcmp(sqlite3_column_type(s, 3) == SQLITE_NULL
                                                          ? ""
                                                          : (const char *)sqlite3_column_text(s, 3),
                                                      r->paragraph ? r->paragraph : ""));
            if (!same) {
                sqlite3_reset(s);
                continue;
            }
            if (merge_stored(st, s, id, r, out_flags, err) < 0)
                return RT_ESTORE;
        }
        *out_id = id;
        return 0;
    }
    if (q->next_id > (int64_t)UINT32_MAX) { /* the twin table holds 32-bit ids */
        int rc = rt__recs_flush_and_stop(st, err);
        return rc < 0 ? rc : rec_put(st, r, out_id, out_flags, err);
    }
    RT_ALLOC_GROW(q->v, q->n + 1, q->alloc);
    row = &q->v[q->n++];
    row->id = q->next_id++;
    row->sur_id = r->sur_id;
    row->source_id = r->source_id;
    row->key_hash = hash;
    row->cycle = r->cycle;
    row->session = r->session;
    row->action_category = r->action_category;
    row->response = r->response;
    row->mechanism = add_string(&q->strings, r->mechanism ? r->mechanism : "upr",
                                strlen(r->mechanism ? r->mechanism : "upr"));
    row->text = add_string(&q->strings, r->text, r->text_len);
    row->text_len = r->text_len;
    row->paragraph = r->paragraph ? add_string(&q->strings, r->paragraph, strlen(r->paragraph)) : 0;
    twin_add(q, key, (uint32_t)row->id);
    *out_id = row->id;
    *out_flags = RT_PUT_NEW;
    return q->n < REC_BATCH ? 0 : recs_write(st, err);
}

static struct rt__link *queue_push(struct rt__link_queue *q);
static int queue_write(struct rt_store *st, struct rt__link_queue *q, enum link_kind kind,
                       struct rt_error *err);

/* Queues the link of recommendation id to the source r came from, with its response. */
static int queue_source(struct rt_store *st, const struct rt_rec_in *r, int64_t id,
                        struct rt_error *err)
{
    struct rt__link *l;

    if (!r->source_id)
        return 0;
    l = queue_push(&st->src_queue);
    l->rec_id = id;
    l->to_id = r->source_id;
    l->origin = rt_response_name(r->response);
    /* Outside a transaction nothing would flush the queue: write it now. */
    return st->in_tx && st->src_queue.n < LINK_QUEUE_MAX
               ? 0
               : queue_write(st, &st->src_queue, LINK_SOURCE, err);
}

/*
 * Keeps the election of an ODIHR recommendation id: the first one given stays, and
 * a priority once given stays. A recommendation still queued is written first.
 */
static int put_election(struct rt_store *st, const struct rt_election_in *e, int64_t id,
                        struct rt_error *err)
{
    sqlite3_stmt *s;
    int rc;

    if (st->recs.on && st->recs.n && (rc = recs_write(st, err)) < 0)
        return rc;
    if (!(s = rt__stmt_sql(st,
                           "INSERT INTO recommendation_election(rec_id, election, election_date,"
                           " report_date, priority) VALUES (?1, ?2, ?3, ?4, ?5)"
                           " ON CONFLICT (rec_id) DO UPDATE SET"
                           " priority = max(priority, excluded.priority),"
                           " report_date = coalesce(report_date, excluded.report_date)",
                           err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, e->election, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, e->election_date, -1, SQLITE_STATIC);
    if (e->report_date && *e->report_date)
        sqlite3_bind_text(s, 4, e->report_date, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 4);
    sqlite3_bind_int(s, 5, e->priority ? 1 : 0);
    rc = sqlite3_step(s) == SQLITE_DONE ? 0 : rt__db_error(st, err, "add election");
    sqlite3_reset(s);
    return rc;
}

int rt__sqlite_rec_put(struct rt_store *st, const struct rt_rec_in *r, int64_t *out_id,
                       unsigned *out_flags, struct rt_error *err)
{
    int rc = rec_put(st, r, out_id, out_flags, err);
    if (rc == 0 && r->election)
        rc = put_election(st, r->election, *out_id, err);
    return rc < 0 ? rc : queue_source(st, r, *out_id, err);
}

static int rec_put(struct rt_store *st, const struct rt_rec_in *r, int64_t *out_id,
                   unsigned *out_flags, struct rt_error *err)
{
    int64_t hash = key_hash(r);
    sqlite3_stmt *s;
    int rc;

    *out_flags = 0;
    if (st->recs.on)
        return rec_put_queued(st, r, hash, out_id, out_flags, err);
    if (!(s = rt__stmt(st, STMT_REC_FIND, err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, r->sur_id);
    bind_int_or_null(s, 2, r->session);
    sqlite3_bind_text(s, 3, r->text, (int)r->text_len, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, hash);
    if (r->paragraph)
        sqlite3_bind_text(s, 5, r->paragraph, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, 5);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out_id = sqlite3_column_int64(s, 0);
        return merge_stored(st, s, *out_id, r, out_flags, err);
    }
    if (rc != SQLITE_DONE)
        return rt__db_error(st, err, "find recommendation");
    sqlite3_reset(s);
    if (!(s = rt__stmt(st, STMT_REC_INSERT, err)))
        return RT_ESTORE;
    sqlite3_bind_text(s, 1, r->mechanism ? r->mechanism : "upr", -1, SQLITE_STATIC);
    bind_int_or_null(s, 2, r->cycle);
    bind_int_or_null(s, 3, r->session);
    if (r->paragraph)
        sqlite3_bind_text(s, 4, r->paragraph, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, r->sur_id);
    sqlite3_bind_text(s, 6, r->text, (int)r->text_len, SQLITE_STATIC);
    sqlite3_bind_text(s, 7, rt_response_name(r->response), -1, SQLITE_STATIC);
    bind_int_or_null(s, 8, r->action_category);
    if (r->source_id)
        sqlite3_bind_int64(s, 9, r->source_id);
    sqlite3_bind_int64(s, 10, hash);
    if (!st->in_tx)
        rt__set_now(st);
    sqlite3_bind_text(s, 11, st->now, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_DONE)
        return rt__db_error(st, err, "add recommendation");
    sqlite3_reset(s);
    *out_id = sqlite3_last_insert_rowid(st->db);
    *out_flags = RT_PUT_NEW;
    /* Outside a transaction the row is indexed now; inside, at commit. */
    return st->in_tx ? 0 : rt__index_from(st, *out_id - 1, err);
}

int rt__sqlite_rec_add_by(struct rt_store *st, int64_t rec_id, int64_t state_id, int *out_new,
                          struct rt_error *err)
{
    sqlite3_stmt *s = rt__stmt(st, STMT_BY_INSERT, err);

    if (!s)
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, rec_id);
    sqlite3_bind_int64(s, 2, state_id);
    if (sqlite3_step(s) != SQLITE_DONE)
        return rt__db_error(st, err, "add recommending state");
    *out_new = sqlite3_changes(st->db) > 0;
    sqlite3_reset(s);
    return 0;
}

static int theme_id(struct rt_store *st, const char *vocabulary, const char *label, int64_t *out_id,
                    struct rt_error *err)
{
    struct rt_buf *key = &st->theme_key;
    sqlite3_stmt *s;
    int rc = 0;

    rt_buf_reset(key);
    rt_buf_adds(key, vocabulary);
    rt_buf_addch(key, '\t');
    rt_buf_adds(key, label);
    if (rt__strmap_get(&st->theme_cache, key->buf, key->len, out_id))
        return 0;
    if (!(s = rt__stmt(st, STMT_THEME_FIND, err))) {
        rc = RT_ESTORE;
        goto out;
    }
    sqlite3_bind_text(s, 1, vocabulary, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, label, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out_id = sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
    } else if (rc == SQLITE_DONE) {
        sqlite3_reset(s);
        if (!(s = rt__stmt(st, STMT_THEME_INSERT, err))) {
            rc = RT_ESTORE;
            goto out;
        }
        sqlite3_bind_text(s, 1, vocabulary, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, label, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE) {
            rc = rt__db_error(st, err, "add theme");
            goto out;
        }
        sqlite3_reset(s);
        *out_id = sqlite3_last_insert_rowid(st->db);
    } else {
        rc = rt__db_error(st, err, "find theme");
        goto out;
    }
    rc = 0;
    rt__strmap_put(&st->theme_cache, key->buf, key->len, *out_id);
out:
    return rc;
}

int rt__sqlite_rec_add_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                             const char *label, const char *origin, double confidence, int *out_new,
                             struct rt_error *err)
{
    sqlite3_stmt *s;
    int64_t tid;
    int rc = theme_id(st, vocabulary, label, &tid, err);

    if (rc < 0)
        return rc;
    if (!(s = rt__stmt(st, STMT_REC_THEME_INSERT, err)))
        return RT_ESTORE;
    sqlite3_bind_int64(s, 1, rec_id);
    sqlite3_bind_int64(s, 2, tid);
    sqlite3_bind_text(s, 3, origin, -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 4, confidence);
    if (sqlite3_step(s) != SQLITE_DONE)
        return rt__db_error(st, err, "tag recommendation");
    *out_new = sqlite3_changes(st->db) > 0;
    sqlite3_reset(s);
    return 0;
}

/* The values the schema allows in recommendation_theme.origin. */
static const char *const theme_origins[] = {"official", "model", "person"};

static struct rt__link *queue_push(struct rt__link_queue *q)
{
    RT_ALLOC_GROW(q->v, q->n + 1, q->alloc);
    memset(&q->v[q->n], 0, sizeof(q->v[q->n]));
    return &q->v[q->n++];
}

/* Writes the links of q, LINK_BATCH to a statement and the rest one by one. */
static int queue_write(struct rt_store *st, struct rt__link_queue *q, enum link_kind kind,
                       struct rt_error *err)
{
    static const enum rt__stmt_id one[] = {STMT_BY_INSERT, STMT_REC_THEME_INSERT, STMT_SRC_INSERT};
    static const enum rt__stmt_id many[] = {STMT_BY_INSERT_MANY, STMT_REC_THEME_INSERT_MANY,
                                            STMT_SRC_INSERT_MANY};
    static const char *const what[] = {"add recommending states", "tag recommendations",
                                       "add recommendation sources"};
    int themes = kind == LINK_THEME;
    size_t i = 0;

    while (i < q->n) {
        size_t rows = q->n - i >= LINK_BATCH ? LINK_BATCH : 1;
        sqlite3_stmt *s = rt__stmt(st, rows > 1 ? many[kind] : one[kind], err);
        int p = 1;

        if (!s)
            return RT_ESTORE;
        for (size_t k = i; k < i + rows; k++) {
            sqlite3_bind_int64(s, p++, q->v[k].rec_id);
            sqlite3_bind_int64(s, p++, q->v[k].to_id);
            if (kind != LINK_BY)
                sqlite3_bind_text(s, p++, q->v[k].origin, -1, SQLITE_STATIC);
            if (themes)
                sqlite3_bind_double(s, p++, q->v[k].confidence);
        }
        if (sqlite3_step(s) != SQLITE_DONE)
            return rt__db_error(st, err, what[kind]);
        q->added += sqlite3_changes(st->db);
        sqlite3_reset(s);
        i += rows;
    }
    q->n = 0;
    return 0;
}

int rt__sqlite_rec_queue_by(struct rt_store *st, int64_t rec_id, int64_t state_id,
                            struct rt_error *err)
{
    struct rt__link *l = queue_push(&st->by_queue);

    l->rec_id = rec_id;
    l->to_id = state_id;
    return st->by_queue.n < LINK_QUEUE_MAX ? 0 : queue_write(st, &st->by_queue, LINK_BY, err);
}

int rt__sqlite_rec_queue_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                               const char *label, const char *origin, double confidence,
                               struct rt_error *err)
{
    const char *known = NULL;
    struct rt__link *l;
    int64_t tid;
    int rc;

    for (size_t i = 0; i < RT_ARRAY_SIZE(theme_origins); i++)
        if (!strcmp(origin, theme_origins[i]))
            known = theme_origins[i];
    if (!known)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "origin", "unknown theme origin '%s'", origin);
    if ((rc = theme_id(st, vocabulary, label, &tid, err)) < 0)
        return rc;
    l = queue_push(&st->theme_queue);
    l->rec_id = rec_id;
    l->to_id = tid;
    l->origin = known;
    l->confidence = confidence;
    return st->theme_queue.n < LINK_QUEUE_MAX ? 0
                                              : queue_write(st, &st->theme_queue, LINK_THEME, err);
}

int rt__sqlite_rec_links_flush(struct rt_store *st, int64_t *by_new, int64_t *themes_new,
                               struct rt_error *err)
{
    int rc;

    if ((st->recs.on && (rc = recs_write(st, err)) < 0) ||
        (rc = queue_write(st, &st->by_queue, LINK_BY, err)) < 0 ||
        (rc = queue_write(st, &st->theme_queue, LINK_THEME, err)) < 0 ||
        (rc = queue_write(st, &st->src_queue, LINK_SOURCE, err)) < 0)
        return rc;
    if (by_new)
        *by_new += st->by_queue.added;
    if (themes_new)
        *themes_new += st->theme_queue.added;
    st->by_queue.added = st->theme_queue.added = st->src_queue.added = 0;
    return 0;
}
