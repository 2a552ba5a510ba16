"""Moodle competency framework CSV: the exact header, the framework row, round trips,
multi-line HTML, another tool's file, and errors by line and column."""

from __future__ import annotations

import csv
import io
import json

import pytest

from rtwcomp.interop import moodle
from rtwcomp.interop.csv_input import text_source
from rtwcomp.interop.errors import InputError

MOODLE_HEADER = (
    '"Parent id number","Id number",Shortname,Description,"Description format",'
    '"Scale values","Scale configuration","Rule type (optional)","Rule outcome (optional)",'
    '"Rule config (optional)","Cross referenced competency id numbers",'
    '"Exported id (optional)","Is framework",Taxonomy'
)


def comparable(data: dict) -> dict:
    return {k: v for k, v in data.items() if k not in ("version", "status", "published_at")}


@pytest.fixture
def exported(default_framework):
    from rtwcomp.frameworks import exchange

    return exchange.moodle_export(default_framework)


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_header_and_framework_row(exported, default_framework):
    table = rows(exported)
    assert table[0] == list(moodle.HEADER) and len(table[0]) == 14
    assert next(csv.reader([MOODLE_HEADER])) == table[0]
    head = table[1]
    assert head[0] == "" and head[1] == default_framework.slug
    assert head[4] == "1" and head[12] == "1"
    assert head[13] == "domain,competency,indicator"
    assert head[5] == "Not yet competent,Competent"
    config = json.loads(head[6])
    assert config[0] == {"scaleid": "2"}
    assert [c["id"] for c in config[1:]] == [1, 2]
    assert [c["proficient"] for c in config[1:]] == [0, 1]
    assert all(len(r) == 14 for r in table)
    assert all(len(r[2]) <= moodle.MAX_SHORTNAME for r in table)


def test_every_competency_sits_under_its_group(exported, default_framework):
    table = rows(exported)[2:]
    parents = {r[1]: r[0] for r in table}
    for competency in default_framework.competencies.select_related("group"):
        assert parents[competency.code] == competency.group.key
    assert [r[1] for r in table if r[0] == ""] == list(
        default_framework.groups.values_list("key", flat=True)
    )


def test_round_trip_keeps_every_field(exported, default_framework):
    from rtwcomp.frameworks import exchange, services

    imported = exchange.import_moodle(text_source(exported), "rtw.csv")
    assert imported.new_version
    framework = imported.framework
    assert framework.version == 2 and framework.status == "draft"
    assert comparable(services.to_dict(framework)) == comparable(
        services.to_dict(default_framework)
    )
    assert exchange.moodle_export(framework) == exported


@pytest.mark.django_db
def test_indicators_multiline_html_and_french_survive():
    from rtwcomp.frameworks import exchange, services
    from rtwcomp.frameworks.models import BehaviouralIndicator
    from rtwcomp.interop.framework_csv import CompetencyRow, FrameworkRows, GroupRow

    rows_in = FrameworkRows(
        groups=[GroupRow("talk", "Talking, <b>clearly</b>\nand often", {"fr": {"name": "Parler"}})],
        competencies=[
            CompetencyRow(
                code="T-1",
                group="talk",
                ksab_type="skill",
                statement='Says "no" & means it, =SUM(1)',
                notes="line one\nline two",
                sources=["a ; b", "https://example.org/x"],
                indicators=["Looks up", "Nods\nslowly"],
                translations={"fr": {"statement": "Dit « non »"}},
            )
        ],
    )
    framework = services.create_from_rows(rows_in, slug="talk", name="Talk")
    BehaviouralIndicator.objects.filter(position=2).update(translations={"fr": {"text": "Hoche"}})
    text = exchange.moodle_export(framework)
    assert "\n" in rows(text)[2][3]  # a multi-line description, quoted
    back = exchange.import_moodle(text_source(text), "talk.csv").framework
    assert comparable(services.to_dict(back)) == comparable(services.to_dict(framework))
    assert back.competencies.get().indicators.get(position=2).translations == {
        "fr": {"text": "Hoche"}
    }


FOREIGN = (
    MOODLE_HEADER
    + "\r\n"
    + "\r\n".join(
        [
            ',NURSE,"Nursing",<p>Nursing framework</p>,1,"Not yet competent,Competent",'
            '"[{""scaleid"":""2""},{""id"":1,""scaledefault"":1,""proficient"":0},'
            '{""id"":2,""scaledefault"":0,""proficient"":1}]",,,,,,1,"domain,competency,value"',
            ',CARE,Care,"<p>Care</p>",1,,,,,,,,,',
            'CARE,CARE-1,Wound care,"<p>Cleans and <em>dresses</em>\nwounds</p>",1,,,'
            "core_competency\\competency_rule_all,1,null,CARE-2,17,,",
            "CARE,CARE-2,Hygiene,,0,,,,,,,,,",
            "CARE-1,CARE-1-a,Uses sterile gloves,,0,,,,,,,,,",
        ]
    )
)


@pytest.mark.django_db
def test_another_tools_file_imports():
    from rtwcomp.frameworks import exchange

    framework = exchange.import_moodle(text_source(FOREIGN), "nurse.csv").framework
    assert framework.slug == "nurse" and framework.name == "Nursing"
    assert framework.description == "Nursing framework"
    group = framework.groups.get()
    assert (group.key, group.name) == ("CARE", "Care")
    first, second = framework.competencies.order_by("position")
    assert first.statement == "Cleans and dresses\nwounds"
    assert second.statement == "Hygiene"
    assert [i.text for i in first.indicators.all()] == ["Uses sterile gloves"]


BAD = [
    (
        FOREIGN.replace(',NURSE,"Nursing"', ',NURSE,"Nursing"').replace(
            '"domain,competency,value"', '"domain,thing"'
        ),
        "line 2, column 'Taxonomy'",
    ),
    (FOREIGN.replace("CARE,CARE-2", "NOPE,CARE-2"), "line 6, column 'Parent id number'"),
    (
        FOREIGN.replace(
            "core_competency\\competency_rule_all,1,null",
            "core_competency\\competency_rule_all,7,{oops",
        ),
        "line 4, column 'Rule outcome (optional)'",
    ),
    (FOREIGN.replace("CARE-1-a", "CARE-2"), "line 7, column 'Id number'"),
    (
        FOREIGN.replace(
            ',CARE,Care,"<p>Care</p>",1,,,,,,,,,', ',CARE,Care,"<p>Care</p>",1,,,,,,,,1,'
        ),
        "line 3, column 'Is framework'",
    ),
    (MOODLE_HEADER.replace("Taxonomy", "Taxa") + "\r\n,X,X,,1,,,,,,,,1,", "Taxonomy"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "where"), BAD)
def test_bad_files_name_line_and_column_and_store_nothing(text, where):
    from rtwcomp.frameworks import exchange
    from rtwcomp.frameworks.models import Framework

    with pytest.raises(InputError) as caught:
        exchange.import_moodle(text_source(text), "bad.csv")
    assert where in str(caught.value)
    assert not Framework.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_cli_exports_moodle_and_detects_it_on_import(tmp_path):
    from rtwcomp.frameworks.models import Framework
    from tests.interop.cli import run

    assert run("framework", "load-default")[0] == 0
    out = tmp_path / "rtw-moodle.csv"
    status, _, err = run(
        "framework", "export", "rtw-coordinator", "--format", "moodle", "-o", str(out)
    )
    assert status == 0, err
    assert out.read_text(encoding="utf-8").startswith(MOODLE_HEADER + "\n")
    status, printed, err = run("framework", "import", str(out))
    assert status == 0, err
    assert "version 2" in printed
    assert Framework.objects.get(slug="rtw-coordinator", version=2).groups.count() == 8
    broken = tmp_path / "broken.csv"
    broken.write_text(FOREIGN.replace("CARE,CARE-2", "NOPE,CARE-2"), encoding="utf-8")
    status, _, err = run("framework", "import", str(broken), "--format", "moodle")
    assert status == 2 and "line 6" in err and "Traceback" not in err
