// A <select data-search-url> (core.widgets.SearchSelect) lists only the latest rows of a table
// that grows with the data (parties, cases) and the one already chosen. This adds a search box
// above it: as the person types (two characters or more), the scoped API list is asked for
// ?q=… and its matches replace the options; the chosen option is kept. The form posts the
// <select> as before and the server checks the choice is within the person's reach.
(function () {
  "use strict";
  if (!window.fetch) { return; }

  function label(row, fields) {
    var parts = fields.map(function (f) { return row[f]; }).filter(function (v) { return v; });
    if (!parts.length) { return String(row.id); }
    return parts.length > 1 ? parts[0] + "（" + parts.slice(1).join("，") + "）" : String(parts[0]);
  }

  function enhance(select) {
    var url = select.getAttribute("data-search-url");
    var fields = (select.getAttribute("data-search-label") || "name").split(",");
    var extra = select.getAttribute("data-search-params") || "";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "search-select-box";
    box.setAttribute("aria-label", "查找" + ((select.labels && select.labels[0] && select.labels[0].textContent) || ""));
    var status = document.createElement("small");
    status.className = "search-select-status";
    status.setAttribute("aria-live", "polite");
    var hint = "在上框输入名称或号码（至少两个字）查找";
    status.textContent = hint;
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select.nextSibling);
    var timer = null;
    var asked = 0;

    function replace(rows) {
      var chosen = select.selectedIndex >= 0 ? select.options[select.selectedIndex] : null;
      var keep = chosen && chosen.value ? chosen : null;
      var blank = select.options.length && select.options[0].value === "" ? select.options[0] : null;
      while (select.options.length) { select.remove(0); }
      if (blank) { select.add(blank); }
      if (keep) { select.add(keep); }
      rows.forEach(function (row) {
        if (keep && String(row.id) === keep.value) { return; }
        select.add(new Option(label(row, fields), String(row.id)));
      });
      if (keep) { keep.selected = true; } else if (blank) { blank.selected = true; }
    }

    function search() {
      var q = box.value.trim();
      if (q.length < 2) { status.textContent = hint; return; }
      var mine = ++asked;
      status.textContent = "正在查找…";
      var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q) + (extra ? "&" + extra : "");
      window.fetch(address, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (data) {
          if (mine !== asked) { return; }
          var rows = data.results || [];
          replace(rows);
          status.textContent = rows.length ? "找到" + (data.count_capped ? "多于" : "") + (data.count || rows.length) + "项，请在下方选择" + (data.next ? "（只列出前" + rows.length + "项，可输入更完整的名称或号码）" : "") : "没有找到“" + q + "”";
        })
        .catch(function () { if (mine === asked) { status.textContent = "查找失败，请稍后再试"; } });
    }

    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 300);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); window.clearTimeout(timer); search(); }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-search-url]"), enhance);
}());
