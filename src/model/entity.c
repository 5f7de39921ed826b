/*
 * The ledger's records described once (entity.h), and the one write that takes a
 * record as a JSON object: the web's API and forms and the command line all call
 * rt_ledger_write.
 */
#include "base/compat.h"

#include <inttypes.h>

#include <rightstrack/entity.h>
#include <rightstrack/ledger.h>
#include <rightstrack/person.h>
#include <rightstrack/private.h>

#include "model/entity_int.h"
#include "store/sql.h"

const char *const rt_directions[] = {"positive", "negative", NULL};
const char *const rt_assessment_statuses[] = {"not-started", "in-progress", "partially", "mostly",
                                              "fully",       "regressed",   "unknown",   NULL};
const char *const rt_benchmark_statuses[] = {"met", "partly-met", "not-met", NULL};
const char *const rt_link_relations[] = {"answers", "welcomed-in", "responds-to",
                                         "about",   "tracks",      NULL};

#define DATE_HELP "YYYY-MM-DD, YYYY-MM or YYYY: for example 2015-08-22 or 2015-08"
#define PARTY_HELP "a state (name, code or any variant) or an organisation"
#define REQ RT_FIELD_REQUIRED
/* The mark of a record that only editors and admins see (private.h). */
#define PRIVATE                                                                                    \
    {                                                                                              \
        "private", "private", RT_FIELD_FLAG, 0, "Private",                                         \
            "only editors and admins see it: not viewers, not the public", NULL, NULL, NULL, NULL, \
            NULL, 0, 0                                                                             \
    }
#define END                                                                                        \
    {                                                                                              \
        NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0                           \
    }

/* The fields of each entity, in the order forms show them. Fields whose option is NULL
 * are the command's arguments, in this order. */
static const struct rt_field dialogue_fields[] = {
    {"name", NULL, RT_FIELD_TEXT, REQ, "Name", "the dialogue's name, not a number and without '#'",
     "NAME", NULL, NULL, NULL, NULL, 0, 0},
    {"parties", "party", RT_FIELD_PARTIES, REQ, "Parties", "a party (two or more): " PARTY_HELP,
     "P", NULL, NULL, NULL, NULL, 2, 16},
    {"kind", "kind", RT_FIELD_TEXT, 0, "Kind", "bilateral (default), multilateral, ...", "K", NULL,
     NULL, NULL, NULL, 0, 0},
    END};

static const struct rt_field round_fields[] = {
    {"date", "date", RT_FIELD_DATE, REQ, "Date", "when it met: " DATE_HELP, "D", NULL, NULL, NULL,
     NULL, 0, 0},
    {"ordinal", "ordinal", RT_FIELD_INT, 0, "Round number",
     "its number in the dialogue (default: the next one)", "N", NULL, NULL, NULL, NULL, 1, 100000},
    {"place", "place", RT_FIELD_TEXT, 0, "Place", "where it met", "P", NULL, NULL, NULL, NULL, 0,
     0},
    {"summary", "summary", RT_FIELD_LONGTEXT, 0, "Summary", "a short summary, in your own words",
     "S", NULL, NULL, NULL, NULL, 0, 0},
    {"source", "source", RT_FIELD_TEXT, 0, "Source",
     "where the facts come from (readout URL or file)", "S", NULL, NULL, NULL, NULL, 0, 0},
    END};

static const struct rt_field participant_fields[] = {
    {"name", "name", RT_FIELD_TEXT, REQ, "Name", "the person's name", "N", NULL, NULL, NULL, NULL,
     0, 0},
    {"title", "title", RT_FIELD_TEXT, 0, "Title", "their title", "T", NULL, NULL, NULL, NULL, 0, 0},
    {"organisation", "organisation", RT_FIELD_TEXT, 0, "Organisation",
     "their ministry, department or agency", "O", NULL, NULL, NULL, NULL, 0, 0},
    {"party", "party", RT_FIELD_PARTY, 0, "Side", "the side they were on: " PARTY_HELP, "P", NULL,
     NULL, NULL, NULL, 0, 0},
    PRIVATE,
    END};

#define RECS(opt)                                                                                  \
    {                                                                                              \
        "recommendations", opt, RT_FIELD_REFS, 0, "About recommendations",                         \
            "a recommendation it is about (repeatable)", "ID", NULL, "rec", "a recommendation id", \
            "about", 0, 0                                                                          \
    }

static const struct rt_field topic_fields[] = {
    {"text", NULL, RT_FIELD_LONGTEXT, REQ, "Topic", "what was discussed, in your own words", "TEXT",
     NULL, NULL, NULL, NULL, 0, 0},
    {"theme", "theme", RT_FIELD_TEXT, 0, "Theme", "a theme label, e.g. 'Elections'", "T", NULL,
     NULL, NULL, NULL, 0, 0},
    RECS("rec"),
    END};

static const struct rt_field ask_fields[] = {
    {"from", "from", RT_FIELD_PARTY, REQ, "Asked by", "the party that asked: " PARTY_HELP, "P",
     NULL, NULL, NULL, NULL, 0, 0},
    {"to", "to", RT_FIELD_PARTY, REQ, "Asked of", "the party asked", "P", NULL, NULL, NULL, NULL, 0,
     0},
    {"text", NULL, RT_FIELD_LONGTEXT, REQ, "What was asked", "what was asked, in your own words",
     "TEXT", NULL, NULL, NULL, NULL, 0, 0},
    {"theme", "theme", RT_FIELD_TEXT, 0, "Theme", "a theme label, e.g. 'Elections'", "T", NULL,
     NULL, NULL, NULL, 0, 0},
    RECS("rec"),
    END};

static const struct rt_field step_fields[] = {
    {"actor", "actor", RT_FIELD_PARTY, REQ, "Who acted", "the party that took it: " PARTY_HELP, "P",
     NULL, NULL, NULL, NULL, 0, 0},
    {"date", "date", RT_FIELD_DATE, REQ, "Date", DATE_HELP, "D", NULL, NULL, NULL, NULL, 0, 0},
    {"kind", "kind", RT_FIELD_CHOICE, REQ, "Kind", "what kind of step", "K", rt_step_kinds, NULL,
     NULL, NULL, 0, 0},
    {"direction", "direction", RT_FIELD_CHOICE, 0, "Direction",
     "positive (the default) or negative, a step back", "DIR", rt_directions, NULL, NULL, NULL, 0,
     0},
    {"quantity", "quantity", RT_FIELD_INT, 0, "Quantity", "how many (prisoners released, say)", "N",
     NULL, NULL, NULL, NULL, 0, INT64_MAX},
    {"text", NULL, RT_FIELD_LONGTEXT, REQ, "What happened", "what happened, in your own words",
     "TEXT", NULL, NULL, NULL, NULL, 0, 0},
    {"source", "source", RT_FIELD_TEXT, 0, "Source", "where the facts come from", "S", NULL, NULL,
     NULL, NULL, 0, 0},
    {"answers", "answers", RT_FIELD_REFS, 0, "Answers",
     "an ask (ask:ID) or a recommendation (rec:ID, or a bare id) the step answers (repeatable)",
     "REF", NULL, "rec", "ask:ID or rec:ID", "answers", 0, 0},
    {"welcomed_in", "welcomed-in", RT_FIELD_REFS, 0, "Welcomed in rounds",
     "a round (id or DIALOGUE#ORDINAL) that welcomed it (repeatable)", "ROUND", NULL, "round",
     "a round", "welcomed-in", 0, 0},
    {"responds_to", "responds-to", RT_FIELD_REFS, 0, "In response to steps",
     "an earlier step (id) of another party it responds to (repeatable)", "STEP", NULL, "step",
     "a step id", "responds-to", 0, 0},
    PRIVATE,
    END};

static const struct rt_field commitment_fields[] = {
    {"party", "party", RT_FIELD_PARTY, REQ, "Who promised", "the party that promised", "P", NULL,
     NULL, NULL, NULL, 0, 0},
    {"condition", "if", RT_FIELD_LONGTEXT, 0, "If", "what it depends on, in your own words",
     "CONDITION", NULL, NULL, NULL, NULL, 0, 0},
    {"promise", "then", RT_FIELD_LONGTEXT, REQ, "Then", "what was promised", "PROMISE", NULL, NULL,
     NULL, NULL, 0, 0},
    END};

static const struct rt_field benchmark_fields[] = {
    {"text", NULL, RT_FIELD_LONGTEXT, REQ, "Benchmark", "the condition the dialogue tracks", "TEXT",
     NULL, NULL, NULL, NULL, 0, 0},
    {"tracks", "tracks", RT_FIELD_REFS, 0, "Tracks",
     "ask:ID, rec:ID (or a bare id) or step:ID it concerns (repeatable)", "REF", NULL, "rec",
     "ask:ID, rec:ID or step:ID", "tracks", 0, 0},
    END};

static const struct rt_field assessment_fields[] = {
    {"target", NULL, RT_FIELD_REF, REQ, "Assessed", "rec:ID (or a bare id), ask:ID or benchmark:ID",
     "REF", NULL, "rec", "a reference such as rec:6159 or ask:3", NULL, 0, 0},
    {"status", NULL, RT_FIELD_CHOICE, REQ | RT_FIELD_OPEN, "Status",
     "of a recommendation or an ask: not-started, in-progress, partially, mostly, fully,\n"
     "regressed, unknown; of a benchmark: met, partly-met, not-met",
     "STATUS", rt_assessment_statuses, NULL, NULL, NULL, 0, 0},
    {"as_of", "date", RT_FIELD_DATE, REQ, "As of", "as of when: " DATE_HELP, "D", NULL, NULL, NULL,
     NULL, 0, 0},
    {"evidence", "evidence", RT_FIELD_LONGTEXT, 0, "Evidence", "what shows it, in your own words",
     "E", NULL, NULL, NULL, NULL, 0, 0},
    {"source", "source", RT_FIELD_TEXT, 0, "Source", "where the evidence comes from", "S", NULL,
     NULL, NULL, NULL, 0, 0},
    {"assessor", "assessor", RT_FIELD_TEXT, 0, "Assessed by",
     "who judged, an organisation (default: nobody named)", "ORG", NULL, NULL, NULL, NULL, 0, 0},
    {"replaces", "replaces", RT_FIELD_REF, 0, "Corrects",
     "an earlier assessment of the same record that this one corrects (assessment:ID)",
     "ASSESSMENT", NULL, "assessment", "an assessment such as assessment:4", NULL, 0, 0},
    PRIVATE,
    END};

static const struct rt_field link_fields[] = {
    {"from", NULL, RT_FIELD_REF, REQ, "From",
     "a step, topic, ask or benchmark (KIND:ID), or a round (D#N)", "FROM", NULL, NULL,
     "KIND:ID, such as step:2", NULL, 0, 0},
    {"relation", NULL, RT_FIELD_CHOICE, REQ, "Relation",
     "answers, welcomed-in, responds-to, about or tracks", "RELATION", rt_link_relations, NULL,
     NULL, NULL, 0, 0},
    {"to", NULL, RT_FIELD_REFS, REQ, "To", "the records it is linked to, each KIND:ID", "TO", NULL,
     NULL, "KIND:ID, such as step:1", NULL, 0, 0},
    END};

/* Persons and their cases (person.h): private records, see docs/persons.md. */
static const char *const sexes[] = {"female", "male", NULL};
static const char *const if_close_words[] = {"refuse", "new", NULL};
static const struct rt_field person_fields[] = {
    {"name", NULL, RT_FIELD_TEXT, REQ, "Name", "the name to show, in any script", "NAME", NULL,
     NULL, NULL, NULL, 0, 0},
    {"sex", "sex", RT_FIELD_CHOICE, 0, "Sex", "female or male", "S", sexes, NULL, NULL, NULL, 0, 0},
    {"birth_year", "born", RT_FIELD_INT, 0, "Year of birth", "the year they were born", "YEAR",
     NULL, NULL, NULL, NULL, 1850, 2100},
    {"state", "state", RT_FIELD_PARTY, 0, "State", "the state that holds or held them", "STATE",
     NULL, NULL, NULL, NULL, 0, 0},
    {"groups", "groups", RT_FIELD_TEXT, 0, "Groups",
     "such as journalist, human-rights defender, opposition politician", "G", NULL, NULL, NULL,
     NULL, 0, 0},
    {"note", "note", RT_FIELD_LONGTEXT, 0, "Note", "a note, in your own words", "N", NULL, NULL,
     NULL, NULL, 0, 0},
    {"source", "source", RT_FIELD_TEXT, 0, "Source", "where the name is spelt so", "S", NULL, NULL,
     NULL, NULL, 0, 0},
    {"if_close", "if-close", RT_FIELD_CHOICE, 0, "If the name is close to a known person's",
     "refuse (the default: the known persons are named) or new (a new person all the same)", "WHAT",
     if_close_words, NULL, NULL, NULL, 0, 0},
    {"public", "public", RT_FIELD_FLAG, 0, "Public",
     "shown to viewers and the public too; a person is private unless marked public", NULL, NULL,
     NULL, NULL, NULL, 0, 0},
    END};

static const struct rt_field case_fields[] = {
    {"event", "event", RT_FIELD_CHOICE, REQ, "Event", "what happened to the person", "E",
     rt_case_events, NULL, NULL, NULL, 0, 0},
    {"date", "date", RT_FIELD_DATE, REQ, "Date", DATE_HELP, "D", NULL, NULL, NULL, NULL, 0, 0},
    {"how", "how", RT_FIELD_CHOICE, 0, "How released",
     "of a release: served, pardon, amnesty, expelled, acquitted, exchanged or other", "HOW",
     rt_release_hows, NULL, NULL, NULL, 0, 0},
    {"detail", "detail", RT_FIELD_TEXT, 0, "Detail",
     "the article and code charged, the sentence, the place, or who recognised them", "TEXT", NULL,
     NULL, NULL, NULL, 0, 0},
    {"source", "source", RT_FIELD_TEXT, 0, "Source", "where the facts come from", "S", NULL, NULL,
     NULL, NULL, 0, 0},
    {"step", "step", RT_FIELD_REF, 0, "Freed by step",
     "of a release: the step (id) that freed them", "STEP", NULL, "step", "a step id", NULL, 0, 0},
    END};

static const struct rt_entity dialogue_entity = {
    "dialogue", "dialogues", NULL, "a standing forum between two or more parties", dialogue_fields};
static const struct rt_entity round_entity = {"round", "rounds", "dialogue",
                                              "one meeting of a dialogue", round_fields};
static const struct rt_entity participant_entity = {"participant", "participants", "round",
                                                    "who took part in a round", participant_fields};
static const struct rt_entity topic_entity = {
    "topic", "topics", "round", "a topic the parties discussed in a round", topic_fields};
static const struct rt_entity ask_entity = {
    "ask", "asks", "round", "what one party asked of another in a round", ask_fields};
static const struct rt_entity step_entity = {"step", "steps", NULL, "something a party did",
                                             step_fields};
static const struct rt_entity commitment_entity = {
    "commitment", "commitments", "round", "a promise a party made in a round", commitment_fields};
static const struct rt_entity benchmark_entity = {
    "benchmark", "benchmarks", "dialogue", "a condition a dialogue tracks", benchmark_fields};
static const struct rt_entity assessment_entity = {
    "assessment", "assessments", NULL, "how far a recommendation, ask or benchmark is met",
    assessment_fields};
static const struct rt_entity person_entity = {
    "person", "persons", NULL,
    "a person whose case the dialogue follows (private unless marked public)", person_fields};
static const struct rt_entity case_entity = {
    "case", "cases", "person", "an event of a person's case: detained, sentenced, released ...",
    case_fields};
static const struct rt_entity link_entity = {"link", "links", NULL, "links between records",
                                             link_fields};

const struct rt_entity *const rt_entities[] = {&dialogue_entity,
                                               &round_entity,
                                               &participant_entity,
                                               &topic_entity,
                                               &ask_entity,
                                               &step_entity,
                                               &commitment_entity,
                                               &benchmark_entity,
                                               &assessment_entity,
                                               &link_entity,
                                               &person_entity,
                                               &case_entity,
                                               NULL};

const struct rt_entity *rt_entity_find(const char *name)
{
    for (size_t i = 0; name && rt_entities[i]; i++)
        if (!strcmp(rt_entities[i]->name, name))
            return rt_entities[i];
    return NULL;
}

const struct rt_field *rt_entity_field(const struct rt_entity *e, const char *name)
{
    for (const struct rt_field *f = e->fields; f->name; f++)
        if (!strcmp(f->name, name))
            return f;
    return NULL;
}

int rt_ledger_find(struct rt_store *st, const char *kind, const char *ref, int64_t *out_id,
                   struct rt_error *err)
{
    if (kind && !strcmp(kind, "round"))
        return rt_round_find(st, ref, out_id, err);
    if (kind && !strcmp(kind, "dialogue"))
        return rt_dialogue_find(st, ref, out_id, err);
    if (kind && !strcmp(kind, "person"))
        return rt_person_find(st, ref, out_id, err);
    return rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "a %s belongs to nothing",
                        kind ? kind : "?");
}

static int in_list(const char *const *list, const char *s)
{
    for (size_t i = 0; list && list[i]; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

/* "a, b or c" of a vocabulary, into b. */
static void words(struct rt_buf *b, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        rt_buf_addf(b, "%s%s", i == 0 ? "" : list[i + 1] ? ", " : " or ", list[i]);
}

static int check_value(const struct rt_field *f, const json_t *v, struct rt_error *err)
{
    const char *k = f->name;
    size_t i;
    json_t *e;

    switch (f->type) {
    case RT_FIELD_FLAG:
        if (!json_is_boolean(v))
            return rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' must be true or false", k);
        return 0;
    case RT_FIELD_INT:
        if (!json_is_integer(v))
            return rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' must be a whole number", k);
        if (json_integer_value(v) < f->lo || json_integer_value(v) > f->hi)
            return rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' must be from %ld to %ld", k,
                                f->lo, f->hi);
        return 0;
    case RT_FIELD_REF:
        if (!json_is_string(v) && !json_is_integer(v))
            return rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' must be %s", k, f->need);
        return 0;
    case RT_FIELD_REFS:
    case RT_FIELD_PARTIES:
        if (!json_is_array(v))
            return rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' must be a list", k);
        json_array_foreach(v, i, e)
        {
            if (f->type == RT_FIELD_PARTIES ? !json_is_string(e)
                                            : !json_is_string(e) && !json_is_integer(e))
                return rt_error_set(err, RT_EINVAL, NULL, 0, k,
                                    f->type == RT_FIELD_PARTIES ? "'%s' must list parties"
                                                                : "'%s' must list references "
                                                                  "such as \"ask:2\"",
                                    k);
        }
        if (f->type == RT_FIELD_PARTIES &&
            (json_array_size(v) < (size_t)f->lo || json_array_size(v) > (size_t)f->hi))
            return rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' must list %ld to %ld parties", k,
                                f->lo, f->hi);
        return 0;
    default:
        if (!json_is_string(v))
            return rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' must be a string", k);
        if (f->type == RT_FIELD_CHOICE && !(f->flags & RT_FIELD_OPEN) && *json_string_value(v) &&
            !in_list(f->vocabulary, json_string_value(v))) {
            struct rt_buf b = RT_BUF_INIT;
            words(&b, f->vocabulary);
            rt_error_set(err, RT_EINVAL, NULL, 0, k, "'%s' is one of %s, not '%s'", k, b.buf,
                         json_string_value(v));
            rt_buf_release(&b);
            return RT_EINVAL;
        }
        return 0;
    }
}

static int absent(const json_t *v)
{
    return !v || json_is_null(v) || json_is_false(v) ||
           (json_is_string(v) && !*json_string_value(v)) ||
           (json_is_array(v) && !json_array_size(v));
}

int rt_entity_check(const struct rt_entity *e, const json_t *body, struct rt_error *err)
{
    const char *k;
    json_t *v;
    int rc;

    if (!json_is_object(body))
        return rt_error_set(err, RT_EINVAL, NULL, 0, NULL, "the body must be a JSON object");
    json_object_foreach((json_t *)(uintptr_t)body, k, v)
    {
        const struct rt_field *f = rt_entity_field(e, k);
        if (!f)
            return rt_error_set(err, RT_EINVAL, NULL, 0, k, "unknown field '%s'", k);
        if (!json_is_null(v) && (rc = check_value(f, v, err)) < 0)
            return rc;
    }
    for (const struct rt_field *f = e->fields; f->name; f++)
        if ((f->flags & RT_FIELD_REQUIRED) && absent(json_object_get(body, f->name)))
            return rt_error_set(err, RT_EINVAL, NULL, 0, f->name, "'%s' is required", f->name);
    return 0;
}

/* Reading a checked body. */
static const char *str(const json_t *body, const char *k)
{
    const char *s = json_string_value(json_object_get(body, k));
    return s && *s ? s : NULL;
}

static int64_t num(const json_t *body, const char *k, int64_t none)
{
    const json_t *v = json_object_get(body, k);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : none;
}

/* The error names the field of the body, whatever the writer called it. */
static int name_field(int rc, const char *field, struct rt_error *err)
{
    if (rc < 0 && (!err->field || strcmp(err->field, field))) {
        rt_free(err->field);
        err->field = rt_xstrdup(field);
    }
    return rc;
}

/*
 * A list entry as "KIND:ID": "ask:2" as it is, a bare number with the field's kind; a
 * round also as DIALOGUE#ORDINAL (or its id), found in the store.
 */
static int ref_of(struct rt_store *st, const json_t *e, const char *kind, char out[80],
                  struct rt_error *err)
{
    const char *s = json_string_value(e);
    int64_t id;
    int rc;

    if (json_is_integer(e)) {
        snprintf(out, 80, "%s:%" PRId64, kind ? kind : "rec", (int64_t)json_integer_value(e));
        return 0;
    }
    if (kind && !strcmp(kind, "round") && !(strchr(s, ':') && strncmp(s, "round:", 6))) {
        if ((rc = rt_round_find(st, strchr(s, ':') ? s + 6 : s, &id, err)) < 0)
            return rc;
        snprintf(out, 80, "round:%" PRId64, id);
    } else if (strchr(s, ':') || !kind) {
        snprintf(out, 80, "%s", s);
    } else {
        snprintf(out, 80, "%s:%s", kind, s);
    }
    return 0;
}

int rt__entity_ref(struct rt_store *st, const json_t *e, const char *kind, char out[80],
                   struct rt_error *err)
{
    return ref_of(st, e, kind, out, err);
}

/* Links from to every entry of the list field f of body, by f->relation (or relation). */
static int link_list(struct rt_store *st, const char *from, const json_t *body,
                     const struct rt_field *f, const char *relation, const char *kind, int64_t *n,
                     struct rt_error *err)
{
    char to[80];
    size_t i;
    json_t *e;
    int rc;

    json_array_foreach(json_object_get(body, f->name), i, e)
    {
        if ((rc = ref_of(st, e, kind, to, err)) < 0 ||
            (rc = rt_link_add(st, from, relation, to, err)) < 0)
            return name_field(rc, f->name, err);
        if (n)
            (*n)++;
    }
    return 0;
}

/* A link: from RELATION each of to. The kind of a bare id depends on the relation. */
static int write_link(struct rt_store *st, const struct rt_entity *e, const json_t *body,
                      int64_t *out, struct rt_error *err)
{
    const char *relation = str(body, "relation");
    const char *kind = !strcmp(relation, "responds-to")   ? "step"
                       : !strcmp(relation, "welcomed-in") ? "round"
                                                          : "rec";
    char from[80];
    int rc;

    *out = 0;
    const char *f = json_string_value(json_object_get(body, "from"));
    /* A round may be named as people do, D#N ("1#2"); any other from is KIND:ID. */
    const char *from_kind = f && !strchr(f, ':') && strchr(f, '#') ? "round" : NULL;
    if ((rc = ref_of(st, json_object_get(body, "from"), from_kind, from, err)) < 0)
        return name_field(rc, "from", err);
    if (!strchr(from, ':'))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "from", "'%s' is not KIND:ID, such as step:2",
                            from);
    return link_list(st, from, body, rt_entity_field(e, "to"), relation, kind, out, err);
}

/* The record itself, by the library's write of its kind. */
static int write_record(struct rt_store *st, const struct rt_entity *e, int64_t parent,
                        const json_t *b, int64_t *id, struct rt_error *err)
{
    const char *n = e->name;

    if (!strcmp(n, "dialogue")) {
        const json_t *list = json_object_get(b, "parties");
        const char *parties[16];
        size_t k = json_array_size(list);
        for (size_t i = 0; i < k; i++)
            parties[i] = json_string_value(json_array_get(list, i));
        return rt_dialogue_add(st, str(b, "name"), str(b, "kind"), parties, k, id, err);
    }
    if (!strcmp(n, "round")) {
        struct rt_round_in r = {parent,          (int)num(b, "ordinal", 0), str(b, "date"),
                                str(b, "place"), str(b, "summary"),         str(b, "source")};
        return rt_round_add(st, &r, id, err);
    }
    if (!strcmp(n, "participant"))
        return rt_participant_add(st, parent, str(b, "name"), str(b, "title"),
                                  str(b, "organisation"), str(b, "party"), id, err);
    if (!strcmp(n, "topic"))
        return rt_topic_add(st, parent, str(b, "text"), str(b, "theme"), id, err);
    if (!strcmp(n, "ask"))
        return rt_ask_add(st, parent, str(b, "from"), str(b, "to"), str(b, "text"), str(b, "theme"),
                          id, err);
    if (!strcmp(n, "step")) {
        struct rt_step_in s = {str(b, "actor"),     str(b, "date"),         str(b, "kind"),
                               str(b, "direction"), num(b, "quantity", -1), str(b, "text"),
                               str(b, "source")};
        if (!s.direction)
            s.direction = "positive";
        return rt_step_add(st, &s, id, err);
    }
    if (!strcmp(n, "commitment"))
        return rt_commitment_add(st, parent, str(b, "party"), str(b, "condition"),
                                 str(b, "promise"), id, err);
    if (!strcmp(n, "benchmark"))
        return rt_benchmark_add(st, parent, str(b, "text"), id, err);
    if (!strcmp(n, "assessment")) {
        char target[80], replaces[80];
        struct rt_assessment_in a = {target,           str(b, "as_of"),
                                     str(b, "status"), str(b, "evidence"),
                                     str(b, "source"), str(b, "assessor")};
        int64_t corrects = 0;
        int rc = ref_of(st, json_object_get(b, "target"), "rec", target, err);
        if (rc < 0)
            return name_field(rc, "target", err);
        if (!absent(json_object_get(b, "replaces"))) {
            char *end = NULL;
            rc = ref_of(st, json_object_get(b, "replaces"), "assessment", replaces, err);
            if (rc == 0 && !strncmp(replaces, "assessment:", 11))
                corrects = strtoll(replaces + 11, &end, 10);
            if (rc == 0 && (!end || *end || corrects <= 0))
                rc = rt_error_set(err, RT_EINVAL, NULL, 0, "replaces",
                                  "'%s' is not an assessment such as assessment:4", replaces);
            if (rc < 0)
                return name_field(rc, "replaces", err);
        }
        return rt_assess_replacing(st, &a, corrects, id, err);
    }
    if (!strcmp(n, "person")) {
        struct rt_person_in p = {
            str(b, "name"),     str(b, "sex"),   (int)num(b, "birth_year", 0),
            str(b, "groups"),   str(b, "note"),  str(b, "source"),
            str(b, "if_close"), str(b, "state"), json_is_true(json_object_get(b, "public"))};
        return rt_person_add(st, &p, id, err);
    }
    if (!strcmp(n, "case")) {
        char step[80] = "";
        struct rt_case_in c = {parent,
                               str(b, "event"),
                               str(b, "date"),
                               str(b, "how"),
                               str(b, "detail"),
                               str(b, "source"),
                               0};
        int rc;
        if (json_object_get(b, "step") && !json_is_null(json_object_get(b, "step"))) {
            if ((rc = ref_of(st, json_object_get(b, "step"), "step", step, err)) < 0)
                return name_field(rc, "step", err);
            if (strncmp(step, "step:", 5) || (c.step_id = strtoll(step + 5, NULL, 10)) <= 0)
                return rt_error_set(err, RT_EINVAL, NULL, 0, "step", "'%s' is not a step id", step);
        }
        return rt_case_add(st, &c, id, err);
    }
    return write_link(st, e, b, id, err);
}

/* One try of rt_ledger_write: its transaction, rolled back on failure. */
static int write_once(struct rt_store *st, const struct rt_entity *e, int64_t parent_id,
                      const json_t *body, int64_t *id, struct rt_error *err)
{
    char from[80];
    int rc;

    *id = 0;
    /* The parties named, looked up once before the transaction: PostgreSQL's store keeps
     * the answers (pg_state_find), so that the writers' lock that rt_store_begin takes
     * is not held across these round trips. Failures are left to write_record's own. */
    for (const struct rt_field *f = e->fields; f->name; f++) {
        char code[16];
        if (f->type == RT_FIELD_PARTY && str(body, f->name))
            rt_party_resolve(st, str(body, f->name), code, NULL);
    }
    if ((rc = rt_store_begin(st, err)) < 0)
        return rc;
    rc = write_record(st, e, parent_id, body, id, err);
    snprintf(from, sizeof(from), "%s:%" PRId64, e->name, *id);
    if (rc == 0 && json_is_true(json_object_get(body, "private")))
        rc = name_field(rt_private_set(st, from, 1, err), "private", err);
    for (const struct rt_field *f = e->fields; rc == 0 && f->name; f++)
        if (f->type == RT_FIELD_REFS && f->relation)
            rc = link_list(st, from, body, f, f->relation, f->ref_kind, NULL, err);
    if (rc < 0) {
        rt_store_rollback(st);
        return rc;
    }
    return rt_store_commit(st, err);
}

int rt_ledger_write(struct rt_store *st, const char *entity, int64_t parent_id, const json_t *body,
                    int64_t *out_id, struct rt_error *err)
{
    const struct rt_entity *e = rt_entity_find(entity);
    int64_t id = 0;
    int rc;

    if (!e)
        return rt_error_set(err, RT_ENOTFOUND, NULL, 0, NULL, "nothing called %s to add",
                            entity ? entity : "(null)");
    if ((rc = rt_entity_check(e, body, err)) < 0)
        return rc;
    /* A transaction the database aborted for a clash with another writer (PostgreSQL's
     * serialization failures) is run again, a bounded number of times. */
    for (int attempt = 1; (rc = write_once(st, e, parent_id, body, &id, err)) < 0; attempt++)
        if (!rt__store_retry(st, attempt, err))
            return rc;
    *out_id = id;
    return 0;
}
