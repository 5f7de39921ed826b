/* rightstrack since: what moved since a round: steps, asks, commitments, assessments. */
#include "cli.h"

#include <rightstrack/ledger.h>

static const char usage[] = "rightstrack [--db PATH] since ROUND [--as-of D] [--json]";

static const char help[] =
    "usage: rightstrack [--db PATH] since ROUND [--as-of D] [--json]\n"
    "\n"
    "What moved since ROUND (a round id or DIALOGUE#ORDINAL): the steps each side took\n"
    "after it, in date order; the asks still open; the commitments and their status;\n"
    "the assessments that changed; the recommendations new since.\n"
    "\n"
    "  --as-of D   only what was dated on or before D (YYYY-MM-DD, YYYY-MM or YYYY);\n"
    "              default: everything recorded\n"
    "  --json      print the JSON document\n";

int cmd_since(struct cli *c, int argc, char **argv)
{
    static const struct asof_read cmd = {usage,         help,     "ROUND",
                                         rt_round_find, rt_since, render_since};
    return cli_asof_read(c, argc, argv, &cmd);
}
