// Behaviour that used to be inline (the Content-Security-Policy allows scripts from 'self' only).
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    // <select data-autosubmit>: submit its form when the choice changes (language switch).
    document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
      el.addEventListener("change", function () { el.form.submit(); });
    });
    // <button data-print>: the browser's print dialog (A3 charts, PDF).
    document.querySelectorAll("[data-print]").forEach(function (el) {
      el.addEventListener("click", function () { window.print(); });
    });
    // Joint review: "select all" and the count of picked projects.
    var all = document.getElementById("pick-all"), out = document.getElementById("picked-count");
    if (all && out) {
      var boxes = document.querySelectorAll("input[name=project]");
      var label = out.getAttribute("data-label") || "";
      var count = function () {
        var n = 0;
        boxes.forEach(function (b) { n += b.checked ? 1 : 0; });
        out.textContent = n ? label + ": " + n : "";
      };
      all.addEventListener("change", function () { boxes.forEach(function (b) { b.checked = all.checked; }); count(); });
      boxes.forEach(function (b) { b.addEventListener("change", count); });
      count();
    }
  });
})();

// A final act (a decision, a correction, a revocation): once its confirmation boxes are ticked,
// the browser asks once more before the form is sent (forms with data-confirm).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  const boxes = [...form.querySelectorAll("[name$=confirm]")];
  if (boxes.length && boxes.every((box) => box.checked) && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
