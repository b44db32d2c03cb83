// Progressive enhancement only: every page works without JavaScript.
// Ask before recording a decision, and disable the button against double submits.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.decision")) {
    form.addEventListener("submit", () => {
      for (const b of form.querySelectorAll("button")) b.disabled = true;
    });
  }
});
