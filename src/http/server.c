/* The HTTP server: the only file that includes <microhttpd.h>. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include <rightstrack/export.h>
#include <rightstrack/audit.h>
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

/* A download under way: the part of the export read last and how much of it went. */
struct download {
    struct rt_export *x;
    struct rt_buf part;
    size_t at;
    int done;
};

static ssize_t download_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct download *d = cls;
    struct rt_error err = RT_ERROR_INIT;
    size_t n;

    (void)pos;
    if (d->at == d->part.len) {
        rt_buf_reset(&d->part);
        d->at = 0;
        if (d->done || rt_export_read(d->x, &d->part, &d->done, &err) < 0) {
            int failed = !d->done;
            rt_error_release(&err);
            return failed ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
        }
        if (d->done)
            return MHD_CONTENT_READER_END_OF_STREAM;
    }
    n = d->part.len - d->at < max ? d->part.len - d->at : max;
    memcpy(buf, d->part.buf + d->at, n);
    d->at += n;
    return (ssize_t)n;
}

static void download_free(void *cls)
{
    struct download *d = cls;
    rt_export_free(d->x);
    rt_buf_release(&d->part);
    rt_free(d);
}

/* The server's response for resp, whose body (or export) it takes; etag, when given,
 * with it. */
static struct MHD_Response *make_response(struct rt_http_resp *resp, const char *etag)
{
    struct MHD_Response *r;
    size_t len;
    char *body = rt_buf_detach(&resp->body, &len);

    if (resp->export) {
        struct download *d = rt_xcalloc(1, sizeof(*d));
        char disp[200];
        rt_free(body);
        d->x = resp->export;
        resp->export = NULL;
        r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, download_read, d,
                                              download_free);
        snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", resp->filename);
        MHD_add_response_header(r, "Content-Disposition", disp);
    } else {
        r = MHD_create_response_from_buffer_with_free_callback(len, body, rt_free);
    }
    MHD_add_response_header(r, "Content-Type", resp->content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                            "img-src 'self' data:; frame-ancestors 'none'");
    if (resp->location[0])
        MHD_add_response_header(r, "Location", resp->location);
    for (size_t i = 0; i < 2; i++)
        if (resp->cookies[i][0])
            MHD_add_response_header(r, "Set-Cookie", resp->cookies[i]);
    if (resp->cookies[0][0]) /* for this browser only: no cache may keep it */
        MHD_add_response_header(r, "Cache-Control", "no-store");
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
    if (req->accept) /* the API answers by it */
        rt_buf_addf(key, "\naccept:%s", req->accept);
    rt_http_auth_cache_key(req, key); /* who may see another answer */
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
    if (!r && (resp->status != 200 || resp->export || resp->cookies[0][0])) {
        /* downloads are not kept, and a cookie is for one browser */
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

static int tls_on;

/* The headers that say who sends a request, and the address it comes from. */
static void request_who(struct MHD_Connection *c, struct rt_http_req *req)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    req->cookie = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie");
    req->authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    req->forwarded_for = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
    req->forwarded_proto = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto");
    req->tls = tls_on;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, req->peer,
                  sizeof(req->peer));
}

/* Reads a whole PEM file into a new string (rt_free it); NULL with err. */
static char *read_pem(const char *path, const char *field, struct rt_error *err)
{
    struct rt_buf b = RT_BUF_INIT;
    char chunk[4096];
    size_t n;
    FILE *fp = fopen(path, "rb");

    if (!fp) {
        rt_error_set(err, RT_EIO, path, 0, field, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0 && b.len < (1u << 20))
        rt_buf_add(&b, chunk, n);
    fclose(fp);
    return rt_buf_detach(&b, &n);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct conn *conn = *con_cls;
    struct rt_http_req req;
    struct rt_http_resp resp = {200, "application/json", RT_BUF_INIT, "", NULL, "", {""}};
    struct rt_http_who who;
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
    req.accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
    request_who(c, &req);
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
        rt_http_auth_request(st, &req, &who, &resp);
        ok = answer_read(c, st, &req, &resp);
        rt_buf_release(&resp.body);
        return ok;
    } else {
        char actor[96], via[160];
        rt_http_auth_request(st, &req, &who, &resp);
        /* Writes make their own transactions; the audit log says who made them: the
         * account of the request, or web:anonymous on a database without accounts. */
        snprintf(actor, sizeof(actor), "web:%s", who.p.name[0] ? who.p.name : "anonymous");
        snprintf(via, sizeof(via), "%s %.*s", method, 120, url);
        rt_store_set_actor(st, actor, via);
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
    char *cert = NULL, *key = NULL;
    sigset_t set;
    int sig, rc, accounts = 0;

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "host", "'%s' is not an IPv4 address", host);
    if (!o->tls_cert != !o->tls_key)
        return rt_error_set(err, RT_EINVAL, NULL, 0, o->tls_cert ? "tls-key" : "tls-cert",
                            "give both --tls-cert and --tls-key, or neither");
    /* Fail early, in this thread, when the database cannot be opened; bring the
     * derived data the reports read up to date while no request runs. */
    if ((rc = rt_store_open(&check, o->db_path, 0, err)) < 0)
        return rc;
    rc = rt_report_prepare(check, err);
    if (rc == 0)
        rc = rt_auth_has_accounts(check, &accounts, err);
    rt_store_close(check);
    if (rc < 0)
        return rc;
    if ((ntohl(addr.sin_addr.s_addr) >> 24) != 127 && !accounts && !o->allow_remote)
        return rt_error_set(err, RT_EINVAL, NULL, 0, "host",
                            "this database has no accounts, so rightstrack serves only this "
                            "machine (127.0.0.1): make an admin with 'rightstrack user add NAME "
                            "--role admin' to serve %s (or give --unsafe-no-auth to let anyone "
                            "who can reach it read and write)",
                            host);
    if (o->tls_cert) {
        if (!MHD_is_feature_supported(MHD_FEATURE_TLS))
            return rt_error_set(err, RT_EINVAL, NULL, 0, "tls-cert",
                                "this libmicrohttpd was built without TLS");
        if (!(cert = read_pem(o->tls_cert, "tls-cert", err)) ||
            !(key = read_pem(o->tls_key, "tls-key", err))) {
            rt_free(cert);
            return RT_EIO;
        }
        tls_on = 1;
    }
    rt_http_auth_setup(o);
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
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | (tls_on ? MHD_USE_TLS : 0), 0, NULL,
        NULL, handle, NULL, MHD_OPTION_HTTPS_MEM_KEY, key ? key : "", MHD_OPTION_HTTPS_MEM_CERT,
        cert ? cert : "", MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, o->threads ? o->threads : 2u, MHD_OPTION_NOTIFY_COMPLETED,
        completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)32 * 1024, MHD_OPTION_PER_IP_CONNECTION_LIMIT, 256u, MHD_OPTION_END);
    if (!d) {
        rt_free(cert);
        rt_free(key);
        return rt_error_set(err, RT_EIO, NULL, 0, "port", "cannot listen on %s:%u: %s", host,
                            o->port,
                            tls_on ? "or the TLS key and certificate do not fit" : strerror(errno));
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("listening on http%s://%s:%u\n", tls_on ? "s" : "", host,
           info ? (unsigned)info->port : o->port);
    fflush(stdout);
    sigwait(&set, &sig);
    MHD_stop_daemon(d); /* lets requests in flight finish */
    for (size_t i = 0; i < n_workers; i++) {
        rt_http_cache_free(workers[i].cache);
        rt_store_close(workers[i].store);
    }
    n_workers = 0;
    rt_free(cert);
    rt_free(key);
    return 0;
}
