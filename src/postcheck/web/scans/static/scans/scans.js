// The progress page asks for the scan's state every second and shows it; when the scan ends the
// page reloads to show the report. Without JavaScript the page says to reload it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var box = document.getElementById("progress");
  if (!box || box.dataset.finished === "true") return;
  var url = box.dataset.statusUrl;
  function show(data) {
    box.querySelectorAll("[data-field]").forEach(function (el) {
      var v = data[el.dataset.field];
      if (v !== undefined && v !== null) el.textContent = String(v);
    });
    if (data.finished) window.location.reload();
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) show(data); if (!data || !data.finished) setTimeout(poll, 1000); })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
