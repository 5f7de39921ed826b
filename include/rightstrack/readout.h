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

/* The largest readout accepted, in bytes: readouts are a few kilobytes. */
#define RT_READOUT_MAX (1024 * 1024)

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
RT_API int rt_readout_parse(const char *text, size_t len, const char *name,
                            unsigned flags, json_t **out, struct rt_error *err);

/* Reads path (a regular file) and parses it as above, with the file's base name
 * as "file". RT_EIO when it cannot be read. */
RT_API int rt_readout_parse_file(const char *path, unsigned flags, json_t **out,
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

#endif
