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

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_search(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_stats(struct cli *c, int argc, char **argv);

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
/* Prints v (indented, keys in insertion order) and a newline; takes the reference. */
void cli_print_json(json_t *v);

/* A progress bar on standard error, shown only on a terminal and after a second. */
struct progress;
struct progress *progress_new(const char *label);
void progress_update(void *p, uint64_t done, uint64_t total);
void progress_done(struct progress *p);

#endif
