// The quick report form: add the phone's position when the reporter allows it.
// No inline script (CSP); without JavaScript the form still works, without a position.
(function () {
  "use strict";
  var button = document.getElementById("use-position");
  var status = document.getElementById("position-status");
  var lat = document.getElementById("id_lat");
  var lon = document.getElementById("id_lon");
  if (!button || !lat || !lon || !("geolocation" in navigator)) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    // The messages come translated from the page (data-*), in the reader's language.
    status.textContent = status.dataset.searching;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        status.textContent =
          status.dataset.found.replace("{m}", String(Math.round(position.coords.accuracy)));
      },
      function () {
        status.textContent = status.dataset.missing;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
