"""CASE v1.1 packages: export of the default framework, the schema, import of OpenSALT's
packages, round trips, new versions and errors by JSON path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rtwcomp.interop import case
from rtwcomp.interop.errors import InputError

SHARED = Path(__file__).resolve().parents[3] / "shared"
SAMPLES = SHARED / "data" / "case-samples"
V1P0_SCHEMA = SHARED / "formats" / "case-v1p0-cfpackage-schema.json"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[8-9a-b][0-9a-f]{3}-[0-9a-f]{12}\Z")


def shared_file(path: Path) -> Path:
    """A file of the format samples kept beside the repository (`../shared`, not part of
    it: they are other projects' files). A clone without them skips these tests; the
    package tests on rtwcomp's own frameworks run everywhere."""
    if not path.exists():
        pytest.skip(f"{path.name}: the format samples beside the repository are not here")
    return path


def samples() -> list[Path]:
    return sorted(SAMPLES.glob("*.json")) if SAMPLES.exists() else []


def comparable(data: dict) -> dict:
    """A framework's content without what a new version changes."""
    return {k: v for k, v in data.items() if k not in ("version", "status", "published_at")}


@pytest.fixture
def package(default_framework):
    from rtwcomp.frameworks import exchange

    return exchange.case_package(default_framework)


def test_export_passes_our_schema_and_carries_the_document(package, default_framework):
    assert case.schema_problems(package) == []
    document = package["CFDocument"]
    assert document["caseVersion"] == "1.1"
    assert document["frameworkType"] == "Competency"
    assert document["title"] == default_framework.name
    assert document["version"] == "1"
    assert document["adoptionStatus"] == "Published"
    assert document["language"] == "en"
    assert UUID.match(document["identifier"])


def test_export_items_hierarchy_french_and_rubric(package, default_framework):
    items = {i["identifier"]: i for i in package["CFItems"]}
    types = [i.get("CFItemType") for i in package["CFItems"] if i.get("language") == "en"]
    assert types.count("Domain") == default_framework.groups.count() == 8
    assert types.count("Competency") == default_framework.competencies.count() == 156
    children = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    first = default_framework.competencies.order_by("position").first()
    item = next(
        i
        for i in package["CFItems"]
        if i.get("humanCodingScheme") == first.code and i["language"] == "en"
    )
    assert item["fullStatement"] == first.statement
    assert item["extensions"]["rtwcomp"]["ksabType"] == first.ksab_type
    link = next(a for a in children if a["originNodeURI"]["identifier"] == item["identifier"])
    parent = items[link["destinationNodeURI"]["identifier"]]
    assert parent["CFItemType"] == "Domain" and parent["fullStatement"] == first.group.name
    assert link["sequenceNumber"] == 1
    french = [
        a
        for a in package["CFAssociations"]
        if a["associationType"] == "isTranslationOf"
        and a["destinationNodeURI"]["identifier"] == item["identifier"]
    ]
    assert len(french) == 1
    fr_item = items[french[0]["originNodeURI"]["identifier"]]
    assert fr_item["language"] == "fr"
    assert fr_item["fullStatement"] == first.translations["fr"]["statement"]
    rubric = package["CFRubrics"][0]
    levels = rubric["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    assert [(lv["score"], lv["quality"]) for lv in levels][0] == (1, "not important")
    assert len(levels) == 5


def test_identifiers_are_stable_across_exports_and_versions(package, default_framework):
    from rtwcomp.frameworks import exchange, services

    again = exchange.case_package(default_framework)
    assert json.dumps(again, sort_keys=True) == json.dumps(package, sort_keys=True)
    draft = services.new_draft(default_framework)
    newer = exchange.case_package(draft)

    def ids(p):
        return {
            i["humanCodingScheme"] + i.get("language", ""): i["identifier"] for i in p["CFItems"]
        }

    assert ids(newer) == ids(package)
    assert newer["CFDocument"]["identifier"] == package["CFDocument"]["identifier"]
    assert all(UUID.match(i["identifier"]) for i in package["CFItems"])


def test_scale_matches_the_survey_default():
    from rtwcomp.frameworks.exchange import IMPORTANCE_SCALE
    from rtwcomp.surveys.models import DEFAULT_SCALE

    assert IMPORTANCE_SCALE == DEFAULT_SCALE


def test_export_passes_the_v1p0_schema_for_shared_fields(package):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(shared_file(V1P0_SCHEMA).read_text())
    v1p0_document = {
        k: v
        for k, v in package["CFDocument"].items()
        if k in schema["definitions"]["CFPackageDocument"]["properties"] or k == "CFPackageURI"
    }
    item_fields = schema["definitions"]["CFPackageItem"]["properties"]
    older = {
        "CFDocument": v1p0_document,
        "CFItems": [
            {k: v for k, v in i.items() if k in item_fields or k == "CFDocumentURI"}
            for i in package["CFItems"]
        ],
        "CFAssociations": [
            {k: v for k, v in a.items() if k != "extensions"}
            for a in package["CFAssociations"]
            if a["associationType"] != "isTranslationOf"  # new in v1.1
        ],
    }
    jsonschema.Draft4Validator(schema).validate(older)


def test_round_trip_of_the_default_framework_keeps_every_field(package, default_framework):
    from rtwcomp.frameworks import exchange, services

    imported = exchange.import_case(json.dumps(package), "rtw.case.json")
    assert imported.new_version
    framework = imported.framework
    assert (framework.slug, framework.version, framework.status) == (
        default_framework.slug,
        2,
        "draft",
    )
    assert comparable(services.to_dict(framework)) == comparable(
        services.to_dict(default_framework)
    )
    again = exchange.case_package(framework)

    def strip(p):
        return re.sub(
            r'"lastChangeDateTime": "[^"]*"',
            "",
            json.dumps({k: v for k, v in p.items() if k != "CFDocument"}, sort_keys=True),
        )

    assert strip(again).replace('"Draft"', '"Published"') == strip(package)


@pytest.mark.django_db
@pytest.mark.parametrize("path", samples(), ids=lambda p: p.name)
def test_opensalt_samples_import_and_export_everything(path):
    from rtwcomp.frameworks import exchange

    source = json.loads(path.read_text(encoding="utf-8"))
    imported = exchange.import_case(path.read_bytes(), path.name)
    framework = imported.framework
    assert framework.name == source["CFDocument"]["title"]
    assert framework.status == "draft"
    out = exchange.case_package(framework)
    assert case.schema_problems(out) == []
    renamed = framework.exchange["case"].get("renamed", {})

    def back(i):
        return renamed.get(i, i)

    assert {back(i["identifier"]) for i in out["CFItems"]} == {
        i["identifier"] for i in source["CFItems"]
    }
    assert {i["fullStatement"] for i in out["CFItems"]} == {
        i["fullStatement"] for i in source["CFItems"]
    }

    def pairs(p, f):
        return {
            (
                a["associationType"],
                f(a["originNodeURI"]["identifier"]),
                f(a["destinationNodeURI"]["identifier"]),
            )
            for a in p["CFAssociations"]
        }

    assert pairs(out, back) == pairs(source, lambda i: i)
    codes = {i.get("humanCodingScheme") for i in source["CFItems"]} - {None}
    assert codes <= {i.get("humanCodingScheme") for i in out["CFItems"]}


@pytest.mark.django_db
def test_opensalt_sample_keeps_item_types_and_sibling_order():
    from rtwcomp.frameworks import exchange

    path = shared_file(SAMPLES / "opensalt_sample_framework.case.json")
    source = json.loads(path.read_text(encoding="utf-8"))
    framework = exchange.import_case(path.read_bytes(), path.name).framework
    out = exchange.case_package(framework)

    def types(p):
        return sorted((i["fullStatement"], i.get("CFItemType", "")) for i in p["CFItems"])

    assert types(out) == types(source)
    assert out["CFDefinitions"]["CFItemTypes"][3:] == source["CFDefinitions"]["CFItemTypes"]


@pytest.mark.django_db
def test_ordering_sample_orders_siblings_by_sequence_number():
    from rtwcomp.frameworks import exchange

    path = shared_file(SAMPLES / "opensalt_Ordering.case.json")
    source = json.loads(path.read_text(encoding="utf-8"))
    tree = case.read_package(path.read_bytes(), path.name)
    numbered = [a for a in source["CFAssociations"] if "sequenceNumber" in a]
    statements = {i["identifier"]: i["fullStatement"] for i in source["CFItems"]}
    for parent in {a["destinationNodeURI"]["identifier"] for a in numbered}:
        expected = [
            statements[a["originNodeURI"]["identifier"]]
            for a in sorted(
                (a for a in numbered if a["destinationNodeURI"]["identifier"] == parent),
                key=lambda a: a["sequenceNumber"],
            )
        ]
        node = next((n for n in case.walk(tree.nodes) if n.identifier == parent), None)
        got = [c.statement for c in (node.children if node else tree.nodes)]
        assert got == expected
    assert exchange.import_case(path.read_bytes(), path.name).framework.competencies.exists()


@pytest.mark.django_db
def test_a_known_document_becomes_a_new_draft_version():
    from rtwcomp.frameworks import exchange
    from rtwcomp.frameworks.models import Framework

    path = shared_file(SAMPLES / "opensalt_SmartLevelFramework.case.json")
    first = exchange.import_case(path.read_bytes(), path.name)
    second = exchange.import_case(path.read_bytes(), path.name)
    assert not first.new_version and second.new_version
    assert second.framework.slug == first.framework.slug
    assert second.framework.version == 2
    assert Framework.objects.filter(slug=first.framework.slug).count() == 2


@pytest.mark.django_db
def test_a_user_who_may_not_edit_cannot_add_a_version(default_framework, package):
    from django.contrib.auth.models import User

    from rtwcomp.frameworks import exchange, services
    from rtwcomp.frameworks.models import Framework

    stranger = User.objects.create_user("stranger", password="x-long-password-0")
    with pytest.raises(services.SlugTaken):
        exchange.import_case(json.dumps(package), "x.json", user=stranger)
    assert Framework.objects.filter(slug=default_framework.slug).count() == 1


BROKEN = [
    ("not json {", "line 1, column 1"),
    ("[]", "$: a CFPackage is a JSON object"),
    ('{"CFItems": []}', "CFDocument"),
]


@pytest.mark.parametrize(("text", "where"), BROKEN)
def test_broken_packages_name_the_place(text, where):
    with pytest.raises(InputError) as caught:
        case.read_package(text, "bad.json")
    assert where in str(caught.value)


def test_a_bad_item_is_named_by_its_json_path():
    path = shared_file(SAMPLES / "opensalt_Ordering.case.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["CFItems"][12]["identifier"] = 7
    data["CFAssociations"][3]["sequenceNumber"] = "first"
    with pytest.raises(InputError) as caught:
        case.read_package(json.dumps(data), "o.json")
    problems = caught.value.problems
    assert "o.json: CFItems[12].identifier: must be a string" in problems
    assert "o.json: CFAssociations[3].sequenceNumber: must be an integer" in problems


@pytest.mark.django_db
def test_a_refused_package_stores_nothing():
    from rtwcomp.frameworks import exchange
    from rtwcomp.frameworks.models import Framework

    data = {
        "CFDocument": {
            "identifier": "x",
            "uri": "u",
            "creator": "c",
            "title": "t" * 300,
            "lastChangeDateTime": "2020-01-01T00:00:00Z",
        }
    }
    with pytest.raises(InputError) as caught:
        exchange.import_case(json.dumps(data), "long.json")
    assert "CFDocument.title" in str(caught.value)
    assert not Framework.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_cli_exports_and_imports_a_package(tmp_path):
    from rtwcomp.frameworks.models import Framework
    from tests.interop.cli import run

    assert run("framework", "load-default")[0] == 0
    out = tmp_path / "rtw.json"
    status, _, err = run(
        "framework", "export", "rtw-coordinator", "--format", "case", "-o", str(out)
    )
    assert status == 0, err
    assert case.schema_problems(json.loads(out.read_text(encoding="utf-8"))) == []
    status, printed, err = run("framework", "import", str(out))
    assert status == 0, err
    assert "a new version of rtw-coordinator version 2" in printed
    assert Framework.objects.get(slug="rtw-coordinator", version=2).competencies.count() == 156


@pytest.mark.django_db(transaction=True)
def test_cli_refuses_a_broken_package_without_a_traceback(tmp_path):
    from rtwcomp.frameworks.models import Framework
    from tests.interop.cli import run

    bad = tmp_path / "bad.json"
    bad.write_text('{"CFDocument": {"identifier": 3}}', encoding="utf-8")
    status, _, err = run("framework", "import", str(bad))
    assert status == 2
    assert "CFDocument.identifier: must be a string" in err
    assert "Traceback" not in err
    assert not Framework.objects.exists()


@pytest.mark.django_db
def test_web_download_and_upload_of_a_package(default_framework, client, settings):
    from django.contrib.auth.models import User

    settings.RTWCOMP_IMPORT_JOB_BYTES = 10**9  # in the request (a job: tests/jobs/test_imports.py)

    from rtwcomp.frameworks.models import Framework
    from tests.conftest import make_researcher

    page = client.get("/frameworks/rtw-coordinator/")
    assert b"/frameworks/rtw-coordinator/export.case?version=1" in page.content
    response = client.get("/frameworks/rtw-coordinator/export.case")
    assert response.status_code == 200
    assert "rtw-coordinator-v1.case.json" in response["Content-Disposition"]
    package = json.loads(response.content)
    assert package["CFDocument"]["uri"].startswith("http://testserver/ims/case/v1p1/")
    assert case.schema_problems(package) == []
    assert client.get("/frameworks/rtw-coordinator/export.exe").status_code == 404

    researcher = make_researcher("res")
    client.force_login(researcher)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("rtw.json", response.content, "application/json")
    answer = client.post("/frameworks/import/", {"file": upload, "format": ""})
    assert answer.status_code == 200  # the default framework is not theirs: refused
    assert "Nothing imported" in answer.content.decode()
    assert Framework.objects.count() == 1
    User.objects.filter(pk=researcher.pk).update(is_superuser=True)
    upload = SimpleUploadedFile("rtw.json", response.content, "application/json")
    answer = client.post("/frameworks/import/", {"file": upload, "format": ""})
    assert answer.status_code == 302
    assert answer["Location"] == "/frameworks/rtw-coordinator/?version=2"
    assert Framework.objects.get(version=2).owner_id == researcher.pk


class CaseClient:
    """A CASE v1.1 consumer written from the specification: list the documents, fetch a
    package, then each of its objects by its own endpoint."""

    def __init__(self, client, base="/ims/case/v1p1/"):
        self.client, self.base = client, base

    def get(self, path):
        response = self.client.get(self.base + path)
        return response.status_code, json.loads(response.content)

    def documents(self):
        status, body = self.get("CFDocuments")
        assert status == 200
        return body["CFDocuments"]

    def package(self, identifier):
        return self.get(f"CFPackages/{identifier}")


@pytest.mark.django_db
def test_case_api_serves_the_export_of_published_frameworks(default_framework, client):
    from rtwcomp.frameworks import exchange, services

    api = CaseClient(client)
    documents = api.documents()
    assert [d["title"] for d in documents] == [default_framework.name]
    identifier = documents[0]["identifier"]
    status, package = api.package(identifier)
    assert status == 200
    assert package == exchange.case_package(default_framework, "http://testserver/ims/case/v1p1/")
    assert api.get(f"CFDocuments/{identifier}") == (200, package["CFDocument"])
    for kind, objects in (
        ("CFItems", package["CFItems"][:5]),
        ("CFAssociations", package["CFAssociations"][:5]),
        ("CFRubrics", package["CFRubrics"]),
        ("CFItemTypes", package["CFDefinitions"]["CFItemTypes"]),
    ):
        for obj in objects:
            assert api.get(f"{kind}/{obj['identifier']}") == (200, obj)
    draft = services.new_draft(default_framework)
    draft.name = "Changed draft"
    draft.save()
    assert [d["title"] for d in api.documents()] == [default_framework.name]


@pytest.mark.django_db
def test_case_api_errors_are_imsx_status_info(default_framework, client):
    api = CaseClient(client)
    status, body = api.get("CFItems/not-a-uuid")
    assert status == 400
    assert body["imsx_codeMajor"] == "failure"
    field = body["imsx_codeMinor"]["imsx_codeMinorField"][0]
    assert field["imsx_codeMinorFieldValue"] == "invalid_uuid"
    status, body = api.get("CFPackages/00000000-0000-4000-8000-000000000000")
    assert status == 404
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == (
        "unknownobject"
    )
    assert api.get("CFSubjects/x")[0] == 404
    assert client.post("/ims/case/v1p1/CFDocuments").status_code == 405


@pytest.mark.django_db
def test_a_studys_case_package_carries_its_validation_statistics(default_framework, tmp_path):
    """Each surveyed item: the study, n, the share rating 4-5 with its interval, key status,
    equal to the study's own analysis; items not surveyed carry none."""
    from rtwcomp.cli import main
    from rtwcomp.surveys import studies
    from rtwcomp.surveys.results import cached_analysis
    from tests.surveys import simulate

    study = studies.open_study(
        studies.create_study(name="Validation", framework=default_framework, items="20")
    )
    simulate.simulate(study, 40, seed=5)
    out = tmp_path / "case.json"
    assert main(["study", "export", study.slug, "--format", "case", "-o", str(out)]) == 0
    package = json.loads(out.read_text(encoding="utf-8"))
    assert case.schema_problems(package) == []
    found = {}
    for item in package["CFItems"]:  # French texts are items of their own, without statistics
        ours = (item.get("extensions") or {}).get("rtwcomp", {})
        if "validation" in ours:
            found[item["humanCodingScheme"]] = ours["validation"]
    stats = cached_analysis(study)[1].items.set_index("item")
    assert set(found) == set(stats.index)
    for code, validation in found.items():
        assert validation["n"] == stats.loc[code, "n"] and validation["respondents"] == 40
        assert validation["shareTop"] == pytest.approx(stats.loc[code, "share_top"])
        low, high = validation["shareTopInterval"]
        assert low == pytest.approx(stats.loc[code, "share_top_low"])
        assert high == pytest.approx(stats.loc[code, "share_top_high"])
        assert validation["key"] == bool(stats.loc[code, "key"])
        assert validation["study"] == "Validation" and "more than 50%" in validation["rule"]


@pytest.mark.django_db
def test_a_new_draft_of_an_imported_package_keeps_its_identifiers():
    from rtwcomp.frameworks import exchange, services

    path = shared_file(SAMPLES / "opensalt_sample_framework.case.json")
    imported = exchange.import_case(path.read_bytes(), path.name).framework
    draft = services.new_draft(imported)
    assert draft.version == imported.version + 1

    def identifiers(framework):
        package = exchange.case_package(framework)
        return package["CFDocument"]["identifier"], {i["identifier"] for i in package["CFItems"]}

    assert identifiers(draft) == identifiers(imported)
