"""The researcher pages: access, the whole path through plain forms, hostile text."""

import re

import pytest
from django.urls import reverse

from rtwcomp.elicitation import services
from rtwcomp.elicitation.models import Item, Statement
from tests.conftest import make_researcher

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def staff(client, researcher):
    client.force_login(researcher)
    return client


def test_anonymous_users_go_to_login_and_others_are_refused(client, project, django_user_model):
    urls = [
        reverse("elicitation:index"),
        reverse("elicitation:project", args=[project.slug]),
        reverse("elicitation:items", args=[project.slug]),
        reverse("elicitation:export", args=[project.slug]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    coordinator = django_user_model.objects.create_user("coord", password="x" * 12)
    client.force_login(coordinator)
    for url in [*urls, reverse("elicitation:project", args=["no-such-project"])]:
        assert client.get(url).status_code == 403  # the same whether or not it exists
    assert "Focus groups" not in client.get("/").content.decode()


def test_researchers_get_in_and_see_only_their_projects(client, project, django_user_model):
    staff_only = django_user_model.objects.create_user("staff", password="x" * 12, is_staff=True)
    client.force_login(staff_only)
    assert client.get(reverse("elicitation:index")).status_code == 403  # staff grants nothing
    user = make_researcher("analyst")
    client.force_login(user)
    index = client.get(reverse("elicitation:index"))
    assert index.status_code == 200 and project.name not in index.content.decode()
    assert "Focus groups" in client.get("/").content.decode()
    assert client.get(reverse("elicitation:project", args=[project.slug])).status_code == 404
    project.collaborators.add(user)
    assert client.get(reverse("elicitation:project", args=[project.slug])).status_code == 200


def test_paste_suggest_accept_sort_promote_and_provenance(staff, db, run_jobs):
    response = staff.post(reverse("elicitation:index"), {"name": "Pilot", "role": "nurse"})
    project_url = response.url
    slug = project_url.strip("/").split("/")[-1]
    staff.post(
        reverse("elicitation:add_session", args=[slug]),
        {"session-code": "AU-1", "session-country": "Australia"},
    )
    session = services.project_named("Pilot").sessions.get()
    for code in ("P01", "P02"):
        staff.post(
            reverse("elicitation:add_participant", args=[slug]),
            {"participant-code": code, "participant-session": session.pk},
        )
    staff.post(
        reverse("elicitation:paste", args=[slug]),
        {
            "session": session.pk,
            "text": "P01: Keeping information confidential\n"
            "P02: Information stays confidential\n\nHandling angry workers\n",
        },
    )
    assert Statement.objects.count() == 3
    page = staff.get(project_url).content.decode()
    assert "3 statements: 3 not yet in an item, 0 set aside as off-topic" in page
    staff.post(
        reverse("elicitation:suggestions", args=[slug]), {"method": "lexical", "threshold": "0.2"}
    )
    run_jobs()  # suggesting is a background job
    page = staff.get(reverse("elicitation:suggestions", args=[slug])).content.decode()
    assert "Suggestion: 2 statements that may say the same thing" in page
    ids = [s.pk for s in Statement.objects.filter(text__icontains="confidential")]
    staff.post(
        reverse("elicitation:accept", args=[slug]),
        {"statement": ids, "text": "Keeps information confidential", "target": ""},
    )
    item = Item.objects.get()
    staff.post(
        reverse("elicitation:update_item", args=[slug, item.code]),
        {"statement": "Keeps information confidential", "ksab_type": "behaviour"},
    )
    page = staff.get(reverse("elicitation:items", args=[slug])).content.decode()
    assert "Said 2 times in 1 session" in page
    response = staff.post(reverse("elicitation:start_sort", args=[slug]), {"label": "Mine"})
    sort_url = response.url
    sort_pk = int(sort_url.strip("/").split("/")[-1])
    staff.post(reverse("elicitation:add_group", args=[slug, sort_pk]), {"name": "Ethics"})
    page = staff.get(sort_url).content.decode()
    group_id = re.search(r'<option value="(\d+)">Ethics</option>', page)[1]
    staff.post(sort_url, {f"item-{item.pk}": group_id})
    assert item.placements.get().group.name == "Ethics"
    response = staff.post(
        reverse("elicitation:promote", args=[slug, sort_pk]),
        {"slug": "pilot-framework", "name": "Pilot framework"},
    )
    assert response.url == "/frameworks/pilot-framework/?version=1"
    page = staff.get(f"/frameworks/pilot-framework/{item.code}/").content.decode()
    assert "Said 2 times in 1 session." in page
    assert "Information stays confidential" in page
    staff.logout()
    draft_url = f"/frameworks/pilot-framework/{item.code}/"
    assert staff.get(draft_url).status_code == 404  # drafts are private
    from rtwcomp.frameworks.models import Framework
    from rtwcomp.frameworks.services import publish

    publish(Framework.objects.get(slug="pilot-framework"))
    public = staff.get(draft_url).content.decode()
    assert "Said 2 times in 1 session." in public
    assert "Information stays confidential" not in public


def test_upload_errors_are_shown_and_nothing_is_imported(staff, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("fg.csv", b"session,text\nAU-1,Fine\n,No session\n")
    page = staff.post(
        reverse("elicitation:upload", args=[project.slug]), {"file": bad}
    ).content.decode()
    assert "Nothing was imported" in page
    assert "fg.csv: line 3, column &#x27;session&#x27;: a value is required" in page
    assert project.statements.count() == 6
    good = SimpleUploadedFile("fg.csv", b"session,text\nAU-9,Fine\n")
    staff.post(reverse("elicitation:upload", args=[project.slug]), {"file": good})
    assert project.statements.count() == 7


def test_hostile_text_is_escaped_everywhere(staff, project, researcher):
    session = project.sessions.first()
    services.paste_statements(project, session, HOSTILE)
    statement = project.statements.get(text=HOSTILE)
    item = services.accept(project, [statement], HOSTILE)
    sort = services.start_sort(project, researcher, HOSTILE)
    group = services.add_group(sort, HOSTILE)
    services.place(sort, {item.pk: group.pk})
    services.start_sort(project, researcher, "second")
    for name, args in [
        ("project", [project.slug]),
        ("suggestions", [project.slug]),
        ("items", [project.slug]),
        ("sorts", [project.slug]),
        ("sort", [project.slug, sort.pk]),
        ("dendrogram", [project.slug]),
    ]:
        response = staff.get(reverse(f"elicitation:{name}", args=args))
        body = response.content.decode()
        assert response.status_code == 200, name
        assert HOSTILE not in body, name
        assert "<script>" not in body and "style=" not in body, name
    svg = staff.get(reverse("elicitation:dendrogram", args=[project.slug]))
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert "&lt;script&gt;" in svg.content.decode()


def test_export_csv(staff, project):
    response = staff.get(reverse("elicitation:export", args=[project.slug]))
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "statement_id,session,participant,text,item,item_statement,ksab_type,set_aside"
    )
    assert len(lines) == 7


def test_merge_and_move_through_the_items_page(staff, project):
    first = services.accept(project, list(project.statements.filter(session__code="AU-1")))
    second = services.accept(project, list(project.statements.filter(session__code="CA-1")))
    url = reverse("elicitation:merge_items", args=[project.slug, second.code])
    staff.post(url, {"into": second.code})
    assert Item.objects.count() == 2  # not into itself
    staff.post(url, {"into": "I999"})
    assert Item.objects.count() == 2
    staff.post(url, {"into": first.code})
    assert list(Item.objects.all()) == [first] and first.statements.count() == 6
    moved = first.statements.first()
    staff.post(reverse("elicitation:release", args=[project.slug]), {"statement": [moved.pk]})
    moved.refresh_from_db()
    assert moved.item is None
    staff.post(
        reverse("elicitation:accept", args=[project.slug]),
        {"statement": [moved.pk], "target": first.pk, "next": "items"},
    )
    moved.refresh_from_db()
    assert moved.item == first
