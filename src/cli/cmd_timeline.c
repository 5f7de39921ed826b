/* rightstrack timeline: a dialogue's rounds and steps in date order. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] = "rightstrack [--db PATH] timeline DIALOGUE [--as-of D] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] timeline DIALOGUE [--as-of D] [--json]\n"
    "\n"
    "The rounds of DIALOGUE (an id or the exact name) and the steps of its parties,\n"
    "in date order, each response with what it answers.\n"
    "\n"
    "  --as-of D   only what was dated on or before D (YYYY-MM-DD, YYYY-MM or YYYY);\n"
    "              default: everything recorded\n"
    "  --json      print the JSON document\n";

int cmd_timeline(struct cli *c, int argc, char **argv)
{
    static const struct asof_read cmd = {usage,       help,           "DIALOGUE", rt_dialogue_find,
                                         rt_timeline, render_timeline};
    return cli_asof_read(c, argc, argv, &cmd);
}
