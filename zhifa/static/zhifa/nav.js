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

  // The unread-message badge is fetched after the page is shown, so that no page pays a query for it.
  var messages = document.querySelector(".mainnav a.msgs[data-unread-url]");
  if (messages && window.fetch) {
    window.fetch(messages.getAttribute("data-unread-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        var badge = messages.querySelector(".badge");
        if (data && badge && data.unread > 0) {
          badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
          badge.hidden = false;
          messages.setAttribute("title", "站内消息：" + data.unread + "条未读");
        }
      })
      .catch(function () { /* the badge is a convenience; the messages page shows the count */ });
  }
}());
