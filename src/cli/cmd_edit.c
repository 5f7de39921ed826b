/*
 * rightstrack edit and withdraw: correct a ledger record, or withdraw it with a
 * reason, by rt_ledger_edit and rt_ledger_withdraw (entity.h), as the API and the web
 * forms do. The options of edit are the fields of the record's entity.
 */
#include <limits.h>

#include "cli.h"

#include <rightstrack/entity.h>
#include <rightstrack/ledger.h>
#include <rightstrack/text.h>

static const char edit_usage[] = "rightstrack [--db PATH] edit REF [--FIELD VALUE]... [--json]";

static const char edit_head[] =
    "usage: rightstrack [--db PATH] edit REF [--FIELD VALUE]... [--json]\n"
    "\n"
    "Corrects a record of the ledger: only the fields given change, each checked as\n"
    "when the record was added; an empty value (--place \"\") clears a field that is\n"
    "not required. A list (--answers, --rec, --welcomed-in, --party ...) given is the\n"
    "new list: links left out are withdrawn, new ones made. What the record was stays\n"
    "in its history (rightstrack history REF).\n"
    "\n"
    "REF comes first, as the other commands write records: step:3, ask:2, topic:1,\n"
    "participant:4, commitment:1, benchmark:1, dialogue:1, and a round as\n"
    "DIALOGUE#NUMBER (US-Belarus#2) or round:ID. Assessments are not edited: add a new\n"
    "one with assess ... --replaces assessment:ID. A link is withdrawn and made again.\n"
    "\n"
    "The options are the fields of the record, named as `KIND add` names them; the\n"
    "text that add takes as its argument is --text (--name for a dialogue):\n";

static const char withdraw_usage[] =
    "rightstrack [--db PATH] withdraw REF --reason TEXT [--date DATE] [--json]";

static const char withdraw_help[] =
    "usage: rightstrack [--db PATH] withdraw REF --reason TEXT [--date DATE] [--json]\n"
    "\n"
    "Withdraws a record of the ledger: it stays in the database, the export and its\n"
    "history, but leaves the pages, reports, briefings, timelines and lists as of\n"
    "DATE and after (before DATE they show it as they did). Without --date it was a\n"
    "mistake and leaves every view.\n"
    "\n"
    "REF as for edit (step:3, ask:2, US-Belarus#2, ...); a link as its three words:\n"
    "withdraw step:3 answers ask:2 --reason \"...\".\n"
    "\n"
    "  --reason TEXT   why, in your own words (required)\n"
    "  --date DATE     from when it no longer holds: YYYY-MM-DD, YYYY-MM or YYYY\n"
    "  --json          print the record as it stands after\n";

/* The entity that ref names, from its words alone ("step:3", "D#2", "round:5"). */
static const struct rt_entity *entity_of(const char *ref)
{
    const char *colon = strchr(ref, ':');
    char kind[32];

    if (strchr(ref, '#') && (!colon || !strncmp(ref, "round:", 6)))
        return rt_entity_find("round");
    if (!colon || colon - ref >= (long)sizeof(kind))
        return NULL;
    snprintf(kind, sizeof(kind), "%.*s", (int)(colon - ref), ref);
    return rt_entity_find(kind);
}

/* Prints the record ref (a KIND:ID as rt_ledger_edit gives it) as it now stands. */
static int print_record(struct cli *c, struct rt_store *st, const char *ref, const char *verb,
                        int json)
{
    struct rt_error err = RT_ERROR_INIT;
    const char *colon = strchr(ref, ':');
    json_t *doc = NULL;
    char kind[32];
    int rc = EXIT_OK;

    if (!colon || strchr(ref, ' ')) { /* a link */
        if (json)
            cli_print_json(json_pack("{s:s}", "record", ref));
        else
            printf("%s %s\n", verb, ref);
        return EXIT_OK;
    }
    snprintf(kind, sizeof(kind), "%.*s", (int)(colon - ref), ref);
    if (rt_record_get(st, kind, strtoll(colon + 1, NULL, 10), &doc, &err) < 0) {
        rc = cli_fail(c, &err);
    } else if (json) {
        cli_print_json(doc);
        doc = NULL;
    } else {
        const char *name = json_string_value(json_object_get(doc, "name"));
        const char *on = json_string_value(json_object_get(doc, "withdrawn_on"));
        printf("%s %s%s%s%s\n", verb, name ? "round " : "", name ? name : ref, on ? " as of " : "",
               on ? on : "");
    }
    json_decref(doc);
    rt_error_release(&err);
    return rc;
}

#define MAX_FIELDS 16

int cmd_edit(struct cli *c, int argc, char **argv)
{
    const struct rt_entity *e = argc > 1 && argv[1][0] != '-' ? entity_of(argv[1]) : NULL;
    struct cli_option opts[MAX_FIELDS + 2];
    const char *strs[MAX_FIELDS] = {0};
    struct cli_list lists[MAX_FIELDS];
    long nums[MAX_FIELDS];
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    struct rt_buf help = RT_BUF_INIT;
    json_t *body = json_object();
    char ref[128];
    size_t n = 0, i = 0;
    int json = 0, rc;

    memset(lists, 0, sizeof(lists));
    for (const struct rt_field *f = e ? e->fields : NULL; f && f->name && n < MAX_FIELDS;
         f++, i++) {
        struct cli_option o =
            OPT_STRING(f->option ? f->option : f->name, &strs[i], f->arg, f->help);
        nums[i] = LONG_MIN;
        if (f->type == RT_FIELD_INT) {
            struct cli_option oi = OPT_INT(o.name, &nums[i], f->lo, f->hi, f->arg, f->help);
            o = oi;
        } else if (f->type == RT_FIELD_REFS || f->type == RT_FIELD_PARTIES) {
            struct cli_option ol = OPT_LIST(o.name, &lists[i], f->arg, f->help);
            o = ol;
        }
        opts[n++] = o;
    }
    {
        struct cli_option j = OPT_JSON(&json), end = OPT_END();
        opts[n++] = j;
        opts[n] = end;
    }
    rt_buf_adds(&help, edit_head);
    if (!e)
        rt_buf_adds(&help, "  (give REF first to see them: rightstrack edit step:1 --help)\n");
    if ((rc = cli_parse_options(c, &argc, argv, opts, edit_usage, e ? NULL : help.buf)) >= 0)
        goto out;
    if (argc != 2) {
        rc = cli_usage(c, edit_usage, "edit needs one record first, such as step:3");
        goto out;
    }
    if (!e || !strcmp(e->name, "link") || !strcmp(e->name, "assessment")) {
        rc = cli_usage(c, edit_usage,
                       "'%s' is not a record edit corrects (step:3, ask:2, DIALOGUE#2, ...)",
                       argv[1]);
        goto out;
    }
    i = 0;
    for (const struct rt_field *f = e->fields; f->name; f++, i++) {
        const char *name = f->option ? f->option : f->name;
        if (f->type == RT_FIELD_INT && nums[i] != LONG_MIN) {
            json_object_set_new(body, f->name, json_integer(nums[i]));
        } else if (lists[i].n) {
            json_t *a = json_array();
            for (size_t k = 0; k < lists[i].n; k++) {
                if (rt_text_check(name, lists[i].v[k], strlen(lists[i].v[k]), &err) < 0)
                    break;
                if (*lists[i].v[k])
                    json_array_append_new(a, json_string(lists[i].v[k]));
            }
            json_object_set_new(body, f->name, a);
        } else if (strs[i] && rt_text_check(name, strs[i], strlen(strs[i]), &err) == 0) {
            json_object_set_new(body, f->name, json_string(strs[i]));
        }
        if (err.code) {
            rc = cli_fail(c, &err);
            goto out;
        }
    }
    if (!json_object_size(body)) {
        rc = cli_usage(c, edit_usage, "edit needs a field to change, such as --date");
        goto out;
    }
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        goto out;
    if (rt_ledger_edit(st, argv[1], body, ref, &err) < 0) {
        const struct rt_field *f = err.field ? rt_entity_field(e, err.field) : NULL;
        if (f && f->option) { /* named as the command line names it */
            rt_free(err.field);
            err.field = rt_xstrdup(f->option);
        }
        rc = cli_fail(c, &err);
    } else {
        rc = print_record(c, st, ref, "corrected", json);
    }
out:
    rt_store_close(st);
    json_decref(body);
    rt_buf_release(&help);
    rt_error_release(&err);
    return rc;
}

int cmd_withdraw(struct cli *c, int argc, char **argv)
{
    const char *reason = NULL, *date = NULL;
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    char ref[128], *what = NULL;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_STRING("reason", &reason, "TEXT", NULL),
                                OPT_STRING("date", &date, "DATE", NULL), OPT_JSON(&json),
                                OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, withdraw_usage, withdraw_help)) >= 0)
        return rc;
    if (argc != 2 && argc != 4)
        return cli_usage(c, withdraw_usage,
                         "withdraw needs one record (step:3) or one link (step:3 answers ask:2)");
    if (!reason || !*reason)
        return cli_usage(c, withdraw_usage, "withdraw needs --reason, in your own words");
    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    what = cli_join(argc, argv, 1);
    if (rt_ledger_withdraw(st, what, reason, date, ref, &err) < 0)
        rc = cli_fail(c, &err);
    else
        rc = print_record(c, st, ref, "withdrew", json);
    rt_free(what);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}
