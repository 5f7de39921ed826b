/* Helpers for the Criterion unit tests: scratch files and the real-data folder. */
#ifndef RT_TESTUTIL_H
#define RT_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

/* A fresh scratch directory for this test process; removed by the OS's tmp cleaning
 * only, since each test runs in its own process and exits right after. */
static inline const char *test_dir(void)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "/tmp/rt-unit.XXXXXX");
        cr_assert_not_null(mkdtemp(dir));
    }
    return dir;
}

/* Writes len bytes to a new file in the scratch directory; returns its path (static). */
static inline const char *test_file(const char *name, const void *data, size_t len)
{
    static char path[4][256];
    static int k;
    char *p = path[k++ % 4];
    FILE *fp;

    snprintf(p, 256, "%s/%s", test_dir(), name);
    fp = fopen(p, "wb");
    cr_assert_not_null(fp);
    cr_assert_eq(fwrite(data, 1, len, fp), len);
    fclose(fp);
    return p;
}

#define TEST_FILE_STR(name, s) test_file((name), (s), strlen(s))

/* The real data folder, or NULL (then the test skips, or fails under CI). */
static inline const char *shared_data(void)
{
    static char path[512];
    const char *env = getenv("RIGHTSTRACK_SHARED_DATA");
    snprintf(path, sizeof(path), "%s", env ? env : "../shared/data");
    if (access(path, R_OK) == 0)
        return path;
    if (getenv("CI"))
        cr_assert_fail("real data missing at %s under CI", path);
    cr_skip_test("no real data at %s", path);
    return NULL;
}

#endif
