// Browser tests of the web face (STACK.md section 15): Debian chromium driven by
// playwright-core, against `rightstrack serve` on a fresh demo database.
// Every page test runs twice, with JavaScript on and off; screenshots go to
// build/web-screenshots/. Run: RT=build/debug/rightstrack node --test tests/web/
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite, SHOTS, EXTRA_DEATH_PENALTY } from './server.mjs';

const VIEWPORT = { width: 1024, height: 768 };
// The demo data has one "death penalty" hit; server.mjs adds the rest.
const DEATH_PENALTY_HITS = 1 + EXTRA_DEATH_PENALTY;

let blankBytes;
const suite = browserSuite(async (browser) => {
    // The size of a screenshot of an empty page: a page's own must be well above it.
    const page = await browser.newPage({ viewport: VIEWPORT });
    blankBytes = (await page.screenshot()).length;
    await page.close();
});

async function shot(page, name) {
    const file = join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    const bytes = statSync(file).size;
    assert.ok(bytes > 4096 && bytes > 3 * blankBytes,
        `screenshot ${file} is not blank (${bytes} bytes, an empty page is ${blankBytes})`);
}

// Clicks and waits for the page the click leads to (a link or a form's submit).
async function follow(page, locator, url) {
    await Promise.all([page.waitForURL(url), locator.click()]);
    await page.waitForLoadState('load');
}

// Who acted: typed into the field without JavaScript; with it, picked by name from
// the list the field's search offers (the picker of /assets/pick.js).
async function pickParty(form, js) {
    if (!js) {
        await form.locator('[name="actor"]').fill('Belarus');
        return;
    }
    await form.getByRole('combobox', { name: /Who acted/ }).fill('belar');
    await form.getByRole('option', { name: 'Belarus', exact: true }).click();
}

for (const js of [true, false]) {
    const tag = js ? 'js' : 'nojs';

    describe(`pages with JavaScript ${js ? 'on' : 'off'}`, () => {
        let context, page;

        before(async () => {
            context = await suite.browser.newContext({ javaScriptEnabled: js, viewport: VIEWPORT });
            page = await context.newPage();
        });
        after(async () => { await context?.close(); });

        it('(a) searches "death penalty" and pages to the next results and back', async () => {
            const res = await page.goto(suite.server.url + '/');
            assert.equal(res.status(), 200);
            await page.locator('form.search input[name="q"]').fill('death penalty');
            await follow(page, page.locator('form.search button[type="submit"]'), /\/search\?/);
            assert.match(page.url(), /[?&]q=death(\+|%20)penalty/);
            const summary = page.locator('main > p').filter({ hasText: 'recommendations' }).first();
            assert.match(await summary.innerText(), new RegExp(`^${DEATH_PENALTY_HITS} recommendations, 1 to 20$`));
            assert.equal(await page.locator('table.results tr.hit').count(), 20);
            assert.equal(await page.locator('input[name="q"]').inputValue(), 'death penalty',
                'the search box keeps the words');
            assert.equal(await page.locator('a[rel="prev"]').count(), 0, 'no previous page on page 1');
            await shot(page, `search-${tag}`);

            await follow(page, page.locator('a[rel="next"]'), /offset=20/);
            assert.match(await summary.innerText(), new RegExp(`, 21 to ${DEATH_PENALTY_HITS}$`));
            assert.equal(await page.locator('table.results tr.hit').count(), DEATH_PENALTY_HITS - 20);
            assert.equal(await page.locator('table.results tr.hit td.muted').first().innerText(), '21',
                'rows are numbered on from the page before');
            assert.match(await page.locator('nav.paging').innerText(), /^Page 2 of 2 · /);
            assert.equal(await page.locator('a[rel="next"]').count(), 0, 'no next page on the last');
            await shot(page, `search-page2-${tag}`);

            await follow(page, page.locator('a[rel="prev"]'), /offset=0|q=[^&]*$/);
            assert.match(await summary.innerText(), /, 1 to 20$/);
            assert.equal(await page.locator('table.results tr.hit').count(), 20);
        });

        it('(b) opens a recommendation from the results', async () => {
            await page.goto(suite.server.url + '/search?q=death+penalty&sur=Belarus');
            const hit = page.locator('table.results tr.hit td a').filter({ hasText: 'Second Optional Protocol' });
            assert.equal(await hit.count(), 1);
            const text = await hit.innerText();
            await follow(page, hit, /\/recommendations\/\d+$/);
            assert.match(await page.locator('h1').innerText(), /^Recommendation to Belarus, session \d+$/);
            assert.equal(await page.locator('main blockquote').innerText(), text);
            const sur = page.locator('tr', { has: page.locator('th', { hasText: 'State under review' }) });
            assert.equal(await sur.locator('td').innerText(), 'Belarus');
            assert.equal(await page.locator('tr', { hasText: 'Recommended by' }).locator('td').innerText(), 'France');
            await shot(page, `recommendation-${tag}`);
        });

        it('(c) shows Belarus with its chart', async () => {
            const res = await page.goto(suite.server.url + '/states/BLR');
            assert.equal(res.status(), 200);
            assert.match(await page.locator('h1').innerText(), /Belarus/);
            const svg = page.locator('main svg').first();
            assert.ok(await svg.isVisible(), 'the SVG chart is shown');
            const box = await svg.boundingBox();
            assert.ok(box && box.width > 100 && box.height > 20, `the chart has a size: ${JSON.stringify(box)}`);
            assert.ok(await svg.locator('rect').count() > 0, 'the chart draws bars');
            await shot(page, `state-BLR-${tag}`);
        });

        it('(d) records a step on the dialogue and shows it on the timeline', async () => {
            await page.goto(suite.server.url + '/');
            await follow(page, page.getByRole('link', { name: /US-Belarus Working Group/ }), /\/dialogues\/1$/);
            const stepText = `Web test (${tag}): four prisoners pardoned`;
            assert.equal(await page.getByText(stepText).count(), 0);
            const form = page.locator('form[action="/dialogues/1/steps"]');
            await pickParty(form, js);
            await form.locator('[name="date"]').fill(js ? '2016-11-04' : '2016-11-05');
            await form.locator('[name="kind"]').selectOption('pardon');
            await form.locator('[name="quantity"]').fill('4');
            await form.locator('[name="text"]').fill(stepText);
            await follow(page, form.getByRole('button', { name: 'Save' }), /\/dialogues\/1\?saved=step:\d+(#.*)?$/);
            assert.match(await page.locator('.banner').innerText(), /Step of 2016-11-0[45] by Belarus saved\./);
            const step = page.locator('ol.timeline li').filter({ hasText: stepText });
            assert.equal(await step.count(), 1, 'the new step is on the timeline');
            const line = await step.innerText();
            assert.match(line, /2016-11-0[45]/);
            assert.match(line, /pardon, 4/);
            await shot(page, `dialogue-${tag}`);
        });

        it('(e) a bad date comes back with the error and the typed values', async () => {
            await page.goto(suite.server.url + '/dialogues/1');
            const form = page.locator('form[action="/dialogues/1/steps"]');
            await pickParty(form, js);
            await form.locator('[name="date"]').fill('2016-13-45');
            await form.locator('[name="kind"]').selectOption('amnesty');
            await form.locator('[name="direction"]').selectOption('negative');
            await form.locator('[name="quantity"]').fill('12');
            await form.locator('[name="text"]').fill(`Never saved (${tag})`);
            const [res] = await Promise.all([
                page.waitForResponse((r) => r.request().method() === 'POST'),
                form.getByRole('button', { name: 'Save' }).click(),
            ]);
            await page.waitForLoadState('load');
            assert.equal(res.status(), 422);
            const alert = page.locator('[role="alert"]');
            assert.match(await alert.innerText(), /date: '2016-13-45' is not a date/);
            const back = page.locator('form[action="/dialogues/1/steps"]');
            // Without JavaScript the field holds what was typed; with it, what was picked.
            assert.equal(await back.locator('[name="actor"]').inputValue(), js ? 'BLR' : 'Belarus');
            assert.equal(await back.locator('[name="date"]').inputValue(), '2016-13-45');
            assert.equal(await back.locator('[name="date"]').getAttribute('aria-invalid'), 'true');
            assert.equal(await back.locator('[name="kind"]').inputValue(), 'amnesty');
            assert.equal(await back.locator('[name="direction"]').inputValue(), 'negative');
            assert.equal(await back.locator('[name="quantity"]').inputValue(), '12');
            assert.equal(await back.locator('[name="text"]').inputValue(), `Never saved (${tag})`);
            await shot(page, `step-error-${tag}`);
            await page.goto(suite.server.url + '/dialogues/1');
            assert.equal(await page.getByText(`Never saved (${tag})`).count(), 0, 'nothing was saved');
        });
    });
}

// Cross-site request forgery: a page of another site (here another port of this
// machine, which browsers count as the same site but not the same origin) makes the
// browser post a form to rightstrack. The browser says where the form comes from,
// and rightstrack refuses it with a 403 page that says why, even with a valid token.
describe('a form posted from another site', () => {
    let other, context, page;

    before(async () => {
        const { createServer } = await import('node:http');
        const home = await fetch(suite.server.url + '/dialogues/1');
        const token = (await home.text()).match(/name="csrf" value="([0-9a-f]{64})"/)[1];
        const html = (withToken) => '<!doctype html><title>Another site</title>' +
            `<form method="post" action="${suite.server.url}/dialogues/1/steps">` +
            (withToken ? `<input type="hidden" name="csrf" value="${token}">` : '') +
            '<input type="hidden" name="actor" value="Belarus">' +
            '<input type="hidden" name="date" value="2016-11-06">' +
            '<input type="hidden" name="kind" value="pardon">' +
            `<input type="hidden" name="text" value="Forged ${withToken ? 'with' : 'without'} token">` +
            '<button type="submit">Win a prize</button></form>';
        other = createServer((req, res) => {
            res.writeHead(200, { 'Content-Type': 'text/html' });
            res.end(html(req.url === '/with-token'));
        });
        await new Promise((res) => other.listen(0, '127.0.0.1', res));
        context = await suite.browser.newContext({ viewport: VIEWPORT });
        page = await context.newPage();
    });
    after(async () => {
        await context?.close();
        await new Promise((res) => (other ? other.close(res) : res()));
    });

    for (const path of ['/without-token', '/with-token']) {
        it(`is refused with 403 and saves nothing (${path.slice(1)})`, async () => {
            await page.goto(`http://127.0.0.1:${other.address().port}${path}`);
            const [res] = await Promise.all([
                page.waitForResponse((r) => r.request().method() === 'POST'),
                page.getByRole('button', { name: 'Win a prize' }).click(),
            ]);
            await page.waitForLoadState('load');
            assert.equal(res.status(), 403);
            assert.match(await page.locator('h1').innerText(), /sent from another site/);
            assert.match(await page.locator('[role="alert"]').innerText(), /did not save it/);
            await shot(page, `cross-site-${path.slice(1)}`);
            await page.goto(suite.server.url + '/dialogues/1');
            assert.equal(await page.getByText(/^Forged/).count(), 0, 'nothing was saved');
        });
    }
});
