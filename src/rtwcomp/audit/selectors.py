"""What the history pages show: every recorded change of an object and of its parts, one
row per field changed, newest first.

- a study: its settings, its demographic questions and its invitations (the invitee's
  e-mail, name, language and mailing dates; never the token, and nothing of responses,
  answers or invitation uses, which are not recorded at all);
- a framework version: the version itself, its groups and its competencies;
- a focus-group project: the project's own fields.

Rows created in bulk (an imported panel, say) have no creation record; their first recorded
change lists every field, with "before" unknown.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from rtwcomp.elicitation.models import Project, Statement
from rtwcomp.frameworks.models import Competency, Framework, Group
from rtwcomp.surveys.models import Invitation, Question, Study

HEADER = ["when", "who", "object", "action", "field", "before", "after"]


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    object: str
    action: str
    field: str
    before: str
    after: str

    def row(self) -> list[str]:
        return [self.when.isoformat(timespec="seconds"), self.who, self.object, self.action,
                self.field, self.before, self.after]  # fmt: skip


Part = tuple[QuerySet[Any], Callable[[Any], str]]


def study_history(study: Study) -> list[Change]:
    return _changes(
        (Study.history.filter(id=study.pk), lambda r: _("study")),  # type: ignore[attr-defined]
        (
            Question.history.filter(study_id=study.pk),  # type: ignore[attr-defined]
            lambda r: _("question %(key)s") % {"key": r.key},
        ),
        (
            Invitation.history.filter(study_id=study.pk),  # type: ignore[attr-defined]
            lambda r: _("invitation %(email)s") % {"email": r.email},
        ),
    )


def framework_history(framework: Framework) -> list[Change]:
    return _changes(
        (
            Framework.history.filter(id=framework.pk),  # type: ignore[attr-defined]
            lambda r: _("framework version %(version)s") % {"version": r.version},
        ),
        (
            Group.history.filter(framework_id=framework.pk),  # type: ignore[attr-defined]
            lambda r: _("group %(key)s") % {"key": r.key},
        ),
        (
            Competency.history.filter(framework_id=framework.pk),  # type: ignore[attr-defined]
            lambda r: _("competency %(code)s") % {"code": r.code},
        ),
    )


def project_history(project: Project) -> list[Change]:
    return _changes(
        (Project.history.filter(id=project.pk), lambda r: _("project")),  # type: ignore[attr-defined]
        (
            Statement.history.filter(project_id=project.pk),  # type: ignore[attr-defined]
            lambda r: _("statement %(id)s") % {"id": r.external_id},
        ),
    )


def csv_rows(changes: Iterable[Change]) -> list[list[str]]:
    return [change.row() for change in changes]


def _changes(*parts: Part) -> list[Change]:
    found: list[Change] = []
    for records, label in parts:
        found.extend(_part_changes(records, label))
    return sorted(found, key=lambda c: c.when, reverse=True)


def _part_changes(records: QuerySet[Any], label: Callable[[Any], str]) -> list[Change]:
    """Each record against the one before it of the same object."""
    found: list[Change] = []
    previous: dict[Any, Any] = {}
    ordered = records.select_related("history_user").order_by("history_date", "history_id")
    for record in ordered:
        before = previous.get(record.id)
        previous[record.id] = record
        who = record.history_user.get_username() if record.history_user else ""
        common = {"when": record.history_date, "who": who, "object": label(record)}
        if record.history_type == "-":
            found.append(Change(**common, action=_("deleted"), field="", before="", after=""))
            continue
        action = _("created") if record.history_type == "+" else _("changed")
        for field, old, new in _fields(before, record):
            found.append(Change(**common, action=action, field=field, before=old, after=new))
    return found


def _fields(before: Model | None, record: Model) -> Iterable[tuple[str, str, str]]:
    """(field, before, after) of each field that differs; every field set when there is no
    earlier record (a creation, or a row made in bulk)."""
    for field in record.tracked_fields:  # type: ignore[attr-defined]
        if not field.editable or field.primary_key:
            continue
        new = _text(getattr(record, field.attname))
        if before is None:
            if new != "" or record.history_type != "+":  # type: ignore[attr-defined]
                yield field.name, "" if record.history_type == "+" else "?", new  # type: ignore[attr-defined]
            continue
        old = _text(getattr(before, field.attname))
        if old != new:
            yield field.name, old, new


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
