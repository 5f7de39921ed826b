/*
 * The full-text lexemes of the PostgreSQL back end (issue 16): a tsvector written from
 * our tokenizer's terms, so that PostgreSQL indexes exactly the words the SQLite
 * store's FTS5 index holds (src/store/sqlite/fts.c), not those of its own parser.
 */
#include "base/compat.h"

#include "store/pg/pg_int.h"

/* PostgreSQL's limits: a lexeme's length (MAXSTRLEN) and a position (MAXENTRYPOS - 1). */
#define PG_LEXEME_MAX 2047
#define PG_POS_MAX 16383

struct tsv {
    struct rt_buf *out;
    long pos;
};

static int add_term(void *ctx, const char *term, size_t len, size_t start, size_t end,
                    int colocated)
{
    struct tsv *v = ctx;

    (void)start;
    (void)end;
    if (!colocated || v->pos == 0)
        v->pos++;
    if (len == 0 || len > PG_LEXEME_MAX)
        return 0;
    if (v->out->len)
        rt_buf_addch(v->out, ' ');
    rt_buf_addch(v->out, '\'');
    for (size_t i = 0; i < len; i++) {
        /* Inside quotes a quote and a backslash are doubled. */
        if (term[i] == '\'' || term[i] == '\\')
            rt_buf_addch(v->out, term[i]);
        rt_buf_addch(v->out, term[i]);
    }
    rt_buf_addf(v->out, "':%ld", v->pos < PG_POS_MAX ? v->pos : (long)PG_POS_MAX);
    return 0;
}

int rt__pg_tsvector(struct rt_tokenizer *t, const char *text, size_t len, struct rt_buf *out)
{
    struct rt_buf b = RT_BUF_INIT;
    struct tsv v = {&b, 0};

    rt_tokenize(t, text, len, 0, add_term, &v);
    rt_buf_add(out, b.buf, b.len);
    rt_buf_release(&b);
    return 0;
}
