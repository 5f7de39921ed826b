/* The JSON API, /api/v1/: the same library calls as the command line. */
#include <errno.h>
#include <time.h>

#include <rightstrack/export.h>
#include <rightstrack/audit.h>
#include <rightstrack/ledger.h>
#include <rightstrack/report.h>
#include <rightstrack/search.h>
#include <rightstrack/json.h>
#include <rightstrack/entity.h>

#include "http_int.h"

static int64_t path_id(const char *s)
{
    char *end;
    long long v;
    errno = 0;
    v = strtoll(s, &end, 10);
    return (errno || *end || v <= 0) ? 0 : (int64_t)v;
}

/*
 * The file a search is asked for in: format=csv|xlsx|json, else the Accept header
 * (text/csv, the XLSX media type). 1 and *f for a file, 0 for JSON, -1 for a format
 * we do not make.
 */
static int export_format(const struct rt_http_req *req, enum rt_export_format *f)
{
    const char *fmt = rt_http_arg(req, "format");

    if (fmt && *fmt)
        return !strcmp(fmt, "json") ? 0 : rt_export_format_parse(fmt, f) < 0 ? -1 : 1;
    if (req->accept && strstr(req->accept, "spreadsheetml.sheet")) {
        *f = RT_EXPORT_XLSX;
        return 1;
    }
    if (req->accept && strstr(req->accept, "text/csv")) {
        *f = RT_EXPORT_CSV;
        return 1;
    }
    return 0;
}

/* Every hit of the search as a file to download, streamed (rt_export_search). */
static void search_export(struct rt_store *st, const struct rt_query *q, enum rt_export_format f,
                          struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    struct rt_buf name = RT_BUF_INIT;

    if (rt_export_search(st, q, f, &resp->export, &err) < 0) {
        if (err.code == RT_EINVAL)
            rt_http_error(resp, 400, "bad_argument", err.field, "%s", err.msg.buf);
        else
            rt_http_fail(resp, &err);
    } else {
        rt_export_search_filename(q, f, &name);
        snprintf(resp->filename, sizeof(resp->filename), "%s", name.buf);
        resp->status = 200;
        resp->content_type = rt_export_content_type(f);
    }
    rt_buf_release(&name);
    rt_error_release(&err);
}

/*
 * A list of the ledger (a JSON array of objects; reference taken) as a file to
 * download when asked for one (want: export_format's answer), named after the path
 * and the day: /api/v1/dialogues/2/steps gives "dialogues-2-steps-2026-12-05.csv".
 */
static void list_export(const struct rt_http_req *req, json_t *doc, enum rt_export_format f,
                        int want, const char *what, const char *id, const char *sub,
                        struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    char day[16] = "";
    time_t now = time(NULL);
    struct tm tm;

    (void)req;
    if (want < 0) {
        json_decref(doc);
        rt_http_error(resp, 400, "bad_argument", "format", "format is csv, xlsx or json");
        return;
    }
    if (rt_export_rows(doc, f, sub ? sub : what, &resp->export, &err) < 0) {
        rt_http_fail(resp, &err);
    } else {
        if (gmtime_r(&now, &tm))
            strftime(day, sizeof(day), "%Y-%m-%d", &tm);
        snprintf(resp->filename, sizeof(resp->filename), "%s%s%s%s%s-%s.%s", what, id ? "-" : "",
                 id ? id : "", sub ? "-" : "", sub ? sub : "", day, rt_export_format_name(f));
        resp->status = 200;
        resp->content_type = rt_export_content_type(f);
    }
    rt_error_release(&err);
}

/*
 * A search's answer: the bytes rt_http_json gives for rt_search_result_to_json,
 * written without building the document when they can be.
 */
static void search_json(struct rt_http_resp *resp, const struct rt_search_result *res,
                        int64_t limit, int64_t offset)
{
    rt_buf_reset(&resp->body);
    if (rt_search_result_write_json(res, limit, offset, &resp->body) < 0) {
        rt_http_json(resp, 200, rt_search_result_to_json(res, limit, offset));
        return;
    }
    rt_buf_addch(&resp->body, '\n');
    resp->status = 200;
    resp->content_type = "application/json";
}

static void search(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp)
{
    struct rt_query q = RT_QUERY_INIT;
    struct rt_search_result res = {0};
    struct rt_error err = RT_ERROR_INIT;
    enum rt_export_format f = RT_EXPORT_CSV;
    int want = export_format(req, &f);

    if (rt_http_query(req, &q, &err) < 0)
        rt_http_error(resp, 400, "bad_argument", err.field, "%s", err.msg.buf);
    else if (want < 0)
        rt_http_error(resp, 400, "bad_argument", "format", "format is csv, xlsx or json");
    else if (want > 0)
        search_export(st, &q, f, resp);
    else if (rt_search(st, &q, &res, &err) < 0)
        rt_http_fail(resp, &err);
    else
        search_json(resp, &res, q.limit, q.offset);
    rt_search_result_release(&res);
    rt_error_release(&err);
}

/* Every route of the API: the index at /api/v1/ lists them, docs/api.yaml describes them. */
enum route {
    R_INDEX,
    R_RECS,
    R_REC,
    R_REC_STATUS,
    R_DIALOGUES,
    R_DIALOGUE,
    R_TIMELINE,
    R_RECIPROCITY,
    R_DIALOGUE_STEPS,
    R_ROUND,
    R_SINCE,
    R_STATUS,
    R_ADD_STEP,
    R_ADD_ROUND,
    R_ADD_ASK,
    R_ADD_ASSESSMENT,
    R_BRIEF,
    R_COUNTRY,
    R_READOUT_PARSE,
    R_ADD_READOUT,
    R_HISTORY,
    R_IMPORT,
    R_RECORD,
    R_EDIT,
    R_WITHDRAW,
    R_LOOKUP,
    R_PERSONS,
    R_PERSON,
    R_ASK_PERSONS,
    R_STEP_PERSONS,
    R_ADD_PERSON,
    R_ADD_CASE,
};

static const struct {
    enum route id;
    const char *method;
    const char *pattern;
    const char *writes; /* for POST: what rt_ledger_write adds */
} routes[] = {
    {R_INDEX, "GET", "/api/v1", NULL},
    {R_RECS, "GET", "/api/v1/recommendations", NULL},
    {R_REC, "GET", "/api/v1/recommendations/{id}", NULL},
    {R_REC_STATUS, "GET", "/api/v1/recommendations/{id}/status", NULL},
    {R_DIALOGUES, "GET", "/api/v1/dialogues", NULL},
    {R_DIALOGUE, "GET", "/api/v1/dialogues/{id}", NULL},
    {R_TIMELINE, "GET", "/api/v1/dialogues/{id}/timeline", NULL},
    {R_RECIPROCITY, "GET", "/api/v1/dialogues/{id}/reciprocity", NULL},
    {R_DIALOGUE_STEPS, "GET", "/api/v1/dialogues/{id}/steps", NULL},
    {R_ROUND, "GET", "/api/v1/dialogues/{id}/rounds/{n}", NULL},
    {R_SINCE, "GET", "/api/v1/dialogues/{id}/rounds/{n}/since", NULL},
    {R_ROUND, "GET", "/api/v1/rounds/{id}", NULL},
    {R_SINCE, "GET", "/api/v1/rounds/{id}/since", NULL},
    {R_STATUS, "GET", "/api/v1/status", NULL},
    {R_ADD_STEP, "POST", "/api/v1/steps", "step"},
    {R_ADD_ROUND, "POST", "/api/v1/dialogues/{id}/rounds", "round"},
    {R_ADD_ASK, "POST", "/api/v1/dialogues/{id}/rounds/{n}/asks", "ask"},
    {R_ADD_ASK, "POST", "/api/v1/rounds/{id}/asks", "ask"},
    {R_ADD_ASSESSMENT, "POST", "/api/v1/assessments", "assessment"},
    {R_BRIEF, "GET", "/api/v1/dialogues/{id}/brief", NULL},
    {R_COUNTRY, "GET", "/api/v1/states/{state}/profile", NULL},
    {R_READOUT_PARSE, "POST", "/api/v1/readouts/parse", NULL},
    {R_ADD_READOUT, "POST", "/api/v1/dialogues/{id}/readouts", NULL},
    {R_HISTORY, "GET", "/api/v1/history", NULL},
    {R_IMPORT, "POST", "/api/v1/imports", NULL},
    /* Corrections and withdrawals (edit_api): any record by its reference, and dialogues
     * and rounds at their own URLs too. */
    {R_RECORD, "GET", "/api/v1/records/{ref}", NULL},
    {R_EDIT, "PATCH", "/api/v1/records/{ref}", NULL},
    {R_WITHDRAW, "POST", "/api/v1/records/{ref}/withdraw", NULL},
    {R_EDIT, "PATCH", "/api/v1/dialogues/{id}", NULL},
    {R_WITHDRAW, "POST", "/api/v1/dialogues/{id}/withdraw", NULL},
    {R_EDIT, "PATCH", "/api/v1/dialogues/{id}/rounds/{n}", NULL},
    {R_WITHDRAW, "POST", "/api/v1/dialogues/{id}/rounds/{n}/withdraw", NULL},
    {R_EDIT, "PATCH", "/api/v1/rounds/{id}", NULL},
    {R_WITHDRAW, "POST", "/api/v1/rounds/{id}/withdraw", NULL},
    {R_LOOKUP, "GET", "/api/v1/lookup", NULL},
    /* Persons (person_page.c): private records unless marked public. */
    {R_PERSONS, "GET", "/api/v1/persons", NULL},
    {R_PERSON, "GET", "/api/v1/persons/{id}", NULL},
    {R_ASK_PERSONS, "GET", "/api/v1/asks/{id}/persons", NULL},
    {R_STEP_PERSONS, "GET", "/api/v1/steps/{id}/persons", NULL},
    {R_ADD_PERSON, "POST", "/api/v1/persons", "person"},
    {R_ADD_CASE, "POST", "/api/v1/persons/{id}/cases", "case"},
};

/* POST: a JSON body checked and written; 201 with {"id"}. */
static void add(struct rt_store *st, const struct rt_http_req *req, const char *what,
                int64_t parent, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    json_error_t jerr;
    json_t *body;
    int64_t id = 0;

    if (!rt_http_media_is(req->content_type, "application/json")) {
        rt_http_error(resp, 415, "unsupported_media_type", NULL,
                      "send the record as application/json");
        return;
    }
    body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!body) {
        rt_http_error(resp, 422, "bad_json", NULL, "the body is not JSON (line %d, column %d: %s)",
                      jerr.line, jerr.column, jerr.text);
        return;
    }
    if (rt_ledger_write(st, what, parent, body, &id, &err) < 0) {
        rt_http_fail(resp, &err);
    } else if (!strcmp(what, "round")) {
        /* A round is named by its dialogue and its number there ("1#3"). */
        json_t *r = NULL;
        rt_round_get(st, id, &r, NULL);
        rt_http_json(resp, 201,
                     json_pack("{s:I, s:I, s:O, s:O}", "id", (json_int_t)id, "dialogue",
                               (json_int_t)parent, "ordinal",
                               r ? json_object_get(r, "ordinal") : json_null(), "ref",
                               r ? json_object_get(r, "ref") : json_null()));
        json_decref(r);
    } else {
        rt_http_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
    }
    json_decref(body);
    rt_error_release(&err);
}

/* The record ref ("step:3", "round:5", a link) as rt_record_get gives it, as JSON. */
static void record_json(struct rt_store *st, const char *ref, int status, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    const char *colon = strchr(ref, ':');
    char kind[32], canon[128];
    json_t *doc = NULL;

    if (strchr(ref, ' ') && !strchr(ref, '#')) { /* a link has no record of its own */
        rt_http_json(resp, status, json_pack("{s:s}", "record", ref));
        return;
    }
    if (rt_audit_ref(st, ref, canon, &err) < 0) {
        rt_http_fail(resp, &err);
    } else {
        colon = strchr(canon, ':');
        snprintf(kind, sizeof(kind), "%.*s", (int)(colon - canon), canon);
        if (rt_record_get(st, kind, strtoll(colon + 1, NULL, 10), &doc, &err) < 0)
            rt_http_fail(resp, &err);
        else
            rt_http_json(resp, status, doc);
    }
    (void)colon;
    rt_error_release(&err);
}

/* PATCH (withdraw 0) or POST .../withdraw (1) of the record ref, a JSON body: the fields
 * to change, or {"reason", "date"}. 200 with the record as it now stands. */
static void edit_api(struct rt_store *st, const struct rt_http_req *req, const char *ref,
                     int withdraw, struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    json_error_t jerr;
    json_t *body;
    char out[128];
    int rc;

    if (!rt_http_media_is(req->content_type, "application/json")) {
        rt_http_error(resp, 415, "unsupported_media_type", NULL,
                      withdraw ? "send {\"reason\", \"date\"} as application/json"
                               : "send the fields to change as application/json");
        return;
    }
    body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!body || !json_is_object(body)) {
        rt_http_error(resp, 422, "bad_json", NULL, "the body is not a JSON object (%s)",
                      body ? "another JSON value" : jerr.text);
        json_decref(body);
        return;
    }
    if (withdraw) {
        const char *k;
        json_t *v;
        rc = 0;
        json_object_foreach(body, k, v)
        {
            if ((strcmp(k, "reason") && strcmp(k, "date")) ||
                !(json_is_string(v) || json_is_null(v))) {
                rc = rt_error_set(&err, RT_EINVAL, NULL, 0, k,
                                  strcmp(k, "reason") && strcmp(k, "date")
                                      ? "unknown field '%s': a withdrawal has a reason and a date"
                                      : "'%s' must be a string",
                                  k);
                break;
            }
        }
        if (rc == 0)
            rc = rt_ledger_withdraw(st, ref, json_string_value(json_object_get(body, "reason")),
                                    json_string_value(json_object_get(body, "date")), out, &err);
    } else {
        rc = rt_ledger_edit(st, ref, body, out, &err);
    }
    if (rc < 0)
        rt_http_fail(resp, &err);
    else
        record_json(st, out, 200, resp);
    json_decref(body);
    rt_error_release(&err);
}

/* GET /api/v1/history?record=REF[&since=DATE]: the audit log's entries about a record. */
static int history(struct rt_store *st, const struct rt_http_req *req, json_t **doc,
                   struct rt_error *err)
{
    struct rt_audit_filter f = {0};
    struct rt_audit_entry *v = NULL;
    const char *record = rt_http_arg(req, "record");
    char ref[128];
    size_t n = 0;
    int rc;

    f.since = rt_http_arg(req, "since");
    if (f.since && !*f.since)
        f.since = NULL;
    if (!record || !*record)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "record",
                            "name a record: ?record=step:3 (or ask:2, DIALOGUE#2, ...)");
    if ((rc = rt_audit_ref(st, record, ref, err)) < 0)
        return rc;
    f.record = ref;
    if ((rc = rt_audit_log(st, &f, &v, &n, err)) == 0)
        *doc = json_pack("{s:s,s:o}", "record", ref, "entries", rt_audit_entries_json(v, n));
    rt_audit_entries_free(v, n);
    return rc;
}

/* Does path match pattern? Sets *id from a {id} segment (*bad_id when it is not a
 * number), *name to a {state} segment and *ordinal to an {n} segment (a round's
 * number in its dialogue). */
static int match(const char *pattern, char **seg, size_t n, int64_t *id, int *bad_id,
                 const char **name, const char **ordinal)
{
    char buf[256], *pseg[8];
    size_t pn = rt_http_segments(pattern, buf, sizeof(buf), pseg, 8);

    if (pn != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(pseg[i], "{id}")) {
            *id = path_id(seg[i]);
            *bad_id = *id == 0;
        } else if (!strcmp(pseg[i], "{state}") || !strcmp(pseg[i], "{ref}")) {
            *name = seg[i];
        } else if (!strcmp(pseg[i], "{n}")) {
            *ordinal = seg[i];
        } else if (strcmp(pseg[i], seg[i])) {
            return 0;
        }
    }
    return 1;
}

int rt_http_api(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp)
{
    char buf[512], *seg[8];
    size_t n = rt_http_segments(req->path, buf, sizeof(buf), seg, 8);
    struct rt_error err = RT_ERROR_INIT;
    const char *as_of = rt_http_arg(req, "as_of"), *name = NULL, *ordinal = NULL;
    json_t *doc = NULL;
    int64_t id = 0;
    int rc = 0, bad_id = 0, found = -1, want;
    enum rt_export_format f = RT_EXPORT_CSV;

    int path_known = 0;
    const char *method = strcmp(req->method, "HEAD") ? req->method : "GET";
    const char *writes = NULL, *pattern = NULL;

    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]) && found < 0; i++) {
        ordinal = NULL;
        if (match(routes[i].pattern, seg, n, &id, &bad_id, &name, &ordinal)) {
            path_known = 1;
            if (!strcmp(routes[i].method, method)) {
                found = (int)routes[i].id;
                writes = routes[i].writes;
                pattern = routes[i].pattern;
            }
        }
    }
    if (!path_known)
        return 0;
    if (found < 0) {
        int get = 0, post = 0, patch = 0;
        for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
            if (match(routes[i].pattern, seg, n, &id, &bad_id, &name, &ordinal)) {
                get |= !strcmp(routes[i].method, "GET");
                post |= !strcmp(routes[i].method, "POST");
                patch |= !strcmp(routes[i].method, "PATCH");
            }
        }
        rt_http_error(resp, 405, "method_not_allowed", NULL, "%s is not allowed here", req->method);
        resp->allow = patch && post ? "GET, HEAD, POST, PATCH"
                      : patch       ? "GET, HEAD, PATCH"
                      : get && post ? "GET, HEAD, POST"
                      : post        ? "POST"
                                    : "GET, HEAD";
        return 1;
    }
    if (bad_id) {
        rt_http_error(resp, 404, "not_found", NULL, "'%s' is not an id", seg[3]);
        return 1;
    }
    if (ordinal) {
        /* /dialogues/D/rounds/N: the round numbered N in dialogue D. */
        char ref[64];
        snprintf(ref, sizeof(ref), "%lld#%.20s", (long long)id, ordinal);
        if (!path_id(ordinal) || rt_round_find(st, ref, &id, NULL) < 0) {
            rt_http_error(resp, 404, "not_found", NULL, "dialogue %lld has no round '%s'",
                          (long long)id, ordinal);
            return 1;
        }
    }
    if (as_of && !*as_of)
        as_of = NULL;
    switch ((enum route)found) {
    case R_INDEX: {
        json_t *list = json_array();
        for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
            json_array_append_new(list, json_pack("{s:s, s:s}", "method", routes[i].method, "path",
                                                  routes[i].pattern));
        rt_http_auth_routes(list);    /* /api/v1/session, answered by auth_page.c */
        rt_http_private_routes(list); /* /api/v1/private, answered by private.c */
        doc = json_pack("{s:s, s:o}", "version", RT_VERSION, "routes", list);
        break;
    }
    case R_RECS:
        search(st, req, resp);
        break;
    case R_REC: {
        struct rt_rec r;
        rt_rec_init(&r);
        json_t *ledger = NULL;
        if ((rc = rt_store_rec_get(st, id, &r, &err)) == 0 &&
            (rc = rt_rec_ledger(st, id, as_of, &ledger, &err)) == 0) {
            doc = rt_rec_to_json(&r, 1);
            json_object_del(ledger, "recommendation");
            json_object_set_new(doc, "ledger", ledger);
        }
        rt_rec_release(&r);
        break;
    }
    case R_REC_STATUS: {
        char target[40];
        snprintf(target, sizeof(target), "rec:%lld", (long long)id);
        rc = rt_status(st, target, as_of, &doc, &err);
        break;
    }
    case R_DIALOGUES:
        rc = rt_dialogue_list(st, &doc, &err);
        break;
    case R_DIALOGUE:
        rc = rt_dialogue_get(st, id, &doc, &err);
        break;
    case R_TIMELINE:
        rc = rt_timeline(st, id, as_of, &doc, &err);
        break;
    case R_RECIPROCITY:
        rc = rt_reciprocity(st, id, as_of, &doc, &err);
        break;
    case R_DIALOGUE_STEPS:
        rc = rt_step_list(st, id, NULL, &doc, &err);
        break;
    case R_ROUND:
        rc = rt_round_get(st, id, &doc, &err);
        break;
    case R_SINCE:
        rc = rt_since(st, id, as_of, &doc, &err);
        break;
    case R_STATUS: {
        const char *target = rt_http_arg(req, "target");
        rc = rt_status(st, target ? target : "", as_of, &doc, &err);
        break;
    }
    case R_ADD_STEP:
    case R_ADD_ROUND:
    case R_ADD_ASK:
    case R_ADD_ASSESSMENT:
        add(st, req, writes, id, resp);
        break;
    case R_BRIEF:
        rc = rt_report_brief(st, id, as_of, &doc, &err);
        break;
    case R_COUNTRY:
        rc = rt_report_country(st, name, as_of, &doc, &err);
        break;
    case R_READOUT_PARSE:
        rt_http_readout_parse_api(req, resp);
        break;
    case R_ADD_READOUT:
        rt_http_readout_save_api(st, req, id, resp);
        break;
    case R_HISTORY:
        rc = history(st, req, &doc, &err);
        break;
    case R_IMPORT:
        rt_http_imports(st, req, resp);
        break;
    case R_RECORD:
    case R_EDIT:
    case R_WITHDRAW: {
        char ref[160];
        if (strstr(pattern, "{ref}"))
            snprintf(ref, sizeof(ref), "%s", name);
        else
            snprintf(ref, sizeof(ref), "%s:%lld", strstr(pattern, "/rounds") ? "round" : "dialogue",
                     (long long)id);
        if (found == R_RECORD)
            record_json(st, ref, 200, resp);
        else
            edit_api(st, req, ref, found == R_WITHDRAW, resp);
        break;
    }
    case R_LOOKUP:
        rc = rt_http_lookup(st, req, &doc, &err);
        break;
    case R_PERSONS:
    case R_PERSON:
    case R_ASK_PERSONS:
    case R_STEP_PERSONS:
        rc = rt_http_person_api(st, req,
                                found == R_PERSONS       ? "list"
                                : found == R_PERSON      ? "person"
                                : found == R_ASK_PERSONS ? "ask"
                                                         : "step",
                                id, &doc, &err);
        break;
    case R_ADD_PERSON:
    case R_ADD_CASE:
        add(st, req, writes, id, resp);
        break;
    }
    if (rc < 0)
        rt_http_fail(resp, &err);
    else if (doc && json_is_array(doc) && (want = export_format(req, &f)) != 0)
        list_export(req, doc, f, want, n > 2 ? seg[2] : "list", n > 3 ? seg[3] : NULL,
                    n > 4 ? seg[4] : NULL, resp);
    else if (doc)
        rt_http_json(resp, 200, doc);
    rt_error_release(&err);
    return 1;
}
