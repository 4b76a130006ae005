// Progressive enhancement only: every page works without this file.
// - <form data-confirm="text"> or <button data-confirm="text">: ask before submitting.
// - An error summary (role="alert") gets focus on load, so keyboard and screen-reader users
//   land on the list of what to fix.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  const question = (button && button.dataset.confirm) || form.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".oploop-error-summary");
  if (summary) summary.focus();
});
