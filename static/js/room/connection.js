// The room's socket: reconnects with back-off, resends unacknowledged actions
// with their original client_id, and asks for a snapshot when it sees a gap.

export function uuid4() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Refusals worth retrying by themselves; the rest go back to the person.
const RETRYABLE = new Set(["unavailable", "rate_limited"]);
const PING_MS = 20000;

export class RoomConnection extends EventTarget {
  constructor(path) {
    super();
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    this.url = `${scheme}://${location.host}${path}`;
    this.version = -1;
    this.outbox = new Map(); // client_id -> message, until acked or refused
    this.attempt = 0;
    this.closedForGood = false;
    this.socket = null;
    this.pingTimer = null;
  }

  connect() {
    this.emit("connection", { state: this.attempt ? "reconnecting" : "connecting" });
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      this.emit("connection", { state: "open" });
      // Anything sent while we were away goes again, with the same client_id.
      for (const message of this.outbox.values()) this.raw(message);
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.raw({ type: "ping", version: this.version }), PING_MS);
    });
    socket.addEventListener("message", (event) => this.onMessage(event));
    socket.addEventListener("close", (event) => this.onClose(event));
  }

  onMessage(event) {
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    switch (message.type) {
      case "welcome":
        this.emit("welcome", message);
        break;
      case "state":
        if (message.version < this.version) return; // an older broadcast, arriving late
        this.version = message.version;
        this.emit("state", message);
        break;
      case "ack":
        this.outbox.delete(message.client_id);
        this.emit("ack", message);
        // Our action is in but its broadcast hasn't reached us: a gap, so resync.
        if (message.version > this.version) this.scheduleSync();
        break;
      case "pong":
        if (message.version > this.version) this.sync();
        break;
      case "error":
        this.onError(message);
        break;
      case "presence":
        this.emit("presence", message);
        break;
      default:
        break;
    }
  }

  onError(message) {
    const pending = message.client_id && this.outbox.get(message.client_id);
    if (pending && RETRYABLE.has(message.code)) {
      setTimeout(() => this.raw(pending), 1000 + Math.random() * 1000);
      this.emit("retrying", message);
      return;
    }
    if (message.client_id) this.outbox.delete(message.client_id);
    this.emit("refused", message);
  }

  onClose(event) {
    clearInterval(this.pingTimer);
    if (event.code === 4403) {
      this.closedForGood = true;
      this.emit("connection", { state: "revoked" });
      return;
    }
    if (this.closedForGood) return;
    this.attempt += 1;
    const delay = Math.min(15000, 500 * 2 ** Math.min(this.attempt, 5)) * (0.5 + Math.random());
    this.emit("connection", { state: "offline", retryIn: delay });
    setTimeout(() => this.connect(), delay);
  }

  scheduleSync() {
    clearTimeout(this.syncTimer);
    // Give the broadcast a moment to arrive before asking for a snapshot.
    this.syncTimer = setTimeout(() => {
      if (this.awaitingVersion && this.awaitingVersion > this.version) this.sync();
    }, 400);
    this.awaitingVersion = Math.max(this.awaitingVersion || 0, this.version + 1);
  }

  sync() {
    this.raw({ type: "sync", version: this.version });
  }

  send(action, data = {}) {
    const message = { type: "action", action, data, client_id: uuid4() };
    this.outbox.set(message.client_id, message);
    this.raw(message);
    return message.client_id;
  }

  raw(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }
}
