// Issue 5: from the home page, typing 港北 / こうほく / kohoku (and the other
// spellings a family might use) finds 港北区 with its hub, 都筑区の拠点;
// Enter opens the area page (1 navigation) where the hub's contact block is;
// the hub page is 1 more. In both languages, with JavaScript on.
const QUERIES = ['港北', 'こうほく', 'kohoku', 'コウホク', 'Kōhoku', 'Kouhoku', 'ｺｳﾎｸ', 'ＫＯＨＯＫＵ'];
const EXPECT = {
  ja: { area: '港北区', hub: '都筑区横浜型', contact: '連絡先' },
  en: { area: 'Kohoku Ward', hub: 'Tsuzuki Ward', contact: 'Contact' },
};

export default {
  name: 'finder-search-js',
  path: '/ja/',
  async run(page, ctx) {
    // The search box, the list entry and the one-sentence explanation fit in
    // one screen of a 375 × 812 phone.
    await page.setViewportSize({ width: 375, height: 812 });
    for (const lang of ['ja', 'en']) {
      await page.goto(ctx.url(`/${lang}/`));
      for (const sel of ['.intro p', 'form.finder input[type=search]', `main a.button[href$="${lang}/areas/"]`]) {
        const box = await page.locator(sel).first().boundingBox();
        ctx.assert(box && box.y + box.height <= 812, `/${lang}/: ${sel} is not within the first 812 px (bottom ${box && box.y + box.height})`, sel);
      }
    }
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
        ctx.assert(text.includes(want.area) && text.includes(want.hub), `/${lang}/ typing ${q}: first result is "${text.replace(/\s+/g, ' ')}", expected ${want.area} with ${want.hub}`, '#finder-results');
        // Navigation 1: Enter opens the first hit.
        await Promise.all([page.waitForURL((u) => u.pathname === `/${lang}/areas/141097/`), input.press('Enter')]);
        const hub = page.locator('.hub-block .hub-name a');
        ctx.assert((await hub.innerText()).includes(want.hub), `/${lang}/areas/141097/ names ${await hub.innerText()}, expected ${want.hub}`, '.hub-block');
        const contact = page.locator('.hub-block .contact');
        ctx.assert(await contact.isVisible() && (await contact.innerText()).includes(want.contact), `/${lang}/areas/141097/: the hub's contact block is not shown`, '.hub-block .contact');
      }
      // Navigation 2: the hub page carries the contact block too.
      await Promise.all([page.waitForURL((u) => /\/hubs\/yokohama-tsuzuki\/$/.test(u.pathname)), page.locator('.hub-block .hub-name a').click()]);
      ctx.assert(await page.locator('main .contact').isVisible(), `${lang} hub page has no contact block`, 'main .contact');
    }
    // A no-match query tells the family what to do next.
    await page.goto(ctx.url('/ja/'));
    await page.locator('form.finder input[type=search]').fill('ぞぞぞぞ');
    // Town data may load first (issue 20): wait for the answer.
    await page.waitForFunction(() => document.querySelector('#finder-status').textContent.includes('見つかりませんでした'), null, { timeout: 5000 }).catch(() => {});
    const status = await page.locator('#finder-status').innerText();
    ctx.assert(status.includes('見つかりませんでした') && status.includes('役所'), `no-match message is "${status}"`, '#finder-status');
  },
};
