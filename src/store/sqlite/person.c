/*
 * Persons and their cases in SQLite (schema 14, person.h): checked writes, the
 * status of a person as of a date computed from the events, and the reads as JSON.
 * Writes run inside the caller's transaction.
 */
#include "base/compat.h"

#include <stdlib.h>
#include <strings.h>

#include <rightstrack/ledger.h>
#include <rightstrack/person.h>
#include <rightstrack/text.h>

#include "base/alloc.h"
#include "store/sqlite/sqlite_int.h"
#include "model/rules.h"

static json_t *col_str(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL
               ? json_null()
               : json_string((const char *)sqlite3_column_text(s, i));
}

static json_t *col_int(sqlite3_stmt *s, int i)
{
    return sqlite3_column_type(s, i) == SQLITE_NULL ? json_null()
                                                    : json_integer(sqlite3_column_int64(s, i));
}

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; s && list[i]; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

/* The text rule for each (field, value) pair up to a NULL field; NULL values pass. */
static int texts(struct rt_error *err, ...)
{
    const char *field, *value;
    va_list ap;
    int rc = 0;

    va_start(ap, err);
    while (rc == 0 && (field = va_arg(ap, const char *))) {
        value = va_arg(ap, const char *);
        if (value)
            rc = rt_text_check(field, value, strlen(value), err);
    }
    va_end(ap);
    return rc;
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

/*
 * SQL: a case event stands as of the first day bound as ?2, or, when ?2 is NULL,
 * today: it was not withdrawn, or withdrawn from a later date (schema 18). As of
 * today it is "withdrawn IS NULL".
 */
#define STANDING_AT_2                                                                              \
    " (withdrawn IS NULL OR (?2 IS NOT NULL AND withdrawn_on IS NOT NULL AND ?2 < CASE"            \
    " length(withdrawn_on) WHEN 4 THEN withdrawn_on || '-01-01' WHEN 7 THEN withdrawn_on ||"       \
    " '-01' ELSE withdrawn_on END))"

/* The end of reading the rows of *s: finalized (and NULL), and 0 when its last step rc
 * was SQLITE_DONE, else the store's error. */
static int rows_done(struct rt_store *st, sqlite3_stmt **s, int rc, struct rt_error *err)
{
    sqlite3_finalize(*s);
    *s = NULL;
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "read");
}

static int person_exists(struct rt_store *st, int64_t id, int64_t *merged, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    if ((rc = rt__prepare(st, &s, err, "SELECT merged_into FROM person WHERE id = ?1", "i", id)) <
        0)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (merged)
            *merged = sqlite3_column_int64(s, 0);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, "person", "no person with id %lld",
                          (long long)id);
    } else {
        rc = rt__db_error(st, err, "read");
    }
    sqlite3_finalize(s);
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

static int person_status(struct rt_store *st, int64_t id, const char *as_of, struct status *out,
                         struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    char limit[11], day[11];
    int rc, any = 0, first_release = 0;

    memset(out, 0, sizeof(*out));
    out->status = "unknown";
    first_day(as_of, limit);
    if ((rc = rt__prepare(
             st, &s, err,
             "SELECT event, how, date FROM case_event WHERE person_id = ?1 AND" STANDING_AT_2
             " ORDER BY CASE length(date) WHEN 4 THEN date || '-01-01'"
             " WHEN 7 THEN date || '-01' ELSE date END, id",
             "it", id, as_of ? limit : NULL)) < 0)
        return rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *event = (const char *)sqlite3_column_text(s, 0);
        const char *how = (const char *)sqlite3_column_text(s, 1);
        const char *date = (const char *)sqlite3_column_text(s, 2);
        if (!any++)
            first_release = !strcmp(event, "released");
        first_day(date, day);
        if (strcmp(day, limit) > 0)
            continue;
        out->status = status_of_event(event);
        copy(out->how, sizeof(out->how), how && !strcmp(event, "released") ? how : "");
        copy(out->since, sizeof(out->since), date);
        out->inferred = 0;
    }
    if ((rc = rows_done(st, &s, rc, err)) < 0)
        return rc;
    /* Nothing on record yet, but a release later: held until then. */
    if (!strcmp(out->status, "unknown") && first_release) {
        out->status = "detained";
        out->inferred = 1;
    }
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
    return rt__exec(st, err, NULL,
                    "INSERT OR IGNORE INTO person_name(person_id, name, key, source)"
                    " VALUES (?1, ?2, ?3, ?4)",
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

/* The persons (not merged) whose names come within min of key, best first. */
static int matches(struct rt_store *st, const char *key, double min, struct match **out, size_t *n,
                   struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    size_t alloc = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if ((rc = rt__prepare(
             st, &s, err,
             "SELECT p.id, p.name, n.key FROM person_name n JOIN person p ON p.id = n.person_id"
             " WHERE p.merged_into IS NULL ORDER BY p.id",
             "")) < 0)
        return rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        const char *k = (const char *)sqlite3_column_text(s, 2);
        double score = rt_person_key_similarity(key, k);
        int same = !strcmp(key, k);
        if (score < min && !same)
            continue;
        if (*n && (*out)[*n - 1].id == id) {
            struct match *m = &(*out)[*n - 1];
            if (score > m->score)
                m->score = score;
            m->same |= same;
            continue;
        }
        RT_ALLOC_GROW(*out, *n + 1, alloc);
        (*out)[*n].id = id;
        (*out)[*n].name = rt_xstrdup((const char *)sqlite3_column_text(s, 1));
        (*out)[*n].score = same ? 1.0 : score;
        (*out)[*n].same = same;
        (*n)++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        for (size_t i = 0; i < *n; i++)
            rt_free((*out)[i].name);
        rt_free(*out);
        *out = NULL;
        *n = 0;
        return rt__db_error(st, err, "read");
    }
    if (*n > 1) /* qsort takes no NULL, even for no items (UBSan) */
        qsort(*out, *n, sizeof(**out), by_score);
    return 0;
}

static void matches_free(struct match *m, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rt_free(m[i].name);
    rt_free(m);
}

int rt_person_match(struct rt_store *st, const char *name, json_t **out, struct rt_error *err)
{
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
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
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    struct rt_buf key = RT_BUF_INIT;
    struct match *m = NULL;
    size_t n = 0;
    int64_t id = 0;
    char state[16] = "";
    int rc;

    if ((rc = texts(err, "name", p->name, "sex", p->sex, "groups", p->groups, "note", p->note,
                    "source", p->source, "state", p->state, NULL)) < 0)
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
    if ((rc = rt__exec(
             st, err, &id,
             "INSERT INTO person(name, sex, birth_year, groups, note, state) VALUES (?1, ?2, ?3,"
             " ?4, ?5, ?6)",
             "ttIttt", p->name, p->sex && *p->sex ? p->sex : NULL, (int64_t)p->birth_year,
             p->groups, p->note, state[0] ? state : NULL)) < 0 ||
        (rc = add_name(st, id, p->name, key.buf, p->source, err)) < 0 ||
        /* The names of political prisoners are sensitive: private unless said public. */
        (!p->is_public &&
         (rc = rt__exec(st, err, NULL,
                        "INSERT OR IGNORE INTO main.private_record(kind, id) VALUES ('person', ?1)",
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

/* The one person (not merged) with a name holding every word of q ("Statkevich"). */
static int by_words(struct rt_store *st, const char *ref, const char *q, int64_t *found,
                    struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    *found = 0;
    if ((rc = rt__prepare(
             st, &s, err,
             "SELECT DISTINCT n.person_id, n.key FROM person_name n JOIN person p ON p.id ="
             " n.person_id WHERE p.merged_into IS NULL",
             "")) < 0)
        return rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        if (!words_in(q, (const char *)sqlite3_column_text(s, 1)) || id == *found)
            continue;
        if (*found) {
            sqlite3_finalize(s);
            return rt_error_set(err, RT_EINVAL, NULL, 0, "person",
                                "'%s' names persons %lld and %lld: give the id or the whole name",
                                ref, (long long)*found, (long long)id);
        }
        *found = id;
    }
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "read");
}

int rt_person_find(struct rt_store *st, const char *ref, int64_t *out_id, struct rt_error *err)
{
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    struct rt_buf key = RT_BUF_INIT;
    sqlite3_stmt *s = NULL;
    int64_t found = 0;
    int rc;

    if (!ref || !*ref)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "person", "which person?");
    if (!strncmp(ref, "person:", 7))
        ref += 7;
    if (rt__digits_only(ref) && strlen(ref) < 19)
        return kept(st, strtoll(ref, NULL, 10), out_id, err);
    if ((rc = rt_person_name_key(ref, &key, err)) < 0)
        goto out;
    if ((rc = rt__prepare(st, &s, err, "SELECT DISTINCT person_id FROM person_name WHERE key = ?1",
                          "t", key.buf)) < 0)
        goto out;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id;
        if ((rc = kept(st, sqlite3_column_int64(s, 0), &id, err)) < 0)
            goto out;
        if (found && found != id) {
            rc = rt_error_set(err, RT_EINVAL, NULL, 0, "person",
                              "'%s' is the name of persons %lld and %lld: give the id", ref,
                              (long long)found, (long long)id);
            goto out;
        }
        found = id;
    }
    if (rc != SQLITE_DONE) {
        rc = rt__db_error(st, err, "read");
        goto out;
    }
    if (!found && (rc = by_words(st, ref, key.buf, &found, err)) < 0)
        goto out;
    rc = found ? 0
               : rt_error_set(err, RT_ENOTFOUND, NULL, 0, "person", "no person called '%s'", ref);
    if (rc == 0)
        *out_id = found;
out:
    sqlite3_finalize(s);
    rt_buf_release(&key);
    return rc;
}

int rt_person_name_add(struct rt_store *st, int64_t id, const char *name, const char *source,
                       struct rt_error *err)
{
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    struct rt_buf key = RT_BUF_INIT;
    int rc;

    if ((rc = texts(err, "name", name, "source", source, NULL)) < 0 ||
        (rc = person_exists(st, id, NULL, err)) < 0)
        return rc;
    if ((rc = rt_person_name_key(name, &key, err)) == 0)
        rc = add_name(st, id, name, key.buf, source, err);
    rt_buf_release(&key);
    return rc;
}

int rt_person_merge(struct rt_store *st, int64_t keep, int64_t other, struct rt_error *err)
{
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
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
    if ((rc = rt__exec(
             st, err, NULL,
             "INSERT OR IGNORE INTO person_name(person_id, name, key, source, created_at)"
             " SELECT ?1, name, key, source, created_at FROM person_name WHERE person_id = ?2",
             "ii", keep, other)) < 0 ||
        (rc = rt__exec(st, err, NULL, "DELETE FROM person_name WHERE person_id = ?1", "i", other)) <
            0 ||
        (rc = rt__exec(st, err, NULL, "UPDATE case_event SET person_id = ?1 WHERE person_id = ?2",
                       "ii", keep, other)) < 0 ||
        (rc = rt__exec(st, err, NULL,
                       "INSERT OR IGNORE INTO ask_person(ask_id, person_id, created_at)"
                       " SELECT ask_id, ?1, created_at FROM ask_person WHERE person_id = ?2",
                       "ii", keep, other)) < 0 ||
        (rc = rt__exec(st, err, NULL, "DELETE FROM ask_person WHERE person_id = ?1", "i", other)) <
            0 ||
        (rc = rt__exec(
             st, err, NULL,
             "UPDATE person SET sex = coalesce(sex, (SELECT sex FROM person WHERE id = ?2)),"
             " birth_year = coalesce(birth_year, (SELECT birth_year FROM person WHERE id = ?2)),"
             " groups = coalesce(groups, (SELECT groups FROM person WHERE id = ?2))"
             " WHERE id = ?1",
             "ii", keep, other)) < 0)
        return rc;
    return rt__exec(st, err, NULL, "UPDATE person SET merged_into = ?1 WHERE id = ?2", "ii", keep,
                    other);
}

/* Persons a step names (its released events): how many. */
static int step_named(struct rt_store *st, int64_t step, int64_t *n, struct rt_error *err)
{
    return rt__scalar(st, err, n, NULL,
                      "SELECT count(DISTINCT person_id) FROM case_event WHERE step_id = ?1"
                      " AND withdrawn IS NULL",
                      "i", step);
}

/* A step's quantity (-1: none) into *quantity; RT_ENOTFOUND when there is no step. */
static int step_quantity(struct rt_store *st, int64_t step, int64_t *quantity, struct rt_error *err)
{
    int rc = rt__scalar(st, err, quantity, NULL,
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

    if ((rc = texts(err, "event", c->event, "date", c->date, "how", c->how, "detail", c->detail,
                    "source", c->source, NULL)) < 0 ||
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
            (rc = rt__scalar(st, err, &here, NULL,
                             "SELECT count(*) FROM case_event WHERE step_id = ?1 AND person_id = ?2"
                             " AND withdrawn IS NULL",
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
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    int rc = case_rules(st, c, 0, err);

    if (rc < 0)
        return rc;
    return rt__exec(st, err, out_id,
                    "INSERT INTO case_event(person_id, date, event, how, detail, source, step_id)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    "itttttI", c->person_id, c->date, c->event, c->how && *c->how ? c->how : NULL,
                    c->detail, c->source, c->step_id);
}

int rt_case_check(struct rt_store *st, int64_t case_id, struct rt_error *err)
{
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = NULL;
    int rc;

    if ((rc = rt__prepare(st, &s, err,
                          "SELECT person_id, event, date, how, detail, source, step_id"
                          " FROM case_event WHERE id = ?1",
                          "i", case_id)) < 0)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        struct rt_case_in c = {sqlite3_column_int64(s, 0),
                               (const char *)sqlite3_column_text(s, 1),
                               (const char *)sqlite3_column_text(s, 2),
                               (const char *)sqlite3_column_text(s, 3),
                               (const char *)sqlite3_column_text(s, 4),
                               (const char *)sqlite3_column_text(s, 5),
                               sqlite3_column_int64(s, 6)};
        rc = case_rules(st, &c, 1, err);
    } else if (rc == SQLITE_DONE) {
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, "case", "no case event with id %lld",
                          (long long)case_id);
    } else {
        rc = rt__db_error(st, err, "read");
    }
    sqlite3_finalize(s);
    return rc;
}

int rt_ask_person_add(struct rt_store *st, int64_t ask_id, int64_t person_id, struct rt_error *err)
{
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    int64_t n = 0;
    int rc;

    if ((rc = kept(st, person_id, &person_id, err)) < 0 ||
        (rc = rt__scalar(st, err, &n, NULL, "SELECT count(*) FROM ask WHERE id = ?1", "i",
                         ask_id)) < 0)
        return rc;
    if (!n)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "ask", "no ask with id %lld",
                            (long long)ask_id);
    return rt__exec(st, err, NULL,
                    "INSERT OR IGNORE INTO ask_person(ask_id, person_id) VALUES (?1, ?2)", "ii",
                    ask_id, person_id);
}

/* Reads. */

/* [{"name", "source"}] of person id. */
static int names_of(struct rt_store *st, int64_t id, json_t **out, struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    *out = json_array();
    if ((rc = rt__prepare(
             st, &s, err,
             "SELECT name, source FROM person_name WHERE person_id = ?1 ORDER BY created_at,"
             " name",
             "i", id)) < 0)
        return rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(
            *out, json_pack("{s:o, s:o}", "name", col_str(s, 0), "source", col_str(s, 1)));
    sqlite3_finalize(s);
    return rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "read");
}

/* 1 when the person (of the row's id) is private and the reader may know it (private.h). */
#define PRIVATE_COL                                                                                \
    "EXISTS (SELECT 1 FROM private_record pv WHERE pv.kind = 'person' AND pv.id = person.id)"

int rt_person_get(struct rt_store *st, int64_t id, const char *as_of, json_t **out,
                  struct rt_error *err)
{
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = NULL;
    json_t *doc = NULL, *names = NULL, *events, *asks, *steps;
    struct status x;
    char limit[11];
    int rc;

    *out = NULL;
    if (as_of && rt_date_check(as_of, NULL) < 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "as_of", "'%s' is not a date", as_of);
    first_day(as_of, limit);
    if ((rc = rt__prepare(
             st, &s, err,
             "SELECT id, name, sex, birth_year, groups, note, merged_into, state, " PRIVATE_COL
             " FROM person WHERE id = ?1",
             "i", id)) < 0)
        return rc;
    if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
        sqlite3_finalize(s);
        return rc == SQLITE_DONE ? rt_error_set(err, RT_ENOTFOUND, NULL, 0, "person",
                                                "no person with id %lld", (long long)id)
                                 : rt__db_error(st, err, "read");
    }
    doc = json_pack("{s:I, s:o, s:n, s:o, s:o, s:o, s:o, s:o, s:o, s:s?}", "id", (json_int_t)id,
                    "name", col_str(s, 1), "names", "sex", col_str(s, 2), "birth_year",
                    col_int(s, 3), "state", col_str(s, 7), "groups", col_str(s, 4), "note",
                    col_str(s, 5), "merged_into", col_int(s, 6), "as_of", as_of);
    if (sqlite3_column_int(s, 8))
        json_object_set_new(doc, "private", json_true());
    sqlite3_finalize(s);
    if ((rc = names_of(st, id, &names, err)) < 0)
        goto out;
    json_object_set_new(doc, "names", names);
    names = NULL;
    if ((rc = person_status(st, id, as_of, &x, err)) < 0)
        goto out;
    json_object_set_new(doc, "status", status_json(&x));
    events = json_array();
    json_object_set_new(doc, "events", events);
    if ((rc = rt__prepare(st, &s, err,
                          "SELECT id, date, event, how, detail, source, step_id FROM case_event"
                          " WHERE person_id = ?1 AND" STANDING_AT_2
                          " ORDER BY CASE length(date) WHEN 4"
                          " THEN date || '-01-01' WHEN 7 THEN"
                          " date || '-01' ELSE date END, id",
                          "it", id, as_of ? limit : NULL)) < 0)
        goto out;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *date = (const char *)sqlite3_column_text(s, 1), *precision = "day";
        char day[11];
        first_day(date, day);
        if (strcmp(day, limit) > 0)
            continue;
        rt_date_check(date, &precision);
        json_array_append_new(events,
                              json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
                                        (json_int_t)sqlite3_column_int64(s, 0), "date", date,
                                        "date_precision", precision, "event", col_str(s, 2), "how",
                                        col_str(s, 3), "detail", col_str(s, 4), "source",
                                        col_str(s, 5), "step", col_int(s, 6)));
    }
    if ((rc = rows_done(st, &s, rc, err)) < 0)
        goto out;
    asks = json_array();
    json_object_set_new(doc, "asks", asks);
    if ((rc = rt__prepare(
             st, &s, err,
             "SELECT a.id, a.round_id, a.text, r.ordinal, d.name FROM ask_person x"
             " JOIN ask a ON a.id = x.ask_id JOIN round r ON r.id = a.round_id"
             " JOIN dialogue d ON d.id = r.dialogue_id WHERE x.person_id = ?1 ORDER BY a.id",
             "i", id)) < 0)
        goto out;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct rt_buf label = RT_BUF_INIT;
        rt_buf_addf(&label, "round %lld of %s", (long long)sqlite3_column_int64(s, 3),
                    (const char *)sqlite3_column_text(s, 4));
        json_array_append_new(asks, json_pack("{s:I, s:I, s:o, s:s}", "id",
                                              (json_int_t)sqlite3_column_int64(s, 0), "round",
                                              (json_int_t)sqlite3_column_int64(s, 1), "text",
                                              col_str(s, 2), "round_label", label.buf));
        rt_buf_release(&label);
    }
    if ((rc = rows_done(st, &s, rc, err)) < 0)
        goto out;
    steps = json_array();
    json_object_set_new(doc, "steps", steps);
    if ((rc = rt__prepare(
             st, &s, err,
             "SELECT DISTINCT step_id FROM case_event WHERE person_id = ?1 AND step_id IS NOT"
             " NULL AND" STANDING_AT_2 " ORDER BY step_id",
             "it", id, as_of ? limit : NULL)) < 0)
        goto out;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(steps, json_integer(sqlite3_column_int64(s, 0)));
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "read");
out:
    sqlite3_finalize(s);
    json_decref(names);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return 0;
}

/* Does any name of person id contain q, case-blind (ASCII), or come close to its key? */
static int list_keeps(struct rt_store *st, int64_t id, const char *q, const char *qkey, int *keep,
                      struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    int rc;

    *keep = 0;
    if ((rc = rt__prepare(st, &s, err, "SELECT name, key FROM person_name WHERE person_id = ?1",
                          "i", id)) < 0)
        return rc;
    while (!*keep && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        const char *key = (const char *)sqlite3_column_text(s, 1);
        size_t ql = strlen(q);
        for (const char *p = name; *p && !*keep; p++)
            *keep = !strncasecmp(p, q, ql);
        if (!*keep && qkey && *qkey) {
            *keep = rt_person_key_similarity(qkey, key) >= 0.8 || strstr(key, qkey) != NULL;
        }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        rc = rt__db_error(st, err, "read");
    else
        rc = 0;
    sqlite3_finalize(s);
    return rc;
}

int rt_person_list(struct rt_store *st, const char *q, const char *as_of, json_t **out,
                   struct rt_error *err)
{
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    struct rt_buf qkey = RT_BUF_INIT;
    sqlite3_stmt *s = NULL;
    json_t *list = json_array();
    int rc;

    *out = NULL;
    if (as_of && rt_date_check(as_of, NULL) < 0) {
        json_decref(list);
        return rt_error_set(err, RT_EINVAL, NULL, 0, "as_of", "'%s' is not a date", as_of);
    }
    if (q && *q)
        rt_person_name_key(q, &qkey, NULL);
    if ((rc = rt__prepare(st, &s, err,
                          "SELECT id, name, groups, " PRIVATE_COL
                          " FROM person WHERE merged_into IS NULL ORDER BY name COLLATE NOCASE, id",
                          "")) < 0)
        goto out;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        struct status x;
        json_t *names = NULL, *item;
        int keep = 1;
        if (q && *q && (rc = list_keeps(st, id, q, qkey.buf, &keep, err)) < 0)
            goto out;
        if (!keep)
            continue;
        if ((rc = person_status(st, id, as_of, &x, err)) < 0 ||
            (rc = names_of(st, id, &names, err)) < 0) {
            json_decref(names);
            goto out;
        }
        item = json_pack("{s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)id, "name", col_str(s, 1),
                         "names", names, "groups", col_str(s, 2), "status", status_json(&x));
        if (sqlite3_column_int(s, 3))
            json_object_set_new(item, "private", json_true());
        json_array_append_new(list, item);
    }
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "read");
out:
    sqlite3_finalize(s);
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
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = NULL;
    json_t *doc, *persons;
    int64_t quantity = -1, named = 0;
    int rc;

    *out = NULL;
    if ((rc = step_quantity(st, step_id, &quantity, err)) < 0)
        return rc;
    persons = json_array();
    if ((rc = rt__prepare(st, &s, err,
                          "SELECT DISTINCT p.id, p.name FROM case_event e JOIN person p ON p.id ="
                          " e.person_id WHERE e.step_id = ?1 AND e.withdrawn IS NULL"
                          " ORDER BY p.name COLLATE NOCASE",
                          "i", step_id)) < 0) {
        json_decref(persons);
        return rc;
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        named++;
        json_array_append_new(persons,
                              json_pack("{s:I, s:o}", "id", (json_int_t)sqlite3_column_int64(s, 0),
                                        "name", col_str(s, 1)));
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        json_decref(persons);
        return rt__db_error(st, err, "read");
    }
    doc = json_pack(
        "{s:I, s:o, s:I, s:o, s:o}", "step", (json_int_t)step_id, "quantity",
        quantity >= 0 ? json_integer(quantity) : json_null(), "named", (json_int_t)named, "unnamed",
        quantity >= 0 ? json_integer(quantity - named) : json_null(), "persons", persons);
    *out = doc;
    return 0;
}

int rt_ask_persons(struct rt_store *st, int64_t ask_id, const char *as_of, json_t **out,
                   struct rt_error *err)
{
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = NULL;
    json_t *persons = json_array();
    int64_t n = 0, held = 0, freed = 0;
    int rc;

    *out = NULL;
    if ((rc = rt__scalar(st, err, &n, NULL, "SELECT count(*) FROM ask WHERE id = ?1", "i",
                         ask_id)) < 0)
        goto out;
    if (!n) {
        rc = rt_error_set(err, RT_ENOTFOUND, NULL, 0, "ask", "no ask with id %lld",
                          (long long)ask_id);
        goto out;
    }
    if ((rc =
             rt__prepare(st, &s, err,
                         "SELECT p.id, p.name FROM ask_person x JOIN person p ON p.id = x.person_id"
                         " WHERE x.ask_id = ?1 ORDER BY p.name COLLATE NOCASE",
                         "i", ask_id)) < 0)
        goto out;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct status x;
        int64_t id = sqlite3_column_int64(s, 0);
        if ((rc = person_status(st, id, as_of, &x, err)) < 0)
            goto out;
        held += !strcmp(x.status, "detained");
        freed += !strcmp(x.status, "released");
        json_array_append_new(persons, json_pack("{s:I, s:o, s:o}", "id", (json_int_t)id, "name",
                                                 col_str(s, 1), "status", status_json(&x)));
    }
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "read");
out:
    sqlite3_finalize(s);
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
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = NULL;
    int64_t n[5] = {0}, all = 0;
    int rc;

    *out = NULL;
    if (as_of && rt_date_check(as_of, NULL) < 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "as_of", "'%s' is not a date", as_of);
    if ((rc = rt__prepare(st, &s, err, "SELECT id FROM person WHERE merged_into IS NULL", "")) < 0)
        return rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct status x;
        int r;
        if ((r = person_status(st, sqlite3_column_int64(s, 0), as_of, &x, err)) < 0) {
            sqlite3_finalize(s);
            return r;
        }
        all++;
        n[x.inferred                      ? 4
          : !strcmp(x.status, "detained") ? 0
          : !strcmp(x.status, "released") ? 1
          : !strcmp(x.status, "died")     ? 2
                                          : 3]++;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return rt__db_error(st, err, "read");
    *out = json_pack("{s:s?, s:I, s:I, s:I, s:I, s:I, s:I}", "as_of", as_of, "persons",
                     (json_int_t)all, "detained", (json_int_t)n[0], "inferred", (json_int_t)n[4],
                     "released", (json_int_t)n[1], "died", (json_int_t)n[2], "unknown",
                     (json_int_t)n[3]);
    return 0;
}

int rt_dialogue_persons(struct rt_store *st, int64_t dialogue_id, const char *as_of, json_t **out,
                        struct rt_error *err)
{
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = NULL;
    json_t *persons = json_array(), *last = NULL;
    int64_t held = 0, prev = 0;
    int rc;

    *out = NULL;
    if ((rc = rt__prepare(
             st, &s, err,
             "SELECT p.id, p.name, a.id FROM ask_person x JOIN person p ON p.id = x.person_id"
             " JOIN ask a ON a.id = x.ask_id JOIN round r ON r.id = a.round_id"
             " WHERE r.dialogue_id = ?1 ORDER BY p.name COLLATE NOCASE, p.id, a.id",
             "i", dialogue_id)) < 0)
        goto out;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(s, 0);
        struct status x;
        if (id != prev) {
            if ((rc = person_status(st, id, as_of, &x, err)) < 0)
                goto out;
            held += !strcmp(x.status, "detained");
            last = json_pack("{s:I, s:o, s:o, s:[]}", "id", (json_int_t)id, "name", col_str(s, 1),
                             "status", status_json(&x), "asks");
            json_array_append_new(persons, last);
            prev = id;
        }
        json_array_append_new(json_object_get(last, "asks"),
                              json_integer(sqlite3_column_int64(s, 2)));
    }
    rc = rc == SQLITE_DONE ? 0 : rt__db_error(st, err, "read");
out:
    sqlite3_finalize(s);
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
 * to state names them). */
static int state_persons(struct rt_store *st, const char *state, int64_t **ids, size_t *n,
                         struct rt_error *err)
{
    sqlite3_stmt *s = NULL;
    size_t alloc = 0;
    int rc;

    *ids = NULL;
    *n = 0;
    if ((rc = rt__prepare(
             st, &s, err,
             "SELECT p.id FROM person p WHERE p.merged_into IS NULL AND (p.state = ?1 OR"
             " (p.state IS NULL AND (EXISTS (SELECT 1 FROM case_event e JOIN step x ON x.id ="
             " e.step_id WHERE e.person_id = p.id AND x.actor = ?1 AND x.withdrawn IS NULL"
             " AND e.withdrawn IS NULL) OR EXISTS (SELECT 1 FROM ask_person k JOIN ask a ON"
             " a.id = k.ask_id WHERE k.person_id = p.id AND a.to_party = ?1 AND"
             " a.withdrawn IS NULL)))) ORDER BY p.id",
             "t", state)) < 0)
        return rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        RT_ALLOC_GROW(*ids, *n + 1, alloc);
        (*ids)[(*n)++] = sqlite3_column_int64(s, 0);
    }
    if ((rc = rows_done(st, &s, rc, err)) < 0) {
        rt_free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

int rt_person_series(struct rt_store *st, const char *state, const char *as_of, json_t **out,
                     struct rt_error *err)
{
    if (rt__sqlite_only(st, "persons", err) < 0)
        return RT_ESTORE;
    sqlite3_stmt *s = NULL;
    json_t *points = json_array();
    int64_t *ids = NULL;
    size_t n = 0;
    char limit[11];
    int rc;

    *out = NULL;
    if (as_of && rt_date_check(as_of, NULL) < 0) {
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, "as_of", "'%s' is not a date", as_of);
        goto out;
    }
    first_day(as_of, limit);
    if ((rc = state_persons(st, state, &ids, &n, err)) < 0)
        goto out;
    /* The days on which an event of theirs fell (each date as its first day). */
    if ((rc = rt__prepare(
             st, &s, err,
             "SELECT DISTINCT d FROM (SELECT person_id, CASE length(date) WHEN 4 THEN date ||"
             " '-01-01' WHEN 7 THEN date || '-01' ELSE date END d, withdrawn, withdrawn_on FROM"
             " case_event) WHERE d <= ?1 AND" STANDING_AT_2 " AND person_id IN (SELECT value"
             " FROM json_each(?3)) ORDER BY"
             " d",
             "ttt", limit, as_of ? limit : NULL, "[]")) < 0)
        goto out;
    {
        /* The persons as a JSON list, bound as ?3. */
        struct rt_buf list = RT_BUF_INIT;
        rt_buf_addch(&list, '[');
        for (size_t i = 0; i < n; i++)
            rt_buf_addf(&list, "%s%lld", i ? "," : "", (long long)ids[i]);
        rt_buf_addch(&list, ']');
        sqlite3_bind_text(s, 3, list.buf, (int)list.len, SQLITE_TRANSIENT);
        rt_buf_release(&list);
    }
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *day = (const char *)sqlite3_column_text(s, 0);
        int64_t held = 0, inferred = 0;
        for (size_t i = 0; i < n; i++) {
            struct status x;
            if ((rc = person_status(st, ids[i], day, &x, err)) < 0)
                goto out;
            held += !x.inferred && !strcmp(x.status, "detained");
            inferred += x.inferred;
        }
        json_array_append_new(points,
                              json_pack("{s:s, s:I, s:I}", "date", day, "detained",
                                        (json_int_t)held, "inferred", (json_int_t)inferred));
    }
    rc = rows_done(st, &s, rc, err);
out:
    sqlite3_finalize(s);
    rt_free(ids);
    if (rc < 0) {
        json_decref(points);
        return rc;
    }
    *out = json_pack("{s:s, s:s?, s:I, s:o}", "state", state, "as_of", as_of, "persons",
                     (json_int_t)n, "points", points);
    return 0;
}
