"""Words a reader reads on each built page: the text inside ``<article>``
without ``<svg>``, ``<script>``, ``<style>`` and ``<pre>``, split on whitespace.

The site's length budget (tests/test_budgets.py) counts with this function.
Run it on a built site: ``python tools/relu_docs/wordcount.py site``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bs4 import BeautifulSoup


def words(html: str) -> int:
    article = BeautifulSoup(html, "html.parser").find("article")
    if article is None:
        return 0
    for tag in article.find_all(["svg", "script", "style", "pre"]):
        tag.decompose()
    return len(article.get_text(" ").split())


def pages(site: Path) -> dict[str, int]:
    """Words per built page, keyed by the page's path (``guide/choosing/``)."""
    found = {}
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        if rel.startswith(("assets", "search")) or rel == "404":
            continue
        found[(rel + "/") if rel != "." else ""] = words(path.read_text(encoding="utf-8"))
    return found


if __name__ == "__main__":
    counts = pages(Path(sys.argv[1] if len(sys.argv) > 1 else "site"))
    for name, n in counts.items():
        print(f"{n:6d}  {name or '(home)'}")
    print(
        f"{sum(n for k, n in counts.items() if not k.startswith('reference')):6d}  all but the API"
    )
