/* What the ledger's commands share: subcommands, references, the add of a record from its
 * entity's description (entity.h), writes and reads of the store. The text renderings
 * of the documents are in render.c. */
#include <errno.h>
#include <inttypes.h>

#include "cli.h"

#include <rightstrack/ledger.h>

int cli_subcommand(struct cli *c, const struct subcommand *subs, const char *usage,
                   const char *help, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage(c, usage, "%s needs a subcommand", argv[0]);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return cli_help(help);
    for (size_t i = 0; subs[i].name; i++) {
        if (!strcmp(subs[i].name, argv[1])) {
            optind = 1;
            return subs[i].fn(c, argc - 1, argv + 1);
        }
    }
    return cli_usage(c, usage, "'%s' is not a subcommand of %s", argv[1], argv[0]);
}

int cli_parse_id(const char *s, int64_t *out)
{
    long v;

    if (cli_parse_int(s, 1, 0x7fffffffffffffffL, &v) < 0)
        return -1;
    *out = v;
    return 0;
}

int cli_ref(const char *in, const char *bare_kind, char out[64])
{
    const char *colon = strchr(in, ':');
    int64_t id;
    int n;

    if (!colon) {
        if (!bare_kind || cli_parse_id(in, &id) < 0)
            return -1;
        n = snprintf(out, 64, "%s:%" PRId64, bare_kind, id);
    } else {
        if (colon == in || cli_parse_id(colon + 1, &id) < 0)
            return -1;
        n = snprintf(out, 64, "%.*s:%" PRId64, (int)(colon - in), in, id);
    }
    return n > 0 && n < 64 ? 0 : -1;
}

char *cli_join(int argc, char **argv, int from)
{
    struct rt_buf b = RT_BUF_INIT;

    if (from >= argc)
        return NULL;
    for (int i = from; i < argc; i++) {
        if (i > from)
            rt_buf_addch(&b, ' ');
        rt_buf_adds(&b, argv[i]);
    }
    return rt_buf_detach(&b, NULL);
}

int cli_write(struct cli *c, cli_find_fn *find, const char *parent, cli_write_fn *fn,
              const void *arg, int64_t *id)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    int64_t parent_id = 0;
    int rc;

    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if (rt_store_begin(st, &err) < 0 || (find && find(st, parent, &parent_id, &err) < 0) ||
        fn(st, parent_id, arg, id, &err) < 0) {
        rc = cli_fail(c, &err);
        rt_store_rollback(st);
    } else if (rt_store_commit(st, &err) < 0) {
        rc = cli_fail(c, &err);
    }
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

int cli_add(struct cli *c, const char *what, int json, cli_find_fn *find, const char *parent,
            cli_write_fn *fn, const void *arg)
{
    int64_t id = 0;
    int rc = cli_write(c, find, parent, fn, arg, &id);

    if (rc != EXIT_OK)
        return rc;
    if (json)
        cli_print_json(json_pack("{s:I}", "id", (json_int_t)id));
    else
        printf("added %s %" PRId64 "\n", what, id);
    return EXIT_OK;
}

int cli_read(struct cli *c, int json, cli_get_fn *get, const void *arg,
             void (*render)(const json_t *doc))
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    json_t *doc = NULL;
    int rc;

    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if (get(st, arg, &doc, &err) < 0) {
        rc = cli_fail(c, &err);
    } else if (json) {
        cli_print_json(doc);
        doc = NULL;
    } else {
        render(doc);
    }
    json_decref(doc);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

int cli_refs_opt(struct cli *c, const char *usage, struct cli_refs *refs, const char *arg)
{
    char ref[64];

    if (refs->n == sizeof(refs->v) / sizeof(refs->v[0]))
        return cli_usage(c, usage, "too many --%s", refs->option);
    if (cli_ref(arg, refs->bare, ref) < 0)
        return cli_usage(c, usage, "--%s needs %s, not '%s'", refs->option, refs->need, arg);
    refs->v[refs->n++] = arg;
    return EXIT_OK;
}

int cli_link_refs(struct rt_store *st, const char *kind, int64_t id, const char *relation,
                  const struct cli_refs *refs, struct rt_error *err)
{
    char from[64], to[64];
    int rc;

    snprintf(from, sizeof(from), "%s:%" PRId64, kind, id);
    for (size_t i = 0; i < refs->n; i++) {
        cli_ref(refs->v[i], refs->bare, to);
        if ((rc = rt_link_add(st, from, relation, to, err)) < 0)
            return rc;
    }
    return 0;
}

int cli_asof_args(struct cli *c, int argc, char **argv, const char *usage, const char *help,
                  const char *what, struct asof_args *a)
{
    struct cli_option opts[] = {OPT_STRING("as-of", &a->as_of, "D", NULL), OPT_JSON(&a->json),
                                OPT_END()};
    int rc;

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (argc != 2)
        return cli_usage(c, usage, "%s needs one %s", argv[0], what);
    a->ref = argv[1];
    return -1;
}

struct asof_query {
    const struct asof_read *cmd;
    struct asof_args args;
};

static int get_asof(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err)
{
    const struct asof_query *q = arg;
    int64_t id;
    int rc;

    if ((rc = q->cmd->find(st, q->args.ref, &id, err)) < 0)
        return rc;
    return q->cmd->read(st, id, q->args.as_of, doc, err);
}

int cli_asof_read(struct cli *c, int argc, char **argv, const struct asof_read *cmd)
{
    struct asof_query q = {cmd, {NULL, NULL, 0}};
    int rc;

    if ((rc = cli_asof_args(c, argc, argv, cmd->usage, cmd->help, cmd->what, &q.args)) >= 0)
        return rc;
    return cli_read(c, q.args.json, get_asof, &q, cmd->render);
}
