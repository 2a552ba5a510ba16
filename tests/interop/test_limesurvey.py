"""LimeSurvey: the survey structure of a study, and a responses export imported as
responses that analyse exactly as the same answers given on the web."""

from __future__ import annotations

import pandas as pd
import pytest

from rtwcomp.interop import limesurvey
from rtwcomp.interop.csv_input import text_source
from rtwcomp.interop.errors import InputError
from rtwcomp.surveys import exchange, results
from rtwcomp.surveys.models import SurveyResponse
from tests.interop.study_files import limesurvey_responses, twin_studies


@pytest.fixture
def twins(default_framework):
    return twin_studies(default_framework)


def test_structure_is_tab_separated_utf8_with_a_bom(twins):
    data = exchange.limesurvey_structure(twins[0])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = limesurvey.read_structure(data)
    assert list(rows[0]) == list(limesurvey.COLUMNS)
    settings = {r["name"]: r["text"] for r in rows if r["class"] == "S"}
    assert settings["language"] == "en" and settings["additional_languages"] == "fr"
    assert {r["class"] for r in rows} == {"S", "SL", "G", "Q", "SQ", "A"}


def test_one_array_per_group_in_english_then_french(twins):
    study = twins[0]
    rows = limesurvey.read_structure(exchange.limesurvey_structure(study))
    arrays = [r for r in rows if r["class"] == "Q" and r["type/scale"] == "F"]
    groups = {i.competency.group_id for i in study.items.select_related("competency")}
    importance = [r for r in arrays if not r["name"].endswith(("ACQ", "MAI"))]
    assert len(importance) == 2 * len(groups)  # one per group, in two languages
    assert [r["language"] for r in importance[:2]] == ["en", "fr"]
    first = rows.index(importance[0])
    after = rows[first + 2 :]
    subs = [r for r in after[: 2 * 40] if r["class"] == "SQ"]
    item = study.items.select_related("competency").order_by("position").first().competency
    assert subs[0]["text"] == item.statement and subs[0]["language"] == "en"
    assert subs[1]["text"] == item.translations["fr"]["statement"]
    answers = [r for r in rows if r["class"] == "A" and r["language"] == "fr"][:5]
    assert [(a["name"], a["text"]) for a in answers][0] == ("1", "pas important")
    for r in rows:
        if r["class"] in ("Q", "SQ"):
            assert limesurvey.CODE.match(r["name"]) and len(r["name"]) <= limesurvey.MAX_CODE
        assert "\t" not in r["text"] and "\n" not in r["text"]


def analysis(study):
    return results.analyze(study)[1]


@pytest.mark.parametrize("spss", [False, True], ids=["brackets", "spss"])
def test_responses_import_analyses_like_the_web_answers(twins, spss):
    web, imported = twins
    text = limesurvey_responses(web, spss=spss, incomplete=3)
    report = exchange.import_responses(imported, text_source(text), "responses.csv", "limesurvey")
    assert report.imported == 60 and len(report.incomplete) == 3
    assert report.unmatched == []
    assert SurveyResponse.objects.filter(study=imported, source="limesurvey").count() == 60
    a, b = analysis(web), analysis(imported)
    pd.testing.assert_frame_equal(a.items, b.items)
    pd.testing.assert_frame_equal(a.groups, b.groups)
    pd.testing.assert_frame_equal(a.subgroup_tests, b.subgroup_tests)
    languages = lambda s: sorted(  # noqa: E731
        SurveyResponse.objects.filter(study=s).values_list("language", flat=True)
    )
    assert languages(web) == languages(imported)


def test_a_bad_answer_code_names_line_and_column(twins):
    web, imported = twins
    lines = limesurvey_responses(web).splitlines()
    header = lines[0].split(",")
    cells = lines[5].split(",")
    column = header.index(next(h for h in header if h.startswith("G1[")))
    cells[column] = "7"
    lines[5] = ",".join(cells)
    with pytest.raises(InputError) as caught:
        exchange.import_responses(imported, text_source("\n".join(lines)), "r.csv", "limesurvey")
    assert f"r.csv: line 6, column '{header[column]}': Choose one of the scale points." in (
        caught.value.problems
    )
    assert not SurveyResponse.objects.filter(study=imported).exists()
    acquired = header.index(next(h for h in header if h.startswith("G1ACQ[")))
    cells = lines[2].split(",")
    cells[acquired] = "A9"
    lines[2] = ",".join(cells)
    with pytest.raises(InputError) as caught:
        exchange.import_responses(imported, text_source("\n".join(lines)), "r.csv", "limesurvey")
    assert caught.value.problems == [
        f"r.csv: line 3, column '{header[acquired]}': 'A9' is not one of the codes of this question"
    ]


def test_headings_are_read_in_both_spellings():
    assert limesurvey.parse_heading("G1[RTWC001]") == limesurvey.Heading(
        "G1[RTWC001]", "G1", "RTWC001"
    )
    assert limesurvey.parse_heading("G1_RTWC001") == limesurvey.Heading(
        "G1_RTWC001", "G1", "RTWC001"
    )
    assert limesurvey.parse_heading("years") == limesurvey.Heading("years", "years")
    assert limesurvey.parse_heading("1bad[") is None


@pytest.mark.django_db(transaction=True)
def test_cli_exports_the_structure_and_imports_responses(tmp_path, default_framework):
    from tests.interop.cli import run

    web, imported = twin_studies(default_framework, n=30, items="12")
    out = tmp_path / "survey.txt"
    status, _, err = run(
        "study", "export", web.slug, "--format", "limesurvey-structure", "-o", str(out)
    )
    assert status == 0, err
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid\trelated_id\tclass")
    responses = tmp_path / "responses.csv"
    responses.write_text(limesurvey_responses(web), encoding="utf-8")
    status, printed, err = run(
        "study", "import-responses", imported.slug, str(responses), "--format", "limesurvey"
    )
    assert status == 0, err
    assert "30 response(s) imported" in printed
