// The batch page's progress bar: while a dry run or a batch runs, ask /batch/status twice a
// second and move the bar; when it has ended, reload the page, which then shows the dry
// run's problems, or the download link and the rows that failed (the server renders them
// in the UI language). A page that shows a refusal (#batch-errors, e.g. an upload refused
// while a batch runs) is not reloaded, so the refusal stays on screen.
(function () {
  "use strict";
  var box = document.getElementById("batch-job");
  if (!box || box.getAttribute("data-status") !== "running") {
    return;
  }
  var bar = document.getElementById("batch-progress");
  var text = document.getElementById("batch-status");
  var url = box.getAttribute("data-status-url");
  var template = text ? text.textContent.trim() : "";

  function show(state) {
    if (state.done === null) {
      return; // a dry run says nothing until it has finished: the bar stays indeterminate
    }
    bar.max = state.total || 1;
    bar.value = state.done;
    bar.textContent = state.done + " / " + state.total;
    if (text && template) {
      // The label's numbers are the first two of the server's sentence: replace them in place.
      var n = 0;
      text.textContent = template.replace(/\d+/g, function (m) {
        n += 1;
        return n === 1 ? String(state.done) : n === 2 ? String(state.total) : m;
      });
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.status === "running") {
          show(state);
          window.setTimeout(poll, 500);
        } else if (document.getElementById("batch-errors")) {
          // The page shows why the last request was refused: keep it, and say the job ended.
          var link = document.createElement("a");
          link.href = "/batch";
          link.textContent = box.getAttribute("data-finished");
          text.textContent = "";
          text.appendChild(link);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }

  window.setTimeout(poll, 300);
})();
