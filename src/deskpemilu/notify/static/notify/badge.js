// The unread-notification badge in the header: fetched, so rendering a page costs no query,
// and refreshed every minute so a new notification shows without reloading.
(function () {
  "use strict";
  var link = document.getElementById("notif-badge");
  if (!link || !window.fetch) {
    return;
  }
  var count = link.querySelector(".notif-count");
  function refresh() {
    fetch(link.getAttribute("data-count-url"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        count.textContent = data.unread > 99 ? "99+" : String(data.unread);
        count.style.display = data.unread === 0 ? "none" : "";
      })
      .catch(function () {});
  }
  refresh();
  setInterval(refresh, 60000);
})();
