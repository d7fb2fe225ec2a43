// Council table sorting: an enhancement. Without JavaScript the table keeps
// its default order (by name); with it, the column headings become buttons.
(function () {
  'use strict';
  var table = document.querySelector('table[data-sortable]');
  if (!table || !table.tBodies[0] || !table.tHead) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var rank = { alone: 0, joint: 1, not_set: 2, unknown: 3 };
  rows.forEach(function (r, i) { r.dataset.i = i; });
  var keys = {
    name: function (r) { return +r.dataset.i; },
    code: function (r) { return r.id.slice(2); },
    status: function (r) { return (rank[r.dataset.status] || 0) * 10000 + +r.dataset.i; }
  };
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th) {
    var key = th.dataset.sort;
    if (!keys[key]) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort-button';
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    button.addEventListener('click', function () {
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending');
      rows.sort(function (a, b) {
        var x = keys[key](a), y = keys[key](b);
        return (x < y ? -1 : x > y ? 1 : 0) * dir;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  var hint = document.getElementById('sort-hint');
  if (hint) hint.hidden = false;
})();
