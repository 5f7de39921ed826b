// Browser test of picking records by name (issue 13, points 2 and 4): on the demo
// dialogue, a step is recorded whose actor, the step it responds to and the ask it
// answers are picked by typing part of their names; the page it lands on says what was
// saved and shows it; on the round page a topic is recorded with a recommendation
// picked by words; two search results are ticked and linked to a topic picked by name.
// Screenshots go to build/web-screenshots/pick-*.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { browserSuite, SHOTS } from './server.mjs';

const suite = browserSuite();

async function shot(page, name) {
    const file = join(SHOTS, `pick-${name}.png`);
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

async function save(page, button) {
    await Promise.all([page.waitForURL(/saved=/), button.click()]);
    await page.waitForLoadState('load');
}

describe('picking records by name', () => {
    let context, page;

    before(async () => {
        context = await suite.browser.newContext({ viewport: { width: 1024, height: 900 } });
        page = await context.newPage();
    });
    after(async () => { await context?.close(); });

    it('records a step whose records are picked by typing part of their names', async () => {
        await page.goto(suite.server.url + '/dialogues/1');
        const form = page.locator('form[action="/dialogues/1/steps"]');
        await pick(form, /Who acted/, 'odih', /^ODIHR/);
        await form.locator('[name="date"]').fill('2016-12-08');
        await form.locator('[name="kind"]').selectOption('statement');
        await form.locator('[name="text"]').fill('ODIHR final report on the 2016 elections (web test)');
        await pick(form, /Answers/, 'OSCE/ODIHR standards', /^ask 2 of round 2/);
        await pick(form, /In response to steps/, 'elections to the house', /^step of 2016-09-11 by Belarus/);
        const chosen = form.locator('.pick-chosen li');
        assert.equal(await chosen.count(), 3, 'the picked records are shown by name');
        assert.match(await chosen.nth(1).innerText(), /ask 2 of round 2 \(United States to Belarus\)/);
        // What is posted is still the reference the library takes.
        assert.equal(await form.locator('input[name="answers"]').inputValue(), 'ask:2');
        assert.equal(await form.locator('input[name="responds_to"]').inputValue(), 'step:3');
        await shot(page, 'step-picked');

        await save(page, form.getByRole('button', { name: 'Save' }));
        const banner = page.locator('.banner[role="status"]');
        assert.match(await banner.innerText(), /Step of 2016-12-08 by ODIHR saved\./);
        const link = banner.getByRole('link', { name: 'Show what was saved' });
        const href = await link.getAttribute('href');
        assert.match(href, /^\/dialogues\/1#step-\d+$/);
        const saved = page.locator(href.slice(href.indexOf('#')));
        assert.match(await saved.innerText(), /ODIHR final report on the 2016 elections/);
        await shot(page, 'step-saved');
    });

    it('records a topic on the round page with a recommendation found by words', async () => {
        await page.goto(suite.server.url + '/dialogues/1/rounds/2');
        const form = page.locator('form[action="/dialogues/1/rounds/2/topics"]');
        await form.getByLabel('Topic (required)').fill('The death penalty (web test)');
        await pick(form, /About recommendations/, 'Belarus death pen', /^Belarus, session 8 \(noted\): Join the Second Optional Protocol/);
        await save(page, form.getByRole('button', { name: 'Save' }));
        assert.match(await page.locator('.banner').innerText(), /Topic of round 2 saved\./);
        const topic = page.locator('li[id^="topic-"]').filter({ hasText: 'The death penalty (web test)' });
        assert.equal(await topic.count(), 1, 'the topic is on the page');
        assert.match(await topic.locator('.linked-by-hand').innerText(), /Linked by hand:[\s\S]*Second Optional Protocol/);
        await shot(page, 'topic-saved');
    });

    it('links the ticked search results to a topic picked by name', async () => {
        await page.goto(suite.server.url + '/search?sur=Belarus');
        const boxes = page.locator('input[type="checkbox"][name="rec"]');
        await boxes.nth(0).check();
        await boxes.nth(1).check();
        await pick(page, /To this round, topic, ask or benchmark/, 'civil society', /^topic of round 2: Space for civil society/);
        await shot(page, 'search-ticked');
        await save(page, page.getByRole('button', { name: 'Link the selected' }));
        assert.match(page.url(), /\/dialogues\/1\/rounds\/2\?saved=topic:\d+&linked=2$/);
        assert.match(await page.locator('.banner').innerText(), /2 recommendations linked to topic of round 2\./);
        const topic = page.locator('li[id^="topic-"]').filter({ hasText: 'Space for civil society' });
        assert.ok(await topic.locator('.linked-by-hand a').count() >= 2, 'the links show on the round page');
        await shot(page, 'search-linked');
    });

    it('links ticked results to the round itself, and withdraws one from the round page', async () => {
        await page.goto(suite.server.url + '/search?sur=Belarus&q=prisoners');
        const boxes = page.locator('input[type="checkbox"][name="rec"]');
        await boxes.nth(0).check();
        await boxes.nth(1).check();
        await pick(page, /To this round, topic, ask or benchmark/, 'washington', /^round 2 of US-Belarus/);
        await save(page, page.getByRole('button', { name: 'Link the selected' }));
        assert.match(page.url(), /\/dialogues\/1\/rounds\/2\?saved=round:\d+&linked=2$/);
        assert.match(await page.locator('.banner').innerText(), /2 recommendations linked to round 2 of US-Belarus/);
        const heading = page.locator('#recommendations');
        assert.equal(await heading.innerText(), 'Recommendations linked to this round');
        const list = page.locator('#recommendations + ul.linked-by-hand > li:not(.muted)');
        assert.equal(await list.count(), 2, 'both show on the round page');
        const first = await list.first().locator('a').first().innerText();
        await shot(page, 'round-linked');

        // Each link made by hand has its own withdraw control, with a reason.
        await list.first().locator('summary', { hasText: 'Withdraw this link' }).click();
        await list.first().getByLabel('Why is it withdrawn?').fill('Not discussed in this round (web test)');
        await shot(page, 'round-link-withdraw');
        await save(page, list.first().getByRole('button', { name: 'Withdraw the link' }));
        assert.match(await page.locator('.banner').innerText(), /A link of round 2 of US-Belarus .* withdrawn\./);
        assert.equal(await page.locator('#recommendations + ul.linked-by-hand > li:not(.muted)').count(), 1, 'one is left');
        assert.doesNotMatch(await page.locator('#recommendations + ul').innerText(), new RegExp(first.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        await shot(page, 'round-link-withdrawn');
    });
});
