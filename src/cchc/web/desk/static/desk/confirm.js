// Ask before an action that cannot be undone: a desk form with data-confirm submits only
// after the officer answers "OK" to its question. Without JavaScript the form's required
// confirmation box asks instead, and the server refuses the action without it.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
