/* The 驾驶舱 (reports/views/dashboard.py): sparklines, the map of the area (or a ranked bar chart
 * below the county), the charts, and the wall screen's full-screen button. The data comes from the
 * page's json_script (#dashboard-data); the boundaries from static/reports/maps/<province>.json,
 * fetched when needed. Every chart is also a table or a link on the page: nothing here is needed
 * to read a figure or to drill down. */
(function () {
  "use strict";
  var RED = "#c8161d";
  var PALETTE = ["#c8161d", "#1664ff", "#14804a", "#c2410c", "#7b61ff", "#0fa5a5", "#d4a017", "#86909c"];
  var charts = [];

  function theme(data) { return data.wall ? "dark" : null; }

  function make(el, data) {
    var chart = window.echarts.init(el, theme(data), { renderer: "canvas" });
    if (data.wall) chart.setOption({ textStyle: { fontSize: 16 } });  // read from across the room
    charts.push(chart);
    return chart;
  }

  function sparklines(data) {
    document.querySelectorAll("[data-trend]").forEach(function (el) {
      var trend = data.trends[el.getAttribute("data-trend")];
      if (!trend || !trend.values.length) return;
      var chart = make(el, data);
      chart.setOption({
        animation: false,
        backgroundColor: "transparent",
        grid: { left: 2, right: 2, top: 4, bottom: 2 },
        tooltip: { trigger: "axis", confine: true },
        xAxis: { type: "category", show: false, data: trend.periods },
        yAxis: { type: "value", show: false, scale: true },
        series: [{ type: "line", data: trend.values, symbol: "none", smooth: true,
          lineStyle: { width: 2, color: RED }, areaStyle: { color: "rgba(200,22,29,.12)" } }]
      });
      el.setAttribute("data-rendered", "1");
    });
  }

  function go(url) { if (url) window.location.assign(url); }

  function ranked(el, data) {
    var parts = data.parts.slice().sort(function (a, b) { return (b.value || 0) - (a.value || 0); });
    var shown = parts.slice(0, 30).reverse();  // the largest on top
    el.classList.add("ranked");
    el.style.height = Math.min(560, 80 + 34 * shown.length) + "px";  // bars of a readable height
    var chart = make(el, data);
    chart.setOption({
      animation: false,
      backgroundColor: "transparent",
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: shown.map(function (p) { return p.name; }) },
      series: [{ type: "bar", data: shown.map(function (p) { return { value: p.value, url: p.url }; }),
        itemStyle: { color: RED }, barMaxWidth: 24, label: { show: true, position: "right" }, cursor: "pointer" }]
    });
    chart.on("click", function (event) { go(event.data && event.data.url); });
    el.setAttribute("data-rendered", "ranked");
  }

  function drawMap(el, data, geo) {
    var spec = data.map;
    var features = geo.features.filter(function (f) {
      return f.properties.level === spec.level && f.properties.code.indexOf(spec.within) === 0;
    });
    var known = {};
    data.parts.forEach(function (p) { known[p.code] = p; });
    if (!features.some(function (f) { return known[f.properties.code]; })) return ranked(el, data);
    var name = "fupin-" + spec.level + "-" + (spec.within || "china");
    window.echarts.registerMap(name, { type: "FeatureCollection", features: features });
    var values = data.parts.map(function (p) { return p.value || 0; });
    var chart = make(el, data);
    chart.setOption({
      animation: false,
      backgroundColor: "transparent",
      tooltip: { trigger: "item", formatter: function (p) {
        var part = known[p.name];
        if (!part) return "";
        return part.name + "<br>" + (part.value === null ? data.labels.none : part.value.toLocaleString()) +
          " " + (data.figure ? data.figure.unit : "");
      } },
      visualMap: { min: 0, max: Math.max.apply(null, values.concat([1])), left: 8, bottom: 8,
        calculable: true, inRange: { color: ["#fde2e2", "#f29a9a", RED] }, textStyle: { color: data.wall ? "#ddd" : "#333" } },
      series: [{ type: "map", map: name, nameProperty: "code", roam: true, selectedMode: false,
        label: { show: false }, emphasis: { label: { show: false }, itemStyle: { areaColor: "#ffd24d" } },
        itemStyle: { borderColor: data.wall ? "#333" : "#fff", areaColor: data.wall ? "#2a2f3a" : "#eef0f3" },
        data: data.parts.map(function (p) { return { name: p.code, value: p.value, url: p.url }; }) }]
    });
    chart.on("click", function (event) { go(event.data && event.data.url); });
    el.setAttribute("data-rendered", "map");
  }

  function area(data) {
    var el = document.getElementById("dash-map");
    if (!el || !data.parts.length) return;
    if (!data.map) return ranked(el, data);
    fetch(data.map.url, { credentials: "same-origin" })
      .then(function (answer) { if (!answer.ok) throw new Error(answer.status); return answer.json(); })
      .then(function (geo) { drawMap(el, data, geo); })
      .catch(function () { ranked(el, data); });  // no boundaries for it: the ranked chart
  }

  function chartOption(spec) {
    var base = { animation: false, backgroundColor: "transparent", color: PALETTE, tooltip: { confine: true } };
    if (spec.kind === "pie") {
      base.tooltip.trigger = "item";
      base.legend = { type: "scroll", bottom: 0 };
      base.series = [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
        data: spec.labels.map(function (label, i) { return { name: label, value: spec.values[i] }; })
          .filter(function (item) { return item.value; }),  // a slice of 0 only crowds the labels
        label: { formatter: "{b}: {c}" } }];
      return base;
    }
    base.tooltip.trigger = "axis";
    base.grid = { left: 8, right: 16, top: 24, bottom: 8, containLabel: true };
    base.xAxis = { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: spec.labels.length > 6 ? 30 : 0 } };
    base.yAxis = { type: "value", name: spec.unit };
    base.series = [spec.kind === "months"
      ? { type: "line", data: spec.values, smooth: true, itemStyle: { color: RED }, areaStyle: { color: "rgba(200,22,29,.1)" } }
      : { type: "bar", data: spec.values, itemStyle: { color: "#1664ff" }, label: { show: true, position: "top" } }];
    return base;
  }

  function otherCharts(data) {
    (data.charts || []).forEach(function (spec) {
      var el = document.querySelector('[data-chart="' + spec.id + '"]');
      if (!el) return;
      make(el, data).setOption(chartOption(spec));
      el.setAttribute("data-rendered", "1");
    });
  }

  function fullscreen() {
    var button = document.querySelector("[data-fullscreen]");
    if (!button || !document.documentElement.requestFullscreen) return;
    button.addEventListener("click", function () {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen();
    });
  }

  function start() {
    fullscreen();
    var source = document.getElementById("dashboard-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    sparklines(data);
    area(data);
    otherCharts(data);
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
