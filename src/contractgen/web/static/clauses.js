// The clause library's search box: as the user types, rows whose id, title, topic, version
// or templates do not hold every word typed are hidden, and so are topics left empty. All in
// the page: no request. Without JavaScript the box stays hidden and every clause is listed.
(function () {
  "use strict";
  var field = document.getElementById("clause-search-field");
  var box = document.getElementById("clause-search");
  if (!field || !box) {
    return;
  }
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-clause]"));
  var topics = Array.prototype.slice.call(document.querySelectorAll(".clause-topic"));
  var links = Array.prototype.slice.call(document.querySelectorAll("#clause-topics li"));
  var count = document.getElementById("clauses-count");
  var none = document.getElementById("clause-search-none");
  var total = box.getAttribute("data-total");
  var allText = count ? count.textContent : "";
  var texts = rows.map(function (row) { return (row.getAttribute("data-search") || "").toLowerCase(); });

  function filter() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row, i) {
      var hit = words.every(function (word) { return texts[i].indexOf(word) !== -1; });
      row.hidden = !hit;
      if (hit) {
        shown += 1;
      }
    });
    topics.forEach(function (topic, i) {
      var left = topic.querySelectorAll("tr[data-clause]:not([hidden])").length;
      topic.hidden = left === 0;
      var badge = links[i] && links[i].querySelector(".badge");
      if (links[i]) {
        links[i].hidden = left === 0;
      }
      if (badge) {
        badge.textContent = String(left); // the topic's clauses that match
      }
    });
    if (count) {
      count.textContent = words.length ? box.getAttribute("data-shown")
        .replace("{shown}", String(shown)).replace("{n}", total) : allText;
    }
    none.hidden = shown !== 0;
  }

  field.hidden = false;
  box.addEventListener("input", filter);
  filter(); // a value the browser kept (back button) filters at once
})();
