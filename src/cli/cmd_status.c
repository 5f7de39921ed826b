/* rightstrack status: the status of a recommendation, ask, benchmark or commitment on a date. */
#include "cli.h"

#include <rightstrack/ledger.h>
#include <rightstrack/person.h>

static const char usage[] = "rightstrack [--db PATH] status REF [--as-of D] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] status REF [--as-of D] [--json]\n"
    "\n"
    "The status of REF as it stood on a date, with the history of its assessments up\n"
    "to then: rec:ID (or a bare id) for a recommendation, ask:ID, benchmark:ID or\n"
    "commitment:ID.\n"
    "\n"
    "  --as-of D   the date (YYYY-MM-DD, YYYY-MM or YYYY); default: everything recorded\n"
    "  --json      print {\"target\", \"as_of\", \"status\", \"latest\": {\"status\",\n"
    "              \"as_of\", \"evidence\", \"source\", \"assessor\"}, \"history\": [...]};\n"
    "              for a commitment {\"target\", \"as_of\", \"status\", \"since\", \"step\",\n"
    "              \"history\"}; an ask that names persons adds \"persons\": [{\"id\",\n"
    "              \"name\", \"status\"}], \"persons_held\" and \"persons_freed\"\n";

struct status_query {
    char target[64];
    const char *as_of;
};

static int get_status(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    const struct status_query *q = arg;
    json_t *persons = NULL;
    int rc;

    if ((rc = rt_status(st, q->target, q->as_of, doc, err)) < 0 || strncmp(q->target, "ask:", 4))
        return rc;
    /* The persons the ask names, and who of them is held (the command line is the
     * operator's: it shows private records). */
    if ((rc = rt_ask_persons(st, strtoll(q->target + 4, NULL, 10), q->as_of, &persons, err)) < 0) {
        json_decref(*doc);
        *doc = NULL;
        return rc;
    }
    if (json_array_size(json_object_get(persons, "persons"))) {
        json_object_set(*doc, "persons", json_object_get(persons, "persons"));
        json_object_set(*doc, "persons_held", json_object_get(persons, "held"));
        json_object_set(*doc, "persons_freed", json_object_get(persons, "freed"));
    }
    json_decref(persons);
    return 0;
}

int cmd_status(struct cli *c, int argc, char **argv)
{
    struct asof_args a = {NULL, NULL, 0};
    struct status_query q;
    int rc;

    if ((rc = cli_asof_args(c, argc, argv, usage, help, "REF", &a)) >= 0)
        return rc;
    if (cli_ref(a.ref, "rec", q.target) < 0)
        return cli_usage(c, usage, "'%s' is not a reference such as rec:6159 or ask:3", a.ref);
    q.as_of = a.as_of;
    /* An ask's persons (person.h) are SQLite's alone so far. */
    return cli_read(c, a.json, get_status, &q, render_status);
}
