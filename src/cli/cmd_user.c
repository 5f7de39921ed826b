/*
 * rightstrack user: the accounts of the web face (add, passwd, role, disable, enable,
 * list) and their API tokens (token add, list, revoke). A password is read from
 * standard input, or typed twice at a prompt without echo; never taken as an
 * argument, where other users of the machine could read it in the process list.
 */
#include "cli.h"

#include <termios.h>
#include <unistd.h>

#include <rightstrack/auth.h>

/* The usage lines, once for both the usage and the help. */
#define USAGE                                                                                      \
    "rightstrack [--db PATH] user add NAME --role admin|editor|viewer\n"                           \
    "       rightstrack [--db PATH] user passwd NAME\n"                                            \
    "       rightstrack [--db PATH] user role NAME admin|editor|viewer\n"                          \
    "       rightstrack [--db PATH] user disable|enable NAME\n"                                    \
    "       rightstrack [--db PATH] user list [--json]\n"                                          \
    "       rightstrack [--db PATH] user token add NAME --read|--write [--json]\n"                 \
    "       rightstrack [--db PATH] user token list NAME [--json]\n"                               \
    "       rightstrack [--db PATH] user token revoke ID"

static const char usage[] = USAGE;

static const char help[] =
    "usage: " USAGE "\n"
    "\n"
    "The accounts of the web face. A viewer reads; an editor also writes the ledger\n"
    "and imports; an admin also manages the accounts. While the database has no\n"
    "account, 'serve' asks nobody to log in and serves this machine only; make the\n"
    "first account, an admin, here.\n"
    "\n"
    "A password is read from standard input when it is not a terminal (one line),\n"
    "else typed twice without echo. It is never an argument. It needs 10 characters\n"
    "or more, not one character repeated and not the user name.\n"
    "\n"
    "  add NAME --role R     a new account (NAME: letters, digits, . _ @ -)\n"
    "  passwd NAME           a new password; ends the account's web sessions\n"
    "  role NAME R           another role\n"
    "  disable NAME          no more logins, sessions or tokens; enable undoes it\n"
    "  list                  the accounts, their roles and live sessions\n"
    "  token add NAME        a token for scripts (Authorization: Bearer TOKEN),\n"
    "    --read | --write    that reads only, or may also write as the account's role;\n"
    "                        printed once: only its hash is kept\n"
    "  token list NAME       the account's tokens (never the tokens themselves)\n"
    "  token revoke ID       a token stops working\n"
    "  --json                print JSON\n";

/* Reads one line of at most RT_AUTH_PASSWORD_MAX bytes into buf; -1 on EOF or too long. */
static int read_line(FILE *fp, char *buf, size_t size)
{
    size_t n;

    if (!fgets(buf, (int)size, fp))
        return -1;
    n = strlen(buf);
    if (n && buf[n - 1] == '\n')
        buf[--n] = '\0';
    else if (n == size - 1)
        return -1; /* longer than the buffer */
    if (n && buf[n - 1] == '\r')
        buf[--n] = '\0';
    return 0;
}

/* Prompts on the terminal without echo. */
static int prompt(const char *what, char *buf, size_t size)
{
    struct termios old, quiet;
    int rc;

    fprintf(stderr, "%s: ", what);
    fflush(stderr);
    if (tcgetattr(STDIN_FILENO, &old) < 0)
        return -1;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    rc = read_line(stdin, buf, size);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return rc;
}

/* The new password of name, into buf[RT_AUTH_PASSWORD_MAX + 2]; EXIT_OK or EXIT_FAIL. */
static int get_password(struct cli *c, const char *name, char *buf, size_t size)
{
    char again[RT_AUTH_PASSWORD_MAX + 2];
    struct rt_error err = RT_ERROR_INIT;
    int rc;

    if (!isatty(STDIN_FILENO)) {
        if (read_line(stdin, buf, size) < 0) {
            fprintf(stderr,
                    "%s: expected the password on one line of standard input (at most %d bytes)\n",
                    c->prog, RT_AUTH_PASSWORD_MAX);
            return EXIT_FAIL;
        }
    } else {
        if (prompt("New password", buf, size) < 0 || prompt("Again", again, sizeof(again)) < 0) {
            fprintf(stderr, "%s: no password read\n", c->prog);
            return EXIT_FAIL;
        }
        rc = strcmp(buf, again);
        memset(again, 0, sizeof(again));
        if (rc) {
            fprintf(stderr, "%s: the two passwords differ; nothing changed\n", c->prog);
            return EXIT_FAIL;
        }
    }
    if (rt_auth_password_check(name, buf, &err) < 0) {
        rc = cli_fail(c, &err);
        rt_error_release(&err);
        return rc;
    }
    return EXIT_OK;
}

/* Opens the store (and libsodium); EXIT_OK or the exit code. */
static int open_store(struct cli *c, struct rt_store **st)
{
    struct rt_error err = RT_ERROR_INIT;
    int rc;

    if (rt_auth_init(&err) < 0) {
        rc = cli_fail(c, &err);
        rt_error_release(&err);
        return rc;
    }
    return cli_open(c, 0, st);
}

/* Ends a command: prints err when rc failed, closes st. Returns the exit code. */
static int finish(struct cli *c, struct rt_store *st, int rc, struct rt_error *err)
{
    int code = rc < 0 ? cli_fail(c, err) : EXIT_OK;

    rt_error_release(err);
    rt_store_close(st);
    return code;
}

/* No argument may be a password: say so rather than just "too many arguments". */
static int no_password_args(struct cli *c, int extra, const char *what)
{
    if (extra > 0)
        return cli_usage(c, usage,
                         "%s takes no more arguments; a password is never an argument (others "
                         "could read it in the process list): it is read from standard input",
                         what);
    return cli_usage(c, usage, "%s needs a NAME", what);
}

static int add(struct cli *c, int argc, char **argv)
{
    char pw[RT_AUTH_PASSWORD_MAX + 2];
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    enum rt_role role = RT_ROLE_NONE;
    const char *role_arg = NULL;
    int rc;
    struct cli_option opts[] = {OPT_STRING("role", &role_arg, "R", NULL), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (argc != 2)
        return no_password_args(c, argc - 2, "user add");
    if (!role_arg)
        return cli_usage(c, usage, "user add needs --role admin, editor or viewer");
    if (rt_role_parse(role_arg, &role, &err) < 0 || rt_auth_name_check(argv[1], &err) < 0) {
        rc = cli_usage(c, usage, "%s", err.msg.buf);
        rt_error_release(&err);
        return rc;
    }
    if ((rc = get_password(c, argv[1], pw, sizeof(pw))) != EXIT_OK ||
        (rc = open_store(c, &st)) != EXIT_OK) {
        memset(pw, 0, sizeof(pw));
        return rc;
    }
    rc = rt_auth_user_add(st, argv[1], role, pw, &err);
    memset(pw, 0, sizeof(pw));
    if (rc == 0)
        printf("added user %s (%s)\n", argv[1], rt_role_name(role));
    return finish(c, st, rc, &err);
}

/* passwd NAME, disable NAME, enable NAME, role NAME ROLE */
static int change(struct cli *c, int argc, char **argv)
{
    static const struct cli_option opts[] = {OPT_END()};
    const char *what = argv[0];
    int is_role = !strcmp(what, "role");
    char pw[RT_AUTH_PASSWORD_MAX + 2];
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    enum rt_role role = RT_ROLE_NONE;
    const char *name;
    int rc;

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (argc != 2 + is_role) {
        if (is_role)
            return cli_usage(c, usage, "user role needs NAME and ROLE");
        return no_password_args(c, argc - 2,
                                !strcmp(what, "passwd") ? "user passwd" : "this command");
    }
    name = argv[1];
    if (is_role && rt_role_parse(argv[2], &role, &err) < 0) {
        rc = cli_usage(c, usage, "%s", err.msg.buf);
        rt_error_release(&err);
        return rc;
    }
    if (!strcmp(what, "passwd")) {
        if ((rc = get_password(c, name, pw, sizeof(pw))) != EXIT_OK)
            return rc;
    }
    if ((rc = open_store(c, &st)) != EXIT_OK)
        return rc;
    if (!strcmp(what, "passwd")) {
        rc = rt_auth_user_passwd(st, name, pw, &err);
        memset(pw, 0, sizeof(pw));
        if (rc == 0)
            printf("changed the password of %s; its web sessions have ended\n", name);
    } else if (is_role) {
        if ((rc = rt_auth_user_role(st, name, role, &err)) == 0)
            printf("%s is now %s\n", name, rt_role_name(role));
    } else {
        int off = !strcmp(what, "disable");
        if ((rc = rt_auth_user_disable(st, name, off, &err)) == 0)
            printf("%s %s\n", off ? "disabled" : "enabled", name);
    }
    return finish(c, st, rc, &err);
}

/* An account as a line of user list. */
static void print_user(const json_t *u)
{
    printf("%-20s %-7s%s  since %s, %lld live session(s), %lld token(s)\n",
           json_string_value(json_object_get(u, "name")),
           json_string_value(json_object_get(u, "role")),
           json_is_true(json_object_get(u, "disabled")) ? " (disabled)" : "",
           json_string_value(json_object_get(u, "created_at")),
           (long long)json_integer_value(json_object_get(u, "sessions")),
           (long long)json_integer_value(json_object_get(u, "tokens")));
}

/* A token as a line of user token list (never the token itself). */
static void print_token(const json_t *t)
{
    const char *used = json_string_value(json_object_get(t, "last_used"));
    const char *revoked = json_string_value(json_object_get(t, "revoked_at"));

    printf("%lld  %-5s  made %s, %s%s%s\n", (long long)json_integer_value(json_object_get(t, "id")),
           json_string_value(json_object_get(t, "scope")),
           json_string_value(json_object_get(t, "created_at")), used ? "last used " : "never used",
           used ? used : "", revoked ? ", revoked" : "");
}

static int list_users(struct rt_store *st, const char *name, json_t **out, struct rt_error *err)
{
    (void)name;
    return rt_auth_user_list(st, out, err);
}

/*
 * user list and user token list NAME: reads [--json] and, when need is not NULL, one
 * NAME (need is the usage error without it); prints the array fetch makes as JSON, or
 * each row with print_row (empty: the line empty, when not NULL).
 */
static int print_list(struct cli *c, int argc, char **argv, const char *need,
                      int (*fetch)(struct rt_store *, const char *, json_t **, struct rt_error *),
                      void (*print_row)(const json_t *), const char *empty)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    json_t *rows = NULL, *r;
    size_t i;
    int json = 0, rc;
    struct cli_option opts[] = {OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0 ||
        (!need && (rc = cli_no_args(c, argc, argv, usage)) >= 0))
        return rc;
    if (need && argc != 2)
        return cli_usage(c, usage, "%s", need);
    if ((rc = open_store(c, &st)) != EXIT_OK)
        return rc;
    if ((rc = fetch(st, need ? argv[1] : NULL, &rows, &err)) == 0) {
        if (json) {
            cli_print_json(rows);
        } else {
            if (!json_array_size(rows) && empty)
                printf("%s\n", empty);
            json_array_foreach(rows, i, r)
            {
                print_row(r);
            }
            json_decref(rows);
        }
    }
    return finish(c, st, rc, &err);
}

static int list(struct cli *c, int argc, char **argv)
{
    return print_list(c, argc, argv, NULL, list_users, print_user,
                      "no accounts: the web face serves this machine only, without logins");
}

static int token_add(struct cli *c, int argc, char **argv)
{
    char token[RT_AUTH_TOKEN_SIZE];
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    int64_t id = 0;
    int json = 0, reads = 0, writes = 0, scope, rc;
    struct cli_option opts[] = {OPT_FLAG("read", &reads, NULL), OPT_FLAG("write", &writes, NULL),
                                OPT_JSON(&json), OPT_END()};

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (reads && writes)
        return cli_usage(c, usage, "give --read or --write, not both");
    if (argc != 2)
        return cli_usage(c, usage, "user token add needs one NAME");
    if (!reads && !writes)
        return cli_usage(c, usage, "user token add needs --read or --write");
    scope = writes;
    if ((rc = open_store(c, &st)) != EXIT_OK)
        return rc;
    if ((rc = rt_auth_token_add(st, argv[1], scope, token, &id, &err)) == 0) {
        if (json)
            cli_print_json(json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "token", token,
                                     "scope", scope ? "write" : "read"));
        else
            printf("%s\n", token);
        fprintf(stderr,
                "%s: token %lld (%s) for %s; it is shown only now: keep it where your script "
                "reads it\n",
                c->prog, (long long)id, scope ? "write" : "read", argv[1]);
        memset(token, 0, sizeof(token));
    }
    return finish(c, st, rc, &err);
}

static int token_list(struct cli *c, int argc, char **argv)
{
    return print_list(c, argc, argv, "user token list needs one NAME", rt_auth_token_list,
                      print_token, NULL);
}

static int token_revoke(struct cli *c, int argc, char **argv)
{
    static const struct cli_option opts[] = {OPT_END()};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st = NULL;
    int64_t id;
    int rc;

    if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
        return rc;
    if (argc != 2 || cli_parse_id(argv[1], &id) < 0)
        return cli_usage(c, usage, "user token revoke needs one token ID (user token list)");
    if ((rc = open_store(c, &st)) != EXIT_OK)
        return rc;
    if ((rc = rt_auth_token_revoke(st, id, &err)) == 0)
        printf("revoked token %lld\n", (long long)id);
    return finish(c, st, rc, &err);
}

static int token(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"add", token_add}, {"list", token_list}, {"revoke", token_revoke}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}

int cmd_user(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {
        {"add", add},       {"passwd", change}, {"role", change}, {"disable", change},
        {"enable", change}, {"list", list},     {"token", token}, {NULL, NULL}};
    return cli_subcommand(c, subs, usage, help, argc, argv);
}
