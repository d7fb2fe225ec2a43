// Issue 25, with JavaScript: the easy-Japanese home page's finder → 港北区
// (1) → the hub's page and contact (2); the furigana switch is remembered.
import { HUB, base } from './_easy.mjs';

export default {
  name: 'easy-journey-js',
  path: '/easy/',
  async run(page, ctx) {
    // With JavaScript: type 港北 on the easy home page, Enter (1) opens the
    // easy area page, the hub link (2) the hub page with its contact.
    await page.goto(ctx.url('/easy/'));
    const input = page.locator('form.finder input[type=search]');
    if (!ctx.assert(await input.isVisible(), '/easy/: the search box is not visible with JavaScript on', 'form.finder')) return;
    await input.fill('港北');
    await page.locator('#finder-results li a').first().waitFor({ timeout: 5000 });
    await Promise.all([page.waitForURL((u) => u.pathname === '/easy/areas/141097/'), input.press('Enter')]);
    ctx.assert((await base(page.locator('.hub-block .hub-name'))).includes(HUB), '/easy/areas/141097/ (JS) names the wrong hub', '.hub-block');
    await Promise.all([page.waitForURL((u) => /^\/easy\/hubs\/yokohama-tsuzuki\/$/.test(u.pathname)), page.locator('.hub-block .hub-name a').click()]);
    ctx.assert(await page.locator('main .contact').isVisible(), '/easy/ hub page has no contact block', 'main .contact');
    // The switch is remembered from page to page with JavaScript.
    await page.locator('label[for=furigana]').click();
    await page.goto(ctx.url('/easy/'));
    ctx.assert(!(await page.locator('#furigana').isChecked()), 'the furigana switch was not remembered with JavaScript', '#furigana');
    ctx.assert(!(await page.locator('main rt').first().isVisible()), 'furigana shown although switched off on the last page', 'main rt');
    // Back on, for the cases after this one.
    await page.locator('label[for=furigana]').click();
  },
};
