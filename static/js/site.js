// Small enhancements shared by every page. Each one checks for its element.

// Narrow screens: the main menu folds behind a button.
const toggle = document.querySelector(".nav-toggle");
if (toggle) {
  const list = document.getElementById(toggle.getAttribute("aria-controls"));
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    list.classList.toggle("is-open", !open);
  });
}

// Copy buttons: <button data-copy-target="input-id">.
for (const button of document.querySelectorAll("[data-copy-target]")) {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.copyTarget);
    const status = document.querySelector("[data-copy-status]");
    try {
      await navigator.clipboard.writeText(input.value);
      if (status) status.textContent = "Copied.";
    } catch {
      input.select();
      if (status) status.textContent = "Select the link and copy it.";
    }
  });
}

// Confirm dangerous forms: <form data-confirm="Are you sure?">.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
}

// The dashboard's live line: a check-in your partner starts appears without a reload.
const notice = document.getElementById("live-notice");
if (notice && notice.dataset.notifyUrl) {
  let attempt = 0;
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${notice.dataset.notifyUrl}`);
    socket.addEventListener("open", () => {
      attempt = 0;
      notice.dataset.live = "open"; // listening: a check-in started from now on shows here
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type === "checkin_started" && !message.by_you) {
        notice.replaceChildren();
        const p = document.createElement("p");
        p.className = "notice notice--live";
        p.append(`${message.by_name} started a ${message.agenda.toLowerCase()}. `);
        const link = document.createElement("a");
        link.href = message.url;
        link.className = "button";
        link.textContent = "Join";
        link.dataset.joinLink = "";
        p.append(link);
        notice.append(p);
      } else if (message.type === "couple_changed") {
        window.location.reload();
      }
    });
    socket.addEventListener("close", (event) => {
      notice.dataset.live = "closed";
      if (event.code === 4403) return;
      attempt += 1;
      setTimeout(connect, Math.min(30000, 1000 * 2 ** attempt));
    });
  };
  connect();
}
