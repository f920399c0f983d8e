// rapport's only script: small conveniences on top of pages that work without it.
(function () {
  "use strict";
  // Fill an empty time-zone field with the browser's own zone.
  document.querySelectorAll("[data-guess-timezone]").forEach(function (input) {
    if (!input.value) {
      try { input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* keep empty */ }
    }
  });
  // "Copy" buttons next to tokens and links.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) return;
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = "Copied";
      });
    });
  });
  // Keyboard: "/" focuses the search field, as in most directories.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable);
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    var field = document.querySelector('[data-shortcut="' + event.key + '"]');
    if (field) { event.preventDefault(); field.focus(); }
  });
})();
