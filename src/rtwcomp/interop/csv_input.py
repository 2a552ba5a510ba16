"""Read CSV input: the one layer under every CSV reader of the product.

It reads a path or a binary file object incrementally (never the whole file at once),
decodes UTF-8 (a byte-order mark is dropped) and refuses, with an `InputError` naming the
file, the line and the column:

- a file larger than `Limits.max_bytes` (from its declared size before reading anything,
  else as soon as the bytes read pass the limit);
- more data rows than `Limits.max_rows` (reading stops at the first row over);
- text that is not UTF-8, and any NUL character;
- a cell longer than its column's `Column.max_length` (readers declare the lengths of the
  model fields the values go to), or than `Limits.max_cell` for other columns;
- a header that misses a required column or names one twice, and a row with more values
  than the header has names.

Values are never cut short: a value too long is refused, so nothing is stored silently
truncated. Readers add their own checks of the values, then raise every problem at once
(`raise_problems`); callers store nothing unless the whole file is accepted.
`read_table` reads back what `csv_output` wrote: the apostrophe put before a formula-like
text is taken off again.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, NoReturn, TypeVar

from rtwcomp.interop.csv_output import undefuse
from rtwcomp.interop.errors import InputError

T = TypeVar("T")

MB = 1_000_000
CHUNK_BYTES = 64 * 1024
DEFAULT_MAX_CELL = 10_000  # characters in a cell of a column without a declared length
MAX_PROBLEMS = 50  # problems listed before reading stops

# Line ends as csv (and open(newline="")) know them; str.splitlines knows more, which it
# may only be trusted with when none of the others occur.
_OTHER_LINE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")

Source = Path | BinaryIO


@dataclass(frozen=True)
class Limits:
    """What one kind of file may hold: bytes, data rows, characters in any cell."""

    max_bytes: int
    max_rows: int
    max_cell: int = DEFAULT_MAX_CELL


@dataclass(frozen=True)
class Column:
    """A column a reader knows: whether the header must name it, its longest value."""

    name: str
    required: bool = False
    max_length: int | None = None  # characters; None: Limits.max_cell


@dataclass(frozen=True)
class Row:
    """One data row: the line it starts on, its cells (padded to the header's width)."""

    line: int
    cells: list[str]


@dataclass(frozen=True)
class Record:
    """One data row as stripped values by column name."""

    line: int
    values: dict[str, str]


@dataclass
class Table:
    header: list[str]
    records: list[Record]
    problems: list[str] = field(default_factory=list)


def describe_size(size: int) -> str:
    """A byte count for people: '52 MB', '2.5 MB', '300 KB', '1.5 KB', '800 bytes'."""
    for unit, name in ((MB, "MB"), (1000, "KB")):
        if size >= 10 * unit:
            return f"{size / unit:.0f} {name}"
        if size >= unit:
            return f"{size / unit:.1f} {name}".replace(f".0 {name}", f" {name}")
    return f"{size} bytes"


def _too_large(name: str, size: int, limit: int, larger: bool = False) -> str:
    shown, allowed = describe_size(size), describe_size(limit)
    if shown == allowed and not larger:
        shown, allowed = f"{size:,} bytes", f"{limit:,} bytes"
    return f"{name} is {'larger than ' if larger else ''}{shown}; the limit is {allowed}"


_LINE_NUMBER = re.compile(r": line (\d+)")


def _line_number(problem: str) -> int:
    found = _LINE_NUMBER.search(problem)
    return int(found[1]) if found else 0


def accepted(rows: list[T], problems: list[str], name: str, what: str = "rows") -> list[T]:
    """`rows` when the file held some and had no problem; InputError otherwise."""
    if not rows and not problems:
        problems.append(f"{name}: no {what} after the header")
    raise_problems(problems)
    return rows


def raise_problems(problems: Sequence[str]) -> None:
    """Raise InputError when there is any problem: in line order, at most MAX_PROBLEMS."""
    if not problems:
        return
    listed = sorted(problems, key=_line_number)[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        listed.append(f"... and {len(problems) - MAX_PROBLEMS:,} more problems")
    raise InputError(listed)


def _strip(name: str) -> str:
    return name.strip()


class CsvReader:
    """The header and the data rows of one CSV file, read under `limits`.

    Use as a context manager (it closes a file it opened itself). Problems that stop the
    reading (size, rows, encoding, broken CSV) raise InputError at once; problems of
    single cells are collected in `problems` while the rows are read.
    """

    def __init__(
        self,
        source: Source,
        name: str,
        limits: Limits,
        *,
        columns: Sequence[Column] = (),
        size: int | None = None,
        key: Callable[[str], str] = _strip,
        allow_unnamed: bool = True,
        skip_initial_space: bool = False,
    ) -> None:
        self.name = name
        self.limits = limits
        self.columns = {c.name: c for c in columns}
        self.key = key
        self.allow_unnamed = allow_unnamed
        self.problems: list[str] = []
        self.header: list[str] = []
        self.rows_read = 0
        self._nul_seen = False
        self._newlines = 0
        self._pending: list[str] = []
        self._owned: BinaryIO | None = None
        self._limits_at: list[int] = []
        self._smallest_limit = limits.max_cell
        self._line = 0
        self._stream = self._open(source, size)
        self._reader = csv.reader(self._record_lines(), skipinitialspace=skip_initial_space)
        try:
            self._read_header()
        except BaseException:
            self.close()
            raise

    # --- the bytes ---------------------------------------------------------------------

    def _open(self, source: Source, size: int | None) -> BinaryIO:
        if isinstance(source, Path):
            try:
                size = source.stat().st_size if size is None else size
                self._check_declared_size(size)
                self._owned = source.open("rb")
            except FileNotFoundError:
                raise InputError([f"{self.name}: no such file"]) from None
            except IsADirectoryError:
                raise InputError([f"{self.name}: is a folder, not a file"]) from None
            except OSError as error:
                raise InputError([f"{self.name}: cannot read it ({error.strerror})"]) from None
            return self._owned
        if size is not None:
            self._check_declared_size(size)
        return source

    def _check_declared_size(self, size: int) -> None:
        if size > self.limits.max_bytes:
            raise InputError([_too_large(self.name, size, self.limits.max_bytes)])

    def _chunks(self) -> Iterator[bytes]:
        total = 0
        while True:
            try:
                chunk = self._stream.read(CHUNK_BYTES)
            except OSError as error:
                raise InputError([f"{self.name}: cannot read it ({error.strerror})"]) from None
            if not chunk:
                return
            total += len(chunk)
            if total > self.limits.max_bytes:
                limit = self.limits.max_bytes
                raise InputError([_too_large(self.name, limit, limit, larger=True)])
            yield chunk

    def _texts(self) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
        for chunk in self._chunks():
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line = self._newlines + chunk.count(b"\n", 0, max(0, error.start)) + 1
                raise InputError(
                    [
                        f"{self.name}: line {line}: not UTF-8 text ({error.reason}); "
                        "save it as CSV UTF-8"
                    ]
                ) from None
            self._newlines += text.count("\n")
            if "\x00" in text:
                self._nul_seen = True
            yield text
        try:
            tail = decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise InputError(
                [
                    f"{self.name}: line {self._newlines + 1}: not UTF-8 text ({error.reason}); "
                    "save it as CSV UTF-8"
                ]
            ) from None
        if tail:
            yield tail

    def _lines(self) -> Iterator[str]:
        """Physical lines with their ends, split where csv splits them."""
        rest = ""
        for text in self._texts():
            buffer = rest + text if rest else text
            if _OTHER_LINE_BREAKS.search(buffer):
                lines = _LINE.findall(buffer)
            else:
                lines = buffer.splitlines(keepends=True)
            if lines and (
                not lines[-1].endswith(("\n", "\r"))
                or lines[-1].endswith("\r")  # a "\n" may follow in the next chunk
            ):
                rest = lines.pop()
            else:
                rest = ""
            yield from lines
        if rest:
            yield rest

    def _record_lines(self) -> Iterator[str]:
        for line in self._lines():
            self._pending.append(line)
            yield line

    # --- the records ---------------------------------------------------------------------

    def _next_record(self) -> list[str] | None:
        """The next record, or None at the end; its start line is in self._line."""
        self._pending = []
        start = self._reader.line_num + 1
        try:
            record = next(self._reader)
        except StopIteration:
            return None
        except csv.Error as error:
            self._broken(start, error)
        self._line = start
        if self._nul_seen:
            self._check_nul(record, start)
        return record

    def _broken(self, start: int, error: csv.Error) -> NoReturn:
        if "field larger than field limit" in str(error):
            number = _long_field("".join(self._pending), csv.field_size_limit())
            raise InputError(
                [
                    *self.problems[: MAX_PROBLEMS - 1],
                    f"{self.name}: line {start}, column {self._column_name(number - 1)}: "
                    f"longer than {self._limit_at(number - 1):,} characters",
                ]
            )
        raise InputError([f"{self.name}: line {start}: not readable as CSV ({error})"])

    def _column_name(self, index: int) -> str:
        if 0 <= index < len(self.header) and self.header[index]:
            return f"'{self.header[index]}'"
        return str(index + 1)

    def _limit_at(self, index: int) -> int:
        return self._limits_at[index] if index < len(self._limits_at) else self.limits.max_cell

    def _check_nul(self, record: list[str], line: int) -> None:
        for index, cell in enumerate(record):
            if "\x00" in cell:
                where = f"column {self._column_name(index)}" if self.header else "the header"
                self._problem(f"{self.name}: line {line}, {where}: holds a NUL character")

    def _problem(self, message: str) -> None:
        self.problems.append(message)
        if len(self.problems) >= MAX_PROBLEMS:
            raise InputError(
                [
                    *self.problems,
                    f"{self.name}: reading stopped at line {self._line}; "
                    "correct these problems first",
                ]
            )

    def _read_header(self) -> None:
        record: list[str] | None = []
        while record is not None and not record:
            record = self._next_record()
        if record is None or not any(cell.strip() for cell in record):
            raise InputError([f"{self.name}: line 1: the file is empty; expected a header row"])
        self.header = [self.key(cell) for cell in record]
        where = f"{self.name}: line {self._line}"
        problems = [*self._label_problems(where), *self._column_problems(where)]
        if problems or self.problems:
            raise_problems([*self.problems, *problems])
        self._limits_at = [
            (self.columns[label].max_length or self.limits.max_cell)
            if label in self.columns
            else self.limits.max_cell
            for label in self.header
        ]
        self._smallest_limit = min([*self._limits_at, self.limits.max_cell])

    def _label_problems(self, where: str) -> list[str]:
        """Column names too long, or missing where every column needs one."""
        problems = []
        for index, label in enumerate(self.header, start=1):
            if len(label) > self.limits.max_cell:
                problems.append(
                    f"{where}, column {index}: a column name longer than "
                    f"{self.limits.max_cell:,} characters"
                )
            elif not label and not self.allow_unnamed:
                problems.append(f"{where}, column {index}: the column has no name")
        return problems

    def _column_problems(self, where: str) -> list[str]:
        """Required columns missing, and columns named twice."""
        problems = [
            f"{where}: required column '{column.name}' is missing"
            for column in self.columns.values()
            if column.required and column.name not in self.header
        ]
        first: dict[str, int] = {}
        for position, label in enumerate(self.header, start=1):
            if label and label in first:
                problems.append(
                    f"{where}: column '{label}' appears more than once "
                    f"(columns {first[label]} and {position})"
                )
            first.setdefault(label, position)
        return problems

    def rows(self) -> Iterator[Row]:
        """The data rows; rows with no value at all are skipped."""
        width = len(self.header)
        while True:
            record = self._next_record()
            if record is None:
                return
            if not record or not any(cell.strip() for cell in record):
                continue
            self.rows_read += 1
            if self.rows_read > self.limits.max_rows:
                raise InputError(
                    [
                        f"{self.name}: more than {self.limits.max_rows:,} rows; the limit is "
                        f"{self.limits.max_rows:,}"
                    ]
                )
            if len(record) > width:
                if any(cell.strip() for cell in record[width:]):
                    self._problem(
                        f"{self.name}: line {self._line}: more values than columns in the header"
                    )
                del record[width:]
            elif len(record) < width:
                record.extend([""] * (width - len(record)))
            if max(map(len, record)) > self._smallest_limit:
                self._check_lengths(record)
            yield Row(self._line, record)

    def _check_lengths(self, record: list[str]) -> None:
        for index, cell in enumerate(record):
            limit = self._limits_at[index]
            if len(cell) > limit and len(cell.strip()) > limit:
                self._problem(
                    f"{self.name}: line {self._line}, column {self._column_name(index)}: "
                    f"longer than {limit:,} characters"
                )

    # --- context manager -----------------------------------------------------------------

    def close(self) -> None:
        if self._owned is not None:
            self._owned.close()
            self._owned = None

    def __enter__(self) -> CsvReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def read_table(
    source: Source,
    name: str,
    columns: Sequence[Column],
    limits: Limits,
    *,
    size: int | None = None,
    key: Callable[[str], str] = _strip,
) -> Table:
    """Every data row as stripped values by column name (unnamed columns left out); a
    value the product's CSV writer defused (`'=...`) reads back as it was written.

    Problems of single cells are in `Table.problems`, for the reader to add its own to
    and raise together; problems that stop the reading raise InputError.
    """
    reader = CsvReader(source, name, limits, columns=columns, size=size, key=key)
    with reader:
        named = [(i, label) for i, label in enumerate(reader.header) if label]
        records = [
            Record(row.line, {label: undefuse(row.cells[i]).strip() for i, label in named})
            for row in reader.rows()
        ]
    return Table(header=reader.header, records=records, problems=reader.problems)


def text_source(text: str) -> BinaryIO:
    """Text already in memory, as the binary stream the readers take."""
    return io.BytesIO(text.encode("utf-8", "surrogatepass"))


def _long_field(text: str, limit: int) -> int:
    """The 1-based number of the first field longer than `limit` characters in `text`, the
    start of a CSV record (else of its last field)."""
    number, i, end = 1, 0, len(text)
    while i < end:
        start = i
        if text[i] == '"':
            i += 1
            while True:
                j = text.find('"', i)
                if j < 0:
                    return number
                if text.startswith('"', j + 1):
                    i = j + 2
                    continue
                i = j + 1
                break
        j = text.find(",", i)
        if j < 0 or j - start > limit:
            return number
        number, i = number + 1, j + 1
    return number
