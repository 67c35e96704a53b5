// Confirmations: a form with data-confirm="question" asks before it is sent.
// Without script, destructive actions go through their own confirmation page instead.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) event.preventDefault();
});
