"""A respondent's path through a study, with the test client (no JavaScript)."""

from django.test import Client

from rtwcomp.surveys.models import Answer, SurveyResponse
from tests.surveys.conftest import answer_page


def start(client, study):
    response = client.post(f"/s/{study.slug}/")
    assert response.status_code == 302 and response.url == f"/s/{study.slug}/page/1/"


def test_complete_path_stores_every_answer_once(open_study):
    client = Client()
    start(client, open_study)
    items = list(open_study.items.order_by("position"))
    page1 = client.get(f"/s/{open_study.slug}/page/1/").content.decode()
    assert page1.count('<fieldset class="item') == 10
    assert 'max="3" value="1"' in page1  # two item pages and the page about the respondent
    first = {item: (i % 5) + 1 for i, item in enumerate(items[:10])}
    assert answer_page(client, open_study, 1, first).status_code == 302
    assert answer_page(client, open_study, 1, first).status_code == 302  # sent twice
    second = {item: 4 for item in items[10:]}
    assert answer_page(client, open_study, 2, second).status_code == 302
    done = client.post(
        f"/s/{open_study.slug}/page/3/",
        {"action": "submit", "q-country": "CA", "q-profession": "nurse", "q-years": "7"},
    )
    assert done.status_code == 302 and done.url.endswith("/thanks/")
    client.post(f"/s/{open_study.slug}/page/3/", {"action": "submit"})  # double click
    response = SurveyResponse.objects.get(study=open_study)
    assert response.completed
    assert response.attributes["country"] == "CA" and response.attributes["years"] == "7"
    stored = dict(Answer.objects.filter(response=response).values_list("item_id", "value"))
    assert stored == {item.pk: value for item, value in {**first, **second}.items()}
    assert Answer.objects.filter(response=response).count() == 20
    assert client.get(f"/s/{open_study.slug}/").url.endswith("/thanks/")


def test_soft_required_warns_once_then_lets_through(open_study):
    client = Client()
    start(client, open_study)
    items = list(open_study.items.order_by("position"))[:10]
    partial = {item: 3 for item in items[:7]}
    warned = answer_page(client, open_study, 1, partial)
    assert warned.status_code == 200
    page = warned.content.decode()
    assert "3 competencies on this page are not rated" in page
    assert answer_page(client, open_study, 1, partial).status_code == 302


def test_out_of_scale_value_is_refused_with_a_message(open_study):
    client = Client()
    start(client, open_study)
    item = open_study.items.order_by("position").first()
    response = answer_page(client, open_study, 1, {item: 9})
    assert response.status_code == 400
    assert "Choose one of the scale points." in response.content.decode()
    assert not Answer.objects.filter(item=item, value__isnull=False).exists()


def test_save_and_resume_with_a_code_on_another_device(open_study):
    first_device = Client()
    start(first_device, open_study)
    item = open_study.items.order_by("position").first()
    saved = answer_page(first_device, open_study, 1, {item: 5}, action="save")
    page = saved.content.decode()
    assert "resume-code" in page
    code = page.split('id="resume-code">')[1].split("<")[0]
    assert len(code) == 14
    other = Client()
    assert other.get(f"/s/{open_study.slug}/page/1/").status_code == 302  # not started here
    resumed = other.post(f"/s/{open_study.slug}/resume/", {"code": code.lower()})
    assert resumed.status_code == 302
    page = other.get(resumed.url).content.decode()
    assert f'name="item-{item.pk}" value="5" checked' in page
    assert SurveyResponse.objects.filter(study=open_study).count() == 1
    wrong = Client().post(f"/s/{open_study.slug}/resume/", {"code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400


def test_access_code_is_required_when_set(open_study):
    open_study.access_code = "rtw2026"
    open_study.save()
    client = Client()
    refused = client.post(f"/s/{open_study.slug}/", {"access_code": "nope"})
    assert refused.status_code == 400 and "access code is not right" in refused.content.decode()
    assert not SurveyResponse.objects.exists()
    assert client.post(f"/s/{open_study.slug}/", {"access_code": "rtw2026"}).status_code == 302


def test_closed_study_takes_no_answers(open_study):
    from rtwcomp.surveys import studies

    studies.close_study(open_study)
    assert Client().post(f"/s/{open_study.slug}/").status_code == 403


def test_hostile_text_in_answers_is_escaped(open_study):
    client = Client()
    start(client, open_study)
    page = client.post(
        f"/s/{open_study.slug}/page/3/",
        {"action": "save", "q-years": "<script>alert(1)</script>"},
    )
    assert page.status_code == 400  # not a number
    assert "<script>alert(1)" not in page.content.decode()


def language_switches(html: str) -> int:
    return html.count('class="respondent-language"') + html.count('class="language"')


def test_respondent_pages_carry_only_what_a_respondent_needs(open_study, researcher_client):
    """The study's title, one language switch and the page's progress: none of the
    researcher's navigation, even for a researcher who is logged in."""
    slug = open_study.slug
    client = Client()
    pages = {"landing": client.get(f"/s/{slug}/"), "resume": client.get(f"/s/{slug}/resume/")}
    start(client, open_study)
    pages["page"] = client.get(f"/s/{slug}/page/1/")
    pages["saved"] = answer_page(client, open_study, 1, {}, action="save")
    pages["researcher"] = researcher_client.get(f"/s/{slug}/")
    for name, answer in pages.items():
        html = answer.content.decode()
        assert answer.status_code == 200, name
        assert 'aria-label="Main"' not in html and 'href="/frameworks/"' not in html, name
        assert "Log out" not in html and "Log in" not in html, name
        assert language_switches(html) == 1, name
        assert '<span class="brand">Importance survey</span>' in html, name
    assert 'id="progress" max="3" value="1"' in pages["page"].content.decode()
    # the researcher's own pages keep their navigation
    assert 'aria-label="Main"' in researcher_client.get("/studies/").content.decode()


def test_a_failed_page_puts_the_error_summary_first_for_the_focus_script(open_study):
    client = Client()
    start(client, open_study)
    item = open_study.items.order_by("position").first()
    html = answer_page(client, open_study, 1, {item: 9}).content.decode()
    summary = html.index("data-error-summary")
    tag = html[html.rindex("<div", 0, summary) : html.index(">", summary)]
    assert 'role="alert"' in tag and 'tabindex="-1"' in tag
    assert summary < html.index('<form method="post" class="survey-page"')
    assert '<script src="/static/rtwcomp/focus.js" defer></script>' in html
    assert "<script>" not in html  # no inline script (CSP)
