/* 驾驶舱: draws the ECharts charts from the JSON the page carries in #dashboard-data.
   Every chart has a plain table under it, so nothing is lost without this script.
   Clicking a bar or a pie slice opens the list of the rows it counts (the item's url);
   in the village chart the village name opens that village's dashboard. */
(function () {
  "use strict";

  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';
  var charts = [];

  function base(extra) {
    var option = {
      textStyle: { fontFamily: FONT },
      // Tooltips drawn on the canvas: the HTML tooltip writes inline style attributes,
      // which the content security policy blocks (style-src 'self').
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      animation: false
    };
    Object.keys(extra).forEach(function (key) { option[key] = extra[key]; });
    return option;
  }

  function narrow(el) { return el.clientWidth < 600; }

  function labels(rows) { return rows.map(function (row) { return row.label; }); }
  function values(rows) { return rows.map(function (row) { return row.value; }); }

  function barOption(rows, name) {
    return base({
      xAxis: { type: "category", data: labels(rows), axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", name: name, data: values(rows), cursor: "pointer", label: { show: true, position: "top" } }]
    });
  }

  var builders = {
    categories: function (data) {
      return base({
        tooltip: { trigger: "item", renderMode: "richText" },
        legend: { bottom: 0 },
        series: [{
          type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"], cursor: "pointer",
          label: { formatter: "{b}\n{c} 户" },
          data: data.households.by_category.map(function (row) {
            return { name: row.label, value: row.value };
          })
        }]
      });
    },
    risks: function (data) {
      return barOption(riskRows(data), "户数");
    },
    clues: function (data) {
      return base({
        legend: { top: 0 },
        xAxis: { type: "category", data: data.clues.months },
        yAxis: { type: "value", minInterval: 1 },
        series: data.clues.series.map(function (line) {
          return { type: "bar", stack: "clues", name: line.label, data: line.values, cursor: "pointer" };
        })
      });
    },
    cases: function (data) { return barOption(data.cases.by_stage, "件数"); },
    assistance: function (data) {
      var people = peopleItems(data);
      return base({
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: labels(people) },
        series: [{
          type: "bar", name: "人数", label: { show: true, position: "right" }, cursor: "pointer",
          data: people.map(function (item) { return Number(item.value); })
        }]
      });
    },
    projects: function (data, el) {
      var rows = data.projects;
      return base({
        legend: { top: 0 },
        xAxis: { type: "value", splitNumber: narrow(el) ? 2 : 5, axisLabel: { formatter: function (v) { return (v / 10000) + "万"; } } },
        yAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { width: 140, overflow: "truncate" } },
        series: [
          { type: "bar", name: "预算", cursor: "pointer", data: rows.map(function (r) { return Number(r.budget); }) },
          { type: "bar", name: "已拨付", cursor: "pointer", data: rows.map(function (r) { return Number(r.disbursed); }) }
        ]
      });
    },
    villages: function (data, el) {
      var rows = data.villages;
      function series(key, name) {
        return { type: "bar", name: name, data: rows.map(function (r) { return r[key]; }), cursor: "pointer" };
      }
      var all = [
        series("households", "监测对象（户）"),
        series("clues", "新增线索（条）"),
        series("open_cases", "在办程序（件）"),
        series("eliminations", "风险消除（户）")
      ];
      var category = {
        type: "category", triggerEvent: true, axisLabel: { interval: 0 },
        data: rows.map(function (r) { return r.name; })
      };
      var value = { type: "value", minInterval: 1 };
      if (narrow(el)) {
        // Phones: one row per village, read top to bottom like the table below.
        category.inverse = true;
        return base({
          legend: { top: 0 }, grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
          xAxis: value, yAxis: category, series: all
        });
      }
      category.axisLabel.rotate = 30;
      return base({ legend: { top: 0 }, xAxis: category, yAxis: value, series: all });
    }
  };

  function riskRows(data) { return data.households.by_risk.filter(function (row) { return row.value > 0; }); }
  function peopleItems(data) {
    return data.assistance.items.filter(function (item) { return /_(people|borrowers)$/.test(item.key); });
  }
  var VILLAGE_KEYS = ["households", "clues", "open_cases", "eliminations"];

  // The url of what was clicked: a chart item's list of rows (series/data index into the
  // same arrays the builders drew), or for a village name its own dashboard.
  var targets = {
    categories: function (data, p) { return (data.households.by_category[p.dataIndex] || {}).url; },
    risks: function (data, p) { return (riskRows(data)[p.dataIndex] || {}).url; },
    clues: function (data, p) {
      var line = data.clues.series[p.seriesIndex];
      return line && line.urls[p.dataIndex];
    },
    cases: function (data, p) { return (data.cases.by_stage[p.dataIndex] || {}).url; },
    assistance: function (data, p) { return (peopleItems(data)[p.dataIndex] || {}).url; },
    projects: function (data, p) { return (data.projects[p.dataIndex] || {}).url; },
    villages: function (data, p) {
      if (p.componentType === "xAxis" || p.componentType === "yAxis") {
        var named = data.villages.filter(function (row) { return row.name === p.value; })[0];
        return named && named.url;
      }
      var row = data.villages[p.dataIndex];
      return row && row.links[VILLAGE_KEYS[p.seriesIndex]];
    }
  };

  function navigateOnClick(chart, name, data) {
    chart.on("click", function (params) {
      var url = targets[name](data, params);
      if (url) { window.location.href = url; }
    });
  }

  function draw() {
    var node = document.getElementById("dashboard-data");
    if (!node || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var name = el.getAttribute("data-chart");
      if (!builders[name]) { return; }
      if (name === "projects") {
        // One bar pair per project: grow the chart with the list so labels stay readable.
        el.style.height = Math.max(300, 34 * data.projects.length + 70) + "px";
      }
      if (name === "villages" && narrow(el)) {
        el.style.height = Math.max(300, 44 * data.villages.length + 80) + "px";
      }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(builders[name](data, el));
      navigateOnClick(chart, name, data);
      el.classList.add("chart-ready");
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
