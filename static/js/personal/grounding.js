// 5-4-3-2-1 grounding, one sense at a time. Without JavaScript the whole list shows.
const list = document.querySelector("[data-grounding]");
const done = document.querySelector("[data-grounding-done]");

if (list) {
  const steps = [...list.querySelectorAll("[data-grounding-step]")];
  let current = 0;

  const button = (label, onClick, quiet = false) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = quiet ? "button button--quiet" : "button";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  };

  function show(index, focus = true) {
    current = index;
    steps.forEach((step, i) => {
      step.hidden = i !== index;
    });
    if (done) done.hidden = true;
    const heading = steps[index].querySelector("h2");
    heading.tabIndex = -1;
    if (focus) heading.focus();
  }

  steps.forEach((step, i) => {
    const row = document.createElement("div");
    row.className = "button-row";
    if (i > 0) row.append(button("Back", () => show(i - 1), true));
    const last = i === steps.length - 1;
    row.append(
      button(last ? "Done" : "Next", () => {
        if (!last) {
          show(i + 1);
          return;
        }
        step.hidden = true;
        if (done) {
          done.hidden = false;
          done.focus();
        }
      }),
    );
    step.append(row);
  });
  if (done) done.append(" ", button("Start again", () => show(0), true));
  list.classList.add("is-stepped");
  show(0, false);
}
