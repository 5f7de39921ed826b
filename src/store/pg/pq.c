/* libpq loaded on first use (pq.h). */
#include "base/compat.h"

#include <dlfcn.h>
#include <pthread.h>

#include "store/pg/pq.h"

struct rt__pq_api rt__pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char why[256];

static void load(void)
{
    static const struct {
        const char *name;
        void **slot;
    } syms[] = {{"PQclear", (void **)&rt__pq.f_PQclear},
                {"PQcmdTuples", (void **)&rt__pq.f_PQcmdTuples},
                {"PQconnectdb", (void **)&rt__pq.f_PQconnectdb},
                {"PQconninfoFree", (void **)&rt__pq.f_PQconninfoFree},
                {"PQconninfoParse", (void **)&rt__pq.f_PQconninfoParse},
                {"PQdb", (void **)&rt__pq.f_PQdb},
                {"PQerrorMessage", (void **)&rt__pq.f_PQerrorMessage},
                {"PQescapeLiteral", (void **)&rt__pq.f_PQescapeLiteral},
                {"PQexec", (void **)&rt__pq.f_PQexec},
                {"PQexecParams", (void **)&rt__pq.f_PQexecParams},
                {"PQexecPrepared", (void **)&rt__pq.f_PQexecPrepared},
                {"PQfinish", (void **)&rt__pq.f_PQfinish},
                {"PQfreemem", (void **)&rt__pq.f_PQfreemem},
                {"PQftype", (void **)&rt__pq.f_PQftype},
                {"PQgetisnull", (void **)&rt__pq.f_PQgetisnull},
                {"PQgetlength", (void **)&rt__pq.f_PQgetlength},
                {"PQgetResult", (void **)&rt__pq.f_PQgetResult},
                {"PQgetvalue", (void **)&rt__pq.f_PQgetvalue},
                {"PQnfields", (void **)&rt__pq.f_PQnfields},
                {"PQntuples", (void **)&rt__pq.f_PQntuples},
                {"PQprepare", (void **)&rt__pq.f_PQprepare},
                {"PQputCopyData", (void **)&rt__pq.f_PQputCopyData},
                {"PQputCopyEnd", (void **)&rt__pq.f_PQputCopyEnd},
                {"PQreset", (void **)&rt__pq.f_PQreset},
                {"PQresultErrorField", (void **)&rt__pq.f_PQresultErrorField},
                {"PQresultErrorMessage", (void **)&rt__pq.f_PQresultErrorMessage},
                {"PQresultStatus", (void **)&rt__pq.f_PQresultStatus},
                {"PQsendQuery", (void **)&rt__pq.f_PQsendQuery},
                {"PQsendQueryPrepared", (void **)&rt__pq.f_PQsendQueryPrepared},
                {"PQsetClientEncoding", (void **)&rt__pq.f_PQsetClientEncoding},
                {"PQsetNoticeProcessor", (void **)&rt__pq.f_PQsetNoticeProcessor},
                {"PQsetSingleRowMode", (void **)&rt__pq.f_PQsetSingleRowMode},
                {"PQstatus", (void **)&rt__pq.f_PQstatus},
                {"PQtransactionStatus", (void **)&rt__pq.f_PQtransactionStatus}};
    void *lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);

    if (!lib) {
        const char *e = dlerror();
        snprintf(why, sizeof(why), "%s", e ? e : "libpq.so.5 not found");
        return;
    }
    for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
        if (!(*syms[i].slot = dlsym(lib, syms[i].name))) {
            snprintf(why, sizeof(why), "libpq.so.5 has no %s", syms[i].name);
            return;
        }
    }
    loaded = 1;
}

int rt__pq_load(struct rt_error *err)
{
    pthread_once(&once, load);
    if (loaded)
        return 0;
    return rt_error_set(err, RT_ESTORE, NULL, 0, NULL,
                        "cannot use PostgreSQL: cannot load libpq (%s)", why);
}
