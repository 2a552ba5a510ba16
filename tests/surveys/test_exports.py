"""Exports hold exactly the stored answers, with their labels, in every format.

Rows come in no order finer than the day (then by a random key), so the tests find each
respondent's row by their country, which differs between the three.
"""

import csv
import json

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
        "submitted_on",
        "round",
        "language",
        "country",
        "country_other",
        "employer",
        "employer_other",
        "profession",
        "profession_other",
        "clients",
        "years",
        "certified",
    ]
    assert header[header.index(codes[0]) : header.index(codes[0]) + 2] == [
        codes[0],
        f"{codes[0]}_acquired",
    ]
    for row, answers in zip(rows, expected, strict=True):
        assert {c: int(row[c]) for c in codes} == answers
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


# --- the response's facts, and whole numbers, in every format ----------------------------------


FACT_COLUMNS = ["response_id", "submitted_on", "round", "language"]


def test_every_format_carries_the_day_round_and_language_and_writes_integers(answered, tmp_path):
    study, expected = answered
    SurveyResponse.objects.filter(study=study, attributes__country="CA").update(language="fr")
    code = study.items.order_by("position").first().competency.code
    day = SurveyResponse.objects.get(study=study, attributes__country="CA").submitted_on
    paths = {}
    for fmt in ("csv", "labels.csv", "xlsx", "sav", "json"):
        paths[fmt] = tmp_path / f"out.{fmt}"
        exports.export(study, fmt, paths[fmt])

    text = paths["csv"].read_text(encoding="utf-8")
    rows = by_country(list(csv.DictReader(text.splitlines())))
    assert list(rows[0])[:4] == FACT_COLUMNS
    assert [r["submitted_on"] for r in rows] == [day.isoformat()] * 3
    assert [r["round"] for r in rows] == ["1", "1", "1"]
    assert [r["language"] for r in rows] == ["", "fr", ""]
    assert [r[code] for r in rows] == [str(e[code]) for e in expected]  # "3", never "3.0"
    assert ".0," not in text and not text.rstrip().endswith(".0")

    labels = list(csv.DictReader(paths["labels.csv"].read_text(encoding="utf-8").splitlines()))
    labels = by_country(labels, countries=["Australia", "Canada", "United States"])
    assert [(r["submitted_on"], r["round"], r["language"]) for r in labels][1] == (
        day.isoformat(),
        "1",
        "fr",
    )

    sheet = openpyxl.load_workbook(paths["xlsx"])["data"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == FACT_COLUMNS
    cells = {
        row[header.index("country")]: row for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert cells["CA"][header.index("submitted_on")] == day.isoformat()
    assert cells["CA"][header.index("language")] == "fr"
    for country, answers in zip(COUNTRIES, expected, strict=True):
        value = cells[country][header.index(code)]
        assert type(value) is int and value == answers[code]
        assert type(cells[country][header.index("round")]) is int

    frame, meta = pyreadstat.read_sav(str(paths["sav"]))
    assert meta.column_names[:4] == FACT_COLUMNS
    name = code.replace("-", "_")
    assert meta.original_variable_types[name] == "F8.0"
    assert meta.original_variable_types["round"] == "F8.0"
    canada = frame.set_index("country").loc["CA"]
    assert (canada["submitted_on"], canada["round"], canada["language"]) == (
        day.isoformat(),
        1.0,
        "fr",
    )

    document = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert [v["name"] for v in document["variables"]][:4] == FACT_COLUMNS
    found = by_country(document["responses"])
    assert found[1]["language"] == "fr" and found[1]["submitted_on"] == day.isoformat()
    for row, answers in zip(found, expected, strict=True):
        assert row["round"] == 1 and type(row["round"]) is int
        assert row[code] == answers[code] and type(row[code]) is int
    assert ": 1.0" not in paths["json"].read_text(encoding="utf-8")


def test_the_codebook_describes_the_facts(answered, tmp_path):
    study, _expected = answered
    path = tmp_path / "codebook.csv"
    exports.export(study, "codebook.csv", path)
    rows = {r["variable"]: r for r in csv.DictReader(path.read_text("utf-8").splitlines())}
    assert rows["submitted_on"]["type"] == "text"
    assert rows["round"]["type"] == "numeric"
    assert rows["language"]["label"].startswith("Language")


def test_a_question_named_like_a_fact_keeps_its_column(answered, tmp_path):
    study, _expected = answered
    study.questions.filter(key="years").update(key="language")
    path = tmp_path / "out.csv"
    exports.export(study, "csv", path)
    header = next(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    assert header[:4] == ["response_id", "submitted_on", "round", "response_language"]
    assert "language" in header


def test_a_missing_rating_stays_blank_and_the_others_whole(open_study, tmp_path):
    items = list(open_study.items.order_by("position"))
    client = Client()
    client.post(f"/s/{open_study.slug}/")
    answer_page(client, open_study, 1, {i: 2 for i in items[1:10]})
    answer_page(client, open_study, 1, {i: 2 for i in items[1:10]})  # past the soft warning
    answer_page(client, open_study, 2, {i: 4 for i in items[10:]})
    client.post(f"/s/{open_study.slug}/page/3/", {"action": "submit", "q-country": "AU"})
    path = tmp_path / "out.csv"
    exports.export(open_study, "csv", path)
    (row,) = list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))
    assert row[items[0].competency.code] == ""
    assert row[items[1].competency.code] == "2" and row[items[10].competency.code] == "4"


def test_the_text_of_other_please_specify_is_exported_beside_its_question(open_study, tmp_path):
    """A respondent who chose "Other" and said which: the text is in every export, in a
    column after the question's, and the analysis is unchanged by it."""
    from rtwcomp.surveys.results import cached_analysis

    items = list(open_study.items.order_by("position"))
    client = Client()
    client.post(f"/s/{open_study.slug}/")
    answer_page(client, open_study, 1, {i: 4 for i in items[:10]})
    answer_page(client, open_study, 2, {i: 5 for i in items[10:]})
    client.post(
        f"/s/{open_study.slug}/page/3/",
        {"action": "submit", "q-country": "other", "q-country_other": "Aotearoa New Zealand"},
    )
    assert SurveyResponse.objects.completed().filter(study=open_study).count() == 1
    path = tmp_path / "out.csv"
    exports.export(open_study, "csv", path)
    with open(path, encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        (row,) = list(reader)
    columns = reader.fieldnames
    assert columns.index("country_other") == columns.index("country") + 1
    assert (row["country"], row["country_other"]) == ("other", "Aotearoa New Zealand")
    exports.export(open_study, "json", tmp_path / "out.json")
    exported = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert "Aotearoa New Zealand" in json.dumps(exported)
    codebook = tmp_path / "codebook.csv"
    exports.export(open_study, "codebook.csv", codebook)
    assert "country_other" in codebook.read_text(encoding="utf-8")
    _data, analysis = cached_analysis(open_study)
    assert "country_other" not in set(analysis.subgroup_tests.get("variable", []))
