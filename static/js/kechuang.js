/* Kechuang page behaviour. No inline scripts anywhere (CSP): pages declare intent with data-* attributes. */
(function () {
  "use strict";

  // <form data-confirm="确定提交？"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);

  // <div class="kc-chart" data-chart-src="URL"> renders an ECharts option fetched as JSON,
  // or <div data-chart-json="ID"> from a <script type="application/json" id="ID"> block.
  function renderCharts(root) {
    if (typeof window.echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart-json], [data-chart-src]").forEach(function (el) {
      if (el.dataset.chartReady) { return; }
      el.dataset.chartReady = "1";
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      var apply = function (option) {
        chart.setOption(option);
        if (option.kcLinks) {
          chart.on("click", function (params) {
            var url = option.kcLinks[params.name] || option.kcLinks[params.seriesName + "|" + params.name];
            if (url) { window.location.href = url; }
          });
        }
      };
      if (el.dataset.chartJson) {
        var source = document.getElementById(el.dataset.chartJson);
        if (source) { apply(JSON.parse(source.textContent)); }
      } else {
        fetch(el.dataset.chartSrc, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(apply);
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  // A table wider than its card scrolls inside it: make that region reachable by keyboard (WCAG 2.1.1).
  function focusableScrollers(root) {
    root.querySelectorAll(".kc-table-wrap, .table-responsive").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        var heading = el.querySelector("h2, h3, caption");
        el.setAttribute("aria-label", heading ? heading.textContent.trim() : "表格（可左右滚动）");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); focusableScrollers(document); });
  document.addEventListener("htmx:afterSettle", function (event) {
    renderCharts(event.target);
    focusableScrollers(event.target);
  });
})();
