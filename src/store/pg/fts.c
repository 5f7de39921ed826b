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

void rt__pg_lexemes_add(struct rt_pg_lexemes *l, const char *term, size_t len, long pos)
{
    if (len == 0 || len > PG_LEXEME_MAX)
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = rt_xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] = (struct rt_pg_lexpos){l->text.len, len,
                                         pos < PG_POS_MAX ? (unsigned)pos : PG_POS_MAX, NULL};
    rt_buf_add(&l->text, term, len);
}

/* PostgreSQL's order of lexemes (tsCompareString: bytes, then the shorter first),
 * then positions. */
static int lexpos_cmp(const void *a, const void *b)
{
    const struct rt_pg_lexpos *x = a, *y = b;
    int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);

    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* tsvectorrecv's limit on a lexeme's positions (MAXNUMPOS). */
#define PG_NUMPOS_MAX 256

void rt__pg_lexemes_pack(struct rt_pg_lexemes *l, struct rt_buf *out)
{
    size_t count_at = out->len, entries = 0;

    rt__pg_put_be(out, 0, 4); /* the number of lexemes, written below */
    for (size_t i = 0; i < l->n; i++)
        l->v[i].p = l->text.buf + l->v[i].at;
    if (l->n)
        qsort(l->v, l->n, sizeof(*l->v), lexpos_cmp);
    for (size_t i = 0; i < l->n;) {
        const struct rt_pg_lexpos *first = &l->v[i];
        size_t j = i, npos_at, npos = 0;
        unsigned last = 0;
        rt_buf_add(out, l->text.buf + first->at, first->len);
        rt_buf_addch(out, '\0');
        npos_at = out->len;
        rt__pg_put_be(out, 0, 2);
        for (; j < l->n && l->v[j].len == first->len &&
               !memcmp(l->text.buf + l->v[j].at, l->text.buf + first->at, first->len);
             j++) {
            if (npos == PG_NUMPOS_MAX || (npos && l->v[j].pos == last))
                continue;
            rt__pg_put_be(out, l->v[j].pos, 2);
            last = l->v[j].pos;
            npos++;
        }
        for (int b = 0; b < 2; b++)
            out->buf[npos_at + (size_t)b] = (char)((npos >> (8 * (1 - b))) & 0xff);
        entries++;
        i = j;
    }
    for (int b = 0; b < 4; b++)
        out->buf[count_at + (size_t)b] = (char)((entries >> (8 * (3 - b))) & 0xff);
    rt_buf_reset(&l->text);
    l->n = 0;
}

void rt__pg_lexemes_release(struct rt_pg_lexemes *l)
{
    rt_buf_release(&l->text);
    rt_free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
