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
  const announcer = form.querySelector('[data-announce]');
  let settled = false;

  // What a block is called when it appears or goes: its legend, label or title, as read on the page.
  function nameOf(block) {
    const title = block.querySelector('legend, label, h2');
    return title ? title.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  // Questions shown are numbered 1, 2, 3… without a gap, and so are the references to them (condition notes, the
  // error summary): the numbers follow what is asked. Without JavaScript every question is shown and the server's
  // numbers are these.
  function renumber() {
    const numbers = new Map();
    let next = 0;
    for (const span of form.querySelectorAll('.question-number[data-number]')) {
      const block = span.closest('[data-question]');
      const hidden = block && (block.hidden || (block.closest('[data-section]') || {}).hidden);
      if (hidden) continue;
      next += 1;
      span.textContent = String(next);
      numbers.set(span.dataset.number, next);
    }
    for (const ref of document.querySelectorAll('.question-ref[data-ref]')) {
      if (numbers.has(ref.dataset.ref)) ref.textContent = String(numbers.get(ref.dataset.ref));
    }
  }

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
    const appeared = [];
    const gone = [];
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
      if (block.hidden === shown) (shown ? appeared : gone).push(nameOf(block));
      block.hidden = !shown;
      // A hidden question counts as unanswered for the questions that depend on it, as on the server.
      const values = shown && !('section' in block.dataset) ? valuesOf(block.dataset.question) : [];
      if (values.length > 0) answered.set(block.dataset.question, values);
    }
    if (consent && profileQuestions) profileQuestions.hidden = !consent.checked;
    renumber();
    // Said once the page is settled: a question that appears below the one being answered is announced, and so is
    // one that goes (the first pass, on load, only applies the conditions).
    if (settled && announcer && (appeared.length || gone.length)) {
      const said = [];
      if (appeared.length) said.push((appeared.length > 1 ? 'Questions ajoutées : ' : 'Question ajoutée : ') + appeared.join(' ; ') + '.');
      if (gone.length) said.push((gone.length > 1 ? 'Questions retirées : ' : 'Question retirée : ') + gone.join(' ; ') + '.');
      announcer.textContent = said.join(' ');
    }
    settled = true;
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
