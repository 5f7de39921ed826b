/* Text renderings of the library's JSON documents for a desk officer (the ledger's
 * reads: dialogue, round, steps, status, since, timeline, reciprocity). */
#include <inttypes.h>

#include "cli.h"

/*
 * Reading the documents. They are the library's, and the renderings below look
 * for the keys its header documents, with a few alternatives, and fall back to
 * printing what they do not know plainly rather than hiding it.
 */
static const char *str(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *str2(const json_t *o, const char *k1, const char *k2)
{
    const char *s = str(o, k1);
    return s ? s : str(o, k2);
}

static int has_int(const json_t *o, const char *key, json_int_t *out)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        return 0;
    *out = json_integer_value(v);
    return 1;
}

static const json_t *arr(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_array(v) ? v : NULL;
}

static void indent(int n)
{
    printf("%*s", n, "");
}

/* A reference as a string: "step 3" from 3, {"kind":"step","id":3} or "step:3". */
static void print_ref(const json_t *v, const char *kind)
{
    json_int_t id;

    if (json_is_integer(v)) {
        printf("%s %" JSON_INTEGER_FORMAT, kind, json_integer_value(v));
    } else if (json_is_string(v)) {
        const char *s = json_string_value(v), *colon = strchr(s, ':');
        if (colon && colon - s == 3 && !strncmp(s, "rec", 3))
            printf("recommendation %s", colon + 1);
        else if (colon)
            printf("%.*s %s", (int)(colon - s), s, colon + 1);
        else
            printf("%s", s);
    } else if (json_is_object(v)) {
        const char *k = str2(v, "kind", "type");
        if (has_int(v, "id", &id))
            printf("%s %" JSON_INTEGER_FORMAT, k ? k : kind, id);
        else
            printf("%s", k ? k : kind);
        if (str(v, "text"))
            printf(" (%s)", str(v, "text"));
    }
}

static void print_refs(const char *label, const json_t *a, const char *kind)
{
    size_t i;
    const json_t *v;

    if (!json_is_array(a) || !json_array_size(a))
        return;
    printf("%s ", label);
    json_array_foreach(a, i, v)
    {
        if (i)
            printf(", ");
        print_ref(v, kind);
    }
}

static void print_step(const json_t *s, int ind)
{
    json_int_t id, q;
    const char *dir = str(s, "direction");

    indent(ind);
    printf("%-10s %-5s %s", str(s, "date") ? str(s, "date") : "?",
           str(s, "actor") ? str(s, "actor") : "?", str(s, "kind") ? str(s, "kind") : "step");
    if (has_int(s, "quantity", &q))
        printf(", %" JSON_INTEGER_FORMAT, q);
    if (dir && !strcmp(dir, "negative"))
        printf(" (a step back)");
    if (has_int(s, "id", &id))
        printf("  [step %" JSON_INTEGER_FORMAT "]", id);
    printf("\n");
    indent(ind + 11);
    printf("%s\n", str(s, "text") ? str(s, "text") : "");
    if (json_array_size(json_object_get(s, "responds_to"))) {
        indent(ind + 11);
        printf("in response to");
        print_refs("", json_object_get(s, "responds_to"), "step");
        printf("\n");
    }
    if (json_array_size(json_object_get(s, "answers"))) {
        indent(ind + 11);
        printf("answers");
        print_refs("", json_object_get(s, "answers"), "");
        printf("\n");
    }
    if (json_array_size(json_object_get(s, "responded_by"))) {
        indent(ind + 11);
        printf("answered by");
        print_refs("", json_object_get(s, "responded_by"), "step");
        printf("\n");
    }
}

/* The latest assessment in a document's "assessment" (an object or null). */
static void print_latest(const json_t *a)
{
    if (!json_is_object(a)) {
        printf(" (not assessed)");
        return;
    }
    printf(" (%s as of %s", str(a, "status") ? str(a, "status") : "?",
           str(a, "as_of") ? str(a, "as_of") : "?");
    if (str(a, "assessor"))
        printf(", by %s", str(a, "assessor"));
    printf(")");
}

/* " [expression, media]": the theme areas of a topic or an ask. */
static void print_areas(const json_t *areas)
{
    size_t i;
    const json_t *v;

    if (!json_array_size(areas))
        return;
    printf(" [");
    json_array_foreach(areas, i, v)
        printf("%s%s", i ? ", " : "", json_string_value(v) ? json_string_value(v) : "?");
    printf("]");
}

static void print_ask(const json_t *a, int ind)
{
    json_int_t id;

    indent(ind);
    if (has_int(a, "id", &id))
        printf("[ask %" JSON_INTEGER_FORMAT "] ", id);
    printf("%s asks %s: %s", str(a, "from") ? str(a, "from") : "?",
           str(a, "to") ? str(a, "to") : "?", str(a, "text") ? str(a, "text") : "");
    print_areas(json_object_get(a, "areas"));
    if (json_object_get(a, "assessment"))
        print_latest(json_object_get(a, "assessment"));
    printf("\n");
    if (str(a, "theme") || json_array_size(json_object_get(a, "recommendations")) ||
        json_array_size(json_object_get(a, "answered_by"))) {
        indent(ind + 4);
        printf("%s%s", str(a, "theme") ? "theme: " : "", str(a, "theme") ? str(a, "theme") : "");
        print_refs(str(a, "theme") ? "; about" : "about", json_object_get(a, "recommendations"),
                   "recommendation");
        print_refs(str(a, "theme") || json_array_size(json_object_get(a, "recommendations"))
                       ? "; answered by"
                       : "answered by",
                   json_object_get(a, "answered_by"), "step");
        printf("\n");
    }
}

static void print_commitment(const json_t *c, int ind)
{
    json_int_t id;
    const json_t *st = json_object_get(c, "status");
    const char *cond = str(c, "condition");

    indent(ind);
    if (has_int(c, "id", &id))
        printf("[commitment %" JSON_INTEGER_FORMAT "] ", id);
    printf("%s: ", str(c, "party") ? str(c, "party") : "?");
    if (cond)
        printf("if %s, then %s\n", cond, str(c, "promise") ? str(c, "promise") : "");
    else
        printf("%s\n", str(c, "promise") ? str(c, "promise") : "");
    indent(ind + 4);
    if (json_is_object(st)) {
        printf("%s since %s", str(st, "status") ? str(st, "status") : "?",
               str(st, "as_of") ? str(st, "as_of") : "?");
        if (has_int(st, "step", &id))
            printf(", by step %" JSON_INTEGER_FORMAT, id);
        if (str(st, "note"))
            printf(": %s", str(st, "note"));
    } else if (json_is_string(st)) {
        printf("%s", json_string_value(st));
    } else {
        printf("not yet made as of that date");
    }
    printf("\n");
}

static void print_assessment(const json_t *a, int ind)
{
    indent(ind);
    if (str(a, "target")) {
        print_ref(json_object_get(a, "target"), "");
        printf(": ");
    }
    printf("%s as of %s", str(a, "status") ? str(a, "status") : "?",
           str(a, "as_of") ? str(a, "as_of") : "?");
    if (str(a, "assessor"))
        printf(", by %s", str(a, "assessor"));
    printf("\n");
    if (str(a, "evidence")) {
        indent(ind + 4);
        printf("%s\n", str(a, "evidence"));
    }
    if (str(a, "source")) {
        indent(ind + 4);
        printf("source: %s\n", str(a, "source"));
    }
}

static void print_rec(const json_t *r, int ind)
{
    json_int_t id;

    indent(ind);
    if (has_int(r, "id", &id))
        printf("[rec %" JSON_INTEGER_FORMAT "] ", id);
    printf("%s", str(r, "text") ? str(r, "text") : "");
    if (str(r, "response"))
        printf(" (%s)", str(r, "response"));
    if (arr(r, "recommending_states")) {
        size_t i;
        const json_t *v;
        printf("; by ");
        json_array_foreach(arr(r, "recommending_states"), i, v)
        {
            printf("%s%s", i ? ", " : "", json_string_value(v) ? json_string_value(v) : "");
        }
    }
    printf("\n");
}

static void print_participant(const json_t *p, int ind)
{
    indent(ind);
    printf("%s", str(p, "name") ? str(p, "name") : "?");
    if (str(p, "title"))
        printf(", %s", str(p, "title"));
    if (str2(p, "organisation", "organization"))
        printf(", %s", str2(p, "organisation", "organization"));
    printf("\n");
}

static void print_round_line(const json_t *r, int ind)
{
    json_int_t n;

    indent(ind);
    printf("%-10s round", str(r, "date") ? str(r, "date") : "?");
    if (has_int(r, "ordinal", &n))
        printf(" %" JSON_INTEGER_FORMAT, n);
    if (str(r, "place"))
        printf(", %s", str(r, "place"));
    if (str(r, "ref"))
        printf(" [%s]", str(r, "ref"));
    printf("\n");
    if (str(r, "summary")) {
        indent(ind + 11);
        printf("%s\n", str(r, "summary"));
    }
}

static void print_any(const json_t *v, int ind);

/* An object whose kind the keys tell. */
static void print_item(const json_t *o, int ind)
{
    const char *type = str2(o, "type", "kind_of");

    if (!json_is_object(o)) {
        print_any(o, ind);
    } else if ((type && !strcmp(type, "round")) || json_object_get(o, "ordinal")) {
        print_round_line(o, ind);
    } else if (json_object_get(o, "promise")) {
        print_commitment(o, ind);
    } else if (json_object_get(o, "actor")) {
        print_step(o, ind);
    } else if (str2(o, "from", "from_party") && str2(o, "to", "to_party")) {
        print_ask(o, ind);
    } else if (json_object_get(o, "target") ||
               (str(o, "status") && (str(o, "as_of") || str(o, "evidence")))) {
        print_assessment(o, ind);
    } else if (json_object_get(o, "response") || json_object_get(o, "state_under_review")) {
        print_rec(o, ind);
    } else if (str(o, "name") && (str(o, "title") || str2(o, "organisation", "organization"))) {
        print_participant(o, ind);
    } else {
        print_any(o, ind);
    }
}

static void title(const char *key, int ind)
{
    indent(ind);
    for (const char *p = key; *p; p++)
        putchar(p == key && *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p == '_' ? ' ' : *p);
    printf(":\n");
}

static void print_list(const char *key, const json_t *a, int ind)
{
    size_t i;
    const json_t *v;

    title(key, ind);
    if (!json_array_size(a)) {
        indent(ind + 2);
        printf("(none)\n");
    }
    json_array_foreach(a, i, v) print_item(v, ind + 2);
}

/* Anything: scalars on one line as "key: value", arrays and objects nested. */
static void print_any(const json_t *v, int ind)
{
    const char *key;
    const json_t *x;
    int first = 1;

    switch (json_typeof(v)) {
    case JSON_OBJECT:
        indent(ind);
        json_object_foreach((json_t *)(uintptr_t)v, key, x)
        {
            if (json_is_array(x) || json_is_object(x))
                continue;
            if (!first)
                printf(", ");
            first = 0;
            printf("%s: ", key);
            print_any(x, 0);
        }
        if (!first)
            printf("\n");
        json_object_foreach((json_t *)(uintptr_t)v, key, x)
        {
            if (json_is_array(x))
                print_list(key, x, ind + 2);
            else if (json_is_object(x)) {
                title(key, ind + 2);
                print_item(x, ind + 4);
            }
        }
        break;
    case JSON_ARRAY: {
        size_t i;
        json_array_foreach(v, i, x) print_item(x, ind);
        break;
    }
    case JSON_STRING:
        printf("%s", json_string_value(v));
        break;
    case JSON_INTEGER:
        printf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        printf("%g", json_real_value(v));
        break;
    case JSON_TRUE:
        printf("yes");
        break;
    case JSON_FALSE:
        printf("no");
        break;
    case JSON_NULL:
        printf("-");
        break;
    }
}

/* Prints every array or object of o not in skip (NULL-terminated), as print_any. */
static void print_rest(const json_t *o, const char *const *skip, int ind)
{
    const char *key;
    const json_t *x;

    json_object_foreach((json_t *)(uintptr_t)o, key, x)
    {
        int skipped = 0;
        for (size_t i = 0; skip[i]; i++)
            skipped |= !strcmp(skip[i], key);
        if (skipped)
            continue;
        if (json_is_array(x)) {
            printf("\n");
            print_list(key, x, ind);
        } else if (json_is_object(x)) {
            printf("\n");
            title(key, ind);
            print_item(x, ind + 2);
        }
    }
}

static void print_parties(const json_t *parties)
{
    size_t i;
    const json_t *v;

    json_array_foreach(parties, i, v)
    {
        printf("%s", i ? (i + 1 == json_array_size(parties) ? " and " : ", ") : "");
        if (json_is_string(v))
            printf("%s", json_string_value(v));
        else
            print_any(v, 0);
    }
}

static void print_dialogue_head(const json_t *d)
{
    json_int_t id = 0;

    has_int(d, "id", &id);
    printf("%s [dialogue %" JSON_INTEGER_FORMAT "]", str(d, "name") ? str(d, "name") : "?", id);
    if (str(d, "kind"))
        printf(", %s", str(d, "kind"));
    if (arr(d, "parties")) {
        printf(", between ");
        print_parties(arr(d, "parties"));
    }
    printf("\n");
}

void render_dialogue_list(const json_t *v)
{
    const json_t *d;
    json_int_t n;
    size_t i;

    if (!json_array_size(v))
        printf("no dialogues yet ('rightstrack dialogue add --help' to start one)\n");
    json_array_foreach(v, i, d)
    {
        print_dialogue_head(d);
        if (has_int(d, "rounds", &n)) {
            printf("    %" JSON_INTEGER_FORMAT " round%s", n, n == 1 ? "" : "s");
            if (str(d, "last_round"))
                printf(", the last on %s", str(d, "last_round"));
            printf("\n");
        }
    }
}

void render_round_list(const json_t *rounds)
{
    const json_t *v;
    size_t i;

    if (!json_array_size(rounds))
        printf("no rounds recorded\n");
    json_array_foreach(rounds, i, v) print_round_line(v, 0);
}

void render_dialogue(const json_t *d)
{
    static const char *const skip[] = {"parties", "rounds", "benchmarks", NULL};
    const json_t *v;
    size_t i;

    print_dialogue_head(d);
    printf("\nRounds:\n");
    if (!json_array_size(arr(d, "rounds")))
        printf("  (none)\n");
    json_array_foreach(arr(d, "rounds"), i, v) print_round_line(v, 2);
    printf("\nBenchmarks:\n");
    if (!json_array_size(arr(d, "benchmarks")))
        printf("  (none)\n");
    json_array_foreach(arr(d, "benchmarks"), i, v)
    {
        json_int_t id = 0;
        has_int(v, "id", &id);
        printf("  [benchmark %" JSON_INTEGER_FORMAT "] %s", id,
               str(v, "text") ? str(v, "text") : "");
        print_latest(json_object_get(v, "assessment"));
        printf("\n");
        if (json_array_size(arr(v, "tracks"))) {
            printf("      tracks");
            print_refs("", arr(v, "tracks"), "");
            printf("\n");
        }
    }
    print_rest(d, skip, 0);
}

/* The sides of a round: the parties of its participants, in order met. */
static void print_participants(const json_t *ps)
{
    const char *seen[32];
    size_t n = 0, i;
    const json_t *p;

    printf("\nParticipants:\n");
    if (!json_array_size(ps))
        printf("  (none)\n");
    json_array_foreach(ps, i, p)
    {
        const char *party = str(p, "party") ? str(p, "party") : "";
        size_t k;
        for (k = 0; k < n && strcmp(seen[k], party); k++)
            ;
        if (k == n && n < 32)
            seen[n++] = party;
    }
    for (size_t k = 0; k < n; k++) {
        printf("  %s\n", *seen[k] ? seen[k] : "(side not given)");
        json_array_foreach(ps, i, p)
        {
            const char *party = str(p, "party") ? str(p, "party") : "";
            if (!strcmp(party, seen[k]))
                print_participant(p, 4);
        }
    }
}

void render_round(const json_t *r)
{
    static const char *const skip[] = {
        "dialogue",    "participants",           "topics", "asks", "welcomed_steps",
        "commitments", "linked_recommendations", NULL};
    const json_t *d = json_object_get(r, "dialogue"), *v;
    const json_t *linked = json_object_get(r, "linked_recommendations");
    json_int_t n = 0;
    size_t i;

    has_int(r, "ordinal", &n);
    printf("Round %" JSON_INTEGER_FORMAT " of %s [%s]\n", n, str(d, "name") ? str(d, "name") : "?",
           str(r, "ref") ? str(r, "ref") : "?");
    if (arr(d, "parties")) {
        printf("  Parties  ");
        print_parties(arr(d, "parties"));
        printf("\n");
    }
    printf("  Date     %s\n", str(r, "date") ? str(r, "date") : "?");
    if (str(r, "place"))
        printf("  Place    %s\n", str(r, "place"));
    if (str(r, "summary"))
        printf("  Summary  %s\n", str(r, "summary"));
    if (str(r, "source"))
        printf("  Source   %s\n", str(r, "source"));
    print_participants(arr(r, "participants"));
    printf("\nTopics:\n");
    if (!json_array_size(arr(r, "topics")))
        printf("  (none)\n");
    json_array_foreach(arr(r, "topics"), i, v)
    {
        printf("  - %s", str(v, "text") ? str(v, "text") : "");
        print_areas(json_object_get(v, "areas"));
        if (str(v, "theme"))
            printf(" (theme: %s)", str(v, "theme"));
        print_refs("; about", json_object_get(v, "recommendations"), "recommendation");
        printf("\n");
    }
    printf("\nAsks:\n");
    if (!json_array_size(arr(r, "asks")))
        printf("  (none)\n");
    json_array_foreach(arr(r, "asks"), i, v) print_ask(v, 2);
    printf("\nSteps welcomed:\n");
    if (!json_array_size(arr(r, "welcomed_steps")))
        printf("  (none)\n");
    json_array_foreach(arr(r, "welcomed_steps"), i, v) print_step(v, 2);
    printf("\nCommitments:\n");
    if (!json_array_size(arr(r, "commitments")))
        printf("  (none)\n");
    json_array_foreach(arr(r, "commitments"), i, v) print_commitment(v, 2);
    if (json_is_object(linked)) {
        json_int_t count = 0;
        has_int(linked, "count", &count);
        printf("\nLinked recommendations: %" JSON_INTEGER_FORMAT, count);
        if (json_array_size(arr(linked, "states"))) {
            printf(" to ");
            print_parties(arr(linked, "states"));
        }
        printf(" on the themes of the topics and asks\n");
        json_array_foreach(arr(linked, "areas"), i, v)
        {
            json_int_t c = 0;
            has_int(v, "count", &c);
            printf("  %-28s %6" JSON_INTEGER_FORMAT "  %s\n", str(v, "code") ? str(v, "code") : "?",
                   c, str(v, "label") ? str(v, "label") : "");
        }
    }
    print_rest(r, skip, 0);
}

void render_steps(const json_t *v)
{
    const json_t *s;
    size_t i;

    if (!json_array_size(v))
        printf("no steps\n");
    json_array_foreach(v, i, s) print_step(s, 0);
}

void render_status(const json_t *v)
{
    const json_t *h = arr(v, "history"), *latest = json_object_get(v, "latest"), *x;
    size_t i;

    print_ref(json_object_get(v, "target"), "");
    printf(": %s", str(v, "status") ? str(v, "status") : "?");
    if (str(v, "since"))
        printf(" since %s", str(v, "since"));
    if (json_is_object(latest) && str(latest, "as_of"))
        printf(" (assessed as of %s)", str(latest, "as_of"));
    printf(", as of %s\n", str(v, "as_of") ? str(v, "as_of") : "today");
    if (json_is_object(latest)) {
        if (str(latest, "evidence"))
            printf("  Evidence  %s\n", str(latest, "evidence"));
        if (str(latest, "source"))
            printf("  Source    %s\n", str(latest, "source"));
        if (str(latest, "assessor"))
            printf("  Assessor  %s\n", str(latest, "assessor"));
    }
    if (json_array_size(json_object_get(v, "persons"))) {
        printf("\nPersons named (%lld held, %lld freed):\n",
               (long long)json_integer_value(json_object_get(v, "persons_held")),
               (long long)json_integer_value(json_object_get(v, "persons_freed")));
        json_array_foreach(json_object_get(v, "persons"), i, x)
        {
            const json_t *ps = json_object_get(x, "status");
            printf("  %-32s %s%s%s\n", str(x, "name") ? str(x, "name") : "?",
                   str(ps, "status") ? str(ps, "status") : "?", str(ps, "how") ? ", " : "",
                   str(ps, "how") ? str(ps, "how") : "");
        }
    }
    if (h && json_array_size(h)) {
        printf("\nHistory:\n");
        json_array_foreach(h, i, x)
        {
            json_int_t step;
            if (has_int(x, "step", &step) || str(x, "note") ||
                (!str(x, "evidence") && !str(x, "assessor"))) {
                /* A commitment's status change. */
                printf("  %-10s %s", str(x, "as_of") ? str(x, "as_of") : "?",
                       str(x, "status") ? str(x, "status") : "?");
                if (has_int(x, "step", &step))
                    printf(", by step %" JSON_INTEGER_FORMAT, step);
                if (str(x, "note"))
                    printf(": %s", str(x, "note"));
                printf("\n");
            } else {
                print_assessment(x, 2);
            }
        }
    }
}

static void heading(const char *text, const json_t *a)
{
    printf("\n%s:\n", text);
    if (!json_array_size(a))
        printf("  (none)\n");
}

void render_since(const json_t *v)
{
    static const char *const skip[] = {"round",       "dialogue",    "as_of",
                                       "steps",       "asks_open",   "asks_closed",
                                       "commitments", "assessments", "new_recommendations",
                                       NULL};
    const json_t *r = json_object_get(v, "round"), *d = json_object_get(v, "dialogue"), *x, *y;
    json_int_t n = 0;
    size_t i, k;

    has_int(r, "ordinal", &n);
    printf("What moved since round %" JSON_INTEGER_FORMAT " of %s (%s", n,
           str(d, "name") ? str(d, "name") : "?", str(r, "date") ? str(r, "date") : "?");
    if (str(r, "place"))
        printf(", %s", str(r, "place"));
    printf("), as of %s\n", str(v, "as_of") ? str(v, "as_of") : "everything recorded");
    json_array_foreach(arr(v, "steps"), i, x)
    {
        char label[64];
        snprintf(label, sizeof(label), "Steps by %s", str(x, "party") ? str(x, "party") : "?");
        heading(label, arr(x, "steps"));
        json_array_foreach(arr(x, "steps"), k, y) print_step(y, 2);
    }
    heading("Asks still open", arr(v, "asks_open"));
    json_array_foreach(arr(v, "asks_open"), i, x) print_ask(x, 2);
    if (json_array_size(arr(v, "asks_closed"))) {
        heading("Asks met in full", arr(v, "asks_closed"));
        json_array_foreach(arr(v, "asks_closed"), i, x) print_ask(x, 2);
    }
    heading("Commitments", arr(v, "commitments"));
    json_array_foreach(arr(v, "commitments"), i, x) print_commitment(x, 2);
    heading("Assessments since the round", arr(v, "assessments"));
    json_array_foreach(arr(v, "assessments"), i, x) print_assessment(x, 2);
    heading("New recommendations", arr(v, "new_recommendations"));
    json_array_foreach(arr(v, "new_recommendations"), i, x)
    {
        json_int_t id = 0;
        has_int(x, "id", &id);
        printf("  [%" JSON_INTEGER_FORMAT "] %s, %s: %s\n", id,
               str(x, "date") ? str(x, "date") : "?", str(x, "response") ? str(x, "response") : "?",
               str(x, "text") ? str(x, "text") : "");
    }
    print_rest(v, skip, 0);
}

void render_timeline(const json_t *v)
{
    static const char *const skip[] = {"dialogue", "as_of", "events", NULL};
    const json_t *x, *p;
    size_t i, k;

    print_dialogue_head(json_object_get(v, "dialogue"));
    printf("As of %s\n\n", str(v, "as_of") ? str(v, "as_of") : "everything recorded");
    if (!json_array_size(arr(v, "events")))
        printf("nothing recorded\n");
    json_array_foreach(arr(v, "events"), i, x)
    {
        const char *type = str(x, "type");
        if (type && !strcmp(type, "round")) {
            json_int_t n = 0;
            has_int(x, "ordinal", &n);
            printf("%-10s ROUND %" JSON_INTEGER_FORMAT "%s%s  [%s]\n",
                   str(x, "date") ? str(x, "date") : "?", n, str(x, "place") ? ", " : "",
                   str(x, "place") ? str(x, "place") : "", str(x, "ref") ? str(x, "ref") : "?");
        } else if (json_is_object(json_object_get(x, "step"))) {
            const json_t *s = json_object_get(x, "step");
            json_int_t q, id = 0;
            const char *dir = str(s, "direction");
            has_int(s, "id", &id);
            printf("%-10s %s %s", str(s, "date") ? str(s, "date") : "?",
                   str(s, "actor") ? str(s, "actor") : "?", str(s, "kind") ? str(s, "kind") : "");
            if (has_int(s, "quantity", &q))
                printf(", %" JSON_INTEGER_FORMAT, q);
            if (dir && !strcmp(dir, "negative"))
                printf(" (a step back)");
            printf("  [step %" JSON_INTEGER_FORMAT "]\n", id);
            printf("%11s%s\n", "", str(s, "text") ? str(s, "text") : "");
            json_array_foreach(arr(x, "in_response_to"), k, p)
            {
                json_int_t pid = 0;
                has_int(p, "id", &pid);
                printf("%11sin response to step %" JSON_INTEGER_FORMAT " (%s, %s: %s)\n", "", pid,
                       str(p, "actor") ? str(p, "actor") : "?",
                       str(p, "date") ? str(p, "date") : "?", str(p, "text") ? str(p, "text") : "");
            }
            if (json_array_size(arr(s, "answers"))) {
                printf("%11sanswers", "");
                print_refs("", arr(s, "answers"), "");
                printf("\n");
            }
        } else {
            print_any(x, 0);
        }
    }
    print_rest(v, skip, 0);
}

void render_reciprocity(const json_t *v)
{
    static const char *const skip[] = {"dialogue", "as_of", "parties", "responses", NULL};
    const json_t *p, *s, *r;
    size_t i, k, m;

    print_dialogue_head(json_object_get(v, "dialogue"));
    printf("As of %s\n", str(v, "as_of") ? str(v, "as_of") : "everything recorded");
    json_array_foreach(arr(v, "parties"), i, p)
    {
        json_int_t pos = 0, neg = 0;
        has_int(p, "positive", &pos);
        has_int(p, "negative", &neg);
        printf("\n%s: %" JSON_INTEGER_FORMAT " step%s forward, %" JSON_INTEGER_FORMAT
               " step%s back\n",
               str(p, "party") ? str(p, "party") : "?", pos, pos == 1 ? "" : "s", neg,
               neg == 1 ? "" : "s");
        json_array_foreach(arr(p, "steps"), k, s)
        {
            json_int_t id = 0, q;
            const char *dir = str(s, "direction");
            has_int(s, "id", &id);
            printf("  step %" JSON_INTEGER_FORMAT "  %-10s %s", id,
                   str(s, "date") ? str(s, "date") : "?", str(s, "kind") ? str(s, "kind") : "");
            if (has_int(s, "quantity", &q))
                printf(", %" JSON_INTEGER_FORMAT, q);
            if (dir && !strcmp(dir, "negative"))
                printf(" (a step back)");
            printf(": %s\n", str(s, "text") ? str(s, "text") : "");
            json_array_foreach(arr(v, "responses"), m, r)
            {
                json_int_t from = 0, to = 0;
                has_int(r, "step", &from);
                has_int(r, "responds_to", &to);
                if (from == id)
                    printf("          answers step %" JSON_INTEGER_FORMAT " of %s (%s)\n", to,
                           str(r, "to_actor") ? str(r, "to_actor") : "?",
                           str(r, "to_date") ? str(r, "to_date") : "?");
            }
            if (json_array_size(arr(s, "responded_by"))) {
                printf("          answered by");
                print_refs("", arr(s, "responded_by"), "step");
                printf("\n");
            }
        }
    }
    print_rest(v, skip, 0);
}
