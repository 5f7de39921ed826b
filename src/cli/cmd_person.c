/*
 * rightstrack person and rightstrack case: the register of persons behind the numbers
 * (person.h, docs/persons.md). Persons are private records unless marked public: the
 * command line is the operator's own, so it shows them all.
 */
#include "cli.h"

#include <rightstrack/entity.h>
#include <rightstrack/ledger.h>
#include <rightstrack/person.h>

static const char usage[] =
    "rightstrack [--db PATH] person add NAME [--sex S] [--born YEAR] [--state STATE]\n"
    "       [--groups G] [--note N] [--source S] [--if-close refuse|new] [--public] [--json]\n"
    "       rightstrack [--db PATH] person list [QUERY] [--as-of D] [--json]\n"
    "       rightstrack [--db PATH] person show PERSON [--as-of D] [--json]\n"
    "       rightstrack [--db PATH] person edit PERSON [--name N] [--sex S] [--born YEAR]\n"
    "       [--state STATE] [--groups G] [--note N] [--json]\n"
    "       rightstrack [--db PATH] person name PERSON NAME [--source S] [--json]\n"
    "       rightstrack [--db PATH] person match NAME [--json]\n"
    "       rightstrack [--db PATH] person merge KEEP OTHER [--json]\n"
    "       rightstrack [--db PATH] person import FILE [--if-close same|new|refuse]\n"
    "       [--state STATE] [--json]\n"
    "       rightstrack [--db PATH] person count [--as-of D] [--compare FILE] [--json]\n"
    "       rightstrack [--db PATH] person ask ASK [PERSON]... [--as-of D] [--json]\n"
    "       rightstrack [--db PATH] person step STEP [--json]";

static const char head[] =
    "usage: rightstrack [--db PATH] person add NAME [OPTIONS]\n"
    "       rightstrack [--db PATH] person list|show|edit|name|match|merge|import|count|ask|step\n"
    "\n"
    "The persons behind the numbers: people detained, charged, sentenced and freed,\n"
    "with their names in every script and spelling met. A name is matched across\n"
    "scripts and romanisations (\"Статкевич\", \"Statkevich\", \"Statkevic\"); a name close\n"
    "to a known person's is offered as that person, never merged without being told.\n"
    "A person is private unless added with --public (or made public later with\n"
    "'rightstrack private --public person:ID'): viewers and the public see only the\n"
    "persons marked public. PERSON is an id or a name of one person. Events of a\n"
    "case: 'rightstrack case add --help'.\n"
    "\n"
    "  add NAME              record a person; prints the id\n";

static const char tail[] =
    "  list [QUERY]          persons by name, with their status; QUERY keeps those\n"
    "                        whose names contain it or come close to it\n"
    "  show PERSON           names, status, events, the asks naming them, the steps\n"
    "                        that freed them\n"
    "    --as-of D           the status and events as of a date (default: all)\n"
    "  edit PERSON           correct the name shown (--name; it becomes one of the\n"
    "                        person's spellings), --sex, --born, --state, --groups\n"
    "                        or --note;\n"
    "                        an empty value clears a field. What it was stays in the\n"
    "                        history (rightstrack history person:ID)\n"
    "  name PERSON NAME      add a spelling of the person's name (--source S)\n"
    "  match NAME            the known persons close to a name, best first\n"
    "  merge KEEP OTHER      OTHER is KEEP: names, events and asks move to KEEP\n"
    "  import FILE           a register (CSV: person, date, event, how, detail,\n"
    "                        source, step) or a file of releases (date, mechanism,\n"
    "                        named_persons, source_url); in one transaction\n"
    "    --if-close W        a name close to a known person's: same (that person),\n"
    "                        new (a new person) or refuse (the default: stop)\n"
    "    --state STATE       the state that holds or held them: of the persons made,\n"
    "                        and of the known ones with no state yet\n"
    "  count                 persons detained, released, died as of a date\n"
    "    --compare FILE      beside each count of a CSV (date, count, measure,\n"
    "                        counted_by), the register's count of detained persons\n"
    "  ask ASK [PERSON]...   the ask names these persons; without PERSON, the persons\n"
    "                        the ask names and their status --as-of D\n"
    "  step STEP             the persons a step freed, and how many it left unnamed\n"
    "  --json                print JSON\n"
    "\n"
    "Exit status: 0 ok, 1 failure (a name close to a known person's, among others),\n"
    "2 wrong usage.\n";

static const struct cli_entity_cmd add_cmd = {"person", NULL, usage, head, tail, NULL, NULL, NULL};

/* Reads "PERSON" with the store open. */
struct person_read {
    const char *ref, *as_of, *text;
};

static int get_person(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    const struct person_read *r = arg;
    int64_t id;
    int rc;

    if ((rc = rt_person_find(st, r->ref, &id, err)) < 0)
        return rc;
    return rt_person_get(st, id, r->as_of, doc, err);
}

static const char *s_of(const json_t *v, const char *k)
{
    return json_string_value(json_object_get(v, k));
}

static void print_status(const json_t *x)
{
    const char *how = s_of(x, "how"), *since = s_of(x, "since");
    printf("%s", s_of(x, "status") ? s_of(x, "status") : "?");
    if (how)
        printf(" (%s)", how);
    if (since)
        printf(" since %s", since);
    if (json_is_true(json_object_get(x, "inferred")))
        printf(" (a later release is on record)");
}

static void render_person(const json_t *v)
{
    const json_t *x;
    size_t i;

    printf("person %lld  %s\n", (long long)json_integer_value(json_object_get(v, "id")),
           s_of(v, "name"));
    if (json_is_integer(json_object_get(v, "merged_into")))
        printf("  merged into person %lld\n",
               (long long)json_integer_value(json_object_get(v, "merged_into")));
    printf("  Status    ");
    print_status(json_object_get(v, "status"));
    printf(", as of %s\n", s_of(v, "as_of") ? s_of(v, "as_of") : "today");
    if (s_of(v, "groups"))
        printf("  Groups    %s\n", s_of(v, "groups"));
    if (s_of(v, "sex"))
        printf("  Sex       %s\n", s_of(v, "sex"));
    if (json_is_integer(json_object_get(v, "birth_year")))
        printf("  Born      %lld\n",
               (long long)json_integer_value(json_object_get(v, "birth_year")));
    if (s_of(v, "state"))
        printf("  State     %s\n", s_of(v, "state"));
    printf("  Names    ");
    json_array_foreach(json_object_get(v, "names"), i, x)
    {
        printf("%s %s", i ? "," : "", s_of(x, "name"));
    }
    printf("\n");
    if (json_array_size(json_object_get(v, "events"))) {
        printf("\nCase:\n");
        json_array_foreach(json_object_get(v, "events"), i, x)
        {
            printf("  %-10s %-10s", s_of(x, "date"), s_of(x, "event"));
            if (s_of(x, "how"))
                printf(" %s", s_of(x, "how"));
            if (s_of(x, "detail"))
                printf(" - %s", s_of(x, "detail"));
            if (json_is_integer(json_object_get(x, "step")))
                printf(" [step %lld]", (long long)json_integer_value(json_object_get(x, "step")));
            printf("  (case:%lld)\n", (long long)json_integer_value(json_object_get(x, "id")));
        }
    }
    if (json_array_size(json_object_get(v, "asks"))) {
        printf("\nNamed in asks:\n");
        json_array_foreach(json_object_get(v, "asks"), i, x)
        {
            printf("  ask %lld (%s): %s\n", (long long)json_integer_value(json_object_get(x, "id")),
                   s_of(x, "round_label"), s_of(x, "text"));
        }
    }
}

static void render_person_list(const json_t *v)
{
    const json_t *x;
    size_t i;

    if (!json_array_size(v)) {
        printf("no persons\n");
        return;
    }
    json_array_foreach(v, i, x)
    {
        printf("%5lld  %-32s ", (long long)json_integer_value(json_object_get(x, "id")),
               s_of(x, "name"));
        print_status(json_object_get(x, "status"));
        printf("\n");
    }
}

static int show(struct cli *c, int argc, char **argv)
{
    struct person_read r = {NULL, NULL, NULL};
    int json = 0, rc;
    struct cli_option opts[] = {OPT_STRING("as-of", &r.as_of, "D", NULL), OPT_JSON(&json),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc != 2)
        return cli_usage(c, usage, "person show needs one PERSON");
    r.ref = argv[1];
    return cli_read(c, json, get_person, &r, render_person);
}

static int get_list(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    const struct person_read *r = arg;
    return rt_person_list(st, r->text, r->as_of, doc, err);
}

static int list(struct cli *c, int argc, char **argv)
{
    struct person_read r = {NULL, NULL, NULL};
    int json = 0, rc;
    char *q = NULL;
    struct cli_option opts[] = {OPT_STRING("as-of", &r.as_of, "D", NULL), OPT_JSON(&json),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    q = cli_join(argc, argv, 1);
    r.text = q;
    rc = cli_read(c, json, get_list, &r, render_person_list);
    rt_free(q);
    return rc;
}

static void render_match(const json_t *v)
{
    const json_t *x;
    size_t i;

    if (!json_array_size(v)) {
        printf("no known person is close\n");
        return;
    }
    json_array_foreach(v, i, x)
    {
        printf("%5lld  %-32s %.2f%s\n", (long long)json_integer_value(json_object_get(x, "id")),
               s_of(x, "name"), json_real_value(json_object_get(x, "score")),
               json_is_true(json_object_get(x, "same")) ? "  (the same name)" : "");
    }
}

static int get_match(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    return rt_person_match(st, ((const struct person_read *)arg)->text, doc, err);
}

static int match(struct cli *c, int argc, char **argv)
{
    struct person_read r = {NULL, NULL, NULL};
    int json = 0, rc;
    char *q;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc < 2)
        return cli_usage(c, usage, "person match needs a NAME");
    q = cli_join(argc, argv, 1);
    r.text = q;
    rc = cli_read(c, json, get_match, &r, render_match);
    rt_free(q);
    return rc;
}

/* Writes. */
struct person_write {
    const char *a, *b, *source, *if_close, *as_of, *state;
    char **refs;
    int nrefs;
    json_t *result;
};

static int write_name(struct rt_store *st, int64_t parent, const void *arg, int64_t *id,
                      struct rt_error *err)
{
    const struct person_write *w = arg;
    int rc;

    (void)parent;
    if ((rc = rt_person_find(st, w->a, id, err)) < 0)
        return rc;
    return rt_person_name_add(st, *id, w->b, w->source, err);
}

static int name(struct cli *c, int argc, char **argv)
{
    struct person_write w = {0};
    int64_t id = 0;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_STRING("source", &w.source, "S", NULL), OPT_JSON(&json),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc != 3)
        return cli_usage(c, usage, "person name needs a PERSON and a NAME");
    w.a = argv[1], w.b = argv[2];
    if ((rc = cli_write(c, NULL, NULL, write_name, &w, &id)) != EXIT_OK)
        return rc;
    if (json)
        cli_print_json(json_pack("{s:I, s:s}", "id", (json_int_t)id, "name", w.b));
    else
        printf("person %lld is also '%s'\n", (long long)id, w.b);
    return EXIT_OK;
}

static int write_merge(struct rt_store *st, int64_t parent, const void *arg, int64_t *id,
                       struct rt_error *err)
{
    const struct person_write *w = arg;
    int64_t other;
    int rc;

    (void)parent;
    /* An id is taken as it is: a person merged already is refused, not followed to
     * the one it became. */
    if ((cli_parse_id(w->a, id) < 0 && (rc = rt_person_find(st, w->a, id, err)) < 0) ||
        (cli_parse_id(w->b, &other) < 0 && (rc = rt_person_find(st, w->b, &other, err)) < 0))
        return rc;
    return rt_person_merge(st, *id, other, err);
}

static int merge(struct cli *c, int argc, char **argv)
{
    struct person_write w = {0};
    int64_t id = 0;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc != 3)
        return cli_usage(c, usage, "person merge needs KEEP and OTHER");
    w.a = argv[1], w.b = argv[2];
    if ((rc = cli_write(c, NULL, NULL, write_merge, &w, &id)) != EXIT_OK)
        return rc;
    if (json)
        cli_print_json(json_pack("{s:I, s:s}", "id", (json_int_t)id, "merged", w.b));
    else
        printf("'%s' merged into person %lld\n", w.b, (long long)id);
    return EXIT_OK;
}

static int write_import(struct rt_store *st, int64_t parent, const void *arg, int64_t *id,
                        struct rt_error *err)
{
    struct person_write *w = (struct person_write *)(uintptr_t)arg;
    int rc;

    (void)parent;
    if ((rc = rt_person_import(st, w->a, w->if_close, w->state, &w->result, err)) == 0)
        *id = json_integer_value(json_object_get(w->result, "events"));
    return rc;
}

static int import(struct cli *c, int argc, char **argv)
{
    struct person_write w = {0};
    int64_t n = 0;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_STRING("if-close", &w.if_close, "same|new|refuse", NULL),
                                OPT_STRING("state", &w.state, "STATE", NULL), OPT_JSON(&json),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc != 2)
        return cli_usage(c, usage, "person import needs one FILE");
    if (w.if_close && strcmp(w.if_close, "same") && strcmp(w.if_close, "new") &&
        strcmp(w.if_close, "refuse"))
        return cli_usage(c, usage, "--if-close is same, new or refuse, not '%s'", w.if_close);
    w.a = argv[1];
    if ((rc = cli_write(c, NULL, NULL, write_import, &w, &n)) != EXIT_OK) {
        json_decref(w.result);
        return rc;
    }
    if (json) {
        cli_print_json(w.result);
        return EXIT_OK;
    }
    printf("%lld rows: %lld new persons, %lld spellings added to known ones, %lld events, "
           "%lld linked to a step\n",
           (long long)json_integer_value(json_object_get(w.result, "rows")),
           (long long)json_integer_value(json_object_get(w.result, "persons_new")),
           (long long)json_integer_value(json_object_get(w.result, "names_added")), (long long)n,
           (long long)json_integer_value(json_object_get(w.result, "linked")));
    {
        const json_t *x;
        size_t i;
        json_array_foreach(json_object_get(w.result, "close"), i, x)
        {
            printf("  line %lld: '%s' taken as person %lld (%.2f)\n",
                   (long long)json_integer_value(json_object_get(x, "line")), s_of(x, "name"),
                   (long long)json_integer_value(json_object_get(x, "person")),
                   json_real_value(json_object_get(x, "score")));
        }
    }
    json_decref(w.result);
    return EXIT_OK;
}

struct count_read {
    const char *as_of, *compare;
};

static int get_count(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    const struct count_read *r = arg;
    if (r->compare)
        return rt_person_counts_compare(st, r->compare, doc, err);
    return rt_person_count(st, r->as_of, doc, err);
}

static void render_count(const json_t *v)
{
    const json_t *x;
    size_t i;

    if (json_is_object(v)) {
        printf("as of %s: %lld persons, %lld detained (and %lld held before a later release), "
               "%lld released, %lld died, %lld unknown\n",
               s_of(v, "as_of") ? s_of(v, "as_of") : "today",
               (long long)json_integer_value(json_object_get(v, "persons")),
               (long long)json_integer_value(json_object_get(v, "detained")),
               (long long)json_integer_value(json_object_get(v, "inferred")),
               (long long)json_integer_value(json_object_get(v, "released")),
               (long long)json_integer_value(json_object_get(v, "died")),
               (long long)json_integer_value(json_object_get(v, "unknown")));
        return;
    }
    printf("%-10s %9s %9s %9s  %s\n", "date", "published", "register", "inferred",
           "what the source counted");
    json_array_foreach(v, i, x)
    {
        printf("%-10s %9lld %9lld %9lld  %s\n", s_of(x, "date"),
               (long long)json_integer_value(json_object_get(x, "published")),
               (long long)json_integer_value(json_object_get(x, "register")),
               (long long)json_integer_value(json_object_get(x, "inferred")),
               s_of(x, "measure") ? s_of(x, "measure") : "");
    }
}

static int count(struct cli *c, int argc, char **argv)
{
    struct count_read r = {NULL, NULL};
    int json = 0, rc;
    struct cli_option opts[] = {OPT_STRING("as-of", &r.as_of, "D", NULL),
                                OPT_STRING("compare", &r.compare, "FILE", NULL), OPT_JSON(&json),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if ((rc = cli_no_args(c, argc, argv, usage)) >= 0)
        return rc;
    if (r.as_of && r.compare)
        return cli_usage(c, usage, "--compare reads its dates from the file: no --as-of");
    return cli_read(c, json, get_count, &r, render_count);
}

static int write_ask(struct rt_store *st, int64_t parent, const void *arg, int64_t *id,
                     struct rt_error *err)
{
    const struct person_write *w = arg;
    int64_t ask, person;
    int rc;

    (void)parent;
    if (cli_parse_id(w->a, &ask) < 0 && (strncmp(w->a, "ask:", 4) || cli_parse_id(w->a + 4, &ask)))
        return rt_error_set(err, RT_EINVAL, NULL, 0, "ask", "'%s' is not an ask id", w->a);
    *id = ask;
    for (int i = 0; i < w->nrefs; i++)
        if ((rc = rt_person_find(st, w->refs[i], &person, err)) < 0 ||
            (rc = rt_ask_person_add(st, ask, person, err)) < 0)
            return rc;
    return 0;
}

struct ask_read {
    int64_t ask;
    const char *as_of;
};

static int get_ask(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    const struct ask_read *r = arg;
    return rt_ask_persons(st, r->ask, r->as_of, doc, err);
}

static void render_ask(const json_t *v)
{
    const json_t *x;
    size_t i;

    printf("ask %lld names %zu persons, as of %s: %lld held, %lld freed\n",
           (long long)json_integer_value(json_object_get(v, "ask")),
           json_array_size(json_object_get(v, "persons")),
           s_of(v, "as_of") ? s_of(v, "as_of") : "today",
           (long long)json_integer_value(json_object_get(v, "held")),
           (long long)json_integer_value(json_object_get(v, "freed")));
    json_array_foreach(json_object_get(v, "persons"), i, x)
    {
        printf("%5lld  %-32s ", (long long)json_integer_value(json_object_get(x, "id")),
               s_of(x, "name"));
        print_status(json_object_get(x, "status"));
        printf("\n");
    }
}

static int ask(struct cli *c, int argc, char **argv)
{
    struct person_write w = {0};
    struct ask_read r = {0, NULL};
    int json = 0, rc;
    struct cli_option opts[] = {OPT_STRING("as-of", &r.as_of, "D", NULL), OPT_JSON(&json),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc < 2)
        return cli_usage(c, usage, "person ask needs an ASK");
    if (cli_parse_id(argv[1], &r.ask) < 0 &&
        (strncmp(argv[1], "ask:", 4) || cli_parse_id(argv[1] + 4, &r.ask) < 0))
        return cli_usage(c, usage, "'%s' is not an ask id", argv[1]);
    if (argc > 2) {
        int64_t id;
        w.a = argv[1];
        w.refs = argv + 2;
        w.nrefs = argc - 2;
        if ((rc = cli_write(c, NULL, NULL, write_ask, &w, &id)) != EXIT_OK)
            return rc;
    }
    return cli_read(c, json, get_ask, &r, render_ask);
}

static int get_step(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    return rt_step_persons(st, *(const int64_t *)arg, doc, err);
}

static void render_step(const json_t *v)
{
    const json_t *x;
    size_t i;

    printf("step %lld freed ", (long long)json_integer_value(json_object_get(v, "step")));
    if (json_is_integer(json_object_get(v, "quantity")))
        printf("%lld: %lld named, %lld unnamed\n",
               (long long)json_integer_value(json_object_get(v, "quantity")),
               (long long)json_integer_value(json_object_get(v, "named")),
               (long long)json_integer_value(json_object_get(v, "unnamed")));
    else
        printf("%lld named persons (the step gives no number)\n",
               (long long)json_integer_value(json_object_get(v, "named")));
    json_array_foreach(json_object_get(v, "persons"), i, x)
    {
        printf("%5lld  %s\n", (long long)json_integer_value(json_object_get(x, "id")),
               s_of(x, "name"));
    }
}

static int step(struct cli *c, int argc, char **argv)
{
    int64_t id;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, cli_ledger_help())) >= 0)
        return rc;
    if (argc != 2 || (cli_parse_id(argv[1], &id) < 0 &&
                      (strncmp(argv[1], "step:", 5) || cli_parse_id(argv[1] + 5, &id) < 0)))
        return cli_usage(c, usage, "person step needs a STEP id");
    return cli_read(c, json, get_step, &id, render_step);
}

/*
 * "person edit PERSON ..." and "case edit|withdraw CASE ...": the record as the ledger
 * names it ("person:3", "case:5"; a person found by a name too) handed to the ledger's
 * edit or withdraw (cmd_edit.c), which call rt_ledger_edit and rt_ledger_withdraw as
 * the API and the web's forms do.
 */
static int as_record(struct cli *c, int argc, char **argv, const char *kind, const char *use,
                     int (*cmd)(struct cli *, int, char **))
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    char ref[64], **args = NULL;
    int64_t id = 0;
    int rc, i, at = -1;

    for (i = 1; i < argc && at < 0; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            break;
        else if (argv[i][0] != '-')
            at = i;
    if (at < 0) {
        char *fake[] = {argv[0],
                        (char *)(uintptr_t)(strcmp(kind, "person") ? "case:1" : "person:1"),
                        (char *)(uintptr_t) "--help", NULL};
        if (i < argc) /* --help: the fields of a record of the kind */
            return cmd(c, 3, fake);
        return cli_usage(c, use, "%s %s needs a %s first", kind, argv[0],
                         strcmp(kind, "person") ? "CASE id" : "PERSON");
    }
    if (!strncmp(argv[at], kind, strlen(kind)) && argv[at][strlen(kind)] == ':' &&
        cli_parse_id(argv[at] + strlen(kind) + 1, &id) == 0) {
        /* KIND:ID as it is */
    } else if (cli_parse_id(argv[at], &id) < 0) {
        if (strcmp(kind, "person"))
            return cli_usage(c, use, "'%s' is not the id of a case event", argv[at]);
        if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
            return rc;
        rc = rt_person_find(st, argv[at], &id, &err) < 0 ? cli_fail(c, &err) : EXIT_OK;
        rt_store_close(st);
        rt_error_release(&err);
        if (rc != EXIT_OK)
            return rc;
    }
    snprintf(ref, sizeof(ref), "%s:%lld", kind, (long long)id);
    args = rt_xcalloc((size_t)argc + 1, sizeof(*args));
    for (i = 0; i < argc; i++)
        args[i] = i == at ? ref : argv[i];
    args[argc] = NULL;
    /* The record first, as edit and withdraw take it. */
    memmove(args + 2, args + 1, (size_t)(at - 1) * sizeof(*args));
    args[1] = ref;
    rc = cmd(c, argc, args);
    rt_free(args);
    return rc;
}

static int edit(struct cli *c, int argc, char **argv)
{
    return as_record(c, argc, argv, "person", usage, cmd_edit);
}

int cmd_person(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", cli_entity_add_sub},
                                             {"list", list},
                                             {"show", show},
                                             {"edit", edit},
                                             {"name", name},
                                             {"match", match},
                                             {"merge", merge},
                                             {"import", import},
                                             {"count", count},
                                             {"ask", ask},
                                             {"step", step},
                                             {NULL, NULL}};
    return cli_ledger_command(c, argc, argv, &add_cmd, subs);
}

/* rightstrack case add PERSON --event E --date D ... */
static const char case_usage[] =
    "rightstrack [--db PATH] case add PERSON --event E --date D [--how H] [--detail T]\n"
    "       [--source S] [--step STEP] [--json]\n"
    "       rightstrack [--db PATH] case edit CASE [--event E] [--date D] [--how H]\n"
    "       [--detail T] [--source S] [--step STEP] [--json]\n"
    "       rightstrack [--db PATH] case withdraw CASE --reason TEXT [--date D] [--json]";

static const char case_head[] =
    "usage: rightstrack [--db PATH] case add PERSON --event E --date D [OPTIONS]\n"
    "\n"
    "An event of a person's case, dated: detained, charged (--detail: the article and\n"
    "code), sentenced (--detail: to what), moved, recognised (as a political prisoner;\n"
    "--detail: by whom), released (--how: served, pardon, amnesty, expelled, acquitted,\n"
    "exchanged or other; --step: the step that freed them) or died. A person's status\n"
    "as of a date follows from the events ('rightstrack person show PERSON --as-of D').\n"
    "PERSON is an id or a name of one person.\n"
    "\n"
    "  add PERSON            record an event; prints its id\n";

static const char case_tail[] =
    "  edit CASE             correct the event CASE (its id, as person show lists it):\n"
    "                        the options of add, each checked as add checks it\n"
    "  withdraw CASE         withdraw an event that was wrong, with --reason; with\n"
    "                        --date D it no longer holds from D on (before D the status\n"
    "                        still follows from it), without it was a mistake. It stays\n"
    "                        in the history (rightstrack history case:ID)\n"
    "  --json                print {\"id\"}, or the record as it stands after\n";

static const struct cli_entity_cmd case_cmd = {"case",    "PERSON", case_usage, case_head,
                                               case_tail, NULL,     NULL,       NULL};

static int case_edit(struct cli *c, int argc, char **argv)
{
    return as_record(c, argc, argv, "case", case_usage, cmd_edit);
}

static int case_withdraw(struct cli *c, int argc, char **argv)
{
    return as_record(c, argc, argv, "case", case_usage, cmd_withdraw);
}

int cmd_case(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", cli_entity_add_sub},
                                             {"edit", case_edit},
                                             {"withdraw", case_withdraw},
                                             {NULL, NULL}};
    return cli_ledger_command(c, argc, argv, &case_cmd, subs);
}
