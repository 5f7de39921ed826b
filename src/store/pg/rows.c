/*
 * The PostgreSQL store's page rows in memory (pg_int.h): every recommendation as a
 * search's page shows it (its own row, its recommending states, its themes), read
 * once per data version and connection, so that a search whose index is of the data
 * asks the server only for the data version.
 *
 * The strings are kept once each in one buffer (a state's name, a theme's label, a
 * mechanism or a source's path repeat across thousands of rows), and a search gets
 * its own copies (rt__pg_rows_get), as if it had read them: its hits are released as
 * any other. The UPR Info import's 35,368 recommendations take about 13 MB here.
 */
#include "base/compat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strmap.h"
#include "store/pg/pg_int.h"

/* A string: its offset in rows->str plus 1, 0 for NULL. */
typedef uint32_t str_t;

struct row {
    int64_t id, source_id;
    str_t mechanism, paragraph, text, sur_name, origin, created_at;
    char sur_code[4];
    int cycle, session, action_category;
    enum rt_response response;
    double confidence;
    uint32_t by, n_by, th, n_th; /* ranges of by[] and th[] */
};

struct by {
    uint32_t row; /* index in rows[] */
    char code[4];
    str_t name;
};

struct th {
    uint32_t row;
    str_t vocabulary, label, origin;
    double confidence;
};

/* A source's path, by the source's id: apart from the rows and their strings, which
 * rt__pg_rows_serialize writes out (a private source's path is not for everybody). */
struct src {
    int64_t id;
    char *path;
};

struct rt__pg_rows {
    int64_t version;
    uint32_t *at; /* by id: index in rows[] plus 1, 0 none */
    size_t n_at;
    struct row *rows;
    size_t n, alloc;
    struct by *by;
    size_t n_by, by_alloc;
    struct th *th;
    size_t n_th, th_alloc;
    struct src *src; /* by id, ascending */
    size_t n_src, src_alloc;
    struct rt_buf str;    /* the strings, each ended by a NUL, from str.buf + str_off */
    size_t str_off;       /* 0, or where they begin in bytes read back (deserialize) */
    struct rt__strmap in; /* a string's offset, so that each is kept once */
    int odd;              /* a row it could not hold: not to be used */
};

struct rt__pg_rows *rt__pg_rows_new(int64_t version, int64_t max_id, int64_t count)
{
    struct rt__pg_rows *c;

    /* Ids as an index: only where they are dense enough, and rows few enough, that
     * the memory stays bounded (some 400 bytes a recommendation). */
    if (max_id < 0 || count < 0 || count > RT__PG_ROWS_MAX || max_id > 4 * count + 1024)
        return NULL;
    c = rt_xcalloc(1, sizeof(*c));
    c->version = version;
    c->n_at = (size_t)max_id + 1;
    c->at = rt_xcalloc(c->n_at, sizeof(*c->at));
    c->alloc = count ? (size_t)count : 1;
    c->rows = rt_xcalloc(c->alloc, sizeof(*c->rows));
    rt_buf_init(&c->str, 0);
    return c;
}

void rt__pg_rows_free(struct rt__pg_rows *c)
{
    if (!c)
        return;
    rt_free(c->at);
    rt_free(c->rows);
    rt_free(c->by);
    rt_free(c->th);
    for (size_t i = 0; i < c->n_src; i++)
        rt_free(c->src[i].path);
    rt_free(c->src);
    rt_buf_release(&c->str);
    rt__strmap_release(&c->in);
    rt_free(c);
}

int64_t rt__pg_rows_version(const struct rt__pg_rows *c)
{
    return c ? c->version : -1;
}

size_t rt__pg_rows_bytes(const struct rt__pg_rows *c)
{
    if (!c)
        return 0;
    return sizeof(*c) + c->n_at * sizeof(*c->at) + c->alloc * sizeof(*c->rows) +
           c->by_alloc * sizeof(*c->by) + c->th_alloc * sizeof(*c->th) +
           c->src_alloc * sizeof(*c->src) + c->str.cap + c->in.cap * (sizeof(*c->in.slots) + 16) +
           c->in.n * 16;
}

/* s kept (NULL: 0). Long strings (a recommendation's text) are rarely the same twice
 * and are not looked up. */
static str_t keep(struct rt__pg_rows *c, const char *s)
{
    size_t len, at;
    int64_t v;

    if (!s)
        return 0;
    len = strlen(s);
    if (len < 128 && rt__strmap_get(&c->in, s, len, &v))
        return (str_t)v;
    if (c->str.len + len + 1 >= UINT32_MAX - 1) {
        c->odd = 1;
        return 0;
    }
    at = c->str.len;
    rt_buf_add(&c->str, s, len + 1);
    if (len < 128)
        rt__strmap_put(&c->in, s, len, (int64_t)at + 1);
    return (str_t)at + 1;
}

static const char *str_of(const struct rt__pg_rows *c, str_t s)
{
    return s ? c->str.buf + c->str_off + s - 1 : NULL;
}

static char *dup_of(const struct rt__pg_rows *c, str_t s)
{
    return s ? rt_xstrdup(c->str.buf + c->str_off + s - 1) : NULL;
}

static struct row *row_of(const struct rt__pg_rows *c, int64_t id)
{
    if (id < 0 || (uint64_t)id >= c->n_at || !c->at[id])
        return NULL;
    return &c->rows[c->at[id] - 1];
}

void rt__pg_rows_add(struct rt__pg_rows *c, const struct rt_rec *r)
{
    struct row *w;

    if (r->id < 0 || (uint64_t)r->id >= c->n_at || c->at[r->id] || c->n >= UINT32_MAX - 1) {
        c->odd = 1;
        return;
    }
    RT_ALLOC_GROW(c->rows, c->n + 1, c->alloc);
    w = &c->rows[c->n];
    memset(w, 0, sizeof(*w));
    w->id = r->id;
    w->mechanism = keep(c, r->mechanism);
    w->paragraph = keep(c, r->paragraph);
    w->text = keep(c, r->text);
    w->sur_name = keep(c, r->sur.name);
    memcpy(w->sur_code, r->sur.code, sizeof(w->sur_code));
    w->cycle = r->cycle;
    w->session = r->session;
    w->response = r->response;
    w->action_category = r->action_category;
    w->origin = keep(c, r->action_category_origin);
    w->confidence = r->action_category_confidence;
    w->source_id = r->source_id; /* its path: rt__pg_rows_add_source */
    w->created_at = keep(c, r->created_at);
    c->at[r->id] = (uint32_t)++c->n;
}

void rt__pg_rows_add_by(struct rt__pg_rows *c, int64_t id, const char *code, const char *name)
{
    const struct row *w = row_of(c, id);
    struct by *b;

    if (!w) {
        c->odd = 1;
        return;
    }
    RT_ALLOC_GROW(c->by, c->n_by + 1, c->by_alloc);
    b = &c->by[c->n_by++];
    b->row = (uint32_t)(w - c->rows);
    snprintf(b->code, sizeof(b->code), "%s", code);
    b->name = keep(c, name);
}

void rt__pg_rows_add_theme(struct rt__pg_rows *c, int64_t id, const char *vocabulary,
                           const char *label, const char *origin, double confidence)
{
    const struct row *w = row_of(c, id);
    struct th *t;

    if (!w) {
        c->odd = 1;
        return;
    }
    RT_ALLOC_GROW(c->th, c->n_th + 1, c->th_alloc);
    t = &c->th[c->n_th++];
    t->row = (uint32_t)(w - c->rows);
    t->vocabulary = keep(c, vocabulary);
    t->label = keep(c, label);
    t->origin = keep(c, origin);
    t->confidence = confidence;
}

void rt__pg_rows_add_source(struct rt__pg_rows *c, int64_t id, const char *path)
{
    struct src *x;

    if (c->n_src && c->src[c->n_src - 1].id >= id) {
        c->odd = 1;
        return;
    }
    RT_ALLOC_GROW(c->src, c->n_src + 1, c->src_alloc);
    x = &c->src[c->n_src++];
    x->id = id;
    x->path = path ? rt_xstrdup(path) : NULL;
}

int rt__pg_rows_sources_done(const struct rt__pg_rows *c)
{
    return c->odd ? -1 : 0;
}

/* The path of source id, or NULL. */
static const char *path_of(const struct rt__pg_rows *c, int64_t id)
{
    size_t lo = 0, hi = c->n_src;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->src[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n_src && c->src[lo].id == id ? c->src[lo].path : NULL;
}

/* The orders of a page's links (ops.c's by_cmp and theme_cmp, COLLATE "C"). */
static int by_less(const struct rt__pg_rows *c, const struct by *x, const struct by *y)
{
    int d = strcmp(str_of(c, x->name), str_of(c, y->name));
    return d ? d < 0 : strcmp(x->code, y->code) < 0;
}

static int th_less(const struct rt__pg_rows *c, const struct th *x, const struct th *y)
{
    int d = strcmp(str_of(c, x->vocabulary), str_of(c, y->vocabulary));
    if (!d)
        d = strcmp(str_of(c, x->label), str_of(c, y->label));
    if (!d)
        d = strcmp(str_of(c, x->origin), str_of(c, y->origin));
    return d < 0;
}

/* Each row's links together, rows in order (a counting sort: first[] their starts),
 * then each row's few in their order (an insertion sort). */
#define GROUP(T, arr, cnt, less)                                                                   \
    do {                                                                                           \
        T *out = rt_xcalloc((cnt) ? (cnt) : 1, sizeof(T));                                         \
        uint32_t *first = rt_xcalloc(c->n + 1, sizeof(*first));                                    \
        for (size_t i = 0; i < (cnt); i++)                                                         \
            first[arr[i].row + 1]++;                                                               \
        for (size_t i = 0; i < c->n; i++)                                                          \
            first[i + 1] += first[i];                                                              \
        for (size_t i = 0; i < (cnt); i++)                                                         \
            out[first[arr[i].row]++] = arr[i];                                                     \
        rt_free(arr);                                                                              \
        arr = out;                                                                                 \
        for (size_t i = 1; i < (cnt); i++) {                                                       \
            T x = arr[i];                                                                          \
            size_t j = i;                                                                          \
            while (j > 0 && arr[j - 1].row == x.row && less(c, &x, &arr[j - 1])) {                 \
                arr[j] = arr[j - 1];                                                               \
                j--;                                                                               \
            }                                                                                      \
            arr[j] = x;                                                                            \
        }                                                                                          \
        rt_free(first);                                                                            \
    } while (0)

int rt__pg_rows_done(struct rt__pg_rows *c)
{
    if (c->odd)
        return -1;
    GROUP(struct by, c->by, c->n_by, by_less);
    c->by_alloc = c->n_by;
    GROUP(struct th, c->th, c->n_th, th_less);
    c->th_alloc = c->n_th;
    for (size_t i = c->n_by; i-- > 0;) {
        c->rows[c->by[i].row].by = (uint32_t)i;
        c->rows[c->by[i].row].n_by++;
    }
    for (size_t i = c->n_th; i-- > 0;) {
        c->rows[c->th[i].row].th = (uint32_t)i;
        c->rows[c->th[i].row].n_th++;
    }
    rt__strmap_release(&c->in); /* only for building */
    return 0;
}

int rt__pg_rows_get(const struct rt__pg_rows *c, int64_t id, struct rt_rec *r)
{
    const struct row *w = row_of(c, id);

    if (!w)
        return 0;
    r->id = w->id;
    r->mechanism = dup_of(c, w->mechanism);
    r->cycle = w->cycle;
    r->session = w->session;
    r->paragraph = dup_of(c, w->paragraph);
    r->text = dup_of(c, w->text);
    memcpy(r->sur.code, w->sur_code, sizeof(r->sur.code));
    r->sur.name = dup_of(c, w->sur_name);
    r->response = w->response;
    r->action_category = w->action_category;
    r->action_category_origin = dup_of(c, w->origin);
    r->action_category_confidence = w->confidence;
    r->source_id = w->source_id;
    r->source_path = path_of(c, w->source_id) ? rt_xstrdup(path_of(c, w->source_id)) : NULL;
    r->created_at = dup_of(c, w->created_at);
    if (w->n_by) {
        r->by = rt_xcalloc(w->n_by, sizeof(*r->by));
        for (uint32_t i = 0; i < w->n_by; i++) {
            const struct by *b = &c->by[w->by + i];
            memcpy(r->by[i].code, b->code, sizeof(r->by[i].code));
            r->by[i].name = dup_of(c, b->name);
        }
        r->n_by = w->n_by;
    }
    if (w->n_th) {
        r->themes = rt_xcalloc(w->n_th, sizeof(*r->themes));
        for (uint32_t i = 0; i < w->n_th; i++) {
            const struct th *t = &c->th[w->th + i];
            r->themes[i].vocabulary = dup_of(c, t->vocabulary);
            r->themes[i].label = dup_of(c, t->label);
            r->themes[i].origin = dup_of(c, t->origin);
            r->themes[i].confidence = t->confidence;
        }
        r->n_themes = w->n_th;
    }
    return 1;
}

/*
 * The rows as bytes, to keep in search_index (search.c) for the next connections:
 * the rows, their links and their strings, not the sources' paths. Numbers are
 * little-endian, of fixed width:
 *
 *   "rtpgrw01"                                               8 bytes
 *   n_at (the largest id plus 1), N rows, B links to states, T themes,
 *   S bytes of strings                                       8 bytes each
 *   N times: id, source_id (8 bytes each); mechanism, paragraph, text, sur_name,
 *     origin, created_at (strings: 4 bytes each, offset plus 1, 0 for NULL);
 *     sur_code (4 bytes); cycle, session, action_category, response (4 each);
 *     confidence (8, its IEEE bits); by, n_by, th, n_th (4 each)
 *   B times: row (4), code (4), name (4)
 *   T times: row, vocabulary, label, origin (4 each), confidence (8)
 *   the S bytes of strings, each ended by a NUL
 *
 * Read back (rt__pg_rows_deserialize) every offset and range is checked; bytes that
 * do not hold together are refused. The bytes read back keep the strings where they
 * are: the rows take the buffer (10 MB not copied again).
 */
static const char rw_magic[8] = {'r', 't', 'p', 'g', 'r', 'w', '0', '1'};

#define ROW_BYTES (8 * 2 + 4 * 6 + 4 + 4 * 4 + 8 + 4 * 4)
#define BY_BYTES 12
#define TH_BYTES 24

static unsigned char *put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
    return p + 4;
}

static unsigned char *put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
    return p + 8;
}

static unsigned char *put_f64(unsigned char *p, double d)
{
    uint64_t v;

    memcpy(&v, &d, sizeof(v));
    return put_u64(p, v);
}

static uint32_t get_u32(const unsigned char **p)
{
    uint32_t v = 0;

    for (int i = 0; i < 4; i++)
        v |= (uint32_t)(*p)[i] << (8 * i);
    *p += 4;
    return v;
}

static uint64_t get_u64(const unsigned char **p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v |= (uint64_t)(*p)[i] << (8 * i);
    *p += 8;
    return v;
}

static double get_f64(const unsigned char **p)
{
    uint64_t v = get_u64(p);
    double d;

    memcpy(&d, &v, sizeof(d));
    return d;
}

void rt__pg_rows_serialize(const struct rt__pg_rows *c, struct rt_buf *out)
{
    size_t size =
        8 + 5 * 8 + c->n * ROW_BYTES + c->n_by * BY_BYTES + c->n_th * TH_BYTES + c->str.len;
    unsigned char *p, *start;

    if (rt_buf_grow(out, size) < 0)
        return;
    start = p = (unsigned char *)out->buf + out->len;
    memcpy(p, rw_magic, 8);
    p += 8;
    p = put_u64(p, c->n_at);
    p = put_u64(p, c->n);
    p = put_u64(p, c->n_by);
    p = put_u64(p, c->n_th);
    p = put_u64(p, c->str.len);
    for (size_t i = 0; i < c->n; i++) {
        const struct row *w = &c->rows[i];
        p = put_u64(p, (uint64_t)w->id);
        p = put_u64(p, (uint64_t)w->source_id);
        p = put_u32(p, w->mechanism);
        p = put_u32(p, w->paragraph);
        p = put_u32(p, w->text);
        p = put_u32(p, w->sur_name);
        p = put_u32(p, w->origin);
        p = put_u32(p, w->created_at);
        memcpy(p, w->sur_code, 4);
        p += 4;
        p = put_u32(p, (uint32_t)w->cycle);
        p = put_u32(p, (uint32_t)w->session);
        p = put_u32(p, (uint32_t)w->action_category);
        p = put_u32(p, (uint32_t)w->response);
        p = put_f64(p, w->confidence);
        p = put_u32(p, w->by);
        p = put_u32(p, w->n_by);
        p = put_u32(p, w->th);
        p = put_u32(p, w->n_th);
    }
    for (size_t i = 0; i < c->n_by; i++) {
        p = put_u32(p, c->by[i].row);
        memcpy(p, c->by[i].code, 4);
        p += 4;
        p = put_u32(p, c->by[i].name);
    }
    for (size_t i = 0; i < c->n_th; i++) {
        p = put_u32(p, c->th[i].row);
        p = put_u32(p, c->th[i].vocabulary);
        p = put_u32(p, c->th[i].label);
        p = put_u32(p, c->th[i].origin);
        p = put_f64(p, c->th[i].confidence);
    }
    if (c->str.len)
        memcpy(p, c->str.buf, c->str.len);
    p += c->str.len;
    out->len += (size_t)(p - start);
    out->buf[out->len] = '\0';
}

/* A string's offset that points into s bytes of strings (which end with a NUL). */
static int str_ok(str_t x, uint64_t s)
{
    return x == 0 || (uint64_t)x - 1 < s;
}

struct rt__pg_rows *rt__pg_rows_deserialize(struct rt_buf *bytes, int64_t version)
{
    const unsigned char *b = (const unsigned char *)bytes->buf, *p = b;
    size_t len = bytes->len;
    uint64_t n_at, n, n_by, n_th, s;
    struct rt__pg_rows *c;
    int bad = 0;

    if (len < 8 + 5 * 8 || memcmp(p, rw_magic, 8))
        return NULL;
    p += 8;
    n_at = get_u64(&p);
    n = get_u64(&p);
    n_by = get_u64(&p);
    n_th = get_u64(&p);
    s = get_u64(&p);
    /* Each count bounded first, so that the sizes below cannot overflow. */
    if (n > RT__PG_ROWS_MAX || n_at > 4 * (uint64_t)RT__PG_ROWS_MAX + 1025 || n_by > UINT32_MAX ||
        n_th > UINT32_MAX || s >= UINT32_MAX - 1 ||
        len - (size_t)(p - b) != n * ROW_BYTES + n_by * BY_BYTES + n_th * TH_BYTES + s ||
        (s && b[len - 1] != '\0'))
        return NULL;
    c = rt_xcalloc(1, sizeof(*c));
    c->version = version;
    c->n_at = (size_t)n_at;
    c->at = rt_xcalloc(c->n_at ? c->n_at : 1, sizeof(*c->at));
    c->alloc = n ? (size_t)n : 1;
    c->rows = rt_xcalloc(c->alloc, sizeof(*c->rows));
    c->by_alloc = n_by ? (size_t)n_by : 1;
    c->by = rt_xcalloc(c->by_alloc, sizeof(*c->by));
    c->th_alloc = n_th ? (size_t)n_th : 1;
    c->th = rt_xcalloc(c->th_alloc, sizeof(*c->th));
    for (uint64_t i = 0; i < n && !bad; i++) {
        struct row *w = &c->rows[i];
        w->id = (int64_t)get_u64(&p);
        w->source_id = (int64_t)get_u64(&p);
        w->mechanism = get_u32(&p);
        w->paragraph = get_u32(&p);
        w->text = get_u32(&p);
        w->sur_name = get_u32(&p);
        w->origin = get_u32(&p);
        w->created_at = get_u32(&p);
        memcpy(w->sur_code, p, 4);
        p += 4;
        w->cycle = (int)get_u32(&p);
        w->session = (int)get_u32(&p);
        w->action_category = (int)get_u32(&p);
        w->response = (enum rt_response)get_u32(&p);
        w->confidence = get_f64(&p);
        w->by = get_u32(&p);
        w->n_by = get_u32(&p);
        w->th = get_u32(&p);
        w->n_th = get_u32(&p);
        bad = w->id < 0 || (uint64_t)w->id >= n_at || c->at[w->id] || w->sur_code[3] ||
              !str_ok(w->mechanism, s) || !str_ok(w->paragraph, s) || !str_ok(w->text, s) ||
              !str_ok(w->sur_name, s) || !str_ok(w->origin, s) || !str_ok(w->created_at, s) ||
              (uint64_t)w->by + w->n_by > n_by || (uint64_t)w->th + w->n_th > n_th ||
              (unsigned)w->response > (unsigned)RT_RESPONSE_PLEDGE;
        if (!bad)
            c->at[w->id] = (uint32_t)i + 1;
    }
    c->n = (size_t)n;
    for (uint64_t i = 0; i < n_by && !bad; i++) {
        struct by *x = &c->by[i];
        x->row = get_u32(&p);
        memcpy(x->code, p, 4);
        p += 4;
        x->name = get_u32(&p);
        bad = x->row >= n || x->code[3] || !str_ok(x->name, s);
    }
    c->n_by = (size_t)n_by;
    for (uint64_t i = 0; i < n_th && !bad; i++) {
        struct th *x = &c->th[i];
        x->row = get_u32(&p);
        x->vocabulary = get_u32(&p);
        x->label = get_u32(&p);
        x->origin = get_u32(&p);
        x->confidence = get_f64(&p);
        bad = x->row >= n || !str_ok(x->vocabulary, s) || !str_ok(x->label, s) ||
              !str_ok(x->origin, s);
    }
    c->n_th = (size_t)n_th;
    if (!bad) { /* the strings where they are: the bytes become the rows' */
        c->str = *bytes;
        c->str_off = (size_t)(p - b);
        rt_buf_init(bytes, 0);
    }
    if (bad) {
        rt__pg_rows_free(c);
        return NULL;
    }
    return c;
}
