"""The built site in a real browser: headless Chromium driven by Playwright.

The site from the ``built_site`` fixture (``mkdocs build --strict``) is served
on 127.0.0.1 and every page in the navigation is opened once per colour scheme
and width (light and dark, 1280 and 390 px), with axe-core's accessibility
rules run in each load; the light desktop load also records the page. The checks:
no console errors or uncaught exceptions, no failed requests, nothing loaded
from another host except the repository facts Material asks GitHub for; every
internal link and ``#anchor`` resolves; every image decodes; every code block
has a working copy button; search finds "leaky"; the palette toggle switches
between light and dark.

Chromium is not downloaded: the tests use the system's (``RELU_CHROMIUM``, or
``chromium``, ``chromium-browser``, ``google-chrome`` on ``PATH``; ``.ci/run``
installs Debian's). Without one they skip, except when ``CI`` is set, where a
missing browser is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from screenshots import CHROMIUM_ARGS  # tools/screenshots.py: one list of flags

ROOT = Path(__file__).resolve().parents[1]
CANDIDATES = ["chromium", "chromium-browser", "google-chrome"]
# Material's header fetches the repository's stars and latest release from
# GitHub's API for ``repo_url``; offline that fails and the header simply shows
# no numbers. Everything else must come from the site itself.
ALLOWED_EXTERNAL_HOSTS = {"api.github.com"}
COPY_BUTTON = '.md-clipboard, .md-code__button[data-md-type="copy"]'
TIMEOUT_MS = 15_000


def unavailable(reason: str):
    """Skip, or fail when ``CI`` is set: CI installs Chromium, so it must run there."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)")
    pytest.skip(reason)


def find_chromium() -> str | None:
    explicit = os.environ.get("RELU_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def nav_pages() -> list[str]:
    """Site-relative URLs of every page in mkdocs.yml's nav, e.g. ``guide/correctness/``."""
    import yaml  # PyYAML comes with MkDocs, which these tests need anyway

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, str) and node.endswith(".md") and "://" not in node:
            path = node[: -len(".md")]
            if path == "index":
                found.append("")
            elif path.endswith("/index"):
                found.append(path[: -len("index")])
            else:
                found.append(path + "/")

    walk(config["nav"])
    return found


class Anchors(HTMLParser):
    """Collect every ``id`` and ``<a name>`` of an HTML document."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if value and (key == "id" or (key == "name" and tag == "a")):
                self.ids.add(value)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep pytest's output clean
        pass


@pytest.fixture(scope="module")
def base_url(browser, request):
    # Look for Chromium first, so that a machine without one skips at once
    # instead of building the site for nothing (a session fixture listed as an
    # argument would be set up before the module-scoped ``browser``).
    built_site = request.getfixturevalue("built_site")
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    executable = find_chromium()
    if executable is None:
        unavailable(
            "Chromium not found: set RELU_CHROMIUM or install chromium (Debian: apt-get install "
            "chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (make test installs it)")
    # launch() gives the browser a fresh temporary profile and deletes it on close.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """What one page did while it loaded."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    code_blocks: int = 0
    without_copy_button: int = 0


def new_context(browser, base_url, scheme: str = "light", width: int = 1280):
    """A context (light and 1280 px wide unless told) whose requests to other hosts are
    recorded and refused."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.external = []

    def route(route):
        if route.request.url.startswith(base_url) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            context.external.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    return context


def visit(page, context, base_url: str, path: str) -> Visit:
    """Record what ``page`` did while it loaded ``path``; the caller opened and closes it."""
    record = Visit(base_url + path)
    start = len(context.external)

    def on_console(message):
        if message.type == "error":
            source = message.location.get("url", "")
            if source.startswith(base_url) or not source:
                record.console_errors.append(f"{message.text} ({source})")
            # Errors for refused external requests are checked via ``external``.

    page.on("console", on_console)
    page.on("pageerror", lambda error: record.page_errors.append(str(error)))
    page.on(
        "requestfailed",
        lambda request: (
            request.url.startswith(base_url)
            and record.failed.append(f"{request.url}: {request.failure}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.url.startswith(base_url)
            and response.status >= 400
            and record.failed.append(f"{response.url}: HTTP {response.status}")
        ),
    )
    response = page.goto(record.url, wait_until="load")
    assert response is not None and response.status == 200, record.url
    page.wait_for_load_state("networkidle")
    # Material's code annotations are buttons styled as links: their href names
    # no element, a click handler opens the annotation. Everything else is a link.
    record.links = page.eval_on_selector_all(
        "a[href]:not(.md-annotation__index)", "as => as.map(a => a.href)"
    )
    record.code_blocks = page.locator("pre > code").count()
    # Code and commands have a visible copy button; formulas and expected output
    # (```text blocks) have none.
    record.without_copy_button = page.evaluate(
        """(sel) => [...document.querySelectorAll('pre > code')].filter(code => {
                   const text = code.closest('.language-text') !== null;
                   const button = code.parentElement.querySelector(sel);
                   const shown = button !== null
                       && getComputedStyle(button.closest('nav') || button).display !== 'none';
                   return text ? shown : !shown;
               }).length""",
        COPY_BUTTON,
    )
    # Load lazy images now, then ask the browser whether each one decoded.
    record.broken_images = page.evaluate(
        """async () => {
            const images = [...document.images];
            await Promise.all(images.map(img => {
                img.loading = 'eager';
                return img.decode().catch(() => null);
            }));
            return images.filter(img => !(img.complete && img.naturalWidth > 0)).map(img =>
            img.src);
        }"""
    )
    record.external = context.external[start:]
    return record


AXE_RUN = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .map(v => `${v.id} (${v.nodes.length}): ${v.nodes[0].target.join(' ')}`)"""
# relu.js labels the theme's widgets just after Material's document$ fires: wait for it.
LABELLED = "() => !document.querySelector('.md-search[role=dialog]:not([aria-label])')"
VIEWS = [(scheme, width) for scheme in ("light", "dark") for width in (1280, 390)]


@dataclass
class Passes:
    """One load of every page per colour scheme and width: the light desktop pass
    records each page's visit, every pass runs axe-core (None: axe-core not found)."""

    visits: list[Visit]
    axe: dict[tuple[str, int], dict[str, list[str]]] | None


@pytest.fixture(scope="module")
def passes(browser, base_url) -> Passes:
    """Every page opened once in each view, the light desktop view recorded as a visit."""
    axe = find_axe()
    source = axe.read_text(encoding="utf-8") if axe else None
    visits: list[Visit] = []
    found: dict[tuple[str, int], dict[str, list[str]]] = {view: {} for view in VIEWS}
    for scheme, width in VIEWS:
        context = new_context(browser, base_url, scheme, width)
        try:
            for path in nav_pages():
                page = context.new_page()
                if (scheme, width) == VIEWS[0]:
                    visits.append(visit(page, context, base_url, path))
                else:
                    response = page.goto(base_url + path, wait_until="load")
                    assert response is not None and response.status == 200, path
                expected = "slate" if scheme == "dark" else "default"
                assert (
                    page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
                )
                if source is not None:
                    page.wait_for_function(LABELLED)
                    page.add_script_tag(content=source)
                    violations = page.evaluate(AXE_RUN)
                    if violations:
                        found[scheme, width][path or "/"] = violations
                page.close()
        finally:
            context.close()
    return Passes(visits, found if source is not None else None)


@pytest.fixture(scope="module")
def visits(passes) -> list[Visit]:
    return passes.visits


@pytest.fixture
def context(browser, base_url):
    """A fresh browser context for one test, closed afterwards."""
    ctx = new_context(browser, base_url)
    yield ctx
    ctx.close()


def test_nav_lists_the_pages():
    pages = nav_pages()
    assert "" in pages and "guide/correctness/" in pages and len(pages) == len(set(pages))


def test_every_page_loads_without_console_errors(visits):
    problems = {
        v.url: v.console_errors + v.page_errors for v in visits if v.console_errors or v.page_errors
    }
    assert not problems


def test_no_request_to_the_site_fails(visits):
    problems = {v.url: v.failed for v in visits if v.failed}
    assert not problems


def test_nothing_is_loaded_from_other_hosts(visits):
    hosts = {urlsplit(url).hostname for v in visits for url in v.external}
    assert hosts <= ALLOWED_EXTERNAL_HOSTS, (
        f"the site depends on {sorted(hosts - ALLOWED_EXTERNAL_HOSTS)}"
    )


def test_every_image_decodes(visits):
    assert not {v.url: v.broken_images for v in visits if v.broken_images}


def test_code_has_a_copy_button_and_text_blocks_have_none(visits):
    assert sum(v.code_blocks for v in visits) > 0
    assert not {v.url: v.without_copy_button for v in visits if v.without_copy_button}


def test_internal_links_and_anchors_resolve(visits, base_url):
    targets: dict[str, set[str]] = {}
    for v in visits:
        for href in v.links:
            if href.startswith(base_url):
                url, fragment = urldefrag(href)
                targets.setdefault(url, set()).add(unquote(fragment))
    assert len(targets) >= len(visits)  # at least the nav's own links
    broken = []
    for url, fragments in sorted(targets.items()):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                status = response.status
                body = response.read()
                kind = response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            broken.append(f"{url}: HTTP {error.code}")
            continue
        if status != 200:
            broken.append(f"{url}: HTTP {status}")
            continue
        fragments.discard("")
        if fragments and kind == "text/html":
            parser = Anchors()
            parser.feed(body.decode("utf-8"))
            broken += [f"{url}#{f}: no such anchor" for f in sorted(fragments - parser.ids)]
    assert not broken


def test_copy_button_copies_the_code(context, base_url):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = context.new_page()
    page.goto(base_url + "guide/correctness/")
    block = page.locator("div.highlight").first
    block.hover()
    block.locator(COPY_BUTTON).first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    code = block.locator("code").first.inner_text()
    assert copied.strip() == code.strip() and "import numpy as np" in copied


def test_search_finds_leaky(context, base_url):
    page = context.new_page()
    page.goto(base_url)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("leaky", delay=20)  # Material searches on key events
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible")
    assert results.count() >= 1
    highlighted = page.locator(".md-search-result mark").all_inner_texts()
    assert any("leaky" in text.lower() for text in highlighted)


def test_palette_toggle_switches_dark_mode(context, base_url):
    page = context.new_page()
    page.goto(base_url + "guide/correctness/")

    def scheme():
        return page.evaluate("document.body.getAttribute('data-md-color-scheme')")

    toggle = page.locator("form[data-md-component='palette'] label:visible")
    assert scheme() == "default"
    toggle.first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    assert scheme() == "slate"
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")
    assert scheme() == "default"


def find_axe() -> Path | None:
    """axe-core's script, installed from npm by the test set-up (``make test``)."""
    explicit = os.environ.get("RELU_AXE")
    candidates = [Path(explicit)] if explicit else []
    candidates += [
        ROOT / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js",
        ROOT / "node_modules" / "axe-core" / "axe.min.js",
    ]
    return next((p for p in candidates if p.is_file()), None)


@pytest.mark.parametrize(("scheme", "width"), VIEWS)
def test_axe_finds_no_violation_on_any_page(passes, scheme, width):
    """axe-core's WCAG rules on every page, in both colour schemes, on a desktop and a phone."""
    if passes.axe is None:
        unavailable(
            "axe-core not found: make test installs it with npm (or set RELU_AXE to axe.min.js)"
        )
    assert not passes.axe[scheme, width], passes.axe[scheme, width]


@pytest.mark.parametrize("path", ["guide/correctness/", "benchmarks/results/", "guide/variants/"])
def test_nothing_is_cut_off_on_a_phone(browser, base_url, path):
    """At 390 px the page does not scroll sideways; wide tables scroll inside their own region."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort()
    )
    try:
        page = context.new_page()
        page.goto(base_url + path, wait_until="networkidle")
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= 390, f"the page is {page_width} px wide"
        tables = page.evaluate(
            """() => [...document.querySelectorAll('.md-content table')].map(t => {
                   const region = t.closest('.relu-table');
                   return {inRegion: !!region, focusable: region ? region.tabIndex === 0 : false,
                           fits: t.getBoundingClientRect().width <= (region ||
                           t.parentElement).clientWidth + 1,
                           scrolls: region ? region.scrollWidth > region.clientWidth : false};
               })"""
        )
        assert tables and all(t["inRegion"] and t["focusable"] for t in tables)
        assert all(t["fits"] or t["scrolls"] for t in tables)
    finally:
        context.close()


def test_figures_follow_the_colour_scheme(browser, base_url):
    """The same inline SVG is drawn in dark text on light, and light text on dark."""
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort()
        )
        page = context.new_page()
        page.goto(base_url, wait_until="networkidle")
        colours[scheme] = page.evaluate(
            """() => { const t = document.querySelector('figure.relu-figure svg text');
                       return getComputedStyle(t).fill; }"""
        )
        context.close()

    def brightness(rgb):
        return sum(int(v) for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])

    assert brightness(colours["light"]) < 200 < 500 < brightness(colours["dark"]), colours
