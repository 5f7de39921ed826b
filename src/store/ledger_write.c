/*
 * The dialogue ledger's checked writes, written once for every back end: their SQL is
 * of the dialect SQLite and PostgreSQL both accept, run through src/store/sql.h. The
 * rules about what the data means are src/model/rules.c's; here is only what needs
 * the database (does the record exist, is the name taken, would a link close a circle).
 */
#include "base/compat.h"

#include <errno.h>
#include <stdlib.h>

#include <rightstrack/ledger.h>
#include <rightstrack/text.h>

#include "model/rules.h"
#include "store/sql.h"

int rt_party_resolve(struct rt_store *st, const char *name, char out[16], struct rt_error *err)
{
    struct rt_state_ref ref = {{0}, NULL};
    int64_t id;
    int rc;

    if (!name || !*name)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "party", "a party must be named");
    if (rt__organisation(name)) {
        snprintf(out, 16, "%s", rt__organisation(name));
        return 0;
    }
    rc = rt_store_state_find(st, name, strlen(name), &id, err);
    if (rc == RT_ENOTFOUND)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "party",
                            "'%s' is neither a state nor one of EU, OSCE, ODIHR, UN, OHCHR, COE",
                            name);
    if (rc < 0 || (rc = rt_store_state_get(st, id, &ref, err)) < 0)
        return rc;
    snprintf(out, 16, "%s", ref.code);
    rt_free(ref.name);
    return 0;
}

char *rt_party_name(struct rt_store *st, const char *code)
{
    struct rt_state_ref ref = {{0}, NULL};
    int64_t id = 0;

    if (!rt__organisation(code) && rt_store_state_find(st, code, strlen(code), &id, NULL) == 0 &&
        rt_store_state_get(st, id, &ref, NULL) == 0 && ref.name)
        return ref.name;
    rt_free(ref.name);
    return rt_xstrdup(code);
}

/*
 * A new row's id, as SQLite gives a table without AUTOINCREMENT: one more than the
 * largest (an id a failed write took is taken again). PostgreSQL's identity sequence
 * would skip it, and the two stores would part; its writers take turns (pg_begin's lock).
 */
#define NEXT_ID(table) "(SELECT coalesce(max(id), 0) + 1 FROM " table ")"

/* The id that ref (all digits) gives; 0, which no record has, when too big for one.
 * (SQLite compared the text with the id column; PostgreSQL would refuse the number.) */
static int64_t id_of(const char *ref)
{
    long long v;

    errno = 0;
    v = strtoll(ref, NULL, 10);
    return errno ? 0 : (int64_t)v;
}

int rt_dialogue_add(struct rt_store *st, const char *name, const char *kind,
                    const char *const *parties, size_t n, int64_t *out_id, struct rt_error *err)
{
    char codes[16][16];
    int64_t id = 0, dup = 0;
    int rc;

    if ((rc = rt__check_texts(err, "name", name, "kind", kind, NULL)) < 0)
        return rc;
    for (size_t i = 0; i < n && i < 16; i++)
        if ((rc = rt__check_texts(err, "party", parties[i], NULL)) < 0)
            return rc;
    if ((rc = rt__need_text(name, "name", err)) < 0)
        return rc;
    if (rt__digits_only(name) || strchr(name, '#'))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "name",
                            "a dialogue's name must not be a number or contain '#'");
    if (n < 2 || n > 16)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "party",
                            "a dialogue has two parties or more (at most 16)");
    for (size_t i = 0; i < n; i++) {
        if ((rc = rt_party_resolve(st, parties[i], codes[i], err)) < 0)
            return rc;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(codes[k], codes[i]))
                return rt_error_set(err, RT_EINVAL, NULL, 0, "party", "'%s' is named twice",
                                    parties[i]);
    }
    if ((rc = rt__sql_scalar(st, err, &dup, NULL, "SELECT count(*) FROM dialogue WHERE name = ?1",
                             "t", name)) < 0)
        return rc;
    if (dup)
        return rt_error_set(err, RT_EEXIST, NULL, 0, "name", "a dialogue called '%s' exists", name);
    if ((rc = rt__sql_begin(st, err)) < 0)
        return rc;
    rc = rt__sql_exec(
        st, err, &id,
        "INSERT INTO dialogue(id, name, kind) VALUES (" NEXT_ID("dialogue") ", ?1, ?2)", "tt", name,
        kind ? kind : "bilateral");
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = rt__sql_exec(
            st, err, NULL,
            "INSERT INTO dialogue_party(dialogue_id, party, position) VALUES (?1, ?2, ?3)", "iti",
            id, codes[i], (int64_t)i);
    if ((rc = rt__sql_end(st, rc, err)) == 0)
        *out_id = id;
    return rc;
}

int rt_dialogue_find(struct rt_store *st, const char *ref, int64_t *out_id, struct rt_error *err)
{
    int64_t id = 0;
    int rc;

    if (!ref || !*ref)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "dialogue", "name a dialogue");
    if (rt__digits_only(ref))
        rc = rt__sql_scalar(st, err, &id, NULL, "SELECT id FROM dialogue WHERE id = ?1", "i",
                            id_of(ref));
    else /* a name in any case of its ASCII letters, as SQLite's NOCASE compares */
        rc = rt__sql_scalar(
            st, err, &id, NULL,
            rt__sql_pick(st, "SELECT id FROM dialogue WHERE name = ?1 COLLATE NOCASE ORDER BY id",
                         "SELECT id FROM dialogue WHERE lower(name COLLATE \"C\")"
                         " = lower(?1 COLLATE \"C\") ORDER BY id"),
            "t", ref);
    if (rc == RT_ENOTFOUND)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "dialogue", "no dialogue '%s'", ref);
    if (rc == 0)
        *out_id = id;
    return rc;
}

int rt_round_add(struct rt_store *st, const struct rt_round_in *r, int64_t *out_id,
                 struct rt_error *err)
{
    int64_t ordinal = r->ordinal, taken = 0;
    int rc;

    if ((rc = rt__check_texts(err, "date", r->date, "place", r->place, "summary", r->summary,
                              "source", r->source, NULL)) < 0)
        return rc;
    if ((rc = rt__sql_exists(st, "dialogue", r->dialogue_id, "dialogue", "dialogue", err)) < 0 ||
        (rc = rt__need_date(r->date, "date", err)) < 0)
        return rc;
    if (ordinal < 0)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "ordinal", "a round's number is 1 or more");
    if (!ordinal && (rc = rt__sql_scalar(st, err, &ordinal, NULL,
                                         "SELECT coalesce(max(ordinal), 0) + 1 FROM round"
                                         " WHERE dialogue_id = ?1",
                                         "i", r->dialogue_id)) < 0)
        return rc;
    if ((rc = rt__sql_scalar(st, err, &taken, NULL,
                             "SELECT count(*) FROM round WHERE dialogue_id = ?1 AND ordinal = ?2",
                             "ii", r->dialogue_id, ordinal)) < 0)
        return rc;
    if (taken)
        return rt_error_set(err, RT_EEXIST, NULL, 0, "ordinal",
                            "the dialogue has a round %lld already", (long long)ordinal);
    return rt__sql_exec(st, err, out_id,
                        "INSERT INTO round(id, dialogue_id, ordinal, date, place, summary, source)"
                        " VALUES (" NEXT_ID("round") ", ?1, ?2, ?3, ?4, ?5, ?6)",
                        "iitttt", r->dialogue_id, ordinal, r->date, r->place, r->summary,
                        r->source);
}

int rt_round_find(struct rt_store *st, const char *ref, int64_t *out_id, struct rt_error *err)
{
    const char *hash = ref ? strrchr(ref, '#') : NULL;
    int64_t id = 0, dialogue = 0;
    int rc;

    if (!ref || !*ref)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "round", "name a round");
    if (rt__digits_only(ref)) {
        rc = rt__sql_scalar(st, err, &id, NULL, "SELECT id FROM round WHERE id = ?1", "i",
                            id_of(ref));
    } else if (hash && rt__digits_only(hash + 1)) {
        char *name = rt_xstrndup(ref, (size_t)(hash - ref));
        rc = rt_dialogue_find(st, name, &dialogue, err);
        rt_free(name);
        if (rc < 0)
            return rc;
        rc = rt__sql_scalar(st, err, &id, NULL,
                            "SELECT id FROM round WHERE dialogue_id = ?1 AND ordinal = ?2", "ii",
                            dialogue, id_of(hash + 1));
    } else {
        return rt_error_set(err, RT_EINVAL, NULL, 0, "round",
                            "'%s' is not a round: give its id or DIALOGUE#NUMBER", ref);
    }
    if (rc == RT_ENOTFOUND)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "round", "no round '%s'", ref);
    if (rc == 0)
        *out_id = id;
    return rc;
}

int rt_participant_add(struct rt_store *st, int64_t round_id, const char *name, const char *title,
                       const char *organisation, const char *party, int64_t *out_id,
                       struct rt_error *err)
{
    char code[16] = "";
    int rc;

    if ((rc = rt__check_texts(err, "name", name, "title", title, "organisation", organisation,
                              "party", party, NULL)) < 0)
        return rc;
    if ((rc = rt__sql_exists(st, "round", round_id, "round", "round", err)) < 0 ||
        (rc = rt__need_text(name, "name", err)) < 0 ||
        (party && (rc = rt_party_resolve(st, party, code, err)) < 0))
        return rc;
    return rt__sql_exec(st, err, out_id,
                        "INSERT INTO participant(id, round_id, name, title, organisation, party)"
                        " VALUES (" NEXT_ID("participant") ", ?1, ?2, ?3, ?4, ?5)",
                        "itttt", round_id, name, title, organisation, party ? code : NULL);
}

int rt_topic_add(struct rt_store *st, int64_t round_id, const char *text, const char *theme,
                 int64_t *out_id, struct rt_error *err)
{
    int rc;

    if ((rc = rt__check_texts(err, "text", text, "theme", theme, NULL)) < 0)
        return rc;
    if ((rc = rt__sql_exists(st, "round", round_id, "round", "round", err)) < 0 ||
        (rc = rt__need_text(text, "text", err)) < 0)
        return rc;
    return rt__sql_exec(
        st, err, out_id,
        "INSERT INTO topic(id, round_id, text, theme) VALUES (" NEXT_ID("topic") ", ?1, ?2, ?3)",
        "itt", round_id, text, theme);
}

int rt_ask_add(struct rt_store *st, int64_t round_id, const char *from, const char *to,
               const char *text, const char *theme, int64_t *out_id, struct rt_error *err)
{
    char f[16], t[16];
    int rc;

    if ((rc = rt__check_texts(err, "from", from, "to", to, "text", text, "theme", theme, NULL)) < 0)
        return rc;
    if ((rc = rt__sql_exists(st, "round", round_id, "round", "round", err)) < 0 ||
        (rc = rt__need_text(text, "text", err)) < 0 ||
        (rc = rt_party_resolve(st, from, f, err)) < 0 ||
        (rc = rt_party_resolve(st, to, t, err)) < 0)
        return rc;
    return rt__sql_exec(st, err, out_id,
                        "INSERT INTO ask(id, round_id, from_party, to_party, text, theme)"
                        " VALUES (" NEXT_ID("ask") ", ?1, ?2, ?3, ?4, ?5)",
                        "itttt", round_id, f, t, text, theme);
}

int rt_step_add(struct rt_store *st, const struct rt_step_in *s, int64_t *out_id,
                struct rt_error *err)
{
    const char *dir;
    char actor[16];
    int rc;

    if ((rc = rt__check_texts(err, "actor", s->actor, "date", s->date, "kind", s->kind, "direction",
                              s->direction, "text", s->text, "source", s->source, NULL)) < 0)
        return rc;
    if ((rc = rt_party_resolve(st, s->actor, actor, err)) < 0 ||
        (rc = rt__step_check(s, &dir, err)) < 0)
        return rc;
    if (s->quantity >= 0)
        return rt__sql_exec(
            st, err, out_id,
            "INSERT INTO step(id, actor, date, kind, direction, quantity, text, source)"
            " VALUES (" NEXT_ID("step") ", ?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            "ttttitt", actor, s->date, s->kind, dir, s->quantity, s->text, s->source);
    return rt__sql_exec(st, err, out_id,
                        "INSERT INTO step(id, actor, date, kind, direction, text, source)"
                        " VALUES (" NEXT_ID("step") ", ?1, ?2, ?3, ?4, ?5, ?6)",
                        "tttttt", actor, s->date, s->kind, dir, s->text, s->source);
}

int rt_link_add(struct rt_store *st, const char *from, const char *relation, const char *to,
                struct rt_error *err)
{
    struct rt__ref f, t;
    int rc;

    if ((rc = rt__check_texts(err, "from", from, "relation", relation, "to", to, NULL)) < 0)
        return rc;
    if ((rc = rt__ref_parse(from, "from", &f, err)) < 0 ||
        (rc = rt__ref_parse(to, "to", &t, err)) < 0)
        return rc;
    if (!rt__link_allowed(f.kind, relation, t.kind))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "relation",
                            "a %s cannot be linked '%s' to a %s", f.kind, relation, t.kind);
    if ((rc = rt__sql_exists(st, f.table, f.id, f.kind, "from", err)) < 0 ||
        (rc = rt__sql_exists(st, t.table, t.id, t.kind, "to", err)) < 0)
        return rc;
    if (!strcmp(relation, "responds-to")) {
        int64_t later = 0, cycle = 0;
        if (f.id == t.id)
            return rt_error_set(err, RT_EINVAL, NULL, 0, "to", "a step cannot respond to itself");
        if ((rc = rt__sql_scalar(
                 st, err, &later, NULL,
                 rt__sql_pick(st,
                              "SELECT a.date < b.date FROM step a, step b"
                              " WHERE a.id = ?1 AND b.id = ?2",
                              "SELECT a.date < b.date COLLATE \"C\" FROM step a, step b"
                              " WHERE a.id = ?1 AND b.id = ?2"),
                 "ii", f.id, t.id)) < 0)
            return rc;
        if (later)
            return rt_error_set(err, RT_EINVAL, NULL, 0, "to",
                                "step %lld cannot respond to step %lld, which came later",
                                (long long)f.id, (long long)t.id);
        /* Would the new link close a circle? It does if `to` already leads back to `from`. */
        if ((rc = rt__sql_scalar(st, err, &cycle, NULL,
                                 "WITH RECURSIVE up(id) AS (SELECT CAST(?1 AS bigint) UNION SELECT "
                                 "l.to_id FROM link l"
                                 " JOIN up ON l.from_id = up.id WHERE l.from_kind = 'step'"
                                 " AND l.relation = 'responds-to' AND l.to_kind = 'step')"
                                 " SELECT count(*) FROM up WHERE id = ?2",
                                 "ii", t.id, f.id)) < 0)
            return rc;
        if (cycle)
            return rt_error_set(err, RT_EINVAL, NULL, 0, "to",
                                "step %lld already leads back to step %lld: no circles",
                                (long long)t.id, (long long)f.id);
    }
    return rt__sql_exec(
        st, err, NULL,
        "INSERT INTO link(from_kind, from_id, relation, to_kind, to_id)"
        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (from_kind, from_id, relation, to_kind, to_id)"
        " DO UPDATE SET withdrawn = NULL, withdrawn_on = NULL"
        " WHERE link.withdrawn IS NOT NULL",
        "titti", f.kind, f.id, relation, t.kind, t.id);
}

int rt_item_theme_add(struct rt_store *st, const char *item, const char *area, const char *origin,
                      struct rt_error *err)
{
    struct rt__ref r;
    int64_t known = 0;
    int rc;

    if ((rc = rt__check_texts(err, "item", item, "area", area, "origin", origin, NULL)) < 0)
        return rc;
    if ((rc = rt__ref_parse(item, "item", &r, err)) < 0)
        return rc;
    if (strcmp(r.kind, "topic") && strcmp(r.kind, "ask"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "item",
                            "only topics and asks have themes, not a %s", r.kind);
    if (!origin)
        origin = "person";
    if (strcmp(origin, "readout") && strcmp(origin, "person") && strcmp(origin, "model"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "origin",
                            "origin is readout, person or model, not '%s'", origin);
    if ((rc = rt__sql_exists(st, r.table, r.id, r.kind, "item", err)) < 0)
        return rc;
    if ((rc = rt__need_text(area, "area", err)) < 0 ||
        (rc = rt__sql_scalar(st, err, &known, NULL,
                             "SELECT count(*) FROM theme_area WHERE code = ?1", "t", area)) < 0)
        return rc;
    if (!known)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "area",
                            "'%s' is not an area of the theme taxonomy (see themes areas)", area);
    return rt__sql_exec(st, err, NULL,
                        "INSERT INTO ledger_theme(item_kind, item_id, area, origin)"
                        " SELECT CAST(?1 AS text), CAST(?2 AS bigint), code, CAST(?3 AS text)"
                        " FROM theme_area WHERE code = ?4 ON CONFLICT DO NOTHING",
                        "titt", r.kind, r.id, origin, area);
}

int rt_commitment_add(struct rt_store *st, int64_t round_id, const char *party,
                      const char *condition, const char *promise, int64_t *out_id,
                      struct rt_error *err)
{
    char code[16];
    int64_t id = 0;
    int rc;

    if ((rc = rt__check_texts(err, "party", party, "condition", condition, "promise", promise,
                              NULL)) < 0)
        return rc;
    if ((rc = rt__sql_exists(st, "round", round_id, "round", "round", err)) < 0 ||
        (rc = rt_party_resolve(st, party, code, err)) < 0 ||
        (rc = rt__need_text(promise, "promise", err)) < 0)
        return rc;
    if ((rc = rt__sql_begin(st, err)) < 0)
        return rc;
    rc = rt__sql_exec(
        st, err, &id,
        "INSERT INTO commitment(id, round_id, party, condition, promise) VALUES (" NEXT_ID(
            "commitment") ", ?1, ?2, ?3, ?4)",
        "ittt", round_id, code, condition, promise);
    if (rc == 0)
        rc = rt__sql_exec(
            st, err, NULL,
            "INSERT INTO commitment_status(id, commitment_id, as_of, status)"
            " SELECT " NEXT_ID(
                "commitment_status") ", CAST(?1 AS bigint), date, 'open' FROM round WHERE id = ?2",
            "ii", id, round_id);
    if ((rc = rt__sql_end(st, rc, err)) == 0)
        *out_id = id;
    return rc;
}

int rt_commitment_resolve(struct rt_store *st, int64_t id, const char *status, int64_t step_id,
                          const char *as_of, const char *note, struct rt_error *err)
{
    json_t *last = NULL;
    int rc;

    if ((rc = rt__check_texts(err, "status", status, "date", as_of, "note", note, NULL)) < 0)
        return rc;
    if ((rc = rt__sql_exists(st, "commitment", id, "commitment", "commitment", err)) < 0 ||
        (rc = rt__need_date(as_of, "date", err)) < 0)
        return rc;
    if (!status || (strcmp(status, "fulfilled") && strcmp(status, "lapsed")))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "status",
                            "a commitment is resolved as fulfilled or lapsed");
    if (step_id) {
        int64_t same = 0;
        if ((rc = rt__sql_exists(st, "step", step_id, "step", "step", err)) < 0 ||
            (rc = rt__sql_scalar(st, err, &same, NULL,
                                 "SELECT s.actor = c.party FROM step s, commitment c"
                                 " WHERE s.id = ?1 AND c.id = ?2",
                                 "ii", step_id, id)) < 0)
            return rc;
        if (!same)
            return rt_error_set(err, RT_EINVAL, NULL, 0, "step",
                                "step %lld was taken by another party than the one that "
                                "made commitment %lld",
                                (long long)step_id, (long long)id);
    }
    if ((rc = rt__sql_scalar(
             st, err, NULL, &last,
             rt__sql_pick(st,
                          "SELECT json_object('status', status, 'as_of', as_of)"
                          " FROM commitment_status WHERE commitment_id = ?1"
                          " ORDER BY as_of DESC, id DESC LIMIT 1",
                          "SELECT json_build_object('status', status, 'as_of', as_of)"
                          " FROM commitment_status WHERE commitment_id = ?1"
                          " ORDER BY as_of COLLATE \"C\" DESC, id DESC LIMIT 1"),
             "i", id)) < 0)
        return rc;
    if (strcmp(json_string_value(json_object_get(last, "status")), "open")) {
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, "commitment",
                          "commitment %lld was resolved already (%s on %s)", (long long)id,
                          json_string_value(json_object_get(last, "status")),
                          json_string_value(json_object_get(last, "as_of")));
    } else if (strcmp(as_of, json_string_value(json_object_get(last, "as_of"))) < 0) {
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, "date",
                          "%s is before the commitment was made (%s)", as_of,
                          json_string_value(json_object_get(last, "as_of")));
    } else {
        rc = rt__sql_exec(
            st, err, NULL,
            "INSERT INTO commitment_status(id, commitment_id, as_of, status, step_id, note)"
            " VALUES (" NEXT_ID("commitment_status") ", ?1, ?2, ?3, ?4, ?5)",
            "ittIt", id, as_of, status, step_id, note);
    }
    json_decref(last);
    return rc;
}

int rt_benchmark_add(struct rt_store *st, int64_t dialogue_id, const char *text, int64_t *out_id,
                     struct rt_error *err)
{
    int rc;

    if ((rc = rt__check_texts(err, "text", text, NULL)) < 0)
        return rc;
    if ((rc = rt__sql_exists(st, "dialogue", dialogue_id, "dialogue", "dialogue", err)) < 0 ||
        (rc = rt__need_text(text, "text", err)) < 0)
        return rc;
    return rt__sql_exec(
        st, err, out_id,
        "INSERT INTO benchmark(id, dialogue_id, text) VALUES (" NEXT_ID("benchmark") ", ?1, ?2)",
        "it", dialogue_id, text);
}

int rt_assess(struct rt_store *st, const struct rt_assessment_in *a, int64_t *out_id,
              struct rt_error *err)
{
    return rt_assess_replacing(st, a, 0, out_id, err);
}

int rt_assess_replacing(struct rt_store *st, const struct rt_assessment_in *a, int64_t replaces,
                        int64_t *out_id, struct rt_error *err)
{
    static const char *const rec_statuses[] = {"not-started", "in-progress", "partially", "mostly",
                                               "fully",       "regressed",   "unknown",   NULL};
    static const char *const bench_statuses[] = {"met", "partly-met", "not-met", NULL};
    const char *const *ok;
    struct rt__ref t;
    int valid = 0, rc;

    if ((rc = rt__check_texts(err, "target", a->target, "date", a->as_of, "status", a->status,
                              "evidence", a->evidence, "source", a->source, "assessor", a->assessor,
                              NULL)) < 0)
        return rc;
    if ((rc = rt__ref_parse(a->target, "target", &t, err)) < 0)
        return rc;
    if (strcmp(t.kind, "recommendation") && strcmp(t.kind, "ask") && strcmp(t.kind, "benchmark"))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "target",
                            "only recommendations, asks and benchmarks are assessed");
    if ((rc = rt__sql_exists(st, t.table, t.id, t.kind, "target", err)) < 0 ||
        (rc = rt__need_date(a->as_of, "date", err)) < 0)
        return rc;
    ok = strcmp(t.kind, "benchmark") ? rec_statuses : bench_statuses;
    for (size_t i = 0; ok[i]; i++)
        valid |= a->status && !strcmp(a->status, ok[i]);
    if (!valid) {
        struct rt_buf list = RT_BUF_INIT;
        for (size_t i = 0; ok[i]; i++)
            rt_buf_addf(&list, "%s%s", i ? ", " : "", ok[i]);
        rc = rt_error_set(err, RT_EINVAL, NULL, 0, "status", "the status of %s %s is one of %s",
                          strcmp(t.kind, "ask") ? "a" : "an", t.kind, list.buf);
        rt_buf_release(&list);
        return rc;
    }
    if (replaces) {
        int64_t same = 0;
        rc = rt__sql_scalar(
            st, err, &same, NULL,
            "SELECT target_kind = ?2 AND target_id = ?3 FROM assessment WHERE id = ?1", "iti",
            replaces, t.kind, t.id);
        if (rc == RT_ENOTFOUND)
            return rt_error_set(err, RT_ENOTFOUND, NULL, 0, "replaces",
                                "no assessment with id %lld", (long long)replaces);
        if (rc < 0)
            return rc;
        if (!same)
            return rt_error_set(err, RT_EINVAL, NULL, 0, "replaces",
                                "assessment %lld is of another record than %s", (long long)replaces,
                                a->target);
    }
    return rt__sql_exec(
        st, err, out_id,
        "INSERT INTO assessment(id, target_kind, target_id, as_of, status, evidence, source,"
        " assessor, replaces) VALUES (" NEXT_ID("assessment") ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        "titttttI", t.kind, t.id, a->as_of, a->status, a->evidence, a->source, a->assessor,
        replaces);
}

int rt_round_place(struct rt_store *st, int64_t round_id, int64_t *dialogue_id, int64_t *ordinal,
                   struct rt_error *err)
{
    int rc;

    if ((rc = rt__sql_scalar(st, err, dialogue_id, NULL,
                             "SELECT dialogue_id FROM round WHERE id = ?1", "i", round_id)) < 0 ||
        (rc = rt__sql_scalar(st, err, ordinal, NULL, "SELECT ordinal FROM round WHERE id = ?1", "i",
                             round_id)) < 0)
        return rc == RT_ENOTFOUND ? rt_error_set(err, RT_ENOTFOUND, NULL, 0, "round",
                                                 "no round with id %lld", (long long)round_id)
                                  : rc;
    return 0;
}
