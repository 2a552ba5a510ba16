"""The statements CSV reader: every problem named by file, line and column."""

import pytest

from rtwcomp.interop.errors import InputError
from rtwcomp.interop.statements_csv import parse_statements_csv, read_statements_csv


def test_reads_rows_keeping_given_ids():
    rows = parse_statements_csv(
        "statement_id,session,participant,text,extra\n"
        "s1,AU-1,P01,Listening,ignored\n"
        ",AU-1,,Empathy,\n"
        "\n",
        "fg.csv",
    )
    assert [(r.statement_id, r.session, r.participant, r.text) for r in rows] == [
        ("s1", "AU-1", "P01", "Listening"),
        ("", "AU-1", "", "Empathy"),
    ]
    assert rows[1].line == 3


def test_missing_column():
    with pytest.raises(InputError) as error:
        parse_statements_csv("session,participant\nAU-1,P01\n", "fg.csv")
    assert error.value.problems == ["fg.csv: line 1: required column 'text' is missing"]


def test_every_bad_row_is_reported():
    text = (
        "statement_id,session,text\n"
        "s1,AU-1,Listening\n"
        "s1,AU-1,Empathy\n"
        "s3,,Trust\n"
        "s4,AU-1,Too,many\n"
    )
    with pytest.raises(InputError) as error:
        parse_statements_csv(text, "fg.csv")
    assert error.value.problems == [
        "fg.csv: line 3, column 'statement_id': 's1' already used on line 2",
        "fg.csv: line 4, column 'session': a value is required",
        "fg.csv: line 5: more values than columns in the header",
    ]


def test_unreadable_files(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("session,text\nA,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="latin.csv: line 2: not UTF-8"):
        read_statements_csv(latin)
    with pytest.raises(InputError, match="missing.csv: no such file"):
        read_statements_csv(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="line 1: the file is empty"):
        read_statements_csv(empty)
