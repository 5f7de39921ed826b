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
    const char *weight; /* after each position: "" or RT_PG_PARAGRAPH_LETTER */
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
    rt_buf_addf(v->out, "':%ld%s", v->pos < PG_POS_MAX ? v->pos : (long)PG_POS_MAX, v->weight);
    return 0;
}

int rt__pg_tsvector(struct rt_tokenizer *t, const char *text, size_t len, struct rt_buf *out)
{
    return rt__pg_tsvector_rec(t, text, len, NULL, 0, out);
}

int rt__pg_tsvector_rec(struct rt_tokenizer *t, const char *text, size_t len, const char *paragraph,
                        size_t plen, struct rt_buf *out)
{
    struct rt_buf b = RT_BUF_INIT;
    struct tsv v = {&b, 0, ""};

    rt_tokenize(t, text, len, 0, add_term, &v);
    if (paragraph) {
        v.pos++; /* one position left empty: no phrase runs from the text into it */
        v.weight = RT_PG_PARAGRAPH_LETTER;
        rt_tokenize(t, paragraph, plen, 0, add_term, &v);
    }
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
    l->v[l->n++] = (struct rt_pg_lexpos){
        l->text.len, len, pos < PG_POS_MAX ? (unsigned)pos : PG_POS_MAX, l->weight & 3, NULL};
    rt_buf_add(&l->text, term, len);
}

/* PostgreSQL's order of lexemes (tsCompareString: bytes, then the shorter first),
 * then positions (their weights aside). */
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
            if (npos && l->v[j].pos == last) {
                /* One position twice: PostgreSQL keeps the greater weight (uniquePos). */
                unsigned char *hi = (unsigned char *)out->buf + out->len - 2;
                if (l->v[j].weight > (unsigned)(*hi >> 6))
                    *hi = (unsigned char)((*hi & 0x3f) | l->v[j].weight << 6);
                continue;
            }
            if (npos == PG_NUMPOS_MAX)
                continue;
            rt__pg_put_be(out, l->v[j].weight << 14 | l->v[j].pos, 2);
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
    l->weight = 0;
}

void rt__pg_lexemes_release(struct rt_pg_lexemes *l)
{
    rt_buf_release(&l->text);
    rt_free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

/* A recommendation's terms into l at their positions (rt__pg_tsvector_rec's). */
struct rec_lex {
    struct rt_pg_lexemes *l;
    long pos;
};

static int rec_term(void *ctx, const char *term, size_t len, size_t start, size_t end,
                    int colocated)
{
    struct rec_lex *r = ctx;

    (void)start;
    (void)end;
    if (!colocated)
        rt__pg_lexemes_add(r->l, term, len, ++r->pos);
    return 0;
}

int rt__pg_fts_paragraphs(struct rt_pg *pg, struct rt_error *err)
{
    static const char *const cols[] = {"rec_id", "lexemes"};
    struct rt_tokenizer *t = NULL;
    struct rt_pg_lexemes lx = RT_PG_LEXEMES_INIT;
    struct rt_buf tsv = RT_BUF_INIT;
    struct rt_pg_copy *c = NULL;
    PGresult *r;
    int rc;

    if ((rc = rt__pg_run(pg,
                         "CREATE TEMP TABLE rt_fts_new (rec_id bigint, lexemes tsvector)"
                         " ON COMMIT DROP",
                         err)) < 0)
        return rc;
    if (!(r = rt__pg_exec(pg, "pg_fts_paragraphs",
                          "SELECT f.rec_id, r.text, r.paragraph FROM recommendation_fts f"
                          " JOIN recommendation r ON r.id = f.rec_id WHERE r.paragraph IS NOT NULL",
                          0, NULL, err)))
        return RT_ESTORE;
    t = rt_tokenizer_new("english");
    rc = rt__pg_copy_begin_binary(pg, "rt_fts_new", cols, 2, &c, err);
    for (int i = 0; i < PQntuples(r) && rc == 0; i++) {
        struct rec_lex w = {&lx, 0};
        uint64_t id = (uint64_t)strtoll(PQgetvalue(r, i, 0), NULL, 10);
        char idb[8];
        const char *v[2] = {idb, NULL};
        size_t lens[2] = {8, 0};

        rt_tokenize(t, PQgetvalue(r, i, 1), (size_t)PQgetlength(r, i, 1), 0, rec_term, &w);
        w.pos++; /* the empty position between the text and the paragraph */
        lx.weight = RT_PG_PARAGRAPH_WEIGHT;
        rt_tokenize(t, PQgetvalue(r, i, 2), (size_t)PQgetlength(r, i, 2), 0, rec_term, &w);
        rt_buf_reset(&tsv);
        rt__pg_lexemes_pack(&lx, &tsv);
        for (int b = 0; b < 8; b++)
            idb[b] = (char)(id >> (56 - 8 * b));
        v[1] = tsv.buf ? tsv.buf : "";
        lens[1] = tsv.len;
        rc = rt__pg_copy_row_binary(c, v, lens, err);
    }
    PQclear(r);
    if (rc == 0)
        rc = rt__pg_copy_end(c, NULL, err);
    rt__pg_copy_abort(c);
    if (rc == 0)
        rc = rt__pg_run(pg,
                        "UPDATE recommendation_fts f SET lexemes = n.lexemes FROM rt_fts_new n"
                        " WHERE f.rec_id = n.rec_id; DELETE FROM search_index",
                        err);
    rt__pg_lexemes_release(&lx);
    rt_buf_release(&tsv);
    rt_tokenizer_free(t);
    return rc;
}
