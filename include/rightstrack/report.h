/*
 * Reports: the briefing for the next round of a dialogue, and a state's profile
 * (docs/reports.md). Each report is first a JSON document assembled from the library's
 * reads; the command line prints it with --json, and the renderers below turn the
 * same document into Markdown, self-contained HTML, or that HTML printed to PDF.
 *
 * As of a date means as of it: only what the records date on or before it appears
 * (steps, rounds, assessments, status changes; UPR recommendations by the month of
 * their session). The same database and the same date give byte-identical output.
 */
#ifndef RIGHTSTRACK_REPORT_H
#define RIGHTSTRACK_REPORT_H

#include <jansson.h>

#include <rightstrack/store.h>

/*
 * Brings the derived data the reports read up to date: recomputes stale repeats
 * when the store is writable and not inside a transaction (else the stored ones
 * serve). rt_report_brief and rt_report_country call it; so does `serve` at start.
 * RT_ESTORE (err filled) when the database fails.
 */
RT_API int rt_report_prepare(struct rt_store *st, struct rt_error *err);

/*
 * The recommendations a state received (state: any name, code or variant), as of a
 * date (NULL: all), on a theme (any vocabulary's label or code, or a taxonomy area,
 * as for search; NULL: every theme):
 *   {"state", "theme", "as_of", "total", "supported", "noted", "pledge",
 *    "by_cycle": [{"cycle", "total", "supported", "noted", "pledge"}],
 *    "areas": [{"area", "label", "total", "supported", "noted", "pledge"}] (largest first),
 *    "status": [{"status" (the latest assessment's, or "unassessed"), "count"}],
 *    "assessed": [{"id", "cycle", "session", "response", "text", "assessment"}],
 *    "repeated": [{"id", "cycle", "session", "response", "text",
 *                  "again": [{"id", "cycle", "session", "response", "by": [codes]}]}]}
 * where "repeated" lists the first-made of those made again in a later cycle, from
 * the stored repeats (call rt_report_prepare first to have them fresh).
 * Sets *out to a new reference (json_decref it) on success, to NULL on failure.
 * The strings are borrowed for the call. RT_EINVAL for no state or a bad date,
 * RT_ENOTFOUND for an unknown state (err->field "state" or "as-of"), RT_ESTORE when
 * the database fails.
 */
RT_API int rt_report_recs(struct rt_store *st, const char *state, const char *theme,
                          const char *as_of, json_t **out, struct rt_error *err);

/*
 * The briefing for the next round of a dialogue (id), as of a date (NULL: all):
 *   {"report": "brief", "as_of", "dialogue": {"id", "name", "kind",
 *    "parties": [{"code", "name"}]}, "rounds": [{"id", "ordinal", "date", "place"}],
 *    "last_round": round (rt_round_get) or null, "counterparts": [codes],
 *    "moved": [{"party", "name", "steps": [step + "responds_to_steps": [{"id", "actor",
 *              "date", "text"}]]}], "asks_open", "asks_closed", "commitments",
 *    "benchmarks": [{"id", "text", "status", "latest"}], "assessments",
 *    "topics": [{"id", "text", "theme", "linked": [ids], "states": [rt_report_recs],
 *                "linked_recommendations": [{"id", "name", "label"}] (up to 12 linked), or
 *                with more, "linked_summary": [{"state", "mechanism", "session", "total",
 *                "supported", "noted", "pledge", "themes": [{"label", "count"}]}]}],
 *    "figures": [{"actor", "kind", "total", "points": [{"date", "quantity", "step"}]}],
 *    "timeline": [timeline events], "sources": [{"n", "text"}]}
 * Every object that names a source also carries "cite": its number in "sources".
 */
RT_API int rt_report_brief(struct rt_store *st, int64_t dialogue_id, const char *as_of,
                           json_t **out, struct rt_error *err);

/*
 * A state's profile as of a date (NULL: all):
 *   {"report": "country", "as_of", "state": {"code", "name"},
 *    "recommendations": rt_report_recs (every theme), "steps": [step],
 *    "dialogues": [{"id", "name", "parties", "rounds", "last_round": {"ordinal",
 *    "date", "place"} or null}], "sources": [{"n", "text"}]}
 */
RT_API int rt_report_country(struct rt_store *st, const char *state, const char *as_of,
                             json_t **out, struct rt_error *err);

/*
 * Adds to a state's profile doc (rt_report_country) the private section on persons
 * held over time: "persons": rt_person_series for the state as of the profile's date
 * (person.h: the persons a release step of the state freed or an ask to it names),
 * and, when counts names a CSV of counts others published (rt_person_counts_read,
 * such as political_prisoners_counts.csv), "published": [{"date", "published",
 * "measure", "counted_by", "register", "inferred"}] for those dated up to the
 * profile's date, register and inferred being the series' counts on that day. Only
 * for someone allowed to see persons: a face adds it, as it adds a briefing's
 * "persons". 0, or rt_person_series's or rt_person_counts_read's error (doc unchanged).
 */
RT_API int rt_report_country_persons(struct rt_store *st, json_t *doc, const char *counts,
                                     struct rt_error *err);

/* PDF is the HTML printed by headless Chromium (Debian's chromium package, or the
 * program named by $RIGHTSTRACK_CHROMIUM), which takes a second or two. */
enum rt_report_format { RT_REPORT_MARKDOWN, RT_REPORT_HTML, RT_REPORT_PDF };

/* Parses "md" / "markdown" / "html" / "pdf"; RT_EINVAL otherwise. */
RT_API int rt_report_format_parse(const char *name, enum rt_report_format *out);

/* Renders a report document (either kind) into out. RT_EINVAL for a document that
 * is not a report; RT_EIO when the PDF cannot be printed. */
RT_API int rt_report_render(json_t *doc, enum rt_report_format fmt, struct rt_buf *out,
                            struct rt_error *err);

#endif
