/* Charts of the analytics pages (ECharts, vendored). Data comes from json_script blocks; every
   figure is clickable and opens the list of projects or cases behind it. */
(function () {
  "use strict";
  var GREEN = "#1f7a4d", RED = "#c0392b", YELLOW = "#d4a017", BLUE = "#2f6fb0", GREY = "#8a9aab";
  var PALETTE = [GREEN, BLUE, "#e67e22", "#8e44ad", "#16a085", "#c0392b", "#d4a017", "#2c3e50", "#7f8c8d", "#27ae60", "#2980b9", "#f39c12"];
  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function wall() { return !!document.querySelector(".wall"); }
  function font() { return wall() ? 16 : 12; }
  function chart(id, option, onClick) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    var c = echarts.init(el, wall() ? "dark" : null, { renderer: "canvas" });
    option.color = option.color || PALETTE;
    if (wall()) option.backgroundColor = "transparent";
    option.textStyle = { fontSize: font(), fontFamily: "Noto Sans CJK SC, sans-serif" };
    option.animation = false;
    c.setOption(option);
    if (onClick) c.on("click", onClick);
    window.addEventListener("resize", function () { c.resize(); });
    el.setAttribute("data-ready", "1");
    return c;
  }
  function go(url) { if (url) window.location.href = url; }
  function months(t) { var out = []; for (var i = 1; i <= 12; i++) out.push(i + t.month); return out; }
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function axisLabel() { return { fontSize: font() }; }

  function dashboard(d, t) {
    var L = d.links;
    chart("c-funnel", {
      tooltip: { trigger: "item" },
      series: [{ type: "funnel", sort: "none", left: "8%", width: "84%", gap: 2, minSize: "18%", min: 0,
        max: Math.max.apply(null, d.funnel.map(function (s) { return s.n; }).concat([1])),
        label: { position: "inside", formatter: "{b}  {c}", fontSize: font() + 1, color: "#fff" },
        data: d.funnel.map(function (s) { return { name: s.label, value: s.n, stage: s.stage }; }) }]
    }, function (p) { go(L.stage + p.data.stage); });

    var st = d.starts, series = [
      { name: t.monthly, type: "bar", data: st.monthly, itemStyle: { color: GREEN } },
      { name: t.cumulative, type: "line", data: st.cumulative, itemStyle: { color: BLUE } }];
    if (st.target) series[1].markLine = { symbol: "none", lineStyle: { color: RED, type: "dashed" },
      label: { formatter: t.target + " {c}", color: RED, position: "insideEndTop" }, data: [{ yAxis: st.target }] };
    chart("c-starts", {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 20, top: 36, bottom: 28 },
      xAxis: { type: "category", data: months(t), axisLabel: axisLabel() },
      yAxis: { type: "value", max: st.target ? function (v) { return Math.max(v.max, st.target) * 1.1 | 0; } : null },
      series: series
    }, function (p) { go(L.drill + "started=" + d.year + "-" + pad(p.dataIndex + 1)); });

    var inv = d.investment, iseries = [
      { name: t.monthly, type: "bar", data: inv.monthly, itemStyle: { color: GREEN } },
      { name: t.cumulative, type: "line", data: inv.cumulative, itemStyle: { color: BLUE } }];
    if (inv.target) iseries[1].markLine = { symbol: "none", lineStyle: { color: RED, type: "dashed" },
      label: { formatter: t.target + " {c}", color: RED, position: "insideEndTop" }, data: [{ yAxis: inv.target }] };
    chart("c-invest", {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 70, right: 20, top: 36, bottom: 28 },
      xAxis: { type: "category", data: months(t), axisLabel: axisLabel() },
      yAxis: { type: "value", max: inv.target ? function (v) { return Math.max(v.max, inv.target) * 1.1 | 0; } : null },
      series: iseries
    }, function (p) { go(L.drill + "reported=" + d.year + "-" + pad(p.dataIndex + 1)); });

    var subs = inv.subdistricts.slice(0, 15).reverse();
    chart("c-subs", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, grid: { left: 90, right: 70, top: 10, bottom: 24 },
      xAxis: { type: "value" }, yAxis: { type: "category", data: subs.map(function (s) { return s.name; }), axisLabel: axisLabel() },
      series: [{ type: "bar", data: subs.map(function (s) { return { value: s.amount, id: s.id }; }), itemStyle: { color: GREEN },
        label: { show: true, position: "right", formatter: function (p) { return Math.round(p.value); } } }]
    }, function (p) { go(L.drill + "reported=" + d.year + "&subdistrict=" + p.data.id); });

    chart("c-industry", {
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      legend: { type: "scroll", orient: "vertical", right: 0, top: 10, bottom: 10 },
      series: [{ type: "pie", radius: ["35%", "70%"], center: ["38%", "52%"], label: { formatter: "{b}\n{d}%" },
        minShowLabelAngle: 12,
        data: inv.industries.map(function (i) { return { name: i.name, value: i.amount, code: i.code }; }) }]
    }, function (p) { go(L.drill + "reported=" + d.year + "&industry=" + p.data.code); });

    var lights = d.lights.slice(0, 16).reverse(), names = lights.map(function (r) { return r.name; });
    function col(key) { return lights.map(function (r) { return { value: r[key], dept: r.department_id }; }); }
    chart("c-lights", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0 },
      grid: { left: 90, right: 20, top: 40, bottom: 24 },
      xAxis: { type: "value", minInterval: 1 }, yAxis: { type: "category", data: names, axisLabel: axisLabel() },
      series: [
        { name: t.red, type: "bar", stack: "a", data: col("red"), itemStyle: { color: RED } },
        { name: t.yellow, type: "bar", stack: "a", data: col("yellow"), itemStyle: { color: YELLOW } },
        { name: t.ticket_red, type: "bar", stack: "t", data: col("ticket_red"), itemStyle: { color: "#7b241c" } },
        { name: t.ticket_yellow, type: "bar", stack: "t", data: col("ticket_yellow"), itemStyle: { color: "#f0c36d" } }]
    }, function (p) {
      if (p.seriesIndex < 2) go(L.drill + "light=" + (p.seriesIndex === 0 ? "red" : "yellow") + "&department=" + p.data.dept);
      else go(L.tickets + p.data.dept + "&light=" + (p.seriesIndex === 2 ? "overdue" : "due_today"));
    });
  }

  function bottlenecks(d) {
    chart("c-delay", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0 },
      grid: { left: 170, right: 40, top: 30, bottom: 24 },
      xAxis: { type: "value" }, yAxis: { type: "category", data: d.labels, axisLabel: { width: 160, overflow: "truncate" } },
      series: [
        { name: d.t_delay, type: "bar", data: d.values, itemStyle: { color: RED }, label: { show: true, position: "right" } },
        { name: d.t_critical, type: "bar", data: d.critical, itemStyle: { color: "#e67e22" } }]
    }, function (p) { go(d.links[p.dataIndex]); });
  }

  function trend(d) {
    chart("c-trend", {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { type: "scroll", top: 0 }, grid: { left: 40, right: 20, top: 36, bottom: 28 },
      xAxis: { type: "category", data: d.months }, yAxis: { type: "value", min: 0, max: 100 },
      series: d.series.map(function (s) { return { name: s.name, type: "line", connectNulls: true, data: s.data }; })
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var d = data("charts-data");
    if (d && d.funnel) dashboard(d, data("charts-i18n"));
    var b = data("delay-data"); if (b) bottlenecks(b);
    var tr = data("trend-data"); if (tr) trend(tr);
  });
})();
