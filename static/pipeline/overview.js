/* Pipeline page: projects by stage per county (click → the filtered list) and the pool's total
   against the target line. Data from json_script; county names are user text and are escaped
   in every tooltip. */
(function () {
  var src = document.getElementById("pipeline-chart-data");
  if (!src || !window.echarts) return;
  var data = JSON.parse(src.textContent);
  var charts = [];

  function empty(el) {
    var p = document.createElement("p");
    p.className = "text-muted";
    p.textContent = "暂无数据";
    el.replaceChildren(p);
  }

  var stageEl = document.getElementById("stage-chart");
  if (stageEl) {
    if (!data.counties.length) { empty(stageEl); } else {
      var stages = echarts.init(stageEl);
      stages.setOption({
        animation: false,
        legend: { top: 0 },
        grid: { left: 40, right: 10, top: 30, bottom: 50 },
        tooltip: { trigger: "axis", formatter: function (params) {
          var lines = [escapeHtml(params[0].name)];
          params.forEach(function (p) { lines.push(escapeHtml(p.seriesName) + "：" + escapeHtml(p.value) + " 个"); });
          return lines.join("<br>");
        } },
        xAxis: { type: "category", data: data.counties, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", minInterval: 1 },
        series: data.stages.map(function (s) {
          return { name: s.name, type: "bar", stack: "n", data: s.counts, stageKey: s.key };
        })
      });
      stages.on("click", function (p) {
        var key = data.stages[p.seriesIndex].key;
        var url = data.links[p.dataIndex];
        url += key === "admitted" ? "&admitted=1" : "&stage=" + encodeURIComponent(key) + "&admitted=0";
        window.location.href = url;
      });
      charts.push(stages);
    }
  }

  var poolEl = document.getElementById("pool-chart");
  if (poolEl) {
    var t = data.timeline;
    if (!t.days.length) { empty(poolEl); } else {
      var pool = echarts.init(poolEl);
      pool.setOption({
        animation: false,
        legend: { top: 0 },
        grid: { left: 50, right: 10, top: 30, bottom: 30 },
        tooltip: { trigger: "axis", formatter: function (params) {
          var lines = [escapeHtml(params[0].name)];
          params.forEach(function (p) { lines.push(escapeHtml(p.seriesName) + "：" + escapeHtml(Number(p.value).toFixed(1)) + " 亿元"); });
          return lines.join("<br>");
        } },
        xAxis: { type: "category", data: t.days },
        yAxis: { type: "value" },
        series: [
          { name: "在库总投资", type: "line", data: t.pool, areaStyle: {} },
          { name: "目标", type: "line", data: t.target, lineStyle: { type: "dashed" }, symbol: "none" }
        ]
      });
      pool.on("click", function () { window.location.href = data.list_url + "?admitted=0"; });
      charts.push(pool);
    }
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
