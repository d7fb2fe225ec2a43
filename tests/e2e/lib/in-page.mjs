// Functions that run INSIDE the page (passed to page.evaluate). They must be
// self-contained: no closures over module scope.

// Collect everything the Node side needs from the loaded DOM in one round trip.
export function collectDom() {
  const cssPath = (el) => {
    const parts = [];
    while (el && el.nodeType === 1 && el !== document.documentElement) {
      let s = el.localName;
      if (el.id) { parts.unshift(`${s}#${CSS.escape(el.id)}`); break; }
      const cls = [...el.classList].slice(0, 2).map((c) => '.' + CSS.escape(c)).join('');
      s += cls;
      const p = el.parentElement;
      if (p) {
        const same = [...p.children].filter((c) => c.localName === el.localName);
        if (same.length > 1) s += `:nth-of-type(${same.indexOf(el) + 1})`;
      }
      parts.unshift(s);
      el = p;
    }
    return parts.join(' > ') || 'html';
  };
  const snippet = (el) => {
    const h = el.outerHTML.replace(/\s+/g, ' ');
    return h.length > 160 ? h.slice(0, 157) + '...' : h;
  };
  const refs = [];
  const add = (el, kind, raw) => {
    if (raw == null) return;
    refs.push({ kind, raw, abs: (() => { try { return new URL(raw, document.baseURI).href; } catch { return null; } })(),
      selector: cssPath(el), snippet: snippet(el), text: (el.textContent || el.getAttribute('alt') || '').trim().replace(/\s+/g, ' ').slice(0, 80) });
  };
  const parseSrcset = (v) => v.split(/,\s+/).map((c) => c.trim().split(/\s+/)[0]).filter((u) => u && !u.startsWith('data:'));
  for (const el of document.querySelectorAll('a[href], area[href]')) add(el, 'link', el.getAttribute('href'));
  for (const el of document.querySelectorAll('img[src]')) add(el, 'image', el.getAttribute('src'));
  for (const el of document.querySelectorAll('img[srcset], source[srcset]')) for (const u of parseSrcset(el.getAttribute('srcset'))) add(el, 'image', u);
  for (const el of document.querySelectorAll('source[src], video[src], audio[src], track[src], iframe[src], embed[src]')) add(el, 'resource', el.getAttribute('src'));
  for (const el of document.querySelectorAll('video[poster]')) add(el, 'image', el.getAttribute('poster'));
  for (const el of document.querySelectorAll('object[data]')) add(el, 'resource', el.getAttribute('data'));
  for (const el of document.querySelectorAll('link[href]')) {
    const rel = (el.getAttribute('rel') || '').toLowerCase();
    if (/\b(preconnect|dns-prefetch)\b/.test(rel)) { add(el, 'preconnect', el.getAttribute('href')); continue; }
    add(el, 'resource', el.getAttribute('href'));
  }
  for (const el of document.querySelectorAll('script[src]')) add(el, 'resource', el.getAttribute('src'));
  for (const el of document.querySelectorAll('form[action]')) add(el, 'link', el.getAttribute('action'));

  const JS_TYPES = ['', 'text/javascript', 'application/javascript', 'module', 'text/ecmascript', 'application/ecmascript'];
  const isJs = (s) => JS_TYPES.includes((s.getAttribute('type') || '').trim().toLowerCase());
  let inlineJsBytes = 0;
  const scriptSrcs = [];
  for (const s of document.querySelectorAll('script')) {
    if (!isJs(s)) continue;
    if (s.hasAttribute('src')) { try { scriptSrcs.push(new URL(s.getAttribute('src'), document.baseURI).href); } catch {} }
    else inlineJsBytes += new TextEncoder().encode(s.textContent).length;
  }
  const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
  const names = [...document.querySelectorAll('a[name]')].map((e) => e.getAttribute('name'));
  return { refs, inlineJsBytes, scriptSrcs, ids: ids.concat(names) };
}

// Horizontal overflow: returns null when fine, else details incl. the
// outermost overflowing elements (whose parent does not itself overflow).
export function checkHScroll() {
  const vw = window.innerWidth;
  const sw = document.documentElement.scrollWidth;
  if (sw <= vw) return null;
  const cssPath = (el) => {
    const parts = [];
    while (el && el.nodeType === 1 && el !== document.documentElement) {
      let s = el.localName;
      if (el.id) { parts.unshift(`${s}#${CSS.escape(el.id)}`); break; }
      s += [...el.classList].slice(0, 2).map((c) => '.' + CSS.escape(c)).join('');
      const p = el.parentElement;
      if (p) {
        const same = [...p.children].filter((c) => c.localName === el.localName);
        if (same.length > 1) s += `:nth-of-type(${same.indexOf(el) + 1})`;
      }
      parts.unshift(s);
      el = p;
    }
    return parts.join(' > ');
  };
  // only overflow to the right scrolls (content left of 0 is unreachable, e.g. skip links)
  const over = (r) => r.right > vw + 0.5;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (!over(r)) continue;
    const p = el.parentElement;
    if (p && p !== document.body && over(p.getBoundingClientRect())) continue;
    const h = el.outerHTML.replace(/\s+/g, ' ');
    culprits.push({ selector: cssPath(el), snippet: h.length > 120 ? h.slice(0, 117) + '...' : h, right: Math.round(r.right), width: Math.round(r.width) });
    if (culprits.length >= 5) break;
  }
  return { vw, sw, culprits };
}

// JS-off check of the core content: `selector` must exist and contain text
// outside of <noscript>.
export function checkJsOffContent({ selector, linkWithin }) {
  const el = document.querySelector(selector);
  if (!el) return { missing: true };
  const clone = el.cloneNode(true);
  const noscripts = clone.querySelectorAll('noscript');
  let noscriptText = 0;
  for (const n of noscripts) { noscriptText += n.textContent.trim().length; n.remove(); }
  const text = clone.textContent.replace(/\s+/g, ' ').trim();
  const within = document.querySelector(linkWithin || selector) || el;
  const links = [...within.querySelectorAll('a[href]')]
    .filter((a) => !a.closest('noscript'))
    .map((a) => { try { return new URL(a.getAttribute('href'), document.baseURI).pathname; } catch { return ''; } });
  return { missing: false, textLength: text.length, textSample: text.slice(0, 80), noscriptText, noscriptCount: noscripts.length, links };
}
