// The seed's whole journey in the browser (issue 13, "How we will know"): a desk officer
// following the US-Belarus working group starts `serve` on an empty database and, with no
// command line, imports the UPR Info export through the import page, pastes the State
// Department's readout of 16 December 2015, creates the dialogue from the draft, saves
// round 2, links five Belarus recommendations to a topic of round 2 from a search with the
// check boxes, records the August 2015 release of six prisoners, the October 2015 US answer
// to it (picked with the picker), the September 2016 elections and ODIHR's assessment,
// corrects one step on its record page, withdraws another with a reason, and opens the
// briefing as of 2016-12-31 and downloads its PDF. Each page is checked on the way (round
// 2 named so, never by row id; the links on the round page; the withdrawn step gone from
// the briefing and kept in its history). A screenshot of every step goes to
// build/web-screenshots/journey-NN-*.png. Needs ../shared/data (skips without it, fails
// under CI). Run: RT=build/debug/rightstrack node --test tests/web/journey.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, SHOTS, emptySuite } from './server.mjs';

const DATA = process.env.RIGHTSTRACK_SHARED_DATA || resolve(ROOT, '..', 'shared', 'data');
// The whole normalised UPR Info export, sessions 1-18 (Belarus: session 8).
const UPR = join(DATA, 'upr', 'upr_info_s01-s18.csv');
const READOUT = join(DATA, 'readouts', 'us-belarus-wg-2015-12-16.txt');
const have = existsSync(UPR) && existsSync(READOUT);
if (!have && process.env.CI) throw new Error(`missing ${UPR} or ${READOUT} under CI`);

let shots = 0;
async function shot(page, name) {
    shots++;
    const file = join(SHOTS, `journey-${String(shots).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(statSync(file).size > 4096, `screenshot ${file} is not blank`);
}

// Types part of a name into the picker labelled label, and picks the option named option.
async function pick(scope, label, typed, option) {
    const box = scope.getByRole('combobox', { name: label });
    await box.fill(typed);
    const choice = scope.getByRole('option', { name: option });
    await choice.first().waitFor();
    await choice.first().click();
}

// Sends a form whose answer is a page with a "saved" banner; returns the banner's text.
async function save(page, button) {
    await Promise.all([page.waitForURL(/saved=/), button.click()]);
    await page.waitForLoadState('load');
    return page.locator('.banner[role="status"]').innerText();
}

// No round is ever named by its row id: round 2 is stored as row 1 here, so "round 1"
// anywhere is the row id leaking.
async function noRowId(page, where) {
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /\bround 1\b|\bRound 1\b|round id/i, `${where} names no round by its row id`);
}

describe("the seed's journey in the browser, on an empty database", { skip: !have && 'no ../shared/data' }, () => {
    let server, page;
    let roundUrl, stepUrl;

    // The server on a database that does not exist yet, chromium and a page (server.mjs).
    const suite = emptySuite({ viewport: { width: 1024, height: 800 }, acceptDownloads: true }, 'journey.db');
    before(() => ({ server, page } = suite));

    it('starts on an empty database and imports the UPR Info export through the page', async () => {
        await page.goto(server.url + '/');
        await shot(page, 'start');
        await page.getByRole('link', { name: 'Import', exact: true }).click();
        await page.waitForURL(/\/imports$/);
        await page.setInputFiles('#f-file', UPR);
        await shot(page, 'import-form');
        await page.getByRole('button', { name: 'Import' }).click();
        await page.waitForURL(/\/imports\/1$/);
        await page.locator('h1', { hasText: 'Imported: upr_info_s01-s18.csv' }).waitFor({ timeout: 90000 });
        const main = await page.locator('main').innerText();
        assert.match(main, /35,?368/, 'the recommendations of the README');
        await shot(page, 'import-done');
    });

    it('pastes the readout, creates the dialogue from the draft and saves round 2', async () => {
        await page.goto(server.url + '/');
        await page.getByRole('link', { name: 'Record a readout' }).click();
        await page.waitForURL(/\/readouts\/new$/);
        await page.fill('#f-text', readFileSync(READOUT, 'utf8'));
        await page.getByRole('button', { name: 'Read the readout' }).click();
        await page.locator('#create-dialogue').waitFor();
        assert.equal(await page.inputValue('#f-new_party1'), 'United States');
        assert.equal(await page.inputValue('#f-new_party2'), 'Belarus');
        await shot(page, 'readout-read');
        await page.getByRole('button', { name: 'Create this dialogue' }).click();
        await page.locator('#dialogue-created').waitFor();
        assert.equal(await page.inputValue('#f-date'), '2015-12-16', 'the draft is kept');
        await shot(page, 'dialogue-created');
        await page.getByRole('button', { name: 'Save as a round' }).click();
        await page.waitForLoadState('load');
        if (page.url().endsWith('/readouts/new')) // items to leave out: confirm
            await page.getByRole('button', { name: 'Save as a round' }).click();
        await page.waitForURL(/\/dialogues\/1\/rounds\/2(\?.*)?$/);
        roundUrl = server.url + '/dialogues/1/rounds/2';
        assert.match(await page.locator('h1').innerText(), /Round 2\b/);
        // The banner says what came with the round: the welcomed release is a step now,
        // named and linked, so that no one enters it twice.
        const banner = page.locator('.banner[role="status"]');
        assert.match(await banner.innerText(), /Saved from the readout with the round: \d+ participants?, .*1 step welcomed/);
        assert.match(await banner.locator('.saved-steps').innerText(), /step of 2015-08 by Belarus: .*six political prisoners/i);
        assert.match(await banner.locator('.saved-steps a').first().getAttribute('href'), /^\/dialogues\/1#step-\d+$/);
        await noRowId(page, 'the round page');
        await shot(page, 'round-2-saved');
    });

    it('links five Belarus recommendations to a topic of round 2 from a search', async () => {
        await page.goto(server.url + '/search?sur=Belarus&q=elections');
        const boxes = page.locator('input[type="checkbox"][name="rec"]');
        assert.ok(await boxes.count() >= 5, 'five hits to tick');
        for (let i = 0; i < 5; i++) await boxes.nth(i).check();
        await pick(page, /To this round, topic, ask or benchmark/, 'parliamentary elections', /^topic of round 2: next year/);
        await shot(page, 'search-ticked');
        const banner = await save(page, page.getByRole('button', { name: 'Link the selected' }));
        assert.match(banner, /5 recommendations linked to topic of round 2\./);
        assert.match(page.url(), /\/dialogues\/1\/rounds\/2\?/);
        const topic = page.locator('li[id^="topic-"]').filter({ hasText: 'meet international standards' });
        assert.equal(await topic.locator('.linked-by-hand a[href^="/recommendations/"]').count(), 5, 'the five links show on the round page');
        await noRowId(page, 'the round page');
        await shot(page, 'search-linked');
    });

    // The step form of the dialogue page.
    const stepForm = () => page.locator('form[action="/dialogues/1/steps"]');
    async function step(fields) {
        await page.goto(server.url + '/dialogues/1');
        const form = stepForm();
        await pick(form, /Who acted/, fields.actor[0], fields.actor[1]);
        await form.locator('[name="date"]').fill(fields.date);
        await form.locator('[name="kind"]').selectOption(fields.kind);
        if (fields.quantity) await form.locator('[name="quantity"]').fill(fields.quantity);
        await form.locator('[name="text"]').fill(fields.text);
        if (fields.source) await form.locator('[name="source"]').fill(fields.source);
        for (const [label, typed, option] of fields.picks || []) await pick(form, label, typed, option);
        await shot(page, `${fields.name}-form`);
        const banner = await save(page, form.getByRole('button', { name: 'Save' }));
        assert.match(banner, new RegExp(`Step of ${fields.date} by ${fields.by} saved\\.`));
        const href = await page.locator('.banner').getByRole('link', { name: 'Show what was saved' }).getAttribute('href');
        const saved = page.locator(href.slice(href.indexOf('#')));
        assert.match(await saved.innerText(), new RegExp(fields.text.slice(0, 30)));
        await shot(page, `${fields.name}-saved`);
        return href.slice(href.indexOf('#step-') + 6);
    }

    let release, sanctions, elections, mistake;
    it('records the August 2015 release (correcting the step the readout made) and the October 2015 US answer to it', async () => {
        // The readout welcomed "Belarus' release of six political prisoners in August":
        // saving it made that step, dated 2015-08. Recording the release is correcting it.
        await page.goto(roundUrl);
        const welcomed = page.locator('li[id^="step-"]').filter({ hasText: 'six political prisoners' });
        assert.equal(await welcomed.count(), 1, 'the readout\'s release is on the round page');
        release = (await welcomed.getAttribute('id')).slice(5);
        await welcomed.getByRole('link', { name: 'edit' }).click();
        await page.waitForURL(new RegExp(`/records/step:${release}$`));
        stepUrl = page.url();
        assert.equal(await page.locator('h1').innerText(), 'Step of 2015-08 by Belarus', 'titled by what it is');
        const edit = page.locator('form[action$="/edit"]');
        // The round that welcomed it is named by its number, never its row id.
        const rounds = edit.locator('.pick-chosen li').filter({ hasText: /^round 2 of United States-Belarus/ });
        await rounds.first().waitFor();
        assert.equal(await rounds.count(), 1, 'the round that welcomed it, by its number');
        await edit.locator('[name="date"]').fill('2015-08-22');
        await edit.locator('[name="quantity"]').fill('6');
        await edit.locator('[name="text"]').fill('Presidential pardon frees six political prisoners, among them Mikalai Statkevich (journey test).');
        await edit.locator('[name="source"]').fill('Freedom House, 22 August 2015');
        await shot(page, 'release-correct-form');
        const banner = await save(page, edit.getByRole('button', { name: 'Save' }));
        assert.match(banner, /Step of 2015-08-22 by Belarus saved\./);
        assert.equal(await page.locator('form[action$="/edit"] [name="date"]').inputValue(), '2015-08-22');
        await shot(page, 'release-corrected');
        await page.goto(roundUrl);
        assert.match(await page.locator(`#step-${release}`).innerText(), /2015-08-22[\s\S]*Statkevich/);
        await noRowId(page, 'the round page');

        sanctions = await step({
            name: 'sanctions', actor: ['United St', /^United States/], by: 'United States', date: '2015-10',
            kind: 'sanctions-eased',
            text: 'US Treasury suspends its sanctions on nine Belarusian state-owned companies (journey test).',
            source: 'US Treasury (OFAC), October 2015',
            picks: [[/In response to steps/, 'pardon', /^step of 2015-08-22 by Belarus/]],
        });
        const item = page.locator(`#step-${sanctions}`);
        assert.match(await item.innerText(), /2015-08-22/, 'the answer names the step it responds to');
    });

    it('records the September 2016 elections and ODIHR\'s assessment', async () => {
        elections = await step({
            name: 'elections', actor: ['Belar', /^Belarus/], by: 'Belarus', date: '2016-09-11',
            kind: 'election-held',
            text: 'Elections to the House of Representatives, watched by an OSCE/ODIHR mission (journey test).',
            source: 'OSCE/ODIHR final report, 8 December 2016',
            picks: [[/Answers/, 'ODIHR', /^ask \d+ of round 2/]],
        });
        // A step entered twice by mistake, withdrawn below.
        mistake = await step({
            name: 'mistake', actor: ['Belar', /^Belarus/], by: 'Belarus', date: '2016-09-12',
            kind: 'election-held',
            text: 'Parliamentary elections held, entered twice by mistake (journey test).',
        });
        // ODIHR's judgement of the elections the round asked for: an assessment of the ask,
        // on the round page, the ask picked by name.
        await page.goto(roundUrl);
        const assess = page.locator('form[action="/dialogues/1/rounds/2/assessments"]');
        await pick(assess, /Assessed/, 'ODIHR', /^ask \d+ of round 2/);
        await assess.locator('[name="status"]').selectOption('partially');
        await assess.locator('[name="as_of"]').fill('2016-12-08');
        await assess.locator('[name="assessor"]').fill('ODIHR');
        await assess.locator('[name="source"]').fill('OSCE/ODIHR final report, 8 December 2016');
        await assess.locator('[name="evidence"]').fill('ODIHR calls for a full review of electoral law (journey test).');
        await shot(page, 'ask-assessment-form');
        assert.match(await save(page, assess.getByRole('button', { name: 'Save' })), /saved\./);
        assert.match(page.url(), /\/dialogues\/1\/rounds\/2\?saved=assessment:\d+$/);
        assert.match(await page.locator('.banner').getByRole('link', { name: 'Show what was saved' }).getAttribute('href'),
            /^\/dialogues\/1\/rounds\/2#ask-\d+$/, 'the banner links to the ask assessed');
        await noRowId(page, 'the round page');
        await shot(page, 'ask-assessment-saved');

        // And of a linked recommendation, on its own page.
        await page.goto(roundUrl);
        const topic = page.locator('li[id^="topic-"]').filter({ hasText: 'meet international standards' });
        await topic.locator('.linked-by-hand a').first().click();
        await page.waitForURL(/\/recommendations\/\d+$/);
        const form = page.locator('form[action$="/assessments"]');
        await form.locator('[name="status"]').selectOption('partially');
        await form.locator('[name="as_of"]').fill('2016-12-08');
        await form.locator('[name="assessor"]').fill('ODIHR');
        await form.locator('[name="source"]').fill('OSCE/ODIHR final report, 8 December 2016');
        await form.locator('[name="evidence"]').fill('ODIHR asks for a review of electoral law and transparent counting (journey test).');
        await shot(page, 'assessment-form');
        const banner = await save(page, form.getByRole('button', { name: 'Save' }));
        assert.match(banner, /saved/);
        assert.match(await page.locator('table.assessments').innerText(), /ODIHR/);
        await shot(page, 'assessment-saved');
    });

    it('withdraws a step entered twice, with a reason, and keeps it in its history', async () => {
        await page.goto(server.url + '/records/step:' + mistake);
        await page.fill('#w-reason', 'Entered twice: the elections are step of 2016-09-11.');
        await shot(page, 'withdraw-form');
        await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Withdraw' }).click()]);
        await page.goto(server.url + '/records/step:' + mistake);
        assert.match(await page.locator('#withdrawn').innerText(), /Entered twice/);
        await shot(page, 'withdrawn');
        await page.getByRole('link', { name: 'History of this record' }).click();
        await page.waitForURL(/\/history$/);
        const history = await page.locator('main').innerText();
        assert.match(history, /withdr/i, 'the history says it was withdrawn');
        assert.match(history, /Entered twice/, 'with the reason');
        assert.match(history, /actor: Belarus/, 'parties by name');
        assert.doesNotMatch(history, /\bBLR\b|\b(step|round|ask|recommendation):\d+/, 'no code, no row id');
        await shot(page, 'withdrawn-history');

        await page.goto(stepUrl + '/history');
        assert.match(await page.locator('main').innerText(), /2015-08\s*→\s*2015-08-22/,
            'the correction shows what changed');
        await shot(page, 'corrected-history');
    });

    it('opens the briefing as of 2016-12-31 and downloads its PDF', async () => {
        await page.goto(server.url + '/dialogues/1');
        await page.getByLabel('Briefing as of').fill('2016-12-31');
        await Promise.all([page.waitForURL(/\/reports\/brief\/1\?/), page.getByRole('button', { name: 'Open' }).click()]);
        await page.getByRole('heading', { level: 1, name: /^Briefing: / }).waitFor();
        const text = await page.locator('body').innerText();
        assert.match(text, /As of 2016-12-31/);
        assert.match(text, /round 2/i);
        assert.match(text, /six political prisoners/, 'the release');
        assert.match(text, /Statkevich/, 'the corrected release');
        assert.match(text, /nine Belarusian state-owned companies/, 'the answer to it');
        assert.match(text, /House of Representatives/, 'the elections');
        assert.match(text, /ODIHR calls for a full review of electoral law/, "ODIHR's assessment of the ask");
        assert.doesNotMatch(text, /entered twice by mistake/, 'the withdrawn step is left out');
        await noRowId(page, 'the briefing');
        await shot(page, 'briefing');
        const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('button', { name: 'Download PDF' }).click(),
        ]);
        assert.match(download.suggestedFilename(), /briefing-2016-12-31\.pdf$/);
        const path = join(SHOTS, 'journey-briefing.pdf');
        await download.saveAs(path);
        const bytes = readFileSync(path);
        assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the PDF is a PDF');
        assert.ok(bytes.length > 10000, 'of some pages');
    });
});
