"""The OpenAPI document declares every answer the API gives, with the body it really has."""

from __future__ import annotations

import json

import pytest
import requests
import schemathesis
from django.test import Client

from rtwcomp.site.models import ApiToken
from rtwcomp.surveys import exports
from tests.conftest import make_researcher

DOC_URL = "/api/v1/openapi.json"
ERROR = "#/components/schemas/Error"
INVALID = "#/components/schemas/ValidationFailed"


@pytest.fixture(scope="module")
def doc():
    return Client().get(DOC_URL).json()


def operations(doc):
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def json_schema(operation, status):
    return operation["responses"][status]["content"]["application/json"]["schema"]


def can_fail_validation(parameter):
    """A parameter other than free text can be sent in a form it does not accept."""
    return parameter["schema"].get("type") != "string"


def test_every_operation_declares_the_statuses_it_can_answer_with(doc):
    found = list(operations(doc))
    assert len(found) >= 6
    for path, method, operation in found:
        where = f"{method.upper()} {path}"
        declared = set(operation["responses"])
        # A write (POST) answers 201 with what it made, or 400 with why it refused.
        done, refused = ("201", {"400"}) if method == "post" else ("200", set())
        assert done in declared, where
        if "{" in path:  # a detail: the object may not exist, or not be visible
            assert json_schema(operation, "404") == {"$ref": ERROR}, where
        if operation.get("security") and {} not in operation["security"]:
            assert json_schema(operation, "401") == {"$ref": ERROR}, where
        if {} in operation.get("security", []):  # anonymous callers are served too
            assert "401" not in declared, where
        if any(can_fail_validation(p) for p in operation["parameters"]):
            assert json_schema(operation, "422") == {"$ref": INVALID}, where
        else:  # nothing to reject: the document promises no 422 the API never gives
            assert "422" not in declared, where
        # The server's own refusal of a request line over its limit, an HTML page.
        assert "content" not in operation["responses"]["414"], where
        assert declared <= {done, "401", "404", "414", "422", *refused}, where


def test_exports_declare_their_file_types(doc):
    content = doc["paths"]["/api/v1/studies/{slug}/export"]["get"]["responses"]["200"]["content"]
    assert set(content) == {content_type for content_type, _ in exports.FORMATS.values()}
    for content_type, declared in content.items():
        expected = {"type": "string", "format": "binary"}
        if content_type == "application/json":  # a JSON document, which validators parse
            expected = {"type": "object"}
        assert declared["schema"] == expected, content_type


def test_error_schemas_hold_detail(doc):
    schemas = doc["components"]["schemas"]
    assert schemas["Error"]["required"] == ["detail"]
    assert schemas["Error"]["properties"]["detail"]["type"] == "string"
    assert schemas["ValidationFailed"]["properties"]["detail"]["type"] == "array"


@pytest.fixture
def checked(doc):
    """Get a URL and check its answer against what the document declares for `operation`."""
    schema = schemathesis.openapi.from_dict(doc)

    def get(path, url, **headers):
        answer = Client().get(url, **headers)
        operation = schema[path]["GET"]
        declared = operation.definition.raw["responses"].get(str(answer.status_code))
        assert declared is not None, f"{answer.status_code} is not declared for {path}"
        media_type = answer.headers["Content-Type"].split(";")[0]
        assert media_type in declared["content"], f"{media_type} is not declared for {path}"
        response = schemathesis.Response(
            status_code=answer.status_code,
            headers={name: [value] for name, value in answer.headers.items()},
            content=answer.content,
            request=requests.Request("GET", f"http://testserver{url}").prepare(),
            elapsed=0.0,
            verify=True,
        )
        operation.validate_response(response)  # raises when the body breaks the schema
        return answer

    return get


@pytest.mark.django_db
def test_404_and_401_and_422_bodies_match_the_declared_schemas(checked, default_framework):
    not_found = checked("/api/v1/frameworks/{slug}", "/api/v1/frameworks/nope")
    assert not_found.status_code == 404 and not_found.json() == {"detail": "Not Found"}

    unauthorized = checked("/api/v1/studies", "/api/v1/studies")
    assert unauthorized.status_code == 401 and unauthorized.json() == {"detail": "Unauthorized"}

    invalid = checked("/api/v1/frameworks/{slug}", "/api/v1/frameworks/rtw-coordinator?version=x")
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["loc"] == ["query", "version"]

    found = checked("/api/v1/frameworks/{slug}", "/api/v1/frameworks/rtw-coordinator")
    assert found.status_code == 200


@pytest.mark.django_db
def test_a_slug_holding_a_slash_is_a_json_404():
    answer = Client().get("/api/v1/frameworks/a%2Fb")
    assert answer.status_code == 404 and answer.json() == {"detail": "Not Found"}
    assert Client().post("/api/v1/no-such-thing").json() == {"detail": "Not Found"}


@pytest.mark.django_db
def test_study_answers_match_the_declared_schemas(checked, default_framework):
    from rtwcomp.surveys import studies
    from tests.surveys import simulate

    researcher = make_researcher("owner", password="x-long-password-9")
    study = studies.open_study(
        studies.create_study(
            name="Checked", framework=default_framework, items="10", owner=researcher
        )
    )
    simulate.simulate(study, 12, seed=3)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(researcher)}"}
    assert checked("/api/v1/studies", "/api/v1/studies", **bearer).status_code == 200
    detail = checked("/api/v1/studies/{slug}", f"/api/v1/studies/{study.slug}", **bearer)
    assert detail.status_code == 200
    path = "/api/v1/studies/{slug}/results"
    assert checked(path, f"/api/v1/studies/{study.slug}/results", **bearer).status_code == 200
    assert checked(path, "/api/v1/studies/nope/results", **bearer).status_code == 404
    path = "/api/v1/studies/{slug}/export"
    for fmt in exports.FORMATS:
        url = f"/api/v1/studies/{study.slug}/export?format={fmt}"
        assert checked(path, url, **bearer).status_code == 200


def reject(constant):
    raise ValueError(f"{constant} is not JSON")


def test_the_renderer_writes_undefined_numbers_as_null():
    from rtwcomp.api.v1 import api

    data = {"alpha": float("-inf"), "rows": [float("nan"), 1.5, (float("inf"), "x")]}
    text = api.renderer.render(None, data, response_status=200)
    assert json.loads(text, parse_constant=reject) == {
        "alpha": None,
        "rows": [None, 1.5, [None, "x"]],
    }


@pytest.mark.django_db
def test_results_of_two_respondents_are_standard_json(checked, default_framework):
    """Two answers leave some statistics undefined (e.g. alpha if an item is deleted)."""
    from rtwcomp.surveys import studies
    from tests.surveys import simulate

    researcher = make_researcher("owner", password="x-long-password-9")
    study = studies.open_study(
        studies.create_study(name="Two", framework=default_framework, items="10", owner=researcher)
    )
    simulate.simulate(study, 2, seed=9)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(researcher)}"}
    url = f"/api/v1/studies/{study.slug}/results"
    answer = checked("/api/v1/studies/{slug}/results", url, **bearer)
    assert answer.status_code == 200
    json.loads(answer.content, parse_constant=reject)
