"""The one CSV reading layer: limits, encoding, NUL, cell lengths, header, line numbers."""

from __future__ import annotations

import io

import pytest

from rtwcomp.interop import csv_input
from rtwcomp.interop.csv_input import (
    MB,
    Column,
    CsvReader,
    Limits,
    describe_size,
    raise_problems,
    read_table,
    text_source,
)
from rtwcomp.interop.errors import InputError

LIMITS = Limits(max_bytes=MB, max_rows=100, max_cell=50)
COLUMNS = (Column("code", required=True, max_length=5), Column("text"))


def problems(data: bytes | str, limits: Limits = LIMITS, **options) -> list[str]:
    source = io.BytesIO(data.encode() if isinstance(data, str) else data)
    with pytest.raises(InputError) as caught:
        table = read_table(source, "f.csv", COLUMNS, limits, **options)
        raise_problems(table.problems)
    return caught.value.problems


class Endless(io.RawIOBase):
    """A stream that never ends, counting what was read from it."""

    def __init__(self, line: bytes) -> None:
        self.line, self.given = line, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size = len(buffer)
        data = (self.line * (size // len(self.line) + 1))[:size]
        buffer[:size] = data
        self.given += size
        return size


def test_reads_rows_with_their_first_line():
    table = read_table(
        text_source('\ufeffcode , text\r\nA1,"two\r\nlines"\r\n\r\n  B2 ,x\rC3,y'),
        "f.csv",
        COLUMNS,
        LIMITS,
    )
    assert table.header == ["code", "text"]
    assert [(r.line, r.values) for r in table.records] == [
        (2, {"code": "A1", "text": "two\r\nlines"}),
        (5, {"code": "B2", "text": "x"}),
        (6, {"code": "C3", "text": "y"}),
    ]
    assert table.problems == []


def test_a_declared_size_over_the_limit_is_refused_before_reading():
    stream = Endless(b"A,b\n")
    with pytest.raises(InputError) as caught:
        CsvReader(stream, "panel.csv", Limits(max_bytes=10 * MB, max_rows=10), size=52_000_000)
    assert caught.value.problems == ["panel.csv is 52 MB; the limit is 10 MB"]
    assert stream.given == 0


def test_reading_stops_at_the_byte_limit_whatever_the_declared_size():
    stream = Endless(b"A," + b"x" * 30 + b"\n")
    limits = Limits(max_bytes=MB, max_rows=10**9, max_cell=100)
    with pytest.raises(InputError) as caught, CsvReader(stream, "f.csv", limits) as reader:
        for _row in reader.rows():
            pass
    assert caught.value.problems == ["f.csv is larger than 1 MB; the limit is 1 MB"]
    assert stream.given <= MB + csv_input.CHUNK_BYTES


def test_reading_stops_at_the_first_row_over_the_limit():
    stream = Endless(b"A,b\n")
    limits = Limits(max_bytes=10 * MB, max_rows=20_000)
    with pytest.raises(InputError) as caught, CsvReader(stream, "statements.csv", limits) as r:
        for _row in r.rows():
            pass
    assert caught.value.problems == ["statements.csv: more than 20,000 rows; the limit is 20,000"]
    assert stream.given < 200_000


def test_a_path_is_checked_by_its_size_first(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"code\n" + b"A\n" * 600_000)
    with pytest.raises(InputError, match=r"^big.csv is 1.2 MB; the limit is 1 MB$"):
        read_table(path, "big.csv", COLUMNS, LIMITS)
    with pytest.raises(InputError, match="missing.csv: no such file"):
        read_table(tmp_path / "missing.csv", "missing.csv", COLUMNS, LIMITS)
    with pytest.raises(InputError, match="is a folder"):
        read_table(tmp_path, "folder", COLUMNS, LIMITS)


def test_nul_characters_are_refused_with_line_and_column():
    assert problems("code,text\nA1,ok\nA2,b\x00d\n") == [
        "f.csv: line 3, column 'text': holds a NUL character"
    ]


def test_cells_longer_than_their_column_allows_are_refused_never_cut():
    found = problems("code,text,other\nABCDEF,ok,\nA2," + "x" * 51 + "," + "y" * 51 + "\n")
    assert found == [
        "f.csv: line 2, column 'code': longer than 5 characters",
        "f.csv: line 3, column 'text': longer than 50 characters",
        "f.csv: line 3, column 'other': longer than 50 characters",
    ]


@pytest.mark.parametrize("quoted", [False, True])
def test_a_cell_over_pythons_csv_field_limit_names_line_and_column(quoted):
    cell = "x" * 200_000
    cell = f'"{cell}"' if quoted else cell
    limits = Limits(max_bytes=MB, max_rows=10)
    assert problems(f"code,text,z\nA1,ok,\nA2,{cell},z\n", limits) == [
        "f.csv: line 3, column 'text': longer than 10,000 characters"
    ]


def test_text_that_is_not_utf8_names_its_line():
    data = "code,text\nA1,ok\nA2,Caf\xe9\n".encode("latin-1")
    assert problems(data) == [
        "f.csv: line 3: not UTF-8 text (invalid continuation byte); save it as CSV UTF-8"
    ]


def test_a_character_split_between_two_reads_is_decoded(monkeypatch):
    monkeypatch.setattr(csv_input, "CHUNK_BYTES", 7)
    text = "code,text\r\nA1,é€😀\r\nA2,b\r\n"
    table = read_table(text_source(text), "f.csv", COLUMNS, LIMITS)
    assert [r.values["text"] for r in table.records] == ["é€😀", "b"]
    assert [r.line for r in table.records] == [2, 3]


def test_header_problems():
    assert problems("") == ["f.csv: line 1: the file is empty; expected a header row"]
    assert problems("text,text\n") == [
        "f.csv: line 1: required column 'code' is missing",
        "f.csv: line 1: column 'text' appears more than once (columns 1 and 2)",
    ]


def test_more_values_than_the_header_has_names():
    assert problems("code,text\nA1,b,c\nA2,b,,\n") == [
        "f.csv: line 2: more values than columns in the header"
    ]


def test_problems_come_in_line_order_and_are_capped():
    many = "code,text\n" + "TOO-LONG,x\n" * 200
    found = problems(many)
    assert len(found) == csv_input.MAX_PROBLEMS + 1
    assert found[0] == "f.csv: line 2, column 'code': longer than 5 characters"
    assert found[-1].startswith("f.csv: reading stopped at line")
    raised = pytest.raises(InputError, raise_problems, [f"f.csv: line {n}: x" for n in (9, 3)])
    assert raised.value.problems == ["f.csv: line 3: x", "f.csv: line 9: x"]


def test_sizes_read_well():
    assert describe_size(52_428_800) == "52 MB"
    assert describe_size(2_500_000) == "2.5 MB"
    assert describe_size(5 * MB) == "5 MB"
    assert describe_size(1500) == "1.5 KB"
    assert describe_size(999) == "999 bytes"
