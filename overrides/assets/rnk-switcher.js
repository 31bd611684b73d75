// The language switcher without sitemap requests (loaded by overrides/main.html before the theme's script).
// Material maps the switcher to the current page by fetching sitemap.xml beside every alternate URL:
// 404s on the web and blocked requests under file://. Each switcher link here already points at this
// page's counterpart, so those requests get an empty sitemap and the browser follows the link.
(function () {
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    if (/sitemap\.xml$/.test(String(url))) {
      args[1] = "data:application/xml,%3Curlset%2F%3E";
    }
    return open.apply(this, args);
  };
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest(".md-select__link")) {
      event.stopPropagation();
    }
  }, true);
})();
