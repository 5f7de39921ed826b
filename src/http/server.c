/* The HTTP server: the only file that includes <microhttpd.h>. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include <rightstrack/report.h>

#include "http_int.h"

/*
 * One store connection and one response cache per worker thread, closed when the
 * server stops. The caches share CACHE_BYTES.
 */
#define CACHE_BYTES ((size_t)16 << 20)
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;
static struct worker {
    struct rt_store *store;
    struct rt_http_cache *cache;
} workers[64];
static size_t n_workers;
static _Thread_local struct rt_store *thread_store;
static _Thread_local struct rt_http_cache *thread_cache;
static const char *db_path;
static size_t cache_bytes;

static void drop_response(void *r)
{
    MHD_destroy_response(r);
}

static struct rt_store *store_for_thread(struct rt_error *err)
{
    if (!thread_store) {
        if (rt_store_open(&thread_store, db_path, 0, err) < 0)
            return NULL;
        thread_cache = rt_http_cache_new(cache_bytes, drop_response);
        pthread_mutex_lock(&stores_lock);
        if (n_workers < sizeof(workers) / sizeof(workers[0]))
            workers[n_workers++] = (struct worker){thread_store, thread_cache};
        pthread_mutex_unlock(&stores_lock);
    }
    return thread_store;
}

/* A request under way: the body so far and whether it grew too big. */
struct conn {
    struct rt_buf body;
    int too_big;
};

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    struct rt_http_req *r = cls;
    (void)kind;
    if (r->n_args < sizeof(r->args) / sizeof(r->args[0])) {
        r->args[r->n_args].key = key;
        r->args[r->n_args].value = value ? value : "";
        r->n_args++;
    }
    return MHD_YES;
}

/* Form bodies (application/x-www-form-urlencoded) become arguments too. */
static void parse_form(struct rt_http_req *r, char *body)
{
    char *p = body, *amp, *eq;

    while (p && *p && r->n_args < sizeof(r->args) / sizeof(r->args[0])) {
        amp = strchr(p, '&');
        if (amp)
            *amp = '\0';
        eq = strchr(p, '=');
        if (eq)
            *eq = '\0';
        for (char *q = p; *q; q++)
            if (*q == '+')
                *q = ' ';
        MHD_http_unescape(p);
        if (eq) {
            for (char *q = eq + 1; *q; q++)
                if (*q == '+')
                    *q = ' ';
            MHD_http_unescape(eq + 1);
        }
        r->args[r->n_args].key = p;
        r->args[r->n_args].value = eq ? eq + 1 : "";
        r->n_args++;
        p = amp ? amp + 1 : NULL;
    }
}

/* The server's response for resp, whose body it takes; etag, when given, with it. */
static struct MHD_Response *make_response(struct rt_http_resp *resp, const char *etag)
{
    struct MHD_Response *r;
    size_t len;
    char *body = rt_buf_detach(&resp->body, &len);

    r = MHD_create_response_from_buffer_with_free_callback(len, body, rt_free);
    MHD_add_response_header(r, "Content-Type", resp->content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                            "img-src 'self' data:; frame-ancestors 'none'");
    if (resp->location[0])
        MHD_add_response_header(r, "Location", resp->location);
    if (resp->disposition[0])
        MHD_add_response_header(r, "Content-Disposition", resp->disposition);
    if (resp->retry_after > 0) {
        char s[16];
        snprintf(s, sizeof(s), "%d", resp->retry_after);
        MHD_add_response_header(r, "Retry-After", s);
    }
    if (etag) {
        /* Browsers keep the page but ask each time; an unchanged one costs a 304. */
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Cache-Control", "no-cache");
    }
    return r;
}

static enum MHD_Result send_response(struct MHD_Connection *c, struct rt_http_resp *resp)
{
    struct MHD_Response *r = make_response(resp, NULL);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)resp->status, r);

    MHD_destroy_response(r);
    return ok;
}

/* Does If-None-Match (a list of tags, or "*") name etag? */
static int etag_matches(const char *inm, const char *etag)
{
    size_t n = strlen(etag);

    for (const char *p = inm; (p = strchr(p, '"')) != NULL; p++) {
        if (!strncmp(p, etag, n))
            return 1;
        if (!(p = strchr(p + 1, '"')))
            break;
    }
    return !strcmp(inm, "*");
}

/* What a read is known by in the response cache: its path and arguments, in order. */
static void cache_key(const struct rt_http_req *req, struct rt_buf *key)
{
    rt_buf_adds(key, req->path);
    for (size_t i = 0; i < req->n_args; i++)
        rt_buf_addf(key, "\n%zu:%s%zu:%s", strlen(req->args[i].key), req->args[i].key,
                    strlen(req->args[i].value), req->args[i].value);
}

/*
 * A GET or HEAD: one snapshot of the database. An answer of 200 is kept in the
 * thread's cache and given again while the database is at the same version, unless
 * the client asks for a fresh one (Cache-Control: no-cache); it carries an ETag, and
 * a request whose If-None-Match names it gets 304 and no body.
 */
static enum MHD_Result answer_read(struct MHD_Connection *c, struct rt_store *st,
                                   const struct rt_http_req *req, struct rt_http_resp *resp)
{
    const char *cc = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cache-Control");
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    struct rt_error err = RT_ERROR_INIT;
    struct rt_buf key = RT_BUF_INIT;
    struct MHD_Response *r = NULL;
    char etag[RT_HTTP_ETAG_SIZE];
    const char *tag = NULL;
    uint64_t version = 0;
    int kept = 1, rc;
    enum MHD_Result ok;

    rc = rt_store_read_begin(st, &err);
    if (rc == 0 && (rc = rt_store_version(st, &version, &err)) == 0) {
        cache_key(req, &key);
        if (!(cc && strstr(cc, "no-cache")))
            r = rt_http_cache_get(thread_cache, key.buf, key.len, version, &tag);
        if (!r)
            rt_http_route(st, req, resp);
    }
    rt_store_read_end(st);
    if (rc < 0)
        rt_http_fail(resp, &err);
    rt_error_release(&err);
    if (!r && resp->status != 200) {
        rt_buf_release(&key);
        return send_response(c, resp);
    }
    if (!r) {
        size_t bytes = resp->body.len;
        rt_http_etag(resp->body.buf, resp->body.len, etag);
        tag = etag;
        r = make_response(resp, tag);
        kept = rt_http_cache_put(thread_cache, key.buf, key.len, version, r, bytes, tag);
    }
    rt_buf_release(&key);
    if (inm && etag_matches(inm, tag)) {
        struct MHD_Response *same =
            MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(same, "ETag", tag);
        MHD_add_response_header(same, "Cache-Control", "no-cache");
        ok = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, same);
        MHD_destroy_response(same);
    } else {
        ok = MHD_queue_response(c, MHD_HTTP_OK, r);
    }
    if (!kept) /* else the cache holds it until it drops it */
        MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct conn *conn = *con_cls;
    struct rt_http_req req;
    struct rt_http_resp resp = {
        .status = 200, .content_type = "application/json", .body = RT_BUF_INIT};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_store *st;
    enum MHD_Result ok;

    (void)cls;
    (void)version;
    if (!conn) { /* first call: headers only */
        conn = rt_xcalloc(1, sizeof(*conn));
        rt_buf_init(&conn->body, RT_HTTP_MAX_BODY);
        *con_cls = conn;
        return MHD_YES;
    }
    if (*upload_size) { /* body bytes */
        if (!conn->too_big && rt_buf_add(&conn->body, upload, *upload_size) < 0)
            conn->too_big = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    memset(&req, 0, sizeof(req));
    req.method = method;
    req.path = url;
    req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
    req.host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    req.origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    req.fetch_site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &req);
    req.body = conn->body.buf;
    req.body_len = conn->body.len;
    if (conn->too_big) {
        rt_http_error(&resp, 413, "too_big", NULL, "the request body is over %u bytes",
                      RT_HTTP_MAX_BODY);
    } else if (strstr(url, "..")) {
        rt_http_error(&resp, 400, "bad_path", NULL, "paths may not contain '..'");
    } else if (!(st = store_for_thread(&err))) {
        rt_http_fail(&resp, &err);
    } else if (!strcmp(method, "GET") || !strcmp(method, "HEAD")) {
        ok = answer_read(c, st, &req, &resp);
        rt_buf_release(&resp.body);
        return ok;
    } else {
        /* Writes make their own transactions. */
        if (req.content_type && !strncmp(req.content_type, "application/x-www-form-urlencoded", 33))
            parse_form(&req, conn->body.buf);
        rt_http_route(st, &req, &resp);
    }
    ok = send_response(c, &resp);
    rt_buf_release(&resp.body);
    rt_error_release(&err);
    return ok;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode code)
{
    struct conn *conn = *con_cls;
    (void)cls, (void)c, (void)code;
    if (conn) {
        rt_buf_release(&conn->body);
        rt_free(conn);
        *con_cls = NULL;
    }
}

int rt_http_serve(const struct rt_http_opts *o, struct rt_error *err)
{
    const char *host = o->host ? o->host : "127.0.0.1";
    struct sockaddr_in addr;
    struct MHD_Daemon *d;
    struct rt_store *check = NULL;
    const union MHD_DaemonInfo *info;
    sigset_t set;
    int sig, rc;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "host", "'%s' is not an IPv4 address", host);
    if ((ntohl(addr.sin_addr.s_addr) >> 24) != 127 && !o->allow_remote)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "host",
                            "rightstrack has no accounts yet, so it serves only this machine "
                            "(127.0.0.1); give --unsafe-no-auth to serve %s to anyone who can "
                            "reach it",
                            host);
    /* Fail early, in this thread, when the database cannot be opened; bring the
     * derived data the reports read up to date while no request runs. */
    if ((rc = rt_store_open(&check, o->db_path, 0, err)) < 0)
        return rc;
    rc = rt_report_prepare(check, err);
    rt_store_close(check);
    if (rc < 0)
        return rc;
    db_path = o->db_path;
    cache_bytes = CACHE_BYTES / (o->threads ? o->threads : 2u);
    if ((rc = rt_http_csrf_init(err)) < 0)
        return rc;

    /* Signals are taken by sigwait below, not by the worker threads. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        o->threads ? o->threads : 2u, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u, MHD_OPTION_END);
    if (!d)
        return rt_error_set(err, RT_EIO, NULL, 0, "port", "cannot listen on %s:%u: %s", host,
                            o->port, strerror(errno));
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("listening on http://%s:%u\n", host, info ? (unsigned)info->port : o->port);
    fflush(stdout);
    sigwait(&set, &sig);
    MHD_stop_daemon(d); /* lets requests in flight finish */
    for (size_t i = 0; i < n_workers; i++) {
        rt_http_cache_free(workers[i].cache);
        rt_store_close(workers[i].store);
    }
    n_workers = 0;
    return 0;
}
