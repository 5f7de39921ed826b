/* rightstrack ask: add what one party asked of another in a round. */
#include "cli.h"

static const char usage[] = "rightstrack [--db PATH] ask add ROUND --from P --to P TEXT\n"
                            "       [--theme T] [--rec ID]... [--json]";

static const char head[] =
    "usage: rightstrack [--db PATH] ask add ROUND --from P --to P TEXT [OPTIONS]\n"
    "\n"
    "Records an ask: what party --from asked of party --to in a round (urged, called\n"
    "on, requested). ROUND is a round's id or DIALOGUE#ORDINAL. The ask and all its\n"
    "links are written together or not at all. Its status is assessed later with\n"
    "'rightstrack assess ask:ID ...', and steps answer it with 'step add --answers'.\n"
    "\n"
    "  add ROUND TEXT        record an ask; prints its id\n";

static const char tail[] = "  --json                print {\"id\"}\n";

static const struct cli_entity_cmd add_cmd = {"ask", "ROUND", usage, head, tail, NULL, NULL, NULL};

int cmd_ask(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", cli_entity_add_sub}, {NULL, NULL}};
    return cli_ledger_command(c, argc, argv, &add_cmd, subs);
}
