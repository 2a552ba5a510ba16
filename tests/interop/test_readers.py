"""The statements, panel and framework readers on top of the layer: nothing is cut short."""

from __future__ import annotations

import pytest

from rtwcomp.interop.errors import InputError
from rtwcomp.interop.framework_csv import parse_framework_csv
from rtwcomp.interop.panel_csv import parse_panel_csv
from rtwcomp.interop.statements_csv import parse_statements_csv


def problems(parse, text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        parse(text, "f.csv")
    return caught.value.problems


def test_statement_codes_longer_than_the_database_holds_are_refused():
    text = "statement_id,session,participant,text\n" + ",".join(
        ["S" * 81, "A" * 41, "P" * 41, "fine"]
    )
    assert problems(parse_statements_csv, text) == [
        "f.csv: line 2, column 'statement_id': longer than 80 characters",
        "f.csv: line 2, column 'session': longer than 40 characters",
        "f.csv: line 2, column 'participant': longer than 40 characters",
    ]


def test_a_statement_with_a_nul_character_is_refused():
    assert problems(parse_statements_csv, "session,text\nA,fine\nA,b\x00ad\n") == [
        "f.csv: line 3, column 'text': holds a NUL character"
    ]


def test_panel_names_are_refused_not_cut_short():
    text = f"email,name\nana@example.org,{'n' * 201}\n{'e' * 250}@example.org,Ben\n"
    assert problems(parse_panel_csv, text) == [
        "f.csv: line 2, column 'name': longer than 200 characters",
        "f.csv: line 3, column 'email': longer than 254 characters",
    ]
    invitees = parse_panel_csv(f"Email,Name\nana@example.org,{'n' * 200}\n", "f.csv")
    assert invitees[0].name == "n" * 200


def test_framework_codes_and_groups_longer_than_the_database_holds_are_refused():
    text = f"code,group,ksab_type,statement\n{'C' * 41},{'g' * 101},skill,Does\n"
    assert problems(parse_framework_csv, text) == [
        "f.csv: line 2, column 'code': longer than 40 characters",
        "f.csv: line 2, column 'group': longer than 100 characters",
    ]


def test_an_export_reads_back_with_formula_like_text_intact():
    from rtwcomp.interop.csv_output import rows_to_text

    text = rows_to_text(
        ["statement_id", "session", "text"],
        [["-s1", "@AU", "=HYPERLINK(1)"], ["s2", "AU", "-0.5"], ["s3", "AU", "'=x"]],
    )
    rows = parse_statements_csv(text, "f.csv")
    assert [(r.statement_id, r.session, r.text) for r in rows] == [
        ("-s1", "@AU", "=HYPERLINK(1)"),
        ("s2", "AU", "-0.5"),
        ("s3", "AU", "'=x"),
    ]


def test_survey_files_keep_their_rows_and_line_numbers(tmp_path):
    from rtwcomp.interop.survey_files import RESPONSES_LIMITS, read_survey_csv

    path = tmp_path / "responses.csv"
    path.write_bytes(b'id, country,q1\nR1,"A\rU",3\n\n,,\nR2, CA ,\n"R\n3",NZ,-1.5\n')
    table = read_survey_csv(path, "responses.csv", RESPONSES_LIMITS)
    assert table.header == ["id", "country", "q1"]
    assert table.lines == [2, 6, 7]  # a carriage return ends a line, as in open(newline="")
    frame = table.frame(["id", "country"])
    assert list(frame["id"]) == ["R1", "R2", "R\n3"]
    assert list(frame["country"]) == ["A\rU", "CA ", "NZ"]
    assert frame["q1"].tolist()[0] == 3.0 and frame["q1"].isna().tolist() == [False, True, False]
