// Conditional questions in the browser: the same rule as the server (domain::questionnaire::Question::is_shown),
// applied as people answer, so that a question appears only when it is asked. Without JavaScript every question
// is on the page with a note saying when it applies, and the server keeps no answer to a question it hides.
(function () {
  'use strict';
  const form = document.querySelector('.survey');
  if (!form) return;
  const blocks = Array.from(form.querySelectorAll('[data-question]'));

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
      let shown = true;
      if (on) {
        const chosen = answered.get(on) || [];
        const values = JSON.parse(block.dataset.conditionValues || '[]');
        shown = block.dataset.conditionOp === 'among'
          ? chosen.some((c) => values.includes(c))
          : values.length > 0 && chosen.includes(values[0]);
      }
      block.hidden = !shown;
      // A hidden question counts as unanswered for the questions that depend on it, as on the server.
      const values = shown ? valuesOf(block.dataset.question) : [];
      if (values.length > 0) answered.set(block.dataset.question, values);
    }
  }

  form.addEventListener('change', update);
  form.addEventListener('input', update);
  update();
})();
