// Notes that open where the reader taps (loaded by overrides/main.html; a file, as the CSP requires).
// On a touch screen a tap on a footnote marker would jump to the note list at the foot of the page
// and lose the reader's place; Material's note tooltips open on hover only. Here a tap opens the
// note in place, under its marker, with a link to the full entry in the list and a Close button
// that returns to the marker. A mouse click still jumps to the list, and hover keeps Material's
// tooltip. The note is copied node by node from the page (no HTML from strings), no request is made.
(function () {
  var WORDS = {
    ja: { list: "脚注一覧で見る", close: "閉じる" },
    en: { list: "See it in the notes", close: "Close" }
  };
  var pointer = "mouse";
  var open = null; // { note, marker }

  document.addEventListener("pointerdown", function (event) {
    pointer = event.pointerType || "mouse";
  }, true);

  function words() {
    return WORDS[(document.documentElement.lang || "ja").slice(0, 2)] || WORDS.en;
  }

  function close(returnFocus) {
    if (!open) return;
    var marker = open.marker;
    open.note.remove();
    open = null;
    if (returnFocus) marker.focus();
  }

  function show(marker) {
    var id = decodeURIComponent(marker.getAttribute("href").slice(1));
    var entry = document.getElementById(id);
    if (!entry) return false;
    close(false);
    var note = document.createElement("div");
    note.className = "md-typeset rnk-note";
    note.setAttribute("role", "dialog");
    note.setAttribute("aria-label", marker.getAttribute("aria-label") || marker.textContent);
    note.tabIndex = -1;
    var body = document.createElement("div");
    body.className = "rnk-note__body";
    entry.childNodes.forEach(function (node) {
      body.appendChild(node.cloneNode(true));
    });
    body.querySelectorAll(".footnote-backref").forEach(function (link) { link.remove(); });
    body.querySelectorAll("[id]").forEach(function (element) { element.removeAttribute("id"); });
    var actions = document.createElement("div");
    actions.className = "rnk-note__actions";
    var list = document.createElement("a");
    list.href = "#" + id;
    list.textContent = words().list;
    list.addEventListener("click", function () { close(false); });
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = words().close;
    button.addEventListener("click", function () { close(true); });
    actions.append(list, button);
    note.append(body, actions);
    document.body.appendChild(note);
    var box = marker.getBoundingClientRect();
    var width = note.offsetWidth;
    var left = Math.min(Math.max(8, box.left - 16), document.documentElement.clientWidth - width - 8);
    note.style.left = Math.max(8, left) + window.scrollX + "px";
    note.style.top = box.bottom + window.scrollY + 6 + "px";
    open = { note: note, marker: marker };
    note.focus({ preventScroll: true });
    note.scrollIntoView({ block: "nearest" });
    return true;
  }

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    if (open && target && !open.note.contains(target)) close(false);
    var marker = target && target.closest("a.footnote-ref");
    if (!marker || pointer === "mouse") return;
    if (show(marker)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) close(true);
  });
})();
