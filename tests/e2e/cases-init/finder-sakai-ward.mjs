// Issue 19: a site made by `tsunagu init` (堺市, or 大阪府 which holds it):
// typing a ward of Sakai in kanji, kana or romaji finds 美原区, and Enter
// opens its area page, which says no hub is listed yet. Both languages.
const QUERIES = ['美原', '美原区', 'みはら', 'ミハラ', 'mihara', 'Mihara Ward'];
const EXPECT = {
  ja: { area: '美原区' },
  en: { area: 'Mihara Ward' },
};

export default {
  name: 'init-finder-sakai-ward',
  path: '/ja/',
  async run(page, ctx) {
    for (const lang of ['ja', 'en']) {
      const want = EXPECT[lang];
      for (const q of QUERIES) {
        await page.goto(ctx.url(`/${lang}/`));
        const input = page.locator('form.finder input[type=search]');
        if (!ctx.assert(await input.isVisible(), `/${lang}/: the search box is not visible with JavaScript on`, 'form.finder')) return;
        await input.fill(q);
        const first = page.locator('#finder-results li a').first();
        await first.waitFor({ timeout: 5000 });
        const text = await first.innerText();
        ctx.assert(text.includes(want.area), `/${lang}/ typing ${q}: first result is "${text.replace(/\s+/g, ' ')}", expected ${want.area}`, '#finder-results');
        await Promise.all([page.waitForURL((u) => u.pathname === `/${lang}/areas/271471/`), input.press('Enter')]);
        const h1 = await page.locator('main h1').innerText();
        ctx.assert(h1.includes(want.area), `/${lang}/areas/271471/ is titled "${h1}", expected ${want.area}`, 'main h1');
      }
    }
  },
};
