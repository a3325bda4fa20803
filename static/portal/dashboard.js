/* Leaders' dashboard: draws the charts from /api/dashboard/charts/ — the same
   figures as the home page and the API. Names are user text: escaped in every tooltip. In the
   大屏 mode the data is fetched again every few minutes. */
(function () {
  var root = document.getElementById("dashboard");
  if (!root || !window.echarts) return;
  var dark = root.classList.contains("screen-mode");
  var theme = dark ? "dark" : null;
  var charts = {};
  var colours = { red: "#dc3545", yellow: "#ffc107", green: "#198754", grey: "#adb5bd" };

  function chart(id) {
    if (!charts[id]) {
      charts[id] = echarts.init(document.getElementById(id), theme, { renderer: "canvas" });
      if (dark) {
        charts[id].setOption({ backgroundColor: "transparent", textStyle: { fontSize: 16 } });
        var set = charts[id].setOption.bind(charts[id]);
        charts[id].setOption = function (option, more) { return set(large(option), more); };
      }
    }
    return charts[id];
  }
  // On the wall display every label is read from across a room: axis labels, legends and
  // series labels get a larger type than ECharts' 12 px (16 px on a 1920×1080 wall, scaled
  // with the screen like the page's own type), unless a chart sets its own.
  function large(option) {
    var size = Math.max(11, Math.round(16 * Math.min(window.innerWidth / 1920, window.innerHeight / 1080)));
    [].concat(option.xAxis || [], option.yAxis || []).forEach(function (a) {
      a.axisLabel = Object.assign({ fontSize: size - 1 }, a.axisLabel);
      a.nameTextStyle = Object.assign({ fontSize: size - 1 }, a.nameTextStyle);
    });
    if (option.legend) option.legend.textStyle = Object.assign({ fontSize: size }, option.legend.textStyle);
    (option.series || []).forEach(function (s) {
      if (s.label) s.label = Object.assign({ fontSize: size }, s.label);
    });
    return option;
  }
  function num(v) { return v === null || v === undefined ? null : Number(v); }
  function go(params) { window.location.href = root.dataset.listUrl + params; }

  function drawStatus(data) {
    var c = chart("chart-status");
    c.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) {
        return escapeHtml(p.name) + "：" + escapeHtml(p.value) + "项（" + escapeHtml(p.percent) + "%）";
      } },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["45%", "70%"], top: -20,
        label: { formatter: "{b}\n{c}项" },
        data: data.statuses.map(function (s) {
          var colour = s.value === "ahead" ? "#20c997" : colours[s.colour];  // 较快 apart from 正常
          return { name: s.label, value: s.count, status: s.value, itemStyle: { color: colour } };
        }) }]
    });
    c.off("click");
    c.on("click", function (p) { go("&status=" + encodeURIComponent(p.data.status)); });
  }

  function drawTrend(data) {
    var t = data.trend;
    chart("chart-trend").setOption({
      animation: false,
      tooltip: { trigger: "axis", formatter: function (ps) {
        return escapeHtml(ps[0].axisValue) + "<br>" + ps.map(function (p) {
          return escapeHtml(p.seriesName) + "：" + escapeHtml(p.value) + "亿元";
        }).join("<br>");
      } },
      legend: { data: ["累计完成", "按时间进度应完成"], top: 0 },
      grid: { left: 50, right: 20, top: 35, bottom: 30 },
      xAxis: { type: "category", data: t.months },
      yAxis: { type: "value", name: "亿元" },
      series: [
        { name: "累计完成", type: "bar", data: t.ytd.map(num), itemStyle: { color: "#1f77b4" } },
        { name: "按时间进度应完成", type: "line", data: t.plan_due.map(num), itemStyle: { color: "#ff7f0e" } }
      ]
    });
  }

  function drawRegions(data) {
    var c = chart("chart-regions");
    var time = num(data.time_progress);
    // a county's own dashboard breaks down by town (its county-wide projects as 本级)
    var rows = data.towns && data.towns.length ? data.towns : data.regions;
    c.setOption({
      animation: false,
      tooltip: { trigger: "axis", formatter: function (ps) {
        var p = ps[0];
        return escapeHtml(p.name) + "：完成率" + escapeHtml(p.value === null ? "—" : p.value) + "%，时间进度" + escapeHtml(time) + "%";
      } },
      grid: { left: 45, right: 20, top: 20, bottom: 45 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: "value", name: "%" },
      series: [{ name: "投资完成率", type: "bar",
        data: rows.map(function (r) {
          var v = num(r.completion_rate);
          return { value: v, region: r.id, itemStyle: { color: v !== null && v < time ? "#dc3545" : "#198754" } };
        }),
        label: { show: true, position: "top" },
        markLine: { symbol: "none", data: [{ yAxis: time, name: "时间进度" }],
                    label: { formatter: "时间进度 {c}%", position: "insideEndTop" }, lineStyle: { color: "#ff7f0e", type: "dashed" } } }]
    });
    c.off("click");
    c.on("click", function (p) { go("&region=" + encodeURIComponent(p.data.region)); });
  }

  function drawUnits(data) {
    var rows = data.units.slice().reverse();
    var c = chart("chart-units");
    c.setOption({
      animation: false,
      tooltip: { trigger: "axis", formatter: function (ps) {
        return escapeHtml(ps[0].name) + "<br>" + ps.map(function (p) {
          return escapeHtml(p.seriesName) + "：" + escapeHtml(p.value) + "亿元";
        }).join("<br>");
      } },
      legend: { top: 0 },
      grid: { left: 150, right: 30, top: 30, bottom: 20 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { width: 140, overflow: "truncate" } },
      series: [
        { name: "年度计划", type: "bar", data: rows.map(function (r) { return num(r.annual_plan); }), itemStyle: { color: "#9ecae1" } },
        { name: "累计完成", type: "bar", data: rows.map(function (r) { return num(r.ytd); }), itemStyle: { color: "#1f77b4" } }
      ]
    });
    c.off("click");
    c.on("click", function (p) {
      var unit = rows[p.dataIndex].id;
      if (unit) go("&unit=" + encodeURIComponent(unit));
    });
  }

  function drawRanking(data) {
    var body = document.querySelector("#ranking-table tbody");
    body.replaceChildren();
    data.ranking.forEach(function (r) {
      var tr = document.createElement("tr");
      var name = r.board ? r.name + "（" + r.board + "）" : r.name;
      [r.rank, name, r.score, r.completion_rate === null ? "—" : r.completion_rate + "%"].forEach(function (v, i) {
        var td = document.createElement("td");
        td.textContent = v;  // textContent: a name is shown, never parsed
        if (i !== 1) td.className = "num";
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function drawMap(data, outline) {
    var c = chart("chart-map");
    echarts.registerMap("city", outline);
    c.setOption({
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) {
        if (!p.data || !p.data.project) return escapeHtml(p.name);
        return escapeHtml(p.data.project.name) + "<br>" + escapeHtml(p.data.project.region) +
          " · " + escapeHtml(p.data.project.status_label);
      } },
      geo: { map: "city", roam: true, top: dark ? 10 : null, bottom: dark ? 10 : null,
             label: { show: true, color: dark ? "#c8d6e5" : "#555", fontSize: dark ? 20 : 12 },
             itemStyle: { areaColor: dark ? "#17365d" : "#eef3f8", borderColor: dark ? "#4a78a8" : "#9bb3cc" } },
      series: [{ type: "scatter", coordinateSystem: "geo", symbolSize: dark ? 14 : 7,
        data: data.points.map(function (p) {
          return { value: [Number(p.lng), Number(p.lat)], project: p,
                   itemStyle: { color: p.status === "ahead" ? "#20c997" : colours[p.colour] } };
        }) }]
    });
    c.off("click");
    c.on("click", function (p) {
      if (p.data && p.data.project) {
        window.location.href = root.dataset.projectUrl.replace(/0\/$/, p.data.project.id + "/");
      }
    });
  }

  function loadMap() {
    fetch(root.dataset.mapUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (!data.outline) { document.getElementById("chart-map").textContent = "未配置本市地图"; return; }
        return fetch(data.outline).then(function (r) { return r.json(); })
          .then(function (outline) { drawMap(data, outline); root.dataset.mapLoaded = "1"; });
      });
  }

  function load() {
    fetch(root.dataset.chartsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (data) {
        drawStatus(data); drawTrend(data); drawRegions(data); drawUnits(data); drawRanking(data);
        root.dataset.loaded = "1";
      })
      .catch(function () {
        var warn = document.createElement("div");
        warn.className = "alert alert-warning";
        warn.textContent = "图表数据加载失败，请刷新页面重试";
        root.prepend(warn);
      });
  }
  load();
  loadMap();
  var every = Number(root.dataset.refresh || 0);
  if (every > 0) setInterval(function () { load(); loadMap(); }, every * 1000);
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
})();
