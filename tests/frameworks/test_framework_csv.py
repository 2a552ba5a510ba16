"""The framework CSV reader and writer, without a database."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rtwcomp.interop.errors import InputError
from rtwcomp.interop.framework_csv import (
    CompetencyRow,
    FrameworkRows,
    GroupRow,
    parse_framework_csv,
    write_framework_csv,
)

HEADER = "code,group,ksab_type,statement\n"


def parse(text):
    return parse_framework_csv(text, "f.csv")


def problems(text):
    with pytest.raises(InputError) as caught:
        parse(text)
    return caught.value.problems


def test_groups_keep_the_order_of_first_appearance():
    rows = parse(
        HEADER + "A1,beta,skill,Does b\nA2,alpha,knowledge,Knows a\nA3,beta,attitude,Is c\n"
    )
    assert [g.key for g in rows.groups] == ["beta", "alpha"]
    assert [c.code for c in rows.competencies] == ["A1", "A2", "A3"]


def test_bad_ksab_names_line_and_column():
    lines = [f"C{i},g,skill,Statement {i}" for i in range(2, 10)]
    lines[5] = "C7,g,talent,Statement 7"  # file line 7
    found = problems(HEADER + "\n".join(lines) + "\n")
    assert found == [
        "f.csv: line 7, column 'ksab_type': 'talent' is not one of "
        "knowledge, skill, attitude, behaviour"
    ]


def test_every_problem_is_reported_at_once():
    found = problems(HEADER + "A1,g,skill,\nA1,g,skill,Twice\n,g,knowledge,No code\n")
    assert "f.csv: line 2, column 'statement': a value is required" in found
    assert "f.csv: line 3, column 'code': 'A1' already used on line 2" in found
    assert "f.csv: line 4, column 'code': a value is required" in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "f.csv: line 1: the file is empty; expected a header row"),
        ("code,group,statement\nA,g,s\n", "f.csv: line 1: required column 'ksab_type' is missing"),
        (
            HEADER.strip() + ",code\n",
            "f.csv: line 1: column 'code' appears more than once (columns 1 and 5)",
        ),
        (HEADER, "f.csv: no competency rows after the header"),
        (HEADER + "A,g,skill,s,extra\n", "f.csv: line 2: more values than columns in the header"),
    ],
)
def test_malformed_files(text, expected):
    assert expected in problems(text)


text_value = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(lambda s: s and "|" not in s and ";" not in s)
)


@given(
    st.lists(
        st.tuples(
            text_value,
            st.sampled_from(["knowledge", "skill", "attitude", "behaviour"]),
            text_value,
            text_value,
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda t: t[0],
    )
)
def test_write_then_read_gives_the_same_rows(items):
    competencies = [
        CompetencyRow(
            code=code,
            group=group,
            ksab_type=ksab,
            statement=statement,
            sources=[statement],
            indicators=[group],
            translations={"fr": {"statement": statement + " (fr)"}},
        )
        for code, ksab, group, statement in items
    ]
    groups = [GroupRow(key=k) for k in dict.fromkeys(c.group for c in competencies)]
    out = io.StringIO()
    write_framework_csv(FrameworkRows(groups=groups, competencies=competencies), out)
    back = parse(out.getvalue())
    assert back.competencies == competencies
    assert [g.key for g in back.groups] == [g.key for g in groups]
