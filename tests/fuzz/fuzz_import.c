/*
 * libFuzzer target for the importer (rt_import_files): CSV in each of its formats,
 * MacRoman, and the JSON of an export, detected from the bytes. Any file must be
 * imported whole or not at all: on success the store holds what the counts say; on
 * failure the error names the file and the store holds no recommendation.
 * Each input goes to a file and into a new database (the schema image makes that
 * cheap), in /dev/shm where there is one.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rightstrack/ingest.h>

#include "fuzz.h"

static char csv[64], db[64], wal[70], shm[70];

static void clean_up(void)
{
    unlink(csv), unlink(db), unlink(wal), unlink(shm);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *paths[1] = {csv};
    struct rt_import_stats stats = {0};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_stats after = {0};
    struct rt_store *st;
    FILE *f;
    int rc;

    if (!csv[0]) {
        /* In memory where there is a tmpfs: an import syncs, and syncs are slow. */
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(csv, sizeof(csv), "%s/rt-fuzz-import-%ld.csv", dir, (long)getpid());
        snprintf(db, sizeof(db), "%s/rt-fuzz-import-%ld.db", dir, (long)getpid());
        snprintf(wal, sizeof(wal), "%s-wal", db);
        snprintf(shm, sizeof(shm), "%s-shm", db);
    }
    CHECK((f = fopen(csv, "wb")) != NULL);
    CHECK(fwrite(data, 1, size, f) == size && fclose(f) == 0);
    CHECK_MSG(rt_store_open(&st, db, RT_STORE_CREATE, &err) == 0, "%s", err.msg.buf);

    rc = rt_import_files(st, paths, 1, &stats, NULL, NULL, &err);
    CHECK_MSG(rc == 0 || rc == RT_EINVAL || rc == RT_ETOOBIG || rc == RT_EFORMAT, "rc %d: %s", rc,
              err.msg.buf);
    CHECK(rt_store_stats(st, 0, &after, NULL) == 0);
    if (rc == 0) {
        /* Into an empty store, every recommendation is new; a CSV file has rows. */
        CHECK_MSG(after.recommendations == stats.recs_new, "%lld stored, %lld new",
                  (long long)after.recommendations, (long long)stats.recs_new);
        CHECK(stats.format == RT_FORMAT_EXPORT || stats.rows > 0);
    } else {
        CHECK_MSG(err.file && !strcmp(err.file, csv), "the error names no file: %s", err.msg.buf);
        CHECK(err.msg.len > 0);
        CHECK_MSG(after.recommendations == 0, "a failed import left %lld recommendations",
                  (long long)after.recommendations);
    }
    rt_stats_release(&after);
    rt_store_close(st);
    rt_error_release(&err);
    clean_up(); /* every input (libFuzzer ends without exit handlers) */
    return 0;
}
