// Sort the overview table by a column (click its header button again to reverse).
// Inline and dependency-free so the page keeps working offline. Rows of a wijk plan are
// sorted within their gemeente group; the group's header row stays on top.
(function () {
  function value(row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell ? (cell.getAttribute("data-sort") || cell.textContent).trim() : "";
    if (!numeric) return raw.toLowerCase();
    return raw === "" ? NaN : Number(raw);
  }
  document.querySelectorAll("table.da-sortable").forEach(function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.getAttribute("data-type") === "number";
        var index = th.cellIndex;
        Array.prototype.forEach.call(table.tBodies, function (body) {
          var rows = Array.prototype.filter.call(body.rows, function (r) {
            return !r.classList.contains("da-group");
          });
          rows.sort(function (a, b) {
            var x = value(a, index, numeric), y = value(b, index, numeric);
            if (numeric) {
              if (isNaN(x) && isNaN(y)) return 0;
              if (isNaN(x)) return 1;  // "geen gegevens" always last
              if (isNaN(y)) return -1;
              return ascending ? x - y : y - x;
            }
            return ascending ? x.localeCompare(y, "nl") : y.localeCompare(x, "nl");
          });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      });
    });
  });
})();
