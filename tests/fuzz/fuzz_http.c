/*
 * libFuzzer target for the web face's request handling (rt_http_route: the JSON
 * API, the pages, the reports, the readout page), without the network: the input is
 * a request, its method chosen by the first byte, then the path, then "key=value"
 * arguments one to a line, then after an empty line the body. Any request must get
 * an answer with a status a client understands, a content type and, for errors, a
 * body; never a crash, a leak or undefined behaviour. The store holds the demo
 * recommendations and a dialogue with a round and a step, so that pages have
 * something to show. Writes need the form token of the run, which the fuzzer does
 * not have, so they are refused: the store stays as it is.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rightstrack/export.h>
#include <rightstrack/ingest.h>
#include <rightstrack/ledger.h>

#include "fuzz.h"
#include "http/http_int.h"

static struct rt_store *store(void)
{
    static struct rt_store *st;
    static const char *const parties[] = {"USA", "BLR"};
    const char *demo = "data/demo/recommendations.csv";
    struct rt_error err = RT_ERROR_INIT;
    struct rt_round_in round = {0};
    struct rt_step_in step = {0};
    int64_t dialogue, id;
    char path[64];

    if (st)
        return st;
    /* In the build folder, from the top of the tree as make runs it; made afresh. */
    snprintf(path, sizeof(path), "build/fuzz/http-%ld.db", (long)getpid());
    unlink(path);
    CHECK_MSG(rt_store_open(&st, path, RT_STORE_CREATE, &err) == 0, "%s", err.msg.buf);
    CHECK_MSG(rt_import_files(st, &demo, 1, NULL, NULL, NULL, &err) == 0,
              "%s (run from the top "
              "of the tree)",
              err.msg.buf);
    CHECK_MSG(rt_dialogue_add(st, "Dialogue", "bilateral", parties, 2, &dialogue, &err) == 0, "%s",
              err.msg.buf);
    round.dialogue_id = dialogue;
    round.ordinal = 1;
    round.date = "2015-08-22";
    round.place = "Minsk";
    CHECK_MSG(rt_round_add(st, &round, &id, &err) == 0, "%s", err.msg.buf);
    step.actor = "BLR";
    step.date = "2015-08-22";
    step.kind = "prisoner-release";
    step.direction = "positive";
    step.quantity = 6;
    step.text = "Six people held for their views were let go";
    CHECK_MSG(rt_step_add(st, &step, &id, &err) == 0, "%s", err.msg.buf);
    CHECK_MSG(rt_http_csrf_init(&err) == 0, "%s", err.msg.buf);
    /* The store is set: its files can go (writes are refused; the connection keeps
     * what it has open). */
    unlink(path);
    strcat(path, "-wal");
    unlink(path);
    memcpy(path + strlen(path) - 3, "shm", 3);
    unlink(path);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE"};
    struct rt_store *st = store();
    struct rt_http_req req = {0};
    struct rt_http_resp resp = {.status = 200, .body = RT_BUF_INIT};
    char *text = malloc(size + 1), *p, *line;
    int s;

    CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    req.method = methods[size ? data[0] % 5 : 0];
    p = size ? text + 1 : text;
    /* The path, then arguments until an empty line, then the body. */
    req.path = strsep(&p, "\n");
    while (p && (line = strsep(&p, "\n")) && *line &&
           req.n_args < sizeof(req.args) / sizeof(*req.args)) {
        char *eq = strchr(line, '=');
        if (eq)
            *eq++ = '\0';
        req.args[req.n_args].key = line;
        req.args[req.n_args++].value = eq ? eq : "";
    }
    req.body = p ? p : "";
    req.body_len = strlen(req.body);
    req.content_type = "application/x-www-form-urlencoded";
    req.host = "127.0.0.1:8080";
    req.fetch_site = size > 1 && (data[1] & 1) ? "cross-site" : "same-origin";

    rt_http_route(st, &req, &resp);
    s = resp.status;
    CHECK_MSG(s == 200 || s == 201 || s == 301 || s == 303 || s == 400 || s == 403 || s == 404 ||
                  s == 405 || s == 409 || s == 413 || s == 415 || s == 422,
              "status %d for %s %s", s, req.method, req.path);
    CHECK(resp.content_type != NULL);
    CHECK_MSG(s < 400 || resp.body.len > 0, "an error without a body: %d", s);
    CHECK(s != 303 || resp.location[0] == '/');
    CHECK(s != 301 || resp.location[0] == '/'); /* /rounds/ID, moved to its round's page */
    rt_buf_release(&resp.body);
    rt_export_free(resp.export);
    free(text);
    return 0;
}
