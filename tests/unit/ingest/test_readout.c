/* Tests of the readout parser on sentences written here (not taken from the
 * data). */
#include <criterion/criterion.h>

#include <rightstrack/readout.h>

#include "lib/testutil.h"

static json_t *parse(const char *text)
{
    json_t *d = NULL;
    struct rt_error e = RT_ERROR_INIT;
    int rc = rt_readout_parse(text, strlen(text), "t.txt", RT_READOUT_EVIDENCE, &d, &e);
    cr_assert_eq(rc, 0, "parse failed: %s", e.msg.buf);
    rt_error_release(&e);
    return d;
}

static const char *s(json_t *d, const char *key)
{
    const json_t *v = json_object_get(d, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static const char *item(json_t *d, const char *list, size_t i, const char *key)
{
    const json_t *v = json_object_get(json_array_get(json_object_get(d, list), i), key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static size_t n(json_t *d, const char *list)
{
    return json_array_size(json_object_get(d, list));
}

#define HEADER(date)                                                                               \
    "Canada and Laos meet on human rights\n" date "\nhttps://example.org/x (2019-03-14)\n\n"

Test(readout, header_and_keys)
{
    static const char *const keys[] = {"file",
                                       "document_type",
                                       "text_complete",
                                       "date",
                                       "date_end",
                                       "publication_date",
                                       "place",
                                       "dialogue_name",
                                       "round",
                                       "round_text",
                                       "sides",
                                       "participants",
                                       "topics",
                                       "welcomed",
                                       "urged",
                                       "conditional_commitments",
                                       "reaffirmations",
                                       "commitments",
                                       "concerns",
                                       "agreed_next_steps",
                                       "steps_reported",
                                       "events",
                                       "persons_of_concern",
                                       "notes",
                                       NULL};
    json_t *d = parse(HEADER("2019-03-12") "Canada and Laos held talks in Vientiane.\n");
    for (int i = 0; keys[i]; i++)
        cr_assert_not_null(json_object_get(d, keys[i]), "key %s", keys[i]);
    cr_assert_str_eq(s(d, "date"), "2019-03-12");
    cr_assert_str_eq(s(d, "publication_date"), "2019-03-14");
    cr_assert_str_eq(s(d, "place"), "Vientiane");
    cr_assert_eq(n(d, "sides"), 2);
    json_decref(d);
}

Test(readout, dates_without_header)
{
    json_t *d = parse("On March 3, 2018, Japan and Cambodia convened their "
                      "dialogue in Tokyo.\n");
    cr_assert_str_eq(s(d, "date"), "2018-03-03");
    json_decref(d);
    d = parse("From 4 to 5 October 2017 Norway and China held a round of talks "
              "in Oslo.\n");
    cr_assert_str_eq(s(d, "date"), "2017-10-04");
    json_decref(d);
    /* a day range resolved with the header's year */
    d = parse(HEADER("2020-02-10") "Canada and Laos met in Ottawa on 10-11 February.\n");
    cr_assert_str_eq(s(d, "date_end"), "2020-02-11");
    json_decref(d);
}

/* Found by the fuzzer: a range written before its month ("13 to 14 June") in a
 * sentence with no meeting word made the date search start again before the month,
 * for ever. */
Test(readout, day_range_before_the_month_ends, .timeout = 20)
{
    json_t *d = parse("Canada and Laos spoke from 13 to 14 June 2019 about trade. The "
                      "talks in Vientiane ended on 15 June 2019.\n");
    cr_assert_str_eq(s(d, "date"), "2019-06-15");
    json_decref(d);
    d = parse("Canada and Laos spoke from 13 to 14 June 2019 about trade.\n");
    cr_assert_str_eq(s(d, "date"), "2019-06-13");
    json_decref(d);
}

/* Found by the fuzzer: a cue verb at the very end of a text that is not NUL-ended
 * made the party look-up read one byte past it. */
Test(readout, cue_at_the_end_of_the_text)
{
    static const char text[] = {'C', 'a', 'n', 'a', 'd', 'a', ' ', 'u', 'r', 'g', 'e', 'd', '!'};
    char *copy = rt_xmalloc(sizeof(text) - 1); /* exactly "Canada urged", no NUL */
    json_t *d = NULL;
    struct rt_error e = RT_ERROR_INIT;
    memcpy(copy, text, sizeof(text) - 1);
    cr_assert_eq(rt_readout_parse(copy, sizeof(text) - 1, "t.txt", 0, &d, &e), 0);
    cr_assert(json_is_object(d));
    json_decref(d);
    rt_free(copy);
    rt_error_release(&e);
}

/* Found by the fuzzer: a day range ("310-0") at the very end of a text that is not
 * NUL-ended made strtol read past it (seen under ASan). */
Test(readout, day_range_at_the_end_of_the_text)
{
    static const char text[] = "Talks in Minsk, 16-17 MARCH 310-0";
    char *copy = rt_xmalloc(sizeof(text) - 1); /* no NUL */
    json_t *d = NULL;
    struct rt_error e = RT_ERROR_INIT;
    memcpy(copy, text, sizeof(text) - 1);
    cr_assert_eq(rt_readout_parse(copy, sizeof(text) - 1, "t.txt", 0, &d, &e), 0, "%s", e.msg.buf);
    cr_assert(json_is_object(d));
    json_decref(d);
    rt_free(copy);
    rt_error_release(&e);
}

/* Found by the fuzzer: a ';' inside an open bracket made the topic list split
 * itself into the same list again, until the stack ran out. */
Test(readout, semicolon_in_an_open_bracket)
{
    json_t *d = parse("Canada and Laos discussed torture, prisons [and; the press, "
                      "labour rights and women.\n");
    cr_assert(n(d, "topics") >= 1, "%s", json_dumps(json_object_get(d, "topics"), 0));
    json_decref(d);
}

Test(readout, no_date_is_a_partial_draft)
{
    json_t *d = parse("Canada and Laos discussed freedom of the press, prisons "
                      "and labour rights.\n");
    cr_assert(json_is_null(json_object_get(d, "date")));
    cr_assert_not_null(strstr(s(d, "notes"), "no date"));
    cr_assert_eq(n(d, "topics"), 3, "%s", json_dumps(json_object_get(d, "topics"), 0));
    json_decref(d);
}

Test(readout, ordinals)
{
    json_t *d = parse(HEADER("2019-03-12") "The fifth round of the Canada-Laos Human Rights "
                                           "Dialogue took place in Vientiane.\n");
    cr_assert_eq(json_integer_value(json_object_get(d, "round")), 5);
    json_decref(d);
    d = parse(HEADER("2019-03-12") "Canada and Laos held the 14th annual dialogue. They noted "
                                   "the first cycle of the UPR.\n");
    cr_assert_eq(json_integer_value(json_object_get(d, "round")), 14);
    json_decref(d);
    /* "a second session" and a future round are not this meeting's number */
    d = parse(HEADER("2019-03-12") "Canada regrets that Laos refused a second session. The "
                                   "third dialogue will be held in Ottawa next year.\n");
    cr_assert(json_is_null(json_object_get(d, "round")));
    json_decref(d);
    d = parse(HEADER("2019-03-12") "The twenty-first dialogue between Canada and Laos met.\n");
    cr_assert_eq(json_integer_value(json_object_get(d, "round")), 21);
    json_decref(d);
}

Test(readout, abbreviations_do_not_split_sentences)
{
    json_t *d =
        parse(HEADER("2019-03-12") "Mr. John Q. Doe, Deputy Director of the U.S. Office of "
                                   "Trade, met Amb. "
                                   "Mary Roe. The two sides discussed prison conditions.\n");
    json_t *ss = json_object_get(d, "sentences");
    cr_assert_eq(json_array_size(ss), 2, "%s", json_dumps(ss, 0));
    json_decref(d);
}

Test(readout, participants_with_titles)
{
    json_t *d = parse(HEADER("2019-03-12") "The Canadian delegation was led by Ms Anna "
                                           "Kowalczyk, Director General, Human Rights "
                                           "Division, Global Affairs Canada, and "
                                           "included Tom Baxter, Senior Policy Adviser. "
                                           "Laotian Vice Minister of Foreign Affairs "
                                           "Somsak Phommavong headed the Lao side. "
                                           "Canada welcomed the release of Bounmy "
                                           "Sayasane, a blogger.\n");
    cr_assert_eq(n(d, "participants"), 3, "%s", json_dumps(json_object_get(d, "participants"), 0));
    cr_assert_str_eq(item(d, "participants", 0, "name"), "Anna Kowalczyk");
    cr_assert_str_eq(item(d, "participants", 0, "side"), "Canada");
    cr_assert_str_eq(item(d, "participants", 1, "name"), "Tom Baxter");
    cr_assert_str_eq(item(d, "participants", 2, "name"), "Somsak Phommavong");
    cr_assert_not_null(strstr(item(d, "participants", 2, "title"), "Vice Minister"));
    json_decref(d);
}

/* The organisation is the office named in a title, never the title itself: "Laotian
 * Interior Ministry Head of Protocol" is the title "Head of Protocol" of the "Laotian
 * Interior Ministry". */
Test(readout, organisation_is_not_the_title)
{
    json_t *d = parse(HEADER("2019-03-12") "Laotian Interior Ministry Head of Protocol "
                                           "Somchai Vilayvong met Ms Irene Dubois, "
                                           "Executive Director of the National Human Rights "
                                           "Commission of Canada. Ms Ruth Okafor, Department "
                                           "Spokesperson, and Tom Baxter, Senior Adviser, "
                                           "took notes.\n");
    cr_assert_eq(n(d, "participants"), 4, "%s", json_dumps(json_object_get(d, "participants"), 0));
    cr_assert_str_eq(item(d, "participants", 0, "name"), "Somchai Vilayvong");
    cr_assert_str_eq(item(d, "participants", 0, "title"), "Head of Protocol");
    cr_assert_str_eq(item(d, "participants", 0, "organization"), "Laotian Interior Ministry");
    cr_assert_str_eq(item(d, "participants", 0, "side"), "Laos");
    cr_assert_str_eq(item(d, "participants", 1, "name"), "Irene Dubois");
    cr_assert_str_eq(item(d, "participants", 1, "title"), "Executive Director");
    cr_assert_str_eq(item(d, "participants", 1, "organization"),
                     "National Human Rights Commission of Canada");
    /* a bare office word is part of the title, and names no organisation */
    cr_assert_str_eq(item(d, "participants", 2, "title"), "Department Spokesperson");
    cr_assert_null(item(d, "participants", 2, "organization"));
    cr_assert_null(item(d, "participants", 3, "organization"));
    for (size_t i = 0; i < n(d, "participants"); i++) {
        const char *t = item(d, "participants", i, "title"),
                   *o = item(d, "participants", i, "organization");
        cr_assert(!t || !o || strcmp(t, o), "participant %zu: organisation = title '%s'", i, t);
    }
    json_decref(d);
}

Test(readout, byline_in_capitals)
{
    json_t *d =
        parse(HEADER("2019-03-12") "JANE ROE, SPECIAL ENVOY\nMARCH 12, 2019\n\n"
                                   "Canada welcomes the new law on associations in Laos.\n");
    cr_assert_eq(n(d, "participants"), 1);
    cr_assert_str_eq(item(d, "participants", 0, "name"), "Jane Roe");
    json_decref(d);
}

Test(readout, welcomed_and_urged)
{
    json_t *d = parse(HEADER("2019-03-12") "Canada welcomed the registration of two "
                                           "independent unions and urged Laos "
                                           "to ratify the Convention against Torture. "
                                           "Canada also called on Laos to "
                                           "release detained bloggers. We call for an "
                                           "end to forced evictions.\n");
    cr_assert_eq(n(d, "welcomed"), 1);
    cr_assert_str_eq(item(d, "welcomed", 0, "by"), "Canada");
    cr_assert_not_null(strstr(item(d, "welcomed", 0, "what"), "registration of two"));
    cr_assert_eq(n(d, "urged"), 3, "%s", json_dumps(json_object_get(d, "urged"), 0));
    cr_assert_str_eq(item(d, "urged", 0, "target"), "Laos");
    cr_assert_str_eq(item(d, "urged", 0, "what"), "ratify the Convention against Torture");
    cr_assert_str_eq(item(d, "urged", 1, "what"), "release detained bloggers");
    cr_assert_not_null(item(d, "urged", 0, "sentence"));
    json_decref(d);
}

Test(readout, conditional_and_reaffirmed)
{
    json_t *d = parse(HEADER("2019-03-12") "If Laos lifts the restrictions on NGOs, "
                                           "Canada will expand its "
                                           "cooperation programme. Canada reaffirmed its "
                                           "support for an independent "
                                           "press. Both sides reiterated their "
                                           "commitment to the dialogue.\n");
    cr_assert_eq(n(d, "conditional_commitments"), 1);
    cr_assert_str_eq(item(d, "conditional_commitments", 0, "by"), "Canada");
    cr_assert_str_eq(item(d, "conditional_commitments", 0, "if"),
                     "Laos lifts the restrictions on NGOs");
    cr_assert_eq(n(d, "reaffirmations"), 2);
    cr_assert_str_eq(item(d, "reaffirmations", 1, "by"), "both");
    json_decref(d);
}

static int has_topic(json_t *d, const char *t)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(d, "topics"), i, v)
    {
        if (!strcmp(json_string_value(v), t))
            return 1;
    }
    return 0;
}

Test(readout, reiterated_concern_is_a_concern)
{
    json_t *d = parse(HEADER("2019-03-12") "Canada reiterated its grave concerns about the "
                                           "detention of journalists. Canada reiterated its "
                                           "recognition of the new law on legal aid.\n");
    cr_assert_eq(n(d, "reaffirmations"), 0, "%s",
                 json_dumps(json_object_get(d, "reaffirmations"), 0));
    cr_assert_eq(n(d, "concerns"), 1);
    cr_assert_eq(n(d, "welcomed"), 1);
    cr_assert_not_null(strstr(item(d, "welcomed", 0, "what"), "law on legal aid"));
    json_decref(d);
}

Test(readout, topics_of_concerns)
{
    json_t *d = parse(HEADER("2019-03-12") "Canada expressed concern regarding limits on "
                                           "civil rights, including freedom of speech, "
                                           "assembly and association.\n");
    cr_assert(has_topic(d, "freedom of speech"), "%s", json_dumps(json_object_get(d, "topics"), 0));
    cr_assert(has_topic(d, "freedom of assembly"));
    cr_assert(has_topic(d, "freedom of association"));
    json_decref(d);
}

Test(readout, topics_joined_by_and_the)
{
    json_t *d = parse(HEADER("2019-03-12") "The sides discussed rural land tenure and the "
                                           "registration of religious groups.\n");
    cr_assert(has_topic(d, "rural land tenure"), "%s", json_dumps(json_object_get(d, "topics"), 0));
    cr_assert(has_topic(d, "registration of religious groups"));
    json_decref(d);
}

Test(readout, adjectives_are_not_topics)
{
    json_t *d = parse(HEADER("2019-03-12") "Canada raised independent, impartial and effective "
                                           "inquiries into deaths in custody.\n");
    cr_assert_eq(n(d, "topics"), 1, "%s", json_dumps(json_object_get(d, "topics"), 0));
    cr_assert_not_null(
        strstr(json_string_value(json_array_get(json_object_get(d, "topics"), 0)), "independent"));
    json_decref(d);
}

Test(readout, modal_asks_of_the_subject)
{
    json_t *d = parse(HEADER("2019-03-12") "The Lao government should publish the draft media "
                                           "law. Canada noted that the reforms must be carried "
                                           "out in full.\n");
    cr_assert_eq(n(d, "urged"), 1, "%s", json_dumps(json_object_get(d, "urged"), 0));
    cr_assert_str_eq(item(d, "urged", 0, "by"), "Canada");
    cr_assert_str_eq(item(d, "urged", 0, "target"), "Laos");
    cr_assert_str_eq(item(d, "urged", 0, "what"), "publish the draft media law");
    json_decref(d);
}

Test(readout, one_side_named_twice_is_not_both)
{
    json_t *d = parse(HEADER("2019-03-12") "Canada recalled the report on Laos issued in May, "
                                           "and urged Laos to free the bloggers.\n");
    cr_assert_eq(n(d, "urged"), 1, "%s", json_dumps(json_object_get(d, "urged"), 0));
    cr_assert_str_eq(item(d, "urged", 0, "by"), "Canada");
    json_decref(d);
}

Test(readout, a_text_cut_mid_word)
{
    static const char text[] = HEADER("2019-03-12") "Canada welcomed the new prison rules. "
                                                    "Canada urged Laos to let monitors into "
                                                    "all places of detention and to publ";
    json_t *d = NULL;
    struct rt_error e = RT_ERROR_INIT;
    cr_assert_eq(rt_readout_parse(text, sizeof(text) - 1, "t.txt", 0, &d, &e), 0);
    cr_assert(json_is_false(json_object_get(d, "text_complete")));
    cr_assert_eq(n(d, "urged"), 1);
    cr_assert_null(strstr(item(d, "urged", 0, "what"), "publ"), "%s", item(d, "urged", 0, "what"));
    cr_assert_not_null(strstr(item(d, "urged", 0, "what"), "places of detention"));
    json_decref(d);
    rt_error_release(&e);
}

Test(readout, release_event_with_count_and_month)
{
    json_t *d = parse(HEADER("2019-03-12") "Canada welcomed Laos' release of four "
                                           "political prisoners in November.\n");
    json_t *ev = json_array_get(json_object_get(d, "events"), 0);
    cr_assert_not_null(ev);
    cr_assert_eq(json_integer_value(json_object_get(ev, "count")), 4);
    cr_assert_str_eq(json_string_value(json_object_get(ev, "date")), "2018-11");
    cr_assert_str_eq(json_string_value(json_object_get(ev, "country")), "Laos");
    cr_assert_str_eq(rt_readout_step_kind(json_string_value(json_object_get(ev, "type"))),
                     "prisoner-release");
    json_decref(d);
}

Test(readout, party_codes)
{
    cr_assert_str_eq(rt_readout_party_code("United States"), "USA");
    cr_assert_str_eq(rt_readout_party_code("European Union"), "EU");
    cr_assert_null(rt_readout_party_code("Atlantis"));
}

static int has(json_t *a, const char *code)
{
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) if (!strcmp(json_string_value(v), code)) return 1;
    return 0;
}

static json_t *themes(const char *text)
{
    return rt_readout_themes(text, strlen(text));
}

Test(readout, themes_by_phrase)
{
    json_t *t = themes("Press freedoms and the jailing of BLOGGERS");
    cr_assert(has(t, "media") && has(t, "expression"), "%s", json_dumps(t, 0));
    json_decref(t);
    /* the longest phrase takes its words: political prisoners are not "detention" */
    t = themes("the fate of political prisoners");
    cr_assert_eq(json_array_size(t), 1, "%s", json_dumps(t, 0));
    cr_assert(has(t, "political-prisoners"));
    json_decref(t);
    t = themes("conditions for prisoners in provincial jails");
    cr_assert(has(t, "detention"), "%s", json_dumps(t, 0));
    json_decref(t);
    /* a taxonomy label that maps to two areas gives both */
    t = themes("racial discrimination against Roma");
    cr_assert(has(t, "racial-discrimination") && has(t, "equality"), "%s", json_dumps(t, 0));
    json_decref(t);
    /* a stop phrase hides a label: this is not about development */
    t = themes("the development of civil society");
    cr_assert_eq(json_array_size(t), 1, "%s", json_dumps(t, 0));
    cr_assert(has(t, "civil-society"));
    json_decref(t);
    t = themes("the weather in the capital");
    cr_assert_eq(json_array_size(t), 0);
    json_decref(t);
    t = rt_readout_themes(NULL, 0);
    cr_assert_eq(json_array_size(t), 0);
    json_decref(t);
    cr_assert_str_eq(rt_theme_area_label("expression"), "Freedom of opinion and expression");
    cr_assert_null(rt_theme_area_label("no-such-area"));
}

Test(readout, themes_of_topics_and_asks)
{
    json_t *d = parse(HEADER("2019-03-12") "Canada and Laos discussed the death penalty, "
                                           "labour rights, and the treatment of asylum "
                                           "seekers. Canada urged Laos to free all prisoners "
                                           "of conscience.\n");
    json_t *tt = json_object_get(d, "topic_themes"), *u;
    cr_assert_eq(json_array_size(tt), n(d, "topics"), "%s", json_dumps(tt, 0));
    /* the three listed, then the object of the ask */
    cr_assert_eq(json_array_size(tt), 4, "%s", json_dumps(tt, 0));
    cr_assert(has(json_object_get(json_array_get(tt, 3), "themes"), "political-prisoners"), "%s",
              json_dumps(tt, 0));
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(tt, 0), "topic")),
                     json_string_value(json_array_get(json_object_get(d, "topics"), 0)));
    cr_assert(has(json_object_get(json_array_get(tt, 0), "themes"), "death-penalty"));
    cr_assert(has(json_object_get(json_array_get(tt, 1), "themes"), "labour"));
    cr_assert(has(json_object_get(json_array_get(tt, 2), "themes"), "refugees"));
    u = json_array_get(json_object_get(d, "urged"), 0);
    cr_assert(has(json_object_get(u, "themes"), "political-prisoners"), "%s", json_dumps(u, 0));
    json_decref(d);
}

Test(readout, empty_input)
{
    json_t *d = NULL;
    struct rt_error e = RT_ERROR_INIT;
    cr_assert_eq(rt_readout_parse("", 0, "e.txt", 0, &d, &e), RT_EINVAL);
    cr_assert_null(d);
    cr_assert_not_null(strstr(e.msg.buf, "empty"));
    cr_assert_eq(rt_readout_parse(" \n\t\n", 4, "e.txt", 0, &d, &e), RT_EINVAL);
    rt_error_release(&e);
}

Test(readout, binary_input)
{
    static const char bin[] = {'\x7f', 'E', 'L', 'F', 0, 1, 2, '\xff', '\xfe', 'a'};
    const char *path = test_file("b.bin", bin, sizeof(bin));
    json_t *d = NULL;
    struct rt_error e = RT_ERROR_INIT;
    cr_assert_eq(rt_readout_parse_file(path, 0, &d, &e), RT_EFORMAT);
    cr_assert_null(d);
    cr_assert_not_null(strstr(e.msg.buf, "not a text file"));
    cr_assert_eq(rt_readout_parse("ab\xc3(", 4, "u.txt", 0, &d, &e), RT_EFORMAT);
    rt_error_release(&e);
}

/* One byte over the limit fails, in memory and as a file (5 MB parses: t3710). */
Test(readout, too_big)
{
    size_t len = (size_t)RT_READOUT_MAX + 1;
    char *big = rt_xmalloc(len);
    json_t *d = NULL;
    struct rt_error e = RT_ERROR_INIT;
    const char *path;
    for (size_t i = 0; i < len; i++)
        big[i] = "Canada urged Laos to act. "[i % 26];
    cr_assert_eq(rt_readout_parse(big, len, "big.txt", 0, &d, &e), RT_ETOOBIG);
    path = test_file("big.txt", big, len);
    cr_assert_eq(rt_readout_parse_file(path, 0, &d, &e), RT_ETOOBIG);
    cr_assert_null(d);
    cr_assert_not_null(strstr(e.msg.buf, "at most 16777216 bytes (16 MiB)"));
    rt_free(big);
    rt_error_release(&e);
}

Test(readout, other_scripts)
{
    json_t *d = parse("Делегации Беларуси и Европейского союза обсудили права "
                      "человека 16 июня.\n");
    cr_assert_not_null(strstr(s(d, "notes"), "Latin script"));
    cr_assert_eq(n(d, "participants"), 0);
    json_decref(d);
    d = parse("2012年5月29日，中欧举行第31次人权对话。\n");
    cr_assert_not_null(strstr(s(d, "notes"), "Latin script"));
    json_decref(d);
}

Test(readout, real_readouts_parse)
{
    const char *dir = shared_data();
    char path[600];
    json_t *d = NULL;
    struct rt_error e = RT_ERROR_INIT;
    snprintf(path, sizeof(path), "%s/readouts/us-belarus-wg-2015-12-16.txt", dir);
    cr_assert_eq(rt_readout_parse_file(path, 0, &d, &e), 0, "%s", e.msg.buf);
    cr_assert_str_eq(s(d, "date"), "2015-12-16");
    cr_assert_eq(json_integer_value(json_object_get(d, "round")), 2);
    json_decref(d);
    rt_error_release(&e);
}

/*
 * find_ci (readout_int.h) skips to a pattern's first byte 8 bytes at a time: against a
 * plain byte-by-byte search, on random texts of letters of both cases, spaces,
 * punctuation and UTF-8, every offset, length and pattern (letters first or not).
 */
#include "ingest/readout_int.h"

static long find_ci_plain(const char *s, size_t n, size_t from, const char *pat)
{
    size_t m = strlen(pat);
    for (size_t i = from; m && i + m <= n; i++)
        if (word_at(s, n, i, pat))
            return (long)i;
    return -1;
}

Test(readout, find_ci_agrees_with_a_plain_search)
{
    static const char alphabet[] = "aAbBnNdD  ,.-'\xc3\xa9";
    static const char *const pats[] = {"and", "an", " and ", "d", "ba", ", and", "-", "é", "A"};
    unsigned seed = 7;
    char s[80];

    for (int round = 0; round < 3000; round++) {
        size_t n = (size_t)(round % 79);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            s[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
        }
        s[n] = '\0';
        for (size_t p = 0; p < sizeof(pats) / sizeof(pats[0]); p++)
            for (size_t from = 0; from <= n; from += 3)
                cr_assert_eq(find_ci(s, n, from, pats[p]), find_ci_plain(s, n, from, pats[p]),
                             "'%s' in '%s' from %zu", pats[p], s, from);
    }
}
