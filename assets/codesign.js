// Progressive enhancement of a workshop's live parts (the projector's screen, the ideas arriving): without this
// script a refresh shows what is new; with it, every element marked `data-refresh` is fetched again every ten
// seconds and replaced in place, and its polite live region says that something changed. Nothing else moves.
(function () {
  'use strict';
  var parts = document.querySelectorAll('[data-refresh]');
  if (!parts.length || !window.fetch || !window.DOMParser) return;
  var EVERY_MS = 10000;
  function refresh() {
    // Not while someone types: the fast entry keeps its focus and its text.
    var active = document.activeElement;
    if (active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA' || active.tagName === 'SELECT')) return;
    fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        parts.forEach(function (part) {
          var id = part.getAttribute('data-refresh');
          var next = fresh.querySelector('[data-refresh="' + id + '"]');
          if (next && next.innerHTML !== part.innerHTML) part.innerHTML = next.innerHTML;
        });
      })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }
  window.setInterval(refresh, EVERY_MS);
})();
