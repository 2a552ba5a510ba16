"""Varied restatements of an item, as focus-group participants would say it.

A participant rarely repeats an item word for word: they lead in with their own framing,
use everyday synonyms, keep only the first part of a long statement or speak of "you".
The content words mostly stay, so the product's matcher has something honest to find.
"""

from __future__ import annotations

import re

import numpy as np

LEAD_INS = (
    "",
    "",
    "A good coordinator ",
    "You need someone who ",
    "The coordinator ",
    "It matters that the coordinator ",
    "Someone who ",
    "Being the person who ",
)
SYNONYMS = {
    "worker": ("employee", "injured worker", "worker"),
    "employer": ("company", "employer", "organisation"),
    "supervisor": ("manager", "line manager", "supervisor"),
    "RTW": ("return to work", "RTW", "return-to-work"),
    "Knows": ("Understands", "Knows", "Is familiar with"),
    "knows": ("understands", "knows", "is familiar with"),
    "organisation": ("organization", "company", "organisation"),
    "plans": ("plans", "schedules"),
    "promptly": ("quickly", "promptly", "without delay"),
    "Keeps": ("Keeps", "Maintains"),
    "doctor": ("GP", "physician", "doctor"),
}
_WORD = re.compile(r"[A-Za-z]+")
_CLAUSE = re.compile(r"[,;:]| so | when | including ")


def _synonyms(text: str, rng: np.random.Generator) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        options = SYNONYMS.get(word)
        if options is None or rng.random() < 0.5:
            return word
        return str(options[rng.integers(len(options))])

    return _WORD.sub(swap, text)


def _first_clause(text: str) -> str:
    parts = _CLAUSE.split(text, maxsplit=1)
    head = parts[0].strip()
    return head if len(head.split()) >= 4 else text


def _lowered(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def restate(statement: str, rng: np.random.Generator) -> str:
    """One participant's wording of an item statement."""
    text = _synonyms(statement, rng)
    if rng.random() < 0.35:
        text = _first_clause(text)
    lead = LEAD_INS[rng.integers(len(LEAD_INS))]
    if lead:
        text = lead + _lowered(text)
    if rng.random() < 0.2:
        text = text.replace(" the worker", " them").replace(" the employee", " them")
    return text.rstrip(".") + ("." if rng.random() < 0.3 else "")
