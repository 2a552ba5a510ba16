"""Gap analysis: the combining rule, importance weighting, personal attributes apart."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rtwcomp.assessments.gaps import assessed_by_competency, combine, gaps

levels = st.lists(st.integers(0, 4), max_size=4)


def test_observation_beats_others_which_beat_self():
    assert combine({"self": [4], "mentor": [1], "observed": [2, 3]}) == (3.0, "observed")
    assert combine({"self": [4], "mentor": [1], "peer": [2, 4]}) == (2.0, "others")
    assert combine({"self": [4]}) == (4.0, "self")
    assert combine({}) == (None, "none")


def test_a_persons_assessed_levels_leave_out_competencies_never_assessed():
    latest = {7: {"self": [4], "mentor": [1, 2]}, 8: {"peer": []}, 9: {"self": [3]}}
    assert assessed_by_competency(latest) == {7: 1.5, 9: 3.0}


@given(st.dictionaries(st.sampled_from(["self", "mentor", "peer", "observed"]), levels))
def test_the_assessed_level_is_always_one_a_rater_could_give(latest):
    assessed, basis = combine(latest)
    if basis == "none":
        assert not any(latest.values())
    else:
        assert 0 <= assessed <= 4


def test_gaps_rank_training_needs_by_weighted_size_and_list_attributes_last():
    required = {1: 3, 2: 3, 3: 4, 4: 2}
    latest = {1: {"self": [1]}, 2: {"observed": [3]}, 3: {"mentor": [2]}}
    kinds = {1: "skill", 2: "knowledge", 3: "attitude", 4: "skill"}
    found = gaps(required, latest, kinds, importance={1: 0.9, 2: 0.5, 4: 0.6})
    assert [g.competency for g in found] == [1, 4, 2, 3]
    by_id = {g.competency: g for g in found}
    assert by_id[1].gap == 2 and by_id[1].priority == 2 * 0.9
    assert by_id[4].gap is None and by_id[4].priority == 2 * 0.6  # never assessed
    assert by_id[2].gap == 0
    assert by_id[3].personal_attribute and by_id[3].basis == "others"
