// The client portal's only script (no inline script or handler: the CSP allows this file by nonce).
// Every page works without it; it saves a worksheet's draft as the client types and records that
// the audio was played. Each request carries the page's CSRF token (made for this link).
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "omit", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": token }
    });
  }

  var form = document.getElementById("tool-form");
  if (form && !form.hasAttribute("data-no-draft")) {
    var timer = null;
    var state = document.getElementById("draft-state");
    var save = function () {
      var fields = {};
      new FormData(form).forEach(function (value, key) {
        if (key === "submission_id" || key === "csrf_token") return;
        fields[key] = fields[key] ? fields[key] + "|" + value : value;
      });
      post(form.dataset.draftUrl, { fields: fields }).then(function (response) {
        if (state) state.textContent = response.ok ? state.dataset.saved || "" : state.dataset.failed || "";
      });
    };
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 800); });
  }

  Array.prototype.forEach.call(document.querySelectorAll("audio[data-played-url]"), function (audio) {
    audio.addEventListener("ended", function () {
      post(audio.dataset.playedUrl, { seconds: Math.round(audio.duration || 0) });
    });
  });
})();
