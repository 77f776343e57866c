// The registrations table: a checkbox in the header ticks or clears every row's. Without
// JavaScript it stays hidden and each row's own checkbox works as before.
for (const toggle of document.querySelectorAll("[data-select-all]")) {
  const table = toggle.closest("table");
  const all = toggle.querySelector("input[type=checkbox]");
  const rows = () => [...table.querySelectorAll("input[data-select-row]")];
  const reflect = () => {
    const ticked = rows().filter((box) => box.checked).length;
    all.checked = ticked > 0 && ticked === rows().length;
    all.indeterminate = ticked > 0 && ticked < rows().length;
  };
  all.addEventListener("change", () => {
    for (const box of rows()) box.checked = all.checked;
  });
  table.addEventListener("change", (event) => {
    if (event.target.matches("input[data-select-row]")) reflect();
  });
  toggle.hidden = false;
  reflect();
}
