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

    it('downloads the briefing as a PDF', async () => {
        const page = await suite.browser.newPage({ acceptDownloads: true });
        await page.goto(`${suite.server.url}/dialogues/1`);
        const [download] = await Promise.all([
            page.waitForEvent('download'),
            page.getByRole('link', { name: 'Download PDF' }).click(),
        ]);
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
