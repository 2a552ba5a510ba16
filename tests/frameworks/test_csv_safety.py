"""`rtwcomp framework import|export`: imports under limits, exports safe in a spreadsheet."""

from __future__ import annotations

import csv

import pytest

from rtwcomp.frameworks import services
from rtwcomp.frameworks.models import Framework
from rtwcomp.interop import framework_csv
from rtwcomp.interop.framework_csv import CompetencyRow, FrameworkRows, GroupRow
from tests.interop.cli import run

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "code,group,ksab_type,statement\n"


def test_a_cell_over_128_kb_exits_2_with_line_and_column(tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(HEADER + "A1,g,skill,Fine\nA2,g,skill," + "x" * 200_000 + "\n")
    status, _out, err = run("framework", "import", str(wide))
    assert status == 2
    assert f"{wide}: line 3, column 'statement': longer than 10,000 characters" in err
    assert "Traceback" not in err
    assert not Framework.objects.exists()


def test_codes_too_long_nul_bytes_and_too_many_rows_are_refused(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + f"{'C' * 41},g,skill,Fine\nA2,g,skill,B\x00d\n")
    status, _out, err = run("framework", "import", str(bad))
    assert status == 2
    assert f"{bad}: line 2, column 'code': longer than 40 characters" in err
    assert f"{bad}: line 3, column 'statement': holds a NUL character" in err
    many = tmp_path / "many.csv"
    rows = framework_csv.LIMITS.max_rows + 1
    many.write_text(HEADER + "".join(f"C{n},g,skill,Does {n}\n" for n in range(rows)))
    status, _out, err = run("framework", "import", str(many))
    assert status == 2
    assert f"{many}: more than 1,000 rows; the limit is 1,000" in err
    assert not Framework.objects.exists()


def test_the_csv_export_defuses_formulas_and_imports_back(tmp_path):
    formulas = ['=HYPERLINK("http://example.org","x")', "+SUM(1,2)", "@SUM(A1)", "-2+3", "\t=1"]
    rows = FrameworkRows(
        groups=[GroupRow(key="=group", description="-description")],
        competencies=[
            CompetencyRow(code=f"-C{n}", group="=group", ksab_type="skill", statement=text)
            for n, text in enumerate(formulas)
        ],
    )
    services.create_from_rows(rows, slug="formulas", name="Formulas")
    out = tmp_path / "formulas.csv"
    assert run("framework", "export", "formulas", "--format", "csv", "-o", str(out))[0] == 0
    with open(out, encoding="utf-8", newline="") as handle:
        exported = list(csv.DictReader(handle))
    assert [r["statement"] for r in exported] == [
        '\'=HYPERLINK("http://example.org","x")',
        "'+SUM(1,2)",
        "'@SUM(A1)",
        "'-2+3",
        "'\t=1",
    ]
    assert {r["group"] for r in exported} == {"'=group"}
    assert exported[0]["code"] == "'-C0" and exported[0]["group_description"] == "'-description"
    assert run("framework", "import", str(out), "--slug", "formulas")[0] == 0
    again = Framework.objects.get(slug="formulas", version=2)
    assert [c.statement for c in again.competencies.all()] == [f.strip() for f in formulas]
    assert again.groups.get().key == "=group"
