/* rightstrack readout: parse a meeting's readout into a draft round, or import
 * it. */
#include <inttypes.h>

#include "cli.h"

#include <rightstrack/ledger.h>
#include <rightstrack/readout.h>

static const char usage[] = "rightstrack readout parse FILE [--json] [--evidence]\n"
                            "       rightstrack [--db PATH] readout import FILE --dialogue ID "
                            "[--dry-run] [--json]";

static const char help[] =
    "usage: rightstrack readout parse FILE [--json] [--evidence]\n"
    "       rightstrack [--db PATH] readout import FILE --dialogue ID "
    "[--dry-run] [--json]\n"
    "\n"
    "Reads the plain-text readout of a dialogue meeting (a press release, a "
    "joint\n"
    "statement) and drafts a round record from it: date, place, round number, "
    "sides,\n"
    "participants with their titles, topics, what was welcomed and urged, "
    "conditional\n"
    "offers, reaffirmations and events such as a release of prisoners. The "
    "rules are\n"
    "described in docs/readouts.md; a draft is for a person to check.\n"
    "\n"
    "parse prints the draft; it needs no database.\n"
    "  --json         the draft as JSON, with the keys of the annotated "
    "readouts\n"
    "  --evidence     add the sentence each item came from (text form: always "
    "shown)\n"
    "\n"
    "import stores the draft as a new round of dialogue ID (id or exact name), "
    "in one\n"
    "transaction: the round, its participants, topics, asks (what was urged), "
    "steps\n"
    "(what was welcomed, welcomed in the round; the kind from the event when "
    "one\n"
    "matches) and conditional commitments. Items whose party is not one of "
    "the\n"
    "dialogue's parties' names are reported and left out.\n"
    "  --dialogue ID  the dialogue the round belongs to\n"
    "  --dry-run      show what would be written and write nothing\n"
    "  --json         print {\"round\", \"written\": {...}, \"skipped\": "
    "[...]} (or the\n"
    "                 plan with --dry-run)\n"
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
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"evidence", no_argument, NULL, 'e'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct rt_error err = RT_ERROR_INIT;
    json_t *draft = NULL;
    int json = 0, ev = 0, o, rc;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'j':
            json = 1;
            break;
        case 'e':
            ev = 1;
            break;
        case 'h':
            return cli_help(help);
        default:
            return cli_usage(c, usage, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage(c, usage, "readout parse needs one FILE");
    if (rt_readout_parse_file(argv[optind], json && !ev ? 0 : RT_READOUT_EVIDENCE, &draft, &err) <
        0) {
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

/* The plan of an import: what will be written, and what is left out and why. */
struct plan {
    json_t *written; /* {"round": {...}, "participants": [...], ...} */
    json_t *skipped; /* [{"item", "why"}] */
};

static void skip(struct plan *p, const char *what, const char *text, const char *why)
{
    json_array_append_new(p->skipped,
                          json_pack("{s:s, s:s?, s:s}", "item", what, "text", text, "why", why));
}

/* A side's party code if the store knows it, else NULL. */
static const char *party(struct rt_store *st, const char *side, char out[16])
{
    const char *code = rt_readout_party_code(side);
    if (!side)
        return NULL;
    if (rt_party_resolve(st, code ? code : side, out, NULL) < 0)
        return NULL;
    return out;
}

/* The event that a welcomed item is about (the same sentence, or the same
 * words). */
static const json_t *event_for(const json_t *draft, const json_t *item)
{
    const json_t *e;
    size_t i;
    const char *s = jstr(item, "sentence");

    json_array_foreach(json_object_get(draft, "events"), i, e)
    {
        const char *es = jstr(e, "sentence");
        if (s && es && !strcmp(s, es))
            return e;
    }
    return NULL;
}

static int do_import(struct rt_store *st, const json_t *draft, const char *path, int64_t dlg,
                     int dry, struct plan *p, int64_t *out_round, struct rt_error *err)
{
    const json_t *v;
    size_t i;
    int64_t round = 0, id;
    char a[16], b[16];
    const char *date = jstr(draft, "date");
    struct rt_round_in r = {0};
    json_t *list;
    int rc = 0;

    r.dialogue_id = dlg;
    r.ordinal = json_is_integer(json_object_get(draft, "round"))
                    ? (int)json_integer_value(json_object_get(draft, "round"))
                    : 0;
    r.date = date;
    r.place = jstr(draft, "place");
    r.summary = jstr(draft, "dialogue_name");
    r.source = path;
    if (!date)
        return rt_error_set(err, RT_EINVAL, path, 0, "date",
                            "no date found in the readout: a round needs one");
    json_object_set_new(p->written, "round",
                        json_pack("{s:i, s:s, s:s?, s:s?, s:s}", "ordinal", r.ordinal, "date", date,
                                  "place", r.place, "summary", r.summary, "source", path));
    if (!dry && (rc = rt_round_add(st, &r, &round, err)) < 0)
        return rc;

    list = json_array();
    json_array_foreach(json_object_get(draft, "participants"), i, v)
    {
        const char *name = jstr(v, "name") ? jstr(v, "name") : jstr(v, "organization");
        const char *code = party(st, jstr(v, "side"), a);
        if (!name) {
            skip(p, "participant", NULL, "no name");
            continue;
        }
        json_array_append_new(list, json_pack("{s:s, s:s?, s:s?, s:s?}", "name", name, "title",
                                              jstr(v, "title"), "organisation",
                                              jstr(v, "organization"), "party", code));
        if (!dry && (rc = rt_participant_add(st, round, name, jstr(v, "title"),
                                             jstr(v, "organization"), code, &id, err)) < 0)
            return rc;
    }
    json_object_set_new(p->written, "participants", list);

    list = json_array();
    json_array_foreach(json_object_get(draft, "topics"), i, v)
    {
        json_array_append_new(list, json_deep_copy(v));
        if (!dry && (rc = rt_topic_add(st, round, json_string_value(v), NULL, &id, err)) < 0)
            return rc;
    }
    json_object_set_new(p->written, "topics", list);

    list = json_array();
    json_array_foreach(json_object_get(draft, "urged"), i, v)
    {
        const char *from = party(st, jstr(v, "by"), a), *to = party(st, jstr(v, "target"), b);
        if (!from || !to) {
            skip(p, "ask", jstr(v, "what"), "the party asking or asked is not known");
            continue;
        }
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:s}", "from", from, "to", to, "text", jstr(v, "what")));
        if (!dry && (rc = rt_ask_add(st, round, from, to, jstr(v, "what"), NULL, &id, err)) < 0)
            return rc;
    }
    json_object_set_new(p->written, "asks", list);

    list = json_array();
    json_array_foreach(json_object_get(draft, "welcomed"), i, v)
    {
        const json_t *ev = event_for(draft, v);
        const char *by = jstr(v, "by"), *actor_side = NULL;
        const json_t *sides = json_object_get(draft, "sides");
        struct rt_step_in s = {0};
        char link_from[64], link_to[64];
        /* the step is the other side's, or the event's country's */
        if (ev && jstr(ev, "country"))
            actor_side = jstr(ev, "country");
        else if (by && json_array_size(sides) == 2)
            for (size_t k = 0; k < 2; k++)
                if (strcmp(json_string_value(json_array_get(sides, k)), by))
                    actor_side = json_string_value(json_array_get(sides, k));
        s.actor = party(st, actor_side, a);
        if (!s.actor) {
            skip(p, "step", jstr(v, "what"), "whose step it was is not known");
            continue;
        }
        s.date = ev && jstr(ev, "date") ? jstr(ev, "date") : date;
        s.kind = rt_readout_step_kind(ev ? jstr(ev, "type") : NULL);
        s.direction = "positive";
        s.quantity = ev && json_is_integer(json_object_get(ev, "count"))
                         ? json_integer_value(json_object_get(ev, "count"))
                         : -1;
        s.text = jstr(v, "what");
        s.source = path;
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:I, s:s}", "actor", s.actor, "date",
                                              s.date, "kind", s.kind, "quantity",
                                              (json_int_t)s.quantity, "text", s.text));
        if (dry)
            continue;
        if ((rc = rt_step_add(st, &s, &id, err)) < 0)
            return rc;
        snprintf(link_from, sizeof(link_from), "step:%" PRId64, id);
        snprintf(link_to, sizeof(link_to), "round:%" PRId64, round);
        if ((rc = rt_link_add(st, link_from, "welcomed-in", link_to, err)) < 0)
            return rc;
    }
    json_object_set_new(p->written, "steps", list);

    list = json_array();
    json_array_foreach(json_object_get(draft, "conditional_commitments"), i, v)
    {
        const char *code = party(st, jstr(v, "by"), a);
        if (!code || !jstr(v, "then")) {
            skip(p, "commitment", jstr(v, "then"), "the committing party is not known");
            continue;
        }
        json_array_append_new(list, json_pack("{s:s, s:s?, s:s}", "party", code, "condition",
                                              jstr(v, "if"), "promise", jstr(v, "then")));
        if (!dry &&
            (rc = rt_commitment_add(st, round, code, jstr(v, "if"), jstr(v, "then"), &id, err)) < 0)
            return rc;
    }
    json_object_set_new(p->written, "commitments", list);
    *out_round = round;
    return 0;
}

static void print_plan(const struct plan *p, int dry, int64_t round)
{
    const char *keys[] = {"participants", "topics", "asks", "steps", "commitments", NULL};
    const json_t *r = json_object_get(p->written, "round");
    size_t i;
    const json_t *v;

    if (dry)
        printf("dry run: nothing written. Would add:\n");
    else
        printf("added round %" PRId64 ":\n", round);
    printf("  round %" JSON_INTEGER_FORMAT ", %s%s%s\n",
           json_integer_value(json_object_get(r, "ordinal")), jstr(r, "date"),
           jstr(r, "place") ? ", " : "", jstr(r, "place") ? jstr(r, "place") : "");
    for (int k = 0; keys[k]; k++)
        printf("  %zu %s\n", json_array_size(json_object_get(p->written, keys[k])), keys[k]);
    json_array_foreach(p->skipped, i, v)
        printf("  left out %s \"%s\": %s\n", jstr(v, "item"),
               jstr(v, "text") ? jstr(v, "text") : "", jstr(v, "why"));
}

static int readout_import(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"dialogue", required_argument, NULL, 'd'},
                                         {"dry-run", no_argument, NULL, 'n'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct plan p = {NULL, NULL};
    const char *dialogue = NULL;
    json_t *draft = NULL;
    int json = 0, dry = 0, o, rc, began = 0;
    int64_t dlg = 0, round = 0;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'd':
            dialogue = optarg;
            break;
        case 'n':
            dry = 1;
            break;
        case 'j':
            json = 1;
            break;
        case 'h':
            return cli_help(help);
        default:
            return cli_usage(c, usage, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage(c, usage, "readout import needs one FILE");
    if (!dialogue)
        return cli_usage(c, usage, "readout import needs --dialogue ID");
    p.written = json_object();
    p.skipped = json_array();
    if (rt_readout_parse_file(argv[optind], RT_READOUT_EVIDENCE, &draft, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if ((rc = cli_open(c, dry ? RT_STORE_READONLY : 0, &st)) != EXIT_OK)
        goto out;
    if (rt_dialogue_find(st, dialogue, &dlg, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (!dry) {
        if (rt_store_begin(st, &err) < 0) {
            rc = cli_fail(c, &err);
            goto out;
        }
        began = 1;
    }
    if (do_import(st, draft, argv[optind], dlg, dry, &p, &round, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    rc = EXIT_OK;
    if (began) {
        began = 0;
        if ((rc = cli_end_write(c, st, rc, &err)) != EXIT_OK)
            goto out;
    }
    if (json) {
        json_t *o2 = json_object();
        json_object_set_new(o2, "dry_run", json_boolean(dry));
        json_object_set_new(o2, "round", dry ? json_null() : json_integer(round));
        json_object_set(o2, "written", p.written);
        json_object_set(o2, "skipped", p.skipped);
        cli_print_json(o2);
    } else {
        print_plan(&p, dry, round);
    }
out:
    if (began)
        rt_store_rollback(st);
    json_decref(p.written);
    json_decref(p.skipped);
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
