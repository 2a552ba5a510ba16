"""REDCap: the data dictionary of a study, and a records export imported as responses
that analyse exactly as the same answers given on the web."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from rtwcomp.interop import redcap
from rtwcomp.interop.csv_input import text_source
from rtwcomp.interop.errors import InputError
from rtwcomp.surveys import exchange, results
from rtwcomp.surveys.models import SurveyResponse
from tests.interop.study_files import redcap_records, twin_studies

REDCAP_HEADER = [
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note",
    "Text Validation Type OR Show Slider Number", "Text Validation Min",
    "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
    "Required Field?", "Custom Alignment", "Question Number (surveys only)",
    "Matrix Group Name", "Matrix Ranking?", "Field Annotation",
]  # fmt: skip


@pytest.fixture
def twins(default_framework):
    return twin_studies(default_framework)


def dictionary_rows(study):
    return list(csv.DictReader(io.StringIO(exchange.redcap_dictionary(study))))


def test_dictionary_has_redcaps_columns_and_a_matrix_per_group(twins):
    study = twins[0]
    text = exchange.redcap_dictionary(study)
    assert next(csv.reader(io.StringIO(text))) == REDCAP_HEADER
    rows = dictionary_rows(study)
    assert rows[0]["Variable / Field Name"] == "record_id"
    assert rows[0]["Field Type"] == "text"
    assert {r["Form Name"] for r in rows} == {"importance_survey"}
    items = [r for r in rows if r["Field Annotation"].startswith("RTWC-")]
    assert len(items) == study.items.count() == 30
    assert {r["Field Type"] for r in items} == {"radio"}
    assert {r["Choices, Calculations, OR Slider Labels"] for r in items} == {
        "1, not important | 2, somewhat important | 3, moderately important | "
        "4, very important | 5, essential"
    }
    groups = {i.competency.group_id for i in study.items.select_related("competency")}
    assert len({r["Matrix Group Name"] for r in items}) == len(groups)
    for row in rows:
        assert redcap.FIELD_NAME.match(row["Variable / Field Name"])
        assert len(row["Variable / Field Name"]) <= redcap.MAX_FIELD_NAME


def test_dictionary_carries_questions_and_acquisition(twins):
    rows = {r["Variable / Field Name"]: r for r in dictionary_rows(twins[0])}
    assert rows["clients"]["Field Type"] == "checkbox"
    assert rows["years"]["Text Validation Type OR Show Slider Number"] == "number"
    assert (rows["years"]["Text Validation Min"], rows["years"]["Text Validation Max"]) == (
        "0",
        "100",
    )
    assert rows["country"]["Choices, Calculations, OR Slider Labels"].startswith("AU, Australia")
    assert rows["country_other"]["Branching Logic (Show field only if...)"] == (
        "[country] = 'other'"
    )
    acquired = [r for r in rows.values() if r["Variable / Field Name"].endswith("_acquired")]
    assert len(acquired) == 30
    assert acquired[0]["Choices, Calculations, OR Slider Labels"].startswith(
        "personal, personal attribute"
    )


def test_check_fields_refuses_what_redcap_refuses():
    fields = [
        redcap.Field("record_id", "f", "text", "ID"),
        redcap.Field("Bad-Name", "f", "radio", "x", [("1", "a")]),
        redcap.Field("a", "g", "slider", "x"),
        redcap.Field("b", "f", "text", "x"),
    ]
    problems = redcap.check_fields(fields)
    assert any("'Bad-Name' is not a REDCap field name" in p for p in problems)
    assert any("'slider' is not a REDCap field type" in p for p in problems)
    assert any("form 'f' are not together" in p for p in problems)
    with pytest.raises(ValueError):
        redcap.write_dictionary(fields)


def frames(study):
    _data, analysis = results.analyze(study)
    return analysis


def test_records_import_analyses_like_the_web_answers(twins):
    web, imported = twins
    records = redcap_records(web, incomplete=2, extra_column="dag_site")
    report = exchange.import_responses(imported, text_source(records), "records.csv", "redcap")
    assert report.imported == 60
    assert len(report.incomplete) == 2
    assert report.unmatched == ["dag_site"]
    assert SurveyResponse.objects.filter(study=imported, source="redcap").count() == 60
    a, b = frames(web), frames(imported)
    pd.testing.assert_frame_equal(a.items, b.items)
    pd.testing.assert_frame_equal(a.groups, b.groups)
    pd.testing.assert_frame_equal(a.subgroup_tests, b.subgroup_tests)
    acquired = lambda s: sorted(  # noqa: E731
        SurveyResponse.objects.filter(study=s).values_list(
            "answers__item__competency__code", "answers__acquired"
        )
    )
    assert acquired(web) == acquired(imported)


BAD_VALUES = [
    ("6", "Choose one of the scale points."),
    ("3.5", "Choose one of the scale points."),
]


@pytest.mark.parametrize(("value", "message"), BAD_VALUES)
def test_a_bad_value_names_line_and_column_and_imports_nothing(twins, value, message):
    web, imported = twins
    lines = redcap_records(web).splitlines()
    header = lines[0].split(",")
    column = next(i for i, h in enumerate(header) if h.startswith("rtwc_"))
    cells = next(csv.reader([lines[3]]))
    cells[column] = value
    lines[3] = ",".join(f'"{c}"' for c in cells)
    with pytest.raises(InputError) as caught:
        exchange.import_responses(imported, text_source("\n".join(lines) + "\n"), "r.csv", "redcap")
    assert f"r.csv: line 4, column '{header[column]}': {message}" in caught.value.problems
    assert not SurveyResponse.objects.filter(study=imported).exists()


def test_a_bad_choice_code_is_refused(twins):
    web, imported = twins
    text = redcap_records(web).replace(",AU,", ",Narnia,", 1)
    with pytest.raises(InputError) as caught:
        exchange.import_responses(imported, text_source(text), "r.csv", "redcap")
    assert "column 'country': Choose one of the listed options." in str(caught.value)
    assert not SurveyResponse.objects.filter(study=imported).exists()


def test_a_file_that_is_not_a_records_export_is_refused(twins):
    with pytest.raises(InputError) as caught:
        exchange.import_responses(twins[1], text_source("Record ID,Q 1\n1,2\n"), "r.csv", "redcap")
    assert "line 1, column 1: 'Record ID' is not a REDCap field name" in str(caught.value)


@pytest.mark.django_db(transaction=True)
def test_cli_exports_the_dictionary_and_imports_records(tmp_path, default_framework):
    from tests.interop.cli import run

    web, imported = twin_studies(default_framework, n=40)
    out = tmp_path / "dictionary.csv"
    status, _, err = run(
        "study", "export", web.slug, "--format", "redcap-dictionary", "-o", str(out)
    )
    assert status == 0, err
    assert out.read_text(encoding="utf-8").startswith('"Variable / Field Name"')
    records = tmp_path / "records.csv"
    records.write_text(redcap_records(web), encoding="utf-8")
    status, printed, err = run(
        "study", "import-responses", imported.slug, str(records), "--format", "redcap"
    )
    assert status == 0, err
    assert "40 response(s) imported" in printed
    for study in (web, imported):
        status, _, err = run("study", "analyze", study.slug, "--out", str(tmp_path / study.slug))
        assert status == 0, err
    for name in ("item_stats.csv", "group_stats.csv", "subgroup_tests.csv"):
        pd.testing.assert_frame_equal(  # the same to the last bits but summation order
            pd.read_csv(tmp_path / web.slug / name),
            pd.read_csv(tmp_path / imported.slug / name),
            check_exact=False,
            rtol=1e-12,
        )
    records.write_text("record_id,nothing\n", encoding="utf-8")
    status, _, err = run(
        "study", "import-responses", imported.slug, str(records), "--format", "redcap"
    )
    assert status == 2 and "no records" in err and "Traceback" not in err


def test_study_page_offers_the_dictionary_and_imports_records(default_framework, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import make_researcher

    owner = make_researcher("owner")
    web, imported = twin_studies(default_framework, owner=owner, n=20)
    client.force_login(owner)
    page = client.get(f"/studies/{imported.slug}/").content.decode()
    assert f"/studies/{imported.slug}/redcap-dictionary.csv" in page
    assert f"/studies/{imported.slug}/limesurvey-structure.txt" in page
    download = client.get(f"/studies/{imported.slug}/redcap-dictionary.csv")
    assert download.status_code == 200
    assert download.content.decode() == exchange.redcap_dictionary(imported)
    upload = SimpleUploadedFile("records.csv", redcap_records(web).encode(), "text/csv")
    answer = client.post(
        f"/studies/{imported.slug}/import-responses/",
        {"responses": upload, "format": "redcap"},
        follow=True,
    )
    assert "20 response(s) imported from records.csv." in answer.content.decode()
    assert SurveyResponse.objects.filter(study=imported, source="redcap").count() == 20
    stranger = make_researcher("stranger")
    client.force_login(stranger)
    assert client.get(f"/studies/{imported.slug}/redcap-dictionary.csv").status_code == 404
