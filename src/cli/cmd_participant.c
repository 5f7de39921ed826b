/* rightstrack participant: add a participant (name, title, organisation, side) to a round. */
#include "cli.h"

static const char usage[] = "rightstrack [--db PATH] participant add ROUND --name N [--title T]\n"
                            "       [--organisation O] [--party P] [--json]";

static const char head[] =
    "usage: rightstrack [--db PATH] participant add ROUND --name N [OPTIONS]\n"
    "\n"
    "Records who took part in a round. ROUND is a round's id or DIALOGUE#ORDINAL.\n"
    "\n"
    "  add ROUND             record a participant; prints its id\n";

static const char tail[] = "  --json                print {\"id\"}\n";

/* --organization, the American spelling, for --organisation. */
static const char *organization;
static const struct cli_option extra[] = {OPT_STRING("organization", &organization, "O", NULL),
                                          OPT_END()};

static void fix(json_t *body)
{
    if (organization && !json_object_get(body, "organisation"))
        json_object_set_new(body, "organisation", json_string(organization));
}

static const struct cli_entity_cmd add_cmd = {"participant", "ROUND", usage, head,
                                              tail,          NULL,    extra, fix};

int cmd_participant(struct cli *c, int argc, char **argv)
{
    static const struct subcommand subs[] = {{"add", cli_entity_add_sub}, {NULL, NULL}};
    return cli_ledger_command(c, argc, argv, &add_cmd, subs);
}
