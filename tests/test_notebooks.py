"""Each page's notebook and script download: generated from the page, and run.

The site offers every page with runnable code as a Jupyter notebook and a
Python script (``relu_docs.notebooks``). Here each notebook is executed with
nbclient in an empty directory, and every cell's output is compared with the
output the page shows for that block, so the downloads are as verified as the
pages.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from relu_docs import notebooks

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
RUNNABLE = sorted(
    p
    for p in DOCS.rglob("*.md")
    if re.search(r"^```python\s*$", p.read_text(encoding="utf-8"), re.M)
)
MARKER = re.compile(r"<!--\s*render:\s*notebooks\.downloads\s+(\S+)\s*-->")


def ids(path: Path) -> str:
    return str(path.relative_to(DOCS))


@pytest.mark.parametrize("page", RUNNABLE, ids=ids)
def test_every_page_with_code_offers_its_downloads(page):
    found = MARKER.findall(page.read_text(encoding="utf-8"))
    assert found == [page.relative_to(DOCS).as_posix()], "the marker must name the page's own path"


@pytest.mark.parametrize("page", RUNNABLE, ids=ids)
def test_the_notebook_holds_the_pages_code(page):
    rel = page.relative_to(DOCS).as_posix()
    text = page.read_text(encoding="utf-8")
    nb = notebooks.notebook(text, rel)
    code = [c["source"] for c in nb["cells"] if c["cell_type"] == "code"]
    from pytest_codeblocks import extract_from_file

    runnable = [b for b in extract_from_file(page) if b.syntax == "python" and not b.marks]
    assert "\n".join(code).count("\n") >= sum(b.code.count("\n") for b in runnable) - len(runnable)
    md = "\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "<!-- render:" not in md and "<!-- claim:" not in md and "](../" not in md
    script = notebooks.script(text, rel)
    compile(script, rel, "exec")  # the script is valid Python


@pytest.mark.parametrize("page", RUNNABLE, ids=ids)
def test_the_notebook_runs_and_prints_what_the_page_shows(page, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    rel = page.relative_to(DOCS).as_posix()
    nb = nbformat.from_dict(notebooks.notebook(page.read_text(encoding="utf-8"), rel))
    nbformat.validate(nb)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    chain = ""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        out = "".join(
            o.get("text", "")
            for o in cell.outputs
            if o.get("output_type") == "stream" and o.get("name") == "stdout"
        )
        chain = (chain if cell.metadata["relu"]["continues"] else "") + out
        expected = cell.metadata["relu"]["expected_output"]
        if expected is not None:
            assert chain.strip() == expected.strip(), cell.source[:200]


def test_the_downloads_are_data_links_in_the_built_page(built_site):
    html = (built_site / "tutorial" / "neural-network" / "index.html").read_text(encoding="utf-8")
    link = re.search(
        r'<a download="relu-tutorial-neural-network.ipynb" '
        r'href="data:application/x-ipynb\+json;base64,([^"]+)"',
        html,
    )
    assert link
    nb = json.loads(base64.b64decode(link.group(1)))
    assert nb["nbformat"] == 4 and any(c["cell_type"] == "code" for c in nb["cells"])
    assert 'download="relu-tutorial-neural-network.py"' in html
