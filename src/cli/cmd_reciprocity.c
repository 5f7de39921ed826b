/* rightstrack reciprocity: each party's steps in a dialogue, and which answered which. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] = "rightstrack [--db PATH] reciprocity DIALOGUE [--as-of D] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] reciprocity DIALOGUE [--as-of D] [--json]\n"
    "\n"
    "For each party of DIALOGUE (an id or the exact name): its steps, and for each\n"
    "the step of the other side it answers.\n"
    "\n"
    "  --as-of D   only what was dated on or before D (YYYY-MM-DD, YYYY-MM or YYYY);\n"
    "              default: everything recorded\n"
    "  --json      print the JSON document\n";

int cmd_reciprocity(struct cli *c, int argc, char **argv)
{
    static const struct asof_read cmd = {
        usage, help, "DIALOGUE", rt_dialogue_find, rt_reciprocity, render_reciprocity};
    return cli_asof_read(c, argc, argv, &cmd);
}
