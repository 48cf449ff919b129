// Staff inbox: fetch the alerts every few seconds so a new one shows without reloading.
(function () {
  "use strict";
  var list = document.getElementById("inbox");
  var live = document.getElementById("live");
  if (!list) return;
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text) e.textContent = text; return e; }
  function render(rows) {
    list.textContent = "";
    if (!rows.length) { list.appendChild(el("li", "empty", "No open alerts.")); return; }
    rows.forEach(function (r) {
      var a = el("a", "row"); a.href = "/staff/escalations/" + r.id;
      var top = el("span", "top"); top.appendChild(el("strong", "", "Alert " + r.reference));
      top.appendChild(el("span", "sev " + r.severity, r.severity.toUpperCase())); a.appendChild(top);
      a.appendChild(el("span", "", r.pseudonym + " · " + r.channel + " · opened " + r.opened)); a.appendChild(el("br"));
      a.appendChild(el("span", "muted", (r.categories || "concern not named") + " · " + (r.status === "open" ? "waiting for someone" : "with " + r.by)));
      var li = el("li"); li.appendChild(a); list.appendChild(li);
    });
  }
  var known = list.querySelectorAll("a.row").length;
  setInterval(function () {
    fetch("/staff/inbox.json", { credentials: "same-origin" })
      .then(function (r) { if (r.status === 401 || r.redirected) { window.location = "/staff/login"; } return r.json(); })
      .then(function (data) {
        if (data.rows.length > known) live.textContent = "New alert.";
        known = data.rows.length; render(data.rows);
      }).catch(function () { live.textContent = "Can't reach Careline; retrying."; });
  }, 4000);
})();
