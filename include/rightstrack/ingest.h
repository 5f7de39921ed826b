/*
 * Importers: files users download (UPR Info exports, the UN Universal Human Rights
 * Index thematic lists) into the store.
 */
#ifndef RIGHTSTRACK_INGEST_H
#define RIGHTSTRACK_INGEST_H

#include <jansson.h>

#include <rightstrack/store.h>

/* The formats rt_import_files recognises from a file's header line. */
enum rt_format {
    RT_FORMAT_UNKNOWN = 0,
    RT_FORMAT_UPR_INFO_RAW, /* UPR Info export as downloaded: To,To-Rgrp,...,Session */
    RT_FORMAT_UPR_INFO,     /* our normalised UPR Info file: id,session,cycle,... */
    RT_FORMAT_UHRI,         /* UHRI thematic list: country,cycle,session,paragraph_id,... */
    RT_FORMAT_EXPORT,       /* a rightstrack JSON export (restored into an empty database) */
    RT_FORMAT_DIHR,         /* SDG-Human Rights Data Explorer export (XLSX): Goals,Tekst,... */
    RT_FORMAT_ODIHR,        /* ODIHR election recommendations: election,election_date,... */
};
/*
 * The name of a format, as import statistics show it ("upr-info", …,
 * "rightstrack-export"; "unknown" for RT_FORMAT_UNKNOWN): a static string.
 */
RT_API const char *rt_format_name(enum rt_format f);

/* What one import did, per file and in total. */
struct rt_import_stats {
    enum rt_format format;
    int64_t rows;          /* data rows read */
    int64_t recs_new;      /* recommendations added */
    int64_t recs_existing; /* rows whose recommendation was there already */
    int64_t by_new;        /* recommending-state links added */
    int64_t themes_new;    /* theme tags added */
    int64_t unknown_by;    /* rows whose recommending state the export calls "(Unknown)" */
    int source_new;        /* 1 when the file itself had not been imported before */
    int64_t source_id;     /* the file's source record (0: an export restored) */
    int marked_private;    /* 1 when the file's source was marked private */
};

/* Progress: bytes done of total, over all files. */
typedef void (*rt_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/*
 * Imports n files in one transaction: either all of them go in, or nothing does.
 * stats, if not NULL, points to n zeroed records, filled per file. progress may be
 * NULL. On bad input returns RT_EINVAL (or RT_EFORMAT, RT_ETOOBIG, RT_EIO) with
 * err naming the file, the line and the field; names that match no state are
 * all listed in err's message, one per line, each with its file and line.
 */
RT_API int rt_import_files(struct rt_store *st, const char *const *paths, size_t n,
                           struct rt_import_stats *stats, rt_progress_fn progress, void *pctx,
                           struct rt_error *err);

/* Flags of struct rt_import_opts. */
enum {
    /* Mark each file's source record private (private.h): the public and viewers are
     * not told which file a recommendation came from, nor that the file was read.
     * Recommendations are published records and stay visible to all. */
    RT_IMPORT_PRIVATE = 1 << 0,
};

/* What an import may be told besides its files (strings borrowed). */
struct rt_import_opts {
    /* The state under review of the rows of a file that names none: an ODIHR file
     * without a "state" column (its code, name or variant); NULL: none. */
    const char *state;
    unsigned flags; /* RT_IMPORT_* */
    /* The name the first file is known by where its path means nothing to a reader
     * (the web's upload, stored under a temporary name: the name the browser sent):
     * its source record, the audit log and the errors say it instead of the path.
     * NULL: the path. */
    const char *name;
};

/*
 * rt_import_files with opts (NULL: none); the faces' import (CLI and web) calls
 * this. An ODIHR file that names no state, given no opts->state, is refused
 * (RT_EINVAL, err->field "state"), as is an opts->state that matches no state.
 * With RT_IMPORT_PRIVATE, an export (which keeps the marks it was made with) is
 * refused: RT_EINVAL naming the field "private" and the file; stats[i].marked_private
 * says what was marked.
 */
RT_API int rt_import_files_opts(struct rt_store *st, const char *const *paths, size_t n,
                                const struct rt_import_opts *opts, struct rt_import_stats *stats,
                                rt_progress_fn progress, void *pctx, struct rt_error *err);

/* What rt_tag_unlabelled did. */
struct rt_tag_stats {
    int64_t unlabelled;          /* recommendations without official themes */
    int64_t tagged;              /* of them, tagged by the model */
    int64_t tags;                /* theme tags added */
    int64_t replaced;            /* earlier model tags taken away */
    int64_t uncategorised;       /* recommendations without an official action category */
    int64_t categorised;         /* of them, given the model's category */
    int64_t categories_replaced; /* earlier model categories taken away */
};

/*
 * Applies the stored theme model, in one transaction: every recommendation without
 * official themes gets the model's themes (origin "model", its score as
 * confidence), and every one without an official action category the model's
 * category (origin "model", its probability as confidence; never over a category
 * a person set). Earlier model tags and categories are replaced, so running it
 * twice leaves the same. RT_ENOTFOUND (err filled) when no model was trained.
 */
RT_API int rt_tag_unlabelled(struct rt_store *st, struct rt_tag_stats *out, struct rt_error *err);

/*
 * What an import did, as `rightstrack import --json` prints it and POST
 * /api/v1/imports answers, as a new reference (json_decref it): {"files": [{"file",
 * "format", "rows", "recommendations_added", "recommendations_existing",
 * "recommending_states_added", "themes_added", "unknown_recommending_state",
 * "new_source"}], and the same counts in total, with "tagged_by_model" and
 * "categorised_by_model"}. names[i] (borrowed) is what file i is called; stats
 * holds n records; tags may be NULL (nothing tagged).
 */
RT_API json_t *rt_import_summary_json(const char *const *names, const struct rt_import_stats *stats,
                                      size_t n, const struct rt_tag_stats *tags);

/* Largest field accepted, in bytes; a longer one is bad input. */
#define RT_IMPORT_MAX_FIELD (1u << 20)

/*
 * Largest part of an XLSX workbook (a sheet, its shared strings), inflated, in bytes:
 * 256 MiB, some seventeen times the sheet of a whole UPR cycle. A part that inflates
 * past it is refused, whatever its zip header claims (a "zip bomb").
 */
#define RT_XLSX_MAX_PART (256u << 20)

#endif
