/* Charts of the district comparison (ECharts, vendored; data from json_script, no inline script).
   One horizontal bar chart per figure, the districts in league order (best first), each bar
   opening that district's own dashboard. Median days per stage: one bar group per district. */
(function () {
  "use strict";
  var GREEN = "#1f7a4d", RED = "#c0392b", PALETTE = [GREEN, "#2f6fb0", "#e67e22", "#8e44ad"];
  function json(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function value(r, kind, key) { var v = r[key]; return v === null || v === undefined ? null : (kind === "pct" ? Math.round(v * 1000) / 10 : v); }

  function ordered(rows, key, ascending) {
    var have = rows.filter(function (r) { return r[key] !== null && r[key] !== undefined; });
    have.sort(function (a, b) { return ascending ? a[key] - b[key] : b[key] - a[key]; });
    return have;
  }

  function size(el, n) { el.style.height = Math.max(240, 60 + n * 18) + "px"; }

  function bars(el, d, i18n) {
    var key = el.getAttribute("data-figure"), kind = el.getAttribute("data-kind");
    var rows = ordered(d.rows, key, el.getAttribute("data-ascending") === "1");
    size(el, rows.length);
    var c = echarts.init(el, null, { renderer: "canvas" });
    // the best at the top: ECharts draws a category axis from the bottom
    var shown = rows.slice().reverse();
    c.setOption({
      animation: false,
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", axisLabel: { formatter: kind === "pct" ? "{value}%" : "{value}" } },
      yAxis: { type: "category", data: shown.map(function (r) { return r.name; }), axisLabel: { interval: 0 } },
      series: [{
        type: "bar", barMaxWidth: 14,
        data: shown.map(function (r) { return { value: value(r, kind, key), code: r.code }; }),
        itemStyle: { color: kind === "count" ? RED : GREEN },
        label: { show: true, position: "right", formatter: kind === "pct" ? "{c}%" : "{c}" },
        markLine: kind === "pct" && (key === "starts_share" || key === "investment_share")
          ? { symbol: "none", data: [{ xAxis: 100 }], lineStyle: { color: RED, type: "dashed" }, label: { formatter: "100%" } } : undefined
      }],
      graphic: rows.length ? [] : [{ type: "text", left: "center", top: "middle", style: { text: i18n.none, fill: "#888" } }]
    });
    c.on("click", function (p) { if (p.data && p.data.code) window.location.href = d.drill + p.data.code; });
    el.setAttribute("data-ready", "1");
    return c;
  }

  function stages(el, d, i18n) {
    var rows = d.rows.filter(function (r) { return Object.keys(r.medians || {}).length; });
    size(el, rows.length * 2);
    var shown = rows.slice().reverse();
    var c = echarts.init(el, null, { renderer: "canvas" });
    c.setOption({
      animation: false, color: PALETTE,
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", name: i18n.days },
      yAxis: { type: "category", data: shown.map(function (r) { return r.name; }), axisLabel: { interval: 0 } },
      series: d.stages.map(function (s) {
        return { type: "bar", name: s.label, barMaxWidth: 8,
          data: shown.map(function (r) { var m = r.medians[s.code]; return { value: m === undefined ? null : m, code: r.code }; }) };
      }),
      graphic: rows.length ? [] : [{ type: "text", left: "center", top: "middle", style: { text: i18n.none, fill: "#888" } }]
    });
    c.on("click", function (p) { if (p.data && p.data.code) window.location.href = d.drill + p.data.code; });
    el.setAttribute("data-ready", "1");
    return c;
  }

  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }
  ready(function () {
    var d = json("districts-data"), i18n = json("districts-i18n") || {};
    if (!d || !window.echarts) return;
    var all = [];
    document.querySelectorAll(".dchart").forEach(function (el) {
      all.push(el.getAttribute("data-kind") === "stages" ? stages(el, d, i18n) : bars(el, d, i18n));
    });
    window.addEventListener("resize", function () { all.forEach(function (c) { c.resize(); }); });
  });
})();
