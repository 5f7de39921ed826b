// Browser test of starting a job on the web, on a database that does not exist yet:
// the import page (in the menu) uploads the real UPR Info export and shows the same
// counts as `import --json`, then refuses a file with a broken line, naming it, and
// imports nothing; the readout page offers to create the dialogue the readout names,
// filled from the draft, and the round is saved after; /dialogues/new creates one with
// the parties completed from the known states. Screenshots go to
// build/web-screenshots/import-*.png. Needs ../shared/data (skips without it, fails
// under CI). Run: RT=build/debug/rightstrack node --test tests/web/imports.test.mjs
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT, SHOTS, emptySuite } from './server.mjs';

const DATA = process.env.RIGHTSTRACK_SHARED_DATA || resolve(ROOT, '..', 'shared', 'data');
const UPR = join(DATA, 'upr', 'raw', 'v2-upr-info', '18.csv');
const READOUT = join(DATA, 'readouts', 'us-belarus-wg-2015-12-16.txt');
const RT = resolve(ROOT, process.env.RT || 'build/debug/rightstrack');
const have = existsSync(UPR) && existsSync(READOUT);
if (!have && process.env.CI) throw new Error(`missing ${UPR} or ${READOUT} under CI`);

async function shot(page, name) {
    const file = join(SHOTS, `import-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(statSync(file).size > 4096, `screenshot ${file} is not blank`);
}

// The numbers of the summary table, by their row's heading.
async function summary(page) {
    const rows = await page.locator('#summary tr').evaluateAll((trs) =>
        trs.map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent]));
    return Object.fromEntries(rows);
}

describe('starting a job on the web', { skip: !have && 'no ../shared/data' }, () => {
    let dir, server, page;

    // The server on a database that does not exist yet, chromium and a page (server.mjs).
    const suite = emptySuite({ viewport: { width: 1024, height: 768 } }, 'new.db');
    before(() => {
        ({ server, page } = suite);
        dir = server.dir;
    });

    it('imports the UPR Info export through the page, with the counts of import --json', async () => {
        const cli = JSON.parse(execFileSync(RT, ['--db', join(dir, 'cli.db'), 'import', '--json', UPR]));
        await page.goto(server.url + '/');
        await page.getByRole('link', { name: 'Import', exact: true }).click();
        await page.waitForURL(/\/imports$/);
        assert.equal(await page.locator('h1').textContent(), 'Import recommendations');
        await page.setInputFiles('#f-file', UPR);
        await shot(page, '1-form');
        await page.getByRole('button', { name: 'Import' }).click();
        await page.waitForURL(/\/imports\/1$/);
        // The page refreshes itself (no script) until the import is done.
        await page.locator('h1', { hasText: 'Imported: 18.csv' }).waitFor({ timeout: 60000 });
        const got = await summary(page);
        assert.equal(got['Format'], cli.files[0].format);
        assert.equal(Number(got['Rows read']), cli.rows);
        assert.equal(Number(got['Recommendations added']), cli.recommendations_added);
        assert.equal(Number(got['Rows merged into recommendations already there']),
            cli.recommendations_existing);
        assert.equal(Number(got['Theme tags added']), cli.themes_added);
        await shot(page, '2-done');
        // The recommendations are there to search.
        await page.getByRole('link', { name: 'Search the recommendations' }).click();
        await page.waitForLoadState('load');
        assert.match(await page.locator('main').textContent(), /2,?360 recommendations|2360/);
    });

    it('refuses a file with a broken line, naming the line, and imports nothing', async () => {
        const lines = readFileSync(UPR, 'latin1').split('\r').slice(0, 4);
        lines.push('Afghanistan,Asia,OIC,A broken line,Ethiopia,Africa,AU,Accepted,4,General,notasession');
        const bad = join(dir, 'bad.csv');
        writeFileSync(bad, lines.join('\n') + '\n', 'latin1');
        await page.goto(server.url + '/imports');
        await page.setInputFiles('#f-file', bad);
        await page.getByRole('button', { name: 'Import' }).click();
        await page.waitForURL(/\/imports\/2$/);
        await page.locator('#refused').waitFor({ timeout: 30000 });
        const text = await page.locator('main').textContent();
        assert.match(text, /Nothing was imported/);
        assert.match(text, /refused at line 5, field Session/);
        assert.match(text, /bad\.csv:5/);
        await shot(page, '3-refused');
        await page.goto(server.url + '/imports');
        assert.equal(await page.locator('tbody tr').count(), 2, 'both imports are listed');
    });

    it('creates the dialogue a readout names, from the draft, and saves the round', async () => {
        await page.goto(server.url + '/');
        await page.getByRole('link', { name: 'Record a readout' }).click();
        await page.waitForURL(/\/readouts\/new$/);
        assert.equal(await page.locator('#f-dialogue option').count(), 1, 'no dialogue yet');
        await page.fill('#f-text', readFileSync(READOUT, 'utf8'));
        await page.getByRole('button', { name: 'Read the readout' }).click();
        await page.locator('#create-dialogue').waitFor();
        const name = await page.inputValue('#f-dialogue_name');
        assert.match(name, /Working Group/);
        assert.equal(await page.inputValue('#f-new_name'), name, 'the name is the readout\'s');
        assert.equal(await page.inputValue('#f-new_party1'), 'United States');
        assert.equal(await page.inputValue('#f-new_party2'), 'Belarus');
        await page.locator('#create-dialogue').scrollIntoViewIfNeeded();
        await shot(page, '4-create-offered');
        await page.getByRole('button', { name: 'Create this dialogue' }).click();
        await page.locator('#dialogue-created').waitFor();
        assert.equal(await page.locator('#create-dialogue').count(), 0, 'no more offer');
        const chosen = await page.locator('#f-dialogue option:checked').textContent();
        assert.equal(chosen, name, 'the new dialogue is chosen');
        assert.equal(await page.inputValue('#f-date'), '2015-12-16', 'the draft is kept');
        await shot(page, '5-created');
        await page.getByRole('button', { name: 'Save as a round' }).click();
        await page.waitForLoadState('load');
        if (page.url().endsWith('/readouts/new')) // items to leave out: confirm
            await page.getByRole('button', { name: 'Save as a round' }).click();
        await page.waitForURL(/\/dialogues\/1\/rounds\/2(\?saved=[^&]*&readout=1)?$/);
        assert.match(await page.locator(".banner").innerText(), /Saved from the readout with the round/);
        await shot(page, '6-round-saved');
    });

    it('shows the progress of a longer import, then its outcome', async () => {
        // The normalised UPR Info file, sessions 1-18: 10 MB, some seconds to import.
        const all = join(DATA, 'upr', 'upr_info_s01-s18.csv');
        await page.goto(server.url + '/imports');
        await page.setInputFiles('#f-file', all);
        await page.getByRole('button', { name: 'Import' }).click();
        await page.waitForURL(/\/imports\/3$/);
        if (await page.locator('#progress').count()) await shot(page, '2b-progress');
        await page.locator('h1', { hasText: 'Imported: upr_info_s01-s18.csv' }).waitFor({ timeout: 120000 });
        const got = await summary(page);
        assert.equal(got['Format'], 'upr-info');
        assert.equal(Number(got['Rows read']), 36381, 'the rows of the README');
        await page.goto(server.url + '/');
        // With 18.csv before it: the 35,368 recommendations of the README, as the raw files give.
        assert.match(await page.locator('main').textContent(), /35,368 recommendations/);
    });

    it('creates a dialogue on /dialogues/new, the parties completed from the known ones', async () => {
        await page.goto(server.url + '/dialogues');
        await page.getByRole('link', { name: 'Create a dialogue' }).click();
        await page.waitForURL(/\/dialogues\/new$/);
        const options = await page.locator('datalist#parties option').evaluateAll((os) => os.map((o) => o.value));
        assert.ok(options.includes('Belarus') && options.includes('EU'), 'states and organisations');
        assert.equal(await page.getAttribute('#f-party1', 'list'), 'parties');
        await page.fill('#f-name', 'EU-Belarus human rights dialogue');
        await page.fill('#f-party1', 'EU');
        await page.fill('#f-party2', 'Narnia');
        await page.getByRole('button', { name: 'Create the dialogue' }).click();
        await page.locator('[role=alert]').waitFor();
        assert.match(await page.locator('[role=alert]').textContent(), /Narnia/);
        assert.equal(await page.inputValue('#f-name'), 'EU-Belarus human rights dialogue', 'kept');
        await page.fill('#f-party2', 'Belarus');
        await shot(page, '7-new-dialogue');
        await page.getByRole('button', { name: 'Create the dialogue' }).click();
        await page.waitForURL(/\/dialogues\/2$/);
        assert.equal(await page.locator('h1').textContent(), 'EU-Belarus human rights dialogue');
        assert.match(await page.locator('main p').first().textContent(), /Between (EU and Belarus|Belarus and EU)\./);
        await shot(page, '8-dialogue-page');
    });
});
