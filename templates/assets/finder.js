// tsunagu finder: filters areas as you type, and finds the area of a postcode
// (222-0033, 〒２２２－００３３, or its first 3 digits) or a town (新横浜,
// しんよこはま, shinyokohama). Progressive enhancement: without this script the
// form stays hidden; the area list and the postcode pages still work.
// Postcode and town data load only when a search needs them: a small index,
// then one file per 3-digit prefix or per first character.
(function () {
  "use strict";
  var form = document.querySelector("form.finder");
  if (!form || !window.fetch || !String.prototype.normalize) return;
  var input = form.querySelector("input");
  var status = form.querySelector(".finder-status");
  var list = form.querySelector(".finder-results");
  var d = form.dataset;
  var en = d.lang === "en";
  var root = d.postcodes.replace(/finder-postcodes\.json$/, "");
  var index = null;
  var pc = null;
  var byCode = {};
  var files = {};
  var hits = [];
  var seq = 0;
  var pending = Promise.resolve();

  // Full-width → half-width, katakana → hiragana, macrons dropped, lower case.
  function norm(s) {
    return s.normalize("NFKC").toLowerCase()
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC")
      .replace(/[\u30a1-\u30f6]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0x60); })
      .replace(/[\s\u3000・･]/g, "");
  }
  // One spelling for Hepburn, kunrei and long-vowel variants: kōhoku, kouhoku, kohoku.
  function roma(s) {
    return s.replace(/[^a-z]/g, "")
      .replace(/tsu/g, "tu").replace(/shi/g, "si").replace(/chi/g, "ti").replace(/fu/g, "hu")
      .replace(/ji/g, "zi").replace(/sh/g, "sy").replace(/ch/g, "ty").replace(/j/g, "zy")
      .replace(/m(?=[bp])/g, "n").replace(/(ou|oo|oh(?![aiueo]))/g, "o")
      .replace(/uu/g, "u").replace(/aa/g, "a").replace(/ii/g, "i");
  }
  function isRoma(q) { return /^[a-z'-]+$/.test(q); }
  function prepare(e) {
    e.kn = norm(e.n[0]);
    e.rr = roma(e.r) + " " + roma(norm(e.n[1]));
    byCode[e.u.split("/")[1]] = e;
    return e;
  }
  function score(e, q) {
    if (isRoma(q)) {
      var r = roma(q);
      if (!r) return -1;
      var p = e.rr.indexOf(r);
      return p < 0 ? -1 : p;
    }
    var a = e.kn.indexOf(q), b = e.k.indexOf(q);
    if (a < 0 && b < 0) return -1;
    return Math.min(a < 0 ? 99 : a, b < 0 ? 99 : b);
  }
  function load(path) {
    if (!files[path]) files[path] = fetch(root + path).then(function (r) { return r.json(); });
    return files[path];
  }
  // The digits of a postcode (〒 and hyphens dropped); "" for 1–2 digits; null if not a postcode.
  function postcode(q) {
    var s = q.replace(/^〒/, "").replace(/[-‐‑–—−ー]/g, "");
    if (/^\d{3,7}$/.test(s)) return s;
    return /^\d{1,2}$/.test(s) ? "" : null;
  }
  // An area result: the area's name (after a town or postcode), its hub below.
  function hit(code, before) {
    var e = byCode[code];
    if (!e) return null;
    return { u: e.u, t: (before ? before + " · " : "") + e.n[en ? 1 : 0], s: e.h ? e.h[en ? 1 : 0] : d.noHub };
  }
  function item(href, text, sub) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (sub) {
      var s = document.createElement("span");
      s.className = "sub";
      s.textContent = sub;
      a.appendChild(s);
    }
    li.appendChild(a);
    list.appendChild(li);
  }
  function outside(pc) { return d.outside.replace("{areas}", pc.c[en ? 1 : 0]); }
  function show(found, pc, postcodes, prefix) {
    hits = found.filter(Boolean);
    hits.slice(0, 20).forEach(function (h) { item(d.base + h.u, h.t, h.s); });
    if (prefix && hits.length) item(d.base + "postcodes/" + prefix + "/", d.all.replace("{prefix}", prefix));
    status.textContent = hits.length ? hits.length + (en ? " " : "") + d.count
      : postcodes ? outside(pc) : d.noMatch + " " + outside(pc);
  }
  function search(q, my, pc) {
    if (my !== seq) return;
    var code = postcode(q);
    if (code !== null) {
      var prefix = code.slice(0, 3);
      if (pc.p.split(" ").indexOf(prefix) < 0) return show([], pc, true);
      return load("postcodes/" + prefix + ".json").then(function (rows) {
        if (my !== seq) return;
        show(rows.filter(function (r) { return r[0].indexOf(code) === 0; }).map(function (r) {
          var town = en ? r[2] : r[1];
          return hit(r[3], "〒" + r[0].slice(0, 3) + "-" + r[0].slice(3) + (town ? " " + town : ""));
        }), pc, true, prefix);
      });
    }
    var areas = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], q);
      if (s >= 0) areas.push([s, i]);
    }
    areas.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; });
    areas = areas.map(function (h) { var e = index[h[1]]; return { u: e.u, t: e.n[en ? 1 : 0], s: e.h ? e.h[en ? 1 : 0] : d.noHub }; });
    // Town files: the first 2 characters, or 3 letters of romaji as roma() spells it, hashed.
    var r = isRoma(q) ? roma(q) : "";
    var n = r ? 3 : 2;
    var k = (r || q).slice(0, n);
    if (k.length < n) return show(areas, pc, false);
    for (var h = 0, j = 0; j < n; j++) h = (Math.imul(h, 31) + k.charCodeAt(j)) >>> 0;
    var file = h % pc.b;
    return load("towns/" + file + ".json").then(function (rows) {
      if (my !== seq) return;
      // Municipality and ward names first, then towns starting with the query.
      show(areas.concat(rows.filter(function (t) {
        return r ? roma(t[2].toLowerCase()).indexOf(r) === 0 : norm(t[0]).indexOf(q) === 0 || t[1].indexOf(q) === 0;
      }).map(function (t) { return hit(t[3], en ? t[2] : t[0]); })), pc, false);
    });
  }
  function render() {
    var q = norm(input.value);
    var my = ++seq;
    list.textContent = "";
    hits = [];
    if (!q || postcode(q) === "") { status.textContent = d.empty; return; }
    if (!index) return;
    // Synchronous when no data file is needed, so the answer shows at once.
    pending = Promise.resolve(search(q, my, pc));
  }
  form.hidden = false;
  status.textContent = d.empty;
  // The area index and the small postcode index (prefixes, town keys, coverage).
  Promise.all([fetch(d.index).then(function (r) { return r.json(); }), load("finder-postcodes.json")]).then(function (data) {
    index = data[0].map(prepare);
    pc = data[1];
    render();
  });
  input.addEventListener("input", render);
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    // A search still loading its data finishes first: Enter right after typing works.
    pending.then(function () {
      if (hits.length) window.location.href = d.base + hits[0].u;
    });
  });
})();
