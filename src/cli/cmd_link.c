/* rightstrack link: link a step, topic, ask, round or benchmark to what it concerns, to many at
 * once. */
#include "cli.h"

static const char usage[] = "rightstrack [--db PATH] link [--json] FROM RELATION TO...";

static const char help[] =
    "usage: rightstrack [--db PATH] link [--json] FROM RELATION TO...\n"
    "\n"
    "Links a record to one or more others, each written KIND:ID: all of them or, if one\n"
    "fails, none. What may be linked:\n"
    "\n"
    "  step:ID answers ask:ID | rec:ID        the step answers an ask or a recommendation\n"
    "  step:ID welcomed-in round:ID           a round welcomed the step\n"
    "  step:ID responds-to step:ID            the step responds to another party's earlier\n"
    "                                         step (never itself, never in a cycle)\n"
    "  topic:ID about rec:ID                  a topic, an ask or a round is about a\n"
    "  ask:ID about rec:ID                    recommendation (a round also as\n"
    "  round:ID about rec:ID                  DIALOGUE#ORDINAL: 1#2 about rec:14)\n"
    "  benchmark:ID tracks ask:ID | rec:ID | step:ID\n"
    "\n"
    "A bare id for TO means a recommendation (about, answers, tracks), a step\n"
    "(responds-to) or a round (welcomed-in, which also takes DIALOGUE#ORDINAL).\n"
    "Linking twice is not an error. For example, a topic about three recommendations:\n"
    "\n"
    "  rightstrack link topic:3 about rec:14 rec:15 rec:16\n"
    "\n"
    "  --json   print {\"from\", \"relation\", \"to\": [KIND:ID, ...]}\n";

int cmd_link(struct cli *c, int argc, char **argv)
{
    struct cli_entity v;
    const char *relation, *bare;
    char from[64], to[64];
    json_t *done;
    int json = 0, rc;

    cli_entity_init(&v, "link", NULL, NULL, &json);
    if ((rc = cli_parse_options(c, &argc, argv, v.opts, usage, help)) >= 0)
        return rc;
    if (argc < 4)
        return cli_usage(c, usage, "link needs FROM, RELATION and TO");
    relation = argv[2];
    if (cli_ref(argv[1], NULL, from) < 0 && !strchr(argv[1], '#'))
        return cli_usage(c, usage, "'%s' is not KIND:ID, such as step:2", argv[1]);
    if (!strchr(argv[1], ':')) /* a round as DIALOGUE#ORDINAL: the library finds it */
        snprintf(from, sizeof(from), "%s", argv[1]);
    bare = !strcmp(relation, "responds-to")   ? "step"
           : !strcmp(relation, "welcomed-in") ? "round"
                                              : "rec";
    done = json_array();
    for (int i = 3; i < argc; i++) {
        if (cli_ref(argv[i], bare, to) == 0) {
            json_array_append_new(done, json_string(to));
        } else if (!strcmp(relation, "welcomed-in") && strchr(argv[i], '#')) {
            json_array_append_new(done, json_string(argv[i])); /* DIALOGUE#ORDINAL */
        } else {
            json_decref(done);
            return cli_usage(c, usage, "'%s' is not KIND:ID, such as step:1", argv[i]);
        }
    }
    argv[1] = from;
    if ((rc = cli_entity_args(c, &v, argc, argv, "link", NULL, usage)) >= 0 ||
        (rc = cli_entity_write(c, &v, &(int64_t){0})) != EXIT_OK) {
        json_decref(done);
        cli_entity_release(&v);
        return rc;
    }
    if (json) {
        cli_print_json(
            json_pack("{s:s, s:s, s:o}", "from", from, "relation", relation, "to", done));
    } else {
        size_t i;
        json_t *t;
        json_array_foreach(done, i, t)
            printf("linked %s %s %s\n", from, relation, json_string_value(t));
        json_decref(done);
    }
    cli_entity_release(&v);
    return EXIT_OK;
}
