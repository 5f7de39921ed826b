/* The HTTP server: the only file that includes <microhttpd.h>. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <ctype.h>
#include <stdarg.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include <rightstrack/export.h>
#include <rightstrack/audit.h>
#include <rightstrack/report.h>
#include <rightstrack/text.h>

#include "html.h"
#include "http_int.h"

/*
 * One store connection per worker thread, closed when the server stops, and one
 * response cache for them all (cache.c), of CACHE_BYTES. The connections are opened
 * before the server listens, each keeping what searches read (rt_store_keep_search),
 * so that no request waits while a thread's first search loads it; a thread takes
 * one of them (ready) on its first request.
 */
#define CACHE_BYTES ((size_t)64 << 20)
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rt_store *workers[64];
static size_t n_workers;
static struct rt_store *ready[64];
static size_t n_ready;
static _Thread_local struct rt_store *thread_store;
static const char *db_path;
static struct rt_http_cache *cache;

/*
 * The cache's versions. Each connection's rt_store_version is its own (SQLite's
 * data_version counts the commits it has seen), so the threads share a generation
 * instead: a thread whose connection sees a version other than the one it saw last
 * raises it, and answers that request without the cache. A request reads the
 * generation before its snapshot begins and keeps and looks up its answer under
 * that: whoever's snapshot holds a commit the generation has not yet been raised
 * for raises it itself, so an answer kept under a generation never lacks a commit
 * made before a request of that generation began (docs/developer-guide.md).
 */
static atomic_uint_fast64_t generation = 1;
static _Thread_local uint64_t thread_version;
static _Thread_local int thread_seen;

/* A prepared response held by the cache and by the requests that send it. */
struct kept {
    struct MHD_Response *r;
    atomic_int refs;
};

static void kept_hold(void *v)
{
    atomic_fetch_add(&((struct kept *)v)->refs, 1);
}

static void kept_drop(void *v)
{
    struct kept *k = v;

    if (k && atomic_fetch_sub(&k->refs, 1) == 1) {
        MHD_destroy_response(k->r); /* MHD keeps it while a connection sends it */
        rt_free(k);
    }
}

/* A store for search, opened and loaded; NULL with err. */
static struct rt_store *open_store(struct rt_error *err)
{
    struct rt_store *st = NULL;

    if (rt_store_open(&st, db_path, 0, err) < 0)
        return NULL;
    if (rt_store_keep_search(st, err) < 0) {
        rt_store_close(st);
        return NULL;
    }
    return st;
}

static struct rt_store *store_for_thread(struct rt_error *err)
{
    if (!thread_store) {
        pthread_mutex_lock(&stores_lock);
        if (n_ready > 0)
            thread_store = ready[--n_ready];
        pthread_mutex_unlock(&stores_lock);
        if (!thread_store && !(thread_store = open_store(err)))
            return NULL;
        pthread_mutex_lock(&stores_lock);
        if (n_workers < sizeof(workers) / sizeof(workers[0]))
            workers[n_workers++] = thread_store;
        pthread_mutex_unlock(&stores_lock);
    }
    return thread_store;
}

/*
 * An upload under way (rt_http_is_upload): the file goes to a temporary file as it
 * comes, the form's other (small) fields to memory.
 */
#define UPLOAD_FIELDS 16
#define UPLOAD_FIELD_MAX 4096
struct upload {
    int fd;         /* -1 when closed */
    char path[256]; /* the temporary file; "" when none was made */
    char name[256]; /* the client's name for the file; "" none */
    int has_file, too_big, failed;
    uint64_t bytes;
    struct MHD_PostProcessor *pp; /* multipart/form-data; NULL for a raw body */
    struct {
        struct rt_buf key, value;
    } fields[UPLOAD_FIELDS];
    size_t n_fields;
};

/* A request under way: the body so far and whether it grew too big. */
struct conn {
    struct rt_buf body;
    int too_big;
    struct upload *up; /* NULL unless the route takes an upload */
};

/* Writes len bytes of the uploaded file, making the temporary file first. */
static void upload_write(struct upload *up, const char *data, size_t len)
{
    if (up->too_big || up->failed || len == 0)
        return;
    if (up->fd < 0 && !up->path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(up->path, sizeof(up->path), "%s/rightstrack-upload-XXXXXX",
                 dir && *dir ? dir : "/tmp");
        if ((up->fd = mkstemp(up->path)) < 0) {
            up->path[0] = '\0';
            up->failed = 1;
            return;
        }
    }
    up->has_file = 1;
    if (up->bytes + len > RT_HTTP_MAX_UPLOAD) {
        up->too_big = 1;
        if (ftruncate(up->fd, 0) < 0)
            up->failed = 1;
        return;
    }
    up->bytes += len;
    while (len > 0) {
        ssize_t w = write(up->fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            up->failed = 1;
            return;
        }
        data += w;
        len -= (size_t)w;
    }
}

/* MHD's post processor: the part with a file name is the file; others are fields. */
static enum MHD_Result upload_part(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *filename, const char *content_type,
                                   const char *transfer_encoding, const char *data, uint64_t off,
                                   size_t size)
{
    struct upload *up = cls;
    (void)kind, (void)content_type, (void)transfer_encoding;
    if (filename) {
        if (!up->name[0])
            snprintf(up->name, sizeof(up->name), "%s", filename);
        else if (strcmp(up->name, filename))
            return MHD_YES; /* one file per upload: later ones are not read */
        upload_write(up, data, size);
        return MHD_YES;
    }
    if (off == 0) {
        if (up->n_fields == UPLOAD_FIELDS)
            return MHD_YES;
        rt_buf_init(&up->fields[up->n_fields].key, UPLOAD_FIELD_MAX);
        rt_buf_init(&up->fields[up->n_fields].value, UPLOAD_FIELD_MAX);
        rt_buf_adds(&up->fields[up->n_fields].key, key);
        up->n_fields++;
    }
    if (up->n_fields > 0 && rt_buf_add(&up->fields[up->n_fields - 1].value, data, size) < 0)
        up->too_big = 1;
    return MHD_YES;
}

static void upload_free(struct upload *up)
{
    if (!up)
        return;
    if (up->pp)
        MHD_destroy_post_processor(up->pp);
    if (up->fd >= 0)
        close(up->fd);
    if (up->path[0])
        unlink(up->path); /* an import job renamed it when it took it */
    for (size_t i = 0; i < up->n_fields; i++) {
        rt_buf_release(&up->fields[i].key);
        rt_buf_release(&up->fields[i].value);
    }
    rt_free(up);
}

/* The upload's file and fields into req, once the body has all come. */
static void upload_finish(struct upload *up, struct rt_http_req *req)
{
    if (up->pp) {
        MHD_destroy_post_processor(up->pp);
        up->pp = NULL;
    }
    if (up->fd >= 0) {
        close(up->fd);
        up->fd = -1;
    }
    for (size_t i = 0; i < up->n_fields && req->n_args < sizeof(req->args) / sizeof(req->args[0]);
         i++) {
        req->args[req->n_args].key = up->fields[i].key.buf;
        req->args[req->n_args].value = up->fields[i].value.buf;
        req->n_args++;
    }
    req->upload_path = up->has_file && !up->failed && !up->too_big ? up->path : NULL;
    req->upload_name = up->name[0] ? up->name : NULL;
    req->upload_bytes = up->bytes;
    req->upload_too_big = up->too_big;
}

/*
 * What the server learns of a request from its raw URI, before MHD decodes it (a
 * "%00" would cut the decoded path short): kept per connection, for the request
 * being read on it.
 */
struct raw_uri {
    size_t path_len; /* bytes before '?' */
    size_t n_args;   /* query arguments */
    size_t len;      /* the whole URI */
    int has_nul;     /* "%00" anywhere */
};

/* URIs longer than this get 414; their query is not read. */
#define MAX_URI 8192u

/*
 * Graceful shutdown: requests the handler has started and not yet seen completed.
 * On SIGTERM the server stops accepting connections and waits for this to reach 0
 * (at most DRAIN_SECONDS) before it stops.
 */
#define DRAIN_SECONDS 10
static pthread_mutex_t flight_lock = PTHREAD_MUTEX_INITIALIZER;
static long in_flight;
static volatile int draining;

/* The Host names this server answers to (see host_ok), set once before it serves. */
static struct rt_buf hosts = RT_BUF_INIT; /* "\n"-separated, lower case */
static unsigned served_port;

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
    if (resp->status == 405)
        MHD_add_response_header(r, "Allow", resp->allow ? resp->allow : "GET, HEAD");
    if (draining)
        MHD_add_response_header(r, "Connection", "close");
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
    char num[24];

    rt_buf_adds(key, req->path);
    for (size_t i = 0; i < req->n_args; i++) { /* "\n3:sur7:Belarus", without printf */
        size_t kn = strlen(req->args[i].key), vn = strlen(req->args[i].value);
        rt_buf_add(key, num, (size_t)snprintf(num, sizeof(num), "\n%zu:", kn));
        rt_buf_add(key, req->args[i].key, kn);
        rt_buf_add(key, num, (size_t)snprintf(num, sizeof(num), "%zu:", vn));
        rt_buf_add(key, req->args[i].value, vn);
    }
    if (req->accept) { /* the API answers by it */
        rt_buf_adds(key, "\naccept:");
        rt_buf_adds(key, req->accept);
    }
    rt_http_auth_cache_key(req, key); /* who may see another answer */
}

/*
 * A GET or HEAD: one snapshot of the database. An answer of 200 is kept in the
 * cache and given again, by any thread, while the data stays at the same generation,
 * unless the client asks for a fresh one (Cache-Control: no-cache); it carries an
 * ETag, and a request whose If-None-Match names it gets 304 and no body.
 */
static enum MHD_Result answer_read(struct MHD_Connection *c, struct rt_store *st,
                                   struct rt_http_req *req, struct rt_http_who *who,
                                   struct rt_http_resp *resp)
{
    const char *cc = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cache-Control");
    const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
    struct rt_error err = RT_ERROR_INIT;
    struct rt_buf key = RT_BUF_INIT;
    struct kept *k = NULL;
    char etag[RT_HTTP_ETAG_SIZE];
    uint64_t version = 0, gen = atomic_load(&generation); /* before the snapshot */
    int use_cache = 0, rc;
    enum MHD_Result ok;

    /* Who asks is read in the same snapshot as the answer: one read transaction a
     * request, with accounts or without (a session's note of its last use, once a
     * minute, is committed with it). */
    rc = rt_store_read_begin(st, &err);
    rt_http_auth_request(st, req, who, resp);
    if (rc == 0 && (rc = rt_store_version(st, &version, &err)) == 0) {
        if (thread_seen && version == thread_version) {
            use_cache = 1;
        } else { /* the data changed (or this thread is new): a new generation */
            thread_version = version;
            thread_seen = 1;
            atomic_fetch_add(&generation, 1);
        }
        cache_key(req, &key);
        if (use_cache && !(cc && strstr(cc, "no-cache")))
            k = rt_http_cache_get(cache, key.buf, key.len, gen, etag);
        if (!k)
            rt_http_route(st, req, resp);
    }
    rt_store_read_end(st);
    if (rc < 0 && !strncmp(req->path, "/api/", 5))
        rt_http_fail(resp, &err);
    else if (rc < 0) /* a page: the database stopped, say (503) */
        page_fail(resp, &err);
    rt_error_release(&err);
    if (!k && (resp->status != 200 || resp->export || resp->cookies[0][0] || resp->no_cache)) {
        /* downloads are not kept, and a cookie is for one browser */
        rt_buf_release(&key);
        return send_response(c, resp);
    }
    if (!k) {
        size_t bytes = resp->body.len;
        rt_http_etag(resp->body.buf, resp->body.len, etag);
        k = rt_xmalloc(sizeof(*k));
        atomic_init(&k->refs, 1);
        k->r = make_response(resp, etag);
        if (use_cache)
            rt_http_cache_put(cache, key.buf, key.len, gen, k, bytes, etag);
    }
    rt_buf_release(&key);
    if (inm && etag_matches(inm, etag)) {
        struct MHD_Response *same =
            MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(same, "ETag", etag);
        MHD_add_response_header(same, "Cache-Control", "no-cache");
        ok = MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, same);
        MHD_destroy_response(same);
    } else {
        ok = MHD_queue_response(c, MHD_HTTP_OK, k->r);
    }
    kept_drop(k); /* the cache may still hold it */
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

/*
 * Is host (the Host header) one this server answers to: a name of hosts, with the
 * port served (or with no port when that is 80)? A page of another site that a DNS
 * trick points at this machine sends its own name, and is refused (DNS rebinding).
 * A request without Host (HTTP/1.0) is not from a browser and passes.
 */
static int host_ok(const char *host)
{
    const char *colon, *name_end, *p;
    char port[8] = "";
    size_t n;

    if (!host)
        return 1;
    if (host[0] == '[') {
        if (!(name_end = strchr(host, ']')))
            return 0;
        name_end++;
    } else {
        name_end = host + strcspn(host, ":");
    }
    colon = *name_end == ':' ? name_end : NULL;
    if (*name_end && !colon)
        return 0;
    if (colon) {
        if (strcmp(colon + 1, (snprintf(port, sizeof(port), "%u", served_port), port)))
            return 0;
    } else if (served_port != 80) {
        return 0;
    }
    n = (size_t)(name_end - host);
    for (p = hosts.buf; *p;) {
        size_t len = strcspn(p, "\n");
        if (len == n && !strncasecmp(p, host, n))
            return 1;
        p += len + (p[len] == '\n');
    }
    return 0;
}

static void add_host(const char *name)
{
    size_t start = hosts.len;
    rt_buf_addf(&hosts, "%s\n", name);
    for (size_t i = start; i < hosts.len; i++)
        hosts.buf[i] = (char)tolower((unsigned char)hosts.buf[i]);
}

/* MHD_OPTION_NOTIFY_CONNECTION: a raw_uri for each connection, while it is open. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)cls, (void)c;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        *socket_ctx = rt_xcalloc(1, sizeof(struct raw_uri));
    } else if (*socket_ctx) {
        rt_free(*socket_ctx);
        *socket_ctx = NULL;
    }
}

/* MHD_OPTION_URI_LOG_CALLBACK: the raw URI of each request, before it is decoded. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct raw_uri *raw = ci ? ci->socket_context : NULL;
    const char *q = strchr(uri, '?');

    (void)cls;
    if (raw) {
        raw->len = strlen(uri);
        raw->path_len = q ? (size_t)(q - uri) : raw->len;
        raw->n_args = 0;
        for (const char *p = q; p && *p; p++)
            raw->n_args += *p == '&' || *p == '?';
        raw->has_nul = strstr(uri, "%00") != NULL;
        /*
         * MHD (0.9.75) keeps each query argument in the connection's memory, and
         * when that runs out it neither answers nor closes: the client waited 30 s.
         * A query that will be refused is cut here, in MHD's own buffer, before MHD
         * reads it (it reads the arguments after this call), and the handler answers
         * 431 or 414 at once.
         */
        if (q && (raw->n_args > RT_HTTP_MAX_QUERY_ARGS || raw->len > MAX_URI))
            ((char *)(uintptr_t)q)[1] = '\0';
    }
    return NULL;
}

static const struct raw_uri *raw_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/*
 * The checks every request passes before it is routed; 0 when it passes, else resp
 * holds the refusal.
 */
static int request_refused(struct MHD_Connection *c, const struct rt_http_req *req,
                           const struct conn *conn, struct rt_http_resp *resp)
{
    const struct raw_uri *raw = raw_of(c);
    struct rt_error err = RT_ERROR_INIT;
    int refused = 1;

    if (!host_ok(req->host)) {
        rt_http_error(resp, 421, "wrong_host", "Host",
                      "this server does not answer to the name '%s': open it by the address it "
                      "listens on, or start it with --allow-host NAME",
                      req->host);
    } else if (raw && raw->n_args > RT_HTTP_MAX_QUERY_ARGS) {
        rt_http_error(resp, 431, "too_many_arguments", NULL,
                      "the query has %zu arguments; the server takes at most %u", raw->n_args,
                      RT_HTTP_MAX_QUERY_ARGS);
    } else if ((raw && (raw->path_len > RT_HTTP_MAX_PATH || raw->len > MAX_URI)) ||
               strlen(req->path) > RT_HTTP_MAX_PATH) {
        rt_http_error(resp, 414, "uri_too_long", NULL,
                      "the path is over %u bytes, or the whole address over %u", RT_HTTP_MAX_PATH,
                      MAX_URI);
    } else if (raw && raw->has_nul) {
        rt_http_error(resp, 400, "bad_path", NULL, "the request holds a NUL byte (%%00)");
    } else if (conn->too_big) {
        rt_http_error(resp, 413, "too_big", NULL, "the request body is over %u bytes",
                      RT_HTTP_MAX_BODY);
    } else if (strstr(req->path, "..")) {
        rt_http_error(resp, 400, "bad_path", NULL, "paths may not contain '..'");
    } else if (rt_text_check("path", req->path, strlen(req->path), &err) < 0) {
        rt_http_error(resp, 400, "bad_path", "path", "%s", err.msg.buf);
    } else {
        refused = 0;
        /* The text rule for the query's arguments, before anything reads them. */
        for (size_t i = 0; i < req->n_args && !refused; i++) {
            if (rt_text_check("argument", req->args[i].key, strlen(req->args[i].key), &err) < 0 ||
                rt_text_check(req->args[i].key, req->args[i].value, strlen(req->args[i].value),
                              &err) < 0) {
                rt_http_error(resp, 422, "invalid", err.field, "%s", err.msg.buf);
                refused = 1;
            }
        }
    }
    rt_error_release(&err);
    return refused;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    struct conn *conn = *con_cls;
    struct rt_http_req req;
    struct rt_http_resp resp = {
        .status = 200, .content_type = "application/json", .body = RT_BUF_INIT};
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
        if (rt_http_is_upload(method, url)) {
            const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
            conn->up = rt_xcalloc(1, sizeof(*conn->up));
            conn->up->fd = -1;
            /* A page's form may come without a file; the API's body is the file. */
            if (rt_http_media_is(ct, "multipart/form-data") ||
                (strncmp(url, "/api/", 5) &&
                 rt_http_media_is(ct, "application/x-www-form-urlencoded")))
                conn->up->pp = MHD_create_post_processor(c, 64 * 1024, upload_part, conn->up);
        }
        pthread_mutex_lock(&flight_lock);
        in_flight++;
        pthread_mutex_unlock(&flight_lock);
        return MHD_YES;
    }
    if (*upload_size && conn->up) { /* a file, streamed to disk */
        if (conn->up->pp) {
            if (MHD_post_process(conn->up->pp, upload, *upload_size) != MHD_YES)
                conn->up->failed = 1;
        } else {
            upload_write(conn->up, upload, *upload_size);
        }
        *upload_size = 0;
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
    if (conn->up)
        upload_finish(conn->up, &req);
    if (request_refused(c, &req, conn, &resp)) {
        /* resp says why */
    } else if (!(st = store_for_thread(&err))) {
        if (!strncmp(url, "/api/", 5))
            rt_http_fail(&resp, &err);
        else
            page_fail(&resp, &err);
    } else if (!strcmp(method, "GET") || !strcmp(method, "HEAD")) {
        ok = answer_read(c, st, &req, &who, &resp);
        rt_buf_release(&resp.body);
        return ok;
    } else {
        char actor[96], via[160];
        rt_http_auth_request(st, &req, &who, &resp);
        if (who.down) { /* nothing is written: 503, said as a page or to a program */
            rt_error_set(&err, RT_EUNAVAIL, NULL, 0, NULL,
                         "the PostgreSQL server cannot be reached: nothing was written");
            if (!strncmp(url, "/api/", 5))
                rt_http_fail(&resp, &err);
            else
                page_fail(&resp, &err);
            ok = send_response(c, &resp);
            rt_buf_release(&resp.body);
            rt_error_release(&err);
            return ok;
        }
        /* Writes make their own transactions; the audit log says who made them: the
         * account of the request, or web:anonymous on a database without accounts. */
        snprintf(actor, sizeof(actor), "web:%s", who.p.name[0] ? who.p.name : "anonymous");
        snprintf(via, sizeof(via), "%s %.*s", method, 120, url);
        rt_store_set_actor(st, actor, via);
        if (rt_http_media_is(req.content_type, "application/x-www-form-urlencoded"))
            parse_form(&req, conn->body.buf);
        rt_http_route(st, &req, &resp);
        atomic_fetch_add(&generation, 1); /* what it wrote is read afresh by every thread */
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
        upload_free(conn->up);
        rt_buf_release(&conn->body);
        rt_free(conn);
        *con_cls = NULL;
        pthread_mutex_lock(&flight_lock);
        in_flight--;
        pthread_mutex_unlock(&flight_lock);
    }
}

/*
 * After SIGTERM: stops accepting connections, then waits until every request the
 * handler has started is answered (at most DRAIN_SECONDS), so that none is cut off
 * and a write is never saved without its answer.
 */
static void drain(struct MHD_Daemon *d)
{
    MHD_socket listen_fd;
    long left;

    draining = 1;
    listen_fd = MHD_quiesce_daemon(d);
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
    for (int waited = 0; waited < DRAIN_SECONDS * 20; waited++) {
        pthread_mutex_lock(&flight_lock);
        left = in_flight;
        pthread_mutex_unlock(&flight_lock);
        if (left <= 0)
            break;
        usleep(50 * 1000);
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
    served_port = o->port;
    db_path = o->db_path;
    rt_http_imports_setup(o->db_path);
    if ((rc = rt_http_csrf_init(err)) < 0)
        return rc;
    cache = rt_http_cache_new(CACHE_BYTES, kept_hold, kept_drop);
    /* A store for each worker thread, loaded before the first request; one that
     * fails here is opened again by its thread, which then says why. */
    for (unsigned i = 0;
         i < (o->threads ? o->threads : 2u) && n_ready < sizeof(ready) / sizeof(ready[0]); i++) {
        struct rt_error open_err = RT_ERROR_INIT;
        struct rt_store *st = open_store(&open_err);
        rt_error_release(&open_err);
        if (!st)
            break;
        ready[n_ready++] = st;
    }

    /* Signals are taken by sigwait below, not by the worker threads. */
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    /* The key and certificate only with TLS: MHD warns of HTTPS options without it. */
    struct MHD_OptionItem tls[] = {{MHD_OPTION_HTTPS_MEM_KEY, 0, key},
                                   {MHD_OPTION_HTTPS_MEM_CERT, 0, cert},
                                   {MHD_OPTION_END, 0, NULL}};
    d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | (tls_on ? MHD_USE_TLS : 0),
        0, NULL, NULL, handle, NULL, MHD_OPTION_ARRAY, tls_on ? tls : tls + 2, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, o->threads ? o->threads : 2u,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        NULL, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        256u, MHD_OPTION_END);
    if (!d) {
        int why = errno;
        rt_free(cert);
        rt_free(key);
        rt_http_cache_free(cache);
        cache = NULL;
        for (size_t i = 0; i < n_ready; i++)
            rt_store_close(ready[i]);
        n_ready = 0;
        return rt_error_set(err, RT_EIO, NULL, 0, "port", "cannot listen on %s:%u: %s", host,
                            o->port,
                            tls_on ? "or the TLS key and certificate do not fit" : strerror(why));
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    served_port = info ? (unsigned)info->port : o->port;
    /* The names it answers to: its address, and for loopback the usual names of it. */
    rt_buf_reset(&hosts);
    add_host(host);
    if ((ntohl(addr.sin_addr.s_addr) >> 24) == 127) {
        add_host("localhost");
        add_host("127.0.0.1");
        add_host("[::1]");
    }
    for (size_t i = 0; i < o->n_allow_hosts; i++)
        add_host(o->allow_hosts[i]);
    printf("listening on http%s://%s:%u\n", tls_on ? "s" : "", host, served_port);
    fflush(stdout);
    sigwait(&set, &sig);
    drain(d);
    MHD_stop_daemon(d);
    for (size_t i = 0; i < n_workers; i++)
        rt_store_close(workers[i]);
    n_workers = 0;
    for (size_t i = 0; i < n_ready; i++)
        rt_store_close(ready[i]);
    n_ready = 0;
    rt_http_cache_free(cache);
    cache = NULL;
    rt_free(cert);
    rt_free(key);
    draining = 0;
    rt_buf_release(&hosts);
    return 0;
}
