/*
 * Readouts: turning the plain text of a human-rights dialogue's readout (a
 * press release, a joint statement, a news report of a meeting) into a draft
 * round record.
 *
 * The parser is rule-based and explainable: a header (title, ISO date, source
 * line), sentence splitting that knows abbreviations and initials, a gazetteer
 * of states, demonyms, organisations and places (data/readout/gazetteer.tsv),
 * title and name rules for participants (data/readout/words.tsv), cue verbs for
 * what was welcomed, urged, reaffirmed and promised, "if ..., ... will ..."
 * offers, round ordinals, dates with their precision, places and events.
 * docs/readouts.md describes the rules and their limits.
 *
 * The draft is a JSON object with the keys of the annotated readouts in
 * data/readouts (file, document_type, text_complete, date, date_end,
 * publication_date, place, dialogue_name, round, round_text, sides,
 * participants, topics, welcomed, urged, conditional_commitments,
 * reaffirmations, commitments, concerns, agreed_next_steps, steps_reported,
 * events, persons_of_concern, notes). Sides are canonical names ("United
 * States", "European Union"). notes holds the parser's remarks (no date found,
 * no sentences in a Latin script, ...) or null.
 */
#ifndef RIGHTSTRACK_READOUT_H
#define RIGHTSTRACK_READOUT_H

#include <jansson.h>

#include <rightstrack/rt.h>
#include <rightstrack/store.h>

/*
 * The largest readout accepted, in bytes (16 MiB). Readouts are a few kilobytes;
 * the parser is linear and takes well under a second on 5 MB, so the limit only
 * stops a file that is not a readout at all (a log, a database dump) from being
 * read whole. A larger text fails with RT_ETOOBIG, naming the file.
 */
#define RT_READOUT_MAX (16 * 1024 * 1024)

enum rt_readout_flags {
    /* Adds "sentence" (the sentence it came from) to every extracted item, and
     * "sentences" (the numbered sentences) to the draft. */
    RT_READOUT_EVIDENCE = 1 << 0,
};

/*
 * Parses len bytes of text; name (may be NULL) is the "file" value and names
 * the input in errors. Sets *out to a new draft (json_decref it) on success.
 * Returns RT_EINVAL for an empty text (or one of white space only), RT_EFORMAT
 * for bytes that are not UTF-8 text (NUL bytes, invalid UTF-8), RT_ETOOBIG over
 * RT_READOUT_MAX. A text with no date, or in another script, is not an error:
 * the draft holds what could be found, and notes says what could not.
 */
RT_API int rt_readout_parse(const char *text, size_t len, const char *name, unsigned flags,
                            json_t **out, struct rt_error *err);

/* Reads path (a regular file) and parses it as above, with the file's base name
 * as "file". RT_EIO when it cannot be read. */
RT_API int rt_readout_parse_file(const char *path, unsigned flags, json_t **out,
                                 struct rt_error *err);

/*
 * What `readout import` reads: path holds either a draft as JSON (what `readout parse
 * --json` or the web's parse step wrote, perhaps corrected by hand: a file whose first
 * byte after white space is '{'), loaded as it is, or the readout's text, parsed as
 * rt_readout_parse_file does. Sets *out to a new draft (json_decref it) on success.
 * RT_EFORMAT naming the line and column for JSON that does not load or is not an
 * object; otherwise as rt_readout_parse_file.
 */
RT_API int rt_readout_load_file(const char *path, unsigned flags, json_t **out,
                                struct rt_error *err);

/*
 * The areas of the theme taxonomy (data/themes/areas.tsv: "expression",
 * "political-prisoners") that a short text such as a topic or an ask is about,
 * found by phrases matched on word stems, longest first and without overlaps: the
 * areas' labels, every label of data/themes/taxonomy.tsv, and the readout wordings
 * of data/readout/themes.tsv ("press freedom", "prisoners of conscience"). Returns
 * a new array of area codes in the order they occur (json_decref it); empty when
 * none. Needs no database; thread-safe.
 */
RT_API json_t *rt_readout_themes(const char *text, size_t len);

/* The label of an area code ("Freedom of opinion and expression" for
 * "expression"), or NULL for a code that is not an area. Static. */
RT_API const char *rt_theme_area_label(const char *code);

/*
 * The step kind (docs/ledger.md) for an event of a draft
 * ("political_prisoner_release" is "prisoner-release"), or "other"; never NULL,
 * static.
 */
RT_API const char *rt_readout_step_kind(const char *event_type);

/*
 * The party code (as rt_party_resolve takes it) of a canonical side name from
 * the gazetteer ("United States" is "USA", "European Union" is "EU"), or NULL
 * when the name is not in it. Static.
 */
RT_API const char *rt_readout_party_code(const char *side);

enum rt_readout_import_flags {
    RT_READOUT_DRY_RUN = 1 << 0, /* check and plan, write nothing (a read-only store will do) */
};

/*
 * Stores a draft as a new round of dialogue dialogue_id, in one transaction of its
 * own (so not inside the caller's): the round (ordinal "round", or the next one;
 * "date", which is required; "place"; "dialogue_name" as summary; source), its
 * "participants" (party from "side"), "topics" and asks ("urged") tagged with their
 * theme areas ("topic_themes", an urged item's "themes"; found again with
 * rt_readout_themes for a topic whose text differs from its topic_themes entry or
 * an ask without themes), a positive step welcomed in the round for each
 * "welcomed" item (kind, date and count from an event of the same sentence), and a
 * commitment for each "conditional_commitments" item. Items whose party is not
 * known are left out and listed. The draft may be one a person corrected: its
 * types and theme areas are checked first, and an error names the field
 * ("urged[1].themes"). Sets *out to {"dry_run", "round": id or null, "written":
 * {"round", "participants", "topics", "asks", "steps", "commitments"},
 * "skipped": [{"item", "text", "why"}], "linked_recommendations": as in
 * rt_round_get, or null on a dry run}. RT_EINVAL for a bad draft (no date,
 * wrong types, unknown areas), RT_EEXIST for a round number the dialogue has.
 */
RT_API int rt_readout_import(struct rt_store *st, const json_t *draft, const char *source,
                             int64_t dialogue_id, unsigned flags, json_t **out,
                             struct rt_error *err);

#endif
