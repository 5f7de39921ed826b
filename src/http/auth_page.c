/*
 * Accounts on the web face: who sends each request, the login page and the session
 * API, the admins' users page, the role each route needs, and the form tokens
 * against cross-site request forgery.
 *
 * A browser gets two cookies, both HttpOnly, SameSite=Strict, Path=/ (and Secure
 * over https): rt_session, the token of a login, and rt_csrf, a random value of its
 * own before it logs in (and on a database without accounts). The hidden "csrf"
 * field of every form is a keyed BLAKE2b of the one or the other, with the key of
 * this run of the server: a form is accepted only from the browser it was given to.
 *
 * Failed logins are counted in memory, per account and per address: from the fifth
 * failure in a row the account (from the twentieth, the address) must wait, 30 s
 * then twice as long after each further failure, up to 15 minutes. A restart forgets
 * the counts (and ends every session: their hashes are keyed by the run).
 */
#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "html.h"
#include "http_int.h"

#define SESSION_COOKIE "rt_session"
#define FORM_COOKIE "rt_csrf"

static struct rt_auth_realm realm;
static int realm_made, public_read;
static char trusted_proxy[64];
/* The request this thread answers, while its browser may still need a form cookie. */
static _Thread_local struct rt_http_who *lazy_who;
static _Thread_local struct rt_http_resp *lazy_resp;

static void set_cookie(struct rt_http_resp *resp, const struct rt_http_who *who, const char *name,
                       const char *value);

int rt_http_csrf_init(struct rt_error *err)
{
    int rc = rt_auth_init(err);

    if (rc == 0 && !realm_made) {
        rt_auth_realm_new(&realm);
        realm_made = 1;
    }
    return rc;
}

void rt_http_auth_setup(const struct rt_http_opts *o)
{
    public_read = o->public_read;
    snprintf(trusted_proxy, sizeof(trusted_proxy), "%s", o->trusted_proxy ? o->trusted_proxy : "");
}

const char *rt_http_csrf_token(void)
{
    static char per_run[RT_AUTH_TOKEN_SIZE];
    const struct rt_http_who *who = rt_http_who_now();
    char value[RT_AUTH_TOKEN_SIZE];

    if (who && !who->csrf[0] && who == lazy_who) { /* the browser's first form */
        rt_auth_random(value);
        set_cookie(lazy_resp, who, FORM_COOKIE, value);
        rt_auth_derive(&realm, "form", value, lazy_who->csrf);
    }
    if (who)
        return who->csrf;
    if (!per_run[0]) /* no request known (the fuzz target): one token for the run */
        rt_auth_derive(&realm, "run", "", per_run);
    return per_run;
}

void rt_http_csrf_field(struct rt_buf *b)
{
    RT_HTML_LIT(b, "<input type=\"hidden\" name=\"" RT_HTTP_CSRF_FIELD "\" value=\"");
    rt_html_text(b, rt_http_csrf_token());
    RT_HTML_LIT(b, "\">");
}

int rt_http_csrf_ok(const struct rt_http_req *req)
{
    const char *t = rt_http_arg(req, RT_HTTP_CSRF_FIELD);
    const struct rt_http_who *who = req->who;
    const char *want = who ? who->csrf : rt_http_csrf_token();

    return t && want[0] && rt_auth_equal(t, want);
}

/* The value of cookie name in a Cookie header, into out; 0 when found. */
static int cookie_value(const char *header, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);

    for (const char *p = header; p && *p;) {
        while (*p == ' ' || *p == ';')
            p++;
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > n && !strncmp(p, name, n) && p[n] == '=' && len - n - 1 < size) {
            memcpy(out, p + n + 1, len - n - 1);
            out[len - n - 1] = '\0';
            return 0;
        }
        p = end;
    }
    return -1;
}

/* Adds a Set-Cookie to resp: value "" deletes the cookie. */
static void set_cookie(struct rt_http_resp *resp, const struct rt_http_who *who, const char *name,
                       const char *value)
{
    char *slot = resp->cookies[0][0] && strncmp(resp->cookies[0], name, strlen(name))
                     ? resp->cookies[1]
                     : resp->cookies[0];

    snprintf(slot, sizeof(resp->cookies[0]), "%s=%s; HttpOnly; SameSite=Strict; Path=/%s%s", name,
             value, *value ? "" : "; Max-Age=0", who->secure ? "; Secure" : "");
}

/* The last address of an X-Forwarded-For list: the one the trusted proxy saw. */
static void last_forwarded(const char *list, char *out, size_t size)
{
    const char *p = strrchr(list, ',');

    p = p ? p + 1 : list;
    while (*p == ' ')
        p++;
    snprintf(out, size, "%.*s", (int)strcspn(p, " "), p);
}

void rt_http_auth_request(struct rt_store *st, struct rt_http_req *req, struct rt_http_who *who,
                          struct rt_http_resp *resp)
{
    struct rt_error err = RT_ERROR_INIT;
    char value[RT_AUTH_TOKEN_SIZE + 8];
    int proxied = trusted_proxy[0] && !strcmp(req->peer, trusted_proxy);

    memset(who, 0, sizeof(*who));
    req->who = who;
    snprintf(who->addr, sizeof(who->addr), "%s", req->peer);
    who->secure = req->tls;
    if (proxied && req->forwarded_for)
        last_forwarded(req->forwarded_for, who->addr, sizeof(who->addr));
    if (proxied && req->forwarded_proto && !strcmp(req->forwarded_proto, "https"))
        who->secure = 1;
    if (rt_auth_has_accounts(st, &who->accounts, &err) < 0) {
        who->accounts = 1; /* when in doubt, ask for a login */
        who->down = rt_http_store_status(&err) == 503;
    }
    rt_error_release(&err);
    if (who->accounts && req->authorization) {
        const char *a = req->authorization;
        if (strncmp(a, "Bearer ", 7) || rt_auth_token_check(st, a + 7, &who->p, &err) < 0) {
            memset(&who->p, 0, sizeof(who->p));
            who->bad_bearer = 1;
        }
        who->bearer = 1;
        rt_error_release(&err);
    } else if (who->accounts &&
               cookie_value(req->cookie, SESSION_COOKIE, value, sizeof(value)) == 0 &&
               rt_auth_session_check(st, &realm, value, time(NULL), &who->p, &err) == 0) {
        memcpy(who->session, value, sizeof(who->session)); /* checked: 64 hex digits */
        rt_auth_derive(&realm, "session", value, who->csrf);
    }
    rt_error_release(&err);
    if (who->csrf[0])
        return;
    /* No session: the browser's own random cookie carries the form token. A browser
     * without one gets one with the first page that has a form (rt_http_csrf_token),
     * so that pages without forms stay in the response cache for everyone. */
    lazy_who = who;
    lazy_resp = resp;
    if (cookie_value(req->cookie, FORM_COOKIE, value, sizeof(value)) == 0 &&
        strlen(value) == RT_AUTH_TOKEN_SIZE - 1 &&
        strspn(value, "0123456789abcdef") == strlen(value))
        rt_auth_derive(&realm, "form", value, who->csrf);
}

void rt_http_auth_routes(json_t *list)
{
    static const char *const methods[] = {"GET", "POST", "DELETE"};

    for (size_t i = 0; i < 3; i++)
        json_array_append_new(
            list, json_pack("{s:s, s:s}", "method", methods[i], "path", "/api/v1/session"));
}

void rt_http_auth_cache_key(const struct rt_http_req *req, struct rt_buf *key)
{
    const struct rt_http_who *who = req->who;

    if (!who)
        return;
    /* The API's answers differ by role at most; a page shows the user and carries the
     * form token of the session (or browser), so it is kept for that one alone. */
    rt_buf_addf(key, "\nwho:%d:%d", (int)who->p.role, rt_http_sees_private(who));
    if (strncmp(req->path, "/api/", 5) || !strcmp(req->path, "/api/v1/session"))
        rt_buf_addf(key, ":%s", who->csrf);
}

/* ---- failed logins, in memory ---- */

#define SLOTS 512
static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;
static struct attempt {
    char key[96]; /* "u:NAME" or "a:ADDRESS"; "" free */
    unsigned fails;
    time_t until, last;
} attempts[SLOTS];

static struct attempt *attempt_of(const char *key, int make)
{
    struct attempt *old = &attempts[0];

    for (size_t i = 0; i < SLOTS; i++) {
        if (!strcmp(attempts[i].key, key))
            return &attempts[i];
        if (attempts[i].last < old->last)
            old = &attempts[i];
    }
    if (!make)
        return NULL;
    memset(old, 0, sizeof(*old)); /* the longest quiet one goes */
    snprintf(old->key, sizeof(old->key), "%s", key);
    return old;
}

/* Seconds the login of name from addr must wait; 0 when it may go ahead. */
static long must_wait(const char *name, const char *addr, time_t now)
{
    char key[96];
    long wait = 0;

    pthread_mutex_lock(&throttle_lock);
    for (int k = 0; k < 2; k++) {
        snprintf(key, sizeof(key), k ? "a:%s" : "u:%s", k ? addr : name);
        struct attempt *a = attempt_of(key, 0);
        if (a && a->until > now && a->until - now > wait)
            wait = (long)(a->until - now);
    }
    pthread_mutex_unlock(&throttle_lock);
    return wait;
}

static void note_login(const char *name, const char *addr, time_t now, int ok)
{
    char key[96];

    pthread_mutex_lock(&throttle_lock);
    for (int k = 0; k < 2; k++) {
        unsigned free_tries = k ? 20 : 5;
        snprintf(key, sizeof(key), k ? "a:%s" : "u:%s", k ? addr : name);
        struct attempt *a = attempt_of(key, !ok);
        if (!a)
            continue;
        if (ok) {
            if (!k) /* the account's count starts again; the address's stays */
                memset(a, 0, sizeof(*a));
            continue;
        }
        a->fails++;
        a->last = now;
        if (a->fails >= free_tries) {
            unsigned over = a->fails - free_tries;
            long delay = over >= 5 ? 900 : 30L << over;
            a->until = now + (delay > 900 ? 900 : delay);
        }
    }
    pthread_mutex_unlock(&throttle_lock);
}

/* ---- pages ---- */

static void redirect(struct rt_http_resp *resp, const char *to)
{
    resp->status = 303;
    resp->content_type = "text/html; charset=utf-8";
    rt_buf_reset(&resp->body);
    snprintf(resp->location, sizeof(resp->location), "%s", to);
}

/* Is next a path of this site ("/x", not "//host" nor "/\host")? */
static int local_path(const char *next)
{
    return next && next[0] == '/' && next[1] != '/' && next[1] != '\\' && strlen(next) < 200 &&
           !strpbrk(next, "\r\n");
}

static void login_page(struct rt_http_resp *resp, const struct rt_http_req *req, int status,
                       const char *alert)
{
    const struct rt_http_who *who = req->who;
    const char *next = rt_http_arg(req, "next");
    struct rt_buf *b = &resp->body;

    resp->status = status;
    resp->content_type = "text/html; charset=utf-8";
    rt_buf_reset(b);
    html_begin(b, "Log in");
    RT_HTML_LIT(b, "<h1>Log in</h1>");
    if (!who->accounts) {
        RT_HTML_LIT(b, "<p>This database has no accounts: everyone on this machine may read and "
                       "write without logging in. To make the first account, an admin, run "
                       "<code>rightstrack user add NAME --role admin</code>.</p>");
        html_end(b);
        return;
    }
    if (alert) {
        RT_HTML_LIT(b, "<p role=\"alert\" class=\"neg\"><strong>");
        rt_html_text(b, alert);
        RT_HTML_LIT(b, "</strong></p>");
    }
    if (who->p.id) {
        RT_HTML_LIT(b, "<p>You are logged in as ");
        rt_html_text(b, who->p.name);
        RT_HTML_LIT(b, ". Logging in again starts a new session.</p>");
    }
    RT_HTML_LIT(b, "<form method=\"post\" action=\"/login\">");
    rt_http_csrf_field(b);
    if (local_path(next)) {
        RT_HTML_LIT(b, "<input type=\"hidden\" name=\"next\" value=\"");
        rt_html_text(b, next);
        RT_HTML_LIT(b, "\">");
    }
    RT_HTML_LIT(b, "<p><label for=\"f-user\">User name</label><input id=\"f-user\" name=\"user\" "
                   "autocomplete=\"username\" required autofocus value=\"");
    rt_html_text(b, rt_http_arg(req, "user"));
    RT_HTML_LIT(b, "\"></p><p><label for=\"f-password\">Password</label><input id=\"f-password\" "
                   "name=\"password\" type=\"password\" autocomplete=\"current-password\" "
                   "required></p><p><button type=\"submit\">Log in</button></p></form>");
    html_end(b);
}

static void end_session(struct rt_store *st, const struct rt_http_req *req,
                        struct rt_http_resp *resp)
{
    struct rt_http_who *who = req->who;
    struct rt_error err = RT_ERROR_INIT;

    if (who->session[0])
        rt_auth_logout(st, &realm, who->session, &err);
    rt_error_release(&err);
    memset(&who->p, 0, sizeof(who->p));
    who->session[0] = '\0';
    set_cookie(resp, who, SESSION_COOKIE, "");
}

/* Logs in name with password for req; on success sets the cookie and fills who. 0, or
 * the status of the refusal with its message in msg. */
static int do_login(struct rt_store *st, const struct rt_http_req *req, const char *name,
                    const char *password, struct rt_http_resp *resp, char *msg, size_t size)
{
    struct rt_http_who *who = req->who;
    struct rt_error err = RT_ERROR_INIT;
    char token[RT_AUTH_TOKEN_SIZE];
    time_t now = time(NULL);
    long wait;
    int rc;

    if (!who->accounts) {
        snprintf(msg, size, "this database has no accounts: nobody needs to log in");
        return 409;
    }
    if (!name || !password || !*name) {
        snprintf(msg, size, "give a user name and a password");
        return 422;
    }
    if (who->session[0]) /* a login ends the session it replaces */
        end_session(st, req, resp);
    if ((wait = must_wait(name, who->addr, now)) > 0) {
        snprintf(msg, size,
                 "too many failed logins: wait %ld seconds before you try again (an admin can "
                 "set a new password with 'rightstrack user passwd')",
                 wait);
        return 429;
    }
    rc = rt_auth_login(st, &realm, name, password, now, token, &who->p, &err);
    if (rc == RT_EINVAL)
        note_login(name, who->addr, now, 0);
    else if (rc == 0)
        note_login(name, who->addr, now, 1);
    snprintf(msg, size, "%s", err.msg.len ? err.msg.buf : "");
    rt_error_release(&err);
    if (rc < 0)
        return rc == RT_EINVAL ? 401 : 500;
    snprintf(who->session, sizeof(who->session), "%s", token);
    rt_auth_derive(&realm, "session", token, who->csrf);
    set_cookie(resp, who, SESSION_COOKIE, token);
    memset(token, 0, sizeof(token));
    return 0;
}

static void refuse_form(struct rt_http_resp *resp)
{
    rt_http_page_refused(resp, "This form is out of date",
                         "The form did not carry the token of your session: it was sent from "
                         "another site, from a page opened before you logged in or out, or "
                         "before the server restarted. Reload the page and send the form again.");
}

/* POST /api/v1/session, DELETE /api/v1/session, GET /api/v1/session */
static void session_api(struct rt_store *st, const struct rt_http_req *req,
                        struct rt_http_resp *resp)
{
    const struct rt_http_who *who = req->who;
    char msg[256];
    json_t *body;
    int status;

    if (!strcmp(req->method, "DELETE")) {
        end_session(st, req, resp);
        rt_http_json(resp, 200, json_pack("{s:b}", "ended", 1));
        return;
    }
    if (!strcmp(req->method, "GET") || !strcmp(req->method, "HEAD")) {
        if (!who->accounts)
            rt_http_json(resp, 200, json_pack("{s:b, s:n, s:n}", "accounts", 0, "user", "role"));
        else if (!who->p.id)
            rt_http_error(resp, 401, "unauthenticated", NULL, "not logged in");
        else
            rt_http_json(resp, 200,
                         json_pack("{s:b, s:s, s:s, s:s}", "accounts", 1, "user", who->p.name,
                                   "role", rt_role_name(who->p.role), "csrf", who->csrf));
        return;
    }
    if (strcmp(req->method, "POST")) {
        rt_http_error(resp, 405, "method_not_allowed", NULL, "%s takes GET, POST and DELETE",
                      "/api/v1/session");
        return;
    }
    if (!req->content_type || strncmp(req->content_type, "application/json", 16)) {
        rt_http_error(resp, 415, "unsupported_media_type", NULL,
                      "send {\"user\": ..., \"password\": ...} as application/json");
        return;
    }
    body = json_loadb(req->body ? req->body : "", req->body_len, 0, NULL);
    status = do_login(st, req, json_string_value(json_object_get(body, "user")),
                      json_string_value(json_object_get(body, "password")), resp, msg, sizeof(msg));
    json_decref(body);
    if (status)
        rt_http_error(resp, status,
                      status == 401   ? "unauthenticated"
                      : status == 429 ? "too_many_attempts"
                      : status == 409 ? "no_accounts"
                                      : "invalid",
                      status == 422 ? "user" : NULL, "%s", msg);
    else
        rt_http_json(resp, 201,
                     json_pack("{s:b, s:s, s:s, s:s}", "accounts", 1, "user", who->p.name, "role",
                               rt_role_name(who->p.role), "csrf", who->csrf));
}

/* POST /login */
static void login_post(struct rt_store *st, const struct rt_http_req *req,
                       struct rt_http_resp *resp)
{
    const char *next = rt_http_arg(req, "next");
    char msg[256];
    int status;

    if (!rt_http_csrf_ok(req)) {
        refuse_form(resp);
        return;
    }
    status = do_login(st, req, rt_http_arg(req, "user"), rt_http_arg(req, "password"), resp, msg,
                      sizeof(msg));
    if (status) {
        login_page(resp, req, status == 401 ? 401 : status, msg);
        return;
    }
    redirect(resp, local_path(next) ? next : "/");
}

/* ---- the admins' users page ---- */

static void users_page(struct rt_store *st, struct rt_http_resp *resp, int status, const char *note,
                       const struct rt_error *failed)
{
    static const char *const roles[] = {"viewer", "editor", "admin"};
    struct rt_error err = RT_ERROR_INIT;
    struct rt_buf *b = &resp->body;
    json_t *users = NULL, *u;
    size_t i;

    resp->status = status;
    resp->content_type = "text/html; charset=utf-8";
    rt_buf_reset(b);
    html_begin(b, "Users");
    RT_HTML_LIT(b, "<h1>Users</h1>");
    if (failed && failed->code) {
        RT_HTML_LIT(b, "<p role=\"alert\" class=\"neg\"><strong>Not saved: ");
        rt_html_text(b, failed->msg.buf);
        RT_HTML_LIT(b, "</strong></p>");
    } else if (note) {
        RT_HTML_LIT(b, "<p role=\"status\" class=\"pos\">");
        rt_html_text(b, note);
        RT_HTML_LIT(b, "</p>");
    }
    if (rt_auth_user_list(st, &users, &err) < 0) {
        rt_html_text(b, err.msg.buf);
        rt_error_release(&err);
        html_end(b);
        return;
    }
    RT_HTML_LIT(b, "<table><thead><tr><th>Name</th><th>Role</th><th>Since</th><th>Sessions"
                   "</th><th>Tokens</th><th></th></tr></thead><tbody>");
    json_array_foreach(users, i, u)
    {
        const char *name = json_string_value(json_object_get(u, "name"));
        const char *role = json_string_value(json_object_get(u, "role"));
        int off = json_is_true(json_object_get(u, "disabled"));
        RT_HTML_LIT(b, "<tr><td>");
        rt_html_text(b, name);
        if (off)
            RT_HTML_LIT(b, " <span class=\"neg\">(disabled)</span>");
        RT_HTML_LIT(b, "</td><td><form method=\"post\" action=\"/users/role\">");
        rt_http_csrf_field(b);
        RT_HTML_LIT(b, "<input type=\"hidden\" name=\"user\" value=\"");
        rt_html_text(b, name);
        RT_HTML_LIT(b, "\"><select name=\"role\" aria-label=\"Role of ");
        rt_html_text(b, name);
        RT_HTML_LIT(b, "\">");
        for (size_t r = 0; r < 3; r++) {
            RT_HTML_LIT(b, "<option");
            if (!strcmp(roles[r], role))
                RT_HTML_LIT(b, " selected");
            RT_HTML_LIT(b, ">");
            rt_html_text(b, roles[r]);
            RT_HTML_LIT(b, "</option>");
        }
        RT_HTML_LIT(b, "</select> <button type=\"submit\">Change</button></form></td><td>");
        rt_html_text(b, json_string_value(json_object_get(u, "created_at")));
        rt_html_textf(b, "</td><td>%lld</td><td>%lld</td><td>",
                      (long long)json_integer_value(json_object_get(u, "sessions")),
                      (long long)json_integer_value(json_object_get(u, "tokens")));
        RT_HTML_LIT(b, "<form method=\"post\" action=\"/users/");
        rt_html_text(b, off ? "enable" : "disable");
        RT_HTML_LIT(b, "\">");
        rt_http_csrf_field(b);
        RT_HTML_LIT(b, "<input type=\"hidden\" name=\"user\" value=\"");
        rt_html_text(b, name);
        RT_HTML_LIT(b, "\"><button type=\"submit\">");
        rt_html_text(b, off ? "Enable" : "Disable");
        RT_HTML_LIT(b, "</button></form></td></tr>");
    }
    json_decref(users);
    RT_HTML_LIT(b, "</tbody></table><section><h2 id=\"add\">Add a user</h2>"
                   "<form method=\"post\" action=\"/users/add\">");
    rt_http_csrf_field(b);
    RT_HTML_LIT(b, "<p><label for=\"f-new-user\">User name</label><input id=\"f-new-user\" "
                   "name=\"user\" required autocomplete=\"off\"></p><p><label for=\"f-new-role\">"
                   "Role</label><select id=\"f-new-role\" name=\"role\"><option>viewer</option>"
                   "<option>editor</option><option>admin</option></select></p><p><label "
                   "for=\"f-new-password\">Password (10 characters or more)</label><input "
                   "id=\"f-new-password\" name=\"password\" type=\"password\" "
                   "autocomplete=\"new-password\" required minlength=\"10\"></p><p><button "
                   "type=\"submit\">Add</button></p></form></section><p class=\"muted\">API "
                   "tokens for scripts are made on the command line: <code>rightstrack user "
                   "token add NAME --read</code>.</p>");
    html_end(b);
}

static void users_post(struct rt_store *st, const struct rt_http_req *req, const char *what,
                       struct rt_http_resp *resp)
{
    const char *name = rt_http_arg(req, "user");
    struct rt_error err = RT_ERROR_INIT;
    enum rt_role role = RT_ROLE_NONE;
    char note[160];
    int rc;

    if (!name)
        name = "";
    if (!strcmp(what, "add")) {
        const char *pw = rt_http_arg(req, "password");
        rc = rt_role_parse(rt_http_arg(req, "role"), &role, &err);
        if (rc == 0)
            rc = rt_auth_user_add(st, name, role, pw ? pw : "", &err);
        snprintf(note, sizeof(note), "Added %s.", name);
    } else if (!strcmp(what, "role")) {
        rc = rt_role_parse(rt_http_arg(req, "role"), &role, &err);
        if (rc == 0 && !strcmp(name, req->who->p.name) && role != RT_ROLE_ADMIN)
            rc = rt_error_set(&err, RT_EINVAL, NULL, 0, "role",
                              "you cannot take the admin role from yourself; ask another admin");
        if (rc == 0)
            rc = rt_auth_user_role(st, name, role, &err);
        snprintf(note, sizeof(note), "%s is now %s.", name, rt_role_name(role));
    } else {
        int off = !strcmp(what, "disable");
        rc = off && !strcmp(name, req->who->p.name)
                 ? rt_error_set(&err, RT_EINVAL, NULL, 0, "user", "you cannot disable yourself")
                 : rt_auth_user_disable(st, name, off, &err);
        snprintf(note, sizeof(note), "%s %s.", off ? "Disabled" : "Enabled", name);
    }
    if (rc < 0) {
        users_page(st, resp,
                   err.code == RT_ENOTFOUND ? 404
                   : err.code == RT_EEXIST  ? 409
                                            : 422,
                   NULL, &err);
        rt_error_release(&err);
        return;
    }
    users_page(st, resp, 200, note, NULL);
}

/* ---- the gate ---- */

/* Not allowed: 401 or a redirect to /login for nobody, 403 for a role too low. */
static void refuse(const struct rt_http_req *req, struct rt_http_resp *resp, enum rt_role need)
{
    const struct rt_http_who *who = req->who;
    int api = !strncmp(req->path, "/api/", 5);
    char to[256];

    if (!who->p.id || who->bad_bearer) {
        if (api) {
            rt_http_error(resp, 401, "unauthenticated", NULL,
                          who->bad_bearer ? "the API token is not valid (unknown, revoked, or its "
                                            "account disabled)"
                                          : "log in first: POST /api/v1/session, or send "
                                            "Authorization: Bearer TOKEN");
            return;
        }
        if (strcmp(req->method, "GET") || !local_path(req->path))
            redirect(resp, "/login");
        else {
            struct rt_buf next = RT_BUF_INIT;
            rt_html_url_arg(&next, req->path);
            snprintf(to, sizeof(to), "/login?next=%s", next.buf ? next.buf : "/");
            rt_buf_release(&next);
            redirect(resp, to);
        }
        return;
    }
    if (api) {
        rt_http_error(resp, 403, "forbidden", NULL, "%s may not do this: it needs the %s role%s",
                      who->p.name, rt_role_name(need),
                      who->bearer && !who->p.can_write ? " and a token of write scope" : "");
        return;
    }
    rt_http_page_refused(resp, "Not allowed",
                         need == RT_ROLE_ADMIN ? "Only an admin may manage the users."
                         : need == RT_ROLE_EDITOR
                             ? "Your account may read but not change records: that needs the "
                               "editor role. Ask an admin."
                             : "Log in to read this.");
}

int rt_http_auth_route(struct rt_store *st, const struct rt_http_req *req,
                       struct rt_http_resp *resp)
{
    const struct rt_http_who *who = req->who;
    int writes = strcmp(req->method, "GET") && strcmp(req->method, "HEAD");
    int api = !strncmp(req->path, "/api/", 5);
    int users = !strcmp(req->path, "/users") || !strncmp(req->path, "/users/", 7);
    enum rt_role need;

    if (!who)
        return 0;
    if (!strcmp(req->path, "/login")) {
        if (writes)
            login_post(st, req, resp);
        else
            login_page(resp, req, 200, NULL);
        return 1;
    }
    if (!strcmp(req->path, "/logout")) {
        if (!writes)
            redirect(resp, "/login");
        else if (!rt_http_csrf_ok(req))
            refuse_form(resp);
        else {
            end_session(st, req, resp);
            redirect(resp, who->accounts ? "/login" : "/");
        }
        return 1;
    }
    if (!strcmp(req->path, "/api/v1/session")) {
        session_api(st, req, resp);
        return 1;
    }
    if (users && !who->accounts) {
        rt_http_page_refused(resp, "No accounts yet",
                             "This database has no accounts, so there are no users to manage "
                             "here. Make the first one, an admin, on the command line: "
                             "rightstrack user add NAME --role admin.");
        return 1;
    }
    /* What the request needs. */
    need = users         ? RT_ROLE_ADMIN
           : writes      ? RT_ROLE_EDITOR
           : public_read ? RT_ROLE_NONE
                         : RT_ROLE_VIEWER;
    if (who->accounts && (who->bad_bearer || who->p.role < need || (writes && !who->p.can_write))) {
        refuse(req, resp, need);
        return 1;
    }
    /* Every form post carries the token of its session, or browser. */
    if (writes && !api && !rt_http_csrf_ok(req)) {
        refuse_form(resp);
        return 1;
    }
    if (users) {
        if (!strcmp(req->path, "/users") && !writes)
            users_page(st, resp, 200, NULL, NULL);
        else if (writes &&
                 (!strcmp(req->path, "/users/add") || !strcmp(req->path, "/users/role") ||
                  !strcmp(req->path, "/users/disable") || !strcmp(req->path, "/users/enable")))
            users_post(st, req, req->path + 7, resp);
        else
            page_error(resp, 404, "No such page");
        return 1;
    }
    return 0;
}
