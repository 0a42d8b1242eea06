/* One way to draw an ECharts chart (vendored under vendor/echarts) into an element found by its
   id, for the cockpit (驾驶舱), the role dashboards and the grid dispatch board: nothing is drawn
   when the page has no such element; the element is marked data-rendered="1" (the browser tests
   wait for it) and the instance is pushed onto the page's list, which it resizes and redraws. */
"use strict";
window.zhifaChart = function (charts, id, option) {
  var element = document.getElementById(id);
  if (!element) { return null; }
  var instance = echarts.init(element, null, { renderer: "canvas" });
  instance.setOption(option);
  element.setAttribute("data-rendered", "1");
  charts.push(instance);
  return instance;
};
