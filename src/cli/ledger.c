/* What the ledger's commands share: subcommands, references, the add of a record from its
 * entity's description (entity.h), writes and reads of the store. The text renderings
 * of the documents are in render.c. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>

#include "cli.h"

#include <rightstrack/entity.h>
#include <rightstrack/ledger.h>
#include <rightstrack/text.h>

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

/*
 * Replaces every text of v (and of what it holds) that rt_text_check would refuse by
 * its printable form: a database written before the text rule may hold escape bytes,
 * which must not reach the terminal.
 */
static void printable(json_t *v)
{
    const char *k;
    json_t *x;
    size_t i;

    if (json_is_object(v)) {
        json_object_foreach(v, k, x)
        {
            if (json_is_string(x) &&
                rt_text_check(NULL, json_string_value(x), json_string_length(x), NULL) < 0) {
                struct rt_buf b = RT_BUF_INIT;
                rt_text_printable(json_string_value(x), json_string_length(x), &b);
                json_object_set_new(v, k, json_stringn(b.buf, b.len));
                rt_buf_release(&b);
            } else {
                printable(x);
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x)
        {
            if (json_is_string(x) &&
                rt_text_check(NULL, json_string_value(x), json_string_length(x), NULL) < 0) {
                struct rt_buf b = RT_BUF_INIT;
                rt_text_printable(json_string_value(x), json_string_length(x), &b);
                json_array_set_new(v, i, json_stringn(b.buf, b.len));
                rt_buf_release(&b);
            } else {
                printable(x);
            }
        }
    }
}

/* For the text view: the parties of every "parties" list by their names for people
 * ("between United States and Belarus", as the web pages say); --json keeps the codes. */
static void name_parties(struct rt_store *st, json_t *v)
{
    const char *k;
    json_t *x, *p;
    size_t i;

    if (json_is_object(v)) {
        json_object_foreach(v, k, x)
        {
            if (!strcmp(k, "parties") && json_is_array(x)) {
                json_array_foreach(x, i, p)
                {
                    if (json_is_string(p)) {
                        char *name = rt_party_name(st, json_string_value(p));
                        json_array_set_new(x, i, json_string(name));
                        rt_free(name);
                    }
                }
            } else {
                name_parties(st, x);
            }
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x) name_parties(st, x);
    }
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
        name_parties(st, doc);
        printable(doc);
        render(doc);
    }
    json_decref(doc);
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
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
    /* since, timeline, reciprocity: every back end has them. */
    return cli_read(c, q.args.json, get_asof, &q, cmd->render);
}

/*
 * Records added from their entity's description: the options, the arguments, the
 * help and the JSON body all come from the fields of entity.h.
 */
static int is_arg(const struct rt_field *f)
{
    return !f->option;
}

static int omitted(const struct cli_entity *v, const struct rt_field *f)
{
    for (size_t i = 0; v->omit && v->omit[i]; i++)
        if (!strcmp(v->omit[i], f->name))
            return 1;
    return 0;
}

void cli_entity_init(struct cli_entity *v, const char *entity, const char *const *omit,
                     const struct cli_option *extra, int *json)
{
    size_t n = 0, i = 0;

    memset(v, 0, sizeof(*v));
    v->e = rt_entity_find(entity);
    v->omit = omit;
    for (const struct rt_field *f = v->e->fields; f->name && i < CLI_ENTITY_MAX; f++, i++) {
        struct cli_option *o = &v->opts[n];
        v->num[i] = LONG_MIN;
        if (is_arg(f) || omitted(v, f))
            continue;
        memset(o, 0, sizeof(*o));
        o->name = f->option;
        o->arg = f->arg;
        o->help = f->help;
        switch (f->type) {
        case RT_FIELD_FLAG:
            o->type = CLI_OPT_FLAG;
            o->value = &v->flag[i];
            o->arg = NULL;
            break;
        case RT_FIELD_INT:
            o->type = CLI_OPT_INT;
            o->value = &v->num[i];
            o->lo = f->lo;
            o->hi = f->hi;
            break;
        case RT_FIELD_REFS:
            o->check = cli_check_ref;
            o->kind = f->ref_kind;
            o->need = f->need;
            o->type = CLI_OPT_LIST;
            o->value = &v->list[i];
            break;
        case RT_FIELD_PARTIES:
            o->type = CLI_OPT_LIST;
            o->value = &v->list[i];
            break;
        default:
            o->type = CLI_OPT_STRING;
            o->value = &v->str[i];
        }
        n++;
    }
    for (; extra && extra->type && n + 2 < sizeof(v->opts) / sizeof(v->opts[0]); extra++)
        v->opts[n++] = *extra;
    if (json) {
        struct cli_option j = OPT_JSON(json);
        v->opts[n++] = j;
    }
}

/* "A, B and C" of the arguments, into b. */
static void arg_names(struct rt_buf *b, const struct cli_entity *v, const char *parent)
{
    const char *names[CLI_ENTITY_MAX + 1];
    size_t n = 0;

    if (parent)
        names[n++] = parent;
    for (const struct rt_field *f = v->e->fields; f->name; f++)
        if (is_arg(f) && !omitted(v, f))
            names[n++] = f->arg;
    for (size_t i = 0; i < n; i++)
        rt_buf_addf(b, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " and ", names[i]);
}

/* The name a person knows a field by on the command line: its option, else its name. */
static const char *known_as(const struct rt_field *f)
{
    return f->option ? f->option : f->name;
}

/*
 * The text rule for one value of field f, before it becomes JSON (jansson would drop
 * a value that is not UTF-8 rather than refuse it): -1 when it holds, else the exit
 * code after printing the error, which names the field as the command line does.
 */
static int text_ok(struct cli *c, const struct rt_field *f, const char *s)
{
    struct rt_error err = RT_ERROR_INIT;
    int rc = -1;

    if (s && rt_text_check(known_as(f), s, strlen(s), &err) < 0)
        rc = cli_fail(c, &err);
    rt_error_release(&err);
    return rc;
}

/* text_ok for every value the fields of v take from options and from argv[at, argc). */
static int texts_ok(struct cli *c, const struct cli_entity *v, int argc, char **argv, int at)
{
    size_t i = 0;
    int rc;

    for (const struct rt_field *f = v->e->fields; f->name; f++, i++) {
        if (omitted(v, f))
            continue;
        if (is_arg(f)) {
            int last = f->type == RT_FIELD_REFS || f->type == RT_FIELD_LONGTEXT ? argc : at + 1;
            for (; at < argc && at < last; at++)
                if ((rc = text_ok(c, f, argv[at])) >= 0)
                    return rc;
            continue;
        }
        for (size_t k = 0; k < v->list[i].n; k++)
            if ((rc = text_ok(c, f, v->list[i].v[k])) >= 0)
                return rc;
        if ((rc = text_ok(c, f, v->str[i])) >= 0)
            return rc;
    }
    return -1;
}

int cli_entity_args(struct cli *c, struct cli_entity *v, int argc, char **argv, const char *what,
                    const char *parent, const char *usage)
{
    struct rt_buf b = RT_BUF_INIT;
    int at = 1, rc = -1;
    size_t i = 0;

    v->body = json_object();
    if (parent) {
        if (at < argc)
            v->parent = argv[at++];
        else
            goto few;
    }
    if ((rc = texts_ok(c, v, argc, argv, at)) >= 0)
        goto out;
    for (const struct rt_field *f = v->e->fields; f->name; f++, i++) {
        json_t *val = NULL;
        if (omitted(v, f))
            continue;
        if (is_arg(f)) {
            if (at >= argc)
                goto few;
            if (f->type == RT_FIELD_REFS) {
                val = json_array();
                while (at < argc)
                    json_array_append_new(val, json_string(argv[at++]));
            } else if (f->type == RT_FIELD_LONGTEXT) {
                char *text = cli_join(argc, argv, at);
                val = json_string(text);
                rt_free(text);
                at = argc;
            } else {
                val = json_string(argv[at++]);
            }
        } else if (f->type == RT_FIELD_FLAG) {
            val = v->flag[i] ? json_true() : NULL;
        } else if (f->type == RT_FIELD_INT && v->num[i] != LONG_MIN) {
            val = json_integer(v->num[i]);
        } else if ((f->type == RT_FIELD_REFS || f->type == RT_FIELD_PARTIES) && v->list[i].n) {
            val = json_array();
            for (size_t k = 0; k < v->list[i].n; k++)
                json_array_append_new(val, json_string(v->list[i].v[k]));
        } else if (v->str[i]) {
            val = json_string(v->str[i]);
        }
        if (val)
            json_object_set_new(v->body, f->name, val);
    }
    if (at < argc) {
        rc = cli_usage(c, usage, "%s takes no more than %s, not '%s'", what,
                       (arg_names(&b, v, parent), b.buf), argv[at]);
        goto out;
    }
    /* The required options, all of the missing ones named. */
    {
        const char *missing[CLI_ENTITY_MAX];
        size_t n = 0;
        for (const struct rt_field *f = v->e->fields; f->name; f++)
            if (!is_arg(f) && !omitted(v, f) && (f->flags & RT_FIELD_REQUIRED) &&
                !json_object_get(v->body, f->name))
                missing[n++] = f->option;
        for (size_t k = 0; k < n; k++)
            rt_buf_addf(&b, "%s--%s", k == 0 ? "" : k + 1 < n ? ", " : " and ", missing[k]);
        if (n) {
            rc = cli_usage(c, usage, "%s needs %s", what, b.buf);
            goto out;
        }
    }
    goto out;
few:
    arg_names(&b, v, parent);
    rc = cli_usage(c, usage, "%s needs %s", what, b.buf);
out:
    rt_buf_release(&b);
    if (rc >= 0) {
        json_decref(v->body);
        v->body = NULL;
    }
    return rc;
}

void cli_entity_release(struct cli_entity *v)
{
    json_decref(v->body);
    v->body = NULL;
}

int cli_entity_write(struct cli *c, struct cli_entity *v, int64_t *id)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    int64_t parent = 0;
    int rc;

    if ((rc = cli_open(c, 0, &st)) != EXIT_OK)
        return rc;
    if ((v->parent && rt_ledger_find(st, v->e->parent, v->parent, &parent, &err) < 0) ||
        rt_ledger_write(st, v->e->name, parent, v->body, id, &err) < 0) {
        /* The error names the field as the command line knows it: "rec", not
         * "recommendations". */
        const struct rt_field *f = err.field ? rt_entity_field(v->e, err.field) : NULL;
        if (f && known_as(f)) {
            rt_free(err.field);
            err.field = rt_xstrdup(known_as(f));
        }
        rc = cli_fail(c, &err);
    }
    rt_error_release(&err);
    rt_store_close(st);
    return rc;
}

/* Where round id sits: {"dialogue": {"id"}, "ordinal", "ref"} (people name a round
 * D#N), or NULL. */
static json_t *round_named(struct cli *c, int64_t id)
{
    struct rt_store *st = NULL;
    struct rt_error err = RT_ERROR_INIT;
    int64_t dialogue = 0, ordinal = 0;
    json_t *doc = NULL;

    if (cli_open(c, 0, &st) == EXIT_OK && rt_round_place(st, id, &dialogue, &ordinal, &err) == 0) {
        char ref[48];
        snprintf(ref, sizeof(ref), "%" PRId64 "#%" PRId64, dialogue, ordinal);
        doc = json_pack("{s:{s:I}, s:I, s:s}", "dialogue", "id", (json_int_t)dialogue, "ordinal",
                        (json_int_t)ordinal, "ref", ref);
    }
    rt_error_release(&err);
    rt_store_close(st);
    return doc;
}

int cli_entity_save(struct cli *c, struct cli_entity *v, int json)
{
    int64_t id = 0;
    int rc;

    if ((rc = cli_entity_write(c, v, &id)) == EXIT_OK) {
        json_t *round = NULL;
        if (!strcmp(v->e->name, "round"))
            round = round_named(c, id); /* people name a round D#N, not by its id */
        if (round && json)
            cli_print_json(json_pack("{s:I, s:O, s:O, s:O}", "id", (json_int_t)id, "dialogue",
                                     json_object_get(json_object_get(round, "dialogue"), "id"),
                                     "ordinal", json_object_get(round, "ordinal"), "ref",
                                     json_object_get(round, "ref")));
        else if (round)
            printf("added round %s\n", json_string_value(json_object_get(round, "ref")));
        else if (json)
            cli_print_json(json_pack("{s:I}", "id", (json_int_t)id));
        else
            printf("added %s %" PRId64 "\n", v->e->name, id);
        json_decref(round);
    }
    cli_entity_release(v);
    return rc;
}

int cli_entity_add(struct cli *c, int argc, char **argv, const struct cli_entity_cmd *cmd,
                   const char *help)
{
    struct cli_entity v;
    int json = 0, rc;
    char what[64];

    cli_entity_init(&v, cmd->entity, cmd->omit, cmd->extra, &json);
    if ((rc = cli_parse_options(c, &argc, argv, v.opts, cmd->usage, help)) >= 0)
        return rc;
    snprintf(what, sizeof(what), "%s add", v.e->name);
    if ((rc = cli_entity_args(c, &v, argc, argv, what, cmd->parent, cmd->usage)) >= 0)
        return rc;
    if (cmd->fix)
        cmd->fix(v.body);
    return cli_entity_save(c, &v, json);
}

#define HELP_COL 24
#define HELP_WIDTH 79

/* Adds the words of text from column *col, wrapped at HELP_WIDTH and indented to
 * HELP_COL; a newline in text starts a new line. */
static void wrap(struct rt_buf *b, const char *text, size_t *col)
{
    const char *p = text;

    while (*p) {
        size_t len = strcspn(p, " \n");
        if (*col > HELP_COL && *col + 1 + len > HELP_WIDTH) {
            rt_buf_addf(b, "\n%*s", HELP_COL, "");
            *col = HELP_COL;
        } else if (*col > HELP_COL) {
            rt_buf_addch(b, ' ');
            (*col)++;
        }
        rt_buf_add(b, p, len);
        *col += len;
        p += len;
        if (*p == '\n') {
            rt_buf_addf(b, "\n%*s", HELP_COL, "");
            *col = HELP_COL;
        }
        while (*p == ' ' || *p == '\n')
            p++;
    }
}

/* "    --name ARG   help" for each option of an entity, with the words of a choice. */
static void entity_options(struct rt_buf *b, const struct cli_entity *v)
{
    for (const struct cli_option *o = v->opts; o->type; o++) {
        const struct rt_field *f = NULL;
        size_t col = 6 + strlen(o->name ? o->name : "") + (o->arg ? 1 + strlen(o->arg) : 0);
        if (!o->name || !o->help || o->type == CLI_OPT_HINT || !strcmp(o->name, "json"))
            continue;
        for (const struct rt_field *g = v->e->fields; g->name; g++)
            if (g->option && !strcmp(g->option, o->name))
                f = g;
        rt_buf_addf(b, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        if (col + 1 >= HELP_COL)
            rt_buf_addf(b, "\n%*s", HELP_COL, "");
        else
            rt_buf_addf(b, "%*s", (int)(HELP_COL - col), "");
        col = HELP_COL;
        wrap(b, o->help, &col);
        if (f && f->type == RT_FIELD_CHOICE && f->vocabulary) {
            struct rt_buf w = RT_BUF_INIT;
            for (size_t i = 0; f->vocabulary[i]; i++)
                rt_buf_addf(&w, "%s%s%s", i ? " " : "", f->vocabulary[i],
                            f->vocabulary[i + 1] ? "," : "");
            rt_buf_addch(b, ':');
            col++;
            wrap(b, w.buf, &col);
            rt_buf_release(&w);
        }
        if (f && (f->flags & RT_FIELD_REQUIRED))
            wrap(b, "(required)", &col);
        rt_buf_addch(b, '\n');
    }
}

char *cli_entity_help(const struct cli_entity_cmd *cmd)
{
    struct rt_buf b = RT_BUF_INIT;
    struct cli_entity v;
    int json = 0;

    cli_entity_init(&v, cmd->entity, cmd->omit, cmd->extra, &json);
    rt_buf_adds(&b, cmd->head);
    entity_options(&b, &v);
    rt_buf_adds(&b, cmd->tail);
    return rt_buf_detach(&b, NULL);
}

/* The ledger command being run: one a process. */
static const struct cli_entity_cmd *ledger_cmd;
static char *ledger_help;

const char *cli_ledger_help(void)
{
    return ledger_help;
}

int cli_entity_add_sub(struct cli *c, int argc, char **argv)
{
    return cli_entity_add(c, argc, argv, ledger_cmd, ledger_help);
}

int cli_ledger_command(struct cli *c, int argc, char **argv, const struct cli_entity_cmd *cmd,
                       const struct subcommand *subs)
{
    int rc;

    ledger_cmd = cmd;
    ledger_help = cli_entity_help(cmd);
    rc = cli_subcommand(c, subs, cmd->usage, ledger_help, argc, argv);
    rt_free(ledger_help);
    ledger_help = NULL;
    return rc;
}
