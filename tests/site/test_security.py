"""The security baseline: headers, secrets, login throttling, CSRF."""

import pytest
from django.contrib.auth.models import User
from django.test import Client


def test_headers_on_every_page(client, default_framework):
    for url in ("/", "/frameworks/rtw-coordinator/", "/accounts/login/", "/api/v1/frameworks"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "default-src 'self'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client, default_framework):
    for url in ("/", "/frameworks/rtw-coordinator/", "/frameworks/rtw-coordinator/RTWC-001/"):
        page = client.get(url).content.decode()
        assert "<script>" not in page and "style=" not in page


def test_secret_key_is_generated_once_and_kept(settings):
    from rtwcomp.paths import data_dir, secret_key

    stored = (data_dir() / "secret_key").read_text().strip()
    assert settings.SECRET_KEY == stored == secret_key()
    assert len(stored) >= 50
    assert (data_dir() / "secret_key").stat().st_mode & 0o077 == 0


def test_debug_is_off_by_default(settings):
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_login_is_throttled_after_five_failures():
    User.objects.create_user("coordinator", password="correct horse battery")
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "coordinator", "password": "x"})
    assert response.status_code == 429
    response = client.post(
        "/accounts/login/", {"username": "coordinator", "password": "correct horse battery"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_works_and_logout_needs_post():
    User.objects.create_user("coordinator", password="correct horse battery")
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "coordinator", "password": "correct horse battery"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_admin_needs_staff(client):
    assert client.get("/admin/").status_code == 302
