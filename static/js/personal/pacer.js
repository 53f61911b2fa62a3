// Paced breathing: a circle that grows on the in-breath and shrinks on the out-breath,
// with the phase in words (announced politely) and a count. Every [data-pacer] on the
// page gets one. Without JavaScript the written instructions stand alone; with
// prefers-reduced-motion the CSS keeps the circle still and the words lead.

// Seconds per phase. Keep in step with the transition times in app.css (Personal practice).
const PATTERNS = {
  calm: [
    ["in", "Breathe in", 4],
    ["out", "Breathe out", 6],
  ],
  box: [
    ["in", "Breathe in", 4],
    ["hold-in", "Hold", 4],
    ["out", "Breathe out", 4],
    ["hold-out", "Hold", 4],
  ],
};

function setUp(root) {
  const phaseText = root.querySelector("[data-pacer-phase]");
  const count = root.querySelector("[data-pacer-count]");
  const toggle = root.querySelector("[data-pacer-toggle]");
  const radios = root.querySelectorAll("input[type=radio]");
  for (const el of root.querySelectorAll("[data-pacer-controls]")) el.hidden = false;
  phaseText.hidden = false;

  let timer = null;
  let phaseIndex = 0;
  let left = 0;

  const pattern = () => PATTERNS[root.dataset.pattern] || PATTERNS.calm;

  function enterPhase() {
    const [key, words, seconds] = pattern()[phaseIndex];
    root.dataset.phase = key;
    phaseText.textContent = `${words} for ${seconds}`;
    left = seconds;
    count.textContent = String(left);
  }

  function tick() {
    // A pacer that has been hidden (the break ended, the details closed) stops itself.
    if (!root.offsetParent) {
      stop();
      return;
    }
    left -= 1;
    if (left <= 0) {
      phaseIndex = (phaseIndex + 1) % pattern().length;
      enterPhase();
    } else {
      count.textContent = String(left);
    }
  }

  function start() {
    phaseIndex = 0;
    enterPhase();
    timer = window.setInterval(tick, 1000);
    toggle.textContent = "Pause";
    toggle.setAttribute("aria-pressed", "true");
  }

  function stop() {
    window.clearInterval(timer);
    timer = null;
    root.dataset.phase = "idle";
    phaseText.textContent = "Paused. Start again whenever you like.";
    count.textContent = "";
    toggle.textContent = "Start breathing";
    toggle.setAttribute("aria-pressed", "false");
  }

  toggle.setAttribute("aria-pressed", "false");
  toggle.addEventListener("click", () => (timer ? stop() : start()));
  for (const radio of radios) {
    radio.addEventListener("change", () => {
      root.dataset.pattern = radio.value;
      if (timer) {
        phaseIndex = 0;
        enterPhase();
      }
    });
  }
  const details = root.closest("details");
  if (details) details.addEventListener("toggle", () => !details.open && timer && stop());
}

for (const root of document.querySelectorAll("[data-pacer]")) setUp(root);
