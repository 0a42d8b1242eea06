// The cockpit's charts (ECharts, served from this site): data from the page's json_script.
(function () {
  "use strict";
  var source = document.getElementById("cockpit-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function chart(id, option) { window.zhifaChart(charts, id, option); }  // zhifa/charts.js

  chart("chart-trend", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
    legend: { type: "scroll", top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 30 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    series: data.trend.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: true }; })
  });
  chart("chart-ranking", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
    grid: { left: 8, right: 24, top: 10, bottom: 10, containLabel: true },
    xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: data.ranking.agencies, inverse: true },
    series: [{ name: data.ranking.metric, type: "bar", data: data.ranking.values }]
  });
  if (data.alerts_by_model.length) {
    chart("chart-alerts", {
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: data.alerts_by_model }]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
