/*
 * The web face: a JSON API under /api/v1/ and server-rendered pages, over
 * libmicrohttpd. Every page and endpoint calls the same library functions as the CLI.
 */
#ifndef RIGHTSTRACK_HTTP_H
#define RIGHTSTRACK_HTTP_H

#include <rightstrack/rt.h>

struct rt_http_opts {
    const char *db_path;
    const char *host; /* "127.0.0.1" by default */
    unsigned port;    /* 0: any free port */
    unsigned threads; /* worker threads; 0: 2 */
    int allow_remote; /* a host other than loopback, without accounts (--unsafe-no-auth) */
    int public_read;  /* with accounts, anyone may read without a login (--public) */
    const char *tls_cert, *tls_key; /* PEM files: serve https (--tls-cert, --tls-key) */
    const char *trusted_proxy;      /* X-Forwarded-For/-Proto believed from this address */
    /* Names besides its address (and for loopback localhost, 127.0.0.1, [::1]) that
     * requests may give as Host (--allow-host); others get 421. */
    const char *const *allow_hosts;
    size_t n_allow_hosts;
};

/*
 * Serves until SIGINT or SIGTERM, then finishes the requests in flight and returns
 * 0. Prints "listening on http://HOST:PORT" on standard output once it accepts
 * connections. RT_EINVAL for a non-loopback host while the database has no account
 * and allow_remote is not set, or a TLS certificate without its key; RT_EIO when
 * the port cannot be bound, RT_ESTORE when the database cannot be opened.
 */
RT_API int rt_http_serve(const struct rt_http_opts *o, struct rt_error *err);

#endif
