/* What the command-line face's files share: options, opening the store, printing. */
#ifndef RT_CLI_H
#define RT_CLI_H

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <rightstrack/json.h>
#include <rightstrack/rt.h>
#include <rightstrack/store.h>

/* Exit codes. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli {
    const char *prog;    /* "rightstrack" */
    const char *db_path; /* --db, $RIGHTSTRACK_DB, or ./rightstrack.db */
    const char *as;      /* --as public|viewer: read without private records; NULL: all */
};

struct command {
    const char *name;
    int (*fn)(struct cli *c, int argc, char **argv);
    const char *summary;
};

int cmd_export(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_copy(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_search(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_similar(struct cli *c, int argc, char **argv);
int cmd_stats(struct cli *c, int argc, char **argv);
int cmd_themes(struct cli *c, int argc, char **argv);
int cmd_themes_areas(struct cli *c, int argc, char **argv); /* cmd_themes_areas.c */
int cmd_dialogue(struct cli *c, int argc, char **argv);
int cmd_round(struct cli *c, int argc, char **argv);
int cmd_participant(struct cli *c, int argc, char **argv);
int cmd_topic(struct cli *c, int argc, char **argv);
int cmd_ask(struct cli *c, int argc, char **argv);
int cmd_step(struct cli *c, int argc, char **argv);
int cmd_commitment(struct cli *c, int argc, char **argv);
int cmd_benchmark(struct cli *c, int argc, char **argv);
int cmd_assess(struct cli *c, int argc, char **argv);
int cmd_link(struct cli *c, int argc, char **argv);
int cmd_status(struct cli *c, int argc, char **argv);
int cmd_since(struct cli *c, int argc, char **argv);
int cmd_timeline(struct cli *c, int argc, char **argv);
int cmd_reciprocity(struct cli *c, int argc, char **argv);
int cmd_readout(struct cli *c, int argc, char **argv);
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_user(struct cli *c, int argc, char **argv); /* cmd_user.c: accounts and tokens */
int cmd_history(struct cli *c, int argc, char **argv);
int cmd_edit(struct cli *c, int argc, char **argv);     /* cmd_edit.c: edit a record */
int cmd_withdraw(struct cli *c, int argc, char **argv); /* cmd_edit.c: withdraw one */
int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_private(struct cli *c, int argc, char **argv);
int cmd_person(struct cli *c, int argc, char **argv); /* cmd_person.c: persons */
int cmd_case(struct cli *c, int argc, char **argv);   /* cmd_person.c: their cases */
struct rt_audit_entry;
/* Prints audit log entries for a person, with what changed (cmd_audit.c). */
void cli_print_audit(const struct rt_audit_entry *v, size_t n);
struct rt_audit_filter;
/* Reads the entries f selects and prints them (JSON with json; none, when not NULL,
 * when there is no entry); the exit code (cmd_audit.c: audit log and history). */
int cli_audit_list(struct cli *c, struct rt_store *st, const struct rt_audit_filter *f, int json,
                   const char *none);

/* Opens the store, printing any error; returns EXIT_OK or EXIT_FAIL. */
int cli_open(struct cli *c, unsigned flags, struct rt_store **out);
/* Prints err and returns EXIT_FAIL (EXIT_USAGE for nothing: usage is separate). */
int cli_fail(struct cli *c, const struct rt_error *err);
/* Prints "usage: …" and a hint on stderr; returns EXIT_USAGE. */
int cli_usage(struct cli *c, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prints a help text on stdout; returns EXIT_OK. */
int cli_help(const char *text);
/*
 * For a command still parsing with getopt_long (convert it to cli_parse_options: its
 * struct option array becomes a struct cli_option table, its switch goes, and optind
 * becomes 1 as argv[1..argc) are the arguments left). The options every command treats
 * alike, for the default of its getopt_long switch:
 * 'j' (--json) sets *json and returns -1 (go on); 'h' (--help, -h) prints help and
 * returns EXIT_OK; anything else is an unknown option: EXIT_USAGE. json may be NULL
 * for a command without --json.
 */
int cli_opt_common(struct cli *c, int o, char **argv, const char *usage, const char *help,
                   int *json);
/*
 * The option parser (parse_options.c), after git's parse-options. A command declares
 * its options in a table that ends with OPT_END(), and one call reads argv:
 *
 *     const char *date = NULL;
 *     int json = 0;
 *     struct cli_option opts[] = {
 *         OPT_STRING("date", &date, "D", "YYYY-MM-DD, YYYY-MM or YYYY"),
 *         OPT_JSON(&json),
 *         OPT_END(),
 *     };
 *     if ((rc = cli_parse_options(c, &argc, argv, opts, usage, help)) >= 0)
 *         return rc;
 *     (argv[1] .. argv[argc - 1] are now the arguments that are not options)
 *
 * Options may come anywhere among the arguments ("--name VALUE", "--name=VALUE", a
 * unique start of a long name, "-x VALUE" for an option with a short name); "--" ends
 * them. --help and -h print help (the command's text, or, when help is NULL, the usage
 * and the table's options) and return EXIT_OK. An unknown option, a missing or bad
 * value and too many values of a list are usage errors naming the option: EXIT_USAGE.
 * Returns -1 when the command goes on, with argv[0] kept and the arguments moved to
 * argv[1..*argc).
 */
enum cli_opt_type {
    CLI_OPT_END = 0,
    CLI_OPT_FLAG,     /* value: int *, set to flag (1 when 0) */
    CLI_OPT_STRING,   /* value: const char ** */
    CLI_OPT_INT,      /* value: long *, a whole number in [lo, hi] */
    CLI_OPT_LIST,     /* value: struct cli_list *, each use adds one */
    CLI_OPT_CALLBACK, /* check(o, arg) does the work, with o->value as its own */
    CLI_OPT_HINT      /* not an option: help is added to "unknown option" errors */
};
struct cli_option {
    enum cli_opt_type type;
    const char *name; /* the long name, without "--" */
    char short_name;  /* 0: none */
    void *value;
    const char *arg;  /* what the help calls the value: "D" */
    const char *help; /* NULL: not in the generated help (an alias) */
    long lo, hi;      /* CLI_OPT_INT */
    int flag;         /* CLI_OPT_FLAG: the value to set */
    /* STRING, LIST, CALLBACK: checks a value (0, or -1 for a usage error that says
     * "--NAME needs NEED, not 'VALUE'"); kind is for the check's use. */
    int (*check)(const struct cli_option *o, const char *arg);
    const char *need;
    const char *kind;
};
#define CLI_LIST_MAX 64
struct cli_list {
    const char *v[CLI_LIST_MAX];
    size_t n;
};
#define OPT_END()                                                                                  \
    {                                                                                              \
        CLI_OPT_END, NULL, 0, NULL, NULL, NULL, 0, 0, 0, NULL, NULL, NULL                          \
    }
#define OPT_FLAG(n, v, h)                                                                          \
    {                                                                                              \
        CLI_OPT_FLAG, (n), 0, (v), NULL, (h), 0, 0, 0, NULL, NULL, NULL                            \
    }
#define OPT_SET(n, v, x, h)                                                                        \
    {                                                                                              \
        CLI_OPT_FLAG, (n), 0, (v), NULL, (h), 0, 0, (x), NULL, NULL, NULL                          \
    }
#define OPT_STRING(n, v, a, h)                                                                     \
    {                                                                                              \
        CLI_OPT_STRING, (n), 0, (v), (a), (h), 0, 0, 0, NULL, NULL, NULL                           \
    }
#define OPT_INT(n, v, lo, hi, a, h)                                                                \
    {                                                                                              \
        CLI_OPT_INT, (n), 0, (v), (a), (h), (lo), (hi), 0, NULL, NULL, NULL                        \
    }
#define OPT_LIST(n, v, a, h)                                                                       \
    {                                                                                              \
        CLI_OPT_LIST, (n), 0, (v), (a), (h), 0, 0, 0, NULL, NULL, NULL                             \
    }
/* A repeatable option naming records: each value KIND:ID, or a bare id of kind. */
#define OPT_REFS(n, v, kind, need, a, h)                                                           \
    {                                                                                              \
        CLI_OPT_LIST, (n), 0, (v), (a), (h), 0, 0, 0, cli_check_ref, (need), (kind)                \
    }
#define OPT_JSON(v) OPT_FLAG("json", (v), "print JSON")
/* --as WHO of a reading command: the version for the public or a viewer (cli_open). */
#define OPT_AS(c)                                                                                  \
    OPT_STRING("as", &(c)->as, "WHO",                                                              \
               "public or viewer: leave out every private record, as they see it")
#define OPT_HINT(h)                                                                                \
    {                                                                                              \
        CLI_OPT_HINT, NULL, 0, NULL, NULL, (h), 0, 0, 0, NULL, NULL, NULL                          \
    }

int cli_parse_options(struct cli *c, int *argc, char **argv, const struct cli_option *opts,
                      const char *usage, const char *help);
/* Prints help, or (when NULL) "usage: USAGE" and the options of opts; EXIT_OK. */
int cli_help_options(const char *help, const char *usage, const struct cli_option *opts);
/* Prints the options of opts that have a help text, one a line, indented. */
void cli_print_options(const struct cli_option *opts, int indent);
/* For a command that takes no arguments after cli_parse_options: -1, or a usage error
 * naming the first one. */
int cli_no_args(struct cli *c, int argc, char **argv, const char *usage);
/* The check of OPT_REFS: 0 when arg reads as a reference (cli_ref with o->kind). */
int cli_check_ref(const struct cli_option *o, const char *arg);

/* Parses a whole decimal number in [lo, hi]; 0 on success, -1 otherwise. */
int cli_parse_int(const char *s, long lo, long hi, long *out);
/* Writes data to path (NULL: standard output) through a temporary file renamed into
 * place, so a failed write leaves no half file. 0, or RT_EIO naming the file. */
int cli_write_out(const char *path, const char *data, size_t len, struct rt_error *err);
/*
 * Writes an export (rt_export_search, rt_export_rows) to path as cli_write_out does
 * (a temporary file renamed into place), or to standard output when path is NULL.
 * 0, or the export's error or RT_EIO naming the file. (cmd_search.c)
 */
struct rt_export;
int cli_export(struct rt_export *x, const char *path, struct rt_error *err);
/*
 * The --format and --out options of a list command, for its option table (*fmt and
 * *out stay NULL when not given). A list that has them calls cli_list_export instead
 * of cli_read when fmt or out is set: it reads the list with get and writes it as csv
 * or xlsx (sheet names the sheet) to out or standard output. Returns the exit code.
 * (cmd_search.c)
 */
#define OPT_EXPORT(fmt, out)                                                                       \
    OPT_STRING("format", (fmt), "csv|xlsx", "write every row as a csv or xlsx file"),              \
        OPT_STRING("out", (out), "FILE", "the file to write (csv: standard output without)")
struct rt_store;
typedef int cli_get_fn(struct rt_store *st, const void *arg, json_t **doc, struct rt_error *err);
int cli_list_export(struct cli *c, const char *usage, const char *fmt, const char *out,
                    cli_get_fn *get, const void *arg, const char *sheet);
/* Prints v (indented, keys in insertion order) and a newline; takes the reference. */
void cli_print_json(json_t *v);

/*
 * The dialogue ledger's commands (render.c). A subcommand of a command with several
 * ("dialogue add", "step list").
 */
struct subcommand {
    const char *name;
    int (*fn)(struct cli *c, int argc, char **argv);
};
/* Runs the subcommand argv[1] (argv[0] is the command), or prints help for --help;
 * usage errors for a missing or unknown subcommand. */
int cli_subcommand(struct cli *c, const struct subcommand *subs, const char *usage,
                   const char *help, int argc, char **argv);
/*
 * Writes "KIND:ID" into out[64] from a reference as the user typed it: "KIND:ID"
 * (kind as given, checked by the library) or a bare id, which gets bare_kind
 * (NULL: a bare id is refused). Returns 0, or -1 when it is neither.
 */
int cli_ref(const char *in, const char *bare_kind, char out[64]);
/* Parses a positive id ("12"); 0 or -1. */
int cli_parse_id(const char *s, int64_t *out);
/* Joins argv[from..argc) with spaces into a new string (rt_free it); NULL if none. */
char *cli_join(int argc, char **argv, int from);

/* Finds a record of the ledger by the reference a user typed (rt_round_find, …). */
typedef int cli_find_fn(struct rt_store *st, const char *ref, int64_t *out_id,
                        struct rt_error *err);
/*
 * Runs one write of the ledger. Opens the store and, in one transaction, finds the
 * parent record (find(st, parent, …): the round or dialogue the new record belongs
 * to; none when find is NULL), then calls fn(st, parent_id, arg, id, err), which
 * writes, sets *id to the record it wrote and returns 0 or the library's error.
 * Commits on success; on failure prints the error and rolls back, so a failed write
 * writes nothing. Returns the exit code.
 */
typedef int cli_write_fn(struct rt_store *st, int64_t parent, const void *arg, int64_t *id,
                         struct rt_error *err);
int cli_write(struct cli *c, cli_find_fn *find, const char *parent, cli_write_fn *fn,
              const void *arg, int64_t *id);
/*
 * Reads one document of the ledger: opens the store, calls get(st, arg, &doc, err)
 * and prints the document, as JSON with json, else through render. Returns the exit
 * code.
 */
int cli_read(struct cli *c, int json, cli_get_fn *get, const void *arg,
             void (*render)(const json_t *doc));

/*
 * A record of the ledger added from its entity's description (entity.h, ledger.c):
 * each field with an option becomes one (a list field a repeatable one), the fields
 * without are the command's arguments in their order (a long text takes the rest of
 * the line), and what was given becomes the JSON body rt_ledger_write takes, in one
 * transaction with the record's links.
 */
struct rt_entity;
#define CLI_ENTITY_MAX 16
struct cli_entity_cmd {
    const char *entity; /* "step" */
    const char *parent; /* what the first argument names ("ROUND"), or NULL */
    const char *usage;
    const char *head, *tail;        /* the command's help is head, the options, tail */
    const char *const *omit;        /* fields the command leaves out, or NULL */
    const struct cli_option *extra; /* more options, ending with OPT_END(), or NULL */
    void (*fix)(json_t *body);      /* a last change to the body, or NULL */
};
struct cli_entity {
    const struct rt_entity *e;
    const char *const *omit;
    const char *str[CLI_ENTITY_MAX]; /* the value of each field, by its index */
    long num[CLI_ENTITY_MAX];        /* LONG_MIN: not given */
    int flag[CLI_ENTITY_MAX];        /* RT_FIELD_FLAG: 1 when given */
    struct cli_list list[CLI_ENTITY_MAX];
    struct cli_option opts[CLI_ENTITY_MAX + 8];
    const char *parent; /* the first argument, with cmd->parent */
    json_t *body;
};
/* Fills v->opts from the fields of entity (and extra, and --json when json). */
void cli_entity_init(struct cli_entity *v, const char *entity, const char *const *omit,
                     const struct cli_option *extra, int *json);
/* After cli_parse_options on v->opts: reads the arguments and makes v->body. -1 to go
 * on, or a usage error (missing arguments or required options, all named). what is
 * the command in messages ("step add"); parent names the first argument, or NULL. */
int cli_entity_args(struct cli *c, struct cli_entity *v, int argc, char **argv, const char *what,
                    const char *parent, const char *usage);
/* Opens the store, finds the parent and writes v->body with rt_ledger_write; the exit
 * code, after printing the error (its field named as the command line names it). */
int cli_entity_write(struct cli *c, struct cli_entity *v, int64_t *id);
void cli_entity_release(struct cli_entity *v);
/* cli_entity_write, then prints "added ENTITY ID" (or {"id"} with json) and releases v.
 * The exit code. */
int cli_entity_save(struct cli *c, struct cli_entity *v, int json);
/* All of the above for `NAME add`: prints "added NAME ID" or {"id"}. help: the text of
 * --help (NULL: made from cmd). */
int cli_entity_add(struct cli *c, int argc, char **argv, const struct cli_entity_cmd *cmd,
                   const char *help);
/*
 * A ledger command with subcommands, one of them `add` of cmd's entity: runs subs
 * (whose "add" is cli_entity_add_sub) with the help made by cli_entity_help, which the
 * other subcommands print with cli_ledger_help().
 */
int cli_ledger_command(struct cli *c, int argc, char **argv, const struct cli_entity_cmd *cmd,
                       const struct subcommand *subs);
int cli_entity_add_sub(struct cli *c, int argc, char **argv);
const char *cli_ledger_help(void);
/* A command's help: cmd->head, the options of its entity, cmd->tail (rt_free it). */
char *cli_entity_help(const struct cli_entity_cmd *cmd);

/* Text renderings of the ledger's JSON documents, for a desk officer (render.c). */
void render_dialogue_list(const json_t *v);
void render_dialogue(const json_t *v);
void render_round(const json_t *v);
/* A dialogue's rounds, one a line: date, number, place and "[D#N]". */
void render_round_list(const json_t *rounds);
void render_steps(const json_t *v);
void render_status(const json_t *v);
void render_since(const json_t *v);
void render_timeline(const json_t *v);
void render_reciprocity(const json_t *v);

/* A progress bar on standard error, shown only on a terminal and after a second. */
struct progress;
struct progress *progress_new(const char *label);
void progress_update(void *p, uint64_t done, uint64_t total);
void progress_done(struct progress *p);

/* The arguments of a read of the ledger as of a date: `NAME REF [--as-of D] [--json]`. */
struct asof_args {
    const char *ref, *as_of;
    int json;
};
/* Reads them from argv; what names REF in a usage error ("ROUND"). Returns -1 to go on,
 * else the exit code (after --help or a usage error). */
int cli_asof_args(struct cli *c, int argc, char **argv, const char *usage, const char *help,
                  const char *what, struct asof_args *a);
/* A read command of the ledger: `NAME REF [--as-of D] [--json]`. */
struct asof_read {
    const char *usage, *help;
    const char *what; /* "ROUND", "DIALOGUE" */
    cli_find_fn *find;
    int (*read)(struct rt_store *st, int64_t id, const char *as_of, json_t **out,
                struct rt_error *err);
    void (*render)(const json_t *doc);
};
int cli_asof_read(struct cli *c, int argc, char **argv, const struct asof_read *cmd);

#endif
