/* rightstrack audit: read the audit log, print its head, check it. */
#include <inttypes.h>

#include "cli.h"

#include <rightstrack/audit.h>

static const char usage[] = "rightstrack [--db PATH] audit verify|log|head [OPTIONS]";

static const char help[] =
    "usage: rightstrack [--db PATH] audit verify [--head HASH] [--json]\n"
    "       rightstrack [--db PATH] audit log [--since DATE] [--record REF] [--limit N] [--json]\n"
    "       rightstrack [--db PATH] audit head [--json]\n"
    "\n"
    "Every write to the ledger, from the command line, the web pages or the API, adds\n"
    "an entry to the audit log: who (cli:USER for the command line), when, the record,\n"
    "and the record before and after. Each entry holds the hash of the one before it,\n"
    "so that no entry can be changed, removed, reordered or slipped in unnoticed.\n"
    "\n"
    "  verify   check the log and the ledger against it; exit 0 when the log holds,\n"
    "           1 and one line per finding when it does not\n"
    "           --head HASH  also check that the log still reaches this head\n"
    "  log      print the entries, oldest first\n"
    "           --since DATE   only entries at or after DATE (YYYY-MM-DD)\n"
    "           --record REF   only entries about REF (step:3, ask:2, DIALOGUE#2, ...)\n"
    "                          and the records that belong to it or link to it\n"
    "           --limit N      only the last N\n"
    "  head     print the number and hash of the last entry: keep them elsewhere, so\n"
    "           that 'audit verify --head HASH' finds entries cut off the end\n"
    "\n"
    "  --json   print JSON\n";

/* A value of a logged row for a terminal: strings as they are, without control bytes. */
static void print_value(const json_t *v)
{
    if (json_is_string(v)) {
        for (const char *p = json_string_value(v); *p; p++)
            putchar((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p);
    } else if (json_is_null(v)) {
        fputs("(none)", stdout);
    } else {
        json_dumpf(v, stdout, JSON_ENCODE_ANY | JSON_COMPACT);
    }
}

void cli_print_audit(const struct rt_audit_entry *v, size_t n)
{
    json_t *doc = rt_audit_entries_json(v, n), *e;
    size_t i;

    json_array_foreach(doc, i, e)
    {
        json_t *before = json_object_get(e, "before"), *after = json_object_get(e, "after"), *x;
        const char *op = json_string_value(json_object_get(e, "op")), *k;

        printf("#%" PRId64 "  %s  %s%s%s%s  %s %s\n", v[i].id, v[i].at ? v[i].at : "(unsealed)",
               v[i].actor ? v[i].actor : "?", v[i].via ? " (" : "", v[i].via ? v[i].via : "",
               v[i].via ? ")" : "", op, v[i].record);
        if (!strcmp(op, "update") || (!strcmp(op, "snapshot") && json_is_object(before))) {
            size_t j;
            json_array_foreach(json_object_get(e, "changed"), j, x)
            {
                k = json_string_value(x);
                printf("    %s: ", k);
                print_value(json_object_get(before, k));
                fputs(" -> ", stdout);
                print_value(json_object_get(after, k));
                putchar('\n');
            }
        } else if (json_is_object(after) && strcmp(v[i].table, "link") &&
                   strcmp(v[i].table, "ledger_theme") && strcmp(v[i].table, "dialogue_party")) {
            /* (a link's record says all there is to it) */
            json_object_foreach(after, k, x)
            {
                if (json_is_null(x) || !strcmp(k, "created_at") || !strcmp(k, "id"))
                    continue;
                printf("    %s: ", k);
                print_value(x);
                putchar('\n');
            }
        }
    }
    json_decref(doc);
}

static int verify(struct cli *c, int argc, char **argv)
{
    struct rt_audit_report rep = {0};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *head = NULL;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_STRING("head", &head, "HASH", NULL), OPT_JSON(&json),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0 ||
        (rc = cli_no_args(c, argc, argv, usage)) >= 0)
        return rc;
    if ((rc = cli_open(c, RT_STORE_READONLY, &st)) != EXIT_OK)
        return rc;
    if (rt_audit_verify(st, head, &rep, &err) < 0) {
        rc = err.code == RT_EINVAL ? cli_usage(c, usage, "%s", err.msg.buf) : cli_fail(c, &err);
        goto out;
    }
    rc = rep.n_findings ? EXIT_FAIL : EXIT_OK;
    if (json) {
        json_t *f = json_array();
        for (size_t i = 0; i < rep.n_findings; i++)
            json_array_append_new(f, json_pack("{s:s,s:I,s:o,s:s}", "kind", rep.findings[i].kind,
                                               "entry", (json_int_t)rep.findings[i].entry, "record",
                                               rep.findings[i].record
                                                   ? json_string(rep.findings[i].record)
                                                   : json_null(),
                                               "message", rep.findings[i].message));
        cli_print_json(json_pack("{s:b,s:I,s:I,s:I,s:{s:I,s:s},s:o}", "ok", !rep.n_findings,
                                 "entries", (json_int_t)rep.entries, "unsealed",
                                 (json_int_t)rep.unsealed, "records", (json_int_t)rep.records,
                                 "head", "entry", (json_int_t)rep.head_id, "hash", rep.head,
                                 "findings", f));
    } else if (rep.n_findings) {
        for (size_t i = 0; i < rep.n_findings; i++)
            printf("%s: %s\n", rep.findings[i].kind, rep.findings[i].message);
    } else {
        printf("the log holds: %" PRId64 " entries, %" PRId64
               " records as the log says; head #%" PRId64 " %s\n",
               rep.entries, rep.records, rep.head_id, rep.head[0] ? rep.head : "(none)");
    }
out:
    rt_audit_report_release(&rep);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

int cli_audit_list(struct cli *c, struct rt_store *st, const struct rt_audit_filter *f, int json,
                   const char *none)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_audit_entry *v = NULL;
    size_t n = 0;
    int rc = EXIT_OK;

    if (rt_audit_log(st, f, &v, &n, &err) < 0)
        rc = cli_fail(c, &err);
    else if (json)
        cli_print_json(rt_audit_entries_json(v, n));
    else if (!n && none)
        printf("%s\n", none);
    else
        cli_print_audit(v, n);
    rt_audit_entries_free(v, n);
    rt_error_release(&err);
    return rc;
}

static int log_(struct cli *c, int argc, char **argv)
{
    struct rt_audit_filter f = {0};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    const char *record = NULL;
    char ref[128];
    long limit = 0;
    int json = 0, rc;
    struct cli_option opts[] = {
        OPT_STRING("since", &f.since, "DATE", NULL), OPT_STRING("record", &record, "REF", NULL),
        OPT_INT("limit", &limit, 1, 1000000000L, "N", NULL), OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0 ||
        (rc = cli_no_args(c, argc, argv, usage)) >= 0)
        return rc;
    f.limit = limit;
    if ((rc = cli_open(c, RT_STORE_READONLY, &st)) != EXIT_OK)
        return rc;
    if (record && rt_audit_ref(st, record, ref, &err) < 0) {
        rc = cli_fail(c, &err);
        goto out;
    }
    f.record = record ? ref : NULL;
    rc = cli_audit_list(c, st, &f, json, NULL);
out:
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

static int head(struct cli *c, int argc, char **argv)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    char hash[RT_AUDIT_HASH_HEX];
    int64_t id = 0;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0 ||
        (rc = cli_no_args(c, argc, argv, usage)) >= 0)
        return rc;
    if ((rc = cli_open(c, RT_STORE_READONLY, &st)) != EXIT_OK)
        return rc;
    if (rt_audit_head(st, &id, hash, &err) < 0)
        rc = cli_fail(c, &err);
    else if (json)
        cli_print_json(
            json_pack("{s:I,s:s?}", "entry", (json_int_t)id, "hash", hash[0] ? hash : NULL));
    else if (id)
        printf("%" PRId64 " %s\n", id, hash);
    else
        printf("0 (the log is empty)\n");
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"verify", verify}, {"log", log_}, {"head", head}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
