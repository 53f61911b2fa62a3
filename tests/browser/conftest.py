"""Browser tests: the app served by a real Daphne process, driven through Playwright.

Run them on their own (Playwright's sync API keeps an event loop running in the
test thread, which Django's async-safety check would otherwise refuse):

    pytest -m browser tests/browser          # make test-browser

What the fixtures give a test:
- `live_url`: the base URL of a Daphne subprocess serving the test database
  (a SQLite file by default; PostgreSQL when DATABASE_URL is set; channels-redis
  when REDIS_URL is set). Tests need `django_db(transaction=True)` so the server
  sees what they write; every module here sets it through `pytestmark`.
- `browser`: Debian's Chromium. Missing Chromium or Playwright skips the tests
  (a failure under REQUIRE_SERVICES=1, see tests/conftest.py).
- `new_partner(name)`: a fresh browser context and page for one partner; JS errors
  on the page fail the test. `alex`/`sam` are two such partners, not yet signed up;
  `paired` makes them a couple through the services and logs both in.
- `a11y.check(page, label)`: axe-core on the page; fails on "serious" or "critical".
- `shoot(page, name)`: a screenshot under test-artifacts/screenshots/.

Every WebSocket a page opens is timed in the page (created, open, first message,
first room state) and logged to test-artifacts/sockets.jsonl, with a summary line
at the end of the run: a slow connect shows as a figure, not as a flaky wait.

Steps a journey is made of (sign up, pair, each room action) live in steps.py.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import types
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.conftest import need

try:
    import playwright.sync_api  # noqa: F401

    HAVE_PLAYWRIGHT = True
except ImportError:
    HAVE_PLAYWRIGHT = False
    # Test modules import `expect` at the top. Without Playwright they must still
    # collect (the main suite collects this folder too); the `browser` fixture then
    # skips them, or fails them under REQUIRE_SERVICES=1, with the reason.
    _stub = types.ModuleType("playwright.sync_api")
    _stub.__getattr__ = lambda name: None
    sys.modules.setdefault("playwright", types.ModuleType("playwright"))
    sys.modules["playwright.sync_api"] = _stub

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_DIR = ARTIFACTS / "axe"
CHROMIUM = os.environ.get("HEARTH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLOCKING_IMPACTS = ("serious", "critical")
SERVER_START_SECONDS = 30
SOCKET_LOG = ARTIFACTS / "sockets.jsonl"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser carries the `browser` marker, before -m selects."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.browser_failed = report.failed


# --- Environment ----------------------------------------------------------------


@pytest.fixture(scope="package", autouse=True)
def _async_unsafe_allowed():
    """Playwright's sync API runs an event loop here; the ORM calls in tests are still sync.

    Set for this package's tests only, and restored after them.
    """
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


@pytest.fixture(scope="package")
def live_url(django_db_setup):
    """A Daphne process serving the test database; stopped after the package's tests."""
    from django.db import connection

    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "browser-server.log"
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.browser.server_settings",
        "HEARTH_BROWSER_DB_NAME": str(connection.settings_dict["NAME"]),
        "HEARTH_BROWSER_RUN": uuid.uuid4().hex[:12],
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [
        sys.executable,
        "-m",
        "daphne",
        "-b",
        "127.0.0.1",
        "-p",
        str(port),
        "--websocket-max-message-size",
        "65536",
        "--websocket-max-frame-size",
        "65536",
        "config.asgi:application",
    ]
    base = f"http://127.0.0.1:{port}"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"Daphne exited with {server.returncode}:\n{_tail(log_path)}")
            try:
                # The URL is ours: http on 127.0.0.1.
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"Daphne did not answer within {SERVER_START_SECONDS}s:\n{_tail(log_path)}"
                )
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="package")
def browser():
    if not HAVE_PLAYWRIGHT:
        need("needs the playwright package (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        need(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


# --- Partners -------------------------------------------------------------------


# Times every WebSocket from the page's side, in sessionStorage so that the
# sockets of a page navigated away from or reloaded are kept too.
SOCKET_TIMING_SCRIPT = """(() => {
  const Native = window.WebSocket;
  if (!Native || Native.hearthTimed) return;
  const key = "hearth-test:sockets";
  const store = (entry) => {
    try {
      const all = JSON.parse(sessionStorage.getItem(key) || "[]");
      const i = all.findIndex((e) => e.id === entry.id);
      if (i < 0) all.push(entry); else all[i] = entry;
      sessionStorage.setItem(key, JSON.stringify(all));
    } catch (e) { /* storage unavailable: timing is best effort */ }
  };
  class Timed extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      const t0 = performance.now();
      const since = () => Math.round(performance.now() - t0);
      const entry = { id: `${Date.now()}-${Math.random()}`, path: new URL(url).pathname,
        at: Date.now(), doc: performance.timeOrigin, after_navigation_ms: Math.round(t0),
        open_ms: null, first_message_ms: null, state_ms: null, close_ms: null, close_code: null };
      store(entry);
      this.addEventListener("open", () => { entry.open_ms = since(); store(entry); });
      this.addEventListener("message", (event) => {
        if (entry.first_message_ms === null) { entry.first_message_ms = since(); store(entry); }
        if (entry.state_ms === null && /^\\{"type": ?"state"/.test(event.data)) {
          entry.state_ms = since(); store(entry);
        }
      });
      this.addEventListener("close", (event) => {
        entry.close_ms = since(); entry.close_code = event.code; store(entry);
      });
    }
  }
  Timed.hearthTimed = true;
  window.WebSocket = Timed;
})();"""

SOCKET_TIMINGS: list[dict] = []


def socket_entries(page) -> list[dict]:
    """The timed sockets of this page's tab so far (empty if the page cannot say)."""
    if page.is_closed():
        return []
    try:
        return page.evaluate(
            "() => JSON.parse(sessionStorage.getItem('hearth-test:sockets') || '[]')"
        )
    except Exception:  # a page mid-navigation: its figures are lost
        return []


def _collect_socket_timings(page, test_name: str, who: str) -> None:
    for entry in socket_entries(page):
        entry.update(test=test_name, partner=who)
        SOCKET_TIMINGS.append(entry)


def server_log_tail(lines: int = 30) -> str:
    return _tail(ARTIFACTS / "browser-server.log", lines)


class Partner:
    """One partner: their own browser context (cookies, storage) and page."""

    def __init__(self, name: str, context, base_url: str):
        self.name = name
        self.email = f"{name.lower()}@example.com"
        self.password = "a calm evening together 42"
        self.context = context
        self.base_url = base_url
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.name}: {error}"))
        self.page.on("console", self._console)
        self.page.on("response", self._response)
        self.user = None

    def _console(self, message):
        if message.type == "error":
            text = message.text
            # A page we leave mid-connection may log its socket closing, and a failed
            # load is judged by _response (a 404 page is fine, a missing script is not).
            if "WebSocket" not in text and not text.startswith("Failed to load resource"):
                self.errors.append(f"{self.name} console: {text}")

    def _response(self, response):
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{self.name}: {response.status} for {response.url}")

    def __repr__(self):
        return f"<Partner {self.name}>"


def _new_context(browser, live_url, *, viewport=DESKTOP, color_scheme="light", **options):
    context = browser.new_context(
        base_url=live_url,
        viewport=viewport,
        color_scheme=color_scheme,
        reduced_motion="reduce",
        locale="en-GB",
        timezone_id="UTC",
        **options,
    )
    context.set_default_timeout(15_000)
    context.add_init_script(script=SOCKET_TIMING_SCRIPT)
    # Nothing leaves the machine: anything not served by our server is refused.
    context.route(lambda url: not url.startswith(live_url), lambda route: route.abort())
    return context


WARM_UP: dict[str, float] = {}


@pytest.fixture(scope="package")
def warm_server(browser, live_url, django_db_blocker):
    """Once, before the first test: a room page and its socket, with data removed after.

    A fresh Daphne pays on its first room visit for what later visits reuse: templates,
    the page's module files, the socket stack (session, consumer, channel layer, database
    connections). Measured, that is tens of milliseconds, so this is not about speed: no
    test's first connect is the one that pays, and a server that cannot open a room at all
    fails here, once, with its log, instead of as a timeout in every room test.
    """
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.test import Client
    from playwright.sync_api import Error as PlaywrightError

    from practice import services
    from tests.factories import make_couple

    started = time.perf_counter()

    def make():
        couple, alex, sam = make_couple(
            ("warm-up-a@example.com", "A"), ("warm-up-b@example.com", "B")
        )
        client = Client()
        client.force_login(alex)
        checkin = services.checkin_start(user=alex, agenda="weekly")
        return couple, (alex, sam), client.cookies[settings.SESSION_COOKIE_NAME].value, checkin

    def remove(couple, users, session_key):
        couple.delete()
        for user in users:
            user.delete()
        Session.objects.filter(session_key=session_key).delete()

    with django_db_blocker.unblock():
        couple, users, session_key, checkin = in_thread(make)
        context = _new_context(browser, live_url)
        try:
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": live_url}]
            )
            visitor = Partner("warm-up", context, live_url)  # collects the page's script errors
            page = visitor.page
            page.goto(checkin.get_absolute_url())
            try:
                page.locator("#step-title", has_text="Arrive").wait_for(timeout=30_000)
            except PlaywrightError as error:
                pytest.fail(
                    f"The warm-up room did not connect ({error}); its sockets: "
                    f"{socket_entries(page)}\nScript errors: {visitor.errors}"
                    f"\nServer log:\n{server_log_tail()}",
                    pytrace=False,
                )
            _collect_socket_timings(page, "(warm-up)", "warm-up")
        finally:
            context.close()
            in_thread(remove, couple, users, session_key)
    WARM_UP["seconds"] = time.perf_counter() - started


@pytest.fixture
def new_partner(browser, live_url, warm_server, request):
    """Make partners with fresh contexts; their pages must raise no JS error."""
    made: list[Partner] = []

    def make(
        name: str, *, viewport=DESKTOP, color_scheme: str = "light", **context_options
    ) -> Partner:
        context = _new_context(
            browser, live_url, viewport=viewport, color_scheme=color_scheme, **context_options
        )
        partner = Partner(name, context, live_url)
        made.append(partner)
        return partner

    yield make
    failed = getattr(request.node, "browser_failed", False)
    errors = [e for p in made for e in p.errors]
    for partner in made:
        _collect_socket_timings(partner.page, request.node.name, partner.name)
        if failed and not partner.page.is_closed():
            (ARTIFACTS / "failures").mkdir(parents=True, exist_ok=True)
            target = ARTIFACTS / "failures" / f"{request.node.name}-{partner.name}"
            # A failed screenshot must not hide the failure itself.
            with contextlib.suppress(Exception):
                partner.page.screenshot(path=target.with_suffix(".png"), full_page=True)
            # What the page said when the test failed: a script error (a room module that
            # did not load) looks like a socket that never connects.
            target.with_suffix(".txt").write_text(
                f"{partner.page.url}\nJavaScript errors:\n"
                + "".join(f"  {error}\n" for error in partner.errors)
                + "Sockets:\n"
                + "".join(f"  {entry}\n" for entry in socket_entries(partner.page))
            )
        partner.context.close()
    if errors and not failed:
        pytest.fail("JavaScript errors in the page:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def alex(new_partner):
    return new_partner("Alex")


@pytest.fixture
def sam(new_partner):
    return new_partner("Sam")


def in_thread(fn, *args, **kwargs):
    """Run test-data code off the Playwright thread, where services may use async_to_sync.

    (The services send channel-layer notices, which cannot run beside a live event loop.)
    """
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def call():
        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


@pytest.fixture
def paired(alex, sam):
    """Alex and Sam as a couple (made through the services), both logged in."""
    from tests.browser import steps
    from tests.factories import make_couple

    _, alex.user, sam.user = in_thread(make_couple, (alex.email, alex.name), (sam.email, sam.name))
    for partner in (alex, sam):
        steps.log_in_by_cookie(partner)
    return alex, sam


# --- Accessibility and screenshots ---------------------------------------------------

AXE_RESULTS: dict[str, dict] = {}
SPENT = {"axe": 0.0, "screenshots": 0.0}  # seconds, for the summary


class A11y:
    """axe-core checks that fail the test at its end, so one run lists every page's problems."""

    def __init__(self, axe):
        self.axe = axe
        self.failures: list[str] = []

    def check(self, page, label: str) -> dict:
        """Run axe-core on the page as it is now; serious or critical violations fail the test."""
        started = time.perf_counter()
        # axe.min.js is half a megabyte: inject it once per document, not once per check
        # (the room is one document checked at each step).
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.axe.axe_script)
        violations = page.evaluate(
            "() => axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations)"
        )
        SPENT["axe"] += time.perf_counter() - started
        counts: dict[str, int] = {}
        for violation in violations:
            counts[violation["impact"]] = counts.get(violation["impact"], 0) + 1
        AXE_RESULTS[label] = {"url": page.url, "counts": counts}
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in label)
        (AXE_DIR / f"{safe}.json").write_text(json.dumps(violations, indent=1))
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        if blocking:
            report = "\n".join(
                f"- {v['id']} ({v['impact']}): {v['help']}\n"
                + "\n".join(f"    {n['target']}: {n['html'][:160]}" for n in v["nodes"][:5])
                for v in blocking
            )
            self.failures.append(f"axe-core on {label} ({page.url}):\n{report}")
        return counts


@pytest.fixture(scope="package")
def _axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        need("needs axe-playwright-python (pip install -e '.[test]')")
    # The package bundles axe.min.js and injects it with page.evaluate: nothing is fetched.
    return Axe()


@pytest.fixture
def a11y(_axe):
    checker = A11y(_axe)
    yield checker
    if checker.failures:
        pytest.fail("\n".join(checker.failures), pytrace=False)


@pytest.fixture
def shoot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        started = time.perf_counter()
        page.screenshot(path=path, full_page=True, animations="disabled")
        SPENT["screenshots"] += time.perf_counter() - started
        return path

    return take


def _socket_summary(terminalreporter) -> None:
    """Log every socket's figures; print how long room connects took, the warm-up apart."""
    ARTIFACTS.mkdir(exist_ok=True)
    with SOCKET_LOG.open("w") as log:
        for entry in SOCKET_TIMINGS:
            log.write(json.dumps(entry) + "\n")
    rooms = [e for e in SOCKET_TIMINGS if e["path"].startswith("/ws/c/")]
    warm = [e for e in rooms if e["test"] == "(warm-up)"]
    tests = [e for e in rooms if e["test"] != "(warm-up)"]
    states = sorted(e["state_ms"] for e in tests if e["state_ms"] is not None)
    # The page's load shows in a document's first socket; later ones are reconnects.
    firsts = {}
    for entry in sorted(tests, key=lambda e: e["at"]):
        firsts.setdefault((entry["test"], entry["partner"], entry.get("doc")), entry)
    pages = sorted(e["after_navigation_ms"] for e in firsts.values())
    line = f"room sockets: {len(tests)} in tests"
    if states:
        line += (
            f"; first state after median {states[len(states) // 2]} ms, slowest {states[-1]} ms"
            f" (page load to a page's first socket: median {pages[len(pages) // 2]} ms, slowest "
            f"{pages[-1]} ms); never reached a state {len(tests) - len(states)}"
        )
    if warm:
        line += (
            f"; warm-up socket {warm[0]['state_ms']} ms, warm-up in all "
            f"{WARM_UP.get('seconds', 0):.1f} s"
        )
    terminalreporter.write_line(f"{line} (details in {SOCKET_LOG.relative_to(ROOT)})")


def pytest_terminal_summary(terminalreporter):
    if SOCKET_TIMINGS:
        _socket_summary(terminalreporter)
    if not AXE_RESULTS:
        return
    totals: dict[str, int] = {}
    for entry in AXE_RESULTS.values():
        for impact, count in entry["counts"].items():
            totals[impact] = totals.get(impact, 0) + count
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    (AXE_DIR / "summary.json").write_text(
        json.dumps({"pages": AXE_RESULTS, "totals": totals}, indent=1)
    )
    shown = ", ".join(
        f"{impact} {totals.get(impact, 0)}"
        for impact in ("critical", "serious", "moderate", "minor")
    )
    terminalreporter.write_line(
        f"axe-core: {len(AXE_RESULTS)} page states checked; violations by impact: {shown} "
        f"(details in {AXE_DIR.relative_to(ROOT)}/); time in axe {SPENT['axe']:.0f} s, "
        f"in screenshots {SPENT['screenshots']:.0f} s"
    )
