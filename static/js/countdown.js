// Countdowns to a server-given instant: <p data-countdown="UNIX_SECONDS">.
function phrase(seconds) {
  if (seconds <= 0) return "It's time.";
  const minutes = Math.round(seconds / 60);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [];
  if (days) parts.push(`${days} day${days === 1 ? "" : "s"}`);
  if (hours) parts.push(`${hours} hour${hours === 1 ? "" : "s"}`);
  if (!days && mins) parts.push(`${mins} minute${mins === 1 ? "" : "s"}`);
  return `In ${parts.join(" ") || "less than a minute"}.`;
}

const targets = document.querySelectorAll("[data-countdown]");
function tick() {
  for (const el of targets) {
    if (el.dataset.inProgress === "1") continue;
    el.textContent = phrase(Number(el.dataset.countdown) - Date.now() / 1000);
  }
}
if (targets.length) {
  tick();
  setInterval(tick, 30000);
}
