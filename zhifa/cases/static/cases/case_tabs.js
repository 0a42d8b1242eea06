// The case page's tabs (概况、证据、笔录与文书、全过程记录、公示与救济): sections carry data-tab; the
// tab bar's links (#tab-…) choose which are shown. Without JavaScript every section shows and the
// links scroll to them. The choice is kept in the address (#tab-…), so a link or reload keeps it.
(function () {
  "use strict";
  var bar = document.getElementById("case-tabs");
  if (!bar) { return; }
  var sections = Array.prototype.slice.call(document.querySelectorAll("section[data-tab]"));
  var links = Array.prototype.slice.call(bar.querySelectorAll("a[data-tab]"));
  function show(tab, scroll) {
    if (!links.some(function (a) { return a.getAttribute("data-tab") === tab; })) { tab = "overview"; }
    sections.forEach(function (s) { s.hidden = s.getAttribute("data-tab") !== tab; });
    links.forEach(function (a) {
      var on = a.getAttribute("data-tab") === tab;
      a.classList.toggle("active", on);
      if (on) { a.setAttribute("aria-current", "page"); } else { a.removeAttribute("aria-current"); }
    });
    if (scroll) { bar.scrollIntoView({ block: "start" }); }
  }
  function fromHash() {
    var hash = window.location.hash || "";
    if (hash.indexOf("#tab-") === 0) { return hash.slice(5); }
    var target = hash ? document.getElementById(hash.slice(1)) : null;
    var section = target && target.closest ? target.closest("section[data-tab]") : null;
    return section ? section.getAttribute("data-tab") : "overview";
  }
  document.body.classList.add("has-tabs");
  show(fromHash(), false);
  window.addEventListener("hashchange", function () { show(fromHash(), window.location.hash.indexOf("#tab-") === 0); });
}());
