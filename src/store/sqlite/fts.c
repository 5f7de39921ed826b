/*
 * The "rightstrack" FTS5 tokenizer: our word tokenizer (src/text) inside SQLite.
 *
 * The index holds stems only. For prefix queries the store also keeps the table
 * word: each word of an indexed text whose stem differs from it, with that stem
 * (schema 9, search/query.c). The tokenizer notes such words the first time it
 * meets them in a document; the store writes them at commit.
 */
#include "base/compat.h"

#include <rightstrack/text.h>

#include "store/sqlite/sqlite_int.h"

struct fts_tok {
    struct rt_tokenizer *t;
    struct rt__fts_words *words;
    unsigned forgotten; /* words->forgotten when t last forgot its words */
};

struct emit_ctx {
    void *fts_ctx;
    int (*x_token)(void *, int, const char *, int, int, int);
    struct rt__fts_words *words;
    struct rt__tokcap *cap; /* the tokens given to FTS5 also go there, when not NULL */
    const char *stem;       /* the last term given to FTS5 */
    size_t stem_len;
};

static int fts_create(void *arg, const char **azArg, int nArg, Fts5Tokenizer **out)
{
    struct fts_tok *ft;
    const char *lang = nArg > 0 ? azArg[0] : "english";

    ft = rt_xcalloc(1, sizeof(*ft));
    ft->t = rt_tokenizer_new(lang);
    if (!ft->t) {
        rt_free(ft);
        return SQLITE_ERROR;
    }
    ft->words = arg;
    ft->forgotten = ft->words->forgotten;
    *out = (Fts5Tokenizer *)ft;
    return SQLITE_OK;
}

static void fts_delete(Fts5Tokenizer *p)
{
    struct fts_tok *ft = (struct fts_tok *)p;
    rt_tokenizer_free(ft->t);
    rt_free(ft);
}

/* A colocated token is a new word of a document (RT_TOKENIZE_NEW_WORDS): noted, not
 * indexed. The stem it goes with came just before it and is still valid. */
static int emit(void *ctx, const char *term, size_t term_len, size_t start, size_t end,
                int colocated)
{
    struct emit_ctx *e = ctx;

    if (colocated) {
        struct rt_buf *b = &e->words->pending;
        if (rt_buf_add(b, term, term_len) < 0 || rt_buf_addch(b, '\0') < 0 ||
            rt_buf_add(b, e->stem, e->stem_len) < 0 || rt_buf_addch(b, '\0') < 0)
            return SQLITE_NOMEM;
        return SQLITE_OK;
    }
    e->stem = term;
    e->stem_len = term_len;
    if (e->cap)
        rt__tokcap_token(e->cap, term, term_len);
    return e->x_token(e->fts_ctx, 0, term, (int)term_len, (int)start, (int)end);
}

static int fts_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                        int (*x_token)(void *, int, const char *, int, int, int))
{
    struct fts_tok *ft = (struct fts_tok *)p;
    struct emit_ctx e = {ctx, x_token, ft->words, NULL, NULL, 0};
    unsigned how = 0;
    int rc;

    if ((flags & FTS5_TOKENIZE_DOCUMENT) && ft->words->replay &&
        (rc = rt__tokcap_replay(ft->words->replay, text, n, x_token, ctx, &ft->words->pending)) !=
            -1)
        return rc;
    if (n <= 0) {
        if ((flags & FTS5_TOKENIZE_DOCUMENT) && ft->words->cap)
            rt__tokcap_column(ft->words->cap);
        return SQLITE_OK;
    }
    /* A query looks for stems, but for its word when it ends in a prefix
     * ("investigat*" must not become "investig*"). */
    if (flags & FTS5_TOKENIZE_DOCUMENT) {
        if (ft->forgotten != ft->words->forgotten) {
            rt_tokenizer_forget(ft->t);
            ft->forgotten = ft->words->forgotten;
        }
        how = RT_TOKENIZE_NEW_WORDS;
        e.cap = ft->words->cap;
    } else if (flags & FTS5_TOKENIZE_PREFIX) {
        how = RT_TOKENIZE_LAST_UNSTEMMED;
    }
    rc = rt_tokenize(ft->t, text, (size_t)n, how, emit, &e);
    if (e.cap)
        rt__tokcap_column(e.cap);
    return rc;
}

int rt__fts_register(sqlite3 *db, struct rt__fts_words *words)
{
    static fts5_tokenizer tok = {fts_create, fts_delete, fts_tokenize};
    fts5_api *api = NULL;
    sqlite3_stmt *stmt = NULL;
    int rc;

    rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(stmt);
    rc = sqlite3_finalize(stmt);
    if (rc != SQLITE_OK || !api)
        return rc ? rc : SQLITE_ERROR;
    return api->xCreateTokenizer(api, "rightstrack", words, &tok, NULL);
}

int rt__fts_words_flush(struct rt_store *st, struct rt_error *err)
{
    struct rt_buf *b = &st->words.pending;
    sqlite3_stmt *s;
    int rc = 0;

    if (!b->len)
        return 0;
    if (!(s = rt__stmt_sql(st, "INSERT OR IGNORE INTO word(word, stem) VALUES (?1, ?2)", err)))
        return RT_ESTORE;
    for (size_t i = 0; i < b->len && rc == 0;) {
        const char *word = b->buf + i, *stem = word + strlen(word) + 1;
        sqlite3_bind_text(s, 1, word, -1, SQLITE_STATIC);
        sqlite3_bind_text(s, 2, stem, -1, SQLITE_STATIC);
        if (sqlite3_step(s) != SQLITE_DONE)
            rc = rt__db_error(st, err, "words");
        sqlite3_reset(s);
        i = (size_t)(stem - b->buf) + strlen(stem) + 1;
    }
    if (rc < 0)
        rt__fts_words_drop(st);
    else
        rt_buf_reset(b);
    return rc;
}

void rt__fts_words_drop(struct rt_store *st)
{
    rt_buf_reset(&st->words.pending);
    st->words.forgotten++;
}
