// Issue 25, without JavaScript: the easy-Japanese home page → the area list
// (1) → 港北区 (2), with its hub and contact; the CSS-only furigana switch.
import { HUB, base } from './_easy.mjs';

export default {
  name: 'easy-journey-no-js',
  path: '/easy/',
  javaScript: false,
  async run(p, ctx) {
    // Without JavaScript: home → list (1) → 港北区 (2): hub and contact.
    await p.goto(ctx.url('/easy/'));
    await Promise.all([p.waitForURL((u) => u.pathname === '/easy/areas/'), p.locator('main a.button[href$="easy/areas/"]').first().click()]);
    const link = p.locator('main .ward-list a', { hasText: '港北区' }).first();
    if (ctx.assert(await link.count() > 0, '/easy/areas/ has no link to 港北区', 'main .ward-list')) {
      await Promise.all([p.waitForURL((u) => u.pathname === '/easy/areas/141097/'), link.click()]);
      const hub = await base(p.locator('.hub-block .hub-name'));
      ctx.assert(hub.includes(HUB), `/easy/areas/141097/ names "${hub}", expected ${HUB}`, '.hub-block .hub-name');
      ctx.assert(await p.locator('.hub-block .contact').isVisible(), '/easy/areas/141097/ shows no contact block', '.hub-block .contact');
      ctx.assert(await p.locator('html').getAttribute('lang') === 'ja', '/easy/ pages must be lang="ja"', 'html');
    }
    // The furigana switch works with JavaScript off: unchecking hides <rt>.
    await p.goto(ctx.url('/easy/'));
    const rt = p.locator('main rt').first();
    ctx.assert(await rt.isVisible(), '/easy/: no visible furigana', 'main rt');
    await p.locator('label[for=furigana]').click();
    ctx.assert(!(await rt.isVisible()), '/easy/: furigana still shown after the switch was turned off (no JS)', '#furigana');
  },
};
