// The queue page: what this device holds, drawn from IndexedDB (pwa.js): waiting, needing the
// operator's attention (a conflict or a refusal, with the server's reasons), and sent.
(function () {
  "use strict";

  var root = document.getElementById("queue");
  if (!root) return;

  function t(name, values) {
    var s = root.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (k) { s = s.replace("{" + k + "}", String(values[k])); });
    return s;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function entry(item) {
    var li = el("li", "queue-item state-" + item.state);
    li.setAttribute("data-item", String(item.id));
    li.setAttribute("data-state", item.state);
    li.appendChild(el("b", "", item.title));
    li.appendChild(el("span", "badge", t("state-" + item.state)));
    var when = new Date(item.created);
    li.appendChild(el("span", "muted", " " + when.toLocaleString("id-ID")));
    if ((item.photos || []).length) li.appendChild(el("span", "muted", " · " + t("photos", { n: item.photos.length })));
    if (item.state === "sent" && item.result) {
      var done = item.kind === "sheet" ? t("sent-sheet", { v: item.result.version })
        : item.kind === "readiness" ? t("sent-readiness", { p: item.result.percent_ready })
        : t("sent-incident", { number: item.result.number });
      li.appendChild(el("span", "ok", " · " + done));
    }
    if (item.state === "conflict") li.appendChild(el("p", "notice warn", t("conflict-help")));
    if (item.errors && item.state !== "sent") {
      var ul = el("ul", "errors");
      item.errors.forEach(function (e) { ul.appendChild(el("li", "", e.message || e.code)); });
      li.appendChild(ul);
    }
    (item.photoErrors || []).forEach(function (e) { li.appendChild(el("p", "warn", e.message || e.code)); });
    if (item.state === "conflict" || item.state === "refused") {
      var actions = el("p", "actions");
      if (item.page) {
        var open = el("a", "button secondary", t("open"));
        open.href = item.page + "#antrean-" + item.id;
        actions.appendChild(open);
      }
      var drop = el("button", "secondary", t("discard"));
      drop.type = "button";
      drop.addEventListener("click", function () {
        if (window.confirm(t("confirm-discard"))) window.DeskQueue.remove(item.id);
      });
      actions.appendChild(drop);
      li.appendChild(actions);
    }
    return li;
  }

  function draw(items) {
    var groups = { waiting: [], attention: [], sent: [] };
    items.forEach(function (item) {
      if (item.state === "waiting" || item.state === "sending") groups.waiting.push(item);
      else if (item.state === "sent") groups.sent.push(item);
      else groups.attention.push(item);
    });
    Object.keys(groups).forEach(function (name) {
      var list = root.querySelector("[data-list=" + name + "]");
      list.textContent = "";
      groups[name].forEach(function (item) { list.appendChild(entry(item)); });
      if (!groups[name].length) list.appendChild(el("li", "muted", t("empty")));
      root.querySelector("[data-count=" + name + "]").textContent = String(groups[name].length);
    });
  }

  function start() {
    if (!window.DeskQueue) return;
    window.addEventListener("deskqueue", function (event) { draw(event.detail); });
    window.DeskQueue.all().then(draw);
    root.querySelector("[data-send-now]").addEventListener("click", function () { window.DeskQueue.send(); });
    root.querySelector("[data-clear-sent]").addEventListener("click", function () {
      window.DeskQueue.all().then(function (items) {
        items.filter(function (i) { return i.state === "sent"; }).forEach(function (i) { window.DeskQueue.remove(i.id); });
      });
    });
  }

  start();
})();
