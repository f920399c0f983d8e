// The review's evidence picker (templates/evidence_picker.html), loaded on the review page
// only. As one types in "Find evidence", items that do not mention every word typed are
// hidden (chosen ones always stay), and so are kinds and months left empty; each kind's count
// follows its boxes. Without this script the search box sends ?q= and the server filters.
(function () {
  "use strict";

  function terms(text) {
    return text.toLowerCase().split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  function filter(picker) {
    var words = terms(picker.querySelector("[data-evidence-find]").value);
    var any = false;
    picker.querySelectorAll("[data-evidence-month]").forEach(function (month) {
      var monthShows = false;
      month.querySelectorAll("[data-evidence-group]").forEach(function (group) {
        var groupShows = false;
        group.querySelectorAll("[data-find]").forEach(function (item) {
          var text = item.getAttribute("data-find");
          var show = item.querySelector("input").checked || words.every(function (w) { return text.indexOf(w) >= 0; });
          item.hidden = !show;
          groupShows = groupShows || show;
        });
        group.hidden = !groupShows;
        monthShows = monthShows || groupShows;
      });
      month.hidden = !monthShows;
      if (words.length > 0 && monthShows) month.open = true;
      any = any || monthShows;
    });
    var none = picker.querySelector("[data-evidence-none]");
    if (none) none.hidden = any;
  }

  function count(group) {
    var shown = group.querySelector("[data-evidence-count]");
    if (!shown) return;
    var chosen = group.querySelectorAll('input[type="checkbox"]:checked').length;
    shown.textContent = chosen + " chosen of " + shown.getAttribute("data-total");
  }

  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-evidence-find]")) filter(e.target.closest("[data-evidence]"));
  });
  document.addEventListener("change", function (e) {
    var group = e.target.closest && e.target.closest("[data-evidence-group]");
    if (group) count(group);
  });
  // Enter in the box would reload the page (and lose a statement being written): as one types,
  // the picker is filtered already.
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.matches && e.target.matches("[data-evidence-find]")) e.preventDefault();
  });
})();
