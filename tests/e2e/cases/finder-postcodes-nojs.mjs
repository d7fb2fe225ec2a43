// Issue 20 without JavaScript: home → area list (1) → the page of the
// postcode's first 3 digits (2) → the area named beside the postcode (3),
// whose page names the hub and shows its contact block. A town is found on
// the same pages (and in the area page's town list); a postcode of another
// prefecture has no page, and the list says what the site covers.
const CASES = [
  { code: '222-0033', area: '141097', hub: { ja: '都筑区横浜型', en: 'Tsuzuki Ward' } },
  { code: '330-0061', area: '111074' },
  { code: '100-0001', area: '131016' },
];
const LIST = { ja: '地域の一覧から探す', en: 'Browse the list of areas' };
const TOWN = { ja: '新横浜', en: 'Shinyokohama' };
const OUTSIDE = { ja: ['神奈川県', '対象外', '役所'], en: ['Kanagawa', 'outside', 'office'] };

export default {
  name: 'finder-postcodes-no-js',
  path: '/ja/areas/',
  javaScript: false,
  async run(page, ctx) {
    for (const lang of ['ja', 'en']) {
      for (const c of CASES) {
        const prefix = c.code.slice(0, 3);
        await page.goto(ctx.url(`/${lang}/`));
        await Promise.all([page.waitForURL((u) => u.pathname === `/${lang}/areas/`), page.getByRole('link', { name: LIST[lang] }).first().click()]);
        const link = page.locator(`main a[href$="${lang}/postcodes/${prefix}/"]`);
        if (!ctx.assert(await link.count() === 1, `/${lang}/areas/ has no link to the 〒${prefix} page`, 'main')) continue;
        await Promise.all([page.waitForURL((u) => u.pathname === `/${lang}/postcodes/${prefix}/`), link.click()]);
        const group = page.locator('section.postcode-group', { has: page.locator('li', { hasText: c.code }) });
        if (!ctx.assert(await group.count() === 1, `/${lang}/postcodes/${prefix}/ does not list ${c.code}`, 'main')) continue;
        await Promise.all([page.waitForURL((u) => u.pathname === `/${lang}/areas/${c.area}/`), group.locator('h2 a').click()]);
        ctx.assert(await page.locator('.hub-block').isVisible(), `/${lang}/areas/${c.area}/ has no hub block`, '.hub-block');
        if (c.hub) {
          ctx.assert((await page.locator('.hub-block .hub-name').innerText()).includes(c.hub[lang]), `/${lang}/areas/${c.area}/ does not name ${c.hub[lang]}`, '.hub-block');
          ctx.assert(await page.locator('.hub-block .contact').isVisible(), `/${lang}/areas/${c.area}/ shows no contact block`, '.hub-block .contact');
        }
      }
      // 新横浜: listed under 港北区 on the 〒222 page, and in 港北区's town list.
      await page.goto(ctx.url(`/${lang}/postcodes/222/`));
      const town = page.locator('section.postcode-group', { has: page.locator('li', { hasText: TOWN[lang] }) }).locator('h2 a');
      ctx.assert(await town.count() >= 1 && ctx.path(await town.first().evaluate((a) => a.href)) === `/${lang}/areas/141097/`, `/${lang}/postcodes/222/ does not list ${TOWN[lang]} under 港北区`, 'main');
      await page.goto(ctx.url(`/${lang}/areas/141097/`));
      const details = page.locator('details.towns');
      ctx.assert(await details.count() === 1 && !(await details.evaluate((e) => e.open)) && (await details.textContent()).includes('新横浜'),
        `/${lang}/areas/141097/: no collapsed town list with 新横浜`, 'details.towns');
      // Another prefecture: no page, and the list says what the site covers.
      await page.goto(ctx.url(`/${lang}/areas/`));
      ctx.assert(await page.locator(`main a[href$="${lang}/postcodes/060/"]`).count() === 0, `/${lang}/areas/ links to 〒060 (札幌), outside the site`, 'main');
      const note = await page.locator('main section', { has: page.locator('.prefix-list') }).innerText();
      ctx.assert(OUTSIDE[lang].every((w) => note.includes(w)), `/${lang}/areas/: the postcode section does not say what the site covers: "${note.slice(-200)}"`, 'main');
    }
  },
};
