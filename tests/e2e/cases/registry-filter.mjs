// Issue 6: the care-needs filter narrows the provider list, without
// JavaScript (a static page per care need) and with it (checkboxes on the
// registry index). "Unknown" is never counted as "no" and is labelled as such.
const EXPECT = {
  ja: { need: '人工呼吸器', unknown: '不明' },
  en: { need: 'Ventilator', unknown: 'Unknown' },
};

async function visibleCards(page) {
  return page.locator('main .provider-list > li.provider:visible').count();
}

export default {
  name: 'registry-filter',
  path: '/ja/registry/',
  async run(page, ctx) {
    // ---- without JavaScript: follow the static link for a care need.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
    for (const lang of ['ja', 'en']) {
      const want = EXPECT[lang];
      await page.goto(ctx.url(`/${lang}/registry/`));
      ctx.assert(!(await page.locator('form.care-filter').isVisible()), `/${lang}/registry/: the filter form shows without JavaScript although it cannot work`, 'form.care-filter');
      const all = await visibleCards(page);
      if (!ctx.assert(all > 0, `/${lang}/registry/ lists no providers`, 'main .provider-list')) continue;
      const link = page.locator('main .care-nav a', { hasText: want.need }).first();
      await Promise.all([page.waitForURL((u) => u.pathname === `/${lang}/registry/care/ventilator/`), link.click()]);
      const yes = await page.locator('main .care-group-yes li.provider').count();
      const unknown = page.locator('main .care-group-unknown li.provider');
      const no = await page.locator('main .care-group-no li.provider').count();
      ctx.assert(yes < all, `/${lang}/registry/care/ventilator/: the "yes" list (${yes}) is not narrower than the whole list (${all})`, '.care-group-yes');
      ctx.assert(yes + (await unknown.count()) + no === all, `/${lang}/registry/care/ventilator/: yes ${yes} + unknown ${await unknown.count()} + no ${no} ≠ ${all}`, 'main');
      const heading = await page.locator('#unknown-heading').innerText();
      ctx.assert(heading.includes(want.unknown) && heading.includes('?'), `/${lang}/registry/care/ventilator/: the unknown group is not labelled with text and icon ("${heading}")`, '#unknown-heading');
    }
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: false });

    // ---- with JavaScript: tick a care need on the index.
    for (const lang of ['ja', 'en']) {
      const want = EXPECT[lang];
      await page.goto(ctx.url(`/${lang}/registry/`));
      const form = page.locator('form.care-filter');
      if (!ctx.assert(await form.isVisible(), `/${lang}/registry/: the filter form is not shown with JavaScript on`, 'form.care-filter')) continue;
      const all = await visibleCards(page);
      await form.locator('input[name=care][value=ventilator]').check();
      const narrowed = await visibleCards(page);
      ctx.assert(narrowed < all, `/${lang}/registry/: ticking ${want.need} leaves ${narrowed} of ${all} providers`, '.provider-list');
      const status = await form.locator('.filter-status').innerText();
      ctx.assert(status.includes(want.unknown), `/${lang}/registry/: the status "${status}" does not say how many are unknown`, '.filter-status');
      // Showing the unknown ones marks each with text, not colour alone.
      await form.locator('input[name=unknown]').check();
      const shown = page.locator('main .provider-list > li.provider[data-match=u]:visible');
      const n = await shown.count();
      for (let i = 0; i < n; i++) {
        const note = await shown.nth(i).locator('.filter-note').innerText();
        ctx.assert(note.includes(want.unknown) && note.includes(want.need), `/${lang}/registry/: an unknown provider is shown without its "${want.unknown}: ${want.need}" label ("${note}")`, '.filter-note');
      }
      ctx.assert(await page.locator('main .provider-list > li.provider[data-match=n]:visible').count() === 0, `/${lang}/registry/: a provider that cannot give the care is still shown`, '.provider-list');
      await form.locator('input[name=care][value=ventilator]').uncheck();
      await form.locator('input[name=unknown]').uncheck();
      ctx.assert(await visibleCards(page) === all, `/${lang}/registry/: unticking does not bring the whole list back`, '.provider-list');
    }
  },
};
