/* Look-up of files compiled into the binary. */
#include "base/compat.h"

#include "base/embedded.h"

const struct rt__embedded *rt__embedded_find(const char *name)
{
    for (const struct rt__embedded *e = rt__embedded; e->name; e++)
        if (!strcmp(e->name, name))
            return e;
    return NULL;
}
