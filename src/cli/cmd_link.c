/* rightstrack link: link a step, topic, ask or benchmark to what it concerns. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] = "rightstrack [--db PATH] link FROM RELATION TO";

static const char help[] =
    "usage: rightstrack [--db PATH] link FROM RELATION TO\n"
    "\n"
    "Links two records, each written KIND:ID. What may be linked:\n"
    "\n"
    "  step:ID answers ask:ID | rec:ID        the step answers an ask or a recommendation\n"
    "  step:ID welcomed-in round:ID           a round welcomed the step\n"
    "  step:ID responds-to step:ID            the step responds to another party's earlier\n"
    "                                         step (never itself, never in a cycle)\n"
    "  topic:ID about rec:ID                  a topic or an ask is about a recommendation\n"
    "  ask:ID about rec:ID\n"
    "  benchmark:ID tracks ask:ID | rec:ID | step:ID\n"
    "\n"
    "A bare id for TO means a recommendation (about, answers, tracks), a step\n"
    "(responds-to) or a round (welcomed-in, which also takes DIALOGUE#ORDINAL).\n"
    "Linking twice is not an error.\n";

int cmd_link(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0}};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *relation, *bare;
    char from[64], to[64];
    int64_t rid;
    int o, rc, round_ref = 0;

    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1)
        if ((rc = cli_opt_common(c, o, argv, usage, help, NULL)) >= 0)
            return rc;
    if (argc - optind != 3)
        return cli_usage(c, usage, "link needs FROM, RELATION and TO");
    relation = argv[optind + 1];
    if (cli_ref(argv[optind], NULL, from) < 0)
        return cli_usage(c, usage, "'%s' is not KIND:ID, such as step:2", argv[optind]);
    bare = !strcmp(relation, "responds-to")   ? "step"
           : !strcmp(relation, "welcomed-in") ? "round"
                                              : "rec";
    if (cli_ref(argv[optind + 2], bare, to) < 0) {
        if (strcmp(relation, "welcomed-in") || !strchr(argv[optind + 2], '#'))
            return cli_usage(c, usage, "'%s' is not KIND:ID, such as step:1", argv[optind + 2]);
        round_ref = 1;
    }
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if (round_ref) {
        if (rt_round_find(st, argv[optind + 2], &rid, &err) < 0) {
            rc = cli_fail(c, &err);
            goto out;
        }
        snprintf(to, sizeof(to), "round:%lld", (long long)rid);
    }
    if (rt_link_add(st, from, relation, to, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    printf("linked %s %s %s\n", from, relation, to);
    rc = EXIT_OK;
out:
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
