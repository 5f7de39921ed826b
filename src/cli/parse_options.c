/*
 * The command line's one option parser, after git's parse-options: a command declares
 * its options in a table, and cli_parse_options reads argv against it, says what was
 * wrong (exit 2) and prints the help. See cli.h for the table's shape.
 */
#include "cli.h"

#include <limits.h>

/* The option of the table a long name means: its exact name, else the one option it
 * is the start of (as getopt_long allows). NULL for none, or when several start so. */
static const struct cli_option *find_long(const struct cli_option *opts, const char *name,
                                          size_t len)
{
    const struct cli_option *hit = NULL;
    int n = 0;

    for (const struct cli_option *o = opts; o->type; o++) {
        if (o->type == CLI_OPT_HINT || !o->name || strncmp(o->name, name, len))
            continue;
        if (!o->name[len])
            return o;
        hit = o;
        n++;
    }
    return n == 1 ? hit : NULL;
}

static const struct cli_option *find_short(const struct cli_option *opts, char c)
{
    for (const struct cli_option *o = opts; o->type; o++)
        if (o->type != CLI_OPT_HINT && o->short_name && o->short_name == c)
            return o;
    return NULL;
}

static int needs_value(const struct cli_option *o)
{
    return o->type != CLI_OPT_FLAG;
}

/* Stores arg, the value of option o; EXIT_USAGE after saying what was wrong, or -1. */
static int take(struct cli *c, const char *usage, const struct cli_option *o, const char *arg)
{
    long v;

    switch (o->type) {
    case CLI_OPT_FLAG:
        *(int *)o->value = o->flag ? o->flag : 1;
        return -1;
    case CLI_OPT_INT:
        if (cli_parse_int(arg, o->lo, o->hi, &v) < 0) {
            if (o->need)
                return cli_usage(c, usage, "--%s needs %s, not '%s'", o->name, o->need, arg);
            if (o->hi == LONG_MAX)
                return cli_usage(c, usage, "--%s needs a whole number, %ld or more, not '%s'",
                                 o->name, o->lo, arg);
            return cli_usage(c, usage, "--%s needs a number from %ld to %ld, not '%s'", o->name,
                             o->lo, o->hi, arg);
        }
        *(long *)o->value = v;
        return -1;
    case CLI_OPT_STRING:
    case CLI_OPT_LIST:
    case CLI_OPT_CALLBACK:
        if (o->check && o->check(o, arg) < 0)
            return cli_usage(c, usage, "--%s needs %s, not '%s'", o->name,
                             o->need ? o->need : "another value", arg);
        if (o->type == CLI_OPT_STRING) {
            *(const char **)o->value = arg;
        } else if (o->type == CLI_OPT_LIST) {
            struct cli_list *l = o->value;
            if (l->n == CLI_LIST_MAX)
                return cli_usage(c, usage, "too many --%s", o->name);
            l->v[l->n++] = arg;
        }
        return -1;
    case CLI_OPT_END:
    case CLI_OPT_HINT:
        break;
    }
    return -1;
}

int cli_parse_options(struct cli *c, int *argc, char **argv, const struct cli_option *opts,
                      const char *usage, const char *help)
{
    int n = 1, rest = 0;

    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i], *value = NULL;
        const struct cli_option *o = NULL;
        int rc;

        if (rest || a[0] != '-' || !a[1]) {
            argv[n++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--")) {
            rest = 1;
            continue;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return cli_help_options(help, usage, opts);
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            o = find_long(opts, a + 2, len);
            if (o && eq && !needs_value(o))
                return cli_usage(c, usage, "--%s takes no value", o->name);
            value = eq ? eq + 1 : NULL;
        } else {
            o = find_short(opts, a[1]);
            if (o && a[2] && !needs_value(o))
                o = NULL; /* no clusters of short flags */
            value = o && a[2] ? a + 2 : NULL;
        }
        if (!o) {
            const char *hint = "";
            for (const struct cli_option *x = opts; x->type; x++)
                if (x->type == CLI_OPT_HINT)
                    hint = x->help;
            return cli_usage(c, usage, "unknown option '%s'%s", a, hint);
        }
        if (needs_value(o) && !value) {
            if (i + 1 == *argc)
                return cli_usage(c, usage, "--%s needs a value", o->name);
            value = argv[++i];
        }
        if ((rc = take(c, usage, o, value)) >= 0)
            return rc;
    }
    *argc = n;
    return -1;
}

/* "  --name ARG" padded to the help's column, then the help, its lines indented. */
static void print_option(const struct cli_option *o, int indent)
{
    char head[64];
    int w;

    if (o->short_name && o->name)
        w = snprintf(head, sizeof(head), "-%c, --%s", o->short_name, o->name);
    else
        w = snprintf(head, sizeof(head), "--%s", o->name);
    if (o->arg && w > 0 && (size_t)w < sizeof(head))
        snprintf(head + w, sizeof(head) - (size_t)w, " %s", o->arg);
    printf("%*s%-*s ", indent, "", 20 - indent < 1 ? 1 : 20 - indent + 1, head);
    if (strlen(head) > (size_t)(20 - indent))
        printf("\n%*s", 22, "");
    for (const char *p = o->help; *p; p++) {
        putchar(*p);
        if (*p == '\n' && p[1])
            printf("%*s", 22, "");
    }
    putchar('\n');
}

void cli_print_options(const struct cli_option *opts, int indent)
{
    for (const struct cli_option *o = opts; o->type; o++)
        if (o->type != CLI_OPT_HINT && o->name && o->help)
            print_option(o, indent);
}

int cli_help_options(const char *help, const char *usage, const struct cli_option *opts)
{
    if (help)
        return cli_help(help);
    printf("usage: %s\n\n", usage);
    cli_print_options(opts, 2);
    return EXIT_OK;
}

int cli_no_args(struct cli *c, int argc, char **argv, const char *usage)
{
    if (argc > 1)
        return cli_usage(c, usage, "unexpected argument '%s'", argv[1]);
    return -1;
}

int cli_check_ref(const struct cli_option *o, const char *arg)
{
    char ref[64];

    if (o->kind && !strcmp(o->kind, "round") && strchr(arg, '#'))
        return 0; /* DIALOGUE#ORDINAL: the library finds it */
    return cli_ref(arg, o->kind, ref);
}
