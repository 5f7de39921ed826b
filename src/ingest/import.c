/* Import of UPR Info exports (raw and normalised) and UHRI thematic lists. */
#include "base/compat.h"

#include <strings.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <nettle/sha2.h>

#include <rightstrack/audit.h>
#include <rightstrack/ledger.h>
#include <rightstrack/private.h>
#include <rightstrack/text.h>

#include "base/embedded.h"
#include "ingest/ingest_int.h"
#include "model/rules.h"

#define MAX_FILE_SIZE ((size_t)1 << 30)

/* The columns an importer reads, by role. */
enum col {
    COL_SUR,
    COL_BY,
    COL_TEXT,
    COL_RESPONSE,
    COL_CATEGORY,
    COL_THEMES,
    COL_SESSION,
    COL_CYCLE,
    COL_PARAGRAPH,
    COL_GOALS, /* a second theme column, of the same vocabulary */
    COL_ELECTION,
    COL_ELECTION_DATE,
    COL_REPORT_DATE,
    COL_STATEMENT, /* how the source worded it: "key recommendation …" is a priority */
    COL_PRIORITY,
    COL__COUNT
};

struct format_spec {
    enum rt_format format;
    const char *name;
    const char *kind;             /* source kind */
    const char *vocabulary;       /* theme vocabulary of COL_THEMES */
    char by_sep, theme_sep;       /* list separators, 0: one value */
    const char *cols[COL__COUNT]; /* header names; NULL: not in this format */
    unsigned required;            /* bit per enum col */
    int macroman;                 /* bytes that are not UTF-8 are MacRoman */
    int strip_sponsors;           /* the text ends with "(State) (State, State);" */
    int report_symbol;            /* COL_PARAGRAPH is "Source:A/HRC/N/x|para|": session N - 8 */
    int election;                 /* ODIHR: the election columns, the state perhaps given */
};

#define REQ(c) (1u << (c))

/* What the DIHR's Goals column says of a recommendation it linked to no goal. */
#define NO_SDG "No SDG link identified"

static const struct format_spec formats[] = {
    {RT_FORMAT_UPR_INFO_RAW,
     "upr-info-raw",
     "upr-info-raw",
     "upr-info",
     0,
     ',',
     {"To", "From", "Text", "Response", "Action", "Issue", "Session", NULL, NULL, NULL},
     REQ(COL_SUR) | REQ(COL_BY) | REQ(COL_TEXT) | REQ(COL_RESPONSE) | REQ(COL_SESSION),
     1,
     0,
     0,
     0},
    {RT_FORMAT_UPR_INFO,
     "upr-info",
     "upr-info",
     "upr-info",
     0,
     '|',
     {"state_under_review", "recommending_state", "text", "response", "action_category", "issues",
      "session", "cycle", NULL, NULL},
     REQ(COL_SUR) | REQ(COL_BY) | REQ(COL_TEXT) | REQ(COL_RESPONSE) | REQ(COL_SESSION),
     0,
     0,
     0,
     0},
    {RT_FORMAT_UHRI,
     "uhri",
     "uhri",
     "uhri",
     '|',
     '|',
     {"country", "recommending_states", "text", "position", NULL, "themes", "session", "cycle",
      "paragraph_id", NULL},
     REQ(COL_SUR) | REQ(COL_BY) | REQ(COL_TEXT) | REQ(COL_RESPONSE) | REQ(COL_PARAGRAPH),
     0,
     1,
     0,
     0},
    /* The DIHR's SDG-Human Rights Data Explorer: "Recommendation" is the state under
     * review, and the session comes from the report's symbol. */
    {RT_FORMAT_DIHR,
     "dihr",
     "dihr",
     "sdg",
     0,
     ',',
     {"Recommendation", "Recommending state", "Tekst", "Response", NULL, "Targets", NULL, NULL,
      "Document", "Goals"},
     REQ(COL_SUR) | REQ(COL_BY) | REQ(COL_TEXT) | REQ(COL_RESPONSE) | REQ(COL_PARAGRAPH) |
         REQ(COL_GOALS),
     0,
     0,
     1,
     0},
    /* ODIHR's election-observation recommendations (docs/user-guide.md): the state
     * under review in a column "state", or given to the import (--state). */
    {RT_FORMAT_ODIHR,
     "odihr",
     "odihr",
     "odihr",
     0,
     0,
     {"state", NULL, "recommendation", NULL, NULL, NULL, NULL, NULL, NULL, NULL, "election",
      "election_date", "report_date", "statement_type", "priority"},
     REQ(COL_TEXT) | REQ(COL_ELECTION) | REQ(COL_ELECTION_DATE),
     0,
     0,
     0,
     1},
};

const char *rt_format_name(enum rt_format f)
{
    if (f == RT_FORMAT_EXPORT)
        return "rightstrack-export";
    for (size_t i = 0; i < RT_ARRAY_SIZE(formats); i++)
        if (formats[i].format == f)
            return formats[i].name;
    return "unknown";
}

/*
 * One line of data/upr/hrc_sessions.tsv: the Human Rights Council session hrc
 * adopted the reports of UPR session upr; states, when the line lists them (one HRC
 * session, several UPR sessions), are the ids of the states that UPR session
 * reviewed.
 */
struct hrc_session {
    int hrc, upr;
    int64_t *states;
    size_t n_states;
};

/* A name that matched no state, with where it was met. */
struct unknown {
    char *name;
    char *field;
    long line;
};

struct job {
    struct rt_store *st;
    const char *path;
    const struct format_spec *fmt;
    int col[COL__COUNT]; /* index in the row, -1 when absent */
    size_t n_cols;
    int64_t source_id;
    const char *raw; /* the file's bytes, as read */
    size_t raw_len;
    char sha256[65]; /* their hex SHA-256, made when the header is read */
    struct rt_import_stats *stats;
    struct unknown *unknown;
    size_t n_unknown, alloc_unknown;
    struct rt_buf text, key, para;
    struct hrc_session *hrc; /* data/upr/hrc_sessions.tsv, read when a format needs it */
    size_t n_hrc, alloc_hrc;
    int row_hrc;       /* the HRC session of the row's report symbol */
    const char *state; /* the state under review a file names none for (--state) */
    int64_t state_id;  /* its id, found when the header asks for it */
};

/* Index of column name in the header, or -1. */
static int header_index(const struct rt__csv_row *hdr, const char *name)
{
    for (size_t k = 0; name && k < hdr->n; k++)
        if (!strcmp(hdr->fields[k], name))
            return (int)k;
    return -1;
}

/* Picks the format whose columns the header has; explains what is missing if none. */
static int detect(struct job *j, const struct rt__csv_row *hdr, struct rt_error *err)
{
    const struct format_spec *best = NULL;
    int best_found = 0, best_missing = -1;

    for (size_t f = 0; f < RT_ARRAY_SIZE(formats); f++) {
        const struct format_spec *fs = &formats[f];
        int found = 0, missing = -1;

        for (int c = 0; c < COL__COUNT; c++) {
            j->col[c] = header_index(hdr, fs->cols[c]);
            if (j->col[c] >= 0)
                found++;
            else if (fs->cols[c] && (fs->required & REQ(c)) && missing < 0)
                missing = c;
        }
        if (missing < 0) {
            j->fmt = fs;
            j->n_cols = hdr->n;
            j->stats->format = fs->format;
            return 0;
        }
        if (found > best_found) {
            best = fs;
            best_found = found;
            best_missing = missing;
        }
    }
    if (best && best_found >= 3)
        return rt_error_set(err, RT_EFORMAT, j->path, 1, best->cols[best_missing],
                            "missing column '%s': the header looks like a %s file but lacks it",
                            best->cols[best_missing], best->name);
    return rt_error_set(err, RT_EFORMAT, j->path, 1, NULL,
                        "unknown format: the header is not that of a UPR Info export, "
                        "a normalised UPR Info file, a UHRI thematic list, a DIHR export "
                        "or an ODIHR recommendations file "
                        "(it starts '%.60s')",
                        hdr->n ? hdr->fields[0] : "");
}

static const char *field(const struct job *j, const struct rt__csv_row *row, enum col c,
                         size_t *len)
{
    int k = j->col[c];
    if (k < 0 || (size_t)k >= row->n) {
        *len = 0;
        return "";
    }
    *len = row->lens[k];
    return row->fields[k];
}

static void trim(const char **p, size_t *n)
{
    while (*n && (**p == ' ' || **p == '\t'))
        (*p)++, (*n)--;
    while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t'))
        (*n)--;
}

/* Reads an integer field; empty gives 0. */
/*
 * The text rule (rt_text_check) for the bytes s of column c of a row, with the file,
 * the line and the column named.
 */
static int text_field(const struct job *j, const struct rt__csv_row *row, enum col c, const char *s,
                      size_t n, struct rt_error *err)
{
    struct rt_error e = RT_ERROR_INIT;
    int rc = rt_text_check(j->fmt->cols[c], s, n, &e);

    if (rc < 0)
        rc = rt_error_set(err, rc, j->path, row->line, j->fmt->cols[c], "%s", e.msg.buf);
    rt_error_release(&e);
    return rc;
}

static int int_field(const struct job *j, const struct rt__csv_row *row, enum col c, int lo, int hi,
                     int *out, struct rt_error *err)
{
    size_t n;
    const char *p = field(j, row, c, &n);
    char buf[32], *end;
    long v;

    trim(&p, &n);
    *out = 0;
    if (!n)
        return 0;
    if (n >= sizeof(buf))
        goto bad;
    memcpy(buf, p, n);
    buf[n] = '\0';
    errno = 0;
    v = strtol(buf, &end, 10);
    if (errno || *end || v < lo || v > hi)
        goto bad;
    *out = (int)v;
    return 0;
bad:
    return rt_error_set(err, RT_EINVAL, j->path, row->line, j->fmt->cols[c],
                        "'%.*s' is not a number from %d to %d", (int)(n > 40 ? 40 : n), p, lo, hi);
}

static void note_unknown(struct job *j, const char *name, size_t len, enum col c, long line)
{
    struct unknown *u;
    RT_ALLOC_GROW(j->unknown, j->n_unknown + 1, j->alloc_unknown);
    u = &j->unknown[j->n_unknown++];
    u->name = rt_xstrndup(name, len);
    u->field = rt_xstrdup(j->fmt->cols[c]);
    u->line = line;
}

/* Is this the export's explicit "(Unknown)" for a recommending state? */
static int is_unknown_marker(struct job *j, const char *name, size_t len)
{
    rt_buf_reset(&j->key);
    return rt_text_name_key(name, len, &j->key) == 0 && !strcmp(j->key.buf, "unknown");
}

/*
 * Strips the sponsor list of a UHRI text: trailing groups "(A, B)" whose every
 * part names a state, from the end, with ";" and "." between. Returns the new length.
 */
static size_t strip_sponsors(struct job *j, const char *t, size_t n)
{
    for (;;) {
        size_t end = n, open, depth = 0, k, part;
        int all = 1, parts = 0;

        while (end && (t[end - 1] == ' ' || t[end - 1] == ';' || t[end - 1] == '.'))
            end--;
        if (!end || t[end - 1] != ')')
            return n;
        for (open = end; open-- > 0;) {
            if (t[open] == ')')
                depth++;
            else if (t[open] == '(' && --depth == 0)
                break;
        }
        if (depth)
            return n;
        /* Every comma-separated part (at depth 0 inside the group) must be a state. */
        for (k = part = open + 1, depth = 0; k <= end - 1; k++) {
            if (k == end - 1 || (t[k] == ',' && depth == 0)) {
                const char *p = t + part;
                size_t len = k - part;
                int64_t id;
                trim(&p, &len);
                if (len >= 4 && !strncmp(p, "and ", 4))
                    p += 4, len -= 4;
                if (!len || rt_store_state_find(j->st, p, len, &id, NULL) != 0)
                    all = 0;
                parts++;
                part = k + 1;
            } else if (t[k] == '(') {
                depth++;
            } else if (t[k] == ')') {
                depth--;
            }
        }
        if (!all || !parts)
            return n;
        while (open && t[open - 1] == ' ')
            open--;
        n = open;
    }
}

/*
 * Do the bytes s (n of them) start, after blanks, with a digit? The DIHR separates its
 * goals with commas, and a goal's name may hold one ("9. Industry, innovation and
 * infrastructure"): a goal or target starts with its number.
 */
static int before_number(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    return n && *s >= '0' && *s <= '9';
}

/* Does the (cleaned) text hold "(name)" as part of what it says? */
static int in_text_parens(const char *text, const char *name, size_t len)
{
    for (const char *p = strchr(text, '('); p; p = strchr(p + 1, '('))
        if (!strncmp(p + 1, name, len) && p[1 + len] == ')')
            return 1;
    return 0;
}

/* Writes the hex SHA-256 of data (65 bytes with the NUL) to hex. nettle's uses the
 * CPU's SHA instructions where there are some: libsodium's portable one took a tenth
 * of an import. */
static void file_digest(const char *data, size_t len, char *hex)
{
    unsigned char digest[SHA256_DIGEST_SIZE];
    struct sha256_ctx sha;

    sha256_init(&sha);
    sha256_update(&sha, len, (const uint8_t *)data);
    sha256_digest(&sha, sizeof(digest), digest);
    for (size_t i = 0; i < sizeof(digest); i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
}

static int dump_to_buf(const char *s, size_t n, void *b)
{
    return rt_buf_add(b, s, n) < 0 ? -1 : 0;
}

/*
 * One audit log entry for a whole import: recommendations come by the thousand and
 * are not logged row by row (docs/user-guide.md, "The history of every record").
 */
static int audit_import(struct rt_store *st, const char *path, const char *kind, const char *sha256,
                        int64_t source_id, const struct rt_import_stats *stats,
                        struct rt_error *err)
{
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "file", path, "format", kind, "sha256",
                  sha256, "rows", (json_int_t)stats->rows, "added", (json_int_t)stats->recs_new,
                  "merged", (json_int_t)stats->recs_existing, "states_linked",
                  (json_int_t)stats->by_new, "themes_tagged", (json_int_t)stats->themes_new);
    struct rt_buf text = RT_BUF_INIT;
    char record[40];
    int rc;

    if (!o || json_dump_callback(o, dump_to_buf, &text, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0)
        RT_BUG("cannot build the import's audit entry");
    if (source_id)
        snprintf(record, sizeof(record), "source:%lld", (long long)source_id);
    else
        snprintf(record, sizeof(record), "import");
    rc = rt_audit_note(st, "import", "import", record, text.buf, err);
    rt_buf_release(&text);
    json_decref(o);
    return rc;
}

/* hrc_sessions.tsv's lines, into j->hrc: "HRC<TAB>UPR[<TAB>CODE CODE …]". */
static void load_hrc_sessions(struct job *j)
{
    static const char name[] = "data/upr/hrc_sessions.tsv";
    const struct rt__embedded *e = rt__embedded_find(name);
    const char *p, *end;

    if (!e)
        RT_BUG("%s is not embedded", name);
    for (p = e->data, end = e->data + e->len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *q;
        struct hrc_session *h;
        char *stop;
        size_t alloc = 0;

        if (!nl)
            nl = end;
        if (p == nl || *p == '#') {
            p = nl + 1;
            continue;
        }
        RT_ALLOC_GROW(j->hrc, j->n_hrc + 1, j->alloc_hrc);
        h = &j->hrc[j->n_hrc++];
        memset(h, 0, sizeof(*h));
        h->hrc = (int)strtol(p, &stop, 10);
        h->upr = (int)strtol(stop, &stop, 10);
        if (h->hrc <= 0 || h->upr <= 0)
            RT_BUG("%s: bad line '%.*s'", name, (int)(nl - p), p);
        for (q = stop; q < nl;) {
            const char *code;
            int64_t id;

            while (q < nl && (*q == ' ' || *q == '\t'))
                q++;
            for (code = q; q < nl && *q != ' ' && *q != '\t';)
                q++;
            if (q == code)
                break;
            if (rt_store_state_find(j->st, code, (size_t)(q - code), &id, NULL) != 0)
                RT_BUG("%s: unknown state '%.*s'", name, (int)(q - code), code);
            RT_ALLOC_GROW(h->states, h->n_states + 1, alloc);
            h->states[h->n_states++] = id;
        }
        p = nl + 1;
    }
}

/*
 * The UPR session of a row whose report symbol gave the HRC session j->row_hrc, for
 * the state under review sur_id (data/upr/hrc_sessions.tsv): when that HRC session
 * adopted the reports of several UPR sessions, the one that reviewed the state.
 */
static int session_of_hrc(struct job *j, const struct rt__csv_row *row, int64_t sur_id, int *out,
                          struct rt_error *err)
{
    struct rt_buf which = RT_BUF_INIT;
    int rc;

    for (size_t i = 0; i < j->n_hrc; i++) {
        const struct hrc_session *h = &j->hrc[i];
        if (h->hrc != j->row_hrc)
            continue;
        if (!h->n_states) {
            *out = h->upr;
            return 0;
        }
        for (size_t k = 0; k < h->n_states; k++) {
            if (h->states[k] == sur_id) {
                *out = h->upr;
                rt_buf_release(&which); /* it may name an earlier session already */
                return 0;
            }
        }
        rt_buf_addf(&which, "%s%d", which.len ? " or " : "", h->upr);
    }
    rc = rt_error_set(err, RT_EINVAL, j->path, row->line, j->fmt->cols[COL_SUR],
                      "the report A/HRC/%d/… is of UPR session %s, and the state under review "
                      "is not among the states those sessions reviewed "
                      "(data/upr/hrc_sessions.tsv)",
                      j->row_hrc, which.buf);
    rt_buf_release(&which);
    return rc;
}

/*
 * The DIHR's "Document": "Source:A/HRC/30/3|127.1|" (or the symbol alone). The
 * report A/HRC/N/… of a UPR review was adopted at Human Rights Council session N;
 * data/upr/hrc_sessions.tsv gives the UPR session (N - 7 in cycle 1, N - 8 in cycle
 * 2; HRC 8 adopted UPR sessions 1 and 2), which session_of_hrc picks once the state
 * under review is known: j->row_hrc holds N. The paragraph kept is "A/HRC/30/3,
 * 127.1" (j->para holds it).
 */
static int report_symbol(struct job *j, const struct rt__csv_row *row, struct rt_rec_in *in,
                         struct rt_error *err)
{
    const char *col = j->fmt->cols[COL_PARAGRAPH];
    size_t n, sym_len, para_len = 0;
    const char *p = field(j, row, COL_PARAGRAPH, &n), *sym, *para = NULL, *bar;
    long hrc = 0;
    int rc, known = 0;

    if ((rc = text_field(j, row, COL_PARAGRAPH, p, n, err)) < 0)
        return rc;
    trim(&p, &n);
    if (n >= 7 && !memcmp(p, "Source:", 7))
        p += 7, n -= 7;
    trim(&p, &n);
    sym = p;
    bar = memchr(p, '|', n);
    sym_len = bar ? (size_t)(bar - p) : n;
    if (bar) {
        const char *end;
        para = bar + 1;
        end = memchr(para, '|', n - sym_len - 1);
        para_len = end ? (size_t)(end - para) : n - sym_len - 1;
        trim(&para, &para_len);
    }
    trim(&sym, &sym_len);
    if (sym_len > 6 && !memcmp(sym, "A/HRC/", 6)) {
        size_t k = 6;
        while (k < sym_len && sym[k] >= '0' && sym[k] <= '9' && hrc < 1000)
            hrc = hrc * 10 + (sym[k++] - '0');
        if (k == 6 || (k < sym_len && sym[k] != '/'))
            hrc = 0;
    }
    if (!j->n_hrc)
        load_hrc_sessions(j);
    for (size_t i = 0; i < j->n_hrc; i++)
        known |= j->hrc[i].hrc == hrc;
    if (!known)
        return rt_error_set(err, RT_EINVAL, j->path, row->line, col,
                            "'%.*s' is not the symbol of a UPR report of cycles 1 or 2 "
                            "(A/HRC/8/… to A/HRC/34/…), so it gives no session",
                            (int)(n > 60 ? 60 : n), p);
    j->row_hrc = (int)hrc;
    in->session = 0; /* session_of_hrc, once the state is known */
    rt_buf_reset(&j->para);
    rt_buf_add(&j->para, sym, sym_len);
    if (para_len) {
        rt_buf_adds(&j->para, ", ");
        rt_buf_add(&j->para, para, para_len);
    }
    in->paragraph = j->para.buf;
    return 0;
}

/* The state an ODIHR file without a state column is about (--state), found once. */
static int header_state(struct job *j, struct rt_error *err)
{
    int rc;

    if (!j->fmt->election || (!j->state && j->col[COL_SUR] >= 0))
        return 0;
    if (!j->state)
        return rt_error_set(err, RT_EINVAL, j->path, 1, "state",
                            "an ODIHR file without a 'state' column needs the state whose "
                            "elections it is about (import --state CODE)");
    rc = rt_store_state_find(j->st, j->state, strlen(j->state), &j->state_id, err);
    if (rc == RT_ENOTFOUND)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "state", "no state called '%s'", j->state);
    return rc;
}

/*
 * An ODIHR row's election into *e and in->paragraph ("ODIHR, parliamentary elections
 * of 2016-09-11", kept in j->para: the twin key of an ODIHR recommendation), its
 * date checked; a priority where the "priority" column says yes, or the statement
 * type is a key or priority recommendation.
 */
static int election_row(struct job *j, const struct rt__csv_row *row, struct rt_rec_in *in,
                        struct rt_election_in *e, struct rt_error *err)
{
    static const enum col dates[] = {COL_ELECTION_DATE, COL_REPORT_DATE};
    const char *p;
    size_t n;
    int rc;

    for (enum col c = COL_ELECTION; c <= COL_PRIORITY; c++) {
        p = field(j, row, c, &n);
        if ((rc = text_field(j, row, c, p, n, err)) < 0)
            return rc;
    }
    p = field(j, row, COL_ELECTION, &n);
    trim(&p, &n);
    if (!n)
        return rt_error_set(err, RT_EINVAL, j->path, row->line, j->fmt->cols[COL_ELECTION],
                            "the election is missing");
    for (size_t k = 0; k < RT_ARRAY_SIZE(dates); k++) {
        size_t dn;
        const char *d = field(j, row, dates[k], &dn);
        if ((!*d && dates[k] == COL_REPORT_DATE) || rt_date_check(d, NULL) == 0)
            continue;
        return rt__need_date_at(d, j->path, row->line, j->fmt->cols[dates[k]], err);
    }
    e->election = row->fields[j->col[COL_ELECTION]];
    e->election_date = row->fields[j->col[COL_ELECTION_DATE]];
    e->report_date = j->col[COL_REPORT_DATE] >= 0 ? row->fields[j->col[COL_REPORT_DATE]] : NULL;
    p = field(j, row, COL_PRIORITY, &n);
    trim(&p, &n);
    if (n) {
        char buf[8];
        snprintf(buf, sizeof(buf), "%.*s", (int)(n < 7 ? n : 7), p);
        if (!strcasecmp(buf, "yes") || !strcasecmp(buf, "true") || !strcmp(buf, "1"))
            e->priority = 1;
        else if (strcasecmp(buf, "no") && strcasecmp(buf, "false") && strcmp(buf, "0"))
            return rt_error_set(err, RT_EINVAL, j->path, row->line, j->fmt->cols[COL_PRIORITY],
                                "'%s' is not yes or no", buf);
    } else {
        p = field(j, row, COL_STATEMENT, &n);
        for (size_t k = 0; k + 3 <= n && !e->priority; k++)
            e->priority =
                !strncasecmp(p + k, "key", 3) || (k + 8 <= n && !strncasecmp(p + k, "priority", 8));
    }
    rt_buf_reset(&j->para);
    rt_buf_addf(&j->para, "ODIHR, %s of %s", e->election, e->election_date);
    in->paragraph = j->para.buf;
    in->mechanism = "odihr";
    in->election = e;
    return 0;
}

static int import_row(void *ctx, const struct rt__csv_row *row, struct rt_error *err)
{
    struct job *j = ctx;
    const struct format_spec *fs;
    struct rt_rec_in in = {0};
    struct rt_election_in election = {0};
    const char *p, *text;
    size_t n, text_len;
    int64_t rec_id = 0;
    unsigned flags;
    int rc, known = 1, cycle;

    if (!j->fmt) {
        struct rt_source src = {NULL, NULL, j->path, NULL};
        int is_new = 0;
        if ((rc = detect(j, row, err)) < 0 || (rc = header_state(j, err)) < 0)
            return rc;
        /* Here, not before the parse: the reader thread reads on meanwhile. */
        file_digest(j->raw, j->raw_len, j->sha256);
        src.sha256 = j->sha256;
        src.kind = j->fmt->kind;
        if ((rc = rt_store_source_put(j->st, &src, &j->source_id, &is_new, err)) < 0)
            return rc;
        j->stats->source_new = is_new;
        return 0;
    }
    fs = j->fmt;
    if (row->n != j->n_cols)
        return rt_error_set(err, RT_EINVAL, j->path, row->line, NULL,
                            "expected %zu fields as in the header, found %zu", j->n_cols, row->n);
    j->stats->rows++;

    /* The text, cleaned, with a UHRI sponsor list taken off. */
    p = field(j, row, COL_TEXT, &n);
    rt_buf_reset(&j->text);
    if ((rc = rt_text_clean(p, n, &j->text)) < 0)
        return rt_error_set(err, rc, j->path, row->line, fs->cols[COL_TEXT],
                            "invalid UTF-8 in the text");
    if ((rc = text_field(j, row, COL_TEXT, j->text.buf, j->text.len, err)) < 0)
        return rc;
    text = j->text.buf;
    text_len = j->text.len;
    if (fs->strip_sponsors)
        text_len = strip_sponsors(j, text, text_len);
    while (text_len && text[text_len - 1] == ';')
        text_len--;
    if (!text_len)
        return rt_error_set(err, RT_EINVAL, j->path, row->line, fs->cols[COL_TEXT],
                            "the recommendation has no text");
    j->text.buf[text_len] = '\0';
    j->text.len = text_len;
    in.text = text;
    in.text_len = text_len;

    /* Numbers and the response. */
    if ((rc = int_field(j, row, COL_SESSION, 1, 999, &in.session, err)) < 0 ||
        (rc = int_field(j, row, COL_CYCLE, 1, 99, &cycle, err)) < 0 ||
        (rc = int_field(j, row, COL_CATEGORY, 1, 5, &in.action_category, err)) < 0)
        return rc;
    if ((fs->required & REQ(COL_SESSION)) && !in.session)
        return rt_error_set(err, RT_EINVAL, j->path, row->line, fs->cols[COL_SESSION],
                            "the session is missing");
    p = field(j, row, COL_RESPONSE, &n);
    trim(&p, &n);
    if (n) {
        char buf[64];
        snprintf(buf, sizeof(buf), "%.*s", (int)(n < 63 ? n : 63), p);
        if (rt_response_parse(buf, &in.response) < 0)
            return rt_error_set(err, RT_EINVAL, j->path, row->line, fs->cols[COL_RESPONSE],
                                "unknown response '%s' (expected Supported, Accepted, Noted, "
                                "Voluntary Pledge or Pending)",
                                buf);
    }
    if (fs->report_symbol) {
        if ((rc = report_symbol(j, row, &in, err)) < 0)
            return rc;
    } else if (fs->election) {
        if ((rc = election_row(j, row, &in, &election, err)) < 0)
            return rc;
    } else if (j->col[COL_PARAGRAPH] >= 0) {
        p = field(j, row, COL_PARAGRAPH, &n);
        if ((rc = text_field(j, row, COL_PARAGRAPH, p, n, err)) < 0)
            return rc;
        trim(&p, &n);
        if (n)
            in.paragraph = row->fields[j->col[COL_PARAGRAPH]];
    }

    /* The state under review. */
    p = field(j, row, COL_SUR, &n);
    if ((rc = text_field(j, row, COL_SUR, p, n, err)) < 0)
        return rc;
    trim(&p, &n);
    if (!n && j->state_id) {
        in.sur_id = j->state_id;
        rc = 0;
    } else if (!n) {
        return rt_error_set(err, RT_EINVAL, j->path, row->line, fs->cols[COL_SUR],
                            "the state under review is missing");
    } else {
        rc = rt_store_state_find(j->st, p, n, &in.sur_id, err);
    }
    if (rc == RT_ENOTFOUND) {
        note_unknown(j, p, n, COL_SUR, row->line);
        known = 0;
    } else if (rc < 0) {
        return rc;
    }
    if (known && fs->report_symbol &&
        (rc = session_of_hrc(j, row, in.sur_id, &in.session, err)) < 0)
        return rc;
    in.cycle = cycle ? cycle : rt_upr_cycle_of_session(in.session);

    /* The recommendation itself, unless some name is unknown (then only names are checked). */
    if (known && j->n_unknown == 0) {
        if (!in.mechanism)
            in.mechanism = "upr";
        in.source_id = j->source_id;
        if ((rc = rt_store_rec_put(j->st, &in, &rec_id, &flags, err)) < 0)
            return rc;
        if (flags & RT_PUT_NEW)
            j->stats->recs_new++;
        else
            j->stats->recs_existing++;
    }

    /* Recommending states: one, or a list. */
    p = field(j, row, COL_BY, &n);
    if ((rc = text_field(j, row, COL_BY, p, n, err)) < 0)
        return rc;
    for (size_t i = 0; i <= n;) {
        size_t k = i;
        const char *name;
        size_t len;
        int64_t by_id;

        while (k < n && (!fs->by_sep || p[k] != fs->by_sep))
            k++;
        name = p + i;
        len = k - i;
        i = k + 1;
        trim(&name, &len);
        if (!len)
            continue;
        if (is_unknown_marker(j, name, len)) {
            j->stats->unknown_by++;
            continue;
        }
        rc = rt_store_state_find(j->st, name, len, &by_id, err);
        if (rc == RT_ENOTFOUND) {
            /* UHRI lists sometimes carry "(ICRMW)" or "(No. 29)" from the text itself. */
            if (fs->strip_sponsors && in_text_parens(text, name, len))
                continue;
            note_unknown(j, name, len, COL_BY, row->line);
            continue;
        }
        if (rc < 0)
            return rc;
        /* Queued: the numbers of new links come with rt_store_rec_links_flush. */
        if (rec_id && j->n_unknown == 0 &&
            (rc = rt_store_rec_queue_by(j->st, rec_id, by_id, err)) < 0)
            return rc;
    }

    /* An ODIHR recommendation is about elections (data/themes/taxonomy.tsv). */
    if (fs->election && rec_id && !j->n_unknown &&
        (rc = rt_store_rec_queue_theme(j->st, rec_id, fs->vocabulary, "Elections", "official", 1.0,
                                       err)) < 0)
        return rc;

    /* Themes, as the source labelled them (its goals too, in the DIHR's export). */
    for (enum col tc = COL_THEMES; tc <= COL_GOALS; tc += COL_GOALS - COL_THEMES) {
        if (!rec_id || j->n_unknown || j->col[tc] < 0)
            continue;
        p = field(j, row, tc, &n);
        if ((rc = text_field(j, row, tc, p, n, err)) < 0)
            return rc;
        for (size_t i = 0; i <= n;) {
            size_t k = i;
            const char *label;
            size_t len;
            char *copy;

            while (k < n && (p[k] != fs->theme_sep ||
                             (fs->report_symbol && !before_number(p + k + 1, n - k - 1))))
                k++;
            label = p + i;
            len = k - i;
            i = k + 1;
            trim(&label, &len);
            if (!len || (fs->report_symbol && len == 22 && !memcmp(label, NO_SDG, 22)))
                continue;
            copy = rt_xstrndup(label, len);
            rc =
                rt_store_rec_queue_theme(j->st, rec_id, fs->vocabulary, copy, "official", 1.0, err);
            rt_free(copy);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

/* A file's bytes, mapped read-only. */
struct file_map {
    const char *buf;
    size_t len;
    void *map; /* NULL for an empty file */
};

/*
 * Maps the file at path. A mapping (populated at once) spares the copy that read(2)
 * makes and the page faults of a fresh buffer to copy into, which together cost a
 * twentieth of an import of the UPR Info file.
 */
static int map_file(const char *path, struct file_map *out, struct rt_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
    struct stat sb;

    out->buf = "";
    out->len = 0;
    out->map = NULL;
    if (fd < 0)
        return rt_error_errno(err, path, "cannot open");
    if (fstat(fd, &sb) < 0) {
        rc = rt_error_errno(err, path, "cannot stat");
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = rt_error_set(err, RT_EIO, path, 0, NULL, "not a regular file");
        goto out;
    }
    if ((size_t)sb.st_size > MAX_FILE_SIZE) {
        rc = rt_error_set(err, RT_ETOOBIG, path, 0, NULL, "file is larger than %zu bytes",
                          MAX_FILE_SIZE);
        goto out;
    }
    if (sb.st_size == 0)
        goto out;
    out->map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (out->map == MAP_FAILED) {
        out->map = NULL;
        rc = rt_error_errno(err, path, "cannot read");
        goto out;
    }
    out->buf = out->map;
    out->len = (size_t)sb.st_size;
out:
    close(fd);
    return rc;
}

static void unmap_file(struct file_map *m)
{
    if (m->map)
        munmap(m->map, m->len);
    m->map = NULL;
}

/* The line (from 1) of byte offset off in data. */
static long line_of(const char *data, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        if (data[i] == '\n' || (data[i] == '\r' && data[i + 1] != '\n'))
            line++;
    return line;
}

static size_t first_invalid_utf8(const char *s, size_t len)
{
    size_t lo = 0;
    /* Narrow down line by line: valid prefixes are cheap to check. */
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '\n') {
            if (!rt_text_valid_utf8(s + lo, i - lo))
                return lo;
            lo = i + 1;
        }
    }
    return len;
}

/* A rightstrack JSON export: parsed strictly, then restored by the store. */
static int import_export(struct rt_store *st, const char *path, const char *data, size_t len,
                         struct rt_import_stats *stats, struct rt_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    int rc;

    if (!doc)
        return rt_error_set(err, RT_EINVAL, path, jerr.line, NULL, "bad JSON at column %d: %s",
                            jerr.column, jerr.text);
    stats->format = RT_FORMAT_EXPORT;
    rc = rt_store_import_export(st, path, doc, err);
    if (rc == 0) {
        json_t *tables = json_object_get(doc, "tables"), *rows;
        const char *name;
        char sha256[65];
        json_object_foreach(tables, name, rows) stats->rows += (int64_t)json_array_size(rows);
        stats->recs_new = (int64_t)json_array_size(json_object_get(tables, "recommendation"));
        stats->source_new = 1;
        file_digest(data, len, sha256);
        rc = audit_import(st, path, "rightstrack export", sha256, 0, stats, err);
    }
    json_decref(doc);
    return rc;
}

/* Imports the file at file; path is the name it is recorded and reported by. */
static int import_one(struct rt_store *st, const char *file, const char *path,
                      const struct rt_import_opts *opts, struct rt_import_stats *stats,
                      rt_progress_fn progress, void *pctx, uint64_t base, uint64_t total,
                      struct rt_error *err)
{
    struct file_map raw;
    struct rt_buf conv = RT_BUF_INIT;
    struct job j = {.st = st,
                    .path = path,
                    .stats = stats,
                    .text = RT_BUF_INIT,
                    .key = RT_BUF_INIT,
                    .para = RT_BUF_INIT,
                    .state = opts ? opts->state : NULL};
    const char *data;
    size_t len, lead = 0;
    int rc;

    if ((rc = map_file(file, &raw, err)) < 0)
        goto out;
    data = raw.buf;
    len = raw.len;
    j.raw = raw.buf;
    j.raw_len = raw.len;
    /* A zip file: an Excel workbook (XLSX), its first sheet read as CSV rows. */
    if (len >= 4 && !memcmp(data, "PK\x03\x04", 4)) {
        char *sheet = NULL;
        rc = rt__xlsx_parse(path, data, len, import_row, &j, progress, pctx, base, total, &sheet,
                            err);
        rt_free(sheet);
        goto finish;
    }
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        data += 3, len -= 3;
    while (lead < len && strchr(" \t\r\n", data[lead]))
        lead++;
    if (lead == len) {
        rc = rt_error_set(err, RT_EINVAL, path, 0, NULL, "the file is empty");
        goto out;
    }
    if (data[lead] == '{') {
        if (opts && (opts->flags & RT_IMPORT_PRIVATE))
            rc = rt_error_set(err, RT_EINVAL, path, 0, "private",
                              "an export keeps the private marks it was made with; import it "
                              "without --private");
        else
            rc = import_export(st, path, raw.buf, raw.len, stats, err);
        goto out;
    }

    /* Only the UPR Info export comes in MacRoman; everything else must be UTF-8. */
    if (!rt_text_valid_utf8(data, len)) {
        size_t off = first_invalid_utf8(data, len);
        if (len >= 10 && !memcmp(data, "To,To-Rgrp", 10)) {
            if ((rc = rt__macroman_to_utf8(path, data, len, &conv, err)) < 0)
                goto out;
            data = conv.buf;
            len = conv.len;
        } else {
            rc = rt_error_set(err, RT_EINVAL, path, line_of(data, off), NULL,
                              "invalid UTF-8 (the file must be saved as UTF-8)");
            goto out;
        }
    }

    rc = rt__csv_parse(path, data, len, import_row, &j, progress, pctx, base, total, err);
finish:
    if (rc == 0)
        rc = rt_store_rec_links_flush(st, &stats->by_new, &stats->themes_new, err);
    if (rc == 0 && !j.fmt)
        rc = rt_error_set(err, RT_EINVAL, path, 1, NULL, "the file has no header line");
    if (rc == 0 && stats->rows == 0)
        rc = rt_error_set(err, RT_EINVAL, path, 1, NULL,
                          "the file has a header but no recommendations");
    if (rc == 0 && !j.n_unknown)
        rc = audit_import(st, path, j.fmt->kind, j.sha256, j.source_id, stats, err);
    stats->source_id = j.source_id;
    if (rc == 0 && !j.n_unknown && opts && (opts->flags & RT_IMPORT_PRIVATE) && j.source_id) {
        char ref[40];
        snprintf(ref, sizeof(ref), "source:%lld", (long long)j.source_id);
        if ((rc = rt_private_set(st, ref, 1, err)) == 0)
            stats->marked_private = 1;
    }
    if (rc == 0 && j.n_unknown) {
        struct rt_buf msg = RT_BUF_INIT;
        rt_buf_addf(&msg, "%zu name%s match%s no state:", j.n_unknown, j.n_unknown == 1 ? "" : "s",
                    j.n_unknown == 1 ? "es" : "");
        for (size_t i = 0; i < j.n_unknown; i++)
            rt_buf_addf(&msg, "\n  %s:%ld: field '%s': unknown state '%s'", path, j.unknown[i].line,
                        j.unknown[i].field, j.unknown[i].name);
        rt_buf_adds(&msg, "\n(add the name to data/states/variants.tsv if it is a state)");
        rc = rt_error_set(err, RT_EINVAL, path, j.unknown[0].line, j.unknown[0].field, "%s",
                          msg.buf);
        rt_buf_release(&msg);
    }
out:
    for (size_t i = 0; i < j.n_unknown; i++) {
        rt_free(j.unknown[i].name);
        rt_free(j.unknown[i].field);
    }
    rt_free(j.unknown);
    for (size_t i = 0; i < j.n_hrc; i++)
        rt_free(j.hrc[i].states);
    rt_free(j.hrc);
    rt_buf_release(&j.text);
    rt_buf_release(&j.key);
    rt_buf_release(&j.para);
    rt_buf_release(&conv);
    unmap_file(&raw);
    return rc;
}

int rt_import_files(struct rt_store *st, const char *const *paths, size_t n,
                    struct rt_import_stats *stats, rt_progress_fn progress, void *pctx,
                    struct rt_error *err)
{
    return rt_import_files_opts(st, paths, n, NULL, stats, progress, pctx, err);
}

int rt_import_files_opts(struct rt_store *st, const char *const *paths, size_t n,
                         const struct rt_import_opts *opts, struct rt_import_stats *stats,
                         rt_progress_fn progress, void *pctx, struct rt_error *err)
{
    struct rt_import_stats scratch;
    uint64_t total = 0, base = 0;
    int rc;

    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) == 0)
            total += (uint64_t)sb.st_size;
    }
    if ((rc = rt_store_begin_load(st, err)) < 0)
        return rc;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        struct rt_import_stats *s = stats ? &stats[i] : &scratch;
        if (!stats)
            memset(&scratch, 0, sizeof(scratch));
        const char *name = i == 0 && opts && opts->name ? opts->name : paths[i];
        if ((rc = import_one(st, paths[i], name, opts, s, progress, pctx, base, total, err)) < 0) {
            rt_store_rollback(st);
            return rc;
        }
        if (stat(paths[i], &sb) == 0)
            base += (uint64_t)sb.st_size;
    }
    return rt_store_commit(st, err);
}
