// The clinic tool editor's live preview (gateway/web/clinic_tools.py). htmx posts the draft a moment
// after typing stops, one request at a time (hx-sync="this:queue last": while one renders, only the
// newest draft waits); this numbers each preview request and drops any answer older than the newest
// one asked for, so a slow render can never paint over a newer one.
(function () {
  "use strict";
  var asked = 0;
  function isEditor(event) { return event.detail.elt && event.detail.elt.id === "tool-editor"; }
  document.addEventListener("htmx:configRequest", function (event) {
    if (!isEditor(event)) return;
    asked += 1;
    event.detail.parameters["preview_seq"] = String(asked);
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!isEditor(event)) return;
    var answered = parseInt(event.detail.xhr.getResponseHeader("X-Preview-Seq") || "0", 10);
    if (answered < asked) event.detail.shouldSwap = false;
  });
})();
