/* The template form: show the questions that apply, and keep the preview up to date.
 *
 * A field with data-when="NAME" is shown only while NAME holds (a checkbox ticked, a field
 * filled in, or any field of the group NAME filled in); a fieldset with data-toggle="NAME"
 * shows its fields while its checkbox NAME is ticked. The server decides the same on every
 * post (web/forms.py), so the page works without this script.
 *
 * As the form changes, it is posted (500 ms after the last change, with the CSRF token) to
 * its data-preview-url, and the answer replaces the preview iframe's document, keeping its
 * scroll position; the X-Findings / X-Problems headers give the count shown above it.
 *
 * The language switch in the nav posts the form (to its data-language-url, ?lang= the
 * other language) instead of following its link, so the answers typed so far are kept;
 * a form the server filled in again from them (data-restored) refreshes its preview.
 */
(function () {
  "use strict";
  var form = document.getElementById("template-form");
  var frame = document.getElementById("preview");
  var status = document.getElementById("preview-status");
  if (!form || !frame) { return; }
  var DELAY = 500;
  var timer = null, sequence = 0, controller = null;
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');

  function inputs(name) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === name && el.type !== "hidden";
    });
  }

  function visible(el) {
    for (var node = el; node && node !== form; node = node.parentElement) {
      if (node.hidden) { return false; }
    }
    return true;
  }

  function filled(el) {
    if (!visible(el)) { return false; }
    if (el.type === "checkbox") { return el.checked; }
    return el.value.trim() !== "";
  }

  function holds(name) {
    var own = inputs(name);
    if (own.length) { return own.some(filled); }
    return Array.prototype.some.call(form.elements, function (el) {
      return el.name && el.name.indexOf(name + ".") === 0 && el.type !== "hidden" && filled(el);
    });
  }

  function applyConditions() {
    form.querySelectorAll("fieldset[data-toggle]").forEach(function (set) {
      var box = inputs(set.getAttribute("data-toggle"))[0];
      var fields = set.querySelector(".group-fields");
      if (box && fields) { fields.hidden = !box.checked; }
    });
    // A condition may name a field that is itself conditional: settle in a few rounds.
    for (var round = 0; round < 5; round++) {
      var changed = false;
      form.querySelectorAll(".field[data-when]").forEach(function (field) {
        var hide = !holds(field.getAttribute("data-when"));
        if (field.hidden !== hide) { field.hidden = hide; changed = true; }
      });
      if (!changed) { break; }
    }
  }

  function label(key, n) {
    return (status.getAttribute("data-" + key) || "").replace("{n}", String(n));
  }

  function showCount(response) {
    var problems = Number(response.headers.get("X-Problems") || 0);
    var findings = Number(response.headers.get("X-Findings") || 0);
    status.textContent = problems ? label("problems", problems) : findings ? label("findings", findings) : label("none");
    status.setAttribute("data-count", problems ? "" : String(findings));
  }

  function swap(html) {
    var y = 0;
    try { y = frame.contentWindow.scrollY; } catch (e) { y = 0; }
    frame.addEventListener("load", function restore() {
      frame.removeEventListener("load", restore);
      try { frame.contentWindow.scrollTo(0, y); } catch (e) { /* another origin: nothing to keep */ }
    });
    frame.srcdoc = html;
  }

  function refresh() {
    var mine = ++sequence;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    var body = new FormData(form);
    body.delete("answers");  // the data-file upload is for the Load button only
    status.textContent = label("updating", 0);
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST", body: body, credentials: "same-origin", signal: controller ? controller.signal : undefined,
      headers: tokenMeta ? {"X-CSRF-Token": tokenMeta.getAttribute("content")} : {}
    }).then(function (response) {
      return response.text().then(function (text) {
        if (mine !== sequence) { return; }
        if (response.status !== 200 && response.status !== 422) { throw new Error(String(response.status)); }
        showCount(response);
        swap(text);
        frame.setAttribute("data-refreshed", String(mine));
      });
    }).catch(function (error) {
      if (mine === sequence && error.name !== "AbortError") { status.textContent = label("failed", 0); }
    });
  }

  function changed(event) {
    if (event.target && event.target.type === "file") { return; }
    applyConditions();
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(refresh, DELAY);
  }

  function switchLanguage(event) {
    var lang = this.getAttribute("data-lang");
    if (!lang || !form.getAttribute("data-language-url")) { return; }
    event.preventDefault();
    var field = form.querySelector('input[name="ui_lang"]');
    if (field) { field.value = lang; }
    var file = form.querySelector('input[type="file"]');
    if (file) { file.value = ""; }  // the data-file upload is for the Load button only
    form.setAttribute("action", form.getAttribute("data-language-url") + "?lang=" + encodeURIComponent(lang));
    form.submit();
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  document.querySelectorAll(".lang-switch[data-lang]").forEach(function (link) {
    link.addEventListener("click", switchLanguage);
  });
  applyConditions();
  if (form.hasAttribute("data-restored")) { refresh(); }
})();
