/*
 * Imports of persons' events (person.h): our register's CSV, one row per event, and
 * files of release events with named persons such as ../shared/data/belarus/
 * political_prisoner_releases.csv; and the published counts of political prisoners
 * set beside the register's own (rt_person_counts_compare).
 */
#include "base/compat.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <rightstrack/ledger.h>
#include <rightstrack/person.h>

#include "base/alloc.h"
#include "ingest/ingest_int.h"
#include "model/rules.h"

#define PERSON_CSV_MAX (16u << 20)

/* The rows of a CSV file, the header first. */
struct rows {
    struct rt__csv_row *v;
    size_t n, alloc;
};

static int keep_row(void *ctx, const struct rt__csv_row *row, struct rt_error *err)
{
    struct rows *r = ctx;
    struct rt__csv_row *c;

    (void)err;
    RT_ALLOC_GROW(r->v, r->n + 1, r->alloc);
    c = &r->v[r->n++];
    c->n = row->n;
    c->line = row->line;
    RT_ALLOC_ARRAY(c->fields, row->n ? row->n : 1);
    c->lens = NULL;
    for (size_t i = 0; i < row->n; i++)
        c->fields[i] = rt_xstrndup(row->fields[i], row->lens[i]);
    return 0;
}

static void rows_free(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++) {
        for (size_t k = 0; k < r->v[i].n; k++)
            rt_free(r->v[i].fields[k]);
        rt_free(r->v[i].fields);
    }
    rt_free(r->v);
}

/* The bytes of the file path into b, which it sets up (rt_buf_release it either way):
 * RT_EIO, or RT_ETOOBIG past PERSON_CSV_MAX. */
static int read_file(const char *path, struct rt_buf *b, struct rt_error *err)
{
    char chunk[8192];
    size_t n;
    FILE *fp;
    int rc = 0;

    rt_buf_init(b, PERSON_CSV_MAX);
    if (!(fp = fopen(path, "rb")))
        return rt_error_errno(err, path, "cannot open");
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        if (rt_buf_add(b, chunk, n) < 0) {
            rc = rt_error_set(err, RT_ETOOBIG, path, 0, NULL, "the file is over %u bytes",
                              PERSON_CSV_MAX);
            break;
        }
    if (rc == 0 && ferror(fp))
        rc = rt_error_errno(err, path, "cannot read");
    fclose(fp);
    return rc;
}

static int read_csv(const char *path, struct rows *r, struct rt_error *err)
{
    struct rt_buf b = RT_BUF_INIT;
    int rc = read_file(path, &b, err);

    if (rc == 0)
        rc = rt__csv_parse(path, b.buf, b.len, keep_row, r, NULL, NULL, 0, 0, err);
    rt_buf_release(&b);
    if (rc == 0 && !r->n)
        rc = rt_error_set(err, RT_EFORMAT, path, 1, NULL, "the file is empty");
    return rc;
}

/* The index of column name in the header, or -1. */
static int column(const struct rt__csv_row *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (!strcmp(h->fields[i], name))
            return (int)i;
    return -1;
}

static const char *field(const struct rt__csv_row *row, int col)
{
    return col >= 0 && (size_t)col < row->n && *row->fields[col] ? row->fields[col] : NULL;
}

struct import {
    struct rt_store *st;
    const char *path, *if_close;
    json_t *steps; /* rt_step_list, for the steps of a release day */
    int64_t rows, persons_new, names_added, events, linked;
    json_t *close;
    char state[16]; /* the persons' state, or "" */
};

/* The person a name in line line is: known by its key, close (as if_close says), or new. */
static int person_of(struct import *im, const char *name, const char *source, long line,
                     int64_t *out, struct rt_error *err)
{
    json_t *m = NULL, *best;
    int rc;

    if ((rc = rt_person_match(im->st, name, &m, err)) < 0)
        goto out;
    best = json_array_get(m, 0);
    if (best && (json_is_true(json_object_get(best, "same")) ||
                 (im->if_close && !strcmp(im->if_close, "same")))) {
        json_t *names = NULL;
        size_t before, after;
        *out = json_integer_value(json_object_get(best, "id"));
        if ((rc = rt_person_get(im->st, *out, NULL, &names, err)) < 0)
            goto out;
        before = json_array_size(json_object_get(names, "names"));
        if (im->state[0] && json_is_null(json_object_get(names, "state"))) {
            json_t *set = json_pack("{s:s}", "state", im->state);
            rc = rt_record_update(im->st, "person", *out, set, err);
            json_decref(set);
        }
        json_decref(names);
        if (rc < 0)
            goto out;
        if ((rc = rt_person_name_add(im->st, *out, name, source, err)) < 0 ||
            (rc = rt_person_get(im->st, *out, NULL, &names, err)) < 0)
            goto out;
        after = json_array_size(json_object_get(names, "names"));
        json_decref(names);
        im->names_added += after > before;
        if (!json_is_true(json_object_get(best, "same")))
            json_array_append_new(im->close,
                                  json_pack("{s:I, s:s, s:O, s:O}", "line", (json_int_t)line,
                                            "name", name, "person", json_object_get(best, "id"),
                                            "score", json_object_get(best, "score")));
        goto out;
    }
    if (best && (!im->if_close || strcmp(im->if_close, "new"))) {
        rc = rt_error_set(err, RT_EEXIST, im->path, line, "name",
                          "'%s' is close to person %lld '%s' (%.2f): import with --if-close "
                          "same to take it as that person, or new to make a new one",
                          name, (long long)json_integer_value(json_object_get(best, "id")),
                          json_string_value(json_object_get(best, "name")),
                          json_real_value(json_object_get(best, "score")));
        goto out;
    }
    {
        struct rt_person_in p = {
            name, NULL, 0, NULL, NULL, source, "new", im->state[0] ? im->state : NULL, 0};
        if ((rc = rt_person_add(im->st, &p, out, err)) < 0)
            goto out;
        im->persons_new++;
    }
out:
    json_decref(m);
    if (rc < 0 && err && !err->file)
        err->file = rt_xstrdup(im->path);
    if (rc < 0 && err && !err->line)
        err->line = line;
    return rc;
}

/* Has person id an event of this kind on this date already? */
static int has_event(struct import *im, int64_t id, const char *event, const char *date, int *has,
                     struct rt_error *err)
{
    json_t *p = NULL, *e;
    size_t i;
    int rc;

    *has = 0;
    if ((rc = rt_person_get(im->st, id, NULL, &p, err)) < 0)
        return rc;
    json_array_foreach(json_object_get(p, "events"), i, e)
    {
        *has |= !strcmp(json_string_value(json_object_get(e, "event")), event) &&
                !strcmp(json_string_value(json_object_get(e, "date")), date);
    }
    json_decref(p);
    return 0;
}

/* The one step of a release kind dated date, or 0. */
static int64_t release_step(struct import *im, const char *date)
{
    int64_t found = 0;
    size_t i, n = 0;
    json_t *s;

    json_array_foreach(im->steps, i, s)
    {
        const char *kind = json_string_value(json_object_get(s, "kind"));
        const char *d = json_string_value(json_object_get(s, "date"));
        if (!d || strcmp(d, date) || !kind ||
            (strcmp(kind, "prisoner-release") && strcmp(kind, "pardon") && strcmp(kind, "amnesty")))
            continue;
        found = json_integer_value(json_object_get(s, "id"));
        n++;
    }
    return n == 1 ? found : 0;
}

/* How a release came, from a mechanism as the releases file words it; NULL when it
 * names several ("pardon (12)|amnesty (3)") or none we know. */
static const char *how_of(const char *mechanism)
{
    if (!mechanism || strchr(mechanism, '|'))
        return NULL;
    if (strstr(mechanism, "pardon"))
        return "pardon";
    if (strstr(mechanism, "amnesty"))
        return "amnesty";
    if (strstr(mechanism, "served"))
        return "served";
    if (strstr(mechanism, "expel") || strstr(mechanism, "deport"))
        return "expelled";
    if (strstr(mechanism, "exchange"))
        return "exchanged";
    return NULL;
}

/* Adds an event unless the person has it; links a release to the day's step. */
static int add_event(struct import *im, struct rt_case_in *c, long line, struct rt_error *err)
{
    int has = 0, rc;
    int64_t id;

    if ((rc = has_event(im, c->person_id, c->event, c->date, &has, err)) < 0 || has)
        return rc;
    if (!c->step_id && !strcmp(c->event, "released"))
        c->step_id = release_step(im, c->date);
    rc = rt_case_add(im->st, c, &id, err);
    if (rc == RT_EINVAL && c->step_id && err && err->field && !strcmp(err->field, "step")) {
        /* the step's quantity has no room: the event goes in unlinked */
        c->step_id = 0;
        rc = rt_case_add(im->st, c, &id, err);
    }
    if (rc < 0) {
        if (err && !err->file)
            err->file = rt_xstrdup(im->path);
        if (err && !err->line)
            err->line = line;
        return rc;
    }
    im->events++;
    im->linked += c->step_id != 0;
    return 0;
}

static int import_releases(struct import *im, const struct rows *r, struct rt_error *err)
{
    const struct rt__csv_row *h = &r->v[0];
    int cd = column(h, "date"), cm = column(h, "mechanism"), cn = column(h, "named_persons"),
        cs = column(h, "source_url");
    int rc = 0;

    if (cd < 0)
        return rt_error_set(err, RT_EFORMAT, im->path, 1, "date", "the file has no date column");
    for (size_t i = 1; i < r->n && rc == 0; i++) {
        const struct rt__csv_row *row = &r->v[i];
        const char *date = field(row, cd), *names = field(row, cn), *mech = field(row, cm);
        char *copy, *p;
        im->rows++;
        if (!names)
            continue;
        if ((rc = rt__need_date_at(date, im->path, row->line, "date", err)) < 0)
            return rc;
        copy = rt_xstrdup(names);
        for (p = copy; p && rc == 0;) {
            char *bar = strchr(p, '|');
            struct rt_case_in c = {0, "released", date, how_of(mech), NULL, field(row, cs), 0};
            if (bar)
                *bar = '\0';
            while (*p == ' ')
                p++;
            if (*p) {
                c.detail = how_of(mech) ? NULL : mech;
                if ((rc = person_of(im, p, field(row, cs), row->line, &c.person_id, err)) == 0)
                    rc = add_event(im, &c, row->line, err);
            }
            p = bar ? bar + 1 : NULL;
        }
        rt_free(copy);
    }
    return rc;
}

static int import_register(struct import *im, const struct rows *r, struct rt_error *err)
{
    const struct rt__csv_row *h = &r->v[0];
    int cp = column(h, "person"), cd = column(h, "date"), ce = column(h, "event"),
        ch = column(h, "how"), ct = column(h, "detail"), cs = column(h, "source"),
        cx = column(h, "step");
    int rc = 0;

    if (cd < 0 || ce < 0)
        return rt_error_set(err, RT_EFORMAT, im->path, 1, NULL,
                            "a register has the columns person, date and event");
    for (size_t i = 1; i < r->n && rc == 0; i++) {
        const struct rt__csv_row *row = &r->v[i];
        struct rt_case_in c = {
            0, field(row, ce), field(row, cd), field(row, ch), field(row, ct), field(row, cs), 0};
        const char *name = field(row, cp), *step = field(row, cx);
        im->rows++;
        if (!name)
            return rt_error_set(err, RT_EINVAL, im->path, row->line, "person",
                                "the row names no person");
        if (step) {
            char *end;
            errno = 0;
            c.step_id = strtoll(step, &end, 10);
            if (errno || *end || c.step_id <= 0)
                return rt_error_set(err, RT_EINVAL, im->path, row->line, "step",
                                    "'%s' is not a step id", step);
        }
        if ((rc = person_of(im, name, c.source, row->line, &c.person_id, err)) == 0)
            rc = add_event(im, &c, row->line, err);
        if (rc < 0 && err && !err->line)
            err->line = row->line;
        if (rc < 0 && err && !err->file)
            err->file = rt_xstrdup(im->path);
    }
    return rc;
}

int rt_person_import(struct rt_store *st, const char *path, const char *if_close, const char *state,
                     json_t **out, struct rt_error *err)
{
    struct import im = {st, path, if_close, NULL, 0, 0, 0, 0, 0, json_array(), ""};
    struct rows r = {NULL, 0, 0};
    int rc;

    *out = NULL;
    if (if_close && strcmp(if_close, "same") && strcmp(if_close, "new") &&
        strcmp(if_close, "refuse")) {
        json_decref(im.close);
        return rt_error_set(err, RT_EINVAL, NULL, 0, "if_close",
                            "if_close is same, new or refuse, not '%s'", if_close);
    }
    if (state && *state && (rc = rt_party_resolve(st, state, im.state, err)) < 0)
        goto out;
    if ((rc = read_csv(path, &r, err)) < 0 || (rc = rt_step_list(st, 0, NULL, &im.steps, err)) < 0)
        goto out;
    if (column(&r.v[0], "named_persons") >= 0)
        rc = import_releases(&im, &r, err);
    else if (column(&r.v[0], "person") >= 0)
        rc = import_register(&im, &r, err);
    else
        rc = rt_error_set(err, RT_EFORMAT, path, 1, NULL,
                          "neither a register (person, date, event) nor a file of releases "
                          "(date, named_persons)");
    if (rc == 0)
        *out = json_pack("{s:I, s:I, s:I, s:I, s:I, s:O}", "rows", (json_int_t)im.rows,
                         "persons_new", (json_int_t)im.persons_new, "names_added",
                         (json_int_t)im.names_added, "events", (json_int_t)im.events, "linked",
                         (json_int_t)im.linked, "close", im.close);
out:
    rows_free(&r);
    json_decref(im.steps);
    json_decref(im.close);
    return rc;
}

/*
 * Splits one line of a CSV file as Python's csv module reads it: a field that begins
 * with a quote runs to the closing quote ("" inside is one quote); in any other field
 * a quote is a letter (the counts file writes 'the "Process of Fourteen"' unquoted).
 * Fields are appended to row (rt_free each).
 */
static void lenient_split(const char *p, const char *end, struct rt__csv_row *row)
{
    size_t alloc = 0;

    row->n = 0;
    row->fields = NULL;
    for (;;) {
        struct rt_buf f = RT_BUF_INIT;
        if (p < end && *p == '"') {
            for (p++; p < end; p++) {
                if (*p == '"' && p + 1 < end && p[1] == '"')
                    rt_buf_addch(&f, *p++);
                else if (*p == '"')
                    break;
                else
                    rt_buf_addch(&f, *p);
            }
            while (p < end && *p != ',')
                p++;
        } else {
            while (p < end && *p != ',')
                rt_buf_addch(&f, *p++);
        }
        RT_ALLOC_GROW(row->fields, row->n + 1, alloc);
        row->fields[row->n++] = rt_buf_detach(&f, NULL);
        if (p >= end)
            break;
        p++; /* the comma */
    }
}

/* The lines of path, each split by lenient_split, into r. */
static int read_lenient(const char *path, struct rows *r, struct rt_error *err)
{
    struct rt_buf b = RT_BUF_INIT;
    long line = 0;
    int rc = read_file(path, &b, err);

    for (const char *p = b.buf, *end = b.buf + b.len; rc == 0 && p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end;
        line++;
        if (e > p && e[-1] == '\r')
            e--;
        if (e > p) {
            RT_ALLOC_GROW(r->v, r->n + 1, r->alloc);
            lenient_split(p, e, &r->v[r->n]);
            r->v[r->n].lens = NULL;
            r->v[r->n++].line = line;
        }
        p = nl ? nl + 1 : end;
    }
    rt_buf_release(&b);
    if (rc == 0 && !r->n)
        rc = rt_error_set(err, RT_EFORMAT, path, 1, NULL, "the file is empty");
    return rc;
}

int rt_person_counts_read(const char *path, json_t **out, struct rt_error *err)
{
    struct rows r = {NULL, 0, 0};
    json_t *list = json_array();
    int cd, cc, cm, cb, rc;

    *out = NULL;
    if ((rc = read_lenient(path, &r, err)) < 0)
        goto out;
    cd = column(&r.v[0], "date"), cc = column(&r.v[0], "count");
    cm = column(&r.v[0], "measure"), cb = column(&r.v[0], "counted_by");
    if (cd < 0 || cc < 0) {
        rc = rt_error_set(err, RT_EFORMAT, path, 1, NULL,
                          "a file of counts has the columns date and count");
        goto out;
    }
    for (size_t i = 1; i < r.n; i++) {
        const char *date = field(&r.v[i], cd), *count = field(&r.v[i], cc);
        char *end;
        long long n;
        if ((rc = rt__need_date_at(date, path, r.v[i].line, "date", err)) < 0)
            goto out;
        errno = 0;
        n = count ? strtoll(count, &end, 10) : -1;
        if (!count || errno || *end || n < 0) {
            rc = rt_error_set(err, RT_EINVAL, path, r.v[i].line, "count", "'%s' is not a count",
                              count ? count : "");
            goto out;
        }
        json_array_append_new(list, json_pack("{s:s, s:I, s:s?, s:s?}", "date", date, "published",
                                              (json_int_t)n, "measure", field(&r.v[i], cm),
                                              "counted_by", field(&r.v[i], cb)));
    }
out:
    rows_free(&r);
    if (rc < 0) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return 0;
}

int rt_person_counts_compare(struct rt_store *st, const char *path, json_t **out,
                             struct rt_error *err)
{
    json_t *list = NULL, *row;
    size_t i;
    int rc;

    *out = NULL;
    if ((rc = rt_person_counts_read(path, &list, err)) < 0)
        return rc;
    json_array_foreach(list, i, row)
    {
        json_t *mine = NULL;
        if ((rc = rt_person_count(st, json_string_value(json_object_get(row, "date")), &mine,
                                  err)) < 0) {
            json_decref(list);
            return rc;
        }
        json_object_set(row, "register", json_object_get(mine, "detained"));
        json_object_set(row, "inferred", json_object_get(mine, "inferred"));
        json_decref(mine);
    }
    *out = list;
    return 0;
}
