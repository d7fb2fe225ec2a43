// Issue 5 without JavaScript: home → "find your area" list (navigation 1) →
// 港北区 (navigation 2), whose page names 都筑区の拠点 and shows its contact
// block. In both languages.
const EXPECT = {
  ja: { list: '地域の一覧から探す', area: '港北区', hub: '都筑区横浜型', contact: '連絡先' },
  en: { list: 'Browse the list of areas', area: 'Kohoku Ward', hub: 'Tsuzuki Ward', contact: 'Contact' },
};

export default {
  name: 'finder-list-no-js',
  path: '/ja/',
  javaScript: false,
  async run(page, ctx) {
    for (const lang of ['ja', 'en']) {
      const want = EXPECT[lang];
      await page.goto(ctx.url(`/${lang}/`));
      ctx.assert(!(await page.locator('form.finder').isVisible()), `/${lang}/: the search form shows without JavaScript although it cannot work`, 'form.finder');
      await Promise.all([page.waitForURL((u) => u.pathname === `/${lang}/areas/`), page.getByRole('link', { name: want.list }).first().click()]);
      const link = page.locator('main .ward-list a', { hasText: want.area }).first();
      if (!ctx.assert(await link.count() > 0, `/${lang}/areas/ has no link to ${want.area}`, 'main .ward-list')) continue;
      await Promise.all([page.waitForURL((u) => u.pathname === `/${lang}/areas/141097/`), link.click()]);
      const hub = await page.locator('.hub-block .hub-name').innerText();
      ctx.assert(hub.includes(want.hub), `/${lang}/areas/141097/ names "${hub}", expected ${want.hub}`, '.hub-block .hub-name');
      ctx.assert((await page.locator('.hub-block .contact').innerText()).includes(want.contact), `/${lang}/areas/141097/ shows no contact block`, '.hub-block .contact');
    }
  },
};
