// Conditional questions in the browser: the same rule as the server (domain::questionnaire::Question::is_shown
// and validate_response), applied as people answer, so that a question or a section appears only when it is
// asked. Without JavaScript every question is on the page with a note saying when it applies, and the server
// keeps no answer to a question it hides, nor a profile answer given without consent.
(function () {
  'use strict';
  const form = document.querySelector('.survey');
  if (!form) return;
  const blocks = Array.from(form.querySelectorAll('[data-question]'));
  const consent = form.querySelector('#profil_accord');
  const profileQuestions = form.querySelector('.profile-questions');

  // The values a question's main field gives: the ticked boxes, or the typed text.
  function valuesOf(id) {
    const fields = Array.from(form.querySelectorAll('[name="q' + id + '"]'));
    return fields
      .filter((f) => (f.type === 'radio' || f.type === 'checkbox' ? f.checked : true))
      .map((f) => f.value.trim())
      .filter((v) => v !== '');
  }

  function update() {
    const answered = new Map();
    for (const block of blocks) {
      const on = block.dataset.conditionQuestion;
      // Blocks come in document order: a section is settled before the questions inside it.
      const section = block.parentElement.closest('[data-section]');
      let shown = !(section && section.hidden);
      if (shown && on) {
        const chosen = answered.get(on) || [];
        const values = JSON.parse(block.dataset.conditionValues || '[]');
        shown = block.dataset.conditionOp === 'among'
          ? chosen.some((c) => values.includes(c))
          : values.length > 0 && chosen.includes(values[0]);
      }
      block.hidden = !shown;
      // A hidden question counts as unanswered for the questions that depend on it, as on the server.
      const values = shown && !('section' in block.dataset) ? valuesOf(block.dataset.question) : [];
      if (values.length > 0) answered.set(block.dataset.question, values);
    }
    if (consent && profileQuestions) profileQuestions.hidden = !consent.checked;
  }

  // Interviewer mode: the entry is kept in this browser as it is typed, so that an interview survives a dropped
  // connection or a closed tab; it is forgotten once the server says the response was recorded.
  function draftKeeping() {
    const key = form.dataset.draft ? 'encommun-brouillon-' + form.dataset.draft : null;
    let storage = null;
    try { storage = window.localStorage; } catch (e) { storage = null; }
    if (!key || !storage) return;
    const fields = () => Array.from(form.elements).filter((f) => f.name && f.name !== 'csrf_token' && f.type !== 'submit');
    function save() {
      const pairs = fields()
        .filter((f) => (f.type === 'radio' || f.type === 'checkbox' ? f.checked : f.value !== ''))
        .map((f) => [f.name, f.value]);
      try { storage.setItem(key, JSON.stringify(pairs)); } catch (e) { /* storage full or refused: no draft */ }
    }
    if (form.dataset.arrival === 'recorded') {
      storage.removeItem(key);
      // A reload of this page must not forget the next interview's draft.
      const url = new URL(window.location.href);
      url.searchParams.delete('enregistre');
      window.history.replaceState(null, '', url.toString());
      form.dataset.arrival = 'fresh';
    }
    const saved = form.dataset.arrival === 'fresh' ? storage.getItem(key) : null;
    if (saved) {
      let pairs = [];
      try { pairs = JSON.parse(saved); } catch (e) { pairs = []; }
      if (pairs.some(([name]) => /^q\d/.test(name))) {
        const has = (name, value) => pairs.some(([n, v]) => n === name && v === value);
        for (const field of fields()) {
          if (field.type === 'radio' || field.type === 'checkbox') field.checked = has(field.name, field.value);
          else {
            const found = pairs.find(([n]) => n === field.name);
            if (found) field.value = found[1];
          }
        }
        const notice = document.createElement('div');
        notice.className = 'notice notice-warning draft-notice';
        notice.setAttribute('role', 'status');
        notice.textContent = 'Saisie interrompue retrouvée : les réponses déjà tapées sur cet appareil ont été remises. ';
        const discard = document.createElement('button');
        discard.type = 'button';
        discard.className = 'link-button';
        discard.textContent = 'Repartir d’une saisie vide';
        discard.addEventListener('click', () => {
          storage.removeItem(key);
          window.location.reload();
        });
        notice.appendChild(discard);
        form.parentNode.insertBefore(notice, form);
      }
    }
    form.addEventListener('input', save);
    form.addEventListener('change', save);
  }

  draftKeeping();
  form.addEventListener('change', update);
  form.addEventListener('input', update);
  update();
})();
