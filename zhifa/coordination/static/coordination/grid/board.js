// 指挥调度台：每隔 data-refresh-seconds 秒重新读取本页的看板部分（同源，带筛选条件），无内联脚本；
// 图表（本站的 ECharts）的数据来自看板部分里的 json_script “board-charts”，每次刷新后重画。
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board) { return; }
  var seconds = parseInt(board.getAttribute("data-refresh-seconds"), 10) || 60;
  var charts = [];
  var BLUE = "#1f4e8c", RED = "#b42318", AMBER = "#b54708";

  function chart(id, option) { window.zhifaChart(charts, id, option); }  // zhifa/charts.js

  function bars(names, values, color) {
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 120, overflow: "truncate" } },
      series: [{ name: "超期任务", type: "bar", data: values, itemStyle: { color: color } }]
    };
  }

  function draw() {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    var source = document.getElementById("board-charts");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    chart("chart-reports-by-day", {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.reports_by_day.days },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: "上报", type: "bar", data: data.reports_by_day.reports, itemStyle: { color: BLUE } },
        { name: "发现问题", type: "line", data: data.reports_by_day.problems, itemStyle: { color: RED } }
      ]
    });
    chart("chart-tasks-by-status", {
      tooltip: { trigger: "item" },
      legend: { type: "scroll", bottom: 0 },
      series: [{ name: "调度任务", type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
                 data: data.tasks_by_status.filter(function (s) { return s.value > 0; }),
                 label: { formatter: "{b}\n{c}" } }]
    });
    chart("chart-overdue-by-grid", bars(data.overdue_by_grid.names, data.overdue_by_grid.values, RED));
    chart("chart-overdue-by-team", bars(data.overdue_by_team.names, data.overdue_by_team.values, AMBER));
  }

  function refresh() {
    if (document.hidden) { return; }
    var url = new URL(window.location.href);
    url.searchParams.set("partial", "1");
    fetch(url.toString(), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) { if (html !== null) { board.innerHTML = html; draw(); } })
      .catch(function () { /* 网络中断时保留当前内容，下次再试 */ });
  }
  draw();
  window.setInterval(refresh, seconds * 1000);
  document.addEventListener("visibilitychange", refresh);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
