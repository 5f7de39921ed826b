/*
 * Postings in bm25 order (facets.h): for each word of the full-text index that
 * many recommendations have, the recommendations that have it, grouped by how many
 * times the word is in each (tf) and how long each is (dl), kept in the search index
 * (schema 21, facet 5) beside the facets' bitmaps.
 *
 * bm25 of a query of one word is idf x g(tf, dl), with the same idf for every hit; a
 * group's rows all have the same score, so ranking a word's hits is ranking its
 * groups (a few hundred) and reading their rows in that order, ties by id, as far
 * as the page needs (rank.c, rt__rank_term). The word's bitmap gives the total and
 * the facets' hits. FTS5 reads every posting and its positions for the same answer.
 *
 * A row of facet 5 is one word: pos a hash of the word (the key, checked when read:
 * a word whose hash another took is left to FTS5), key the word as the index holds
 * it, num its count of rows, and bitmap the blob
 *
 *   n_class, n_post                      u32 little-endian each
 *   n_class x (tf, dl, count)            u32 each, in the order (tf, dl)
 *   n_post ids                           u32 each, group after group, each ascending
 *   the word's rows                      a CRoaring bitmap, portable format
 *
 * The row of facet 5, pos 0, says that the postings were built, and of which index:
 * its key is "<rows> <tokens>", the index's count of rows and of tokens (FTS5's
 * averages), from which bm25 takes the mean length.
 */
#include "base/compat.h"

#include <rightstrack/text.h>

#include "store/sqlite/facets.h"

/* Words in at least this many recommendations get postings; FTS5 serves the rest
 * (st->postings_min_rows when set). */
#define POSTINGS_MIN_ROWS 512

/* SQLite's varint, as FTS5 writes its docsize and averages records; 0 at the end. */
static int get_varint(const unsigned char *p, int n, int *i, uint64_t *out)
{
    uint64_t v = 0;

    if (*i >= n)
        return 0;
    for (int k = 0; *i < n && k < 9; k++) {
        if (k == 8) {
            v = v << 8 | p[(*i)++];
            break;
        }
        v = v << 7 | (p[*i] & 0x7f);
        if (!(p[(*i)++] & 0x80))
            break;
    }
    *out = v;
    return 1;
}

static uint64_t hash_of(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037u;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    h &= INT64_MAX;
    return h ? h : 1;
}

static void put_u32(struct rt_buf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    rt_buf_add(b, c, 4);
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A posting while building: the row, its count of the word and its length. */
struct posting {
    uint32_t id, tf, dl;
};

/*
 * Sorts p (in id order) into the order (tf, dl, id): two stable counting sorts, by dl
 * then by tf, instead of qsort's comparisons (most of the build's time).
 */
static void posting_sort(struct posting *p, size_t n)
{
    struct posting *tmp;
    size_t *count, max = 0;

    for (size_t i = 0; i < n; i++) {
        if (p[i].dl > max)
            max = p[i].dl;
        if (p[i].tf > max)
            max = p[i].tf;
    }
    RT_ALLOC_ARRAY(tmp, n);
    count = rt_xcalloc(max + 2, sizeof(*count));
    for (int pass = 0; pass < 2; pass++) {
        memset(count, 0, (max + 2) * sizeof(*count));
        for (size_t i = 0; i < n; i++)
            count[(pass ? p[i].tf : p[i].dl) + 1]++;
        for (size_t k = 1; k < max + 2; k++)
            count[k] += count[k - 1];
        for (size_t i = 0; i < n; i++)
            tmp[count[pass ? p[i].tf : p[i].dl]++] = p[i];
        memcpy(p, tmp, n * sizeof(*p));
    }
    rt_free(count);
    rt_free(tmp);
}

static int take_token(void *ctx, const char *term, size_t len, size_t start, size_t end,
                      int colocated);

/* Keeps the last term given by the tokenizer, and counts them. */
struct one_token {
    struct rt_buf term;
    int n;
};

/* The query word text as the one token FTS5 looks for, into tok: 1, else 0. */
static int query_token(struct rt_store *st, const char *text, size_t len, struct one_token *tok)
{
    /* The table's tokenizer ("rightstrack" is English, fts.c) on a query. */
    if (!st->query_tok && !(st->query_tok = rt_tokenizer_new("english")))
        return 0;
    rt_tokenize(st->query_tok, text, len, 0, take_token, tok);
    return tok->n == 1 && tok->term.len;
}

/*
 * The rows of the token term and its count in each, in id order, into *out (n): by
 * FTS5's own walk of the word's rows (rank.c's pass over a phrase) when a query of
 * the token finds the token itself, else from the instances of fts5vocab (slower:
 * a row of SQL for every instance).
 */
static int word_rows(struct rt_store *st, sqlite3_stmt *inst, const char *term, int len,
                     const uint8_t *doclen, size_t n_dl, struct posting **out, size_t *n,
                     struct rt_error *err)
{
    struct one_token tok = {RT_BUF_INIT, 0};
    struct posting *p = NULL;
    size_t alloc = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (query_token(st, term, (size_t)len, &tok) && tok.term.len == (size_t)len &&
        !memcmp(tok.term.buf, term, (size_t)len)) {
        struct rt__rank_collect c = {0};
        struct rt_buf match = RT_BUF_INIT;
        sqlite3_stmt *s = rt__stmt_sql(st,
                                       "SELECT 1 FROM recommendation_fts WHERE recommendation_fts"
                                       " MATCH ?1 AND rt_rank(recommendation_fts) IS NOT NULL",
                                       err);
        rt_buf_release(&tok.term);
        if (!s)
            return RT_ESTORE;
        rt_buf_addch(&match, '"');
        for (int i = 0; i < len; i++) {
            if (term[i] == '"')
                rt_buf_addch(&match, '"');
            rt_buf_addch(&match, term[i]);
        }
        rt_buf_addch(&match, '"');
        sqlite3_bind_text(s, 1, match.buf, (int)match.len, SQLITE_STATIC);
        c.plain = 1;
        st->rank_collect = &c;
        st->search_version_known = 0; /* no cache of rows by phrase (rank.c) */
        st->rank_len = doclen;
        st->rank_n = n_dl;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW && !c.swept)
            ;
        st->rank_collect = NULL;
        st->rank_len = NULL;
        st->rank_n = 0;
        sqlite3_reset(s);
        rt_buf_release(&match);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            rt__rank_collect_release(&c);
            return rt__db_error(st, err, "postings");
        }
        if (c.n_phrase == 1 && c.n) {
            RT_ALLOC_ARRAY(p, c.n);
            for (size_t i = 0; i < c.n; i++)
                p[i] = (struct posting){(uint32_t)c.ids[i], c.freq[i], 0};
            *n = c.n;
            for (size_t i = 1; i < c.n; i++)
                if (p[i].id <= p[i - 1].id)
                    *n = 0; /* not in id order: left to FTS5 */
        }
        rt__rank_collect_release(&c);
        if (!*n)
            rt_free(p);
        else
            *out = p;
        return 0;
    }
    rt_buf_release(&tok.term);
    sqlite3_bind_text(inst, 1, term, len, SQLITE_STATIC);
    while ((rc = sqlite3_step(inst)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(inst, 0);
        if (id < 0 || id > (int64_t)UINT32_MAX || (*n && p[*n - 1].id > (uint32_t)id)) {
            *n = 0;
            break;
        }
        if (*n && p[*n - 1].id == (uint32_t)id) {
            p[*n - 1].tf++;
            continue;
        }
        RT_ALLOC_GROW(p, *n + 1, alloc);
        p[(*n)++] = (struct posting){(uint32_t)id, 1, 0};
    }
    sqlite3_reset(inst);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rt_free(p);
        *n = 0;
        return rt__db_error(st, err, "postings");
    }
    if (!*n)
        rt_free(p);
    else
        *out = p;
    return 0;
}

/* The index's rows and tokens, from FTS5's averages record: 1, 0 when unreadable. */
static int averages(struct rt_store *st, int64_t *rows, int64_t *tokens, struct rt_error *err)
{
    sqlite3_stmt *s =
        rt__stmt_sql(st, "SELECT block FROM recommendation_fts_data WHERE id = 1", err);
    int rc, ok = 0;

    if (!s)
        return RT_ESTORE;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(s, 0);
        int n = sqlite3_column_bytes(s, 0), i = 0;
        uint64_t v = 0, sum = 0;
        if (p && get_varint(p, n, &i, &v) && v > 0 && v <= INT64_MAX) {
            *rows = (int64_t)v;
            while (get_varint(p, n, &i, &v) && sum <= INT64_MAX)
                sum += v;
            *tokens = (int64_t)sum;
            ok = sum <= INT64_MAX;
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rt__db_error(st, err, "postings");
    return ok;
}

/* The postings of one word as a row of facet 5. */
static int store_word(struct rt_store *st, sqlite3_stmt *inst, sqlite3_stmt *ins, const char *term,
                      int len, const uint32_t *dl, const uint8_t *doclen, size_t n_dl,
                      struct rt_buf *blob, struct rt_error *err)
{
    struct posting *p = NULL;
    size_t n = 0, n_class = 0;
    roaring_bitmap_t *bm;
    int rc;

    if ((rc = word_rows(st, inst, term, len, doclen, n_dl, &p, &n, err)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if ((size_t)p[i].id >= n_dl || !dl[p[i].id]) {
            n = 0;
            break;
        }
        p[i].dl = dl[p[i].id];
    }
    if (!n) { /* left to FTS5 */
        rt_free(p);
        return 0;
    }
    bm = roaring_bitmap_create();
    for (size_t i = 0; i < n; i++)
        roaring_bitmap_add(bm, p[i].id);
    /* Rows come in id order, each once: the bitmap says so. */
    if (roaring_bitmap_get_cardinality(bm) != n) {
        roaring_bitmap_free(bm);
        rt_free(p);
        return 0;
    }
    roaring_bitmap_run_optimize(bm);
    posting_sort(p, n);
    rt_buf_reset(blob);
    for (size_t i = 0; i < n; i++)
        n_class += !i || p[i].tf != p[i - 1].tf || p[i].dl != p[i - 1].dl;
    put_u32(blob, (uint32_t)n_class);
    put_u32(blob, (uint32_t)n);
    for (size_t i = 0, from = 0; i <= n; i++) {
        if (i == n || (i > from && (p[i].tf != p[from].tf || p[i].dl != p[from].dl))) {
            put_u32(blob, p[from].tf);
            put_u32(blob, p[from].dl);
            put_u32(blob, (uint32_t)(i - from));
            from = i;
        }
    }
    for (size_t i = 0; i < n; i++)
        put_u32(blob, p[i].id);
    {
        char *tmp = rt_xmalloc(roaring_bitmap_portable_size_in_bytes(bm));
        rt_buf_add(blob, tmp, roaring_bitmap_portable_serialize(bm, tmp));
        rt_free(tmp);
    }
    roaring_bitmap_free(bm);
    rt_free(p);
    sqlite3_bind_int64(ins, 1, (int64_t)hash_of(term, (size_t)len));
    sqlite3_bind_text(ins, 2, term, len, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 3, (int64_t)n);
    sqlite3_bind_blob(ins, 4, blob->buf, (int)blob->len, SQLITE_STATIC);
    rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "postings");
}

int rt__postings_store(struct rt_store *st, const uint32_t *dl, const uint8_t *doclen, size_t n_dl,
                       int64_t *rows, int64_t *tokens, struct rt_error *err)
{
    sqlite3_stmt *voc, *inst, *ins;
    struct rt_buf terms = RT_BUF_INIT, blob = RT_BUF_INIT, key = RT_BUF_INIT;
    int64_t n_terms = 0;
    int rc;

    *rows = *tokens = 0;
    if ((rc = averages(st, rows, tokens, err)) < 0)
        return rc;
    if (rc == 1 && dl &&
        (sqlite3_exec(st->db,
                      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.rt_vocab_row"
                      " USING fts5vocab(main, recommendation_fts, row);"
                      "CREATE VIRTUAL TABLE IF NOT EXISTS temp.rt_vocab_inst"
                      " USING fts5vocab(main, recommendation_fts, instance)",
                      NULL, NULL, NULL) != SQLITE_OK))
        return rt__db_error(st, err, "postings");
    if (rc == 1 && dl) {
        /* The words first (the statement ends before the instances are read). */
        if (!(voc = rt__stmt_sql(st, "SELECT term FROM temp.rt_vocab_row WHERE doc >= ?1", err)))
            return RT_ESTORE;
        sqlite3_bind_int64(voc, 1,
                           st->postings_min_rows > 0 ? st->postings_min_rows : POSTINGS_MIN_ROWS);
        while ((rc = sqlite3_step(voc)) == SQLITE_ROW) {
            rt_buf_add(&terms, sqlite3_column_text(voc, 0), (size_t)sqlite3_column_bytes(voc, 0));
            rt_buf_addch(&terms, '\0');
        }
        sqlite3_reset(voc);
        if (rc != SQLITE_DONE) {
            rc = rt__db_error(st, err, "postings");
            goto out;
        }
        inst = rt__stmt_sql(st, "SELECT doc FROM temp.rt_vocab_inst WHERE term = ?1", err);
        ins = rt__stmt_sql(st,
                           "INSERT OR IGNORE INTO search_index(facet, pos, key, num, bitmap)"
                           " VALUES (5, ?1, ?2, ?3, ?4)",
                           err);
        if (!inst || !ins) {
            rc = RT_ESTORE;
            goto out;
        }
        rc = 0;
        for (size_t i = 0; i < terms.len && rc == 0; i += strlen(terms.buf + i) + 1) {
            rc = store_word(st, inst, ins, terms.buf + i, (int)strlen(terms.buf + i), dl, doclen,
                            n_dl, &blob, err);
            n_terms++;
        }
        sqlite3_clear_bindings(ins);
        if (rc < 0)
            goto out;
    } else {
        *rows = *tokens = 0;
    }
    /* The row that says they were built (rows 0: none, FTS5 serves every word). */
    rt_buf_addf(&key, "%lld %lld", (long long)*rows, (long long)*tokens);
    if (!(ins = rt__stmt_sql(st,
                             "INSERT INTO search_index(facet, pos, key, num, bitmap)"
                             " VALUES (5, 0, ?1, ?2, x'')",
                             err))) {
        rc = RT_ESTORE;
        goto out;
    }
    sqlite3_bind_text(ins, 1, key.buf, (int)key.len, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 2, n_terms);
    rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : rt__db_error(st, err, "postings");
    sqlite3_reset(ins);
    sqlite3_clear_bindings(ins);
out:
    rt_buf_release(&terms);
    rt_buf_release(&blob);
    rt_buf_release(&key);
    return rc;
}

int rt__postings_marker(struct rt_store *st, int64_t *rows, int64_t *tokens, struct rt_error *err)
{
    sqlite3_stmt *s =
        rt__stmt_sql(st, "SELECT key FROM search_index WHERE facet = 5 AND pos = 0", err);
    long long r = 0, t = 0;
    int rc, found = 0;

    *rows = *tokens = 0;
    if (!s)
        return RT_ESTORE;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(s, 0);
        char *end = NULL;
        found = 1;
        if (k) {
            r = strtoll(k, &end, 10);
            if (end && *end == ' ')
                t = strtoll(end + 1, NULL, 10);
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return rt__db_error(st, err, "postings");
    if (r > 0 && t > 0) {
        *rows = r;
        *tokens = t;
    }
    return found;
}

static int take_token(void *ctx, const char *term, size_t len, size_t start, size_t end,
                      int colocated)
{
    struct one_token *t = ctx;

    (void)start;
    (void)end;
    if (colocated)
        return 0;
    t->n++;
    rt_buf_reset(&t->term);
    rt_buf_add(&t->term, term, len);
    return 0;
}

int rt__postings_rows(struct rt_store *st, const char *text, size_t len, int64_t *rows)
{
    struct one_token tok = {RT_BUF_INIT, 0};
    sqlite3_stmt *s;
    int found = 0;

    if (query_token(st, text, len, &tok) &&
        (s = rt__stmt_sql(st, "SELECT key, num FROM search_index WHERE facet = 5 AND pos = ?1",
                          NULL))) {
        sqlite3_bind_int64(s, 1, (int64_t)hash_of(tok.term.buf, tok.term.len));
        if (sqlite3_step(s) == SQLITE_ROW && (size_t)sqlite3_column_bytes(s, 0) == tok.term.len &&
            !memcmp(sqlite3_column_text(s, 0), tok.term.buf, tok.term.len)) {
            *rows = sqlite3_column_int64(s, 1);
            found = 1;
        }
        sqlite3_reset(s);
    }
    rt_buf_release(&tok.term);
    return found;
}

int rt__postings_get(struct rt_store *st, const char *text, size_t len, struct rt__term *out,
                     struct rt_error *err)
{
    struct one_token tok = {RT_BUF_INIT, 0};
    sqlite3_stmt *s;
    int rc, found = 0;

    memset(out, 0, sizeof(*out));
    if (!query_token(st, text, len, &tok)) {
        rt_buf_release(&tok.term);
        return 0;
    }
    if (!(s = rt__stmt_sql(st, "SELECT key, bitmap FROM search_index WHERE facet = 5 AND pos = ?1",
                           err))) {
        rt_buf_release(&tok.term);
        return RT_ESTORE;
    }
    sqlite3_bind_int64(s, 1, (int64_t)hash_of(tok.term.buf, tok.term.len));
    if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
        (size_t)sqlite3_column_bytes(s, 0) == tok.term.len &&
        !memcmp(sqlite3_column_text(s, 0), tok.term.buf, tok.term.len)) {
        const unsigned char *p = sqlite3_column_blob(s, 1);
        size_t n = (size_t)sqlite3_column_bytes(s, 1), need;
        if (p && n >= 8) {
            out->n_class = get_u32(p);
            out->n_post = get_u32(p + 4);
            need = 8 + ((size_t)out->n_class * 3 + out->n_post) * 4;
            if (need <= n &&
                roaring_bitmap_portable_deserialize_size((const char *)p + need, n - need) ==
                    n - need &&
                (out->bm =
                     roaring_bitmap_portable_deserialize_safe((const char *)p + need, n - need))) {
                RT_ALLOC_ARRAY(out->cls, (size_t)out->n_class * 3 + 1);
                RT_ALLOC_ARRAY(out->ids, (size_t)out->n_post + 1);
                for (size_t i = 0; i < (size_t)out->n_class * 3; i++)
                    out->cls[i] = get_u32(p + 8 + i * 4);
                p += 8 + (size_t)out->n_class * 12;
                for (size_t i = 0; i < out->n_post; i++)
                    out->ids[i] = get_u32(p + i * 4);
                found = roaring_bitmap_get_cardinality(out->bm) == out->n_post;
            }
        }
    }
    sqlite3_reset(s);
    rt_buf_release(&tok.term);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rt__term_release(out);
        return rt__db_error(st, err, "postings");
    }
    if (!found)
        rt__term_release(out);
    return found;
}

void rt__term_release(struct rt__term *t)
{
    rt_free(t->cls);
    rt_free(t->ids);
    rt__bitmap_free(t->bm);
    memset(t, 0, sizeof(*t));
}

int rt__postings_walk(struct rt_store *st, const char *text, size_t len, struct rt__term *out,
                      struct rt_error *err)
{
    struct one_token tok = {RT_BUF_INIT, 0};
    struct rt__rank_collect c = {0};
    struct rt_buf match = RT_BUF_INIT;
    struct posting *p = NULL;
    roaring_bitmap_t *bm;
    sqlite3_stmt *s;
    int known = st->search_version_known, one, rc, ok;

    memset(out, 0, sizeof(*out));
    one = query_token(st, text, len, &tok);
    rt_buf_release(&tok.term);
    if (!one)
        return 0;
    /* Not the text of read.c's statement of the same work, which a search may have
     * bound (the statements are kept by their text). */
    if (!(s = rt__stmt_sql(st,
                           "SELECT 2 FROM recommendation_fts WHERE recommendation_fts"
                           " MATCH ?1 AND rt_rank(recommendation_fts) IS NOT NULL",
                           err)))
        return RT_ESTORE;
    /* The word as a phrase of its one token, walked by FTS5 in one call (rank.c). */
    rt_buf_addch(&match, '"');
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '"')
            rt_buf_addch(&match, '"');
        rt_buf_addch(&match, text[i]);
    }
    rt_buf_addch(&match, '"');
    sqlite3_bind_text(s, 1, match.buf, (int)match.len, SQLITE_STATIC);
    c.plain = 1;
    st->rank_collect = &c;
    st->search_version_known = 0; /* not the search's phrases: no cache of rows by phrase */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && !c.swept)
        ;
    st->rank_collect = NULL;
    st->search_version_known = known;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    rt_buf_release(&match);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        rt__rank_collect_release(&c);
        return rt__db_error(st, err, "postings");
    }
    ok = c.swept && c.n_phrase == 1 && c.n && (int64_t)c.n == c.matched && c.n <= UINT32_MAX;
    if (ok) {
        RT_ALLOC_ARRAY(p, c.n);
        for (size_t i = 0; i < c.n && ok; i++) {
            ok = c.ids[i] >= 0 && c.ids[i] <= (int64_t)UINT32_MAX &&
                 (!i || c.ids[i] > c.ids[i - 1]) && c.dl[i] >= 1.0 &&
                 c.dl[i] <= (double)UINT32_MAX && c.freq[i];
            if (ok)
                p[i] = (struct posting){(uint32_t)c.ids[i], c.freq[i], (uint32_t)c.dl[i]};
        }
    }
    if (!ok) { /* left to FTS5 */
        rt_free(p);
        rt__rank_collect_release(&c);
        return 0;
    }
    bm = roaring_bitmap_create();
    for (size_t i = 0; i < c.n; i++)
        roaring_bitmap_add(bm, p[i].id);
    out->n_post = (uint32_t)c.n;
    out->bm = bm;
    rt__rank_collect_release(&c);
    /* Groups by (tf, dl), ids ascending in each, as rt__postings_get gives them. */
    posting_sort(p, out->n_post);
    for (size_t i = 0; i < out->n_post; i++)
        out->n_class += !i || p[i].tf != p[i - 1].tf || p[i].dl != p[i - 1].dl;
    RT_ALLOC_ARRAY(out->cls, (size_t)out->n_class * 3 + 1);
    RT_ALLOC_ARRAY(out->ids, (size_t)out->n_post + 1);
    for (size_t i = 0, from = 0, k = 0; i <= out->n_post; i++) {
        if (i == out->n_post || (i > from && (p[i].tf != p[from].tf || p[i].dl != p[from].dl))) {
            out->cls[k * 3] = p[from].tf;
            out->cls[k * 3 + 1] = p[from].dl;
            out->cls[k * 3 + 2] = (uint32_t)(i - from);
            k++;
            from = i;
        }
        if (i < out->n_post)
            out->ids[i] = p[i].id;
    }
    rt_free(p);
    return 1;
}
