// The grouped main menu: opening one group closes the others; a click outside or Escape closes
// them all. Without JavaScript the groups still open and close (<details>).
(function () {
  "use strict";
  var groups = Array.prototype.slice.call(document.querySelectorAll(".mainnav details.navgroup"));
  function closeAll(except) {
    groups.forEach(function (g) { if (g !== except) { g.removeAttribute("open"); } });
  }
  groups.forEach(function (g) {
    g.addEventListener("toggle", function () { if (g.open) { closeAll(g); } });
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".mainnav details.navgroup")) { closeAll(null); }
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { closeAll(null); } });
}());
