// Search terms highlighted on the page a result opens, in Japanese too (loaded by overrides/main.html).
// Material puts the matched terms in each result link's `?h=`, but a page whose own first section did
// not match gets an empty `h`, and Japanese queries are split by the index's segments (弾薬 -> 弾).
// Every result link here gets the reader's own words as typed, with the terms Material found, so the
// page marks 弾薬 where it stands. Only the links' addresses change; nothing is fetched.
(function () {
  function words() {
    var input = document.querySelector("input.md-search__input");
    var query = input ? input.value : "";
    return query.replace(/[*+\-:~^"]+/g, " ").split(/\s+/).filter(Boolean);
  }

  function fill(list) {
    var typed = words();
    if (!typed.length) return;
    list.querySelectorAll("a.md-search-result__link").forEach(function (link) {
      var url = new URL(link.href);
      var terms = (url.searchParams.get("h") || "").split(" ").filter(Boolean);
      var all = typed.concat(terms).filter(function (term, i, every) { return every.indexOf(term) === i; });
      var h = all.join(" ");
      if (url.searchParams.get("h") !== h) {
        url.searchParams.set("h", h);
        link.href = url.toString();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector(".md-search-result__list");
    if (!list) return;
    new MutationObserver(function () { fill(list); }).observe(list, { childList: true, subtree: true });
  });
})();
