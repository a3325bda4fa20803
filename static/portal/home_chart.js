/* Home page (assessments): total investment by region (亿元). Data comes from json_script; region names are
   user text and are escaped wherever ECharts renders HTML (the tooltip). */
(function () {
  var el = document.getElementById("region-chart");
  var src = document.getElementById("region-chart-data");
  if (!el || !src || !window.echarts) return;
  var data = JSON.parse(src.textContent);
  if (!data.names.length) {
    var empty = document.createElement("p");
    empty.className = "text-muted";
    empty.textContent = "暂无数据";
    el.replaceChildren(empty);
    return;
  }
  var chart = echarts.init(el);
  chart.setOption({
    animation: false,
    grid: { left: 80, right: 50, top: 10, bottom: 30 },
    tooltip: { trigger: "axis", formatter: function (params) {
      var p = params[0];
      return escapeHtml(p.name) + "：" + escapeHtml(p.value) + " 亿元";
    } },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.names, inverse: true },
    series: [{ type: "bar", data: data.totals.map(Number), itemStyle: { color: "#1f4e79" },
               label: { show: true, position: "right" } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
