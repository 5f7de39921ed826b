// Browser tests of the reports (docs/reports.md): a desk officer opens the dialogue,
// asks for the briefing as of a date, reads it, and downloads the PDF; the same for a
// country's profile. Screenshots go to build/web-screenshots/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite, SHOTS } from './server.mjs';


const suite = browserSuite();

describe('reports', () => {
    for (const js of [true, false]) {
        it(`the briefing as of a date, from the dialogue page (JavaScript ${js ? 'on' : 'off'})`, async () => {
            const page = await suite.browser.newPage({ javaScriptEnabled: js });
            await page.goto(`${suite.server.url}/dialogues/1`);
            await page.getByLabel('Briefing as of').fill('2016-01-31');
            await page.getByLabel('Format').selectOption('html');
            await Promise.all([page.waitForURL(/\/reports\/brief\/1\?/), page.getByRole('button', { name: 'Open' }).click()]);
            await assert.doesNotReject(page.getByRole('heading', { level: 1, name: /^Briefing: US-Belarus/ }).waitFor());
            const text = await page.textContent('body');
            assert.match(text, /As of 2016-01-31/);
            assert.match(text, /What moved since round 2/);
            assert.doesNotMatch(text, /2016-09-11/, 'the September election is after the date');
            assert.ok(await page.locator('svg').count() >= 1, 'charts are inline SVG');
            const file = join(SHOTS, `report-brief-js-${js ? 'on' : 'off'}.png`);
            await page.screenshot({ path: file, fullPage: true });
            assert.ok(statSync(file).size > 20000, 'the briefing is drawn');
            await page.close();
        });
    }

    it('the briefing keeps the menu on screen, not in print, and draws its timeline', async () => {
        const page = await suite.browser.newPage();
        await page.goto(`${suite.server.url}/reports/brief/1?as_of=2016-12-31`);
        const menu = page.getByRole('link', { name: 'Dialogues' });
        assert.ok(await menu.isVisible(), 'the menu is on the report page');
        const timeline = page.locator('svg', { has: page.locator('title', { hasText: 'Rounds and steps by date' }) });
        const box = await timeline.boundingBox();
        assert.ok(box && box.width > 300 && box.height > 50, `the timeline has a size: ${JSON.stringify(box)}`);
        const dots = timeline.locator('circle');
        assert.equal(await dots.count(), 3, 'a dot per step');
        const dot = await dots.first().boundingBox();
        assert.ok(dot && dot.width > 4, 'the dots are drawn');
        await timeline.screenshot({ path: join(SHOTS, 'report-brief-timeline.png') });
        await page.emulateMedia({ media: 'print' });
        assert.ok(!(await menu.isVisible()), 'the menu is hidden in print');
        assert.ok(!(await page.getByRole('button', { name: 'Download PDF' }).isVisible()), 'so is the button');
        await page.close();
    });

    it('downloads the briefing as of its date as a PDF named for it', async () => {
        const page = await suite.browser.newPage({ acceptDownloads: true });
        await page.goto(`${suite.server.url}/dialogues/1`);
        await page.getByLabel('Briefing as of').fill('2016-12-31');
        await Promise.all([page.waitForURL(/\/reports\/brief\/1\?/), page.getByRole('button', { name: 'Open' }).click()]);
        const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('button', { name: 'Download PDF' }).click(),
        ]);
        assert.equal(download.suggestedFilename(),
            'us-belarus-working-group-for-democracy-and-human-rights-briefing-2016-12-31.pdf');
        const path = join(SHOTS, 'report-brief.pdf');
        await download.saveAs(path);
        assert.ok(statSync(path).size > 10000, 'a PDF of some pages');
        await page.close();
    });

    it("a country's profile from its page", async () => {
        const page = await suite.browser.newPage();
        await page.goto(`${suite.server.url}/states/BLR`);
        await page.getByLabel('Country profile as of').fill('2016-12-31');
        await Promise.all([page.waitForURL(/\/reports\/country\/BLR\?/), page.getByRole('button', { name: 'Open' }).click()]);
        await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Belarus: country profile' }).waitFor());
        assert.match(await page.textContent('body'), /Made again in a later cycle/);
        await page.screenshot({ path: join(SHOTS, 'report-country.png'), fullPage: true });
        await page.close();
    });
});
