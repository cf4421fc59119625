// Progressive enhancement of a restitution's texts: without this script, the readability hint under each text is
// the one of the text saved; with it, the hint follows the text as it is written — the server reads it again
// (one rule, `domain::readability`, for both) a moment after the typing stops, and the hint's polite live region
// says what changed. The text itself is saved only by the form's button.
(function () {
  'use strict';
  var form = document.querySelector('form[data-readability]');
  if (!form || !window.fetch || !window.FormData) return;
  var endpoint = form.getAttribute('data-readability');
  var token = form.querySelector('input[name="csrf_token"]');
  var WAIT_MS = 700;
  form.querySelectorAll('textarea').forEach(function (field) {
    // Each text with a hint has it right after, as « lisibilite-<its name> ».
    var hint = document.getElementById('lisibilite-' + field.name);
    if (!hint) return;
    var timer = null;
    var asked = 0;
    field.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var body = new URLSearchParams();
        body.set('text', field.value);
        var turn = ++asked;
        fetch(endpoint, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': token ? token.value : '' },
          body: body.toString()
        })
          .then(function (response) { return response.ok ? response.text() : null; })
          .then(function (html) {
            // An older answer arriving late does not replace a newer one.
            if (html !== null && turn === asked && hint.innerHTML !== html) hint.innerHTML = html;
          })
          .catch(function () { /* offline for a moment: the hint of the saved text stays */ });
      }, WAIT_MS);
    });
  });
})();
