/* Files compiled into the binary by tools/embed.sh (schema, state tables). */
#ifndef RT_EMBEDDED_H
#define RT_EMBEDDED_H

#include <stddef.h>

struct rt__embedded {
    const char *name; /* path as given to tools/embed.sh, e.g. "data/states/groups.tsv" */
    const char *data; /* NUL-terminated */
    size_t len;
};

/* The table, ended by a { NULL } entry, in the order the Makefile lists the files. */
extern const struct rt__embedded rt__embedded[];

/* Returns the embedded file called name, or NULL. */
const struct rt__embedded *rt__embedded_find(const char *name);

#endif
