// Issue 20 with JavaScript: a postcode in any common form, or a town name,
// finds the area and its hub; Enter on a full code opens the area page with
// the hub's contact block; a postcode outside the site's areas gets the
// out-of-scope message. In both languages.
const AREAS = {
  '141097': { ja: '横浜市港北区', en: 'Kohoku Ward', hub: { ja: '都筑区横浜型', en: 'Tsuzuki Ward' } },
  '111074': { ja: 'さいたま市浦和区', en: 'Urawa Ward' },
  '131016': { ja: '千代田区', en: 'Chiyoda City' },
};
const CASES = [
  { q: '222-0033', area: '141097', contact: true },
  { q: '2220033', area: '141097' },
  { q: '〒222-0033', area: '141097' },
  { q: '２２２－００３３', area: '141097' },
  { q: '330-0061', area: '111074', contact: true },
  { q: '100-0001', area: '131016', contact: true },
  { q: { ja: '新横浜', en: 'Shin-Yokohama' }, area: '141097', town: { ja: '新横浜', en: 'Shinyokohama' } },
  { q: 'しんよこはま', area: '141097' },
];
const OUTSIDE = {
  ja: ['このサイトが扱う地域', '神奈川県', '役所'],
  en: ['outside the areas this site covers', 'Kanagawa', 'office'],
};

export default {
  name: 'finder-postcodes-js',
  path: '/ja/',
  async run(page, ctx) {
    for (const lang of ['ja', 'en']) {
      for (const c of CASES) {
        const q = typeof c.q === 'string' ? c.q : c.q[lang];
        const want = AREAS[c.area];
        await page.goto(ctx.url(`/${lang}/`));
        const input = page.locator('form.finder input[type=search]');
        await input.fill(q);
        const first = page.locator('#finder-results li a').first();
        await first.waitFor({ timeout: 5000 });
        const text = (await first.innerText()).replace(/\s+/g, ' ');
        const href = ctx.path(await first.evaluate((a) => a.href));
        ctx.assert(href === `/${lang}/areas/${c.area}/` && text.includes(want[lang]),
          `/${lang}/ typing ${q}: first result "${text}" → ${href}, expected ${want[lang]} (/${lang}/areas/${c.area}/)`, '#finder-results');
        if (want.hub) ctx.assert(text.includes(want.hub[lang]), `/${lang}/ typing ${q}: first result "${text}" does not name the hub ${want.hub[lang]}`, '#finder-results');
        if (c.town) ctx.assert(text.includes(c.town[lang]), `/${lang}/ typing ${q}: first result "${text}" does not name the town ${c.town[lang]}`, '#finder-results');
        if (!c.contact) continue;
        // A full code with one match: Enter opens the area (navigation 1).
        await Promise.all([page.waitForURL((u) => u.pathname === `/${lang}/areas/${c.area}/`), input.press('Enter')]);
        const block = page.locator('.hub-block');
        ctx.assert((await block.innerText()).length > 0, `/${lang}/areas/${c.area}/ has no hub block`, '.hub-block');
        if (want.hub) {
          ctx.assert((await page.locator('.hub-block .hub-name').innerText()).includes(want.hub[lang]), `/${lang}/areas/${c.area}/ does not name ${want.hub[lang]}`, '.hub-block');
          ctx.assert(await page.locator('.hub-block .contact').isVisible(), `/${lang}/areas/${c.area}/: the hub's contact block is not shown`, '.hub-block .contact');
        }
      }
      // The first 3 digits list the prefix's towns and link to its page.
      await page.goto(ctx.url(`/${lang}/`));
      await page.locator('form.finder input[type=search]').fill('222');
      const all = page.locator(`#finder-results a[href$="${lang}/postcodes/222/"]`);
      await all.waitFor({ timeout: 5000 });
      const texts = await page.locator('#finder-results li a').allInnerTexts();
      ctx.assert(texts.some((t) => t.includes('222-0033')), `/${lang}/ typing 222: no 222-0033 among ${texts.length} results`, '#finder-results');
      // Outside the site's areas: another prefecture (札幌), and a code of a covered prefix that is not ours (大島町 100-0101).
      for (const q of ['060-0001', '100-0101']) {
        await page.goto(ctx.url(`/${lang}/`));
        await page.locator('form.finder input[type=search]').fill(q);
        const st = page.locator('#finder-status');
        await page.waitForFunction((words) => words.every((w) => document.querySelector('#finder-status').textContent.includes(w)), OUTSIDE[lang], { timeout: 5000 }).catch(() => {});
        const msg = await st.innerText();
        ctx.assert(OUTSIDE[lang].every((w) => msg.includes(w)) && (await page.locator('#finder-results li').count()) === 0,
          `/${lang}/ typing ${q}: status is "${msg}", expected the out-of-scope message`, '#finder-status');
      }
    }
  },
};
