/*
 * Imports on the web: the page /imports uploads a file in any format `rightstrack
 * import` takes; the import runs in a thread of its own through the library function
 * the command line calls (rt_import_files, one transaction), and /imports/{n} shows
 * its progress, refreshing itself without a script, then what was added, merged and
 * refused. POST /api/v1/imports does the same in the request and answers the summary
 * `import --json` prints.
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include <rightstrack/audit.h>
#include <rightstrack/ingest.h>

#include "html.h"
#include "http_int.h"

/* The imports of this run of the server that a page can still show. */
#define JOBS 32

enum job_state { JOB_FREE, JOB_RUNNING, JOB_DONE, JOB_FAILED };

struct job {
    long id;
    enum job_state state;
    char name[256]; /* the file's name as the browser sent it */
    char path[300]; /* the job's file: the upload, renamed */
    char actor[96];
    unsigned flags; /* RT_IMPORT_* */
    char sur[64];   /* the state under review of an ODIHR file that names none, or "" */
    uint64_t done, total;
    struct rt_import_stats stats;
    struct rt_tag_stats tags;
    int tag_failed;
    struct rt_error err; /* why it was refused; its file is name */
    time_t started, finished;
};

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct job jobs[JOBS];
static long last_id;
static int api_importing; /* an import of the API is under way */
static const char *import_db;

int rt_http_is_upload(const char *method, const char *path)
{
    return !strcmp(method, "POST") &&
           (!strcmp(path, "/imports") || !strcmp(path, "/api/v1/imports"));
}

void rt_http_imports_setup(const char *db_path)
{
    import_db = db_path;
}

/* err with the temporary path (in its file and message) replaced by name, into out. */
static void error_as(struct rt_error *out, const struct rt_error *err, const char *path,
                     const char *name)
{
    struct rt_buf msg = RT_BUF_INIT;
    const char *m = err->msg.len ? err->msg.buf : rt_strerror(err->code), *hit;
    size_t n = strlen(path);

    while ((hit = strstr(m, path)) != NULL) {
        rt_buf_add(&msg, m, (size_t)(hit - m));
        rt_buf_adds(&msg, name);
        m = hit + n;
    }
    rt_buf_adds(&msg, m);
    rt_error_set(out, err->code, err->file ? (strcmp(err->file, path) ? err->file : name) : NULL,
                 err->line, err->field, "%s", msg.buf);
    rt_buf_release(&msg);
}

/* The import's flags from the request: "private" checked (a form's "on"), or true. */
static unsigned import_flags(const struct rt_http_req *req)
{
    const char *v = rt_http_arg(req, "private");
    return v && (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "1")) ? RT_IMPORT_PRIVATE : 0;
}

/* The state under review the request names for a file without one ("state"), or NULL. */
static const char *import_state(const struct rt_http_req *req)
{
    const char *v = rt_http_arg(req, "state");
    return v && *v ? v : NULL;
}

/* Imports the file at path as the command line does (then the theme model's tags), and
 * records it by name, the name the browser sent (its source, the audit log); sur: the
 * state under review of an ODIHR file that names none (import --state), or NULL. */
static int import_file(struct rt_store *st, const char *path, const char *name, unsigned flags,
                       const char *sur, struct rt_import_stats *stats, struct rt_tag_stats *tags,
                       int *tag_failed, rt_progress_fn progress, void *ctx, struct rt_error *err)
{
    struct rt_error terr = RT_ERROR_INIT;
    const char *paths[1] = {path};
    struct rt_import_opts opts = {sur && *sur ? sur : NULL, flags, name};
    int rc = rt_import_files_opts(st, paths, 1, &opts, stats, progress, ctx, err);

    if (rc < 0)
        return rc;
    rc = rt_tag_unlabelled(st, tags, &terr);
    *tag_failed = rc < 0 && rc != RT_ENOTFOUND;
    rt_error_release(&terr);
    return 0;
}

static void job_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct job *j = ctx;
    pthread_mutex_lock(&jobs_lock);
    j->done = done;
    j->total = total;
    pthread_mutex_unlock(&jobs_lock);
}

static void *job_run(void *arg)
{
    struct job *j = arg;
    struct rt_error err = RT_ERROR_INIT;
    struct rt_import_stats stats = {0};
    struct rt_tag_stats tags = {0};
    struct rt_store *st = NULL;
    int rc, tag_failed = 0;

    rc = rt_store_open(&st, import_db, RT_STORE_CREATE, &err);
    if (rc == 0) {
        rt_store_set_actor(st, j->actor, "POST /imports");
        rc = import_file(st, j->path, j->name, j->flags, j->sur, &stats, &tags, &tag_failed,
                         job_progress, j, &err);
    }
    rt_store_close(st);
    pthread_mutex_lock(&jobs_lock);
    if (rc < 0)
        error_as(&j->err, &err, j->path, j->name);
    unlink(j->path);
    j->stats = stats;
    j->tags = tags;
    j->tag_failed = tag_failed;
    j->finished = time(NULL);
    j->state = rc < 0 ? JOB_FAILED : JOB_DONE;
    pthread_mutex_unlock(&jobs_lock);
    rt_error_release(&err);
    return NULL;
}

/* Is an import running, of a page or of the API (jobs_lock held)? */
static int running(void)
{
    if (api_importing)
        return 1;
    for (size_t i = 0; i < JOBS; i++)
        if (jobs[i].state == JOB_RUNNING)
            return 1;
    return 0;
}

static void page_begin(struct rt_http_resp *resp, int status, const char *title)
{
    resp->status = status;
    resp->content_type = "text/html; charset=utf-8";
    rt_buf_reset(&resp->body);
    html_begin(&resp->body, title);
}

/* Does the request's account may import (always, without accounts)? */
static int may_write(void)
{
    const struct rt_http_who *who = rt_http_who_now();
    return !who || !who->accounts || (who->p.role >= RT_ROLE_EDITOR && who->p.can_write);
}

static void formats_help(struct rt_buf *b)
{
    RT_HTML_LIT(b, "<p>Upload a file of recommendations in any format the command "
                   "<code>rightstrack import</code> takes; the format is read from the file's "
                   "header:</p><ul><li>a UPR Info export as downloaded (MacRoman or UTF-8, any "
                   "line ends)</li><li>the normalised UPR Info file</li><li>a UHRI thematic list "
                   "of recommendations</li><li>a rightstrack export (restored into an empty "
                   "database)</li></ul><p class=\"muted\">The whole file goes in as one "
                   "transaction: if one line is bad, nothing is imported and the page names that "
                   "line and field. Importing the same file again changes nothing.</p>");
}

static void state_text(struct rt_buf *b, const struct job *j)
{
    if (j->state == JOB_RUNNING)
        RT_HTML_LIT(b, "running");
    else if (j->state == JOB_DONE)
        RT_HTML_LIT(b, "<span class=\"pos\">imported</span>");
    else
        RT_HTML_LIT(b, "<span class=\"neg\">refused, nothing imported</span>");
}

/* GET /imports: the form, and this run's imports. */
static void imports_page(struct rt_http_resp *resp, int status, const char *problem)
{
    struct rt_buf *b = &resp->body;
    int any = 0;

    page_begin(resp, status, "Import recommendations");
    resp->no_cache = 1; /* its list of imports changes with no write to the database */
    RT_HTML_LIT(b, "<h1>Import recommendations</h1>");
    if (problem) {
        RT_HTML_LIT(b, "<p role=\"alert\" class=\"neg\"><strong>Not imported: ");
        rt_html_text(b, problem);
        RT_HTML_LIT(b, "</strong></p>");
    }
    formats_help(b);
    if (!may_write()) {
        RT_HTML_LIT(b, "<p role=\"note\">Your account may read but not import: that needs the "
                       "editor role. Ask an admin.</p>");
    } else {
        RT_HTML_LIT(b,
                    "<form method=\"post\" action=\"/imports\" enctype=\"multipart/form-data\">");
        rt_http_csrf_field(b);
        rt_buf_addf(b,
                    "<p><label for=\"f-file\">File<span class=\"hint\">CSV or a rightstrack "
                    "export (JSON), at most %u MB</span></label><input id=\"f-file\" "
                    "type=\"file\" name=\"file\" required></p>",
                    RT_HTTP_MAX_UPLOAD >> 20);
        RT_HTML_LIT(b, "<p><label for=\"f-state\">State under review<span class=\"hint\">only "
                       "for an ODIHR file that names none: its code or name, such as BLR"
                       "</span></label><input id=\"f-state\" name=\"state\" "
                       "autocomplete=\"off\"></p>");
        RT_HTML_LIT(b, "<p><label><input type=\"checkbox\" name=\"private\"> Private<span "
                       "class=\"hint\">only editors and admins are told which file the "
                       "recommendations came from; the recommendations themselves are "
                       "published records and stay visible to all</span></label></p>"
                       "<p><button type=\"submit\">Import</button></p></form>");
    }
    pthread_mutex_lock(&jobs_lock);
    for (long id = last_id; id > 0 && id > last_id - JOBS; id--) {
        const struct job *j = &jobs[(id - 1) % JOBS];
        if (j->id != id)
            continue;
        if (!any)
            RT_HTML_LIT(b, "<h2>Imports since the server started</h2><table><thead><tr>"
                           "<th>Import</th><th>File</th><th>By</th><th>State</th></tr></thead>"
                           "<tbody>");
        any = 1;
        rt_buf_addf(b, "<tr><td><a href=\"/imports/%ld\">%ld</a></td><td>", id, id);
        rt_html_text(b, j->name);
        RT_HTML_LIT(b, "</td><td>");
        rt_html_text(b, j->actor + 4);
        RT_HTML_LIT(b, "</td><td>");
        state_text(b, j);
        RT_HTML_LIT(b, "</td></tr>");
    }
    pthread_mutex_unlock(&jobs_lock);
    if (any)
        RT_HTML_LIT(b, "</tbody></table>");
    html_end(b);
}

/* POST /imports: the upload becomes a job; 303 to its page. */
static void imports_post(const struct rt_http_req *req, struct rt_http_resp *resp)
{
    const struct rt_http_who *who = req->who;
    struct job *j;
    pthread_t t;
    long id;
    int busy;

    if (!rt_http_csrf_ok(req)) {
        rt_http_page_refused(resp, "This form is out of date",
                             "The form did not carry the token of this run of the server: it "
                             "was sent from another site, or from a page opened before the "
                             "server restarted. Reload the page and send the file again.");
        return;
    }
    if (req->upload_too_big) {
        char msg[96];
        snprintf(msg, sizeof(msg), "the file is over %u MB, the most the server takes",
                 RT_HTTP_MAX_UPLOAD >> 20);
        imports_page(resp, 413, msg);
        return;
    }
    if (!req->upload_path || !req->upload_bytes) {
        imports_page(resp, 422, "choose a file to import");
        return;
    }
    pthread_mutex_lock(&jobs_lock);
    busy = running();
    if (busy) {
        pthread_mutex_unlock(&jobs_lock);
        imports_page(resp, 409,
                     "another import is running; wait until it ends (see its page below), "
                     "then send this file again");
        return;
    }
    id = ++last_id;
    j = &jobs[(id - 1) % JOBS];
    rt_error_release(&j->err);
    memset(j, 0, sizeof(*j));
    j->err = (struct rt_error)RT_ERROR_INIT;
    j->id = id;
    j->state = JOB_RUNNING;
    j->started = time(NULL);
    snprintf(j->name, sizeof(j->name), "%s", req->upload_name ? req->upload_name : "upload");
    snprintf(j->path, sizeof(j->path), "%s.import", req->upload_path);
    snprintf(j->actor, sizeof(j->actor), "web:%s",
             who && who->p.name[0] ? who->p.name : "anonymous");
    j->total = req->upload_bytes;
    j->flags = import_flags(req);
    snprintf(j->sur, sizeof(j->sur), "%s", import_state(req) ? import_state(req) : "");
    /* The job takes the file: the server deletes the upload's name when the request
     * ends, and the job deletes its own when it is done. */
    if (rename(req->upload_path, j->path) < 0 || pthread_create(&t, NULL, job_run, j) != 0) {
        unlink(j->path);
        j->state = JOB_FAILED;
        rt_error_set(&j->err, RT_EIO, j->name, 0, NULL, "the server could not start the import");
    } else {
        pthread_detach(t);
    }
    pthread_mutex_unlock(&jobs_lock);
    resp->status = 303;
    resp->content_type = "text/html; charset=utf-8";
    rt_buf_reset(&resp->body);
    snprintf(resp->location, sizeof(resp->location), "/imports/%ld", id);
}

static void count_row(struct rt_buf *b, const char *what, long long n)
{
    RT_HTML_LIT(b, "<tr><th scope=\"row\">");
    rt_html_text(b, what);
    rt_buf_addf(b, "</th><td>%lld</td></tr>", n);
}

/* GET /imports/{n}: progress (202, refreshing itself each second) or the outcome. */
static void import_page(long id, struct rt_http_resp *resp)
{
    struct rt_buf *b = &resp->body;
    struct job j;
    struct job *slot = id > 0 ? &jobs[(id - 1) % JOBS] : NULL;

    pthread_mutex_lock(&jobs_lock);
    if (!slot || slot->id != id) {
        pthread_mutex_unlock(&jobs_lock);
        page_error(resp, 404,
                   "No such import: the server keeps the latest imports only while it runs");
        return;
    }
    j = *slot; /* a copy to read without the lock; its err only while locked */
    if (j.state == JOB_RUNNING) {
        pthread_mutex_unlock(&jobs_lock);
        page_begin(resp, 202, "Importing");
        /* A meta refresh works without scripts, which the site's policy does not run. */
        RT_HTML_LIT(b, "<meta http-equiv=\"refresh\" content=\"1\">");
        RT_HTML_LIT(b, "<h1>Importing ");
        rt_html_text(b, j.name);
        RT_HTML_LIT(b, "</h1>");
        {
            unsigned pct = j.total ? (unsigned)(j.done * 100 / j.total) : 0;
            rt_buf_addf(b,
                        "<p role=\"status\"><progress id=\"progress\" max=\"100\" "
                        "value=\"%u\">%u %%</progress> %u %% read (%llu of %llu bytes)</p>",
                        pct, pct, pct, (unsigned long long)j.done, (unsigned long long)j.total);
        }
        if (j.total && j.done >= j.total)
            RT_HTML_LIT(b, "<p>The whole file is read; saving it and updating the search "
                           "index.</p>");
        RT_HTML_LIT(b, "<p class=\"muted\">This page shows the outcome by itself when the "
                       "import ends. Nothing is saved until the whole file is read.</p>");
        html_end(b);
        return;
    }
    if (j.state == JOB_FAILED) {
        const struct rt_error *e = &slot->err;
        page_begin(resp, 200, "Import refused");
        RT_HTML_LIT(b, "<h1>Import refused: ");
        rt_html_text(b, j.name);
        RT_HTML_LIT(b, "</h1><p role=\"alert\" class=\"neg\" id=\"refused\"><strong>Nothing was "
                       "imported.</strong> The file was refused");
        if (e->line > 0)
            rt_html_textf(b, " at line %ld", e->line);
        if (e->field) {
            RT_HTML_LIT(b, ", field <code>");
            rt_html_text(b, e->field);
            RT_HTML_LIT(b, "</code>");
        }
        RT_HTML_LIT(b, ":</p><pre class=\"refusal\" style=\"white-space:pre-wrap\">");
        if (e->file) {
            rt_html_text(b, e->file);
            if (e->line > 0)
                rt_html_textf(b, ":%ld", e->line);
            RT_HTML_LIT(b, ": ");
        }
        if (e->field) {
            RT_HTML_LIT(b, "field '");
            rt_html_text(b, e->field);
            RT_HTML_LIT(b, "': ");
        }
        rt_html_text(b, e->msg.len ? e->msg.buf : rt_strerror(e->code));
        pthread_mutex_unlock(&jobs_lock);
        RT_HTML_LIT(b, "</pre><p>Mend the file at that line and upload it again: <a "
                       "href=\"/imports\">Import a file</a>.</p>");
        html_end(b);
        return;
    }
    pthread_mutex_unlock(&jobs_lock);
    page_begin(resp, 200, "Imported");
    RT_HTML_LIT(b, "<h1>Imported: ");
    rt_html_text(b, j.name);
    RT_HTML_LIT(b, "</h1><p role=\"status\" class=\"pos\">");
    if (j.stats.format == RT_FORMAT_EXPORT)
        rt_html_textf(b, "Restored %lld records, %lld of them recommendations.",
                      (long long)j.stats.rows, (long long)j.stats.recs_new);
    else
        rt_html_textf(b,
                      "Saved: %lld recommendations added, %lld rows merged into "
                      "recommendations already there.",
                      (long long)j.stats.recs_new, (long long)j.stats.recs_existing);
    RT_HTML_LIT(b, "</p><table id=\"summary\"><tbody>");
    RT_HTML_LIT(b, "<tr><th scope=\"row\">Format</th><td>");
    rt_html_text(b, rt_format_name(j.stats.format));
    RT_HTML_LIT(b, "</td></tr>");
    count_row(b, "Rows read", j.stats.rows);
    count_row(b, "Recommendations added", j.stats.recs_new);
    count_row(b, "Rows merged into recommendations already there", j.stats.recs_existing);
    count_row(b, "Recommending states added to recommendations", j.stats.by_new);
    count_row(b, "Theme tags added", j.stats.themes_new);
    count_row(b, "Rows whose recommending state is unknown", j.stats.unknown_by);
    count_row(b, "Tagged with themes by the theme model", j.tags.tagged);
    count_row(b, "Rows refused", 0);
    RT_HTML_LIT(b, "</tbody></table>");
    if (!j.stats.source_new)
        RT_HTML_LIT(b, "<p class=\"muted\">This file had been imported before.</p>");
    if (j.stats.marked_private)
        rt_buf_addf(b,
                    "<p><span class=\"tag private\">private</span> The file's source record "
                    "(source:%lld) is private: only editors and admins are told that "
                    "recommendations came from it.</p>",
                    (long long)j.stats.source_id);
    if (j.tag_failed)
        RT_HTML_LIT(b, "<p class=\"neg\">The import is saved, but tagging it with the theme "
                       "model failed.</p>");
    RT_HTML_LIT(b, "<p><a href=\"/search\">Search the recommendations</a> · <a "
                   "href=\"/imports\">Import another file</a></p>");
    html_end(b);
}

/* POST /api/v1/imports: the import in this request; the summary `import --json` prints. */
static void import_api(struct rt_store *st, const struct rt_http_req *req,
                       struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT, shown = RT_ERROR_INIT;
    struct rt_import_stats stats = {0};
    struct rt_tag_stats tags = {0};
    const char *name = req->upload_name ? req->upload_name : rt_http_arg(req, "name");
    int busy, rc, tag_failed = 0;

    if (!name || !*name)
        name = "upload";
    /* This route takes bodies a page of another site can send without asking first
     * (a form's multipart/form-data). Browsers send cookies, programs need none: a
     * request with a cookie and no bearer token carries the page's form token. */
    if (req->cookie && !req->authorization && !rt_http_csrf_ok(req)) {
        rt_http_error(resp, 403, "csrf", "csrf",
                      "a browser's upload carries the form token (the field or argument "
                      "'csrf'); programs send no cookie, or send Authorization: Bearer");
        return;
    }
    if (req->upload_too_big) {
        rt_http_error(resp, 413, "too_big", NULL, "the file is over %u bytes", RT_HTTP_MAX_UPLOAD);
        return;
    }
    if (!req->upload_path || !req->upload_bytes) {
        rt_http_error(resp, 422, "invalid", "file",
                      "send the file as the request body, or as a multipart/form-data part "
                      "with a file name");
        return;
    }
    pthread_mutex_lock(&jobs_lock);
    busy = running();
    api_importing |= !busy;
    pthread_mutex_unlock(&jobs_lock);
    if (busy) {
        rt_http_error(resp, 409, "busy", NULL, "another import is running; send this one after");
        return;
    }
    rc = import_file(st, req->upload_path, name, import_flags(req), import_state(req), &stats,
                     &tags, &tag_failed, NULL, NULL, &err);
    pthread_mutex_lock(&jobs_lock);
    api_importing = 0;
    pthread_mutex_unlock(&jobs_lock);
    if (rc < 0) {
        int status = err.code == RT_ETOOBIG                            ? 413
                     : err.code == RT_EINVAL || err.code == RT_EFORMAT ? 422
                                                                       : 500;
        error_as(&shown, &err, req->upload_path, name);
        rt_http_json(resp, status,
                     json_pack("{s:{s:s, s:s, s:s?, s:s, s:I, s:b}}", "error", "code",
                               status == 500   ? "internal"
                               : status == 413 ? "too_big"
                                               : "invalid",
                               "message", shown.msg.len ? shown.msg.buf : rt_strerror(shown.code),
                               "field", shown.field, "file", name, "line", (json_int_t)shown.line,
                               "imported", 0));
    } else {
        rt_http_json(resp, 200, rt_import_summary_json(&name, &stats, 1, &tags));
    }
    rt_error_release(&err);
    rt_error_release(&shown);
}

int rt_http_imports(struct rt_store *st, const struct rt_http_req *req, struct rt_http_resp *resp)
{
    int get = !strcmp(req->method, "GET") || !strcmp(req->method, "HEAD");
    const char *p = req->path;

    if (!strcmp(p, "/api/v1/imports")) {
        if (strcmp(req->method, "POST")) {
            rt_http_error(resp, 405, "method_not_allowed", NULL, "%s is not allowed here",
                          req->method);
            resp->allow = "POST";
        } else {
            import_api(st, req, resp);
        }
        return 1;
    }
    if (!strcmp(p, "/imports")) {
        if (get)
            imports_page(resp, 200, NULL);
        else
            imports_post(req, resp);
        return 1;
    }
    if (!strncmp(p, "/imports/", 9) && get) {
        char *end;
        long id;
        errno = 0;
        id = strtol(p + 9, &end, 10);
        if (errno || *end || end == p + 9 || id <= 0)
            page_error(resp, 404, "No such import");
        else
            import_page(id, resp);
        return 1;
    }
    return 0;
}
