// Role dashboard charts (ECharts, served from this site): data from the page's json_script.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];

  function chart(id, option) { window.zhifaChart(charts, id, option); }  // zhifa/charts.js

  if (data.deadlines) {
    chart("chart-deadlines", {
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.deadlines.labels, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: "待办", type: "bar", data: data.deadlines.values.map(function (v, i) {
        return { value: v, itemStyle: { color: i === 0 ? "#b42318" : "#1f4e8c" } };
      }) }]
    });
  }
  if (data.workload) {
    chart("chart-workload", {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.workload.officers, inverse: true },
      series: [
        { name: "办理中", type: "bar", data: data.workload.open, itemStyle: { color: "#1f4e8c" } },
        { name: "已超期", type: "bar", data: data.workload.overdue, itemStyle: { color: "#b42318" } }
      ]
    });
  }
  if (data.year) {
    chart("chart-year", {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.year.months },
      yAxis: { type: "value", minInterval: 1 },
      series: data.year.series.map(function (s) { return { name: s.name, type: "line", data: s.data, connectNulls: false }; })
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
