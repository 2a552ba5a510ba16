"""Exports hold exactly the stored answers, with their labels, in every format.

Rows come in no order finer than the day (then by a random key), so the tests find each
respondent's row by their country, which differs between the three.
"""

import csv

import openpyxl
import pandas as pd
import pyreadstat
import pytest
from django.test import Client

from rtwcomp.surveys import exports
from rtwcomp.surveys.models import SurveyResponse
from tests.surveys.conftest import answer_page

COUNTRIES = ["AU", "CA", "US"]


def by_country(rows, column="country", countries=COUNTRIES):
    """The rows in the order of the fixture's respondents."""
    found = {row[column]: row for row in rows}
    assert len(found) == len(rows)
    return [found[c] for c in countries]


@pytest.fixture
def answered(open_study):
    """Three completed responses with known answers (one per country, in COUNTRIES order)."""
    items = list(open_study.items.order_by("position"))
    expected = []
    for r in range(3):
        client = Client()
        client.post(f"/s/{open_study.slug}/")
        values = {item: (i + r) % 5 + 1 for i, item in enumerate(items)}
        acquired = {f"acquired-{items[0].pk}": "mentorship"}
        answer_page(client, open_study, 1, {i: values[i] for i in items[:10]}, **acquired)
        answer_page(client, open_study, 2, {i: values[i] for i in items[10:]})
        client.post(
            f"/s/{open_study.slug}/page/3/",
            {
                "action": "submit",
                "q-country": COUNTRIES[r],
                "q-clients": ["mental", "chronic"],
                "q-years": "3",
            },
        )
        expected.append({item.competency.code: v for item, v in values.items()})
    return open_study, expected


def test_wide_csv_holds_the_answers(answered, tmp_path):
    study, expected = answered
    path = tmp_path / "out.csv"
    exports.export(study, "csv", path)
    with open(path, encoding="utf-8") as handle:
        rows = by_country(list(csv.DictReader(handle)))
    assert len(rows) == 3
    codes = [i.competency.code for i in study.items.order_by("position")]
    header = list(rows[0])
    assert header[: header.index(codes[0])] == [
        "response_id",
        "country",
        "employer",
        "profession",
        "clients",
        "years",
        "certified",
    ]
    assert header[header.index(codes[0]) : header.index(codes[0]) + 2] == [
        codes[0],
        f"{codes[0]}_acquired",
    ]
    for row, answers in zip(rows, expected, strict=True):
        assert {c: int(float(row[c])) for c in codes} == answers
    assert rows[0][f"{codes[0]}_acquired"] == "mentorship"
    assert rows[0]["clients"] == "mental;chronic"
    assert rows[0]["years"] == "3"


def test_text_cells_never_become_spreadsheet_formulas(tmp_path):
    from rtwcomp.interop.survey_files import Variable, write_csv

    frame = pd.DataFrame({"note": ['=HYPERLINK("http://x")', "+1", "plain"], "n": [1, -2, 3]})
    path = tmp_path / "f.csv"
    write_csv(frame, [Variable("note", "Note"), Variable("n", "N", numeric=True)], path)
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    assert [r["note"] for r in rows] == ['\'=HYPERLINK("http://x")', "'+1", "plain"]
    assert [r["n"] for r in rows] == ["1", "-2", "3"]


def test_labelled_csv(answered, tmp_path):
    study, expected = answered
    path = tmp_path / "labels.csv"
    exports.export(study, "labels.csv", path)
    rows = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    rows = by_country(rows, countries=["Australia", "Canada", "United States"])
    code = study.items.order_by("position").first().competency.code
    labels = {
        1: "not important",
        2: "somewhat important",
        3: "moderately important",
        4: "very important",
        5: "essential",
    }
    assert [r[code] for r in rows] == [labels[e[code]] for e in expected]
    assert rows[1]["country"] == "Canada"
    assert rows[0]["clients"] == "Mental health conditions;Chronic illness"


def test_spss_file_has_values_and_labels(answered, tmp_path):
    study, expected = answered
    path = tmp_path / "out.sav"
    exports.export(study, "sav", path)
    frame, meta = pyreadstat.read_sav(str(path))
    frame = frame.set_index("country").loc[COUNTRIES]
    code = study.items.order_by("position").first().competency.code
    name = code.replace("-", "_")
    assert list(frame[name]) == [float(e[code]) for e in expected]
    label = dict(zip(meta.column_names, meta.column_labels, strict=True))[name]
    assert label.startswith(f"{code}: ")
    assert meta.variable_value_labels[name][5.0] == "essential"
    assert meta.variable_value_labels["country"]["CA"] == "Canada"
    assert meta.variable_measure[name] == "ordinal"


def test_xlsx_has_data_and_codebook(answered, tmp_path):
    study, expected = answered
    path = tmp_path / "out.xlsx"
    exports.export(study, "xlsx", path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["data", "codebook"]
    data = pd.read_excel(path, sheet_name="data").set_index("country").loc[COUNTRIES]
    code = study.items.order_by("position").first().competency.code
    assert list(data[code]) == [e[code] for e in expected]
    codebook = pd.read_excel(path, sheet_name="codebook")
    assert code in set(codebook["variable"])


def test_download_needs_the_owner(answered, researcher_client):
    study, _ = answered
    response = researcher_client.get(f"/studies/{study.slug}/export.sav")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.sav"')
    assert Client().get(f"/studies/{study.slug}/export.csv").status_code == 302
    assert SurveyResponse.objects.filter(study=study, submitted_on__isnull=False).count() == 3
