/* The "rightstrack" FTS5 tokenizer: our word tokenizer (src/text) inside SQLite. */
#include "base/compat.h"

#include <rightstrack/text.h>

#include "store/sqlite/sqlite_int.h"

struct fts_tok {
    struct rt_tokenizer *t;
};

struct emit_ctx {
    void *fts_ctx;
    int (*x_token)(void *, int, const char *, int, int, int);
};

static int fts_create(void *arg, const char **azArg, int nArg, Fts5Tokenizer **out)
{
    struct fts_tok *ft;
    const char *lang = nArg > 0 ? azArg[0] : "english";

    (void)arg;
    ft = rt_xcalloc(1, sizeof(*ft));
    ft->t = rt_tokenizer_new(lang);
    if (!ft->t) {
        rt_free(ft);
        return SQLITE_ERROR;
    }
    *out = (Fts5Tokenizer *)ft;
    return SQLITE_OK;
}

static void fts_delete(Fts5Tokenizer *p)
{
    struct fts_tok *ft = (struct fts_tok *)p;
    rt_tokenizer_free(ft->t);
    rt_free(ft);
}

static int emit(void *ctx, const char *term, size_t term_len, size_t start, size_t end,
                int colocated)
{
    struct emit_ctx *e = ctx;
    return e->x_token(e->fts_ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, term, (int)term_len,
                      (int)start, (int)end);
}

static int fts_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
                        int (*x_token)(void *, int, const char *, int, int, int))
{
    struct fts_tok *ft = (struct fts_tok *)p;
    struct emit_ctx e = {ctx, x_token};

    unsigned how = 0;

    if (n <= 0)
        return SQLITE_OK;
    /* Documents carry stems and words; a query looks for stems, but for words
     * when it ends in a prefix ("investigat*" must find "investigate"). */
    if (flags & FTS5_TOKENIZE_DOCUMENT)
        how = RT_TOKENIZE_SURFACE;
    else if (flags & FTS5_TOKENIZE_PREFIX)
        how = RT_TOKENIZE_LAST_UNSTEMMED;
    return rt_tokenize(ft->t, text, (size_t)n, how, emit, &e);
}

int rt__fts_register(sqlite3 *db)
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
    return api->xCreateTokenizer(api, "rightstrack", NULL, &tok, NULL);
}
