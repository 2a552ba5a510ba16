"""Delphi rounds: statistics against base R, and round 2 as a panellist sees it."""

from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pytest
from django.core import mail
from django.test import Client

from rtwcomp.interop.panel_csv import parse_panel_csv
from rtwcomp.stats import delphi
from rtwcomp.surveys import invitations, results, selectors, studies
from rtwcomp.surveys.models import Study
from tests.surveys.conftest import answer_page

REF = Path(__file__).parents[1] / "reference" / "delphi"


@pytest.fixture(scope="module")
def rounds():
    return pd.read_csv(REF / "round1.csv"), pd.read_csv(REF / "round2.csv")


def test_paired_wilcoxon_matches_r(rounds):
    first, second = rounds
    reference = pd.read_csv(REF / "ref_wilcoxon.csv")
    for row in reference.itertuples():
        pairs, v, p = delphi.paired_wilcoxon(first[row.item], second[row.item])
        assert pairs == row.pairs
        if np.isnan(row.p):
            assert np.isnan(p)
        else:
            assert v == pytest.approx(row.V)
            assert p == pytest.approx(row.p, rel=1e-6)


def test_kendalls_w_matches_r(rounds):
    reference = pd.read_csv(REF / "ref_kendall.csv")
    for frame, row in zip(rounds, reference.itertuples(), strict=True):
        w, raters, items = delphi.kendalls_w(frame)
        assert (raters, items) == (row.raters, row.items)
        assert w == pytest.approx(row.W, rel=1e-9)


def test_consensus_uses_type_7_quartiles(rounds):
    reference = pd.read_csv(REF / "ref_quartiles.csv")
    table = delphi.consensus(rounds[1], top=4, share=0.7, iqr=1.0)
    assert list(table["q1"]) == pytest.approx(list(reference["q1"]))
    assert list(table["q3"]) == pytest.approx(list(reference["q3"]))
    assert list(table["share_top"]) == pytest.approx(list(reference["share_top"]))
    expected = (reference["share_top"] >= 0.7) & (reference["q3"] - reference["q1"] <= 1.0)
    assert list(table["consensus"]) == list(expected)


def test_distribution_change_bounds():
    same = pd.Series([1, 2, 3, 4, 5])
    assert delphi.distribution_change(same, same, [1, 2, 3, 4, 5]) == 0
    assert delphi.distribution_change(pd.Series([1, 1]), pd.Series([5, 5]), [1, 2, 3, 4, 5]) == 1


def test_round_two_shows_own_rating_and_panel_distribution(default_framework, researcher, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    study = studies.create_study(
        name="Delphi",
        framework=default_framework,
        items="RTWC-001,RTWC-002,RTWC-003",
        owner=researcher,
        access=Study.Access.INVITATION,
        anonymous=False,
        delphi=True,
        consensus_share=0.7,
        consensus_iqr=1.0,
    )
    studies.open_study(study)
    panel = "email\n" + "\n".join(f"p{i}@example.org" for i in range(6))
    invitations.add_panel(study, parse_panel_csv(panel, "panel.csv"))
    invitations.send(study)
    links = {
        m.to[0]: urlsplit(next(x for x in m.body.split() if "/i/" in x)).path for m in mail.outbox
    }
    items = list(study.items.order_by("position"))
    # RTWC-001: all 5 (consensus); RTWC-002 and -003 split (no consensus)
    for i, (_email, link) in enumerate(sorted(links.items())):
        client = Client()
        client.get(link)
        answer_page(client, study, 1, {items[0]: 5, items[1]: 1 + i % 5, items[2]: 5 - i % 4})
        client.post(f"/s/{study.slug}/page/2/", {"action": "submit"})
    following = studies.start_next_round(study)
    assert following.number == 2
    assert [i.competency.code for i in following.items.all()] == ["RTWC-002", "RTWC-003"]
    client = Client()
    first = sorted(links)[0]
    assert client.get(links[first]).status_code == 302
    page = client.get(f"/s/{study.slug}/page/1/").content.decode()
    assert "Your rating in round 1: 1" in page  # p0 gave RTWC-002 a 1
    assert "The panel in round 1 (n = 6)" in page
    assert items[0].competency.statement not in page
    assert page.count('<fieldset class="item') == 2
    summary = results.delphi_summary(study)
    assert summary[0]["table"].set_index("item").loc["RTWC-001", "consensus"]
    assert summary[0]["respondents"] == 6


def test_study_page_and_results_count_the_same_after_a_round_two_answer(
    default_framework, researcher, researcher_client, settings
):
    """Two panellists in round 1, one in round 2: the study page once said 3 completed
    while the results said 2; both now count completed responses per round."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    study = studies.create_study(
        name="Counted",
        framework=default_framework,
        items="RTWC-001,RTWC-002",
        owner=researcher,
        access=Study.Access.INVITATION,
        anonymous=False,
        delphi=True,
        consensus_share=1.0,
    )
    studies.open_study(study)
    invitations.add_panel(study, parse_panel_csv("email\na@example.org\nb@example.org\n", "p.csv"))
    invitations.send(study)
    links = [urlsplit(next(x for x in m.body.split() if "/i/" in x)).path for m in mail.outbox]
    items = list(study.items.order_by("position"))
    clients = []
    for i, link in enumerate(links):
        client = Client()
        client.get(link)
        answer_page(client, study, 1, {items[0]: 5, items[1]: 1 + 3 * i})
        client.post(f"/s/{study.slug}/page/2/", {"action": "submit"})
        clients.append(client)
    studies.start_next_round(study)
    clients[0].get(links[0])
    answer_page(clients[0], study, 1, {items[1]: 3}, action="submit")
    assert selectors.response_counts(study)[study.pk].by_round == ((1, 2), (2, 1))
    detail = researcher_client.get(f"/studies/{study.slug}/").content.decode()
    completed = detail.split("Completed responses</dt><dd>")[1].split("</dd>")[0]
    assert completed == "round 1: 2 · round 2: 1"
    dashboard = researcher_client.get(f"/studies/{study.slug}/results/").content.decode()
    assert "2 completed responses" in dashboard
    assert "2 panellists" in dashboard and "1 panellists" in dashboard
