/* rightstrack readout: parse a meeting's readout into a draft round, or import
 * it. */
#include <inttypes.h>

#include "cli.h"

#include <rightstrack/ledger.h>
#include <rightstrack/readout.h>

static const char usage[] = "rightstrack readout parse FILE [--json] [--evidence]\n"
                            "       rightstrack [--db PATH] readout import FILE --dialogue ID "
                            "[--source TEXT] [--dry-run] [--json]";

static const char help[] =
    "usage: rightstrack readout parse FILE [--json] [--evidence]\n"
    "       rightstrack [--db PATH] readout import FILE --dialogue ID "
    "[--source TEXT] [--dry-run] [--json]\n"
    "\n"
    "Reads the plain-text readout of a dialogue meeting (a press release, a joint\n"
    "statement) and drafts a round record from it: date, place, round number, sides,\n"
    "participants with their titles and organisations, topics, what was welcomed and\n"
    "urged, conditional offers, reaffirmations and events such as a release of\n"
    "prisoners. Each topic and each thing urged is tagged with the theme areas it is\n"
    "about (see themes areas). The rules are described in docs/readouts.md; a draft\n"
    "is for a person to check (the web face's /readouts/new page shows it in a form).\n"
    "\n"
    "parse prints the draft; it needs no database.\n"
    "  --json         the draft as JSON, with the keys of the annotated readouts,\n"
    "                 plus topic_themes and the themes of each urged item\n"
    "  --evidence     add the sentence each item came from (text form: always shown)\n"
    "\n"
    "import stores the draft as a new round of dialogue ID (id or exact name), in one\n"
    "transaction: the round, its participants, topics and asks (what was urged) with\n"
    "their theme areas, steps (what was welcomed, welcomed in the round; the kind from\n"
    "the event when one matches) and conditional commitments. Items whose party is\n"
    "not known are reported and left out. It prints how many recommendations to the\n"
    "round's states are on the same themes (round show lists them by area).\n"
    "FILE is the readout's text, or a draft as JSON (what parse --json wrote, perhaps\n"
    "corrected by hand), which is stored as it is.\n"
    "  --dialogue ID  the dialogue the round belongs to\n"
    "  --source TEXT  what the round cites as its source (the readout's address, say);\n"
    "                 the file's name without it\n"
    "  --dry-run      show what would be written and write nothing\n"
    "  --json         print {\"dry_run\", \"round\", \"written\", \"skipped\",\n"
    "                 \"linked_recommendations\"}\n"
    "\n"
    "Exit status: 0 ok, 1 the file or the database failed, 2 wrong usage.\n";

static const char *jstr(const json_t *o, const char *k)
{
    const json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* "  [a, b]" for a list of theme areas, nothing for none. */
static void print_themes(const json_t *themes)
{
    size_t i;
    const json_t *v;

    if (!json_array_size(themes))
        return;
    printf("  [");
    json_array_foreach(themes, i, v) printf("%s%s", i ? ", " : "", json_string_value(v));
    printf("]");
}

/* The text form of a draft, for a desk officer. */
static void print_items(const char *label, const json_t *a, const char *k1, const char *k2,
                        const char *k3)
{
    size_t i;
    const json_t *v;

    if (!json_array_size(a))
        return;
    printf("\n%s:\n", label);
    json_array_foreach(a, i, v)
    {
        if (json_is_string(v)) {
            printf("  - %s\n", json_string_value(v));
            continue;
        }
        printf("  - ");
        if (k1 && jstr(v, k1))
            printf("%s", jstr(v, k1));
        if (k2 && jstr(v, k2))
            printf(" -> %s", jstr(v, k2));
        if (k3 && jstr(v, k3))
            printf(": %s", jstr(v, k3));
        print_themes(json_object_get(v, "themes"));
        printf("\n");
        if (jstr(v, "sentence"))
            printf("      from: \"%s\"\n", jstr(v, "sentence"));
    }
}

static void render_draft(const json_t *d)
{
    const json_t *v;
    size_t i;

    printf("%s  (%s)\n", jstr(d, "file") ? jstr(d, "file") : "readout",
           jstr(d, "document_type") ? jstr(d, "document_type") : "?");
    printf("  dialogue:   %s\n", jstr(d, "dialogue_name") ? jstr(d, "dialogue_name") : "?");
    if (json_is_integer(json_object_get(d, "round")))
        printf("  round:      %" JSON_INTEGER_FORMAT " (\"%s\")\n",
               json_integer_value(json_object_get(d, "round")),
               jstr(d, "round_text") ? jstr(d, "round_text") : "");
    else
        printf("  round:      ?\n");
    printf("  date:       %s", jstr(d, "date") ? jstr(d, "date") : "?");
    if (jstr(d, "date_end"))
        printf(" to %s", jstr(d, "date_end"));
    printf("\n  published:  %s\n", jstr(d, "publication_date") ? jstr(d, "publication_date") : "?");
    printf("  place:      %s\n", jstr(d, "place") ? jstr(d, "place") : "?");
    printf("  sides:      ");
    json_array_foreach(json_object_get(d, "sides"), i, v)
        printf("%s%s", i ? ", " : "", json_string_value(v));
    printf("\n");
    v = json_object_get(d, "participants");
    if (json_array_size(v)) {
        const json_t *p;
        printf("\nparticipants:\n");
        json_array_foreach(v, i, p)
        {
            printf("  - %s", jstr(p, "name") ? jstr(p, "name") : "(unnamed)");
            if (jstr(p, "side"))
                printf(" [%s]", jstr(p, "side"));
            if (jstr(p, "role"))
                printf(" (%s)", jstr(p, "role"));
            printf("\n");
            if (jstr(p, "title"))
                printf("      %s\n", jstr(p, "title"));
            if (jstr(p, "organization"))
                printf("      %s\n", jstr(p, "organization"));
        }
    }
    v = json_object_get(d, "topic_themes");
    if (json_array_size(v)) {
        const json_t *t;
        printf("\ntopics:\n");
        json_array_foreach(v, i, t)
        {
            printf("  - %s", jstr(t, "topic"));
            print_themes(json_object_get(t, "themes"));
            printf("\n");
        }
    }
    print_items("welcomed", json_object_get(d, "welcomed"), "by", NULL, "what");
    print_items("urged", json_object_get(d, "urged"), "by", "target", "what");
    {
        const json_t *a = json_object_get(d, "conditional_commitments"), *c;
        if (json_array_size(a)) {
            printf("\nconditional commitments:\n");
            json_array_foreach(a, i, c)
            {
                printf("  - %s: if %s, then %s\n", jstr(c, "by") ? jstr(c, "by") : "?",
                       jstr(c, "if") ? jstr(c, "if") : "?",
                       jstr(c, "then") ? jstr(c, "then") : "?");
                if (jstr(c, "sentence"))
                    printf("      from: \"%s\"\n", jstr(c, "sentence"));
            }
        }
    }
    print_items("reaffirmations", json_object_get(d, "reaffirmations"), "by", NULL, "what");
    print_items("commitments", json_object_get(d, "commitments"), "by", NULL, "what");
    print_items("concerns", json_object_get(d, "concerns"), "by", NULL, "what");
    print_items("agreed next steps", json_object_get(d, "agreed_next_steps"), NULL, NULL, NULL);
    {
        const json_t *a = json_object_get(d, "events"), *e;
        if (json_array_size(a)) {
            printf("\nevents:\n");
            json_array_foreach(a, i, e)
            {
                const json_t *n = json_object_get(e, "count");
                printf("  - %s, %s", jstr(e, "type") ? jstr(e, "type") : "?",
                       jstr(e, "country") ? jstr(e, "country") : "?");
                if (json_is_integer(n))
                    printf(", %" JSON_INTEGER_FORMAT, json_integer_value(n));
                else if (json_is_string(n))
                    printf(", %s", json_string_value(n));
                printf(", %s\n", jstr(e, "date") ? jstr(e, "date") : "date unknown");
                if (jstr(e, "sentence"))
                    printf("      from: \"%s\"\n", jstr(e, "sentence"));
            }
        }
    }
    if (jstr(d, "notes"))
        printf("\nnotes: %s\n", jstr(d, "notes"));
}

static int readout_parse(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    json_t *draft = NULL;
    int json = 0, ev = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_FLAG("evidence", &ev, NULL), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (argc != 2)
        return cli_usage(c, usage, "readout parse needs one FILE");
    if (rt_readout_parse_file(argv[1], json && !ev ? 0 : RT_READOUT_EVIDENCE, &draft, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (json) {
        if (!ev)
            json_object_del(draft, "sentences");
        cli_print_json(draft);
        draft = NULL;
    } else {
        render_draft(draft);
    }
    rc = EXIT_OK;
out:
    json_decref(draft);
    rt_error_release(&err);
    return rc;
}

static void print_plan(const json_t *plan)
{
    const char *keys[] = {"participants", "topics", "asks", "steps", "commitments", NULL};
    const json_t *w = json_object_get(plan, "written"), *r = json_object_get(w, "round");
    const json_t *linked = json_object_get(plan, "linked_recommendations"), *v;
    size_t i;

    if (json_is_true(json_object_get(plan, "dry_run")))
        printf("dry run: nothing written. Would add:\n");
    else
        printf("added round %" JSON_INTEGER_FORMAT ":\n",
               json_integer_value(json_object_get(plan, "round")));
    printf("  round %" JSON_INTEGER_FORMAT ", %s%s%s\n",
           json_integer_value(json_object_get(r, "ordinal")), jstr(r, "date"),
           jstr(r, "place") ? ", " : "", jstr(r, "place") ? jstr(r, "place") : "");
    for (int k = 0; keys[k]; k++)
        printf("  %zu %s\n", json_array_size(json_object_get(w, keys[k])), keys[k]);
    json_array_foreach(json_object_get(w, "topics"), i, v)
    {
        printf("  topic \"%s\"", jstr(v, "text"));
        print_themes(json_object_get(v, "areas"));
        printf("\n");
    }
    json_array_foreach(json_object_get(w, "asks"), i, v)
    {
        printf("  ask \"%s\"", jstr(v, "text"));
        print_themes(json_object_get(v, "areas"));
        printf("\n");
    }
    json_array_foreach(json_object_get(plan, "skipped"), i, v)
        printf("  left out %s \"%s\": %s\n", jstr(v, "item"),
               jstr(v, "text") ? jstr(v, "text") : "", jstr(v, "why"));
    if (json_is_object(linked))
        printf("  %" JSON_INTEGER_FORMAT " recommendations on the same themes to %s\n",
               json_integer_value(json_object_get(linked, "count")),
               json_array_size(json_object_get(linked, "states")) ? "the same states" : "no state");
}

static int readout_import(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *dialogue = NULL, *source = NULL;
    json_t *draft = NULL, *plan = NULL;
    int json = 0, dry = 0, rc;
    int64_t dlg = 0;
    struct cli_option opts[] = {OPT_STRING("dialogue", &dialogue, "ID", NULL),
                                OPT_STRING("source", &source, "TEXT", NULL),
                                OPT_FLAG("dry-run", &dry, NULL), OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (argc != 2)
        return cli_usage(c, usage, "readout import needs one FILE");
    if (!dialogue)
        return cli_usage(c, usage, "readout import needs --dialogue ID");
    if (source && !*source)
        return cli_usage(c, usage, "--source needs a text");
    if (rt_readout_load_file(argv[1], RT_READOUT_EVIDENCE, &draft, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    /* Its writes are the ledger's additions (ledger_write.c): on every back end. */
    if ((rc = cli_open(c, dry ? RT_STORE_READONLY : 0, &st)) != EXIT_OK)
        goto out;
    if (rt_dialogue_find(st, dialogue, &dlg, &err) < 0 ||
        rt_readout_import(st, draft, source ? source : argv[1], dlg, dry ? RT_READOUT_DRY_RUN : 0,
                          &plan, &err) < 0) {
        if (!err.file && err.code != RT_ENOTFOUND)
            err.file = rt_xstrdup(argv[1]);
        rc = cli_fail(c, &err);
        goto out;
    }
    if (json) {
        cli_print_json(plan);
        plan = NULL;
    } else {
        print_plan(plan);
    }
    rc = EXIT_OK;
out:
    json_decref(plan);
    json_decref(draft);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

int cmd_readout(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"parse", readout_parse}, {"import", readout_import}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
