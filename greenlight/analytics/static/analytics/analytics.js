/* Charts of the analytics pages (ECharts, vendored). Data comes from json_script blocks; every
   figure is clickable and opens the list of projects or cases behind it.

   Every chart is laid out for the box it is drawn in: axis labels inside the grid
   (containLabel), legends that wrap instead of scrolling, the pie's names and shares in its
   legend rather than cut next to the slices. On a resize the options are built again.

   The wall screen (?wall=1) fetches the dashboard's figures as JSON every five minutes (or every
   `data-refresh` seconds) and updates the charts, tiles and table in place, with no reload;
   window.GreenlightDashboard.refresh() does it at once and returns a promise. */
(function () {
  "use strict";
  var GREEN = "#1f7a4d", RED = "#c0392b", YELLOW = "#d4a017", BLUE = "#2f6fb0";
  var PALETTE = [GREEN, BLUE, "#e67e22", "#8e44ad", "#16a085", "#c0392b", "#d4a017", "#2c3e50", "#7f8c8d", "#27ae60", "#2980b9", "#f39c12"];
  var FONT = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif";
  var charts = {};

  function data(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function wall() { return !!document.querySelector(".wall"); }
  // the wall's type grows with the screen: 15 px at 1920 wide, 12 px at 1440
  function font() { return wall() ? Math.max(12, Math.min(16, Math.round(window.innerWidth / 128))) : 12; }
  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(s, size) { measure.font = (size || font()) + "px " + FONT; return measure.measureText(String(s)).width; }
  function legendRows(words, width, size) {
    // rows a plain horizontal legend needs: each item is its symbol (25 px), the word and a gap
    var rows = 1, x = 0;
    words.forEach(function (w) {
      var item = 25 + 5 + textWidth(w, size) + 10;
      if (x && x + item > width - 10) { rows += 1; x = 0; }
      x += item;
    });
    return rows;
  }
  function legendTop(words, el) { return 8 + legendRows(words, el.clientWidth, font()) * (font() + 10); }

  // one instance per element, its options replaced in place (no flicker: no animation)
  function draw(id, build, onClick) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return null;
    var c = charts[id];
    if (!c) {
      c = echarts.init(el, wall() ? "dark" : null, { renderer: "canvas" });
      charts[id] = c;
      if (onClick) c.on("click", function (p) { onClick(p); });
    }
    var option = build(el);
    option.color = option.color || PALETTE;
    if (wall()) option.backgroundColor = "transparent";
    option.textStyle = { fontSize: font(), fontFamily: FONT };
    option.animation = false;
    c.setOption(option, { notMerge: true });
    c.__build = build;
    el.setAttribute("data-ready", "1");
    return c;
  }
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      Object.keys(charts).forEach(function (id) {
        var c = charts[id];
        c.resize();
        if (c.__build) draw(id, c.__build);
      });
    }, 120);
  });

  function go(url) { if (url) window.location.href = url; }
  function months(t) { var out = []; for (var i = 1; i <= 12; i++) out.push(i + t.month); return out; }
  function pad(n) { return n < 10 ? "0" + n : "" + n; }
  function axisLabel() { return { fontSize: font(), hideOverlap: true }; }
  function grouped(v) { return Math.round(v).toLocaleString("en-US"); }
  // a value axis that reaches the target as well as the data, on round ticks
  function niceAxis(values, target) {
    var top = Math.max.apply(null, values.concat([target || 0, 1]));
    var raw = top / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (k) { return k * mag; }).filter(function (s) { return s >= raw; })[0];
    return { min: 0, max: Math.ceil(top * 1.04 / step) * step, interval: step };
  }
  var current = null, words = null;

  function dashboard(d, t) {
    current = d; words = t;
    var L = function () { return current.links; };
    draw("c-funnel", function () {
      var f = current.funnel;
      return {
        tooltip: { trigger: "item" },
        series: [{ type: "funnel", sort: "none", left: "8%", width: "84%", top: 8, bottom: 8, gap: 2, minSize: "24%", min: 0,
          max: Math.max.apply(null, f.map(function (s) { return s.n; }).concat([1])),
          label: { position: "inside", formatter: "{b}  {c}", fontSize: font() + 1, color: "#fff" },
          data: f.map(function (s) { return { name: s.label, value: s.n, stage: s.stage }; }) }]
      };
    }, function (p) { go(L().stage + p.data.stage); });

    function monthly(key) {
      return function (el) {
        var st = current[key], names = [t.monthly, t.cumulative];
        var series = [
          { name: t.monthly, type: "bar", data: st.monthly, itemStyle: { color: GREEN } },
          { name: t.cumulative, type: "line", data: st.cumulative, itemStyle: { color: BLUE } }];
        if (st.target) series[1].markLine = { symbol: "none", silent: true, lineStyle: { color: RED, type: "dashed" },
          label: { formatter: t.target + " " + grouped(st.target), color: RED, position: "insideEndTop", fontSize: font() - 1 },
          data: [{ yAxis: st.target }] };
        var y = niceAxis(st.cumulative.concat(st.monthly), st.target);
        return {
          tooltip: { trigger: "axis", valueFormatter: grouped }, legend: { top: 0, data: names },
          grid: { left: 8, right: 16, top: legendTop(names, el) + (st.target ? font() : 0), bottom: 6, containLabel: true },
          xAxis: { type: "category", data: months(t), axisLabel: axisLabel() },
          yAxis: { type: "value", min: y.min, max: y.max, interval: y.interval, axisLabel: { fontSize: font() - 1, hideOverlap: true, formatter: grouped } },
          series: series
        };
      };
    }
    draw("c-starts", monthly("starts"), function (p) { go(L().drill + "started=" + current.year + "-" + pad(p.dataIndex + 1)); });
    draw("c-invest", monthly("investment"), function (p) { go(L().drill + "reported=" + current.year + "-" + pad(p.dataIndex + 1)); });

    draw("c-subs", function () {
      var subs = current.investment.subdistricts.slice(0, 15).reverse();
      var widest = Math.max.apply(null, subs.map(function (s) { return textWidth(grouped(s.amount), font()); }).concat([0]));
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: grouped },
        // the figures stand at the bars' ends: the value axis keeps its grid lines, not numbers
        grid: { left: 8, right: widest + 14, top: 6, bottom: 6, containLabel: true },
        xAxis: { type: "value", axisLabel: { show: false }, splitNumber: 4 },
        yAxis: { type: "category", data: subs.map(function (s) { return s.name; }), axisLabel: { fontSize: font(), interval: 0 } },
        series: [{ type: "bar", barMaxWidth: 22, data: subs.map(function (s) { return { value: s.amount, id: s.id, code: s.code }; }), itemStyle: { color: GREEN },
          label: { show: true, position: "right", fontSize: font() - 1, formatter: function (p) { return grouped(p.value); } } }]
      };
    }, function (p) {
      // one district's streets drill to their projects; a province's districts to the district
      if (current.investment.by === "district") go(L().district + p.data.code);
      else go(L().drill + "reported=" + current.year + "&subdistrict=" + p.data.id);
    });

    draw("c-industry", function (el) {
      var items = current.investment.industries, total = items.reduce(function (s, i) { return s + (+i.amount || 0); }, 0) || 1;
      var share = {};
      items.forEach(function (i) { share[i.name] = (100 * i.amount / total).toFixed(1) + "%"; });
      // names and shares in the legend, one per line: in one column, in smaller type if the box
      // is low, in two columns only when even 10 px type would not fit
      var size = font(), H0 = el.clientHeight - 16, n = Math.max(1, items.length);
      while (size > 10 && n * (size + 9) > H0) size -= 1;
      var line = size + 9, rows = Math.max(1, Math.floor(H0 / line));
      var cols = Math.ceil(items.length / rows), colW = 0;
      items.forEach(function (i) { colW = Math.max(colW, 14 + 5 + textWidth(i.name + "  " + share[i.name], size) + 8); });
      var legendW = cols * colW, W = el.clientWidth, H = el.clientHeight;
      var room = Math.max(60, W - legendW - 16), r = Math.max(24, Math.min(room, H) / 2 - 8);
      var legends = [];
      for (var k = 0; k < cols; k++) {
        legends.push({ orient: "vertical", left: W - legendW + k * colW, top: "middle", itemWidth: 14, itemHeight: 10, itemGap: line - size,
          data: items.slice(k * rows, (k + 1) * rows).map(function (i) { return i.name; }),
          formatter: function (name) { return name + "  " + share[name]; }, textStyle: { fontSize: size } });
      }
      return {
        tooltip: { trigger: "item", formatter: function (p) { return p.name + ": " + grouped(p.value) + " (" + p.percent + "%)"; } },
        legend: legends,
        series: [{ type: "pie", radius: [Math.round(r * 0.5), Math.round(r)], center: [Math.round(Math.min(room, W) / 2), "50%"],
          // inside the ring only where the slice has room for its share; all are in the legend
          label: { position: "inside", formatter: function (p) { return p.percent >= 6 ? Math.round(p.percent) + "%" : ""; },
            color: "#fff", fontSize: size - 1, fontWeight: 600 },
          labelLine: { show: false },
          data: items.map(function (i) { return { name: i.name, value: i.amount, code: i.code }; }) }]
      };
    }, function (p) { go(L().drill + "reported=" + current.year + "&industry=" + p.data.code); });

    draw("c-lights", function (el) {
      var lights = current.lights.slice(0, 16).reverse(), names = [t.red, t.yellow, t.ticket_red, t.ticket_yellow];
      function col(key) { return lights.map(function (r) { return { value: r[key], dept: r.department_id }; }); }
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0, data: names },
        grid: { left: 8, right: 16, top: legendTop(names, el), bottom: 6, containLabel: true },
        xAxis: { type: "value", minInterval: 1, axisLabel: axisLabel() },
        yAxis: { type: "category", data: lights.map(function (r) { return r.name; }), axisLabel: { fontSize: font(), interval: 0 } },
        series: [
          { name: t.red, type: "bar", stack: "a", barMaxWidth: 14, data: col("red"), itemStyle: { color: RED } },
          { name: t.yellow, type: "bar", stack: "a", barMaxWidth: 14, data: col("yellow"), itemStyle: { color: YELLOW } },
          { name: t.ticket_red, type: "bar", stack: "t", barMaxWidth: 14, data: col("ticket_red"), itemStyle: { color: "#7b241c" } },
          { name: t.ticket_yellow, type: "bar", stack: "t", barMaxWidth: 14, data: col("ticket_yellow"), itemStyle: { color: "#f0c36d" } }]
      };
    }, function (p) {
      if (p.seriesIndex < 2) go(L().drill + "light=" + (p.seriesIndex === 0 ? "red" : "yellow") + "&department=" + p.data.dept);
      else go(L().tickets + p.data.dept + "&light=" + (p.seriesIndex === 2 ? "overdue" : "due_today"));
    });
  }

  function bottlenecks(d) {
    draw("c-delay", function (el) {
      var names = [d.t_delay, d.t_critical], labelW = Math.min(220, Math.max(120, el.clientWidth * 0.22));
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }, legend: { top: 0, data: names },
        grid: { left: 8, right: 48, top: legendTop(names, el), bottom: 6, containLabel: true },
        xAxis: { type: "value", axisLabel: axisLabel() },
        // matter names in full, broken over two lines where long
        yAxis: { type: "category", data: d.labels, axisLabel: { width: labelW, overflow: "break", lineHeight: 14, interval: 0 } },
        series: [
          { name: d.t_delay, type: "bar", data: d.values, itemStyle: { color: RED }, label: { show: true, position: "right" } },
          { name: d.t_critical, type: "bar", data: d.critical, itemStyle: { color: "#e67e22" } }]
      };
    }, function (p) { go(d.links[p.dataIndex]); });
  }

  function trend(d) {
    draw("c-trend", function (el) {
      var names = d.series.map(function (s) { return s.name; });
      return {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
        legend: { top: 0, data: names }, grid: { left: 8, right: 20, top: legendTop(names, el), bottom: 6, containLabel: true },
        xAxis: { type: "category", data: d.months, axisLabel: axisLabel() },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%", fontSize: font() - 1 } },
        series: d.series.map(function (s) { return { name: s.name, type: "line", connectNulls: true, data: s.data }; })
      };
    });
  }

  // -- the wall screen ------------------------------------------------------------------------
  // the major projects' table shows the rows its card has room for, and says how many are left
  function fitMajors() {
    var card = document.querySelector(".dash.wall .majors");
    if (!card) return;
    var rows = card.querySelectorAll("tbody tr"), more = card.querySelector(".more"), hidden = 0;
    rows.forEach(function (r) { r.hidden = false; });
    if (more) more.textContent = "";
    for (var i = rows.length - 1; i > 0 && card.scrollHeight > card.clientHeight + 1; i--) {
      rows[i].hidden = true; hidden += 1;
      if (more) more.textContent = " " + more.getAttribute("data-text").replace("{n}", hidden);
    }
  }
  window.addEventListener("resize", function () { setTimeout(fitMajors, 150); });

  function refresher() {
    var root = document.querySelector(".dash.wall");
    if (!root) return null;
    var every = Math.max(1, +root.getAttribute("data-refresh") || 300) * 1000;
    var url = root.getAttribute("data-source");
    var stamp = document.getElementById("dash-updated");
    function refresh() {
      return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (j) {
          dashboard(j.charts, words);
          ["tiles", "majors"].forEach(function (k) {
            var el = document.getElementById("dash-" + k);
            if (el && j[k] != null) el.innerHTML = j[k];
          });
          fitMajors();
          var asof = document.getElementById("dash-asof");
          if (asof && j.as_of) asof.textContent = j.as_of;
          if (stamp) {
            stamp.classList.remove("stale");
            stamp.querySelector("time").textContent = j.updated;
            stamp.querySelector("time").setAttribute("datetime", j.updated_iso);
            stamp.removeAttribute("title");
          }
          root.setAttribute("data-refreshed", String((+root.getAttribute("data-refreshed") || 0) + 1));
          return j;
        })
        .catch(function (e) {
          // keep what is shown; say it is old, and try again at the next turn
          if (stamp) { stamp.classList.add("stale"); stamp.setAttribute("title", String(e)); }
        });
    }
    setInterval(refresh, every);
    return refresh;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var d = data("charts-data");
    if (d && d.funnel) dashboard(d, data("charts-i18n"));
    var b = data("delay-data"); if (b) bottlenecks(b);
    var tr = data("trend-data"); if (tr) trend(tr);
    fitMajors();
    var refresh = refresher();
    window.GreenlightDashboard = { charts: charts, refresh: refresh || function () { return Promise.resolve(null); } };
  });
})();
