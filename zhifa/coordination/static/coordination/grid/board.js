// 指挥调度台：每隔 data-refresh-seconds 秒重新读取本页的看板部分（同源，带筛选条件），无内联脚本。
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  var seconds = parseInt(board.getAttribute("data-refresh-seconds"), 10) || 60;
  function refresh() {
    if (document.hidden) { return; }
    var url = new URL(window.location.href);
    url.searchParams.set("partial", "1");
    fetch(url.toString(), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) { board.innerHTML = html; } })
      .catch(function () { /* 网络中断时保留当前内容，下次再试 */ });
  }
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", refresh);
})();
