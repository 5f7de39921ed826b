/* rightstrack topic: add a topic discussed in a round, with the recommendations it is about. */
#include "cli.h"

static const char usage[] =
    "rightstrack [--db PATH] topic add ROUND TEXT [--theme T] [--rec ID]... [--json]";

static const char head[] =
    "usage: rightstrack [--db PATH] topic add ROUND TEXT [--theme T] [--rec ID]...\n"
    "\n"
    "Records a topic the parties discussed in a round. ROUND is a round's id or\n"
    "DIALOGUE#ORDINAL. The topic and all its links are written together or not at all.\n"
    "\n"
    "  add ROUND TEXT        record a topic; prints its id\n";

static const char tail[] = "  --json                print {\"id\"}\n";

static const struct cli_entity_cmd add_cmd = {"topic", "ROUND", usage, head,
                                              tail,    NULL,    NULL,  NULL};

int cmd_topic(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", cli_entity_add_sub}, {NULL, NULL}};
    return cli_ledger_command(c, argc, argv, &add_cmd, subs);
}
