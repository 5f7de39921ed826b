/*
 * The store: the one interface to the database. Only src/store/ speaks SQL.
 * A struct rt_store is one connection; use one per thread. Each function here calls
 * through the table of operations of the store's back end (src/store/backend.h),
 * chosen by the database URL when the store is opened.
 */
#ifndef RIGHTSTRACK_STORE_H
#define RIGHTSTRACK_STORE_H

#include <rightstrack/model.h>
#include <rightstrack/rt.h>

struct rt_store;

enum rt_store_flags {
    RT_STORE_CREATE = 1 << 0,   /* create the file when missing */
    RT_STORE_READONLY = 1 << 1, /* open read-only (no migration) */
    /* The caller is init: a new database gets the states (their names and groups) now.
     * A SQLite file gets them from its first migration anyway; a PostgreSQL database
     * otherwise from its first import. */
    RT_STORE_INIT = 1 << 4,
};

/*
 * Opens (and with RT_STORE_CREATE creates) the database path names, applies every
 * pending schema migration and loads the states table on first use. path is a file
 * path or "sqlite:PATH" (SQLite, the file PATH); "postgresql://...", "postgres://..."
 * or a libpq "keyword=value ..." string name PostgreSQL (the server's database, which
 * must exist; its tables are made on first use; what it has not yet fails when called,
 * with RT_ESTORE saying so; no message repeats the URL, which may hold a password). *out is set to
 * NULL on entry and to the store on success; close with rt_store_close. Returns RT_ESTORE, RT_EIO
 * or RT_ENOTFOUND (no such file, no RT_STORE_CREATE) with err filled.
 */
RT_API int rt_store_open(struct rt_store **out, const char *path, unsigned flags,
                         struct rt_error *err);
/*
 * Closes st and frees it: a transaction still open is rolled back, noted words of
 * texts indexed outside one are written first. NULL is allowed.
 */
RT_API void rt_store_close(struct rt_store *st);

/* The file a database URL names (what follows any "sqlite:"), or NULL when the URL names
 * a server (PostgreSQL): for a command that says it made a new file. */
RT_API const char *rt_store_url_file(const char *url);
/* The schema version of an open store (PRAGMA user_version), or -1 when unreadable. */
RT_API int rt_store_schema_version(struct rt_store *st);

/*
 * A consistent snapshot for several reads (one request of the web face): one lock
 * taken instead of one a statement. rt_store_read_begin returns RT_ESTORE (err
 * filled) when SQLite refuses; rt_store_read_end ends it (doing nothing when no
 * transaction is open) and cannot fail.
 */
RT_API int rt_store_read_begin(struct rt_store *st, struct rt_error *err);
RT_API void rt_store_read_end(struct rt_store *st);

/*
 * Sets *out to the version of what this connection sees: it grows whenever the
 * database may have changed, by a write of this connection or a commit of any
 * other, in this process or another. Read inside rt_store_read_begin, it names that
 * snapshot: what was read at one version may be given again while the version is
 * the same (the web face's response cache). RT_ESTORE (err filled) on failure.
 */
RT_API int rt_store_version(struct rt_store *st, uint64_t *out, struct rt_error *err);

/*
 * For a store that serves many searches (the web server's): what the first search
 * would load is loaded now (the facet index), and from now on the recommending states
 * and themes of every recommendation are kept in memory while the data stays at one
 * version (read again after it changes, about 60 ms for the UPR Info file), so that a
 * page of hits reads only its own rows. The answers are the same. A store without
 * this (the PostgreSQL one) ignores it. RT_ESTORE with err.
 */
RT_API int rt_store_keep_search(struct rt_store *st, struct rt_error *err);

/*
 * Write transactions. rt_store_begin starts one (BEGIN IMMEDIATE: it waits up to 5
 * seconds for another writer) and returns RT_ESTORE (err filled) when it cannot.
 * rt_store_commit writes what is queued (links, new recommendations of a load),
 * indexes the new texts and commits; on any failure it rolls everything back and
 * returns RT_ESTORE (err filled: a load's broken reference names its table and
 * row). rt_store_rollback drops the transaction and all that is queued; it is
 * safe to call when none is open.
 */
RT_API int rt_store_begin(struct rt_store *st, struct rt_error *err);
RT_API int rt_store_commit(struct rt_store *st, struct rt_error *err);
RT_API void rt_store_rollback(struct rt_store *st);
/*
 * rt_store_begin for a writer of many rows (the importer). Into a store that holds no
 * recommendations yet, the transaction runs with foreign keys off and checks them
 * once, for the tables an import writes, before it commits (a broken reference fails
 * the commit, which rolls back); and, when no other connection has the file open,
 * with a rollback journal instead of WAL, which writes new pages once rather than
 * twice. The commit or rollback puts both back. Otherwise it is rt_store_begin.
 * RT_ESTORE (err filled) when it cannot begin; the settings are then as before.
 */
RT_API int rt_store_begin_load(struct rt_store *st, struct rt_error *err);

/*
 * Finds the state a name means: an ISO 3166-1 code (alpha-2 or alpha-3), a name
 * from iso-codes, or any variant in data/states/variants.tsv, compared by
 * rt_text_name_key. Sets *out_id. Returns RT_ENOTFOUND when nothing matches
 * (err untouched: the caller knows the file and line), RT_ESTORE on failure.
 */
RT_API int rt_store_state_find(struct rt_store *st, const char *name, size_t len, int64_t *out_id,
                               struct rt_error *err);
/*
 * Checks a theme filter before a search or a report uses it: theme names a theme when
 * it is a label or code of any vocabulary, a taxonomy area's code or label, or a word
 * of one of those labels ("death" for "Death penalty"). Returns 0 when it names one;
 * RT_EINVAL with err on field "theme" ("no theme matches 'xyz'", then up to five
 * labels that share its first letters) when it names none; RT_ESTORE on failure.
 */
RT_API int rt_store_theme_check(struct rt_store *st, const char *theme, struct rt_error *err);

/*
 * Fills ref for a state id: its code, and its name as a new string the caller frees
 * (rt_free). RT_ENOTFOUND for no such state, RT_ESTORE on failure (err filled).
 */
RT_API int rt_store_state_get(struct rt_store *st, int64_t id, struct rt_state_ref *ref,
                              struct rt_error *err);

/* A document imported. */
struct rt_source {
    const char *kind; /* "upr-info", "upr-info-raw", "uhri", ... */
    const char *title;
    const char *path;
    const char *sha256; /* hex */
};

/*
 * Adds a source (src and its strings borrowed for the call), or finds the one with
 * the same sha256; sets *out_id to its id and *out_new to 1 when it was added, 0
 * when found. RT_ESTORE (err filled) on failure.
 */
RT_API int rt_store_source_put(struct rt_store *st, const struct rt_source *src, int64_t *out_id,
                               int *out_new, struct rt_error *err);

/* The election an ODIHR recommendation followed (strings borrowed). */
struct rt_election_in {
    const char *election;      /* its kind, as the report names it: "parliamentary elections" */
    const char *election_date; /* YYYY-MM-DD, YYYY-MM or YYYY */
    const char *report_date;   /* the final report's; NULL when unknown */
    int priority;              /* 1: a priority recommendation of the report */
};

/* A recommendation as an importer gives it. text must be clean (rt_text_clean). */
struct rt_rec_in {
    const char *mechanism; /* NULL: "upr" */
    int cycle, session;    /* 0: unknown */
    const char *paragraph; /* may be NULL */
    int64_t sur_id;
    const char *text;
    size_t text_len;
    enum rt_response response;
    int action_category; /* 0: unknown */
    int64_t source_id;   /* 0: none */
    /* mechanism "odihr": the election (kept in recommendation_election); its twins
     * are those of the same paragraph too, which names the election */
    const struct rt_election_in *election;
};

/* What rt_store_rec_put did. */
enum rt_put_flags {
    RT_PUT_NEW = 1 << 0,      /* the recommendation was added */
    RT_PUT_CONFLICT = 1 << 1, /* it existed with another response or category */
};

/*
 * Adds a recommendation, or finds the one with the same (state under review,
 * session, text) and merges r into it in a way that does not depend on the order
 * rows arrive in: the response is the strongest of the two (supported, then
 * noted, then pledge, then pending), the action category the higher one, and a
 * missing paragraph is filled in. Sets *out_id and *out_flags (enum rt_put_flags).
 * r and its strings are borrowed for the call. Outside a transaction the text is
 * indexed at once; inside, at the commit. RT_ESTORE (err filled) on failure.
 */
RT_API int rt_store_rec_put(struct rt_store *st, const struct rt_rec_in *r, int64_t *out_id,
                            unsigned *out_flags, struct rt_error *err);
/*
 * Links recommendation rec_id to a recommending state; *out_new is 1 when the link
 * is new, 0 when it was there. RT_ESTORE (err filled) on failure.
 */
RT_API int rt_store_rec_add_by(struct rt_store *st, int64_t rec_id, int64_t state_id, int *out_new,
                               struct rt_error *err);
/*
 * Tags recommendation rec_id with label of vocabulary (the theme is created when
 * missing), with origin ("official", "model" or "person") and confidence (0-1);
 * *out_new is 1 when the tag is new. Strings are borrowed for the call. RT_ESTORE
 * (err filled) on failure.
 */
RT_API int rt_store_rec_add_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                                  const char *label, const char *origin, double confidence,
                                  int *out_new, struct rt_error *err);

/*
 * The same two links, queued, for writers of many rows (the importer): the store
 * writes them many to a statement, which costs a third of writing them one by one.
 * Use them inside rt_store_begin/rt_store_commit. A queued link is written when the
 * queue is full, by rt_store_rec_links_flush and at the latest by rt_store_commit; a
 * rollback drops it. Reads do not see a link before it is written.
 * rt_store_rec_queue_by queues a recommending state; rt_store_rec_queue_theme a theme
 * tag, as rt_store_rec_add_theme has it (the strings are borrowed for the call;
 * origin is "official", "model" or "person", RT_EINVAL otherwise). Both return RT_ESTORE (err
 * filled) when writing a full queue fails.
 */
RT_API int rt_store_rec_queue_by(struct rt_store *st, int64_t rec_id, int64_t state_id,
                                 struct rt_error *err);
RT_API int rt_store_rec_queue_theme(struct rt_store *st, int64_t rec_id, const char *vocabulary,
                                    const char *label, const char *origin, double confidence,
                                    struct rt_error *err);
/*
 * Writes the queued links, then adds to *by_new and *themes_new (either may be NULL)
 * the numbers of queued links that were new since the last call, and resets them.
 * RT_ESTORE (err filled) on failure.
 */
RT_API int rt_store_rec_links_flush(struct rt_store *st, int64_t *by_new, int64_t *themes_new,
                                    struct rt_error *err);

/*
 * Loads recommendation id into r (initialised by the caller with rt_rec_init;
 * release it with rt_rec_release, also after a failure). RT_ENOTFOUND if none,
 * RT_ESTORE on failure (err filled for both).
 */
RT_API int rt_store_rec_get(struct rt_store *st, int64_t id, struct rt_rec *r,
                            struct rt_error *err);

/* Counts, for `rightstrack stats`. */
struct rt_count {
    char *key; /* owned */
    int64_t n;
};

struct rt_stats {
    int64_t recommendations;
    int64_t states_under_review;
    int64_t recommending_states;
    int64_t by_response[4];    /* indexed by enum rt_response */
    struct rt_count *by_cycle; /* the UPR cycles, "1", "2", ... */
    size_t n_by_cycle;
    int64_t no_cycle; /* those of no UPR cycle (OSCE/ODIHR's): by_cycle leaves them out */
    int64_t sources;
    int64_t themes;
};
/* Frees what s holds (by_cycle and its keys) and zeroes it. */
RT_API void rt_stats_release(struct rt_stats *s);
/*
 * Fills s (zeroed by the caller; release with rt_stats_release) for every
 * recommendation, or those to sur_id when sur_id is not 0. RT_ESTORE (err filled)
 * on failure.
 */
RT_API int rt_store_stats(struct rt_store *st, int64_t sur_id, struct rt_stats *s,
                          struct rt_error *err);
/*
 * Sets *recommendations to the number of recommendations and *states to the number
 * of states under review, as rt_store_stats counts them for every recommendation,
 * without its other counts (the home page's line: a few milliseconds where the full
 * statistics take a hundred on the UPR import). RT_ESTORE (err filled) on failure;
 * the counts are 0 then.
 */
RT_API int rt_store_totals(struct rt_store *st, int64_t *recommendations, int64_t *states,
                           struct rt_error *err);

/*
 * The orders of a search's hits. Relevance is the rank of the text (BM25), or the
 * id when there is no text; the others sort by the UPR session (the date of the
 * review), the name of the state under review, or the response (supported, noted,
 * pledge, pending), each with the id to break ties.
 */
enum rt_search_sort { RT_SORT_RELEVANCE, RT_SORT_SESSION, RT_SORT_STATE, RT_SORT_RESPONSE };

/*
 * A parsed search text: src/search/query.c makes it from what a user typed
 * (rt_search_parse, search.h) and every back end renders it in its own dialect
 * (SQLite: an FTS5 MATCH expression). A tree of nodes; the operators' operands are
 * listed from child through next.
 */
enum rt_search_node_kind {
    RT_SEARCH_TERM,  /* a word or a phrase */
    RT_SEARCH_AND,   /* all of its operands */
    RT_SEARCH_OR,    /* any of its operands */
    RT_SEARCH_NOT,   /* its first operand and none of the others */
    RT_SEARCH_GROUP, /* its one operand, in parentheses in the text */
};

struct rt_search_node {
    enum rt_search_node_kind kind;
    /* RT_SEARCH_TERM: what was written, without quotes and the prefix's '*': one word,
     * or several (a phrase, or a word the tokenizer splits, "ill-treatment"), which
     * must then follow each other. Any byte may be there, NUL too (read as a space). */
    const char *text;
    size_t len;
    int phrase;        /* RT_SEARCH_TERM: it was in double quotes */
    int prefix;        /* RT_SEARCH_TERM: its last word is a prefix (it ended in '*') */
    const char *field; /* RT_SEARCH_TERM: NULL, the recommendation's text (no other yet) */
    const struct rt_search_node *child; /* operators: the first operand */
    const struct rt_search_node *next;  /* the next operand of the same operator */
};

/* A parsed search text; free with rt_search_query_free (search.h). */
struct rt_search_query {
    const struct rt_search_node *root;
    struct rt_search_node *nodes; /* owned: every node */
    size_t n;
    char *text; /* owned: the copy of the text that the terms point into */
};

/* A search, as src/search/ hands it to the store. */
struct rt_search_spec {
    const struct rt_search_query *query; /* the words to look for, or NULL for none */
    int64_t sur_id, by_id;
    int cycle, session, category;
    int response;      /* enum rt_response, or -1 for any */
    const char *theme; /* label or code, any vocabulary; NULL for any */
    int64_t limit, offset;
    int facets;
    int sort;              /* enum rt_search_sort */
    int desc;              /* 1: the order reversed (ties still by id, reversed too) */
    const char *mechanism; /* recommendation.mechanism ("upr", "odihr" …); NULL for any */
};

struct rt_facet {
    const char *name; /* "response", "cycle", "theme", "state_under_review" */
    struct rt_count *counts;
    size_t n;
};

struct rt_search_result {
    int64_t total;
    struct rt_rec *hits;
    size_t n_hits;
    struct rt_facet facets[4];
    size_t n_facets;
};
/* Frees the hits and facets res holds and zeroes it. */
RT_API void rt_search_result_release(struct rt_search_result *res);
/*
 * Runs spec (borrowed for the call); res must be zeroed by the caller and is
 * released with rt_search_result_release, also after a failure. RT_EINVAL when
 * the back end cannot render spec->query (a field it does not know; err says why),
 * RT_ESTORE on failure.
 */
RT_API int rt_store_search(struct rt_store *st, const struct rt_search_spec *spec,
                           struct rt_search_result *res, struct rt_error *err);

/*
 * Every hit of spec, in its order, without limit, offset or facets: sets *out to a
 * new array of recommendation ids (rt_free; NULL when there are none) and *out_n.
 * For exports, which then load the rows a few at a time with rt_store_recs_load.
 * RT_EINVAL as for rt_store_search.
 */
RT_API int rt_store_search_ids(struct rt_store *st, const struct rt_search_spec *spec,
                               int64_t **out, size_t *out_n, struct rt_error *err);
/*
 * Loads recommendations ids[0..n) into recs[0..n) (each initialised by the caller,
 * released by the caller with rt_rec_release), as rt_store_rec_get loads one, in a
 * few statements for all of them. RT_ENOTFOUND when an id is no longer there.
 */
RT_API int rt_store_recs_load(struct rt_store *st, const int64_t *ids, size_t n,
                              struct rt_rec *recs, struct rt_error *err);

/*
 * Trained models (src/store/sqlite/models.c), kept as named byte blobs.
 * rt_store_model_put saves data under name, replacing a model of the same name;
 * kind says what it is ("theme-classifier"), info is JSON text or NULL. All is
 * copied. RT_ESTORE (err filled) on failure.
 */
RT_API int rt_store_model_put(struct rt_store *st, const char *name, const char *kind,
                              const char *info, const void *data, size_t len, struct rt_error *err);
/*
 * Appends model name's blob to data and, when info is not NULL, its info JSON
 * ("{}" when none) to info. Returns RT_ENOTFOUND without touching err when there is
 * no such model (the caller says what to do), RT_ESTORE on failure.
 */
RT_API int rt_store_model_get(struct rt_store *st, const char *name, struct rt_buf *data,
                              struct rt_buf *info, struct rt_error *err);

/* A recommendation's text with its official labels in one theme vocabulary. */
struct rt_rec_text {
    int64_t id;
    char *text;    /* owned */
    char **labels; /* owned, sorted; NULL when n_labels is 0 */
    size_t n_labels;
    int action_category; /* 0: unknown */
};
enum rt_rec_texts_which {
    RT_TEXTS_LABELLED,   /* recommendations with official themes in the vocabulary */
    RT_TEXTS_UNLABELLED, /* those without (labels are then empty) */
    RT_TEXTS_UNTAGGED,   /* those without official themes or without an official action
                            category (labels: the official ones, maybe none) */
};
/*
 * Loads, in id order, the texts of recommendations that have (or lack) themes of
 * origin "official" in vocabulary, or (RT_TEXTS_UNTAGGED) lack those themes or an
 * official action category. *out is NULL on entry and set on success (free with
 * rt_rec_texts_free); RT_ESTORE on failure.
 */
RT_API int rt_store_rec_texts(struct rt_store *st, const char *vocabulary,
                              enum rt_rec_texts_which which, struct rt_rec_text **out,
                              size_t *out_n, struct rt_error *err);
/* Frees the n texts at a, their strings and a itself; NULL is allowed. */
RT_API void rt_rec_texts_free(struct rt_rec_text *a, size_t n);
/*
 * Removes every theme tag of origin "model" in vocabulary; *out_n says how many.
 * RT_ESTORE (err filled) on failure.
 */
RT_API int rt_store_model_tags_clear(struct rt_store *st, const char *vocabulary, int64_t *out_n,
                                     struct rt_error *err);
/*
 * Sets the action category (1-5) of a recommendation whose data has none, with its
 * origin ("model" or "person") and a confidence (0-1), replacing the one set
 * before, except that a model's category never replaces a person's. An official
 * category (from the data) is never changed: then, as when a person's category
 * stays, nothing is written and *out_set is 0; otherwise *out_set is 1.
 * RT_EINVAL for a category, origin or confidence out of range, RT_ENOTFOUND for no
 * such recommendation (err filled for both).
 */
RT_API int rt_store_rec_set_category(struct rt_store *st, int64_t rec_id, int category,
                                     const char *origin, double confidence, int *out_set,
                                     struct rt_error *err);
/*
 * Removes every action category of origin "model"; *out_n says how many. RT_ESTORE
 * (err filled) on failure.
 */
RT_API int rt_store_model_categories_clear(struct rt_store *st, int64_t *out_n,
                                           struct rt_error *err);

/* A theme with the number of recommendations tagged officially and by a model. */
struct rt_theme_count {
    char *label; /* owned */
    int64_t official, model;
};
/*
 * Lists the themes of vocabulary, most official tags first: *out is NULL on entry
 * and set on success, with *out_n (free with rt_theme_counts_free, which frees the
 * labels too and takes NULL). RT_ESTORE (err filled) on failure.
 */
RT_API int rt_store_theme_counts(struct rt_store *st, const char *vocabulary,
                                 struct rt_theme_count **out, size_t *out_n, struct rt_error *err);
RT_API void rt_theme_counts_free(struct rt_theme_count *a, size_t n);

/*
 * The theme taxonomy (data/themes/, src/store/sqlite/taxonomy.c, docs/themes.md):
 * shared areas, and the labels of each vocabulary (upr-info, uhri, osce) that map
 * onto them. A search by theme matches the labels that share an area with it.
 */
struct rt_theme_area_label {
    char *vocabulary, *label; /* owned */
};
struct rt_theme_area {
    char *code, *label;                 /* owned: "death-penalty", "Death penalty" */
    int osce;                           /* 1 for an area of the OSCE human dimension */
    struct rt_theme_area_label *labels; /* owned, by vocabulary (osce last), then label */
    size_t n_labels;
};
/*
 * Lists the areas in the order of data/themes/areas.tsv with their labels. *out is
 * set on success, with *out_n (free with rt_theme_areas_free, which frees every
 * string; NULL with n 0 is allowed); RT_ESTORE on failure.
 */
RT_API int rt_store_theme_areas(struct rt_store *st, struct rt_theme_area **out, size_t *out_n,
                                struct rt_error *err);
RT_API void rt_theme_areas_free(struct rt_theme_area *a, size_t n);

/*
 * Repeats: recommendations made again (src/store/sqlite/repeats.c, docs/repeats.md).
 * Two recommendations are repeats when the Jaccard similarity of their word
 * 3-shingle sets (rt_text_shingles) is at least RT_REPEAT_THRESHOLD. The store keeps
 * those pairs and their clusters (connected components, named by their smallest
 * recommendation id) as derived data, and notices when recommendations were added,
 * deleted or changed since they were computed (the pairs are then stale).
 */
#define RT_REPEAT_THRESHOLD 0.7

/* A pair of repeats: a < b, with each one's cycle (0 when unknown). */
struct rt_repeat_pair {
    int64_t a, b;
    double jaccard;
    int cycle_a, cycle_b;
};

/*
 * Recomputes the repeat pairs and clusters of every recommendation at
 * RT_REPEAT_THRESHOLD and stores them in place of the old ones, in one transaction
 * (or inside the caller's, from rt_store_begin). Sets *out_pairs and *out_clusters
 * when not NULL. RT_ESTORE when the database fails (or is read-only).
 */
RT_API int rt_store_repeats_compute(struct rt_store *st, int64_t *out_pairs, int64_t *out_clusters,
                                    struct rt_error *err);
/*
 * Sets *out_fresh to 1 when stored repeats match the recommendations as they are,
 * else 0. RT_ESTORE (err filled) on failure.
 */
RT_API int rt_store_repeats_fresh(struct rt_store *st, int *out_fresh, struct rt_error *err);

/*
 * Every pair with a Jaccard similarity of at least threshold (in (0, 1]) and whose
 * cycles differ by at least min_cycle_gap (0: all pairs; from 1, both cycles must
 * be known), sorted by a then b. Sets *out to a new array (rt_free) and *out_n.
 * Stored pairs serve when they are fresh and threshold is RT_REPEAT_THRESHOLD or
 * above; when they are stale they are recomputed and stored first (or, on a
 * read-only store, computed without storing). A lower threshold is computed
 * without storing. RT_EINVAL for a threshold out of range.
 */
RT_API int rt_store_repeat_pairs(struct rt_store *st, double threshold, int min_cycle_gap,
                                 struct rt_repeat_pair **out, size_t *out_n, struct rt_error *err);

/* One recommendation's repeats, each loaded in full. */
struct rt_repeat {
    struct rt_rec rec;
    double jaccard;
};
struct rt_repeats {
    int64_t id; /* the recommendation asked about */
    int cycle;  /* its cycle, 0 when unknown */
    double threshold;
    int64_t cluster_id;      /* its cluster at RT_REPEAT_THRESHOLD; its own id when alone */
    int64_t cluster_size;    /* recommendations in the cluster, itself included */
    struct rt_repeat *items; /* by cycle, then session, then id */
    size_t n;
};
/*
 * Fills out (zeroed by the caller; release with rt_repeats_release) with the
 * repeats of recommendation id at threshold, stale pairs being recomputed as for
 * rt_store_repeat_pairs. RT_ENOTFOUND when there is no such recommendation,
 * RT_EINVAL for a threshold out of range, RT_ESTORE on failure.
 */
RT_API int rt_store_repeats_of(struct rt_store *st, int64_t id, double threshold,
                               struct rt_repeats *out, struct rt_error *err);
/* Frees the repeats r holds (each one's rt_rec too) and zeroes it. */
RT_API void rt_repeats_release(struct rt_repeats *r);

/*
 * Backups (backup.c). rt_store_backup writes a consistent copy of st's database (as
 * it was when the copy began: SQLite's online backup API, in one read snapshot, so
 * writers elsewhere go on) to a new file at path, through PATH.part-PID renamed
 * when complete and synced. RT_EEXIST when path exists, RT_EIO when it cannot be
 * written (nothing is left at path then).
 */
RT_API int rt_store_backup(struct rt_store *st, const char *path, struct rt_error *err);

/* What rt_store_copy copied: the tables that had rows, and their rows. */
struct rt_store_copy_stats {
    int64_t tables, rows;
};
/*
 * Moving a database between stores (store.c, src/store/pg/). rt_store_copy copies
 * every table of the store the URL from names into the empty store to names, one
 * SQLite and the other PostgreSQL (URLs as rt_store_open takes them), streaming row
 * by row, in one transaction of the target: all or nothing. The derived tables (the
 * full-text and search indexes, the table word) are made again in the target, so
 * that both stores' export --json is the same afterwards. The source is only read;
 * it must have the schema version the target's migrations give. A SQLite target
 * that does not exist is created (and removed again when the copy fails). RT_EINVAL
 * when both URLs name the same kind of store, RT_EEXIST when the target holds data
 * (err names it and the table), RT_EIO or RT_ESTORE when reading or writing fails.
 * progress (may be NULL) is called with the rows copied so far and the total.
 * stats (may be NULL) gets the tables and rows copied.
 */
RT_API int rt_store_copy(const char *from, const char *to, struct rt_store_copy_stats *stats,
                         void (*progress)(void *ctx, uint64_t done, uint64_t total), void *pctx,
                         struct rt_error *err);

/* What rt_store_check_file found. */
struct rt_store_check {
    int schema_version;
    const char *audit; /* static: "absent" (no audit log), or "verified" (its chain holds) */
};

/*
 * Checks the database file at path without changing it: PRAGMA integrity_check,
 * PRAGMA foreign_key_check, a schema version this build knows, and the audit log's
 * chain when there is one (see out->audit). 0 with out filled; RT_ESTORE naming
 * what is wrong; RT_ENOTFOUND or RT_EIO when it cannot be opened.
 */
RT_API int rt_store_check_file(const char *path, struct rt_store_check *out, struct rt_error *err);

/*
 * Replaces the database at db_path by the file at from, which must pass
 * rt_store_check_file first (out gets what it found). The old database's WAL is
 * checkpointed, the copy written beside it (DB.restore), synced and renamed over it:
 * at every moment db_path is the old database or the new one. RT_EINVAL while
 * another process has db_path open (a running server: stop it first). Nothing is
 * replaced on any error.
 */
RT_API int rt_store_restore(const char *db_path, const char *from, struct rt_store_check *out,
                            struct rt_error *err);

#endif
