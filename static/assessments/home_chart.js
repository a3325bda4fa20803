/* Home page: total investment by region. Data comes from a json_script block (no inline JS). */
(function () {
  const source = document.getElementById("region-chart-data");
  const el = document.getElementById("region-chart");
  if (!source || !el) { return; }
  const data = JSON.parse(source.textContent);
  if (!data.names.length) { el.textContent = "暂无数据"; return; }
  const chart = echarts.init(el);
  chart.setOption({
    animation: false,
    grid: { left: 90, right: 50, top: 10, bottom: 30 },
    tooltip: { trigger: "axis", valueFormatter: (v) => v + " 亿元" },
    xAxis: { type: "value" },
    yAxis: { type: "category", data: data.names, inverse: true },
    series: [{ type: "bar", data: data.totals.map(Number), itemStyle: { color: "#1f4e79" },
               label: { show: true, position: "right" } }],
  });
  window.addEventListener("resize", () => chart.resize());
})();
