/* One HTML escape for every script that puts user text into the DOM.
   ECharts tooltips and formatters render their return value as HTML, so a project or milestone
   name must pass through escapeHtml before it is concatenated into markup. */
(function () {
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };
  window.escapeHtml = function (value) {
    if (value === null || value === undefined) return "";
    return String(value).replace(/[&<>"'`]/g, function (ch) { return ENTITIES[ch]; });
  };
})();
