"""Fuzzing every exchange-format parser: whatever the input, the only exception is our
own `InputError` (which names where the input is wrong)."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rtwcomp.interop import case, limesurvey, moodle, redcap
from rtwcomp.interop.csv_input import text_source
from rtwcomp.interop.errors import InputError

SAMPLE = (
    Path(__file__).resolve().parents[3]
    / "shared/data/case-samples/opensalt_sample_framework.case.json"
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def small_package() -> dict:
    return {
        "CFDocument": {"identifier": "d1", "uri": "u", "creator": "c", "title": "T",
                       "lastChangeDateTime": "2020-01-01T00:00:00Z", "language": "en"},
        "CFItems": [
            {"identifier": "i1", "uri": "u", "fullStatement": "Group", "humanCodingScheme": "G",
             "lastChangeDateTime": "2020-01-01T00:00:00Z"},
            {"identifier": "i2", "uri": "u", "fullStatement": "Item", "CFItemType": "Competency",
             "lastChangeDateTime": "2020-01-01T00:00:00Z", "extensions": {"rtwcomp": {}}},
            {"identifier": "i3", "uri": "u", "fullStatement": "Élément", "language": "fr",
             "lastChangeDateTime": "2020-01-01T00:00:00Z"},
        ],
        "CFAssociations": [
            {"identifier": "a1", "uri": "u", "associationType": "isChildOf",
             "lastChangeDateTime": "x", "sequenceNumber": 1,
             "originNodeURI": {"title": "", "identifier": "i1", "uri": ""},
             "destinationNodeURI": {"title": "", "identifier": "d1", "uri": ""}},
            {"identifier": "a2", "uri": "u", "associationType": "isChildOf",
             "lastChangeDateTime": "x",
             "originNodeURI": {"title": "", "identifier": "i2", "uri": ""},
             "destinationNodeURI": {"title": "", "identifier": "i1", "uri": ""}},
            {"identifier": "a3", "uri": "u", "associationType": "isTranslationOf",
             "lastChangeDateTime": "x",
             "originNodeURI": {"title": "", "identifier": "i3", "uri": ""},
             "destinationNodeURI": {"title": "", "identifier": "i2", "uri": ""}},
        ],
    }  # fmt: skip


def paths(value, prefix=()):
    """Every path into a JSON value."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*prefix, index))


def read_and_map(data) -> None:
    """Read a package and map it onto rtwcomp's framework rows (no database needed)."""
    from rtwcomp.frameworks import exchange

    built, fields = exchange.read_case(data, "fuzz.json")
    assert isinstance(fields["name"], str) and built.rows is not None
    tree = case.read_package(data, "fuzz.json")
    case.write_package(tree, "urn:x/", "2020-01-01T00:00:00Z")


@FUZZ
@given(st.binary(max_size=300))
def test_case_reader_on_bytes(data):
    with contextlib.suppress(InputError):
        read_and_map(data)


@FUZZ
@given(json_values)
def test_case_reader_on_any_json(value):
    with contextlib.suppress(InputError):
        read_and_map(json.dumps(value))


@FUZZ
@given(st.data(), json_values)
def test_case_reader_on_a_package_with_one_value_replaced(data, replacement):
    package = small_package()
    where = data.draw(st.sampled_from([p for p in paths(package) if p]))
    target = package
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = replacement
    with contextlib.suppress(InputError):
        read_and_map(json.dumps(package))


@FUZZ
@given(st.sampled_from(["CFDocument", "item", "association"]), json_values, json_values)
def test_case_reader_on_odd_extensions(owner, extension, ours):
    package = small_package()
    target = {
        "CFDocument": package["CFDocument"],
        "item": package["CFItems"][1],
        "association": package["CFAssociations"][1],
    }[owner]
    target["extensions"] = extension
    if isinstance(extension, dict):
        extension["rtwcomp"] = ours
    with contextlib.suppress(InputError):
        read_and_map(json.dumps(package))


@settings(max_examples=40, deadline=None)
@given(st.data(), json_values)
def test_case_reader_on_the_opensalt_sample_mutated(data, replacement):
    if not SAMPLE.exists():
        pytest.skip("the shared samples are not here")
    package = json.loads(SAMPLE.read_text(encoding="utf-8"))
    where = data.draw(st.sampled_from([p for p in paths(package) if p]))
    target = copy.deepcopy(package)
    node = target
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = replacement
    with contextlib.suppress(InputError):
        read_and_map(json.dumps(target))


cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
csv_texts = st.lists(st.lists(cells, min_size=1, max_size=15), min_size=0, max_size=6).map(
    lambda rows: "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in row) for row in rows)
)


@FUZZ
@given(csv_texts)
def test_moodle_reader_on_any_csv(text):
    with contextlib.suppress(InputError):
        moodle.read_moodle(text_source(text), "fuzz.csv")


@FUZZ
@given(st.lists(st.lists(cells, min_size=14, max_size=14), min_size=1, max_size=6), st.data())
def test_moodle_reader_with_its_header(rows, data):
    for row in rows:
        row[0] = data.draw(st.sampled_from(["", *(r[1] for r in rows)]))
        row[12] = data.draw(st.sampled_from(["", "0", "1", "x"]))
        row[4] = data.draw(st.sampled_from(["1", "0", "2", ""]))
        row[3] = data.draw(
            st.sampled_from(
                [
                    row[3],
                    f'<p data-field="statement">{row[3]}</p>',
                    "<p data-field=x lang=fr>",
                    "</p><b>&amp;",
                ]
            )
        )
    lines = [list(moodle.HEADER), *rows]
    text = "\n".join(",".join('"' + c.replace('"', '""') + '"' for c in line) for line in lines)
    with contextlib.suppress(InputError):
        moodle.read_moodle(text_source(text), "fuzz.csv")


@FUZZ
@given(st.binary(max_size=300))
def test_moodle_reader_on_bytes(data):
    with contextlib.suppress(InputError):
        moodle.read_moodle(text_source(data.decode("utf-8", "replace")), "fuzz.csv")


@FUZZ
@given(csv_texts)
def test_redcap_records_reader(text):
    with contextlib.suppress(InputError):
        redcap.read_records(text_source(text), "fuzz.csv")


@FUZZ
@given(csv_texts)
def test_limesurvey_responses_reader(text):
    try:
        found = limesurvey.read_responses(text_source(text), "fuzz.csv")
    except InputError:
        return
    for heading in found.headings:
        assert heading.question


@FUZZ
@given(cells)
def test_heading_parser(text):
    found = limesurvey.parse_heading(text)
    assert found is None or found.column == text


@FUZZ
@given(cells)
def test_redcap_choice_parser(text):
    for code, _label in redcap.parse_choices(text):
        assert code == code.strip() and code


@FUZZ
@given(st.text(max_size=200))
def test_html_description_parser(text):
    found = moodle.parse_description(text, "1")
    assert isinstance(found.text, str)


def test_the_seed_package_reads_and_maps_whole():
    from rtwcomp.frameworks import exchange

    tree = case.read_package(json.dumps(small_package()), "seed.json")
    built = exchange._Builder(tree, "seed.json").build()
    assert [g.key for g in built.rows.groups] == ["G"]
    assert built.rows.competencies[0].translations == {"fr": {"statement": "Élément"}}
