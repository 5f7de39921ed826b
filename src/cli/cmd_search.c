/* rightstrack search: full-text and filtered search of recommendations. */
#include "cli.h"

#include <rightstrack/search.h>

static const char usage[] =
    "rightstrack [--db PATH] search [QUERY] [--sur STATE] [--by STATE] [--cycle N]\n"
    "       [--session N] [--response supported|noted|pledge|pending] [--theme T]\n"
    "       [--category N] [--limit N] [--offset N] [--facets] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] search [QUERY] [OPTIONS]\n"
    "\n"
    "Finds recommendations. QUERY words are matched by stem and without accents or\n"
    "case, so 'tortured' finds 'torture'. \"a phrase\" matches words in order; word*\n"
    "matches a prefix; AND, OR, NOT and (parentheses) combine; -word leaves out.\n"
    "Results are ranked by relevance (BM25), or by id when there is no QUERY.\n"
    "\n"
    "  --sur STATE        state under review: code (BLR), name or any variant\n"
    "  --by STATE         recommending state, the same way\n"
    "  --cycle N          UPR cycle\n"
    "  --session N        UPR Working Group session\n"
    "  --response R       supported, noted, pledge or pending\n"
    "  --theme T          theme label or code, e.g. 'Death penalty', or a taxonomy area\n"
    "                     ('death-penalty'): finds every label sharing an area with T\n"
    "                     in any vocabulary (see `themes areas`)\n"
    "  --category N       action category 1 (minimal) to 5 (specific action)\n"
    "  --limit N          hits to print (default 20, at most 10000)\n"
    "  --offset N         hits to skip (for paging)\n"
    "  --facets           add counts by response, cycle, theme and state under review\n"
    "  --json             print {\"total\", \"hits\": [...], \"facets\": {...}}\n";

int cmd_search(struct cli *c, int argc, char **argv)
{
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_buf text = RT_BUF_INIT;
    struct rt_store *st = NULL;
    const char *response = NULL;
    long cycle = 0, session = 0, category = 0, limit = q.limit, offset = q.offset;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_STRING("sur", &q.sur, "STATE", NULL),
                                OPT_STRING("by", &q.by, "STATE", NULL),
                                OPT_INT("cycle", &cycle, 1, 999, "N", NULL),
                                OPT_INT("session", &session, 1, 999, "N", NULL),
                                OPT_STRING("response", &response, "R", NULL),
                                OPT_STRING("theme", &q.theme, "T", NULL),
                                OPT_INT("category", &category, 1, 5, "N", NULL),
                                OPT_INT("limit", &limit, 1, 10000, "N", NULL),
                                OPT_INT("offset", &offset, 0, 1000000000L, "N", NULL),
                                OPT_FLAG("facets", &q.facets, NULL),
                                OPT_JSON(&json),
                                OPT_HINT(" (a query word that starts with - goes after --)"),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    q.cycle = (int)cycle;
    q.session = (int)session;
    q.category = (int)category;
    q.limit = limit;
    q.offset = offset;
    if (response) {
        enum rt_response r;
        if (rt_response_parse(response, &r) < 0)
            return cli_usage(c, usage, "--response is supported, noted, pledge or pending");
        q.response = (int)r;
    }
    for (int i = 1; i < argc; i++) {
        if (text.len)
            rt_buf_addch(&text, ' ');
        rt_buf_adds(&text, argv[i]);
    }
    if (text.len)
        q.text = text.buf;
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        goto out;
    if (rt_search(st, &q, &res, &err) < 0) {
        rc = err.code == RT_EINVAL ? (cli_fail(c, &err), EXIT_USAGE) : cli_fail(c, &err);
        goto out;
    }
    if (json) {
        cli_print_json(rt_search_result_to_json(&res, q.limit, q.offset));
    } else {
        printf("%lld recommendation%s", (long long)res.total, res.total == 1 ? "" : "s");
        if (res.n_hits)
            printf(", showing %lld-%lld", (long long)q.offset + 1,
                   (long long)q.offset + (long long)res.n_hits);
        printf("\n");
        for (size_t i = 0; i < res.n_hits; i++) {
            const struct rt_rec *r = &res.hits[i];
            printf("\n[%lld] %s, cycle %d, session %d, %s\n    %s\n", (long long)r->id, r->sur.name,
                   r->cycle, r->session, rt_response_name(r->response), r->text);
            if (r->n_by) {
                printf("    by ");
                for (size_t k = 0; k < r->n_by; k++)
                    printf("%s%s", k ? ", " : "", r->by[k].name);
                printf("\n");
            }
        }
        for (size_t f = 0; f < res.n_facets; f++) {
            printf("\n%s:", res.facets[f].name);
            for (size_t k = 0; k < res.facets[f].n && k < 15; k++)
                printf("%s %s %lld", k ? "," : "", res.facets[f].counts[k].key,
                       (long long)res.facets[f].counts[k].n);
            if (res.facets[f].n > 15)
                printf(", ... (%zu in all)", res.facets[f].n);
            printf("\n");
        }
    }
    rc = EXIT_OK;
out:
    rt_search_result_release(&res);
    rt_buf_release(&text);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
