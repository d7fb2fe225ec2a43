// tsunagu finder: filters areas as you type. Progressive enhancement: without
// this script the form stays hidden and the area list still works.
(function () {
  "use strict";
  var form = document.querySelector("form.finder");
  if (!form || !window.fetch || !String.prototype.normalize) return;
  var input = form.querySelector("input");
  var status = form.querySelector(".finder-status");
  var list = form.querySelector(".finder-results");
  var d = form.dataset;
  var en = d.lang === "en";
  var index = null;
  var hits = [];

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
  function prepare(e) {
    e.kn = norm(e.n[0]);
    e.rr = roma(e.r) + " " + roma(norm(e.n[1]));
    return e;
  }
  function score(e, q) {
    if (/^[a-z]+$/.test(q)) {
      var r = roma(q);
      if (!r) return -1;
      var p = e.rr.indexOf(r);
      return p < 0 ? -1 : p;
    }
    var a = e.kn.indexOf(q), b = e.k.indexOf(q);
    if (a < 0 && b < 0) return -1;
    return Math.min(a < 0 ? 99 : a, b < 0 ? 99 : b);
  }
  function render() {
    var q = norm(input.value);
    list.textContent = "";
    hits = [];
    if (!q) { status.textContent = d.empty; return; }
    if (!index) return;
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], q);
      if (s >= 0) hits.push([s, i]);
    }
    hits.sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; });
    hits = hits.slice(0, 20).map(function (h) { return index[h[1]]; });
    hits.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = d.base + e.u;
      a.textContent = e.n[en ? 1 : 0];
      var hub = document.createElement("span");
      hub.className = "sub";
      hub.textContent = e.h ? e.h[en ? 1 : 0] : d.noHub;
      a.appendChild(hub);
      li.appendChild(a);
      list.appendChild(li);
    });
    status.textContent = hits.length ? hits.length + (en ? " " : "") + d.count : d.noMatch;
  }
  form.hidden = false;
  status.textContent = d.empty;
  fetch(d.index).then(function (r) { return r.json(); }).then(function (data) {
    index = data.map(prepare);
    render();
  });
  input.addEventListener("input", render);
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (hits.length) window.location.href = d.base + hits[0].u;
  });
})();
