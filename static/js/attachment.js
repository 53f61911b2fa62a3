// The assessment page: keep the progress bar and count in step with the answers chosen.
// The server counts too (and saves on every button), so this is only a nicety.

const form = document.querySelector("[data-assessment-form]");
const bar = document.querySelector("[data-progress-bar]");
const text = document.querySelector("[data-progress-text]");

if (form && bar && text) {
  const total = Number(form.dataset.total);
  const elsewhere = Number(form.dataset.answeredElsewhere);
  const update = () => {
    const names = new Set();
    for (const input of form.querySelectorAll('input[type="radio"]:checked')) names.add(input.name);
    const answered = elsewhere + names.size;
    bar.value = answered;
    bar.textContent = `${answered} of ${total}`;
    text.textContent = `${answered} of ${total} answered. Your answers are saved each time you move on.`;
  };
  form.addEventListener("change", update);
}

// After a refused submit, move focus to the summary of what needs attention.
const errors = document.getElementById("assessment-errors");
if (errors) errors.focus();
