/*
 * Private records: who reads what. A step, a participant, an assessment or a source
 * can be marked private; editors, admins and the command line (the machine's own
 * user) see it, the public and viewers do not, in any read of the store: pages, the
 * API, reports, exports, counts and the audit log alike.
 *
 * The rule is kept by the store, in one place: a store reads for one kind of reader
 * at a time (rt_store_set_reader), and every read made through it afterwards leaves
 * out what that reader may not see. The faces only say who reads; they never filter.
 * docs/developer-guide.md, "Private records", says how a new kind of record joins.
 */
#ifndef RIGHTSTRACK_PRIVATE_H
#define RIGHTSTRACK_PRIVATE_H

#include <rightstrack/rt.h>
#include <rightstrack/store.h>

/* Who a store reads for. */
enum rt_reader {
    RT_READER_ALL = 0, /* editors, admins, the command line: every record (the default) */
    RT_READER_PUBLIC,  /* the public and viewers: no private record, nor any trace of one */
};

/*
 * Makes st read for reader from now on, until the next call; a new store reads for
 * RT_READER_ALL. A store reading for RT_READER_PUBLIC is for reading: a write of a
 * ledger record through it fails. Cheap when the reader does not change. 0, or
 * RT_ESTORE (err filled) when the store could not be switched; the store then reads
 * for RT_READER_PUBLIC if it was asked to, or refuses to read at all, never more.
 */
RT_API int rt_store_set_reader(struct rt_store *st, enum rt_reader reader, struct rt_error *err);

/* Who st reads for now. */
RT_API enum rt_reader rt_store_reader(const struct rt_store *st);

/*
 * "all" or "public" (also "viewer", which reads as the public does): sets *out.
 * RT_EINVAL naming "as" otherwise.
 */
RT_API int rt_reader_parse(const char *s, enum rt_reader *out, struct rt_error *err);

/* The kinds of record that can be private: "step", "participant", "assessment",
 * "source", ending with NULL. */
RT_API extern const char *const rt_private_kinds[];

/*
 * Marks the record ref ("step:3", "participant:2", "assessment:7", "source:1")
 * private (on 1) or public again (on 0), in a transaction of its own (or in the
 * caller's, when one is open). Marking what is marked already changes nothing.
 * RT_EINVAL naming "record" for a reference of another kind or not KIND:ID,
 * RT_ENOTFOUND naming "record" when there is no such record, RT_ESTORE otherwise.
 */
RT_API int rt_private_set(struct rt_store *st, const char *ref, int on, struct rt_error *err);

/* Whether the record ref is marked private: *out 1 or 0. Errors as rt_private_set. */
RT_API int rt_private_get(struct rt_store *st, const char *ref, int *out, struct rt_error *err);

#endif
