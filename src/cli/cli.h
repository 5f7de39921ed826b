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
};

struct command {
    const char *name;
    int (*fn)(struct cli *c, int argc, char **argv);
    const char *summary;
};

int cmd_export(struct cli *c, int argc, char **argv);
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

/* Opens the store, printing any error; returns EXIT_OK or EXIT_FAIL. */
int cli_open(struct cli *c, unsigned flags, struct rt_store **out);
/* Prints err and returns EXIT_FAIL (EXIT_USAGE for nothing: usage is separate). */
int cli_fail(struct cli *c, const struct rt_error *err);
/* Prints "usage: …" and a hint on stderr; returns EXIT_USAGE. */
int cli_usage(struct cli *c, const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prints a help text on stdout; returns EXIT_OK. */
int cli_help(const char *text);
/* Parses a whole decimal number in [lo, hi]; 0 on success, -1 otherwise. */
int cli_parse_int(const char *s, long lo, long hi, long *out);
/* Writes data to path (NULL: standard output) through a temporary file renamed into
 * place, so a failed write leaves no half file. 0, or RT_EIO naming the file. */
int cli_write_out(const char *path, const char *data, size_t len, struct rt_error *err);
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
/* After an add: {"id": N} with json, else "added WHAT N". */
void cli_print_added(int json, const char *what, int64_t id);
/* Ends a write begun with rt_store_begin: commits when rc is EXIT_OK (printing a
 * failure), else rolls back. Returns the final exit code. */
int cli_end_write(struct cli *c, struct rt_store *st, int rc, struct rt_error *err);

/* Text renderings of the ledger's JSON documents, for a desk officer (render.c). */
void render_dialogue_list(const json_t *v);
void render_dialogue(const json_t *v);
void render_round(const json_t *v);
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

/* A read command of the ledger: `NAME REF [--as-of D] [--json]`. */
struct asof_read {
    const char *usage, *help;
    const char *what; /* "ROUND", "DIALOGUE" */
    int (*find)(struct rt_store *st, const char *ref, int64_t *out_id, struct rt_error *err);
    int (*read)(struct rt_store *st, int64_t id, const char *as_of, json_t **out,
                struct rt_error *err);
    void (*render)(const json_t *doc);
};
int cli_asof_read(struct cli *c, int argc, char **argv, const struct asof_read *cmd);

#endif
