// Pages loaded with JavaScript DISABLED (Chromium script execution off).
// For each entry the checker asserts that `selector` (default "main") exists
// and has at least `minText` (default 1) characters of text OUTSIDE <noscript>
// — i.e. the core content is not noscript-only and does not need JS.
//
// Entry fields (all optional except path):
//   path      site-relative path, e.g. "/ja/areas/"
//   name      label used in failure output ("js-off:<name>")
//   selector  element holding the core content (default "main")
//   minText   minimum text length outside <noscript> (default 1)
//   links     { pattern, min = 1, within = selector } — at least `min` links
//             inside `within` whose resolved path matches the RegExp `pattern`
//   run       async (page, ctx) => { ... } — extra assertions; use
//             ctx.assert(cond, message, element) / ctx.fail(message, element)
//
// Example to add later:
//   { path: '/ja/areas/', name: 'areas-list-ja',
//     links: { pattern: '^/ja/areas/\\d+/$', min: 1 } },
export default [
  { path: '/', name: 'root' },
  { path: '/ja/', name: 'home-ja' },
  { path: '/en/', name: 'home-en' },
  { path: '/easy/', name: 'home-easy' },
];
