"""`rtwcomp serve` says in one line, on start, how to add the semantic extra when missing."""

from rtwcomp.commands import serve
from rtwcomp.elicitation import clustering


def test_without_the_extra_one_line_says_suggestions_are_off_and_how_to_add_them():
    line = serve.semantic_notice(available=False)
    assert line is not None and "\n" not in line
    assert "Semantic suggestions are off" in line
    assert "pip install -e '.[semantic]'" in line


def test_with_the_extra_nothing_is_printed():
    assert serve.semantic_notice(available=True) is None


def test_by_default_it_asks_whether_the_extra_is_installed(monkeypatch):
    monkeypatch.setattr(clustering, "semantic_available", lambda: False)
    assert serve.semantic_notice() == serve.semantic_notice(available=False)
    monkeypatch.setattr(clustering, "semantic_available", lambda: True)
    assert serve.semantic_notice() is None
