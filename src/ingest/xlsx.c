/*
 * XLSX reading for the importers: the first sheet of a workbook, row by row, as the
 * CSV reader gives records. The container is read with libzip and every XML part with
 * expat, streamed (the sheet of a real export is 15 MB of XML): no parser of ours
 * for either. What the format says (ECMA-376 part 1, 18.3.1.4 and 18.4):
 *
 * - a cell's type t: "s" an index into the shared strings, "inlineStr" the text of
 *   its <is>, "str" a formula's text, "b" a boolean, "e" an error such as #N/A,
 *   "d" an ISO date, and none or "n" a number in <v>;
 * - a shared or inline string is the text of its <t>, or of the <t> of each rich-text
 *   run <r> in turn; phonetic runs (<rPh>) are not part of the text;
 * - cells and rows that hold nothing may be left out: a cell's r ("C7") says where it
 *   is, and a row's r which row it is.
 *
 * Safety: a DTD is refused outright (so no entity of any kind, external or
 * "billion laughs", is ever defined), every part is read only up to RT_XLSX_MAX_PART
 * inflated bytes, whatever its header claims (zip bombs), and a cell up to
 * RT_IMPORT_MAX_FIELD bytes.
 *
 * Two threads, as for CSV (csv.c): a reader thread inflates and parses the workbook
 * and hands complete rows over in batches; the caller's thread calls fn on each, in
 * order, and reports progress. Unzipping and XML parsing (a third of an import of
 * upr2.xlsx) then happen while the store writes. What the caller sees is what one
 * thread would give: the same rows, and on an error every row before it, then the
 * error; when fn fails, the reader is told to stop and its own later error, if any,
 * is dropped.
 */
#include "base/compat.h"

#include <expat.h>
#include <pthread.h>
#include <zip.h>

#include "ingest/ingest_int.h"

#define MAX_COLS 16384 /* XFD, the last column Excel has */
#define MAX_ROW 1048576
#define CHUNK 65536
#define BATCH_ROWS 256
#define BATCH_BYTES (512 * 1024)
#define N_BATCHES 4

/* A row handed over: its fields in the batch, its row number. */
struct xrow {
    size_t first;
    long line;
};

struct xbatch {
    struct rt_buf bytes; /* the fields of its rows, each followed by a NUL */
    size_t *offs, *lens; /* per field */
    size_t n_fields, alloc_fields;
    struct xrow *rows;
    size_t n_rows, alloc_rows;
    uint64_t end; /* progress (bytes of the files) when it was handed over */
};

/*
 * The local part of an element or attribute name: "row" of "x:row". The parser is not
 * namespace-aware (expanding every name with its namespace cost the reader a fifth of
 * its time); a workbook's parts name one namespace each, and only local names are
 * compared, so a prefixed x:row still reads as row.
 */
static const char *local(const char *name)
{
    const char *p = strrchr(name, ':');
    return p ? p + 1 : name;
}

/* The value of attribute name (a local name), namespace declarations left out. */
static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strncmp(atts[i], "xmlns", 5) && !strcmp(local(atts[i]), name))
            return atts[i + 1];
    return NULL;
}

/* Writes the letters of column col (from 0) to out (at least 4 bytes). */
static void col_name(size_t col, char *out)
{
    char tmp[8];
    size_t n = 0, k = 0;

    col++;
    while (col && n < sizeof(tmp)) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    while (n)
        out[k++] = tmp[--n];
    out[k] = '\0';
}

struct xlsx {
    const char *path;
    zip_t *za;
    struct rt_error *err;
    int rc; /* first error: parsing stops */
    XML_Parser xp;
    const char *part; /* being parsed, for messages */

    /* The workbook: the first sheet and its relationship, the parts' names. */
    char *sheet_name, *sheet_rid, *sheet_part, *strings_part;
    int depth_sheets;

    /* Shared strings: NUL-separated in bytes, offs[i] where string i starts. */
    struct rt_buf strings;
    size_t *offs, n_strings, alloc_offs;
    int in_si, in_t, in_rph;

    /* The sheet. */
    struct rt_buf *cells; /* per column of the current row */
    size_t alloc_cells, n_cells;
    size_t width;       /* columns of the header row, 0 before it */
    char **header;      /* the header's cells, for messages */
    long row, last_row; /* the current row's number, the previous one's */
    long col, last_col; /* the current cell's column (from 0), the previous one's */
    char type[16];      /* the current cell's t */
    int in_c, in_v, in_is;
    struct rt_buf v;         /* text of the current <v> or <is> */
    int any;                 /* the current row has a non-empty cell */
    rt_progress_fn progress; /* only tells whether progress is wanted: the caller reports */
    uint64_t base, total, part_size;
    uint64_t at; /* progress reached by the reader */

    /* Between the reader thread and the caller's. */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct xbatch batches[N_BATCHES];
    struct xbatch *cur;      /* being filled by the reader, or NULL */
    size_t filled, consumed; /* batch k sits in batches[k % N_BATCHES] */
    int done, stop;
    const char *data; /* the workbook's bytes */
    size_t len;
};

/* Fails the parse with a message about the current part (and cell, if any). */
RT_PRINTF(2, 3) static void fail(struct xlsx *x, const char *fmt, ...)
{
    struct rt_buf msg = RT_BUF_INIT;
    const char *field = NULL;
    va_list ap;
    char cn[8];

    if (x->rc < 0)
        return;
    if (x->sheet_part && x->part == x->sheet_part && x->row > 0) {
        if (x->in_c || x->col >= 0) {
            col_name((size_t)(x->col < 0 ? 0 : x->col), cn);
            rt_buf_addf(&msg, "sheet '%s', row %ld, column %s: ", x->sheet_name, x->row, cn);
            if (x->header && x->col >= 0 && (size_t)x->col < x->width)
                field = x->header[x->col];
        } else {
            rt_buf_addf(&msg, "sheet '%s', row %ld: ", x->sheet_name, x->row);
        }
    } else if (x->part) {
        rt_buf_addf(&msg, "part %s: ", x->part);
    }
    va_start(ap, fmt);
    rt_buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    x->rc = rt_error_set(x->err, RT_EINVAL, x->path, x->row > 0 ? x->row : 0, field, "%s", msg.buf);
    rt_buf_release(&msg);
    if (x->xp)
        XML_StopParser(x->xp, XML_FALSE);
}

/* No DTD at all: nothing in a workbook needs one, and entities are how XML is attacked. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal;
    fail(ud, "a document type declaration (DTD) is not allowed in a workbook");
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                              int len, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
    (void)name, (void)is_param, (void)value, (void)len, (void)base, (void)sysid, (void)pubid;
    (void)notation;
    fail(ud, "an entity declaration is not allowed in a workbook");
}

/* Reads part name of the zip through a new expat parser with the given handlers. */
static int parse_part(struct xlsx *x, const char *name, XML_StartElementHandler start,
                      XML_EndElementHandler end, XML_CharacterDataHandler text, int required,
                      int report)
{
    zip_int64_t idx = zip_name_locate(x->za, name, 0);
    zip_stat_t zs;
    zip_file_t *zf;
    char *buf;
    uint64_t got = 0;

    x->part = name;
    if (idx < 0) {
        if (!required)
            return 0;
        return rt_error_set(x->err, RT_EFORMAT, x->path, 0, NULL,
                            "not an Excel workbook as expected: the part %s is missing", name);
    }
    zip_stat_init(&zs);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &zs) < 0)
        return rt_error_set(x->err, RT_EINVAL, x->path, 0, NULL, "part %s: %s", name,
                            zip_strerror(x->za));
    if ((zs.valid & ZIP_STAT_SIZE) && zs.size > RT_XLSX_MAX_PART)
        return rt_error_set(x->err, RT_ETOOBIG, x->path, 0, NULL,
                            "part %s inflates to %llu bytes, more than the %u allowed", name,
                            (unsigned long long)zs.size, (unsigned)RT_XLSX_MAX_PART);
    x->part_size = (zs.valid & ZIP_STAT_SIZE) ? zs.size : 0;
    if (!(zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0)))
        return rt_error_set(x->err, RT_EINVAL, x->path, 0, NULL, "part %s: %s", name,
                            zip_strerror(x->za));
    x->xp = XML_ParserCreate(NULL);
    if (!x->xp)
        RT_BUG("out of memory for an XML parser");
    XML_SetUserData(x->xp, x);
    XML_SetElementHandler(x->xp, start, end);
    XML_SetCharacterDataHandler(x->xp, text);
    XML_SetStartDoctypeDeclHandler(x->xp, on_doctype);
    XML_SetEntityDeclHandler(x->xp, on_entity);
    XML_SetParamEntityParsing(x->xp, XML_PARAM_ENTITY_PARSING_NEVER);
    buf = rt_xmalloc(CHUNK);
    for (;;) {
        zip_int64_t n = zip_fread(zf, buf, CHUNK);
        if (n < 0) {
            rt_error_set(x->err, RT_EINVAL, x->path, 0, NULL, "part %s cannot be read: %s", name,
                         zip_file_strerror(zf));
            x->rc = RT_EINVAL;
            break;
        }
        got += (uint64_t)n;
        if (got > RT_XLSX_MAX_PART) {
            x->rc = rt_error_set(x->err, RT_ETOOBIG, x->path, 0, NULL,
                                 "part %s inflates past %u bytes, the most allowed", name,
                                 (unsigned)RT_XLSX_MAX_PART);
            break;
        }
        if (XML_Parse(x->xp, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (x->rc == 0)
                x->rc = rt_error_set(x->err, RT_EINVAL, x->path, 0, NULL,
                                     "part %s: bad XML at line %lu, column %lu: %s", name,
                                     (unsigned long)XML_GetCurrentLineNumber(x->xp),
                                     (unsigned long)XML_GetCurrentColumnNumber(x->xp),
                                     XML_ErrorString(XML_GetErrorCode(x->xp)));
            break;
        }
        if (x->rc < 0 || n == 0)
            break;
        if (report && x->progress && x->part_size) {
            uint64_t share = x->total > x->base ? x->total - x->base : 0;
            uint64_t done = got > x->part_size ? x->part_size : got;
            x->at = x->base + (uint64_t)((double)share * (double)done / (double)x->part_size);
        }
    }
    rt_free(buf);
    zip_fclose(zf);
    XML_ParserFree(x->xp);
    x->xp = NULL;
    return x->rc;
}

/* --- The workbook: which sheet, which parts --- */

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *n = local(name);

    if (!strcmp(n, "sheets"))
        x->depth_sheets = 1;
    else if (!strcmp(n, "sheet") && x->depth_sheets && !x->sheet_name) {
        const char *nm = attr(atts, "name"), *rid = attr(atts, "id");
        if (!nm || !rid)
            fail(x, "a sheet without a name or relationship id");
        else {
            x->sheet_name = rt_xstrdup(nm);
            x->sheet_rid = rt_xstrdup(rid);
        }
    }
}

static void XMLCALL wb_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    if (!strcmp(local(name), "sheets"))
        x->depth_sheets = 0;
}

static void XMLCALL no_text(void *ud, const XML_Char *s, int len)
{
    (void)ud, (void)s, (void)len;
}

/* The part a relationship target names, relative to xl/ unless it starts with '/'. */
static char *part_of_target(const char *target)
{
    struct rt_buf b = RT_BUF_INIT;
    if (target[0] == '/')
        rt_buf_adds(&b, target + 1);
    else {
        rt_buf_adds(&b, "xl/");
        rt_buf_adds(&b, target);
    }
    return rt_buf_detach(&b, NULL);
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *id, *type, *target;
    size_t tl;

    if (strcmp(local(name), "Relationship"))
        return;
    id = attr(atts, "Id");
    type = attr(atts, "Type");
    target = attr(atts, "Target");
    if (!id || !type || !target)
        return;
    tl = strlen(type);
    if (x->sheet_rid && !strcmp(id, x->sheet_rid) && !x->sheet_part)
        x->sheet_part = part_of_target(target);
    else if (tl >= 14 && !strcmp(type + tl - 14, "/sharedStrings") && !x->strings_part)
        x->strings_part = part_of_target(target);
}

/* --- Shared strings --- */

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *n = local(name);
    (void)atts;

    if (!strcmp(n, "si")) {
        RT_ALLOC_GROW(x->offs, x->n_strings + 1, x->alloc_offs);
        x->offs[x->n_strings] = x->strings.len;
        x->in_si = 1;
    } else if (!strcmp(n, "rPh")) {
        x->in_rph = 1;
    } else if (!strcmp(n, "t") && x->in_si) {
        x->in_t = 1;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    const char *n = local(name);

    if (!strcmp(n, "si") && x->in_si) {
        if (rt_buf_addch(&x->strings, '\0') < 0)
            fail(x, "the shared strings are too large");
        x->n_strings++;
        x->in_si = 0;
    } else if (!strcmp(n, "rPh")) {
        x->in_rph = 0;
    } else if (!strcmp(n, "t")) {
        x->in_t = 0;
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
    struct xlsx *x = ud;
    if (x->in_si && x->in_t && !x->in_rph &&
        (x->strings.len - x->offs[x->n_strings] + (size_t)len > RT_IMPORT_MAX_FIELD ||
         rt_buf_add(&x->strings, s, (size_t)len) < 0))
        fail(x, "shared string %zu is longer than %u bytes", x->n_strings,
             (unsigned)RT_IMPORT_MAX_FIELD);
}

/* --- The sheet --- */

/* Reads a cell reference "AB12": its column (from 0) and row. */
static int parse_ref(const char *r, long *col, long *row)
{
    long c = 0, n = 0;
    const char *p = r;

    while (*p >= 'A' && *p <= 'Z' && c <= MAX_COLS)
        c = c * 26 + (*p++ - 'A' + 1);
    if (p == r || c > MAX_COLS)
        return -1;
    if (*p < '1' || *p > '9')
        return -1;
    while (*p >= '0' && *p <= '9' && n <= MAX_ROW)
        n = n * 10 + (*p++ - '0');
    if (*p || n > MAX_ROW)
        return -1;
    *col = c - 1;
    *row = n;
    return 0;
}

static struct rt_buf *cell(struct xlsx *x, size_t col)
{
    if (col >= x->alloc_cells) {
        size_t old = x->alloc_cells;
        RT_ALLOC_GROW(x->cells, col + 1, x->alloc_cells);
        for (size_t k = old; k < x->alloc_cells; k++)
            rt_buf_init(&x->cells[k], 0);
    }
    while (x->n_cells <= col)
        rt_buf_reset(&x->cells[x->n_cells++]);
    return &x->cells[col];
}

/* The reader thread: waits until the caller has taken batch (filled - N_BATCHES); NULL
 * when the caller wants no more. */
static struct xbatch *take_free(struct xlsx *x)
{
    struct xbatch *b = NULL;

    pthread_mutex_lock(&x->mu);
    while (x->filled - x->consumed >= N_BATCHES && !x->stop)
        pthread_cond_wait(&x->cv, &x->mu);
    if (!x->stop) {
        b = &x->batches[x->filled % N_BATCHES];
        rt_buf_reset(&b->bytes);
        b->n_fields = b->n_rows = 0;
    }
    pthread_mutex_unlock(&x->mu);
    return b;
}

/* The reader thread: hands the current batch over. */
static void hand_over(struct xlsx *x)
{
    pthread_mutex_lock(&x->mu);
    x->cur->end = x->at;
    x->filled++;
    x->cur = NULL;
    pthread_cond_broadcast(&x->cv);
    pthread_mutex_unlock(&x->mu);
}

/* The current row is complete: into the batch (the first non-empty one is the header). */
static void end_row(struct xlsx *x)
{
    struct xbatch *b;
    struct xrow *r;
    size_t n = x->n_cells;

    if (!x->any)
        return;
    while (n && x->cells[n - 1].len == 0)
        n--;
    if (!x->width) {
        x->width = n;
        RT_ALLOC_ARRAY(x->header, n);
        for (size_t k = 0; k < n; k++)
            x->header[k] = rt_xstrdup(x->cells[k].buf);
    } else if (n > x->width) {
        x->col = (long)n - 1;
        fail(x, "a value beyond the header's last column");
        return;
    }
    cell(x, x->width - 1);
    if (!x->cur && !(x->cur = take_free(x))) {
        /* The caller failed on an earlier row: its error is the one that counts. */
        x->rc = RT_EINVAL;
        XML_StopParser(x->xp, XML_FALSE);
        return;
    }
    b = x->cur;
    RT_ALLOC_GROW(b->rows, b->n_rows + 1, b->alloc_rows);
    r = &b->rows[b->n_rows++];
    r->first = b->n_fields;
    r->line = x->row;
    if (b->n_fields + x->width > b->alloc_fields) {
        b->alloc_fields = (b->n_fields + x->width) * 2;
        RT_REALLOC_ARRAY(b->offs, b->alloc_fields);
        RT_REALLOC_ARRAY(b->lens, b->alloc_fields);
    }
    for (size_t k = 0; k < x->width; k++) {
        b->offs[b->n_fields] = b->bytes.len;
        b->lens[b->n_fields++] = x->cells[k].len;
        if (rt_buf_add(&b->bytes, x->cells[k].buf, x->cells[k].len) < 0 ||
            rt_buf_addch(&b->bytes, '\0') < 0)
            RT_BUG("XLSX batch buffer overflow");
    }
    if (b->n_rows >= BATCH_ROWS || b->bytes.len >= BATCH_BYTES)
        hand_over(x);
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct xlsx *x = ud;
    const char *n = local(name);

    if (x->rc < 0)
        return;
    if (!strcmp(n, "row")) {
        const char *r = attr(atts, "r");
        long row = x->last_row + 1;
        if (r) {
            char *end;
            errno = 0;
            row = strtol(r, &end, 10);
            if (errno || *end || row < 1 || row > MAX_ROW)
                row = -1;
        }
        x->col = -1;
        if (row <= x->last_row) {
            fail(x, "row number '%s' is out of order or not a number", r ? r : "");
            return;
        }
        x->row = row;
        x->last_col = -1;
        x->n_cells = 0;
        x->any = 0;
    } else if (!strcmp(n, "c") && x->row > 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t");
        long col = x->last_col + 1, row = x->row;
        if (r && parse_ref(r, &col, &row) < 0) {
            x->col = x->last_col + 1;
            fail(x, "bad cell reference '%.20s'", r);
            return;
        }
        x->col = col;
        if (row != x->row || col <= x->last_col || col >= MAX_COLS) {
            fail(x, "cell '%.20s' is out of place", r ? r : "");
            return;
        }
        {
            /* Copied by hand: snprintf here was a twelfth of the reader's time. */
            const char *tt = t ? t : "n";
            size_t k = 0;
            while (tt[k] && k + 1 < sizeof(x->type)) {
                x->type[k] = tt[k];
                k++;
            }
            x->type[k] = '\0';
        }
        x->in_c = 1;
        rt_buf_reset(&x->v);
    } else if (x->in_c && !strcmp(n, "v")) {
        x->in_v = 1;
    } else if (x->in_c && !strcmp(n, "is")) {
        x->in_is = 1;
    } else if (x->in_is && !strcmp(n, "rPh")) {
        x->in_rph = 1;
    } else if (x->in_is && !strcmp(n, "t")) {
        x->in_t = 1;
    }
}

/* Sets the value of the current cell from its type and the text collected. */
static void end_cell(struct xlsx *x)
{
    struct rt_buf *c = cell(x, (size_t)x->col);
    const char *v = x->v.buf, *t = x->type;

    x->last_col = x->col;
    if (!strcmp(t, "s")) {
        char *end;
        unsigned long long i;
        if (!x->v.len)
            return;
        errno = 0;
        i = strtoull(v, &end, 10);
        if (errno || *end || v[0] < '0' || v[0] > '9') {
            fail(x, "'%.20s' is not a shared-string index", v);
            return;
        }
        if (!x->offs) {
            fail(x, "the cell refers to shared strings, but the workbook has none");
            return;
        }
        if (i >= x->n_strings) {
            fail(x, "shared string %llu does not exist (there are %zu)", i, x->n_strings);
            return;
        }
        rt_buf_adds(c, x->strings.buf + x->offs[i]);
    } else if (!strcmp(t, "inlineStr") || !strcmp(t, "str") || !strcmp(t, "e") || !strcmp(t, "d")) {
        rt_buf_add(c, v, x->v.len);
    } else if (!strcmp(t, "b")) {
        if (x->v.len)
            rt_buf_adds(c, !strcmp(v, "0") ? "FALSE" : "TRUE");
    } else if (!strcmp(t, "n")) {
        char *end, num[40];
        double d;
        if (!x->v.len)
            return;
        errno = 0;
        d = strtod(v, &end);
        if (errno || *end || end == v || d != d) {
            fail(x, "'%.20s' is not a number", v);
            return;
        }
        /* As a spreadsheet shows it: 22 for 22 or 2.2E1, 4.7 for 4.7000000000000002. */
        if (d > -1e15 && d < 1e15 && d == (double)(long long)d) /* range first: no UB */
            snprintf(num, sizeof(num), "%lld", (long long)d);
        else
            snprintf(num, sizeof(num), "%.15g", d);
        rt_buf_adds(c, num);
    } else {
        {
            fail(x, "unknown cell type '%s'", t);
            return;
        }
    }
    if (c->len)
        x->any = 1;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    struct xlsx *x = ud;
    const char *n = local(name);

    if (x->rc < 0)
        return;
    if (!strcmp(n, "c") && x->in_c) {
        end_cell(x);
        x->in_c = x->in_v = x->in_is = x->in_t = x->in_rph = 0;
    } else if (!strcmp(n, "v")) {
        x->in_v = 0;
    } else if (!strcmp(n, "is")) {
        x->in_is = 0;
    } else if (!strcmp(n, "rPh")) {
        x->in_rph = 0;
    } else if (!strcmp(n, "t")) {
        x->in_t = 0;
    } else if (!strcmp(n, "row") && x->row > 0) {
        x->col = -1;
        end_row(x);
        x->last_row = x->row;
    }
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
    struct xlsx *x = ud;
    if (x->rc < 0 || !x->in_c)
        return;
    if ((x->in_v && !x->in_is) || (x->in_is && x->in_t && !x->in_rph)) {
        if (x->v.len + (size_t)len > RT_IMPORT_MAX_FIELD) {
            fail(x, "a value longer than %u bytes", (unsigned)RT_IMPORT_MAX_FIELD);
            return;
        }
        rt_buf_add(&x->v, s, (size_t)len);
    }
}

/* Adds the sheet, row and column to an error of the row function on row (err names
 * the field). */
static void place_row_error(struct xlsx *x, long row, struct rt_error *err)
{
    char cn[8] = "";

    for (size_t k = 0; err->field && k < x->width; k++)
        if (!strcmp(x->header[k], err->field)) {
            col_name(k, cn);
            break;
        }
    if (cn[0])
        rt_buf_addf(&err->msg, " (sheet '%s', row %ld, column %s)", x->sheet_name, row, cn);
    else
        rt_buf_addf(&err->msg, " (sheet '%s', row %ld)", x->sheet_name, row);
}

/* The reader: the workbook's parts in turn, the sheet's rows into batches. */
static int read_workbook(struct xlsx *x)
{
    zip_error_t ze;
    zip_source_t *src;
    int rc;

    zip_error_init(&ze);
    if (!(src = zip_source_buffer_create(x->data, x->len, 0, &ze))) {
        rc = rt_error_set(x->err, RT_EINVAL, x->path, 0, NULL, "cannot read the workbook: %s",
                          zip_error_strerror(&ze));
        goto out;
    }
    if (!(x->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze))) {
        zip_source_free(src);
        rc = rt_error_set(x->err, RT_EINVAL, x->path, 0, NULL,
                          "not a readable Excel workbook (a broken or truncated zip file): %s",
                          zip_error_strerror(&ze));
        goto out;
    }
    if ((rc = parse_part(x, "xl/workbook.xml", wb_start, wb_end, no_text, 1, 0)) < 0)
        goto out;
    if (!x->sheet_name) {
        rc = rt_error_set(x->err, RT_EFORMAT, x->path, 0, NULL, "the workbook has no sheet");
        goto out;
    }
    if ((rc = parse_part(x, "xl/_rels/workbook.xml.rels", rels_start, NULL, no_text, 1, 0)) < 0)
        goto out;
    if (!x->sheet_part) {
        rc = rt_error_set(x->err, RT_EFORMAT, x->path, 0, NULL,
                          "the workbook does not say where sheet '%s' is", x->sheet_name);
        goto out;
    }
    if (x->strings_part &&
        (rc = parse_part(x, x->strings_part, sst_start, sst_end, sst_text, 1, 0)) < 0)
        goto out;
    x->in_si = x->in_t = x->in_rph = 0;
    rc = parse_part(x, x->sheet_part, sheet_start, sheet_end, sheet_text, 1, 1);
    if (rc == 0 && !x->width)
        rc =
            rt_error_set(x->err, RT_EINVAL, x->path, 0, NULL, "sheet '%s' is empty", x->sheet_name);
out:
    zip_error_fini(&ze);
    return rc;
}

/* The reader thread's body: sets x->rc, hands over what it has, and says it is done. */
static void *read_all(void *arg)
{
    struct xlsx *x = arg;
    int rc = read_workbook(x);

    if (x->za)
        zip_discard(x->za);
    x->za = NULL;
    pthread_mutex_lock(&x->mu);
    x->rc = rc;
    pthread_mutex_unlock(&x->mu);
    if (x->cur) /* its complete rows */
        hand_over(x);
    pthread_mutex_lock(&x->mu);
    x->done = 1;
    pthread_cond_broadcast(&x->cv);
    pthread_mutex_unlock(&x->mu);
    return NULL;
}

int rt__xlsx_parse(const char *path, const char *data, size_t len, rt__csv_row_fn fn, void *ctx,
                   rt_progress_fn progress, void *pctx, uint64_t base, uint64_t total,
                   char **sheet_out, struct rt_error *err)
{
    struct rt_error own = RT_ERROR_INIT;
    struct xlsx x = {.path = path,
                     .err = &own,
                     .progress = progress,
                     .base = base,
                     .total = total,
                     .at = base,
                     .data = data,
                     .len = len,
                     .col = -1};
    struct rt__csv_row row = {0};
    size_t alloc = 0;
    long failed_row = 0;
    pthread_t thread;
    int rc = 0;

    *sheet_out = NULL;
    rt_buf_init(&x.strings, 0);
    rt_buf_init(&x.v, 0);
    for (size_t k = 0; k < N_BATCHES; k++)
        x.batches[k].bytes = (struct rt_buf)RT_BUF_INIT;
    pthread_mutex_init(&x.mu, NULL);
    pthread_cond_init(&x.cv, NULL);
    if (pthread_create(&thread, NULL, read_all, &x) != 0)
        RT_BUG("cannot start the XLSX reader thread");
    for (;;) {
        struct xbatch *b;

        pthread_mutex_lock(&x.mu);
        while (x.consumed == x.filled && !x.done)
            pthread_cond_wait(&x.cv, &x.mu);
        b = x.consumed < x.filled ? &x.batches[x.consumed % N_BATCHES] : NULL;
        pthread_mutex_unlock(&x.mu);
        if (!b)
            break;
        for (size_t i = 0; i < b->n_rows && rc == 0; i++) {
            const struct xrow *r = &b->rows[i];
            size_t n = (i + 1 < b->n_rows ? b->rows[i + 1].first : b->n_fields) - r->first;
            RT_ALLOC_GROW(row.fields, n, alloc);
            for (size_t k = 0; k < n; k++)
                row.fields[k] = b->bytes.buf + b->offs[r->first + k];
            row.lens = b->lens + r->first;
            row.n = n;
            row.line = r->line;
            if ((rc = fn(ctx, &row, err)) < 0)
                failed_row = r->line;
        }
        if (rc == 0 && progress)
            progress(pctx, b->end, total);
        pthread_mutex_lock(&x.mu);
        x.consumed++;
        if (rc < 0)
            x.stop = 1;
        pthread_cond_broadcast(&x.cv);
        pthread_mutex_unlock(&x.mu);
        if (rc < 0)
            break;
    }
    pthread_join(thread, NULL);
    if (rc < 0)
        place_row_error(&x, failed_row, err);
    else if (x.rc < 0) /* the reader's error comes after every row before it */
        rc = rt_error_set(err, own.code, own.file, own.line, own.field, "%s", own.msg.buf);
    if (rc == 0) {
        *sheet_out = x.sheet_name;
        x.sheet_name = NULL;
    }
    rt_error_release(&own);
    pthread_mutex_destroy(&x.mu);
    pthread_cond_destroy(&x.cv);
    rt_free(row.fields);
    for (size_t k = 0; k < N_BATCHES; k++) {
        rt_buf_release(&x.batches[k].bytes);
        rt_free(x.batches[k].offs);
        rt_free(x.batches[k].lens);
        rt_free(x.batches[k].rows);
    }
    rt_free(x.sheet_name);
    rt_free(x.sheet_rid);
    rt_free(x.sheet_part);
    rt_free(x.strings_part);
    rt_buf_release(&x.strings);
    rt_buf_release(&x.v);
    rt_free(x.offs);
    for (size_t k = 0; k < x.alloc_cells; k++)
        rt_buf_release(&x.cells[k]);
    rt_free(x.cells);
    for (size_t k = 0; k < x.width && x.header; k++)
        rt_free(x.header[k]);
    rt_free(x.header);
    return rc;
}
