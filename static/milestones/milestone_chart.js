/* 挂图作战: planned vs actual milestone dates; overdue ones in red up to today. */
(function () {
  var el = document.getElementById("milestone-chart");
  var src = document.getElementById("milestone-chart-data");
  if (!el || !src || !window.echarts || !window.escapeHtml) return;
  var data = JSON.parse(src.textContent);
  var names = data.rows.map(function (r) { return r.name; });
  var planned = data.rows.map(function (r) { return [r.planned, r.name]; });
  var actual = data.rows.filter(function (r) { return r.actual; }).map(function (r) {
    return { value: [r.actual, r.name], itemStyle: { color: r.late ? "#fd7e14" : "#198754" } };
  });
  var series = [
    { name: "计划日期", type: "scatter", symbol: "diamond", symbolSize: 13,
      itemStyle: { color: "#fff", borderColor: "#1f4e79", borderWidth: 2 }, data: planned,
      markLine: { symbol: "none", silent: true, lineStyle: { color: "#6c757d", type: "dashed" },
        label: { formatter: "今天" }, data: [{ xAxis: data.today }] } },
    { name: "实际日期", type: "scatter", symbol: "circle", symbolSize: 12, data: actual,
      itemStyle: { color: "#198754" } }
  ];
  data.rows.forEach(function (r) {
    if (r.overdue) {
      series.push({ name: "逾期", type: "line", symbol: "none", lineStyle: { color: "#dc3545", width: 4 },
        data: [[r.planned, r.name], [data.today, r.name]], tooltip: { show: false },
        // Silent, or the red bar over the planned point swallows its hover and tooltip.
        silent: true });
    }
  });
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    grid: { left: 90, right: 30, top: 30, bottom: 30 },
    legend: { data: ["计划日期", "实际日期", "逾期"], top: 0 },
    // ECharts renders the tooltip as HTML: the milestone name is user text, so escape it.
    tooltip: { trigger: "item", formatter: function (p) {
      var v = p.value || p.data.value;
      return escapeHtml(p.seriesName) + "<br>" + escapeHtml(v[1]) + "：" + escapeHtml(v[0]); } },
    xAxis: { type: "time", axisLabel: { formatter: "{yyyy}-{MM}" } },
    yAxis: { type: "category", data: names, inverse: true },
    series: series
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
