"""The report in a real browser: Playwright for Python driving the system Chromium from file://.

No browser is downloaded (never `playwright install`): `executable_path` points at Debian's
chromium, which `make setup` installs. Skipped, with the reason, only where it truly is absent.
"""

from __future__ import annotations

import pytest

from tests.conftest import HOSTILE_NAME, chromium_or_skip

pytestmark = pytest.mark.slow
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL = ("file:", "blob:", "data:")


@pytest.fixture(scope="module")
def browser():
    path = chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is installed by `make setup`")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=ARGS)
        yield b
        b.close()


class Watched:
    """A page that records console errors, page errors, dialogs and every request."""

    def __init__(self, browser) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, path):
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def assert_clean(self):
        assert self.errors == [], self.errors
        assert [u for u in self.requests if not u.startswith(LOCAL)] == [], "network request outside file://"
        assert self.dialogs == [], "a script from the inventory ran"


def findings_table(page):
    table = page.locator("table.dataTable", has=page.locator("th", has_text="remediation")).first
    table.locator("tbody tr").first.wait_for()
    return table


def column(table, name):
    heads = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    i = heads.index(name) + 1
    return table.locator(f"tbody tr td:nth-child({i})").all_inner_texts()


def sort_by(table, name):
    """Click a header (anywhere on it) and return the order DataTables then reports."""
    header = table.locator("thead th", has_text=name).first
    before = header.get_attribute("aria-sort")
    header.click()
    for _ in range(40):  # DataTables redraws asynchronously
        state = header.get_attribute("aria-sort")
        if state != before:
            return state
        table.page.wait_for_timeout(50)
    return header.get_attribute("aria-sort")


def test_sample_index_and_a_concern_page(browser, sample_report, tmp_path):
    out = sample_report[0].out
    for name in ("index.html", "inventory.html", "audit_summary.html"):
        w = Watched(browser)
        page = w.open(out / name)
        page.wait_for_selector(".js-plotly-plot .main-svg")
        assert page.locator(".js-plotly-plot svg.main-svg").count() >= 2, f"{name}: plotly charts rendered"
        assert page.locator(".js-plotly-plot .bars path, .js-plotly-plot .slice path").count() > 0, name
        assert page.locator("table.dataTable").count() >= 1, f"{name}: interactive tables initialised"
        if name != "inventory.html":
            table = findings_table(page)
            assert sort_by(table, "check_id") == "ascending"
            assert sort_by(table, "check_id") == "descending"
        page.screenshot(path=str(tmp_path / name.replace(".html", ".png")), full_page=True)
        assert (tmp_path / name.replace(".html", ".png")).stat().st_size > 10_000
        w.assert_clean()
        page.close()


def test_findings_table_sorts_and_filters(browser, hostile_report, tmp_path):
    w = Watched(browser)
    page = w.open(hostile_report.out / "audit_summary.html")
    table = findings_table(page)
    systems = column(table, "system")
    assert len(set(systems)) >= 2, "the hostile bundle yields findings on several systems"
    assert sort_by(table, "system") == "ascending"
    shown = column(table, "system")  # the first page: more rows may follow
    assert (shown == sorted(shown) and shown != systems) or systems == sorted(systems)
    assert sort_by(table, "system") == "descending"
    shown = column(table, "system")
    assert shown == sorted(shown, reverse=True) and len(set(shown)) >= 1
    container = page.locator("div.dt-container").filter(has=page.locator("th", has_text="remediation")).first
    search = container.locator("div.dt-search input")
    search.fill("IBMI-7")
    page.wait_for_timeout(300)
    assert set(column(table, "system")) == {"IBMI-7"}, "filtered by the search box"
    page.screenshot(path=str(tmp_path / "hostile_summary.png"), full_page=True)
    w.assert_clean()


def test_inventory_strings_render_as_text(browser, hostile_report):
    w = Watched(browser)
    page = w.open(hostile_report.out / "inventory.html")
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_timeout(300)
    assert HOSTILE_NAME in page.locator("body").inner_text(), "the name is shown, as text"
    w.assert_clean()
    index = Watched(browser)
    index.open(hostile_report.out / "index.html")
    index.assert_clean()
