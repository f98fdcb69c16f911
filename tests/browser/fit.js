// What does not fit on the page, as a list of sentences (empty: everything fits). Run in the page
// by tests/browser/test_layout.py:
// - the page, and every box that clips or scrolls (.card, table, .chart, .board, frames, any
//   element with overflow other than visible), wider than it is: scrollWidth > clientWidth + 1;
// - SVG <text> whose box runs outside its <svg>;
// - ECharts texts outside their canvas, cut short with "…", or overlapping another text.
() => {
  const out = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "");
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1) out.push(`the page scrolls sideways: ${root.scrollWidth} > ${window.innerWidth}`);
  const boxes = new Set(document.querySelectorAll(".card, .board, table, .chart, .tile, .chart-frame, main, section"));
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("svg") || ["INPUT", "SELECT", "TEXTAREA", "OPTION"].includes(el.tagName)) continue;
    if (getComputedStyle(el).overflowX !== "visible") boxes.add(el);
  }
  for (const el of boxes) {
    if (el.offsetParent === null && el !== document.body) continue;
    if (el.scrollWidth > el.clientWidth + 1) out.push(`${name(el)} is wider than its box: ${el.scrollWidth} > ${el.clientWidth}`);
  }
  for (const svg of document.querySelectorAll("svg")) {
    const r = svg.getBoundingClientRect();
    if (!r.width) continue;
    for (const t of svg.querySelectorAll("text")) {
      const b = t.getBoundingClientRect();
      if (!b.width) continue;
      if (b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1) {
        out.push(`svg text "${t.textContent.slice(0, 30)}" runs outside its picture ` +
          `([${Math.round(b.left - r.left)}, ${Math.round(b.right - r.left)}] of ${Math.round(r.width)})`);
      }
    }
  }
  if (window.echarts) {
    for (const el of document.querySelectorAll("[_echarts_instance_]")) {
      const c = echarts.getInstanceByDom(el);
      if (!c) continue;
      const W = c.getWidth(), H = c.getHeight(), texts = [], hosts = new Map();
      c.getZr().storage.getDisplayList(true).forEach((e) => {
        if ((e.type !== "tspan" && e.type !== "text") || e.invisible || e.ignore || !e.style || !e.style.text) return;
        const s = String(e.style.text), b = e.getBoundingRect().clone();
        if (e.transform) b.applyTransform(e.transform);
        if (/(\.\.\.|…)$/.test(s)) out.push(`chart ${el.id}: "${s}" is cut short`);
        if (b.x < -1 || b.y < -1 || b.x + b.width > W + 1 || b.y + b.height > H + 1) {
          out.push(`chart ${el.id}: "${s.slice(0, 20)}" runs outside ${W}×${H}`);
        }
        const host = e.parent || e; // the lines of one label belong together
        if (hosts.has(host)) { hosts.get(host).b.union(b); } else { const h = { t: s.slice(0, 20), b }; hosts.set(host, h); texts.push(h); }
      });
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const a = texts[i].b, b = texts[j].b;
          const ox = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
          const oy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
          if (ox > 1 && oy > 1) out.push(`chart ${el.id}: "${texts[i].t}" overlaps "${texts[j].t}"`);
        }
      }
    }
  }
  return out;
}
