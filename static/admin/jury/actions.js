// Jury admin: a button with data-confirm asks before it submits (no inline onclick, so the
// Content-Security-Policy needs no 'unsafe-inline').
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
