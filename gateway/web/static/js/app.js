// The web app's only script (no inline scripts: the CSP forbids them). Every page works without it.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";

  // htmx requests carry this browser's CSRF token as a header (ckan's htmx-ckan.js idea).
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = token;
  });

  // Drag and drop to reorder a workbook chapter's tools; the Up/Down buttons do the same by keyboard.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("li.plan-tool");
    if (!item) return;
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.toolId);
  });
  document.addEventListener("dragover", function (event) {
    var over = event.target.closest && event.target.closest("li.plan-tool");
    if (!dragged || !over || over === dragged || over.parentNode !== dragged.parentNode) return;
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });
  document.addEventListener("dragend", function () {
    if (!dragged) return;
    var list = dragged.parentNode;
    dragged.classList.remove("dragging");
    dragged = null;
    var ids = Array.prototype.map.call(list.querySelectorAll("li.plan-tool"), function (li) { return li.dataset.toolId; });
    var body = new URLSearchParams();
    body.set("edits", JSON.stringify([{ op: "reorder", chapter: list.dataset.chapter, tool_ids: ids }]));
    fetch(list.dataset.editUrl, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRF-Token": token }
    }).then(function () { window.location.reload(); });
  });
})();
