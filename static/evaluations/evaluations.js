/* 观摩评比 pages.

   Scoring sheet: every score input saves itself (fetch POST) shortly after it is typed.
   A value the server has not confirmed stays in localStorage under the event, so a lost
   connection or a closed tab loses nothing; the input shows 未保存 and is sent again every
   few seconds, when the browser is back online, and when the page is opened again. What the
   server confirmed shows 已保存 with its time. Refusals (a rule, e.g. over the maximum) show
   the server's Chinese message and are not retried. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
  var printButton = document.getElementById("print-button");
  if (printButton) printButton.addEventListener("click", function () { window.print(); });

  var sheet = document.getElementById("score-sheet");
  if (!sheet) return;
  var url = sheet.getAttribute("data-save-url");
  var csrf = sheet.getAttribute("data-csrf");
  var storeKey = "evaluation-pending-" + sheet.getAttribute("data-event");
  var open = sheet.getAttribute("data-open") === "1";
  var timers = {};
  var inFlight = {};
  var syncState = document.getElementById("sync-state");

  function keyOf(input) {
    return input.getAttribute("data-stop") + ":" + input.getAttribute("data-criterion");
  }
  function pending() {
    try { return JSON.parse(window.localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }
  function setPending(key, value) {
    var all = pending();
    if (value === undefined) delete all[key]; else all[key] = value;
    try { window.localStorage.setItem(storeKey, JSON.stringify(all)); } catch (e) { /* full: the page still shows 未保存 */ }
    showSync();
  }
  function inputFor(key) {
    var parts = key.split(":");
    return sheet.querySelector('.score-input[data-stop="' + parts[0] + '"][data-criterion="' + parts[1] + '"]');
  }
  function mark(input, state, text) {
    var label = input.parentNode.querySelector(".save-state");
    label.setAttribute("data-state", state);
    label.textContent = text;
    input.classList.toggle("is-invalid", state === "error");
  }
  function showSync() {
    var n = Object.keys(pending()).length;
    if (!syncState) return;
    syncState.textContent = n ? ("有 " + n + " 项未保存，网络恢复后自动补存") : "";
    syncState.className = n ? "small text-danger fw-bold" : "small";
  }
  function cardTotal(card) {
    var total = 0, all = true;
    card.querySelectorAll(".score-input").forEach(function (input) {
      var v = parseFloat(input.value);
      if (isNaN(v)) all = false; else total += v;
    });
    var out = card.querySelector(".card-total");
    if (out) out.textContent = all ? total.toFixed(2).replace(/\.00$/, "") + " 分" : "未评完";
  }

  function send(key, value) {
    var input = inputFor(key);
    if (!input || inFlight[key]) return;
    inFlight[key] = true;
    mark(input, "saving", "保存中…");
    var parts = key.split(":");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ stop: parts[0], criterion: parts[1], points: value })
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
    }).then(function (result) {
      inFlight[key] = false;
      var now = pending()[key];
      if (result.ok) {
        if (now === value) setPending(key, undefined);
        if (input.value.trim() === value) {
          mark(input, value === "" ? "" : "saved", value === "" ? "已清除" : "已保存 " + result.data.saved_at);
        }
        if (now !== undefined && now !== value) send(key, now);
      } else if (result.status === 400 || result.status === 403) {
        setPending(key, undefined);
        mark(input, "error", (result.data && result.data.error) || "未保存");
      } else {
        mark(input, "unsaved", "未保存");
      }
    }).catch(function () {
      inFlight[key] = false;
      mark(input, "unsaved", "未保存");
    });
  }

  function flush() {
    var all = pending();
    Object.keys(all).forEach(function (key) { send(key, all[key]); });
  }

  sheet.querySelectorAll(".score-input").forEach(function (input) {
    var key = keyOf(input);
    var waiting = pending()[key];
    if (waiting !== undefined) {
      input.value = waiting;
      mark(input, "unsaved", "未保存");
    }
    input.addEventListener("input", function () {
      var value = input.value.trim();
      setPending(key, value);
      mark(input, "unsaved", "未保存");
      cardTotal(input.closest(".score-card"));
      clearTimeout(timers[key]);
      timers[key] = setTimeout(function () { send(key, value); }, 400);
    });
    input.addEventListener("blur", function () {
      var value = pending()[key];
      if (value !== undefined) { clearTimeout(timers[key]); send(key, value); }
    });
  });
  sheet.querySelectorAll(".score-card").forEach(cardTotal);
  showSync();
  if (open) {
    flush();
    window.addEventListener("online", flush);
    window.setInterval(flush, 3000);
  }
})();
