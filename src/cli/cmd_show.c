/* rightstrack show: one recommendation with its states, response, themes and source. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] = "rightstrack [--db PATH] show [--json] ID";

static const char help[] = "usage: rightstrack [--db PATH] show [--json] ID\n"
                           "\n"
                           "Shows recommendation ID: text, state under review, recommending\n"
                           "states, cycle, session, response, action category, themes, source,\n"
                           "and what the dialogue ledger links to it: rounds, topics, asks,\n"
                           "the steps that answer it, and its assessments with who made them.\n"
                           "\n"
                           "  --json   print it as a JSON object\n";

int cmd_show(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_rec r;
    json_t *ledger = NULL, *v;
    size_t k;
    long id;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (argc != 2)
        return cli_usage(c, usage, "show needs one recommendation id");
    if (cli_parse_int(argv[1], 1, 0x7fffffffffffffffL, &id) < 0)
        return cli_usage(c, usage, "'%s' is not a recommendation id", argv[1]);
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    rt_rec_init(&r);
    if (rt_store_rec_get(st, id, &r, &err) < 0 || rt_rec_ledger(st, id, NULL, &ledger, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    json_object_del(ledger, "recommendation");
    if (json) {
        json_t *doc = rt_rec_to_json(&r, 1);
        json_object_set(doc, "ledger", ledger);
        cli_print_json(doc);
    } else {
        printf("Recommendation %lld", (long long)r.id);
        if (r.paragraph)
            printf(" (paragraph %s)", r.paragraph);
        printf("\n  %s\n\n", r.text);
        printf("  State under review  %s (%s)\n", r.sur.name, r.sur.code);
        printf("  Recommended by      ");
        for (size_t i = 0; i < r.n_by; i++)
            printf("%s%s", i ? ", " : "", r.by[i].name);
        printf("%s\n", r.n_by       ? ""
                       : r.election ? "OSCE/ODIHR (election observation)"
                                    : "(unknown)");
        if (r.cycle)
            printf("  Cycle, session      %d, %d\n", r.cycle, r.session);
        if (r.election) {
            printf("  Election            %s of %s\n", r.election,
                   r.election_date ? r.election_date : "?");
            printf("  Final report        %s%s\n", r.report_date ? r.report_date : "date unknown",
                   r.priority ? "; a priority recommendation" : "");
        }
        printf("  Response            %s\n", rt_response_name(r.response));
        if (r.action_category && r.action_category_origin &&
            strcmp(r.action_category_origin, "official"))
            printf("  Action category     %d (%s; %s, %.2f)\n", r.action_category,
                   rt_action_category_text(r.action_category), r.action_category_origin,
                   r.action_category_confidence);
        else if (r.action_category)
            printf("  Action category     %d (%s)\n", r.action_category,
                   rt_action_category_text(r.action_category));
        for (size_t i = 0; i < r.n_themes; i++)
            printf("  %s %s (%s, %s)\n", i ? "                   " : "Themes             ",
                   r.themes[i].label, r.themes[i].vocabulary, r.themes[i].origin);
        for (size_t i = 0; i < r.n_sources; i++)
            printf("  %s %s (%s, %s)\n", i ? "                   " : "Sources            ",
                   r.sources[i].path ? r.sources[i].path : "?", r.sources[i].kind,
                   rt_response_name(r.sources[i].response));
        for (size_t i = 1; i < r.n_sources; i++)
            if (r.sources[i].response != r.sources[0].response) {
                printf("  The sources disagree on the response; %s is the strongest.\n",
                       rt_response_name(r.response));
                break;
            }
        if (!r.n_sources && r.source_path)
            printf("  Source              %s\n", r.source_path);
        json_array_foreach(json_object_get(ledger, "rounds"), k, v)
            printf("  %s %s (%s)\n", k ? "                   " : "Rounds             ",
                   json_string_value(json_object_get(v, "label")),
                   json_string_value(json_object_get(v, "date")));
        json_array_foreach(json_object_get(ledger, "topics"), k, v)
            printf("  %s topic:%lld %s (%s)\n", k ? "                   " : "Topics             ",
                   (long long)json_integer_value(json_object_get(v, "id")),
                   json_string_value(json_object_get(v, "text")),
                   json_string_value(json_object_get(json_object_get(v, "round"), "label")));
        json_array_foreach(json_object_get(ledger, "asks"), k, v)
            printf("  %s ask:%lld %s (%s)\n", k ? "                   " : "Asks               ",
                   (long long)json_integer_value(json_object_get(v, "id")),
                   json_string_value(json_object_get(v, "text")),
                   json_string_value(json_object_get(json_object_get(v, "round"), "label")));
        json_array_foreach(json_object_get(ledger, "steps"), k, v)
            printf("  %s step:%lld %s %s: %s\n", k ? "                   " : "Steps answering it ",
                   (long long)json_integer_value(json_object_get(v, "id")),
                   json_string_value(json_object_get(v, "date")),
                   json_string_value(json_object_get(v, "actor")),
                   json_string_value(json_object_get(v, "text")));
        json_array_foreach(json_object_get(ledger, "assessments"), k, v)
        {
            const char *who = json_string_value(json_object_get(v, "assessor"));
            printf("  %s %s %s, by %s\n", k ? "                   " : "Assessments        ",
                   json_string_value(json_object_get(v, "as_of")),
                   json_string_value(json_object_get(v, "status")), who ? who : "(not said)");
        }
    }
    rc = EXIT_OK;
out:
    json_decref(ledger);
    rt_rec_release(&r);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
