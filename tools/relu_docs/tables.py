"""Small helpers shared by the renderers."""

from __future__ import annotations


def markdown_table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A Markdown pipe table. ``align`` is one character per column: l, c or r.

    A ``|`` inside a cell (``(|x| + x) / 2``) is escaped so it cannot end the cell.
    """
    align = align or "l" * len(header)
    rule = {"l": ":--", "c": ":-:", "r": "--:"}
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(rule[a] for a in align) + " |",
    ]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def duration(ns: float) -> str:
    """`relu.bench.format_time`, with the micro sign the pages use (the CLI prints ``us``)."""
    from relu.bench import format_time

    return format_time(ns).replace(" us", " µs")


def size_text(nbytes: int) -> str:
    """``"32 MiB"``, ``"512 KiB"``, or ``"1,000 bytes"`` when not a whole number of either."""
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if nbytes >= scale and nbytes % scale == 0:
            return f"{nbytes // scale} {unit}"
    return f"{nbytes:,} bytes"
