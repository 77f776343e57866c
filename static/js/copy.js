// A "Copy" button after a readonly field marked `data-copy-button="<the button's words>"`
// (the team's invite link), reporting into the element named by `data-copy-status`.
// Without JavaScript, or without the Clipboard API, there is no button: people select
// the text in the field.
for (const field of document.querySelectorAll("input[data-copy-button]")) {
  const status = document.getElementById(field.dataset.copyStatus);
  if (!status || !navigator.clipboard || !window.isSecureContext) continue;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "govuk-button govuk-button--secondary";
  button.textContent = field.dataset.copyButton;
  field.closest(".govuk-form-group").after(button);
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = "Copied. Paste it in a message to the people you invite.";
    } catch {
      // Refused (no permission): select the text, so copying by hand is one step.
      field.focus();
      field.select();
      status.textContent = "Your browser did not allow copying: the link is selected, copy it from there.";
    }
  });
}
