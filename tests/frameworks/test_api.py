"""The REST API for frameworks."""


def test_list_and_detail(client, default_framework):
    listing = client.get("/api/v1/frameworks").json()
    assert listing == [
        {
            "slug": "rtw-coordinator",
            "name": "RTW coordinator competencies",
            "version": 1,
            "status": "published",
            "language": "en",
            "groups": 8,
            "competencies": 156,
        }
    ]
    data = client.get("/api/v1/frameworks/rtw-coordinator").json()
    assert [g["key"] for g in data["groups"]][:2] == [
        "administration",
        "individual personal attributes",
    ]
    codes = [c["code"] for g in data["groups"] for c in g["competencies"]]
    assert len(codes) == len(set(codes)) == 156
    first = data["groups"][0]["competencies"][0]
    assert first["translations"]["fr"]["statement"].startswith("Organise")


def test_unknown_framework_is_404(client, db):
    assert client.get("/api/v1/frameworks/none").status_code == 404
    assert client.get("/api/v1/frameworks/none?version=3").status_code == 404


def test_openapi_document(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/frameworks/{slug}" in doc["paths"]
    docs_page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in docs_page
