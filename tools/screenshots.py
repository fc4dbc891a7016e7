"""Screenshot built pages at phone and desktop widths, light and dark.

    python tools/screenshots.py site out/ [page ...]

Serves ``site`` on 127.0.0.1 and writes ``out/<page>-<width>-<scheme>.png``
(full page) with Debian's Chromium, for reading the site as a visitor would.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

# Headless Chromium on a closed network (the browser tests use the same list).
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


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(site: str, out: str, pages: list[str]) -> None:
    handler = functools.partial(Quiet, directory=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        for scheme in ("light", "dark"):
            for width in (1280, 390):
                # A fresh browser per combination: reusing one, later full-page
                # screenshots stopped at the viewport's height.
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                ctx = browser.new_context(
                    color_scheme=scheme, viewport={"width": width, "height": 900}
                )
                ctx.route(
                    "**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort()
                )
                for page_path in pages:
                    page = ctx.new_page()
                    page.goto(base + page_path, wait_until="networkidle")
                    page.wait_for_timeout(300)  # let the site's script mark scrolling tables
                    name = page_path.strip("/").replace("/", "_") or "index"
                    page.screenshot(path=f"{out}/{name}-{width}-{scheme}.png", full_page=True)
                    page.close()
                browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:] or [""])
