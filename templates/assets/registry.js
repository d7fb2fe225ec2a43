// tsunagu registry filter: narrows the provider list by the medical care
// needed. Progressive enhancement: without this script the form stays hidden
// and the static pages per care need (linked above the list) do the same job.
(function () {
  "use strict";
  var form = document.querySelector("form.care-filter");
  if (!form || !form.querySelectorAll) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".provider-list > li.provider"));
  var status = form.querySelector(".filter-status");
  var d = form.dataset;
  var data = cards.map(function (card) {
    var m = {};
    (card.getAttribute("data-care") || "").split(" ").forEach(function (p) {
      var kv = p.split("=");
      if (kv.length === 2) m[kv[0]] = kv[1];
    });
    return m;
  });

  function update() {
    var needs = [];
    var labels = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=care]:checked"), function (i) {
      needs.push(i.value);
      labels[i.value] = i.getAttribute("data-label");
    });
    var showUnknown = form.querySelector("input[name=unknown]").checked;
    var count = { y: 0, u: 0, n: 0 };
    cards.forEach(function (card, i) {
      var state = "y";
      var unknown = [];
      var no = [];
      needs.forEach(function (n) {
        var v = data[i][n] || "u";
        if (v === "n") no.push(labels[n]);
        else if (v === "u") unknown.push(labels[n]);
      });
      if (no.length) state = "n";
      else if (unknown.length) state = "u";
      count[state]++;
      card.hidden = state === "n" || (state === "u" && !showUnknown);
      card.setAttribute("data-match", needs.length ? state : "");
      var note = card.querySelector(".filter-note");
      if (note) {
        note.hidden = state !== "u";
        note.textContent = state === "u" ? "? " + d.unknownLabel + ": " + unknown.join(d.sep) : "";
      }
    });
    status.textContent = needs.length
      ? d.status.replace("{yes}", count.y).replace("{unknown}", count.u).replace("{no}", count.n)
      : "";
  }

  form.addEventListener("change", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  update();
})();
