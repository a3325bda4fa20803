/* The printable 通报: three charts drawn as SVG (so they print sharp), the
   period selector showing month or quarter by kind, and the 打印 button. Data comes from
   json_script; region names are user text and pass through escapeHtml wherever ECharts
   renders HTML (tooltips). No inline script: the page's CSP forbids it. */
(function () {
  var src = document.getElementById("bulletin-chart-data");
  var data = src ? JSON.parse(src.textContent) : null;
  var charts = [];

  function num(v) { return v === null || v === undefined ? null : Number(v); }

  function empty(el) {
    var p = document.createElement("p");
    p.className = "bulletin-note";
    p.textContent = "暂无数据";
    el.replaceChildren(p);
  }

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(Object.assign({ animation: false, textStyle: { fontFamily: "WenQuanYi Micro Hei, Microsoft YaHei, sans-serif" } }, option));
    charts.push(chart);
  }

  function axisTooltip(unit) {
    return { trigger: "axis", formatter: function (params) {
      var lines = [escapeHtml(params[0].name)];
      params.forEach(function (p) {
        var v = p.value === null || p.value === undefined ? "—" : p.value;
        lines.push(escapeHtml(p.seriesName) + "：" + escapeHtml(v) + escapeHtml(unit[p.seriesName] || ""));
      });
      return lines.join("<br>");
    } };
  }

  if (data) {
    var colours = { red: "#c9302c", yellow: "#f0ad4e", green: "#3a8f5c", grey: "#9aa0a6" };
    var total = data.statuses.reduce(function (s, x) { return s + x.count; }, 0);
    if (!total) {
      empty(document.getElementById("chart-status"));
    } else {
      draw("chart-status", {
        title: { text: "项目状态（项）", left: "center", textStyle: { fontSize: 13 } },
        tooltip: { trigger: "item", formatter: function (p) {
          return escapeHtml(p.name) + "：" + escapeHtml(p.value) + "项（" + escapeHtml(p.percent) + "%）";
        } },
        series: [{ type: "pie", radius: ["30%", "58%"], center: ["50%", "56%"],
          label: { formatter: "{b} {c}项", fontSize: 11 },
          data: data.statuses.filter(function (s) { return s.count; }).map(function (s) {
            return { name: s.label, value: s.count, itemStyle: { color: colours[s.colour] } };
          }) }]
      });
    }
    var regions = data.regions;
    if (!regions.names.length) {
      empty(document.getElementById("chart-regions"));
    } else {
      var time = num(regions.time);
      draw("chart-regions", {
        title: { text: "分地区投资完成率（%）", left: "center", textStyle: { fontSize: 13 } },
        grid: { left: 40, right: 12, top: 44, bottom: regions.names.length > 5 ? 62 : 44 },
        legend: { bottom: 0, textStyle: { fontSize: 10 }, data: ["完成率", "时间进度"] },
        tooltip: axisTooltip({ "完成率": "%", "时间进度": "%" }),
        xAxis: { type: "category", data: regions.names, axisLabel: { interval: 0, fontSize: 10, rotate: regions.names.length > 5 ? 40 : 0 } },
        yAxis: { type: "value" },
        series: [
          { name: "完成率", type: "bar", data: regions.rate.map(num), itemStyle: { color: "#1f4e79" },
            label: { show: true, position: "top", fontSize: 9 } },
          { name: "时间进度", type: "line", symbol: "none", data: regions.names.map(function () { return time; }),
            lineStyle: { color: "#c00", type: "dashed" }, itemStyle: { color: "#c00" } }
        ]
      });
    }
    var trend = data.trend;
    draw("chart-trend", {
      grid: { left: 48, right: 48, top: 30, bottom: 28 },
      legend: { top: 0, textStyle: { fontSize: 10 } },
      tooltip: axisTooltip({ "累计完成投资": "亿元", "完成率": "%", "时间进度": "%" }),
      xAxis: { type: "category", data: trend.months },
      yAxis: [{ type: "value", name: "亿元" }, { type: "value", name: "%", max: 100 }],
      series: [
        { name: "累计完成投资", type: "bar", data: trend.ytd.map(num), itemStyle: { color: "#1f4e79" } },
        { name: "完成率", type: "line", yAxisIndex: 1, data: trend.rate.map(num), itemStyle: { color: "#e08a00" } },
        { name: "时间进度", type: "line", yAxisIndex: 1, data: trend.time.map(num),
          lineStyle: { type: "dashed" }, itemStyle: { color: "#c00" } }
      ]
    });
  }

  var kind = document.getElementById("id_kind");
  function showPeriod() {
    document.querySelectorAll("[data-kind]").forEach(function (el) {
      el.hidden = el.getAttribute("data-kind") !== kind.value;
    });
  }
  if (kind) { kind.addEventListener("change", showPeriod); showPeriod(); }

  var button = document.getElementById("print-button");
  if (button) button.addEventListener("click", function () { window.print(); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  document.body.setAttribute("data-charts-ready", String(charts.length));
})();
