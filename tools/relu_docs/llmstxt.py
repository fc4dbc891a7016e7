"""mkdocs-llmstxt's ``preprocess`` hook: what the Markdown for assistants leaves out.

The downloads (``data:`` links holding a whole notebook) and the figures'
SVG are for browsers; the figures keep their description as text. A ``|``
inside a table cell (``(|x| + x) / 2``) is escaped, or the Markdown table
would end the cell there.
"""


def preprocess(soup, output: str) -> None:
    for node in soup.select("p.relu-downloads"):
        node.decompose()
    for figure in soup.select("figure.relu-figure"):
        label = figure.get("data-alt", "")
        figure.replace_with(soup.new_string(f"[Figure: {label}]" if label else ""))
    for cell in soup.select("td, th"):
        for text in cell.find_all(string=lambda s: "|" in s):
            text.replace_with(text.replace("|", "\\|"))
