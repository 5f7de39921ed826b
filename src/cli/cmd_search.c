/* rightstrack search: full-text and filtered search of recommendations. */
#include "cli.h"

#include <unistd.h>

#include <rightstrack/export.h>
#include <rightstrack/ledger.h>
#include <rightstrack/search.h>

static const char usage[] =
    "rightstrack [--db PATH] search [QUERY] [--sur STATE] [--by STATE] [--cycle N]\n"
    "       [--session N] [--response supported|noted|pledge|pending] [--theme T]\n"
    "       [--category N] [--mechanism M] [--sort ORDER] [--desc] [--limit N] [--offset N]\n"
    "       [--facets]"
    "\n"
    "       [--json | --format csv|xlsx [--out FILE]]";

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
    "  --mechanism M      where the recommendations come from: upr (the Universal\n"
    "                     Periodic Review), odihr (OSCE/ODIHR election observation),\n"
    "                     treaty-body, special-procedure or bilateral\n"
    "  --limit N          hits to print (default 20, at most 10000)\n"
    "  --offset N         hits to skip (for paging)\n"
    "  --facets           add counts by response, cycle, theme and state under review\n"
    "  --json             print {\"total\", \"hits\": [...], \"facets\": {...}}\n";

int cli_export(struct rt_export *x, const char *path, struct rt_error *err)
{
    struct rt_buf tmp = RT_BUF_INIT;
    FILE *f;
    int rc;

    if (!path)
        return rt_export_write(x, stdout, err);
    rt_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    if (!(f = fopen(tmp.buf, "wb"))) {
        rc = rt_error_errno(err, path, "cannot write");
        goto out;
    }
    rc = rt_export_write(x, f, err);
    if (fclose(f) != 0 && rc == 0)
        rc = rt_error_errno(err, path, "cannot write");
    if (rc == 0 && rename(tmp.buf, path) != 0)
        rc = rt_error_errno(err, path, "cannot write");
    if (rc < 0)
        remove(tmp.buf);
out:
    rt_buf_release(&tmp);
    return rc;
}

/* The format of --format, or of --out's extension; -1 when --format names none. */
static int export_format(const char *fmt, const char *out, enum rt_export_format *f)
{
    size_t n = out ? strlen(out) : 0;

    if (fmt)
        return rt_export_format_parse(fmt, f) < 0 ? -1 : 0;
    *f = n > 5 && !strcmp(out + n - 5, ".xlsx") ? RT_EXPORT_XLSX : RT_EXPORT_CSV;
    return 0;
}

int cli_list_export(struct cli *c, const char *use, const char *fmt, const char *out,
                    cli_get_fn *get, const void *arg, const char *sheet)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_export *x = NULL;
    enum rt_export_format f;
    json_t *doc = NULL;
    int rc;

    if (export_format(fmt, out, &f) < 0)
        return cli_usage(c, use, "--format is csv or xlsx");
    if (f == RT_EXPORT_XLSX && !out && isatty(STDOUT_FILENO))
        return cli_usage(c, use, "an xlsx file is not for a terminal: give --out FILE");
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if (get(st, arg, &doc, &err) < 0 || rt_export_rows(doc, f, sheet, &x, &err) < 0 ||
        cli_export(x, out, &err) < 0)
        rc = cli_fail(c, &err);
    rt_export_free(x);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

int cmd_search(struct cli *c, int argc, char **argv)
{
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_buf text = RT_BUF_INIT;
    struct rt_store *st = NULL;
    const char *response = NULL, *sort = NULL, *out = NULL, *format = NULL;
    enum rt_export_format fmt = RT_EXPORT_CSV;
    long cycle = 0, session = 0, category = 0, limit = q.limit, offset = q.offset;
    int json = 0, export, rc;
    struct cli_option opts[] = {OPT_STRING("sur", &q.sur, "STATE", NULL),
                                OPT_STRING("by", &q.by, "STATE", NULL),
                                OPT_INT("cycle", &cycle, 1, 999, "N", NULL),
                                OPT_INT("session", &session, 1, 999, "N", NULL),
                                OPT_STRING("response", &response, "R", NULL),
                                OPT_STRING("theme", &q.theme, "T", NULL),
                                OPT_INT("category", &category, 1, 5, "N", NULL),
                                OPT_STRING("mechanism", &q.mechanism, "M", NULL),
                                OPT_INT("limit", &limit, 1, 10000, "N", NULL),
                                OPT_INT("offset", &offset, 0, 1000000000L, "N", NULL),
                                OPT_FLAG("facets", &q.facets, NULL),
                                OPT_JSON(&json),
                                OPT_STRING("sort", &sort, "S", NULL),
                                OPT_FLAG("desc", &q.desc, NULL),
                                OPT_EXPORT(&format, &out),
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
    if (sort && rt_search_sort_parse(sort, &q.sort) < 0) {
        return cli_usage(c, usage, "--sort is relevance, session, state or response");
    }
    for (int i = 1; i < argc; i++) {
        if (text.len)
            rt_buf_addch(&text, ' ');
        rt_buf_adds(&text, argv[i]);
    }
    if (text.len)
        q.text = text.buf;
    export = format || out;
    if (export && export_format(format, out, &fmt) < 0) {
        rc = cli_usage(c, usage, "--format is csv or xlsx");
        goto out;
    }
    if (export && json) {
        rc = cli_usage(c, usage, "--json and --format are two outputs: give one");
        goto out;
    }
    if (export && fmt == RT_EXPORT_XLSX && !out && isatty(STDOUT_FILENO)) {
        rc = cli_usage(c, usage, "an xlsx file is not for a terminal: give --out FILE");
        goto out;
    }
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        goto out;
    if (export) {
        struct rt_export *x = NULL;
        if (rt_export_search(st, &q, fmt, &x, &err) < 0 || cli_export(x, out, &err) < 0)
            rc = err.code == RT_EINVAL ? (cli_fail(c, &err), EXIT_USAGE) : cli_fail(c, &err);
        rt_export_free(x);
        goto out;
    }
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
            char made[48];
            printf("\n[%lld] %s, %s, %s\n    %s\n", (long long)r->id, r->sur.name,
                   rt_rec_made_text(r, made), rt_response_name(r->response), r->text);
            if (r->n_by) {
                printf("    by ");
                for (size_t k = 0; k < r->n_by; k++)
                    printf("%s%s", k ? ", " : "", r->by[k].name);
                printf("\n");
            }
        }
        /* As the web page shows them: headings, states and themes by their names. */
        for (size_t f = 0; f < res.n_facets; f++) {
            int states = !strcmp(res.facets[f].name, "state_under_review");
            int themes = !strcmp(res.facets[f].name, "theme");
            printf("\n%s:", rt_facet_heading(res.facets[f].name));
            for (size_t k = 0; k < res.facets[f].n && k < 15; k++) {
                const char *key = res.facets[f].counts[k].key;
                char *name = states ? rt_party_name(st, key) : NULL;
                printf("%s %s%s (%lld)", k ? "," : "", themes ? rt_theme_prefix(key) : "",
                       name ? name : key, (long long)res.facets[f].counts[k].n);
                rt_free(name);
            }
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
