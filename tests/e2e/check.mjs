#!/usr/bin/env node
// tsunagu e2e checker: drives /usr/bin/chromium through playwright-core over
// every page of a site that is already being served over HTTP.
//
//   node check.mjs --url http://127.0.0.1:PORT/ [options]
//
// Options (each also settable through the env var in brackets):
//   --url URL            where the site is served (required)              [E2E_URL]
//   --site-base URL      base URL the site was BUILT with; sitemap <loc>s are
//                        mapped from it onto --url (default: --url)        [E2E_SITE_BASE]
//   --out DIR            reports (failures.txt, report.json,
//                        external-links.txt/json, summary.txt)  (default: out) [E2E_OUT]
//   --screenshots DIR    375 px full-page PNGs, one per page type
//                        (default: screenshots; "none" to skip)            [E2E_SCREENSHOTS]
//   --jsoff-config FILE  JS-off page list (default: jsoff.config.mjs)     [E2E_JSOFF_CONFIG]
//   --cases DIR          interaction cases (default: cases; "none" = skip) [E2E_CASES_DIR]
//   --workers N          pages checked in parallel (default 2)            [E2E_WORKERS]
//   --only REGEX         only check pages whose path matches (debugging)   [E2E_ONLY]
//   --label NAME         name printed in the summary (default "e2e")       [E2E_LABEL]
//   --results FILE       write the axe results per page and WCAG criterion as
//                        TOML for the site's accessibility report (e.g.
//                        data/accessibility.toml); only when every page of
//                        the sitemap was checked (no --only)           [E2E_RESULTS]
//
// Exit status: 0 all checks passed, 1 some check failed, 2 harness error.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { collectDom, checkHScroll, checkJsOffContent } from './lib/in-page.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const AXE_PATH = path.join(HERE, 'node_modules/axe-core/axe.min.js');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];
const HTML_BUDGET = 60 * 1024; // bytes, uncompressed
const JS_BUDGET = 15 * 1024; // bytes, inline + external, uncompressed
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // no host but 127.0.0.1 resolves: nothing can leave the machine
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1'];
// Checks counted for every page (see README: "N passed, M failed").
const PAGE_CHECKS = ['load', 'axe-375', 'axe-1280', 'hscroll-320', 'foreign-request', 'console', 'links', 'budget'];

// ---------------------------------------------------------------- options
function parseArgs(argv) {
  const o = {
    url: process.env.E2E_URL,
    siteBase: process.env.E2E_SITE_BASE,
    out: process.env.E2E_OUT || path.join(HERE, 'out'),
    screenshots: process.env.E2E_SCREENSHOTS || path.join(HERE, 'screenshots'),
    jsoffConfig: process.env.E2E_JSOFF_CONFIG || path.join(HERE, 'jsoff.config.mjs'),
    cases: process.env.E2E_CASES_DIR || path.join(HERE, 'cases'),
    workers: Number(process.env.E2E_WORKERS || 2),
    only: process.env.E2E_ONLY || '',
    label: process.env.E2E_LABEL || 'e2e',
    results: process.env.E2E_RESULTS || '',
  };
  const keys = { '--url': 'url', '--site-base': 'siteBase', '--out': 'out', '--screenshots': 'screenshots',
    '--jsoff-config': 'jsoffConfig', '--cases': 'cases', '--workers': 'workers', '--only': 'only', '--label': 'label', '--results': 'results' };
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split(/=(.*)/s);
    if (!(k in keys)) { console.error(`check.mjs: unknown option ${argv[i]}`); process.exit(2); }
    o[keys[k]] = inline !== undefined ? inline : argv[++i];
  }
  if (!o.url) { console.error('check.mjs: --url is required'); process.exit(2); }
  if (!o.url.endsWith('/')) o.url += '/';
  if (o.siteBase && !o.siteBase.endsWith('/')) o.siteBase += '/';
  o.workers = Math.max(1, o.workers | 0);
  return o;
}
const opt = parseArgs(process.argv.slice(2));
const ORIGIN = new URL(opt.url).origin;
const rel = (u) => { // site-relative path of a local URL, e.g. "/ja/areas/"
  try { const x = new URL(u); return x.origin === ORIGIN ? x.pathname + x.search + x.hash : u; } catch { return u; }
};
const shown = (p) => { const r = path.relative(process.cwd(), p); return r.startsWith('..') ? p : r; };
const originOf = (u) => { try { return new URL(u).origin; } catch { return ''; } };
const isLocal = (u) => { try { return new URL(u).origin === ORIGIN; } catch { return false; } };
const stripHash = (u) => { const x = new URL(u); x.hash = ''; return x.href; };

// ---------------------------------------------------------------- results
const failures = []; // { url, check, element, message }
const checkState = new Map(); // "url\0check" -> true (passed) | false (failed)
function fail(url, check, element, message) {
  const clean = (x) => String(x || '').replace(/\x1b\[[0-9;]*m/g, '');
  failures.push({ url, check, element: clean(element), message: clean(message) });
  const group = groupOf(check);
  if (group) checkState.set(`${url}\0${group}`, false);
}
// individual failure kinds -> the counted check they belong to
function groupOf(check) {
  if (check.startsWith('axe:')) return null; // axe-375 / axe-1280 are marked by checkPage
  if (check.startsWith('case:')) return null; // a case counts once, marked by runCases
  if (/^(broken-|bad-tel)/.test(check)) return 'links';
  return check;
}
function markCheck(url, check, ok) {
  const k = `${url}\0${check}`;
  if (!ok) checkState.set(k, false);
  else if (!checkState.has(k)) checkState.set(k, true);
}
const externalLinks = new Map(); // external url -> Map(page url -> text)

// ---------------------------------------------------------------- HTTP (Node side, local only)
const fetchCache = new Map();
function fetchLocal(url) {
  const key = stripHash(url);
  if (!fetchCache.has(key)) {
    fetchCache.set(key, (async () => {
      try {
        const res = await fetch(key, { redirect: 'manual' });
        const type = res.headers.get('content-type') || '';
        const buf = Buffer.from(await res.arrayBuffer());
        let ids = null;
        if (/html/.test(type)) ids = extractIds(buf.toString('utf8'));
        return { status: res.status, type, bytes: buf.length, location: res.headers.get('location'), ids, body: /html|xml|text/.test(type) ? buf.toString('utf8') : null };
      } catch (e) {
        return { status: 0, type: '', bytes: 0, error: String(e.message || e), ids: null };
      }
    })());
  }
  return fetchCache.get(key);
}
function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (m, e) => {
    const l = e.toLowerCase();
    if (l === 'amp') return '&'; if (l === 'lt') return '<'; if (l === 'gt') return '>';
    if (l === 'quot') return '"'; if (l === 'apos') return "'";
    return String.fromCodePoint(l[1] === 'x' ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10));
  });
}
function extractIds(html) {
  const ids = new Set();
  const re = /<[a-zA-Z][^>]*?\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;
  for (const m of html.matchAll(re)) ids.add(decodeEntities(m[1] ?? m[2] ?? m[3]));
  const reName = /<a\s[^>]*?\bname\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;
  for (const m of html.matchAll(reName)) ids.add(decodeEntities(m[1] ?? m[2] ?? m[3]));
  return ids;
}
const decodeFragment = (h) => { try { return decodeURIComponent(h); } catch { return h; } };

// ---------------------------------------------------------------- page list
function pageType(p) {
  if (p === '/' || p === '/index.html') return 'root';
  if (p === '/404.html') return '404';
  const segs = p.split('/').filter(Boolean);
  const rest = /^[a-z]{2}(-[A-Za-z]+)?$/.test(segs[0] || '') ? segs.slice(1) : segs;
  if (rest.length === 0) return 'home';
  const t = rest[0].replace(/\.html?$/, '');
  return rest.length > 1 ? `${t}-detail` : t;
}

// The base URL the site was built with: --site-base, else the "Sitemap:" line
// of robots.txt, else the origin of the first <loc>, else the serving URL.
async function inferSiteBase(sitemapBody) {
  if (opt.siteBase) return;
  const robots = await fetchLocal(new URL('robots.txt', opt.url).href);
  const m = robots.body && robots.body.match(/^\s*sitemap:\s*(\S+?)sitemap\.xml\s*$/im);
  if (m) opt.siteBase = m[1];
  else {
    const loc = sitemapBody && sitemapBody.match(/<loc>\s*([^<]*?)\s*<\/loc>/);
    opt.siteBase = loc && !loc[1].startsWith(opt.url) ? new URL(loc[1]).origin + '/' : opt.url;
  }
  if (opt.siteBase !== opt.url) console.log(`${opt.label}: site was built for ${opt.siteBase} (inferred); mapping it onto ${opt.url}`);
}

async function loadSitemap() {
  const url = new URL('sitemap.xml', opt.url).href;
  const r = await fetchLocal(url);
  await inferSiteBase(r.body);
  const pages = [];
  if (r.status !== 200 || !r.body) {
    fail(url, 'sitemap', 'sitemap.xml', `sitemap.xml not served (HTTP ${r.status})`);
    return pages;
  }
  const locs = [...r.body.matchAll(/<loc>\s*([^<]*?)\s*<\/loc>/g)].map((m) => decodeEntities(m[1]));
  if (locs.length === 0) fail(url, 'sitemap', 'sitemap.xml', 'sitemap.xml has no <loc> entries');
  const map = (u) => (u.startsWith(opt.siteBase) ? new URL(u.slice(opt.siteBase.length), opt.url).href : null);
  const seen = new Set();
  for (const loc of locs) {
    const m = map(loc);
    if (!m) { fail(url, 'sitemap', `<loc>${loc}</loc>`, `loc is not absolute under the base URL ${opt.siteBase}`); continue; }
    if (seen.has(m)) { fail(url, 'sitemap', `<loc>${loc}</loc>`, 'duplicate loc'); continue; }
    seen.add(m);
    pages.push(m);
  }
  const alts = [...r.body.matchAll(/<xhtml:link\b[^>]*\bhref\s*=\s*"([^"]*)"/g)].map((m) => decodeEntities(m[1]));
  for (const a of new Set(alts)) {
    const m = map(a);
    if (!m) fail(url, 'sitemap', `xhtml:link href="${a}"`, `alternate is not absolute under the base URL ${opt.siteBase}`);
    else if (!seen.has(m) && m !== opt.url) fail(url, 'sitemap', `xhtml:link href="${a}"`, 'hreflang alternate is neither a <loc> in the sitemap nor the root page');
  }
  markCheck(url, 'sitemap', true);
  return pages;
}

// ---------------------------------------------------------------- browser plumbing
function attachListeners(page) {
  page.__state = newState();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const loc = m.location();
    page.__state.console.push({ text: m.text(), where: loc && loc.url ? `${rel(loc.url)}:${loc.lineNumber}` : '', locUrl: loc?.url || '' });
  });
  page.on('pageerror', (e) => page.__state.pageErrors.push(String(e && (e.stack || e.message) || e).split('\n').slice(0, 3).join(' | ')));
  page.on('response', (r) => {
    if (isLocal(r.url()) && r.status() >= 400 && r.request().resourceType() !== 'document') {
      page.__state.badLocal.push({ url: r.url(), status: r.status(), type: r.request().resourceType() });
    }
    if (isLocal(r.url()) && r.request().resourceType() === 'script') page.__state.scriptUrls.add(r.url());
  });
  // A failure counts against the page that made the request: a lazy image
  // of the previous page, aborted by the next navigation (net::ERR_ABORTED),
  // is not the next page's broken link.
  page.on('requestfailed', (r) => {
    const st = requestState.get(r) || page.__state;
    if (isLocal(r.url())) st.badLocal.push({ url: r.url(), status: r.failure()?.errorText || 'failed', type: r.resourceType() });
  });
  // Every request is seen here; a request to any other host is recorded as a
  // failure. The network itself is closed to other hosts by the Chromium flag
  // --host-resolver-rules (see CHROMIUM_ARGS), so such a request fails fast
  // and never leaves the machine. (Playwright's page.route() would do the same
  // but disables the HTTP/code cache, which makes every page ~40 % slower.)
  page.on('request', (r) => {
    requestState.set(r, page.__state);
    const u = r.url();
    if (/^(data|blob|about|chrome-error):/.test(u) || isLocal(u) || originOf(u) === HARNESS_ORIGIN) return;
    page.__state.foreign.push({ url: u, type: r.resourceType() });
  });
}
/** The page state each request was made under (see the requestfailed handler). */
const requestState = new WeakMap();
function newState() {
  return { console: [], pageErrors: [], foreign: [], badLocal: [], scriptUrls: new Set() };
}
// console errors that merely echo a request failure we already report
function realConsoleErrors(st) {
  const known = new Set([...st.foreign.map((f) => f.url), ...st.badLocal.map((b) => b.url)]);
  // Chromium's automatic /favicon.ico probe is not a request the page made
  return st.console.filter((c) => !(/^Failed to load resource/.test(c.text) && (known.has(c.locUrl) || /\/favicon\.ico$/.test(c.locUrl))));
}

// axe.min.js is served from a second local port (not the site's) with cache
// headers, so Chromium keeps the compiled script between pages instead of
// re-parsing 500 KB on every injection.
let HARNESS_ORIGIN = 'http://harness.invalid';
let harnessServer;
async function startHarnessServer() {
  const axe = fs.readFileSync(AXE_PATH);
  harnessServer = http.createServer((req, res) => {
    if (req.url !== '/axe.min.js') { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'content-length': axe.length,
      'cache-control': 'public, max-age=86400, immutable', 'access-control-allow-origin': '*' });
    res.end(axe);
  });
  await new Promise((r) => harnessServer.listen(0, '127.0.0.1', r));
  HARNESS_ORIGIN = `http://127.0.0.1:${harnessServer.address().port}`;
}
async function runAxe(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ url: `${HARNESS_ORIGIN}/axe.min.js` });
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, tags: v.tags,
      nodes: v.nodes.map((n) => ({ target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' '), html: n.html.replace(/\s+/g, ' ').slice(0, 160) })) }));
  }, AXE_TAGS);
}

// ---------------------------------------------------------------- per-page checks
const PROFILE = process.env.E2E_PROFILE === '1';
const prof = {};
let lastMark = 0;
function mark(step) {
  if (!PROFILE) return;
  const now = performance.now();
  if (step !== 'start') prof[step] = (prof[step] || 0) + now - lastMark;
  lastMark = now;
}
async function checkPage(page, url, shotName) {
  const st = (page.__state = newState());
  const P = url;
  for (const c of PAGE_CHECKS) markCheck(P, c, true);
  mark('start');
  await page.setViewportSize({ width: 375, height: 800 });
  let resp;
  try {
    resp = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
  } catch (e) {
    fail(P, 'load', '', `navigation failed: ${String(e.message).split('\n')[0]}`);
    return;
  }
  if (!resp || resp.status() !== 200) {
    fail(P, 'load', '', `HTTP ${resp ? resp.status() : 'no response'}`);
    if (!resp) return;
  }
  mark('goto');
  const htmlBytes = (await resp.body()).length;
  if (htmlBytes > largest.html.bytes) largest.html = { bytes: htmlBytes, url: P };
  if (htmlBytes > HTML_BUDGET) fail(P, 'budget', 'html', `HTML is ${(htmlBytes / 1024).toFixed(1)} KB > ${HTML_BUDGET / 1024} KB`);

  const dom = await page.evaluate(collectDom);
  mark('collect');
  const linksDone = checkRefs(P, dom); // Node-side fetches run while the browser works

  if (shotName) {
    try {
      await page.evaluate(() => document.fonts && document.fonts.ready.then(() => true));
      await page.screenshot({ path: path.join(opt.screenshots, `${shotName}.png`), fullPage: true });
    } catch (e) { fail(P, 'screenshot', '', String(e.message).split('\n')[0]); }
  }

  mark('screenshot');
  // JS budget — measured before axe is injected
  const scripts = new Set([...dom.scriptSrcs.filter(isLocal), ...st.scriptUrls]);
  let jsBytes = dom.inlineJsBytes;
  const parts = [`inline ${dom.inlineJsBytes} B`];
  for (const s of scripts) { const r = await fetchLocal(s); jsBytes += r.bytes; parts.push(`${rel(s)} ${r.bytes} B`); }
  if (jsBytes > largest.js.bytes) largest.js = { bytes: jsBytes, url: P };
  if (jsBytes > JS_BUDGET) fail(P, 'budget', 'script', `JavaScript is ${(jsBytes / 1024).toFixed(1)} KB > ${JS_BUDGET / 1024} KB (${parts.join(', ')})`);

  const axeByKey = new Map();
  const addAxe = (vs, w) => {
    for (const v of vs) for (const n of v.nodes) {
      const k = `${v.id}\0${n.target}`;
      if (!axeByKey.has(k)) axeByKey.set(k, { v, n, widths: [] });
      axeByKey.get(k).widths.push(w);
    }
    markCheck(P, `axe-${w}`, vs.length === 0);
  };
  mark('budget');
  addAxe(await runAxe(page), 375);
  mark('axe375');

  await page.setViewportSize({ width: 320, height: 800 }); // layout is forced by the measurement
  const hs = await page.evaluate(checkHScroll);
  mark('hscroll');
  if (hs) {
    const base = `scrollWidth ${hs.sw}px > viewport ${hs.vw}px`;
    if (hs.culprits.length === 0) fail(P, 'hscroll-320', 'html', base);
    for (const c of hs.culprits) fail(P, 'hscroll-320', `${c.selector}  ${c.snippet}`, `${base}; element right edge at ${c.right}px (width ${c.width}px)`);
  }

  await page.setViewportSize({ width: 1280, height: 800 });
  addAxe(await runAxe(page), 1280);
  mark('axe1280');
  axeResults.set(P, [...new Set([...axeByKey.values()].map(({ v }) => v))]);
  for (const { v, n, widths } of axeByKey.values()) {
    failures.push({ url: P, check: `axe:${v.id}`, element: `${n.target}  ${n.html}`, message: `${v.help} [${v.impact}] (at ${widths.join(' & ')} px)` });
  }

  await linksDone;
  finishRequests(P, st);
  mark('links');
}

function finishRequests(P, st) {
  const seen = new Set();
  for (const f of st.foreign) {
    if (seen.has(f.url)) continue; seen.add(f.url);
    fail(P, 'foreign-request', `${f.type} ${f.url}`, 'request to a host other than the local server (aborted)');
  }
  const seenL = new Set();
  for (const b of st.badLocal) {
    if (seenL.has(b.url) || brokenTargets.has(`${P}\0${stripHash(b.url)}`)) continue; seenL.add(b.url);
    fail(P, 'links', `${b.type} ${rel(b.url)}`, `subresource failed to load: ${b.status}`);
  }
  for (const c of realConsoleErrors(st)) fail(P, 'console', c.where, `console error: ${c.text.slice(0, 300)}`);
  for (const e of st.pageErrors) fail(P, 'console', '', `page error: ${e.slice(0, 300)}`);
}

const pageSet = new Set(); // every page we check (no hash)
const axeResults = new Map(); // page -> axe violations (both widths), for --results
const largest = { html: { bytes: 0, url: '' }, js: { bytes: 0, url: '' } };
const brokenTargets = new Set(); // "page\0target" already reported by checkRefs
const unlisted = new Map(); // local html page not in the sitemap -> first linking page
const TEL_RE = /^tel:\+?\d+(?:-\d+)*$/;

async function checkRefs(P, dom) {
  const here = stripHash(P);
  const pageIds = new Set(dom.ids);
  const seen = new Set();
  const jobs = [];
  for (const ref of dom.refs) {
    const key = `${ref.kind}\0${ref.raw}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const el = `${ref.selector}  ${ref.snippet}`;
    const raw = ref.raw.trim();
    if (/^tel:/i.test(raw)) {
      const digits = (raw.match(/\d/g) || []).length;
      if (!TEL_RE.test(raw) || digits < 10) fail(P, 'bad-tel', el, `malformed tel: link "${raw}" (want tel:[+]digits[-digits], ≥10 digits)`);
      continue;
    }
    if (/^javascript:/i.test(raw)) { fail(P, 'broken-link', el, 'javascript: URL'); continue; }
    if (/^(mailto|data|blob|sms):/i.test(raw)) continue;
    if (!ref.abs) { fail(P, ref.kind === 'image' ? 'broken-image' : 'broken-link', el, `unparseable URL "${raw}"`); continue; }
    const u = new URL(ref.abs);
    if (ref.kind === 'preconnect') {
      if (u.origin !== ORIGIN) fail(P, 'foreign-request', el, 'preconnect/dns-prefetch to a host other than the local server');
      continue;
    }
    if (u.origin !== ORIGIN) {
      if (ref.kind === 'link' && /^https?:$/.test(u.protocol)) { // resources (img/script/css) show up as foreign-request
        if (!externalLinks.has(u.href)) externalLinks.set(u.href, new Map());
        if (!externalLinks.get(u.href).has(P)) externalLinks.get(u.href).set(P, ref.text);
      }
      continue;
    }
    const check = ref.kind === 'link' ? 'broken-link' : ref.kind === 'image' ? 'broken-image' : 'broken-resource';
    const frag = u.hash && u.hash !== '#' ? decodeFragment(u.hash.slice(1)) : null;
    const target = stripHash(u.href);
    if (target === here) {
      if (frag && frag !== 'top' && !frag.startsWith(':~:') && !pageIds.has(frag)) fail(P, 'broken-fragment', el, `no element with id="${frag}" on this page`);
      continue;
    }
    jobs.push((async () => {
      const r = await fetchLocal(target);
      if (r.status !== 200) {
        const why = r.status >= 300 && r.status < 400 ? `HTTP ${r.status} redirect to ${r.location} (link the final URL)` : r.status ? `HTTP ${r.status}` : `fetch error ${r.error}`;
        fail(P, check, el, `${rel(target)} → ${why}`);
        brokenTargets.add(`${P}\0${target}`);
        return;
      }
      if (ref.kind === 'link' && /html/.test(r.type) && !pageSet.has(target) && !unlisted.has(target)) unlisted.set(target, P);
      if (frag && frag !== 'top' && !frag.startsWith(':~:')) {
        if (!r.ids) fail(P, 'broken-fragment', el, `${rel(u.href)}: fragment on a non-HTML target (${r.type})`);
        else if (!r.ids.has(frag)) fail(P, 'broken-fragment', el, `${rel(target)} has no element with id="${frag}"`);
      }
    })());
  }
  await Promise.all(jobs);
}

// ---------------------------------------------------------------- JS-off pages
async function runJsOff(context, entries) {
  const page = await context.newPage();
  attachListeners(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
  await page.setViewportSize({ width: 375, height: 800 });
  for (const e of entries) {
    const url = new URL(e.path.replace(/^\//, ''), opt.url).href;
    const name = `js-off${e.name ? ':' + e.name : ''}`;
    markCheck(url, name, true);
    try {
      const resp = await page.goto(url, { waitUntil: 'load' });
      if (!resp || resp.status() !== 200) { fail(url, name, '', `HTTP ${resp?.status()}`); continue; }
      const selector = e.selector || 'main';
      const r = await page.evaluate(checkJsOffContent, { selector, linkWithin: e.links?.within });
      if (r.missing) { fail(url, name, selector, `with JavaScript off there is no ${selector} element`); continue; }
      const minText = e.minText ?? 1;
      if (r.textLength < minText) {
        fail(url, name, selector, r.noscriptCount
          ? `with JavaScript off, ${selector} has only <noscript> content (${r.textLength} chars outside noscript)`
          : `with JavaScript off, ${selector} has ${r.textLength} chars of text (want ≥ ${minText})`);
      }
      if (e.links) {
        const re = new RegExp(e.links.pattern);
        const n = r.links.filter((p) => re.test(p)).length;
        if (n < (e.links.min ?? 1)) fail(url, name, e.links.within || selector, `with JavaScript off, ${n} links match ${e.links.pattern} (want ≥ ${e.links.min ?? 1})`);
      }
      if (typeof e.run === 'function') await e.run(page, makeCtx(url, name));
    } catch (err) {
      fail(url, name, '', String(err.message || err).split('\n')[0]);
    }
  }
  await page.close();
}

// ---------------------------------------------------------------- cases
function makeCtx(pageUrl, name) {
  return {
    base: opt.url,
    url: (p) => new URL(String(p).replace(/^\//, ''), opt.url).href,
    path: (u) => { const x = new URL(u, opt.url); return x.origin === ORIGIN ? x.pathname : x.href; },
    fail: (message, element = '') => fail(pageUrl, name, element, message),
    assert: (cond, message, element = '') => { if (!cond) fail(pageUrl, name, element, message); return !!cond; },
  };
}
async function loadCases(dir) {
  if (!dir || dir === 'none' || !fs.existsSync(dir)) return [];
  const files = fs.readdirSync(dir).filter((f) => /\.m?js$/.test(f) && !f.startsWith('_')).sort();
  const out = [];
  for (const f of files) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    const c = mod.default || mod;
    if (!c || typeof c.run !== 'function') throw new Error(`case ${f} must export { name, run(page, ctx) }`);
    out.push({ name: c.name || f.replace(/\.m?js$/, ''), run: c.run, path: c.path, javaScript: c.javaScript !== false, file: f });
  }
  return out;
}
async function runCases(context, cases) {
  for (const c of cases) {
    const page = await context.newPage();
    attachListeners(page);
    page.setDefaultTimeout(10000);
    if (!c.javaScript) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
    }
    const label = `case:${c.name}`;
    const where = c.path ? new URL(c.path.replace(/^\//, ''), opt.url).href : `${opt.url}  (cases/${c.file})`;
    let current = where;
    const ctx = makeCtx(where, label);
    ctx.fail = (message, element = '') => fail(page.url() && page.url() !== 'about:blank' ? page.url() : current, label, element, message);
    ctx.assert = (cond, message, element = '') => { if (!cond) ctx.fail(message, element); return !!cond; };
    markCheck(where, label, true);
    try {
      await c.run(page, ctx);
    } catch (err) {
      ctx.fail(String(err.message || err).split('\n').map((l) => l.trim()).filter((l) => l && l !== 'Call log:').slice(0, 3).join(' | '));
    }
    current = page.url();
    for (const f of page.__state.foreign) fail(current, label, f.url, 'request to a host other than the local server (aborted)');
    for (const ce of realConsoleErrors(page.__state)) fail(current, label, ce.where, `console error: ${ce.text.slice(0, 300)}`);
    for (const e of page.__state.pageErrors) fail(current, label, '', `page error: ${e.slice(0, 300)}`);
    if (failures.some((f) => f.check === label)) checkState.set(`${where}\0${label}`, false);
    await page.close();
  }
}

// ---------------------------------------------------------------- report
function writeReports(elapsed, nPages) {
  fs.mkdirSync(opt.out, { recursive: true });
  failures.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : a.check.localeCompare(b.check)));
  const line = (f) => `FAIL ${f.url}  [${f.check}]  ${f.element}${f.message ? '  — ' + f.message : ''}`;
  fs.writeFileSync(path.join(opt.out, 'failures.txt'), failures.map(line).join('\n') + (failures.length ? '\n' : ''));
  fs.writeFileSync(path.join(opt.out, 'report.json'), JSON.stringify({ url: opt.url, pages: nPages, seconds: elapsed, failures,
    checks: [...checkState.entries()].map(([k, ok]) => { const [url, check] = k.split('\0'); return { url, check, ok }; }) }, null, 1));
  const ext = [...externalLinks.entries()].sort(([a], [b]) => a.localeCompare(b));
  fs.writeFileSync(path.join(opt.out, 'external-links.txt'),
    `# external links found on ${nPages} pages (listed, never fetched). Format: URL, then the pages that link to it\n` +
    ext.map(([u, pages]) => `${u}\n` + [...pages.entries()].map(([p, t]) => `    ${rel(p)}${t ? '  "' + t + '"' : ''}`).join('\n')).join('\n') + '\n');
  fs.writeFileSync(path.join(opt.out, 'external-links.json'), JSON.stringify(Object.fromEntries(ext.map(([u, pages]) => [u, [...pages.keys()].map(rel)])), null, 1));

  // stdout: every failure, but identical (check, element, message) repeated on
  // many pages is shown for the first 5 pages only (failures.txt has them all).
  const groups = new Map();
  for (const f of failures) {
    const k = `${f.check}\0${f.element}\0${f.message.replace(/https?:\/\/127\.0\.0\.1:\d+/g, '')}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(f);
  }
  for (const fs_ of groups.values()) {
    for (const f of fs_.slice(0, 5)) console.log(line(f));
    if (fs_.length > 5) console.log(`     … the same [${fs_[0].check}] failure on ${fs_.length - 5} more pages (see ${shown(path.join(opt.out, 'failures.txt'))})`);
  }
  const byCheck = {};
  for (const f of failures) byCheck[f.check] = (byCheck[f.check] || 0) + 1;
  if (failures.length) {
    console.log(`\nfailures by check: ${Object.entries(byCheck).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  let passed = 0, failed = 0;
  for (const ok of checkState.values()) ok ? passed++ : failed++;
  // failures not attached to a tracked check (should not happen) still count
  const summary1 = `${opt.label}: ${nPages} pages, ${failures.length} failures, ${elapsed.toFixed(1)} s`;
  const summary2 = `${passed} passed, ${failed} failed`;
  const kb = (b) => (b / 1024).toFixed(1);
  console.log(`budgets: largest HTML ${kb(largest.html.bytes)} KB (${rel(largest.html.url)}), most JavaScript ${kb(largest.js.bytes)} KB (${rel(largest.js.url)}); limits ${HTML_BUDGET / 1024} / ${JS_BUDGET / 1024} KB`);
  console.log(`external links: ${ext.length} (listed in ${shown(path.join(opt.out, 'external-links.txt'))}, not fetched)`);
  console.log(summary1);
  console.log(summary2);
  fs.writeFileSync(path.join(opt.out, 'summary.txt'), `${summary1}\n${summary2}\n`);
  return failed;
}

// ---------------------------------------------------------------- results for the site
// "wcag1411" -> "1.4.11"; level from the rule's tags ("wcag2a", "wcag21aa", …).
const criterionOf = (tag) => { const m = /^wcag(\d)(\d)(\d+)$/.exec(tag); return m ? `${m[1]}.${m[2]}.${m[3]}` : null; };
// The level of each WCAG 2.2 success criterion at A and AA (W3C, WCAG 2.2,
// https://www.w3.org/TR/WCAG22/; 4.1.1 is obsolete there). A rule's own tags
// cannot tell it: scrollable-region-focusable tests 2.1.1 (A) and 2.1.3 (AAA).
// Criteria of level AAA, outside the site's target, are left out.
const LEVELS = {
  A: '1.1.1 1.2.1 1.2.2 1.2.3 1.3.1 1.3.2 1.3.3 1.4.1 1.4.2 2.1.1 2.1.2 2.1.4 2.2.1 2.2.2 2.3.1 2.4.1 2.4.2 2.4.3 2.4.4 2.5.1 2.5.2 2.5.3 2.5.4 3.1.1 3.2.1 3.2.2 3.2.6 3.3.1 3.3.2 3.3.7 4.1.2',
  AA: '1.2.4 1.2.5 1.3.4 1.3.5 1.4.3 1.4.4 1.4.5 1.4.10 1.4.11 1.4.12 1.4.13 2.4.5 2.4.6 2.4.7 2.4.11 2.5.7 2.5.8 3.1.2 3.2.3 3.2.4 3.3.3 3.3.4 3.3.8 4.1.3',
};
const levelOf = (c) => Object.keys(LEVELS).find((l) => LEVELS[l].split(' ').includes(c));
const tomlStr = (s) => JSON.stringify(String(s)); // a TOML basic string is a JSON string for these values
const tomlList = (xs) => `[${xs.map(tomlStr).join(', ')}]`;

// data/accessibility.toml: the run's date, tool and version, the WCAG
// criteria its axe rules test (with their level), every page checked and,
// for each page with a violation, the criteria and rules that failed.
async function writeResults(context, file) {
  const page = await context.newPage();
  await page.goto(opt.url);
  await page.addScriptTag({ url: `${HARNESS_ORIGIN}/axe.min.js` });
  const { version, chrome, rules } = await page.evaluate((tags) => ({ version: window.axe.version,
    chrome: (navigator.userAgent.match(/Chrome\/([\d.]+)/) || [])[1] || '',
    rules: window.axe.getRules(tags).map((r) => ({ id: r.ruleId, tags: r.tags })) }), AXE_TAGS);
  await page.close();
  const criteria = new Map();
  for (const r of rules) for (const t of r.tags) { const c = criterionOf(t); if (c && levelOf(c)) criteria.set(c, levelOf(c)); }
  const key = (c) => c.split('.').map((n) => n.padStart(3, '0')).join('.');
  const sorted = [...criteria.keys()].sort((a, b) => key(a).localeCompare(key(b)));
  const paths = [...axeResults.keys()].map((u) => rel(u)).sort();
  const lines = [
    '# The latest accessibility test of this site, read by `tsunagu build` for the',
    '# accessibility page (/<lang>/accessibility/). Written by tests/e2e/check.mjs',
    '# (E2E_RESULTS=data/accessibility.toml tests/e2e/run.sh); do not edit by hand.',
    `date = ${tomlStr(new Date().toISOString().slice(0, 10))}`,
    `tool = "axe-core"`,
    `version = ${tomlStr(version)}`,
    `browser = ${tomlStr(`Chromium ${chrome}`.trim())}`,
    `widths = [375, 1280]`,
    `tags = ${tomlList(AXE_TAGS)}`,
    `criteria = [`, ...sorted.map((c) => `  { id = ${tomlStr(c)}, level = ${tomlStr(criteria.get(c))} },`), `]`,
    `pages = [`, ...paths.map((p) => `  ${tomlStr(p)},`), `]`,
  ];
  for (const [u, vs] of [...axeResults.entries()].sort(([a], [b]) => rel(a).localeCompare(rel(b)))) {
    if (!vs.length) continue;
    const failed = [...new Set(vs.flatMap((v) => v.tags.map(criterionOf).filter((c) => c && criteria.has(c))))].sort((a, b) => key(a).localeCompare(key(b)));
    lines.push('', '[[failure]]', `path = ${tomlStr(rel(u))}`, `criteria = ${tomlList(failed)}`, `rules = ${tomlList([...new Set(vs.map((v) => v.id))].sort())}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  console.log(`${opt.label}: wrote the accessibility results of ${paths.length} pages to ${shown(file)}`);
}

// ---------------------------------------------------------------- main
async function main() {
  const t0 = Date.now();
  let timings = '';
  fs.mkdirSync(opt.out, { recursive: true });
  if (opt.screenshots !== 'none') {
    fs.mkdirSync(opt.screenshots, { recursive: true });
    for (const f of fs.readdirSync(opt.screenshots)) if (f.endsWith('.png')) fs.unlinkSync(path.join(opt.screenshots, f));
  }
  const pages = [opt.url, ...(await loadSitemap()), new URL('404.html', opt.url).href];
  let list = [...new Set(pages)];
  if (opt.only) { const re = new RegExp(opt.only); list = list.filter((u) => re.test(rel(u))); }
  for (const u of list) pageSet.add(u);
  for (const extra of ['robots.txt']) {
    const u = new URL(extra, opt.url).href;
    const r = await fetchLocal(u);
    markCheck(u, 'site', r.status === 200);
    if (r.status !== 200) fail(u, 'site', extra, `HTTP ${r.status}`);
  }
  // one screenshot per page type: prefer the Japanese page, else the first
  const shots = new Map();
  if (opt.screenshots !== 'none') {
    const sorted = [...list].sort((a, b) => {
      const ja = (u) => (rel(u).startsWith('/ja/') ? 0 : 1);
      return ja(a) - ja(b) || a.localeCompare(b);
    });
    for (const u of sorted) { const t = pageType(new URL(u).pathname); if (![...shots.values()].includes(t)) shots.set(u, t); }
  }

  await startHarnessServer();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagu-e2e-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, bypassCSP: true,
    viewport: { width: 375, height: 800 }, locale: 'ja-JP', serviceWorkers: 'block',
  });
  try {
    for (const p of context.pages()) await p.close().catch(() => {});
    let next = 0, done = 0;
    const progressEvery = Math.max(25, Math.ceil(list.length / 10));
    const worker = async () => {
      let page = await context.newPage();
      attachListeners(page);
      page.setDefaultTimeout(30000);
      while (next < list.length) {
        const url = list[next++];
        try {
          await checkPage(page, url, shots.get(url));
        } catch (e) {
          fail(url, 'load', '', `harness error: ${String(e.message || e).split('\n')[0]}`);
          await page.close().catch(() => {});
          page = await context.newPage();
          attachListeners(page);
          page.setDefaultTimeout(30000);
        }
        if (++done % progressEvery === 0) console.log(`  … ${done}/${list.length} pages (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      }
      await page.close().catch(() => {});
    };
    await Promise.all(Array.from({ length: Math.min(opt.workers, list.length) }, worker));
    const tPages = Date.now();

    if (!opt.only) for (const [target, from] of unlisted) {
      fail(target, 'not-in-sitemap', `linked from ${rel(from)}`, 'HTML page is linked but missing from sitemap.xml (so it is not checked)');
    }

    let jsOff = [];
    if (opt.jsoffConfig && opt.jsoffConfig !== 'none' && fs.existsSync(opt.jsoffConfig)) {
      const mod = await import(pathToFileURL(path.resolve(opt.jsoffConfig)).href);
      jsOff = mod.default || mod.pages || [];
    }
    if (jsOff.length) await runJsOff(context, jsOff);
    const tJsOff = Date.now();
    const cases = await loadCases(opt.cases);
    if (cases.length) await runCases(context, cases);
    if (opt.results) {
      if (opt.only) console.log(`${opt.label}: not writing ${opt.results}: only some pages were checked (--only)`);
      else await writeResults(context, opt.results);
    }
    timings = `pages ${((tPages - t0) / 1000).toFixed(1)} s, js-off ${jsOff.length} in ${((tJsOff - tPages) / 1000).toFixed(1)} s, cases ${cases.length} in ${((Date.now() - tJsOff) / 1000).toFixed(1)} s`;
  } finally {
    await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
    harnessServer.close();
  }
  const elapsed = (Date.now() - t0) / 1000;
  console.log(`${opt.label}: timings: ${timings}`);
  if (PROFILE) console.log('profile (ms/page, summed over workers):', Object.entries(prof).map(([k, v]) => `${k} ${(v / list.length).toFixed(0)}`).join(', '));
  const failed = writeReports(elapsed, list.length);
  return failed || failures.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error('check.mjs: harness error:', e); process.exit(2); });
