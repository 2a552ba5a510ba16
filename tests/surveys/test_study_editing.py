"""Setting a study up on the web: the selection shown before saving, editing a draft (items,
texts in English and French, dates), its questions, the preview, and the dates respondents
meet."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rtwcomp.surveys import studies
from rtwcomp.surveys.models import Study, SurveyResponse
from tests.surveys.test_researcher_pages import SETTINGS


@pytest.fixture
def draft(default_framework, researcher):
    return studies.create_study(
        name="Draft study",
        framework=default_framework,
        items="RTWC-001,RTWC-002,RTWC-003,RTWC-030,RTWC-060",
        owner=researcher,
        items_per_page=5,
        answer_rule="optional",
        description="Welcome.",
    )


def form_data(study, **changes):
    data = {
        **SETTINGS,
        "name": study.name,
        "framework": study.framework_id,
        "selection": "hand",
        "codes": [i.competency.code for i in study.items.all()],
        "anonymous": "on",
        "answer_rule": "optional",
        "items_per_page": 5,
        "step": "save",
    }
    data.update(changes)
    return data


def test_show_draws_the_selection_with_citations_and_warns_of_groups_left_out(
    researcher_client, default_framework
):
    data = {
        **SETTINGS,
        "name": "Shown",
        "framework": default_framework.pk,
        "selection": "hand",
        "codes": ["RTWC-001", "RTWC-002"],
        "step": "show",
    }
    page = researcher_client.post("/studies/new/", data).content.decode()
    assert "2 items from 1 of 8 groups." in page
    assert "The selection leaves out whole groups:" in page and "Communication" in page
    assert "Sources cited" in page
    assert not Study.objects.filter(name="Shown").exists()  # nothing saved
    spread = researcher_client.post(
        "/studies/new/", {**data, "selection": "per_group", "count": "2", "codes": []}
    ).content.decode()
    assert "16 items from 8 of 8 groups." in spread
    assert "leaves out whole groups" not in spread


def test_search_keeps_checked_items_and_shows_only_matches(researcher_client, default_framework):
    data = {
        "name": "Searched",
        "framework": default_framework.pk,
        "selection": "hand",
        "codes": ["RTWC-001"],
        "search": "confidential",
        "step": "search",
    }
    page = researcher_client.post("/studies/new/", data).content.decode()
    checked = 'name="codes" value="RTWC-001" id="code-RTWC-001" checked'
    assert checked in page
    statements = [
        c for c in default_framework.competencies.all() if "confidential" in c.search_text
    ]
    assert statements, "the default framework speaks of confidentiality"
    for c in statements:
        assert f'value="{c.code}"' in page
    assert 'value="RTWC-002"' not in page  # neither matching nor checked


def test_the_setup_page_works_in_french(researcher_client, default_framework):
    researcher_client.cookies["django_language"] = "fr"
    page = researcher_client.get("/studies/new/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    french = default_framework.competencies.get(code="RTWC-001").translated("statement", "fr")
    assert french in page


def test_edit_a_draft_items_texts_and_dates(researcher_client, draft):
    page = researcher_client.get(f"/studies/{draft.slug}/edit/").content.decode()
    assert 'value="RTWC-030" id="code-RTWC-030" checked' in page
    opens = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = researcher_client.post(
        f"/studies/{draft.slug}/edit/",
        form_data(
            draft,
            name_fr="Étude provisoire",
            description_fr="Bienvenue.",
            thanks="Thanks a lot.",
            thanks_fr="Merci beaucoup.",
            codes=["RTWC-002", "RTWC-090"],
            opens_at=opens,
        ),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert [i.competency.code for i in draft.items.all()] == ["RTWC-002", "RTWC-090"]
    assert draft.rounds.get().items.count() == 2
    assert draft.translations["fr"] == {
        "name": "Étude provisoire",
        "description": "Bienvenue.",
        "thanks": "Merci beaucoup.",
    }
    assert draft.opens_at.strftime("%Y-%m-%dT%H:%M") == opens


def test_closing_before_opening_is_refused_on_the_field(researcher_client, draft):
    later = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    earlier = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = researcher_client.post(
        f"/studies/{draft.slug}/edit/", form_data(draft, opens_at=later, closes_at=earlier)
    )
    assert response.status_code == 400
    assert "The closing moment must come after the opening." in response.content.decode()


def test_an_open_study_is_not_edited(researcher_client, draft):
    studies.open_study(draft)
    response = researcher_client.post(f"/studies/{draft.slug}/edit/", form_data(draft, name="X"))
    assert response.status_code == 400
    assert "only a draft study can be changed" in response.content.decode()
    assert Study.objects.get(pk=draft.pk).name == "Draft study"
    with pytest.raises(studies.SetupError):
        studies.replace_questions(draft, [])


def question_data(study, rows):
    """The questions page's formset data: `rows` of field dicts, then a blank new form."""
    data = {
        "q-TOTAL_FORMS": str(len(rows) + 1),
        "q-INITIAL_FORMS": str(study.questions.count()),
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "30",
        "step": "save",
    }
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"q-{n}-{key}"] = value
    return data


def current_rows(study):
    from rtwcomp.surveys.forms import question_initial

    rows = []
    for n, question in enumerate(study.questions.all(), start=1):
        row = {k: v for k, v in question_initial(question).items() if v not in (False, "")}
        row = {k: ("on" if v is True else v) for k, v in row.items()}
        rows.append({**row, "ORDER": str(n)})
    return rows


def test_questions_are_changed_added_removed_and_reordered(researcher_client, draft):
    rows = current_rows(draft)
    assert [r["key"] for r in rows][:2] == ["country", "employer"]
    rows[0]["DELETE"] = "on"  # country goes
    rows[1]["ORDER"] = "99"  # employer goes last
    rows[2]["label_fr"] = "Votre métier"
    rows[2]["required"] = "on"
    rows.append(
        {
            "key": "region",
            "label": "Region",
            "label_fr": "Région",
            "kind": "choice",
            "choices": "north | North | Nord\nsouth | South | Sud",
            "other": "on",
            "ORDER": "1",
        }
    )
    response = researcher_client.post(
        f"/studies/{draft.slug}/questions/", question_data(draft, rows[:-1] + [rows[-1]])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    keys = list(draft.questions.values_list("key", flat=True))
    assert keys == ["region", "profession", "clients", "years", "certified", "employer"]
    region = draft.questions.get(key="region")
    assert region.translated("label", "fr") == "Région"
    assert region.choices[-1] == {
        "value": "other",
        "label": "Other, please specify",
        "translations": {"fr": "Autre, veuillez préciser"},
        "specify": True,
    }
    profession = draft.questions.get(key="profession")
    assert profession.required and profession.translated("label", "fr") == "Votre métier"


def test_bad_choices_are_named_on_the_field(researcher_client, draft):
    rows = current_rows(draft)
    rows[0]["choices"] = "a b c | Only one"
    response = researcher_client.post(
        f"/studies/{draft.slug}/questions/", question_data(draft, rows)
    )
    assert response.status_code == 400
    assert (
        "Line 1: a code (letters, digits, - or _) and an English label."
        in response.content.decode()
    )
    assert draft.questions.get(key="country").choices[0]["value"] == "AU"


def test_default_questions_can_be_put_back(researcher_client, draft):
    studies.replace_questions(draft, [])
    response = researcher_client.post(f"/studies/{draft.slug}/questions/", {"step": "defaults"})
    assert response.status_code == 302
    assert draft.questions.count() == len(studies.default_questions())


def test_preview_shows_the_instrument_in_both_languages_and_stores_nothing(
    researcher_client, draft
):
    studies.update_study(
        draft,
        translations={"fr": {"name": "Étude provisoire", "thanks": "Merci beaucoup."}},
        thanks="Thanks a lot.",
    )
    url = f"/studies/{draft.slug}/preview/"
    intro_en = researcher_client.get(url).content.decode()
    assert "Draft study" in intro_en and "Welcome." in intro_en
    intro_fr = researcher_client.get(url, {"lang": "fr", "page": "0"}).content.decode()
    assert "Étude provisoire" in intro_fr
    first = draft.items.first().competency
    page_fr = researcher_client.get(url, {"lang": "fr", "page": "1"}).content.decode()
    assert first.translated("statement", "fr") in page_fr
    assert first.statement not in page_fr
    assert 'lang="fr"' in page_fr.split(">", 2)[1]  # the page itself is in French
    page_en = researcher_client.get(url, {"lang": "en", "page": "1"}).content.decode()
    assert first.statement in page_en and "Preview: nothing entered here is stored" in page_en
    questions = researcher_client.get(url, {"lang": "fr", "page": "2"}).content.decode()
    assert "Pays où vous travaillez" in questions and 'name="q-country_other"' in questions
    thanks = researcher_client.get(url, {"lang": "fr", "page": "3"}).content.decode()
    assert "Merci beaucoup." in thanks
    moved = researcher_client.post(
        url + "?lang=fr&page=1", {"action": "next", f"item-{draft.items.first().pk}": "5"}
    )
    assert moved.status_code == 302 and moved["Location"].endswith("?lang=fr&page=2")
    switched = researcher_client.post(
        url + "?lang=fr&page=1", {"action": "language", "language": "en"}
    )
    assert switched["Location"].endswith("?lang=en&page=1")
    assert not SurveyResponse.objects.filter(study=draft).exists()


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (timedelta(days=1), None, "This study opens on"),
        (None, -timedelta(hours=1), "This study closed on"),
    ],
)
def test_respondents_meet_the_dates(draft, opens, closes, message):
    now = timezone.now()
    draft.opens_at = now + opens if opens else None
    draft.closes_at = now + closes if closes else None
    draft.save()
    studies.open_study(draft)
    respondent = Client()
    landing = respondent.get(f"/s/{draft.slug}/")
    assert landing.status_code == 403 and message in landing.content.decode()
    assert respondent.post(f"/s/{draft.slug}/").status_code == 403
    assert not SurveyResponse.objects.filter(study=draft).exists()


def test_availability_between_the_dates(draft):
    now = timezone.now()
    draft.opens_at, draft.closes_at = now - timedelta(hours=1), now + timedelta(hours=1)
    assert not studies.availability(draft, now).open  # a draft
    assert studies.availability(draft, now, test=True).open  # but a test response may answer
    draft.status = Study.Status.OPEN
    assert studies.availability(draft, now).open
    assert not studies.availability(draft, now + timedelta(hours=2)).open
    assert not studies.availability(draft, now - timedelta(hours=2)).open
    draft.status = Study.Status.CLOSED
    assert not studies.availability(draft, now, test=True).open


def test_french_respondents_see_the_french_title_and_thank_you(draft):
    french = {"name": "Étude provisoire", "description": "Bienvenue.", "thanks": "Merci beaucoup."}
    studies.update_study(draft, translations={"fr": french})
    studies.open_study(draft)
    respondent = Client()
    respondent.cookies["django_language"] = "fr"
    landing = respondent.get(f"/s/{draft.slug}/").content.decode()
    assert "Étude provisoire" in landing and "Bienvenue." in landing
    assert "Draft study" not in landing and "Welcome." not in landing
    respondent.post(f"/s/{draft.slug}/")
    respondent.post(f"/s/{draft.slug}/page/1/", {"action": "next"})
    done = respondent.post(f"/s/{draft.slug}/page/2/", {"action": "submit"}, follow=True)
    assert "Merci beaucoup." in done.content.decode()


def test_the_other_choice_shows_a_text_box_and_keeps_the_text(draft):
    studies.open_study(draft)
    respondent = Client()
    respondent.post(f"/s/{draft.slug}/")
    respondent.post(f"/s/{draft.slug}/page/1/", {"action": "next"})
    page = respondent.get(f"/s/{draft.slug}/page/2/").content.decode()
    assert '<label for="q-country_other">Please specify</label>' in page
    too_long = respondent.post(
        f"/s/{draft.slug}/page/2/",
        {"action": "submit", "q-country": "other", "q-country_other": "x" * 201},
    )
    assert too_long.status_code == 400 and "at most 200 characters" in too_long.content.decode()
    respondent.post(
        f"/s/{draft.slug}/page/2/",
        {"action": "submit", "q-country": "other", "q-country_other": "New Zealand"},
    )
    response = SurveyResponse.objects.get(study=draft)
    assert response.completed
    assert response.attributes["country"] == "other"
    assert response.attributes["country_other"] == "New Zealand"


def test_the_study_page_names_the_groups_not_asked_and_links_the_setup_pages(
    researcher_client, default_framework, researcher
):
    study = studies.create_study(
        name="Twenty", framework=default_framework, items="20", owner=researcher
    )
    page = researcher_client.get(f"/studies/{study.slug}/").content.decode()
    assert "from 1 of 8 groups" in page and "Groups not asked:" in page
    for name in ("preview", "edit", "questions"):
        assert f'href="/studies/{study.slug}/{name}/"' in page
    studies.open_study(study)
    page = researcher_client.get(f"/studies/{study.slug}/").content.decode()
    assert f'href="/studies/{study.slug}/preview/"' in page
    assert f'href="/studies/{study.slug}/edit/"' not in page
