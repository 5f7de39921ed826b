/* rightstrack's command line: global options, then one command (one file each). */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#include <rightstrack/audit.h>
#include <rightstrack/private.h>

static const struct command commands[] = {
    {"init", cmd_init, "create a database (or bring one up to date)"},
    {"import", cmd_import, "import UPR Info or UHRI files, or a rightstrack export"},
    {"export", cmd_export, "write the whole database as one JSON document"},
    {"backup", cmd_backup, "copy the database, also while it is in use"},
    {"restore", cmd_restore, "check a backup and put it in the database's place"},
    {"copy", cmd_copy, "copy a database between SQLite and PostgreSQL"},
    {"serve", cmd_serve, "serve the web pages and the JSON API"},
    {"search", cmd_search, "find recommendations by words and filters"},
    {"show", cmd_show, "show one recommendation"},
    {"similar", cmd_similar, "repeats: recommendations made again in much the same words"},
    {"stats", cmd_stats, "count recommendations by response and cycle"},
    {"themes", cmd_themes, "train the theme classifier, predict themes, tag, list"},
    {"dialogue", cmd_dialogue, "add, list or show dialogues"},
    {"round", cmd_round, "add or show a round of a dialogue"},
    {"participant", cmd_participant, "add a participant to a round"},
    {"topic", cmd_topic, "add a topic discussed in a round"},
    {"ask", cmd_ask, "add what one party asked of another in a round"},
    {"step", cmd_step, "add or list steps the parties took"},
    {"commitment", cmd_commitment, "add or resolve a conditional commitment"},
    {"benchmark", cmd_benchmark, "add or assess a benchmark of a dialogue"},
    {"person", cmd_person, "the persons behind the numbers: names, status, import"},
    {"case", cmd_case, "add an event of a person's case (detained, released ...)"},
    {"assess", cmd_assess, "assess a recommendation or an ask as of a date"},
    {"link", cmd_link, "link a step, topic, ask or benchmark to what it concerns"},
    {"status", cmd_status, "the status of a recommendation, ask, benchmark or commitment"},
    {"since", cmd_since, "what moved since a round"},
    {"timeline", cmd_timeline, "rounds and steps of a dialogue in date order"},
    {"reciprocity", cmd_reciprocity, "each party's steps and which answered which"},
    {"readout", cmd_readout, "draft a round from the text of a meeting's readout"},
    {"report", cmd_report, "a briefing for a dialogue's next round, or a state's profile"},
    {"user", cmd_user, "accounts of the web face, their roles and API tokens"},
    {"edit", cmd_edit, "correct a record of the ledger"},
    {"withdraw", cmd_withdraw, "withdraw a record of the ledger, with a reason"},
    {"history", cmd_history, "what changed in a record, when and by whom"},
    {"audit", cmd_audit, "read and check the audit log of every write"},
    {"private", cmd_private, "mark records private (editors and admins only), or public"},
};

/* Who writes, for the audit log: "cli:" and the OS user; and the command run. */
static char actor[128], via[96];

static void usage_text(FILE *fp)
{
    fprintf(fp, "usage: rightstrack [--db PATH] [--as WHO] COMMAND [OPTIONS] [ARGS]\n"
                "\n"
                "Follow-up of human-rights recommendations and dialogues.\n"
                "\n"
                "Commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(fp, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\n"
                "Options:\n"
                "  --db PATH    the database (default: $RIGHTSTRACK_DB, else ./rightstrack.db)\n"
                "  --as WHO     public or viewer: read as they do, without private records\n"
                "  --version    print the version\n"
                "  -h, --help   this text; 'rightstrack COMMAND --help' for a command\n"
                "\n"
                "Exit status: 0 ok, 1 failure, 2 wrong usage.\n");
}

/* --as WHO: the store reads for the public (private.h). */
static int cli_reader(struct cli *c, struct rt_store *st)
{
    struct rt_error err = RT_ERROR_INIT;
    enum rt_reader reader;
    int rc = EXIT_OK;

    if (rt_reader_parse(c->as, &reader, &err) < 0 || rt_store_set_reader(st, reader, &err) < 0)
        rc = cli_fail(c, &err);
    rt_error_release(&err);
    return rc;
}

int cli_open(struct cli *c, unsigned flags, struct rt_store **out)
{
    struct rt_error err = RT_ERROR_INIT;

    if (rt_store_open(out, c->db_path, flags, &err) < 0) {
        cli_fail(c, &err);
        rt_error_release(&err);
        return EXIT_FAIL;
    }
    rt_store_set_actor(*out, actor, via[0] ? via : NULL);
    if (c->as && cli_reader(c, *out) != EXIT_OK) {
        rt_store_close(*out);
        *out = NULL;
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

int cli_fail(struct cli *c, const struct rt_error *err)
{
    rt_error_print(err, c->prog, stderr);
    return EXIT_FAIL;
}

int cli_usage(struct cli *c, const char *usage, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", c->prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\n", usage);
    return EXIT_USAGE;
}

int cli_help(const char *text)
{
    fputs(text, stdout);
    return EXIT_OK;
}

int cli_opt_common(struct cli *c, int o, char **argv, const char *usage, const char *help,
                   int *json)
{
    if (o == 'j' && json) {
        *json = 1;
        return -1;
    }
    if (o == 'h')
        return cli_help(help);
    return cli_usage(c, usage, "unknown option '%s'", argv[optind - 1]);
}

int cli_parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

void cli_print_json(json_t *v)
{
    json_dumpf(v, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(v);
}

int cli_write_out(const char *path, const char *data, size_t len, struct rt_error *err)
{
    struct rt_buf tmp = RT_BUF_INIT;
    FILE *f;
    int ok;

    if (!path)
        return fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0
                   ? 0
                   : rt_error_errno(err, "standard output", "cannot write");
    rt_buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    if (!(f = fopen(tmp.buf, "wb"))) {
        rt_error_errno(err, path, "cannot write");
        rt_buf_release(&tmp);
        return RT_EIO;
    }
    ok = fwrite(data, 1, len, f) == len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp.buf, path) != 0) {
        rt_error_errno(err, path, "cannot write");
        remove(tmp.buf);
        rt_buf_release(&tmp);
        return RT_EIO;
    }
    rt_buf_release(&tmp);
    return 0;
}

/* The progress bar. */
struct progress {
    const char *label;
    struct timespec start;
    int shown;
    int tty;
};

static double elapsed(const struct progress *p)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - p->start.tv_sec) + (now.tv_nsec - p->start.tv_nsec) / 1e9;
}

struct progress *progress_new(const char *label)
{
    struct progress *p = rt_xcalloc(1, sizeof(*p));
    p->label = label;
    p->tty = isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    return p;
}

void progress_update(void *arg, uint64_t done, uint64_t total)
{
    struct progress *p = arg;
    int width = 30, fill;

    if (!p->tty || !total || (!p->shown && elapsed(p) < 1.0))
        return;
    p->shown = 1;
    fill = (int)((double)done / (double)total * width);
    if (fill > width)
        fill = width;
    fprintf(stderr, "\r%s [%.*s%*s] %3d%%", p->label, fill, "##############################",
            width - fill, "", (int)(100.0 * (double)done / (double)total));
    fflush(stderr);
}

void progress_done(struct progress *p)
{
    if (p && p->shown)
        fprintf(stderr, "\r%*s\r", 60, "");
    rt_free(p);
}

/* The OS user (by the real uid: who ran the program) and the command's words. */
static void set_actor(int argc, char **argv)
{
    struct passwd pw, *found = NULL;
    char buf[4096];

    if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &found) == 0 && found && found->pw_name[0])
        snprintf(actor, sizeof(actor), "cli:%s", found->pw_name);
    else
        snprintf(actor, sizeof(actor), "cli:uid %ld", (long)getuid());
    if (argc > 1 && argv[1][0] != '-')
        snprintf(via, sizeof(via), "%s %s", argv[0], argv[1]);
    else
        snprintf(via, sizeof(via), "%s", argv[0]);
}

int main(int argc, char **argv)
{
    struct cli c = {"rightstrack", NULL, NULL};
    int i;

    c.db_path = getenv("RIGHTSTRACK_DB");
    if (!c.db_path || !*c.db_path)
        c.db_path = "rightstrack.db";
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--db")) {
            if (++i == argc)
                return cli_usage(&c, "rightstrack --db PATH COMMAND", "--db needs a path");
            c.db_path = argv[i];
        } else if (!strncmp(a, "--db=", 5)) {
            c.db_path = a + 5;
        } else if (!strcmp(a, "--as")) {
            if (++i == argc)
                return cli_usage(&c, "rightstrack --as public|viewer COMMAND",
                                 "--as needs public or viewer");
            c.as = argv[i];
        } else if (!strncmp(a, "--as=", 5)) {
            c.as = a + 5;
        } else if (!strcmp(a, "--version")) {
            printf("rightstrack %s\n", RT_VERSION);
            return EXIT_OK;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage_text(stdout);
            return EXIT_OK;
        } else {
            fprintf(stderr, "rightstrack: unknown option '%s'\n", a);
            usage_text(stderr);
            return EXIT_USAGE;
        }
    }
    if (i == argc) {
        usage_text(stderr);
        return EXIT_USAGE;
    }
    set_actor(argc - i, argv + i);
    opterr = 0; /* cli_usage says what was wrong, once */
    if (!strcmp(argv[i], "help")) {
        if (i + 1 < argc) {
            char *args[] = {argv[i + 1], "--help", NULL};
            for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
                if (!strcmp(commands[k].name, argv[i + 1]))
                    return commands[k].fn(&c, 2, args);
            fprintf(stderr, "rightstrack: '%s' is not a command; see 'rightstrack --help'\n",
                    argv[i + 1]);
            return EXIT_USAGE;
        }
        usage_text(stdout);
        return EXIT_OK;
    }
    for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
        if (!strcmp(commands[k].name, argv[i])) {
            optind = 1;
            return commands[k].fn(&c, argc - i, argv + i);
        }
    }
    fprintf(stderr, "rightstrack: '%s' is not a command; see 'rightstrack --help'\n", argv[i]);
    return EXIT_USAGE;
}
