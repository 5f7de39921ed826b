/*
 * Persons and their cases (schema 14, person.h), written once for every back end over
 * src/store/sql.h: checked writes, the status of a person as of a date computed in C
 * from the events, and the reads as JSON built in C. The SQL only selects rows; what
 * compares text (the order of names, of dates, which events stand as of a date) is
 * done here, so that SQLite and PostgreSQL, whose collations differ, give the same
 * bytes. Writes run inside the caller's transaction.
 */
#include "base/compat.h"

#include <stdlib.h>
#include <strings.h>

#include <rightstrack/ledger.h>
#include <rightstrack/person.h>
#include <rightstrack/text.h>

#include "base/alloc.h"
#include "model/rules.h"
#include "store/sql.h"

/* New ids as SQLite gives them, on both stores (ledger_write.c says why). */
#define NEXT_ID(table) "(SELECT coalesce(max(id), 0) + 1 FROM " table ")"

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

/* Copies at most size - 1 bytes of s (NULL: "") into out, NUL-terminated. */
static void copy(char *out, size_t size, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n >= size)
        n = size - 1;
    memcpy(out, s ? s : "", n);
    out[n] = '\0';
}

/* A date as its first day, "YYYY-MM-DD", for comparing dates of any precision. */
static void first_day(const char *date, char out[11])
{
    size_t n = date ? strlen(date) : 0;

    copy(out, 11, date ? date : "9999-12-31");
    if (n == 4)
        memcpy(out + 4, "-01-01", 7);
    else if (n == 7)
        memcpy(out + 7, "-01", 4);
}

/* SQLite's NOCASE: the bytes compared with ASCII's capitals folded, nothing else. */
static int nocase_cmp(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)(a ? a : "");
    const unsigned char *y = (const unsigned char *)(b ? b : "");

    for (;; x++, y++) {
        int cx = *x >= 'A' && *x <= 'Z' ? *x + 32 : *x;
        int cy = *y >= 'A' && *y <= 'Z' ? *y + 32 : *y;
        if (cx != cy || !cx)
            return cx - cy;
    }
}

static char *dup_or_null(const char *s)
{
    return s ? rt_xstrdup(s) : NULL;
}

static int person_exists(struct rt_store *st, int64_t id, int64_t *merged, struct rt_error *err)
{
    int64_t m = 0;
    int rc = rt__sql_scalar(st, err, &m, NULL,
                            "SELECT coalesce(merged_into, 0) FROM person WHERE id = ?1", "i", id);

    if (rc == RT_ENOTFOUND)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "person", "no person with id %lld",
                            (long long)id);
    if (rc == 0 && merged)
        *merged = m;
    return rc;
}

/* The person kept for id, following merges. */
static int kept(struct rt_store *st, int64_t id, int64_t *out, struct rt_error *err)
{
    for (int hops = 0; hops < 64; hops++) {
        int64_t merged = 0;
        int rc = person_exists(st, id, &merged, err);
        if (rc < 0)
            return rc;
        if (!merged) {
            *out = id;
            return 0;
        }
        id = merged;
    }
    return rt_error_set(err, RT_ESTORE, NULL, 0, "person", "persons merged in a circle");
}

/* The events of a person's case, all of them, withdrawn or not. */
struct event {
    int64_t id, step; /* step 0: none */
    char day[11];     /* the date's first day */
    char *date, *event, *how, *detail, *source;
    char *withdrawn, *withdrawn_on;
};

struct events {
    struct event *v;
    size_t n, alloc;
};

static void events_release(struct events *e)
{
    for (size_t i = 0; i < e->n; i++) {
        struct event *x = &e->v[i];
        rt_free(x->date);
        rt_free(x->event);
        rt_free(x->how);
        rt_free(x->detail);
        rt_free(x->source);
        rt_free(x->withdrawn);
        rt_free(x->withdrawn_on);
    }
    rt_free(e->v);
    memset(e, 0, sizeof(*e));
}

static int event_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct events *e = ctx;
    struct event *x;

    (void)err;
    RT_ALLOC_GROW(e->v, e->n + 1, e->alloc);
    x = &e->v[e->n++];
    x->id = rt__sql_int(row, 0);
    x->date = dup_or_null(rt__sql_text(row, 1));
    x->event = dup_or_null(rt__sql_text(row, 2));
    x->how = dup_or_null(rt__sql_text(row, 3));
    x->detail = dup_or_null(rt__sql_text(row, 4));
    x->source = dup_or_null(rt__sql_text(row, 5));
    x->step = rt__sql_int(row, 6);
    x->withdrawn = dup_or_null(rt__sql_text(row, 7));
    x->withdrawn_on = dup_or_null(rt__sql_text(row, 8));
    first_day(x->date, x->day);
    return 0;
}

/* By the date's first day, then by id (the order the status reads them in). */
static int by_day(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    int c = strcmp(x->day, y->day);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* Person id's events into e (empty first), by day and id. */
static int events_of(struct rt_store *st, int64_t id, struct events *e, struct rt_error *err)
{
    int rc;

    memset(e, 0, sizeof(*e));
    if ((rc = rt__sql_rows(st, err, event_row, e,
                           "SELECT id, date, event, how, detail, source, step_id, withdrawn,"
                           " withdrawn_on FROM case_event WHERE person_id = ?1",
                           "i", id)) < 0) {
        events_release(e);
        return rc;
    }
    if (e->n > 1)
        qsort(e->v, e->n, sizeof(*e->v), by_day);
    return 0;
}

/*
 * Whether an event stands as of the first day limit (NULL: today): it was not
 * withdrawn, or withdrawn from a later date (schema 18).
 */
static int standing(const struct event *x, const char *limit)
{
    char on[11];

    if (!x->withdrawn)
        return 1;
    if (!limit || !x->withdrawn_on)
        return 0;
    first_day(x->withdrawn_on, on);
    return strcmp(limit, on) < 0;
}

/* The status of a person's events as of a date. */
struct status {
    const char *status; /* static */
    char how[32];
    char since[11];
    int inferred;
};

static const char *status_of_event(const char *event)
{
    if (!strcmp(event, "released"))
        return "released";
    if (!strcmp(event, "died"))
        return "died";
    return "detained";
}

/* The status from the events e as of the date as_of (NULL: today). */
static void status_at(const struct events *e, const char *as_of, struct status *out)
{
    char limit[11];
    const char *standing_at;
    int any = 0, first_release = 0;

    memset(out, 0, sizeof(*out));
    out->status = "unknown";
    first_day(as_of, limit);
    standing_at = as_of ? limit : NULL;
    for (size_t i = 0; i < e->n; i++) {
        const struct event *x = &e->v[i];
        if (!standing(x, standing_at))
            continue;
        if (!any++)
            first_release = !strcmp(x->event, "released");
        if (strcmp(x->day, limit) > 0)
            continue;
        out->status = status_of_event(x->event);
        copy(out->how, sizeof(out->how), x->how && !strcmp(x->event, "released") ? x->how : "");
        copy(out->since, sizeof(out->since), x->date);
        out->inferred = 0;
    }
    /* Nothing on record yet, but a release later: held until then. */
    if (!strcmp(out->status, "unknown") && first_release) {
        out->status = "detained";
        out->inferred = 1;
    }
}

static int person_status(struct rt_store *st, int64_t id, const char *as_of, struct status *out,
                         struct rt_error *err)
{
    struct events e;
    int rc;

    if ((rc = events_of(st, id, &e, err)) < 0)
        return rc;
    status_at(&e, as_of, out);
    events_release(&e);
    return 0;
}

static json_t *status_json(const struct status *x)
{
    return json_pack("{s:s, s:s?, s:s?, s:b}", "status", x->status, "how",
                     x->how[0] ? x->how : NULL, "since", x->since[0] ? x->since : NULL, "inferred",
                     x->inferred);
}

/* Adds "name" of person id and its key; a name it has is not an error. */
static int add_name(struct rt_store *st, int64_t id, const char *name, const char *key,
                    const char *source, struct rt_error *err)
{
    return rt__sql_exec(st, err, NULL,
                        "INSERT INTO person_name(person_id, name, key, source)"
                        " VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                        "itt"
                        "t",
                        id, name, key, source);
}

struct match {
    int64_t id;
    char *name;
    double score;
    int same;
};

static int by_score(const void *a, const void *b)
{
    const struct match *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id;
}

struct matching {
    const char *key;
    double min;
    struct match *v;
    size_t n, alloc;
};

static int match_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct matching *m = ctx;
    int64_t id = rt__sql_int(row, 0);
    const char *k = rt__sql_text(row, 2);
    double score = rt_person_key_similarity(m->key, k);
    int same = !strcmp(m->key, k);

    (void)err;
    if (score < m->min && !same)
        return 0;
    if (m->n && m->v[m->n - 1].id == id) {
        struct match *x = &m->v[m->n - 1];
        if (score > x->score)
            x->score = score;
        x->same |= same;
        return 0;
    }
    RT_ALLOC_GROW(m->v, m->n + 1, m->alloc);
    m->v[m->n].id = id;
    m->v[m->n].name = rt_xstrdup(rt__sql_text(row, 1));
    m->v[m->n].score = same ? 1.0 : score;
    m->v[m->n].same = same;
    m->n++;
    return 0;
}

static void matches_free(struct match *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rt_free(m[i].name);
    rt_free(m);
}

/* The persons (not merged) whose names come within min of key, best first. */
static int matches(struct rt_store *st, const char *key, double min, struct match **out, size_t *n,
                   struct rt_error *err)
{
    struct matching m = {key, min, NULL, 0, 0};
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = rt__sql_rows(
             st, err, match_row, &m,
             "SELECT p.id, p.name, n.key FROM person_name n JOIN person p ON p.id = n.person_id"
             " WHERE p.merged_into IS NULL ORDER BY p.id",
             "")) < 0) {
        matches_free(m.v, m.n);
        return rc;
    }
    if (m.n > 1) /* qsort takes no NULL, even for no items (UBSan) */
        qsort(m.v, m.n, sizeof(*m.v), by_score);
    *out = m.v;
    *n = m.n;
    return 0;
}

int rt_person_match(struct rt_store *st, const char *name, json_t **out, struct rt_error *err)
{
    struct rt_buf key = RT_BUF_INIT;
    struct match *m = NULL;
    size_t n = 0;
    int rc;

    *out = NULL;
    if ((rc = rt_person_name_key(name, &key, err)) < 0 ||
        (rc = matches(st, key.buf, RT_PERSON_CLOSE, &m, &n, err)) < 0)
        goto out;
    *out = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(*out, json_pack("{s:I, s:s, s:f, s:b}", "id", (json_int_t)m[i].id,
                                              "name", m[i].name, "score",
                                              (double)(int)(m[i].score * 1000 + 0.5) / 1000.0,
                                              "same", m[i].same));
out:
    matches_free(m, n);
    rt_buf_release(&key);
    return rc;
}

/* Says which persons a name is close to, in err (RT_EEXIST naming "name"). */
static int refuse_close(const char *name, const struct match *m, size_t n, struct rt_error *err)
{
    struct rt_buf b = RT_BUF_INIT;
    int rc;

    for (size_t i = 0; i < n && i < 5; i++)
        rt_buf_addf(&b, "%sperson %lld '%s' (%.2f)", i ? ", " : "", (long long)m[i].id, m[i].name,
                    m[i].score);
    if (m[0].same)
        rc = rt_error_set(err, RT_EEXIST, NULL, 0, "name",
                          "'%s' is the name of %s already; add a spelling with 'person name'", name,
                          b.buf);
    else
        rc = rt_error_set(err, RT_EEXIST, NULL, 0, "name",
                          "'%s' is close to %s: add it as a spelling of one ('person name ID "
                          "NAME'), or as a new person with --if-close new",
                          name, b.buf);
    rt_buf_release(&b);
    return rc;
}

int rt_person_add(struct rt_store *st, const struct rt_person_in *p, int64_t *out_id,
                  struct rt_error *err)
{
    struct rt_buf key = RT_BUF_INIT;
    struct match *m = NULL;
    size_t n = 0;
    int64_t id = 0;
    char state[16] = "";
    int rc;

    if ((rc = rt__check_texts(err, "name", p->name, "sex", p->sex, "groups", p->groups, "note",
                              p->note, "source", p->source, "state", p->state, NULL)) < 0)
        return rc;
    if (!p->name || !*p->name)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "name", "a person needs a name");
    if (p->sex && *p->sex && strcmp(p->sex, "female") && strcmp(p->sex, "male"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "sex", "sex is female or male, not '%s'",
                            p->sex);
    if (p->birth_year && (p->birth_year < 1850 || p->birth_year > 2100))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "birth_year",
                            "a birth year is from 1850 to 2100");
    if (p->if_close && strcmp(p->if_close, "new") && strcmp(p->if_close, "refuse"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "if_close", "if_close is new or refuse");
    if (p->state && *p->state && (rc = rt_party_resolve(st, p->state, state, err)) < 0)
        return rc;
    if ((rc = rt_person_name_key(p->name, &key, err)) < 0 ||
        (rc = matches(st, key.buf, RT_PERSON_CLOSE, &m, &n, err)) < 0)
        goto out;
    if (n && (m[0].same || !p->if_close || strcmp(p->if_close, "new"))) {
        rc = refuse_close(p->name, m, n, err);
        goto out;
    }
    if ((rc = rt__sql_exec(st, err, &id,
                           "INSERT INTO person(id, name, sex, birth_year, groups, note, state)"
                           " VALUES (" NEXT_ID("person") ", ?1, ?2, ?3, ?4, ?5, ?6)",
                           "ttIttt", p->name, p->sex && *p->sex ? p->sex : NULL,
                           (int64_t)p->birth_year, p->groups, p->note, state[0] ? state : NULL)) <
            0 ||
        (rc = add_name(st, id, p->name, key.buf, p->source, err)) < 0 ||
        /* The names of political prisoners are sensitive: private unless said public.
         * (On SQLite, a reader for the public sees a view named private_record.) */
        (!p->is_public &&
         (rc = rt__sql_exec(st, err, NULL,
                            rt__sql_pick(st,
                                         "INSERT OR IGNORE INTO main.private_record(kind, id)"
                                         " VALUES ('person', ?1)",
                                         "INSERT INTO private_record(kind, id) VALUES"
                                         " ('person', ?1) ON CONFLICT DO NOTHING"),
                            "i", id)) < 0))
        goto out;
    *out_id = id;
out:
    matches_free(m, n);
    rt_buf_release(&key);
    return rc;
}

/* Does every word of the key q stand among the words of key k? */
static int words_in(const char *q, const char *k)
{
    for (const char *p = q; *p;) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        int found = 0;
        for (const char *x = k; *x && !found;) {
            const char *xe = strchr(x, ' ');
            size_t xn = xe ? (size_t)(xe - x) : strlen(x);
            found = xn == n && !memcmp(x, p, n);
            x += xn + (xe ? 1 : 0);
        }
        if (!found)
            return 0;
        p += n + (e ? 1 : 0);
    }
    return 1;
}

/* What finding a person by name looks through. */
struct finding {
    struct rt_store *st;
    const char *ref, *q;
    int64_t found;
};

static int word_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct finding *f = ctx;
    int64_t id = rt__sql_int(row, 0);

    if (!words_in(f->q, rt__sql_text(row, 1)) || id == f->found)
        return 0;
    if (f->found)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "person",
                            "'%s' names persons %lld and %lld: give the id or the whole name",
                            f->ref, (long long)f->found, (long long)id);
    f->found = id;
    return 0;
}

static int key_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct finding *f = ctx;
    int64_t id;
    int rc;

    if ((rc = kept(f->st, rt__sql_int(row, 0), &id, err)) < 0)
        return rc;
    if (f->found && f->found != id)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "person",
                            "'%s' is the name of persons %lld and %lld: give the id", f->ref,
                            (long long)f->found, (long long)id);
    f->found = id;
    return 0;
}

int rt_person_find(struct rt_store *st, const char *ref, int64_t *out_id, struct rt_error *err)
{
    struct rt_buf key = RT_BUF_INIT;
    struct finding f = {st, ref, NULL, 0};
    int rc;

    if (!ref || !*ref)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "person", "which person?");
    if (!strncmp(ref, "person:", 7))
        ref += 7;
    f.ref = ref;
    if (rt__digits_only(ref) && strlen(ref) < 19)
        return kept(st, strtoll(ref, NULL, 10), out_id, err);
    if ((rc = rt_person_name_key(ref, &key, err)) < 0)
        goto out;
    f.q = key.buf;
    if ((rc = rt__sql_rows(st, err, key_row, &f,
                           "SELECT DISTINCT person_id FROM person_name WHERE key = ?1"
                           " ORDER BY person_id",
                           "t", key.buf)) < 0)
        goto out;
    /* The one person (not merged) with a name holding every word of it ("Statkevich"). */
    if (!f.found && (rc = rt__sql_rows(st, err, word_row, &f,
                                       "SELECT DISTINCT n.person_id, n.key FROM person_name n"
                                       " JOIN person p ON p.id = n.person_id"
                                       " WHERE p.merged_into IS NULL ORDER BY n.person_id, n.key",
                                       "")) < 0)
        goto out;
    rc = f.found ? 0
                 : rt_error_set(err, RT_ENOTFOUND, NULL, 0, "person", "no person called '%s'", ref);
    if (rc == 0)
        *out_id = f.found;
out:
    rt_buf_release(&key);
    return rc;
}

int rt_person_name_add(struct rt_store *st, int64_t id, const char *name, const char *source,
                       struct rt_error *err)
{
    struct rt_buf key = RT_BUF_INIT;
    int rc;

    if ((rc = rt__check_texts(err, "name", name, "source", source, NULL)) < 0 ||
        (rc = person_exists(st, id, NULL, err)) < 0)
        return rc;
    if ((rc = rt_person_name_key(name, &key, err)) == 0)
        rc = add_name(st, id, name, key.buf, source, err);
    rt_buf_release(&key);
    return rc;
}

int rt_person_merge(struct rt_store *st, int64_t keep, int64_t other, struct rt_error *err)
{
    int64_t mk = 0, mo = 0;
    int rc;

    if ((rc = person_exists(st, keep, &mk, err)) < 0 ||
        (rc = person_exists(st, other, &mo, err)) < 0)
        return rc;
    if (keep == other)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "person",
                            "a person is not merged with itself");
    if (mk || mo)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "person",
                            "person %lld was merged into person %lld already",
                            (long long)(mk ? keep : other), (long long)(mk ? mk : mo));
    if ((rc = rt__sql_exec(st, err, NULL,
                           "INSERT INTO person_name(person_id, name, key, source, created_at)"
                           " SELECT CAST(?1 AS bigint), name, key, source, created_at"
                           " FROM person_name WHERE person_id = ?2 ON CONFLICT DO NOTHING",
                           "ii", keep, other)) < 0 ||
        (rc = rt__sql_exec(st, err, NULL, "DELETE FROM person_name WHERE person_id = ?1", "i",
                           other)) < 0 ||
        (rc = rt__sql_exec(st, err, NULL,
                           "UPDATE case_event SET person_id = ?1 WHERE person_id = ?2", "ii", keep,
                           other)) < 0 ||
        (rc = rt__sql_exec(st, err, NULL,
                           "INSERT INTO ask_person(ask_id, person_id, created_at)"
                           " SELECT ask_id, CAST(?1 AS bigint), created_at FROM ask_person"
                           " WHERE person_id = ?2 ON CONFLICT DO NOTHING",
                           "ii", keep, other)) < 0 ||
        (rc = rt__sql_exec(st, err, NULL, "DELETE FROM ask_person WHERE person_id = ?1", "i",
                           other)) < 0 ||
        (rc = rt__sql_exec(
             st, err, NULL,
             "UPDATE person SET sex = coalesce(sex, (SELECT sex FROM person WHERE id = ?2)),"
             " birth_year = coalesce(birth_year, (SELECT birth_year FROM person WHERE id = ?2)),"
             " groups = coalesce(groups, (SELECT groups FROM person WHERE id = ?2))"
             " WHERE id = ?1",
             "ii", keep, other)) < 0)
        return rc;
    return rt__sql_exec(st, err, NULL, "UPDATE person SET merged_into = ?1 WHERE id = ?2", "ii",
                        keep, other);
}

/* Persons a step names (its released events): how many. */
static int step_named(struct rt_store *st, int64_t step, int64_t *n, struct rt_error *err)
{
    return rt__sql_scalar(st, err, n, NULL,
                          "SELECT count(DISTINCT person_id) FROM case_event WHERE step_id = ?1"
                          " AND withdrawn IS NULL",
                          "i", step);
}

/* A step's quantity (-1: none) into *quantity; RT_ENOTFOUND when there is no step. */
static int step_quantity(struct rt_store *st, int64_t step, int64_t *quantity, struct rt_error *err)
{
    int rc = rt__sql_scalar(st, err, quantity, NULL,
                            "SELECT coalesce(quantity, -1) FROM step WHERE id = ?1", "i", step);
    if (rc == RT_ENOTFOUND)
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, "step", "no step with id %lld",
                          (long long)step);
    return rc;
}

/*
 * The rules of an event of a case, for a new one (stored 0) or one stored already and
 * corrected (stored 1, counted among the step's named persons).
 */
static int case_rules(struct rt_store *st, const struct rt_case_in *c, int stored,
                      struct rt_error *err)
{
    int64_t merged = 0;
    int rc;

    if ((rc = rt__check_texts(err, "event", c->event, "date", c->date, "how", c->how, "detail",
                              c->detail, "source", c->source, NULL)) < 0 ||
        (rc = person_exists(st, c->person_id, &merged, err)) < 0)
        return rc;
    if (merged && !stored)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "person",
                            "person %lld was merged into person %lld: add to that one",
                            (long long)c->person_id, (long long)merged);
    if (!in_list(rt_case_events, c->event))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "event",
                            "'%s' is not an event of a case: detained, charged, sentenced, moved, "
                            "recognised, released or died",
                            c->event ? c->event : "");
    if (rt__need_date(c->date, "date", err) < 0)
        return RT_EINVAL;
    if (c->how && *c->how) {
        if (strcmp(c->event, "released"))
            return rt_error_set(err, RT_EINVAL, NULL, 0, "how", "only a release says how");
        if (!in_list(rt_release_hows, c->how))
            return rt_error_set(err, RT_EINVAL, NULL, 0, "how",
                                "'%s' is not how a release came: served, pardon, amnesty, "
                                "expelled, acquitted, exchanged or other",
                                c->how);
    }
    if (c->step_id) {
        int64_t named = 0, here = 0, quantity = -1;
        if (strcmp(c->event, "released"))
            return rt_error_set(err, RT_EINVAL, NULL, 0, "step",
                                "only a release names the step that freed the person");
        if ((rc = step_quantity(st, c->step_id, &quantity, err)) < 0 ||
            (rc = step_named(st, c->step_id, &named, err)) < 0 ||
            (rc = rt__sql_scalar(st, err, &here, NULL,
                                 "SELECT count(*) FROM case_event WHERE step_id = ?1"
                                 " AND person_id = ?2 AND withdrawn IS NULL",
                                 "ii", c->step_id, c->person_id)) < 0)
            return rc;
        if (quantity >= 0 && (stored ? named > quantity : !here && named + 1 > quantity))
            return rt_error_set(err, RT_EINVAL, NULL, 0, "step",
                                "step %lld freed %lld persons and names %lld already: a person "
                                "more would pass its quantity",
                                (long long)c->step_id, (long long)quantity,
                                (long long)(stored ? named - 1 : named));
    }
    return 0;
}

int rt_case_add(struct rt_store *st, const struct rt_case_in *c, int64_t *out_id,
                struct rt_error *err)
{
    int rc = case_rules(st, c, 0, err);

    if (rc < 0)
        return rc;
    return rt__sql_exec(st, err, out_id,
                        "INSERT INTO case_event(id, person_id, date, event, how, detail, source,"
                        " step_id) VALUES (" NEXT_ID("case_event") ", ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        "itttttI", c->person_id, c->date, c->event,
                        c->how && *c->how ? c->how : NULL, c->detail, c->source, c->step_id);
}

struct checking {
    struct rt_store *st;
    int found;
};

static int check_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct checking *k = ctx;
    struct rt_case_in c = {rt__sql_int(row, 0),  rt__sql_text(row, 1), rt__sql_text(row, 2),
                           rt__sql_text(row, 3), rt__sql_text(row, 4), rt__sql_text(row, 5),
                           rt__sql_int(row, 6)};
    int rc = case_rules(k->st, &c, 1, err);

    k->found = 1;
    return rc < 0 ? rc : 1;
}

int rt_case_check(struct rt_store *st, int64_t case_id, struct rt_error *err)
{
    struct checking k = {st, 0};
    int rc;

    if ((rc = rt__sql_rows(st, err, check_row, &k,
                           "SELECT person_id, event, date, how, detail, source, step_id"
                           " FROM case_event WHERE id = ?1",
                           "i", case_id)) < 0)
        return rc;
    if (!k.found)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "case", "no case event with id %lld",
                            (long long)case_id);
    return 0;
}

static int ask_exists(struct rt_store *st, int64_t ask_id, struct rt_error *err)
{
    int64_t n = 0;
    int rc;

    if ((rc = rt__sql_scalar(st, err, &n, NULL, "SELECT count(*) FROM ask WHERE id = ?1", "i",
                             ask_id)) < 0)
        return rc;
    if (!n)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "ask", "no ask with id %lld",
                            (long long)ask_id);
    return 0;
}

int rt_ask_person_add(struct rt_store *st, int64_t ask_id, int64_t person_id, struct rt_error *err)
{
    int rc;

    if ((rc = kept(st, person_id, &person_id, err)) < 0 || (rc = ask_exists(st, ask_id, err)) < 0)
        return rc;
    return rt__sql_exec(st, err, NULL,
                        "INSERT INTO ask_person(ask_id, person_id) VALUES (?1, ?2)"
                        " ON CONFLICT DO NOTHING",
                        "ii", ask_id, person_id);
}

/* Reads. */

/* Rows kept to be sorted in C: up to four texts and two integers. */
struct item {
    int64_t a, b;
    char *t[4];
};

struct items {
    struct item *v;
    size_t n, alloc;
};

static void items_release(struct items *x)
{
    for (size_t i = 0; i < x->n; i++)
        for (int k = 0; k < 4; k++)
            rt_free(x->v[i].t[k]);
    rt_free(x->v);
    memset(x, 0, sizeof(*x));
}

/* A row (a, b, t0, t1, t2, t3) as far as it goes; integers first. */
static int item_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct items *x = ctx;
    struct item *it;

    (void)err;
    RT_ALLOC_GROW(x->v, x->n + 1, x->alloc);
    it = &x->v[x->n++];
    memset(it, 0, sizeof(*it));
    it->a = rt__sql_int(row, 0);
    it->b = rt__sql_int(row, 1);
    for (int k = 0; k < 4; k++)
        it->t[k] = dup_or_null(rt__sql_text(row, 2 + k));
    return 0;
}

static int items_of(struct rt_store *st, struct items *x, struct rt_error *err,
                    int (*cmp)(const void *, const void *), const char *sql, const char *types,
                    int64_t arg)
{
    int rc;

    memset(x, 0, sizeof(*x));
    if ((rc = rt__sql_rows(st, err, item_row, x, sql, types, arg)) < 0) {
        items_release(x);
        return rc;
    }
    if (cmp && x->n > 1)
        qsort(x->v, x->n, sizeof(*x->v), cmp);
    return 0;
}

static int cmp_int(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

/* By the name t[0] as SQLite's NOCASE orders it, then a, then b. */
static int by_name(const void *p, const void *q)
{
    const struct item *x = p, *y = q;
    int c = nocase_cmp(x->t[0], y->t[0]);
    return c ? c : cmp_int(x->a, y->a) ? cmp_int(x->a, y->a) : cmp_int(x->b, y->b);
}

/* By t[1] (created_at) then t[0] (the name), byte by byte. */
static int by_created(const void *p, const void *q)
{
    const struct item *x = p, *y = q;
    int c = strcmp(x->t[1], y->t[1]);
    return c ? c : strcmp(x->t[0], y->t[0]);
}

/* [{"name", "source"}] of person id. */
static int names_of(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err)
{
    struct items x;
    int rc;

    *out = NULL;
    if ((rc = items_of(st, &x, err, by_created,
                       "SELECT 0, 0, name, created_at, source FROM person_name"
                       " WHERE person_id = ?1",
                       "i", id)) < 0)
        return rc;
    *out = json_array();
    for (size_t i = 0; i < x.n; i++)
        json_array_append_new(*out,
                              json_pack("{s:s, s:s?}", "name", x.v[i].t[0], "source", x.v[i].t[2]));
    items_release(&x);
    return 0;
}

/* 1 when the person (of the row's id) is private and the reader may know it (private.h). */
#define PRIVATE_COL                                                                                \
    "CASE WHEN EXISTS (SELECT 1 FROM private_record pv WHERE pv.kind = 'person'"                   \
    " AND pv.id = person.id) THEN 1 ELSE 0 END"

/* The person's own row, for rt_person_get. */
struct person_doc {
    const char *as_of;
    json_t *doc;
};

static int person_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct person_doc *p = ctx;

    (void)err;
    p->doc = json_pack("{s:o, s:o, s:n, s:o, s:o, s:o, s:o, s:o, s:o, s:s?}", "id",
                       rt__sql_json_int(row, 0), "name", rt__sql_json_text(row, 1), "names", "sex",
                       rt__sql_json_text(row, 2), "birth_year", rt__sql_json_int(row, 3), "state",
                       rt__sql_json_text(row, 7), "groups", rt__sql_json_text(row, 4), "note",
                       rt__sql_json_text(row, 5), "merged_into", rt__sql_json_int(row, 6), "as_of",
                       p->as_of);
    if (rt__sql_int(row, 8))
        json_object_set_new(p->doc, "private", json_true());
    return 1;
}

/* The person's asks: {"id", "round", "text", "round_label"} by id. */
static int asks_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct rt_buf label = RT_BUF_INIT;

    (void)err;
    rt_buf_addf(&label, "round %lld of %s", (long long)rt__sql_int(row, 3),
                rt__sql_text(row, 4) ? rt__sql_text(row, 4) : "(null)");
    json_array_append_new(ctx, json_pack("{s:o, s:o, s:o, s:s}", "id", rt__sql_json_int(row, 0),
                                         "round", rt__sql_json_int(row, 1), "text",
                                         rt__sql_json_text(row, 2), "round_label", label.buf));
    rt_buf_release(&label);
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    return cmp_int(*(const int64_t *)a, *(const int64_t *)b);
}

int rt_person_get(struct rt_store *st, int64_t id, const char *as_of, json_t **out,
                  struct rt_error *err)
{
    json_t *doc = NULL, *names = NULL, *events, *asks, *steps;
    struct person_doc pd = {as_of, NULL};
    struct events e = {0};
    struct status x;
    char limit[11];
    const char *standing_at;
    int64_t *step_ids = NULL;
    size_t n_steps = 0;
    int rc;

    *out = NULL;
    if (as_of && rt_date_check(as_of, NULL) < 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "as_of", "'%s' is not a date", as_of);
    first_day(as_of, limit);
    standing_at = as_of ? limit : NULL;
    if ((rc = rt__sql_rows(
             st, err, person_row, &pd,
             "SELECT id, name, sex, birth_year, groups, note, merged_into, state, " PRIVATE_COL
             " FROM person WHERE id = ?1",
             "i", id)) < 0)
        return rc;
    if (!(doc = pd.doc))
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "person", "no person with id %lld",
                            (long long)id);
    if ((rc = names_of(st, id, &names, err)) < 0)
        goto out;
    json_object_set_new(doc, "names", names);
    names = NULL;
    if ((rc = events_of(st, id, &e, err)) < 0)
        goto out;
    status_at(&e, as_of, &x);
    json_object_set_new(doc, "status", status_json(&x));
    events = json_array();
    json_object_set_new(doc, "events", events);
    step_ids = rt_xmalloc((e.n ? e.n : 1) * sizeof(*step_ids));
    for (size_t i = 0; i < e.n; i++) {
        const struct event *v = &e.v[i];
        const char *precision = "day";
        if (!standing(v, standing_at))
            continue;
        if (v->step)
            step_ids[n_steps++] = v->step;
        if (strcmp(v->day, limit) > 0)
            continue;
        rt_date_check(v->date, &precision);
        json_array_append_new(
            events, json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:o}", "id",
                              (json_int_t)v->id, "date", v->date, "date_precision", precision,
                              "event", v->event, "how", v->how, "detail", v->detail, "source",
                              v->source, "step", v->step ? json_integer(v->step) : json_null()));
    }
    asks = json_array();
    json_object_set_new(doc, "asks", asks);
    if ((rc = rt__sql_rows(
             st, err, asks_row, asks,
             "SELECT a.id, a.round_id, a.text, r.ordinal, d.name FROM ask_person x"
             " JOIN ask a ON a.id = x.ask_id JOIN round r ON r.id = a.round_id"
             " JOIN dialogue d ON d.id = r.dialogue_id WHERE x.person_id = ?1 ORDER BY a.id",
             "i", id)) < 0)
        goto out;
    steps = json_array();
    json_object_set_new(doc, "steps", steps);
    if (n_steps > 1)
        qsort(step_ids, n_steps, sizeof(*step_ids), cmp_id);
    for (size_t i = 0; i < n_steps; i++)
        if (!i || step_ids[i] != step_ids[i - 1])
            json_array_append_new(steps, json_integer(step_ids[i]));
out:
    rt_free(step_ids);
    events_release(&e);
    json_decref(names);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return 0;
}

/* What rt_person_list keeps by q. */
struct keeping {
    const char *q, *qkey;
    int keep;
};

/* Does a name of the person contain q, case-blind (ASCII), or come close to its key? */
static int keeps_row(void *ctx, const struct rt__sql_row *row, struct rt_error *err)
{
    struct keeping *k = ctx;
    const char *name = rt__sql_text(row, 0), *key = rt__sql_text(row, 1);
    size_t ql = strlen(k->q);

    (void)err;
    for (const char *p = name; *p && !k->keep; p++)
        k->keep = !strncasecmp(p, k->q, ql);
    if (!k->keep && k->qkey && *k->qkey)
        k->keep = rt_person_key_similarity(k->qkey, key) >= 0.8 || strstr(key, k->qkey) != NULL;
    return k->keep;
}

int rt_person_list(struct rt_store *st, const char *q, const char *as_of, json_t **out,
                   struct rt_error *err)
{
    struct rt_buf qkey = RT_BUF_INIT;
    json_t *list = NULL;
    struct items x = {0};
    int rc;

    *out = NULL;
    if (as_of && rt_date_check(as_of, NULL) < 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "as_of", "'%s' is not a date", as_of);
    if (q && *q)
        rt_person_name_key(q, &qkey, NULL);
    if ((rc = items_of(st, &x, err, by_name,
                       "SELECT id, " PRIVATE_COL ", name, groups FROM person"
                       " WHERE merged_into IS NULL",
                       "", 0)) < 0)
        goto out;
    list = json_array();
    for (size_t i = 0; i < x.n; i++) {
        int64_t id = x.v[i].a;
        struct status s;
        json_t *names = NULL, *item;
        if (q && *q) {
            struct keeping k = {q, qkey.buf, 0};
            if ((rc = rt__sql_rows(st, err, keeps_row, &k,
                                   "SELECT name, key FROM person_name WHERE person_id = ?1", "i",
                                   id)) < 0)
                goto out;
            if (!k.keep)
                continue;
        }
        if ((rc = person_status(st, id, as_of, &s, err)) < 0 ||
            (rc = names_of(st, id, &names, err)) < 0)
            goto out;
        item = json_pack("{s:I, s:s, s:o, s:s?, s:o}", "id", (json_int_t)id, "name", x.v[i].t[0],
                         "names", names, "groups", x.v[i].t[1], "status", status_json(&s));
        if (x.v[i].b)
            json_object_set_new(item, "private", json_true());
        json_array_append_new(list, item);
    }
out:
    items_release(&x);
    rt_buf_release(&qkey);
    if (rc < 0) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return 0;
}

int rt_step_persons(struct rt_store *st, int64_t step_id, json_t **out, struct rt_error *err)
{
    json_t *persons;
    struct items x;
    int64_t quantity = -1, named;
    int rc;

    *out = NULL;
    if ((rc = step_quantity(st, step_id, &quantity, err)) < 0 ||
        (rc = items_of(st, &x, err, by_name,
                       "SELECT DISTINCT p.id, 0, p.name FROM case_event e JOIN person p"
                       " ON p.id = e.person_id WHERE e.step_id = ?1 AND e.withdrawn IS NULL",
                       "i", step_id)) < 0)
        return rc;
    persons = json_array();
    for (size_t i = 0; i < x.n; i++)
        json_array_append_new(
            persons, json_pack("{s:I, s:s}", "id", (json_int_t)x.v[i].a, "name", x.v[i].t[0]));
    named = (int64_t)x.n;
    items_release(&x);
    *out = json_pack(
        "{s:I, s:o, s:I, s:o, s:o}", "step", (json_int_t)step_id, "quantity",
        quantity >= 0 ? json_integer(quantity) : json_null(), "named", (json_int_t)named, "unnamed",
        quantity >= 0 ? json_integer(quantity - named) : json_null(), "persons", persons);
    return 0;
}

int rt_ask_persons(struct rt_store *st, int64_t ask_id, const char *as_of, json_t **out,
                   struct rt_error *err)
{
    json_t *persons = NULL;
    struct items x = {0};
    int64_t held = 0, freed = 0;
    int rc;

    *out = NULL;
    if ((rc = ask_exists(st, ask_id, err)) < 0 ||
        (rc = items_of(st, &x, err, by_name,
                       "SELECT p.id, 0, p.name FROM ask_person x JOIN person p"
                       " ON p.id = x.person_id WHERE x.ask_id = ?1",
                       "i", ask_id)) < 0)
        return rc;
    persons = json_array();
    for (size_t i = 0; i < x.n; i++) {
        struct status s;
        if ((rc = person_status(st, x.v[i].a, as_of, &s, err)) < 0)
            goto out;
        held += !strcmp(s.status, "detained");
        freed += !strcmp(s.status, "released");
        json_array_append_new(persons, json_pack("{s:I, s:s, s:o}", "id", (json_int_t)x.v[i].a,
                                                 "name", x.v[i].t[0], "status", status_json(&s)));
    }
out:
    items_release(&x);
    if (rc < 0) {
        json_decref(persons);
        return rc;
    }
    *out = json_pack("{s:I, s:s?, s:I, s:I, s:o}", "ask", (json_int_t)ask_id, "as_of", as_of,
                     "held", (json_int_t)held, "freed", (json_int_t)freed, "persons", persons);
    return 0;
}

int rt_person_count(struct rt_store *st, const char *as_of, json_t **out, struct rt_error *err)
{
    int64_t n[5] = {0};
    struct items x;
    int rc;

    *out = NULL;
    if (as_of && rt_date_check(as_of, NULL) < 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "as_of", "'%s' is not a date", as_of);
    if ((rc = items_of(st, &x, err, NULL, "SELECT id FROM person WHERE merged_into IS NULL", "",
                       0)) < 0)
        return rc;
    for (size_t i = 0; i < x.n; i++) {
        struct status s;
        if ((rc = person_status(st, x.v[i].a, as_of, &s, err)) < 0) {
            items_release(&x);
            return rc;
        }
        n[s.inferred                      ? 4
          : !strcmp(s.status, "detained") ? 0
          : !strcmp(s.status, "released") ? 1
          : !strcmp(s.status, "died")     ? 2
                                          : 3]++;
    }
    *out = json_pack("{s:s?, s:I, s:I, s:I, s:I, s:I, s:I}", "as_of", as_of, "persons",
                     (json_int_t)x.n, "detained", (json_int_t)n[0], "inferred", (json_int_t)n[4],
                     "released", (json_int_t)n[1], "died", (json_int_t)n[2], "unknown",
                     (json_int_t)n[3]);
    items_release(&x);
    return 0;
}

int rt_dialogue_persons(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                        struct rt_error *err)
{
    json_t *persons = NULL, *last = NULL;
    struct items x;
    int64_t held = 0, prev = 0;
    int rc;

    *out = NULL;
    if ((rc = items_of(st, &x, err, by_name,
                       "SELECT p.id, a.id, p.name FROM ask_person x JOIN person p"
                       " ON p.id = x.person_id JOIN ask a ON a.id = x.ask_id"
                       " JOIN round r ON r.id = a.round_id WHERE r.dialogue_id = ?1",
                       "i", dialogue_id)) < 0)
        return rc;
    persons = json_array();
    for (size_t i = 0; i < x.n; i++) {
        int64_t id = x.v[i].a;
        if (id != prev) {
            struct status s;
            if ((rc = person_status(st, id, as_of, &s, err)) < 0)
                goto out;
            held += !strcmp(s.status, "detained");
            last = json_pack("{s:I, s:s, s:o, s:[]}", "id", (json_int_t)id, "name", x.v[i].t[0],
                             "status", status_json(&s), "asks");
            json_array_append_new(persons, last);
            prev = id;
        }
        json_array_append_new(json_object_get(last, "asks"), json_integer(x.v[i].b));
    }
out:
    items_release(&x);
    if (rc < 0) {
        json_decref(persons);
        return rc;
    }
    *out =
        json_pack("{s:s?, s:I, s:o}", "as_of", as_of, "held", (json_int_t)held, "persons", persons);
    return 0;
}

/* The persons (not merged) of state: its own, and those of no state whose cases
 * concern it (a standing release of theirs names a step state took, or a standing ask
 * to state names them), by id. */
static int state_persons(struct rt_store *st, const char *state, struct items *x,
                         struct rt_error *err)
{
    int rc;

    memset(x, 0, sizeof(*x));
    if ((rc = rt__sql_rows(
             st, err, item_row, x,
             "SELECT p.id FROM person p WHERE p.merged_into IS NULL AND (p.state = ?1 OR"
             " (p.state IS NULL AND (EXISTS (SELECT 1 FROM case_event e JOIN step x ON x.id ="
             " e.step_id WHERE e.person_id = p.id AND x.actor = ?1 AND x.withdrawn IS NULL"
             " AND e.withdrawn IS NULL) OR EXISTS (SELECT 1 FROM ask_person k JOIN ask a ON"
             " a.id = k.ask_id WHERE k.person_id = p.id AND a.to_party = ?1 AND"
             " a.withdrawn IS NULL)))) ORDER BY p.id",
             "t", state)) < 0)
        items_release(x);
    return rc;
}

static int cmp_day(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int rt_person_series(struct rt_store *st, const char *state, const char *as_of, json_t **out,
                     struct rt_error *err)
{
    json_t *points = NULL;
    struct items x = {0};
    struct events *ev = NULL;
    const char **days = NULL;
    size_t n_days = 0, alloc = 0;
    char limit[11];
    int rc;

    *out = NULL;
    if (as_of && rt_date_check(as_of, NULL) < 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "as_of", "'%s' is not a date", as_of);
    first_day(as_of, limit);
    if ((rc = state_persons(st, state, &x, err)) < 0)
        return rc;
    ev = rt_xcalloc(x.n ? x.n : 1, sizeof(*ev));
    /* Their events, and the days on which one of them fell (each date as its first
     * day), up to the limit. */
    for (size_t i = 0; i < x.n; i++) {
        if ((rc = events_of(st, x.v[i].a, &ev[i], err)) < 0)
            goto out;
        for (size_t k = 0; k < ev[i].n; k++) {
            const struct event *v = &ev[i].v[k];
            if (strcmp(v->day, limit) > 0 || !standing(v, as_of ? limit : NULL))
                continue;
            RT_ALLOC_GROW(days, n_days + 1, alloc);
            days[n_days++] = v->day;
        }
    }
    if (n_days > 1)
        qsort(days, n_days, sizeof(*days), cmp_day);
    points = json_array();
    for (size_t d = 0; d < n_days; d++) {
        int64_t held = 0, inferred = 0;
        char day[11];
        if (d && !strcmp(days[d], days[d - 1]))
            continue;
        copy(day, sizeof(day), days[d]);
        for (size_t i = 0; i < x.n; i++) {
            struct status s;
            status_at(&ev[i], day, &s);
            held += !s.inferred && !strcmp(s.status, "detained");
            inferred += s.inferred;
        }
        json_array_append_new(points,
                              json_pack("{s:s, s:I, s:I}", "date", day, "detained",
                                        (json_int_t)held, "inferred", (json_int_t)inferred));
    }
    *out = json_pack("{s:s, s:s?, s:I, s:o}", "state", state, "as_of", as_of, "persons",
                     (json_int_t)x.n, "points", points);
    points = NULL;
out:
    for (size_t i = 0; i < x.n; i++)
        events_release(&ev[i]);
    rt_free(ev);
    rt_free(days);
    items_release(&x);
    json_decref(points);
    return rc;
}
