/* The household page: the per-capita income chart (ECharts, vendored) against the poverty line. */
(function () {
  "use strict";
  function draw() {
    var el = document.querySelector("[data-income-chart]");
    var source = document.getElementById("income-chart-data");
    if (!el || !source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 16, top: 36, bottom: 28 },
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.per_capita, data.labels.line], top: 0 },
      xAxis: { type: "category", data: data.years.map(String) },
      yAxis: { type: "value", name: "元", nameGap: 10 },
      series: [
        { name: data.labels.per_capita, type: "line", data: data.per_capita, symbolSize: 7,
          itemStyle: { color: "#c8161d" }, label: { show: data.years.length <= 8, position: "top" } },
        { name: data.labels.line, type: "line", data: data.line, step: "middle", symbol: "none",
          lineStyle: { type: "dashed", color: "#86909c" }, itemStyle: { color: "#86909c" } }
      ]
    });
    el.setAttribute("data-rendered", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
