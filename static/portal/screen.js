/* The wall display (大屏): the whole page, its figures and charts, is fetched again every
   data-reload seconds — but only reloaded when the server answers, so a network hiccup
   leaves the last good screen up rather than an error page. Esc goes back to the dashboard. */
(function () {
  var root = document.getElementById("dashboard");
  if (!root) return;
  var every = Number(root.dataset.reload || 0);
  var stamp = document.getElementById("wall-updated");

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  if (stamp) {
    var now = new Date();
    stamp.textContent = "更新于" + pad(now.getHours()) + ":" + pad(now.getMinutes()) + "，每" + Math.round(every / 60) + "分钟自动刷新";
  }

  function refresh() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (r.ok && !r.redirected) window.location.reload(); })
      .catch(function () { /* keep the last good screen; try again next time */ });
  }
  if (every > 0) setInterval(refresh, every * 1000);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") window.location.href = root.dataset.exitUrl;
  });
})();
