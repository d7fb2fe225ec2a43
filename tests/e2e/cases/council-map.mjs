// Council map (issue 7) on /ja/councils/110001/: every map shape is a link
// with a name that Tab reaches, focus is visible, the legend's statuses stay
// distinct in grayscale (distinct patterns, distinct pixels), the table sorts
// with JS, and the page prints on A4 landscape.
export default {
  name: 'council-map',
  path: '/ja/councils/110001/',
  async run(page, ctx) {
    await page.goto(ctx.url('/ja/councils/110001/'));
    const shapes = await page.$$eval('.council-map svg a[href]', (as) => as.map((a) => ({
      code: a.getAttribute('data-code'),
      name: (a.getAttribute('aria-label') || a.querySelector('title')?.textContent || '').trim(),
      href: a.getAttribute('href'),
    })));
    if (!ctx.assert(shapes.length === 63, `63 map shapes, found ${shapes.length}`, '.council-map svg a')) return;
    for (const s of shapes) {
      ctx.assert(s.name.length > 1 && /：/.test(s.name), `shape ${s.code} has a name with its status: "${s.name}"`, `a[data-code="${s.code}"]`);
    }

    // Tab through the page: each shape is reached, and shows focus.
    const reached = new Set();
    let focusStyle = null;
    await page.locator('body').focus();
    for (let i = 0; i < 400 && reached.size < shapes.length; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const a = document.activeElement;
        if (!a || !a.closest('.council-map')) return null;
        const path = a.querySelector('path');
        return { code: a.getAttribute('data-code'), fill: path && getComputedStyle(path).fill };
      });
      if (info && info.code) {
        reached.add(info.code);
        if (!focusStyle) focusStyle = info.fill;
      }
    }
    const unreached = shapes.filter((s) => !reached.has(s.code)).map((s) => s.code);
    ctx.assert(unreached.length === 0, `Tab reaches every shape; not reached: ${unreached.join(', ')}`, '.council-map svg a');
    ctx.assert(focusStyle === 'rgb(255, 210, 31)', `a focused shape is highlighted (fill ${focusStyle})`, '.council-map a:focus path');

    // Legend: four statuses, four different pattern fills, each defined.
    const legend = await page.$$eval('.council-legend li', (lis) => lis.map((li) => {
      const fill = li.querySelector('rect')?.getAttribute('fill') || '';
      const id = (fill.match(/url\(#([^)]+)\)/) || [])[1];
      const pattern = id && document.getElementById(id);
      // The pattern's marks without colours: what is left in grayscale.
      const shape = pattern ? pattern.innerHTML.replace(/fill="[^"]*"|stroke="[^"]*"/g, '') : '';
      return { status: li.dataset.status, fill, defined: !!pattern, shape };
    }));
    ctx.assert(legend.length === 4, `4 legend entries, found ${legend.length}`, '.council-legend');
    ctx.assert(new Set(legend.map((l) => l.fill)).size === legend.length, `legend fills differ: ${legend.map((l) => l.fill).join(' ')}`, '.council-legend rect');
    ctx.assert(legend.every((l) => l.defined), 'every legend pattern is defined on the page', '.council-legend rect');
    ctx.assert(new Set(legend.map((l) => l.shape)).size === legend.length, 'legend patterns differ in their marks, not only in colour', 'pattern');

    // In grayscale, each legend swatch still renders differently.
    await page.evaluate(() => { document.documentElement.style.filter = 'grayscale(1)'; });
    const shots = [];
    for (const l of legend) {
      shots.push((await page.locator(`.council-legend li[data-status="${l.status}"] svg`).screenshot()).toString('base64'));
    }
    ctx.assert(new Set(shots).size === shots.length, 'legend swatches are distinct in grayscale', '.council-legend svg');
    await page.evaluate(() => { document.documentElement.style.filter = ''; });

    // Sorting (JS enhancement): by status puts alone → unknown; default is by name.
    const button = page.locator('th[data-sort="code"] button');
    if (ctx.assert(await button.count() === 1, 'code column has a sort button', 'th[data-sort="code"]')) {
      await button.click();
      const codes = await page.$$eval('.council-table tbody tr', (rs) => rs.map((r) => r.id.slice(2)));
      const sorted = [...codes].sort();
      ctx.assert(codes.join() === sorted.join(), 'sorting by code orders the rows by code', '.council-table');
      ctx.assert(await page.locator('th[data-sort="code"]').getAttribute('aria-sort') === 'ascending', 'aria-sort is set', 'th[data-sort="code"]');
    }

    // Print: A4 landscape, with the map, legend and table visible.
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['.council-map svg', '.council-legend', '.council-table']) {
      ctx.assert(await page.locator(sel).first().isVisible(), `${sel} is visible in print`, sel);
    }
    // (page.pdf prints with the emulated media: keep it 'print'.)
    const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
    const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [+m[1], +m[2]]);
    ctx.assert(boxes.length > 0, 'the PDF has pages', 'body');
    ctx.assert(boxes.every(([w, h]) => Math.abs(w - 841.9) < 2 && Math.abs(h - 595.3) < 2),
      `every printed page is A4 landscape (842 x 595 pt): ${boxes.map((b) => b.join('x')).join(', ')}`, 'body');
  },
};
