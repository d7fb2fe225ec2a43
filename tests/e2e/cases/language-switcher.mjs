// Example interaction case: on /ja/, the header has a language switcher link
// (hreflang="en" or lang="en") that resolves to /en/, and following it lands
// on an English page.
export default {
  name: 'language-switcher-ja-to-en',
  path: '/ja/',
  async run(page, ctx) {
    await page.goto(ctx.url('/ja/'));
    const link = page.locator('header a[hreflang="en"], header a[lang="en"]').first();
    if (!ctx.assert(await link.count() > 0, 'no <a hreflang="en"> or <a lang="en"> inside <header>', 'header')) return;
    const href = await link.evaluate((a) => a.href);
    if (!ctx.assert(ctx.path(href) === '/en/', `language switcher resolves to ${ctx.path(href)}, expected /en/`, 'header a[hreflang="en"]')) return;
    await Promise.all([page.waitForURL((u) => u.pathname === '/en/'), link.click()]);
    const lang = await page.evaluate(() => document.documentElement.lang);
    ctx.assert(/^en\b/.test(lang), `after switching, <html lang="${lang}">, expected en`, 'html');
  },
};
