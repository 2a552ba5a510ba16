// After a failed submit, move the keyboard focus to the form's summary of problems, so a
// screen reader announces it and Tab goes on to the links to each field. Without this
// script the summary is still the first thing at the top of the form.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
