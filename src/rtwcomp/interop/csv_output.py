"""Write CSV: the one writer of every CSV file the product makes (web, command line, API,
analysis outputs).

Spreadsheet programs run a cell whose text starts with `=`, `+`, `-` or `@` as a formula,
and some skip a leading tab or carriage return first. Every text cell that starts so gets
a leading apostrophe (`'=HYPERLINK(...)`), which keeps it text. Numbers are written as
numbers, and a negative number held as text the way Python writes one (`-0.5`, `-3`,
`-1e-05`) stays as it is; a leading `+` is always defused (`'+1`), as no number is written
so. A text that already starts with apostrophes before such a character gets one more, so
`undefuse` gives back exactly what was written. Files are UTF-8 with "\n" line ends; a
byte-order mark only when asked for (`bom=True`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DEFUSER = "'"
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def is_plain_number(text: str) -> bool:
    """'-0.5', '3', '-1e-05': a number as Python writes it, never read as a formula."""
    return _NUMBER.fullmatch(text) is not None


def _formula_like(text: str) -> bool:
    return text.startswith(FORMULA_START) and not is_plain_number(text)


def needs_defusing(text: str) -> bool:
    """Whether `defuse` puts an apostrophe before this text."""
    return _formula_like(text.lstrip(DEFUSER))


def defuse(value: object) -> object:
    """The value to write: formula-like text behind an apostrophe, anything else as is."""
    if isinstance(value, str) and needs_defusing(value):
        return DEFUSER + value
    return value


def undefuse(text: str) -> str:
    """What was defused, as it was: the inverse of `defuse` on text read back."""
    if text.startswith(DEFUSER) and needs_defusing(text[1:]):
        return text[1:]
    return text


# Python's csv quotes a cell holding a character of the line terminator, but not a lone
# "\r" when the terminator is "\n": such a cell would break its row in two. So rows are
# written ending in "\r\n" (every cell holding "\r" or "\n" gets quoted), then the
# record ends outside quotes become "\n".
_QUOTED_OR_RECORD_END = re.compile(r'("(?:[^"]|"")*")|\r\n')


def _record_ends(text: str) -> str:
    return _QUOTED_OR_RECORD_END.sub(lambda m: m[1] or "\n", text)


def write_rows(
    out: TextIO, header: Sequence[object] | None, rows: Iterable[Sequence[object]]
) -> None:
    """A header (None: none) and rows, every cell defused."""
    out.write(rows_to_text(header, rows))


def write_dicts(
    out: TextIO, fieldnames: Sequence[str], rows: Iterable[Mapping[str, object]]
) -> None:
    """Rows as mappings, in the order of `fieldnames` (missing keys: empty cells)."""
    write_rows(out, fieldnames, ([row.get(name, "") for name in fieldnames] for row in rows))


def rows_to_text(
    header: Sequence[object] | None, rows: Iterable[Sequence[object]], *, defused: bool = True
) -> str:
    """The CSV text; `defused=False` only for text read back by the product itself."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    cell = defuse if defused else _same
    if header is not None:
        writer.writerow([cell(c) for c in header])
    writer.writerows([cell(c) for c in row] for row in rows)
    return _record_ends(out.getvalue())


def _same(value: object) -> object:
    return value


def dicts_to_text(fieldnames: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    out = io.StringIO()
    write_dicts(out, fieldnames, rows)
    return out.getvalue()


def write_text(text: str, path: Path, *, bom: bool = False) -> None:
    """Text made by `rows_to_text` or `dicts_to_text`, into a file."""
    path.write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")


def defuse_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a pandas DataFrame with every text cell, column name and index label
    defused; numeric columns are left alone."""
    import pandas as pd

    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if not (
            pd.api.types.is_numeric_dtype(column.dtype)
            or pd.api.types.is_datetime64_any_dtype(column.dtype)
        ):
            out.isetitem(position, column.astype(object).map(defuse).to_numpy(dtype=object))
    out.columns = pd.Index([defuse(name) for name in out.columns])
    if not pd.api.types.is_numeric_dtype(out.index.dtype):
        out.index = pd.Index([defuse(label) for label in out.index], name=defuse(out.index.name))
    return out


def write_frame(
    frame: pd.DataFrame,
    path: Path,
    *,
    index: bool = False,
    index_label: str | None = None,
    bom: bool = False,
) -> None:
    """A pandas DataFrame as CSV, defused; numbers as pandas writes them."""
    label = None if index_label is None else str(defuse(index_label))
    text = defuse_frame(frame).to_csv(None, index=index, index_label=label, lineterminator="\r\n")
    write_text(_record_ends(text), path, bom=bom)


_PHP_QUOTED = re.compile(r'[,"\s\\]')


def php_rows_to_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    """CSV quoted as PHP's `fputcsv` quotes it (Moodle's and LimeSurvey's exporters): a cell
    holding a comma, quote, backslash or any white space is quoted; cells are defused."""

    def cell(value: object) -> str:
        text = "" if value is None else str(defuse(value))
        return '"' + text.replace('"', '""') + '"' if _PHP_QUOTED.search(text) else text

    lines = [header, *rows]
    return "".join(",".join(cell(c) for c in line) + "\n" for line in lines)
