// Browser test of the readout page: paste a readout (written here), review the draft
// in the form, get a refused save back with the input kept, correct it and save it
// as a round of the demo dialogue; with JavaScript on and off. Screenshots go to
// build/web-screenshots/. Run: RT=build/debug/rightstrack node --test tests/web/
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite, SHOTS } from './server.mjs';

const VIEWPORT = { width: 1024, height: 768 };

// A readout in the format of the shared data folder, in our own words.
const READOUT = [
    'United States and Belarus hold another working group meeting',
    '2017-05-10',
    'https://example.org/us-belarus-2017 (2017-05-11)',
    '',
    'Minsk - On May 10, the United States and Belarus held the third meeting of the ' +
        'Working Group for Democracy and Human Rights in Minsk.',
    'Deputy Assistant Secretary for Human Rights Karen Holloway led the U.S. delegation.',
    'The delegations discussed freedom of assembly, the death penalty and independent media.',
    'The United States welcomed the release of two political prisoners in April and urged ' +
        'Belarus to register independent trade unions.',
    '',
].join('\n');

const suite = browserSuite();

async function shot(page, name) {
    const file = join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(statSync(file).size > 4096, `screenshot ${file} is not blank`);
}

// Submits the readout form with the button, and waits for the page the server answers.
async function post(page, button) {
    await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/readouts/new') && r.request().method() === 'POST'),
        button.click(),
    ]);
    await page.waitForLoadState('load');
}

for (const js of [true, false]) {
    const tag = js ? 'js' : 'nojs';
    // Each pass saves its own round: the demo dialogue has rounds 1 and 2.
    const ordinal = js ? '5' : '6';

    describe(`the readout page with JavaScript ${js ? 'on' : 'off'}`, () => {
        let context, page;

        before(async () => {
            context = await suite.browser.newContext({ javaScriptEnabled: js, viewport: VIEWPORT });
            page = await context.newPage();
        });
        after(async () => { await context?.close(); });

        it('pastes a readout, corrects the draft and saves it as a round', async () => {
            const res = await page.goto(suite.server.url + '/dialogues/1');
            assert.equal(res.status(), 200);
            await Promise.all([page.waitForURL(/\/readouts\/new\?dialogue=1$/),
                               page.locator('#from-readout').click()]);
            assert.equal(await page.locator('select[name="dialogue"]').inputValue(), '1',
                'the dialogue comes chosen');

            await page.getByLabel('Readout text (required)').fill(READOUT);
            await post(page, page.getByRole('button', { name: 'Read the readout' }));
            assert.match(await page.locator('h1').innerText(), /Review the draft round/);
            assert.equal(await page.locator('[name="date"]').inputValue(), '2017-05-10');
            assert.equal(await page.locator('[name="round"]').inputValue(), '3');
            assert.equal(await page.locator('[name="place"]').inputValue(), 'Minsk');
            assert.equal(await page.locator('[name="p0_name"]').inputValue(), 'Karen Holloway');
            assert.equal(await page.locator('[name="p0_side"]').inputValue(), 'United States');
            assert.match(await page.locator('[name="u0_what"]').inputValue(), /register independent trade unions/);
            assert.match(await page.locator('[name="u0_themes"]').inputValue(), /association/);
            await shot(page, `readout-review-${tag}`);

            // Round 3 is free, but a bad date is refused and everything typed stays.
            await page.locator('[name="round"]').fill(ordinal);
            await page.locator('[name="p0_title"]').fill('Deputy Assistant Secretary (acting)');
            await page.locator('[name="date"]').fill('2017-05-40');
            await post(page, page.getByRole('button', { name: 'Save as a round' }));
            const alert = page.getByRole('alert');
            assert.match(await alert.innerText(), /date/);
            assert.equal(await page.locator('[name="date"]').inputValue(), '2017-05-40');
            assert.equal(await page.locator('[name="date"]').getAttribute('aria-invalid'), 'true');
            assert.equal(await page.locator('[name="round"]').inputValue(), ordinal);
            assert.equal(await page.locator('[name="p0_title"]').inputValue(),
                'Deputy Assistant Secretary (acting)');
            await shot(page, `readout-refused-${tag}`);

            // Corrected: a date, a topic the parser missed, and saved.
            await page.locator('[name="date"]').fill('2017-05-10');
            const blank = await page.locator('input[name^="t"][name$="_text"]').evaluateAll(
                (els) => els.find((e) => e.value === '')?.name);
            assert.ok(blank, 'an empty row for another topic');
            await page.locator(`[name="${blank}"]`).fill('prison conditions');
            await page.locator(`[name="${blank.replace('_text', '_themes')}"]`).fill('detention');
            await Promise.all([page.waitForURL(new RegExp(`/dialogues/1/rounds/${ordinal}\\?saved=round:\\d+&readout=1$`)),
                               page.getByRole('button', { name: 'Save as a round' }).click()]);
            await page.waitForLoadState('load');
            assert.match(await page.locator('h1').innerText(), new RegExp(`^Round ${ordinal} of`));
            const main = await page.locator('main').innerText();
            assert.match(main, /Karen Holloway, Deputy Assistant Secretary \(acting\)/);
            assert.match(main, /prison conditions/);
            assert.match(main, /register independent trade unions/);
            assert.match(main, /Recommendations on the same themes/);
            assert.match(await page.locator('#linked').innerText(), /^\d+ recommendations to Belarus/);
            await shot(page, `readout-saved-${tag}`);
        });
    });
}
