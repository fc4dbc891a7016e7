"""MkDocs hook: fill ``<!-- render: module.function args -->`` markers at build time.

Tables and figures on the site are computed while the site builds, from the
package itself or from result files committed under ``docs/``; nothing
numeric is typed into a page. A marker names a function in one of the
modules next to this file; the function receives a :class:`Context` and the
marker's arguments and returns Markdown. Figures are added to the build as
generated SVG files, so ``mkdocs build --strict`` checks every link to them.
"""

from __future__ import annotations

import importlib
import io
import posixpath
import re
import shlex
import sys
from pathlib import Path

from mkdocs.structure.files import File

HERE = Path(__file__).resolve().parent

MARKER = re.compile(r"^([ \t]*)<!--\s*render:\s*([\w.]+)(.*?)-->", re.MULTILINE)


class Context:
    """What a renderer may use: the page, the docs directory, a figure sink."""

    def __init__(self, page, config, files):
        self.page = page
        self.config = config
        self.files = files
        self.docs_dir = Path(config["docs_dir"])

    def figure(self, fig, name: str, alt: str) -> str:
        """Add a matplotlib figure to the build; return Markdown that shows it."""
        import matplotlib.pyplot as plt

        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
        plt.close(fig)
        uri = f"figures/{name}.svg"
        old = self.files.get_file_from_path(uri)
        if old is not None:  # mkdocs serve rebuilds with the same Files
            self.files.remove(old)
        self.files.append(File.generated(self.config, uri, content=buf.getvalue()))
        rel = posixpath.relpath(uri, posixpath.dirname(self.page.file.src_uri) or ".")
        return f"![{alt}]({rel}){{ loading=lazy }}"


def on_config(config):
    # MkDocs restores sys.path after loading a hook, so add the renderers' folder here.
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "relu-docs"
    return config


def on_page_markdown(markdown, page, config, files):
    def render(match: re.Match) -> str:
        indent = match.group(1)
        module_name, _, func_name = match.group(2).rpartition(".")
        module = importlib.import_module(module_name)
        args = shlex.split(match.group(3))
        text = getattr(module, func_name)(Context(page, config, files), *args)
        # Inside a tab or admonition every line needs the marker's indentation.
        return "\n".join(indent + line if line else line for line in text.splitlines())

    return MARKER.sub(render, markdown)
