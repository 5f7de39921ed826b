/* rightstrack stats: how many recommendations, by response and by cycle. */
#include "cli.h"

#include <rightstrack/search.h>

static const char usage[] = "rightstrack [--db PATH] stats [--sur STATE] [--json]";

static const char help[] = "usage: rightstrack [--db PATH] stats [--sur STATE] [--json]\n"
                           "\n"
                           "Counts recommendations, states under review, recommending states,\n"
                           "and recommendations by response and by cycle; for one state under\n"
                           "review with --sur (code, name or any variant).\n"
                           "\n"
                           "  --json   print them as a JSON object\n";

int cmd_stats(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_stats s = {0};
    struct rt_store *st = NULL;
    const char *sur = NULL;
    int64_t sur_id = 0;
    int json = 0, rc;
    struct cli_option opts[] = {
        OPT_STRING("sur", &sur, "STATE", "one state under review: code, name or any variant"),
        OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0 ||
        (rc = cli_no_args(c, argc, argv, usage)) >= 0)
        return rc;
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if (sur) {
        rc = rt_store_state_find(st, sur, strlen(sur), &sur_id, &err);
        if (rc == RT_ENOTFOUND) {
            rc = cli_usage(c, usage, "no state called '%s'", sur);
            goto out;
        } else if (rc < 0) {
            rc = cli_fail(c, &err);
            goto out;
        }
    }
    if (rt_store_stats(st, sur_id, &s, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    if (json) {
        cli_print_json(rt_stats_to_json(&s));
    } else {
        printf("recommendations       %lld\n", (long long)s.recommendations);
        printf("states under review   %lld\n", (long long)s.states_under_review);
        printf("recommending states   %lld\n", (long long)s.recommending_states);
        printf("supported             %lld\n", (long long)s.by_response[RT_RESPONSE_SUPPORTED]);
        printf("noted                 %lld\n", (long long)s.by_response[RT_RESPONSE_NOTED]);
        printf("voluntary pledges     %lld\n", (long long)s.by_response[RT_RESPONSE_PLEDGE]);
        if (s.by_response[RT_RESPONSE_PENDING])
            printf("pending               %lld\n", (long long)s.by_response[RT_RESPONSE_PENDING]);
        for (size_t i = 0; i < s.n_by_cycle; i++)
            printf("cycle %-15s %lld\n", s.by_cycle[i].key, (long long)s.by_cycle[i].n);
        if (s.no_cycle)
            printf("no cycle (not UPR)    %lld\n", (long long)s.no_cycle);
    }
    rc = EXIT_OK;
out:
    rt_stats_release(&s);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
