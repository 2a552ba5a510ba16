"""Read the report's HTML back into tables, so tests compare numbers, not markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Row:
    attrs: dict[str, str | None]
    cells: list[str] = field(default_factory=list)
    spans: list[int] = field(default_factory=list)


@dataclass
class Table:
    id: str
    caption: str = ""
    rows: list[Row] = field(default_factory=list)

    def row(self, first_cell: str) -> Row:
        """The body row whose first header cell (th scope=row) or first cell is `first_cell`."""
        found = [r for r in self.rows if first_cell in r.cells[:2]]
        assert found, f"no row '{first_cell}' in table {self.id}"
        return found[0]


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.stack: list[Table] = []
        self.cell: list[str] | None = None
        self.in_caption = False
        self.in_svg = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            table = Table(dict(attrs).get("id") or f"table{len(self.tables)}")
            self.tables.append(table)
            self.stack.append(table)
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr" and self.stack:
            self.stack[-1].rows.append(Row(dict(attrs)))
        elif tag in ("td", "th") and self.stack:
            self.cell = []
            self.stack[-1].rows[-1].spans.append(int(dict(attrs).get("colspan") or 1))

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.stack:
            self.stack.pop()
        elif tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th") and self.cell is not None and self.stack:
            self.stack[-1].rows[-1].cells.append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.in_caption and self.stack:
            self.stack[-1].caption += data


def tables(html: str) -> dict[str, Table]:
    parser = _Tables()
    parser.feed(html)
    return {t.id: t for t in parser.tables}
