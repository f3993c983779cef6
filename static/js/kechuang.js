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
  // A drop-down with many entries (firms, experts, towns …) gets a search box: type part of a name or a code.
  // Opt out with data-kc-plain; opt in below the threshold with data-kc-search.
  var SEARCH_FROM = 20;
  function searchableSelects(root) {
    if (typeof window.TomSelect === "undefined") { return; }
    root.querySelectorAll("select").forEach(function (el) {
      if (el.tomselect || el.hasAttribute("data-kc-plain")) { return; }
      if (el.options.length < SEARCH_FROM && !el.hasAttribute("data-kc-search")) { return; }
      var plugins = el.multiple ? ["remove_button"] : [];
      if (!el.required && !el.multiple) { plugins.push("clear_button"); }  // back to "none" on an optional field
      new window.TomSelect(el, {
        maxOptions: null,
        allowEmptyOption: false,  // the blank option's text ("－请选择－") becomes the placeholder
        plugins: plugins,
        render: {
          no_results: function () { return '<div class="no-results">无匹配项</div>'; },
        },
      });
      el.setAttribute("aria-hidden", "true");  // the search box (labelled by the field's label) stands for it
    });
  }
  // <div data-kc-tabs> holding a list of links to sections (<a href="#id">) and those sections: without script
  // every section shows and the links jump to them; with it they become tabs (WAI-ARIA tabs pattern: one panel
  // shown, ←/→/Home/End move between tabs, the panel is reachable by Tab). The address keeps the open tab.
  function tabs(root) {
    root.querySelectorAll("[data-kc-tabs]").forEach(function (box) {
      if (box.dataset.tabsReady) { return; }
      box.dataset.tabsReady = "1";
      var list = box.querySelector("[data-kc-tablist]");
      var links = Array.prototype.slice.call(list.querySelectorAll("a[href^='#']"));
      var panels = links.map(function (a) { return document.getElementById(a.getAttribute("href").slice(1)); });
      list.setAttribute("role", "tablist");
      links.forEach(function (a, i) {
        a.setAttribute("role", "tab");
        a.setAttribute("aria-controls", panels[i].id);
        a.id = a.id || "tab-" + panels[i].id;
        if (a.parentElement !== list) { a.parentElement.setAttribute("role", "presentation"); }
        panels[i].setAttribute("role", "tabpanel");
        panels[i].setAttribute("aria-labelledby", a.id);
        panels[i].setAttribute("tabindex", "0");
      });
      function select(i, focus, remember) {
        links.forEach(function (a, j) {
          var on = i === j;
          a.setAttribute("aria-selected", on ? "true" : "false");
          a.setAttribute("tabindex", on ? "0" : "-1");
          a.classList.toggle("active", on);
          panels[j].hidden = !on;
        });
        if (focus) { links[i].focus(); }
        panels[i].querySelectorAll("[data-chart-json], [data-chart-src]").forEach(function (el) {
          var chart = window.echarts && window.echarts.getInstanceByDom(el);
          if (chart) { chart.resize(); }
        });
        if (remember && window.history && window.history.replaceState) {
          window.history.replaceState(null, "", "#" + panels[i].id);
        }
      }
      links.forEach(function (a, i) {
        a.addEventListener("click", function (event) { event.preventDefault(); select(i, false, true); });
        a.addEventListener("keydown", function (event) {
          var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: links.length - 1 }[event.key];
          if (next === undefined) { return; }
          event.preventDefault();
          select((next + links.length) % links.length, true, true);
        });
      });
      var wanted = panels.map(function (p) { return "#" + p.id; }).indexOf(window.location.hash);
      select(wanted < 0 ? 0 : wanted, false, false);
    });
  }
  function enhance(root) {
    tabs(root);
    renderCharts(root);
    focusableScrollers(root);
    searchableSelects(root);
  }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (event) { enhance(event.target); });
  // <button data-geolocate> in a form fills its latitude/longitude inputs from the phone's position.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-geolocate]");
    if (!button || !button.form) { return; }
    if (!navigator.geolocation) { button.textContent = "此设备无法定位，请手工填写"; return; }
    var form = button.form;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.latitude.value = pos.coords.latitude.toFixed(6);
      form.elements.longitude.value = pos.coords.longitude.toFixed(6);
      button.disabled = false;
      button.textContent = "已填入当前位置";
    }, function () {
      button.disabled = false;
      button.textContent = "无法获取位置，请手工填写或留空";
    }, { timeout: 10000, enableHighAccuracy: true });
  });
})();
