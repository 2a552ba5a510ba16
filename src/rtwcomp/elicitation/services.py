"""The rules of stages 1 and 2: statements in, suggestions, unique items, card sorts, promotion.

Suggestions only propose; the researcher decides. Whatever is accepted keeps its statements,
so a promoted competency can say how often and in how many sessions it was said.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from rtwcomp.elicitation import clustering, matching
from rtwcomp.elicitation.models import (
    CardSort,
    Item,
    Participant,
    Placement,
    Project,
    Provenance,
    Session,
    SortGroup,
    Statement,
)
from rtwcomp.frameworks import services as frameworks
from rtwcomp.frameworks.models import Competency, Framework
from rtwcomp.interop.csv_output import dicts_to_text
from rtwcomp.interop.errors import InputError
from rtwcomp.interop.framework_csv import CompetencyRow, FrameworkRows, GroupRow
from rtwcomp.interop.statements_csv import StatementRow

MAX_STATEMENT_CHARS = 5_000
PASTED_PARTICIPANT = re.compile(r"^([A-Za-z]{1,4}-?\d{1,4})\s*:\s+(\S.*)$")


class ElicitationError(ValueError):
    """A request the rules refuse; the message (translated) says why, and pages show it."""


# --- projects, sessions, statements ------------------------------------------------------


def create_project(
    name: str, role: str = clustering.DEFAULT_ROLE, owner: Any | None = None
) -> Project:
    """A new project owned by `owner` (None: only superusers see it)."""
    name = name.strip()
    if not name:
        raise ElicitationError(_("a project needs a name"))
    if Project.objects.filter(name=name, owner=owner).exists():
        raise ElicitationError(_("a project named '%(name)s' already exists") % {"name": name})
    base = slugify(name)[:70] or "project"
    slug, n = base, 1
    while Project.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Project.objects.create(
        name=name, slug=slug, role=role.strip() or clustering.DEFAULT_ROLE, owner=owner
    )


def add_session(project: Project, code: str, **fields: Any) -> Session:
    """A new focus-group session; its code is unique within the project."""
    if project.sessions.filter(code=code).exists():
        raise ElicitationError(_("A session with this code already exists."))
    return Session.objects.create(project=project, code=code, **fields)


def add_participant(
    project: Project, code: str, session: Session | None = None, **fields: Any
) -> Participant:
    """A new participant (of one of the project's sessions); the code is unique in the project."""
    if session is not None and session.project_id != project.pk:
        raise ElicitationError(_("that session belongs to another project"))
    if project.participants.filter(code=code).exists():
        raise ElicitationError(_("A participant with this code already exists."))
    return Participant.objects.create(project=project, code=code, session=session, **fields)


def project_named(name: str) -> Project | None:
    return Project.objects.filter(name=name).first() or Project.objects.filter(slug=name).first()


def _next_number(codes: Iterable[str], prefix: str) -> int:
    numbers = [int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()]
    return max(numbers, default=0) + 1


def _statement_ids(project: Project, count: int) -> list[str]:
    taken = set(project.statements.values_list("external_id", flat=True))
    number = _next_number([t for t in taken if t.startswith("S")], "S")
    ids = []
    while len(ids) < count:
        candidate = f"S{number:04d}"
        if candidate not in taken:
            ids.append(candidate)
        number += 1
    return ids


def _next_position(project: Project) -> int:
    return (project.statements.aggregate(p=Max("position"))["p"] or 0) + 1


@transaction.atomic
def paste_statements(
    project: Project, session: Session, text: str, participant: Participant | None = None
) -> list[Statement]:
    """One statement per non-blank line; a line "P03: …" names its participant."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ElicitationError(_("no statements: paste one statement per line"))
    known = {p.code: p for p in project.participants.all()}
    unknown = [
        _("line %(line)d: no participant '%(code)s' in this project; add them first")
        % {"line": number, "code": match[1]}
        for number, match in enumerate(map(PASTED_PARTICIPANT.match, lines), 1)
        if match and match[1] not in known
    ]
    if unknown:
        raise ElicitationError("; ".join(unknown))
    too_long = [n for n, line in enumerate(lines, 1) if len(line) > MAX_STATEMENT_CHARS]
    if too_long:
        raise ElicitationError(
            _("line %(line)d: a statement has at most %(n)d characters")
            % {"line": too_long[0], "n": MAX_STATEMENT_CHARS}
        )
    ids = _statement_ids(project, len(lines))
    position = _next_position(project)
    created = []
    for offset, line in enumerate(lines):
        who, said = participant, line
        match = PASTED_PARTICIPANT.match(line)
        if match:
            who, said = known[match[1]], match[2]
        created.append(
            Statement(
                project=project,
                external_id=ids[offset],
                session=session,
                participant=who,
                text=said,
                position=position + offset,
            )
        )
    return bulk_create_with_history(created, Statement)


@transaction.atomic
def import_statements(project: Project, rows: Sequence[StatementRow], name: str) -> int:
    """Store parsed rows, all or nothing: an ID already in the project or a participant
    code it does not know imports nothing."""
    _refuse_taken_ids(project, rows, name)
    participants = _participants_for(project, rows, name)
    sessions = _sessions_for(project, rows)
    fresh = iter(_statement_ids(project, sum(1 for r in rows if not r.statement_id) + len(rows)))
    given = {r.statement_id for r in rows}
    position = _next_position(project)
    created = [
        Statement(
            project=project,
            external_id=row.statement_id or next(i for i in fresh if i not in given),
            session=sessions[row.session],
            participant=participants[row.participant] if row.participant else None,
            text=row.text,
            position=position + offset,
            set_aside=row.set_aside,
        )
        for offset, row in enumerate(rows)
    ]
    Statement.objects.bulk_create(created)  # one insert: the write lock is held briefly
    return len(created)


def _refuse_taken_ids(project: Project, rows: Sequence[StatementRow], name: str) -> None:
    taken = set(project.statements.values_list("external_id", flat=True))
    clashes = [
        f"{name}: line {r.line}, column 'statement_id': '{r.statement_id}' is already in "
        f"project '{project.name}'"
        for r in rows
        if r.statement_id in taken
    ]
    if clashes:
        raise InputError(clashes)


def _sessions_for(project: Project, rows: Sequence[StatementRow]) -> dict[str, Session]:
    """The project's sessions by code, with those the rows name created in one insert."""
    sessions = {s.code: s for s in project.sessions.all()}
    new = [
        Session(project=project, code=code)
        for code in dict.fromkeys(r.session for r in rows)
        if code not in sessions
    ]
    sessions.update((s.code, s) for s in Session.objects.bulk_create(new))
    return sessions


def _participants_for(
    project: Project, rows: Sequence[StatementRow], name: str
) -> dict[str, Participant]:
    """The project's participants by code. A code the project does not know refuses the
    file (as a paste does): a typo must not become a new, anonymous participant."""
    participants = {p.code: p for p in project.participants.all()}
    unknown = [
        f"{name}: line {r.line}, column 'participant': no participant '{r.participant}' in "
        f"project '{project.name}'; add them first"
        for r in rows
        if r.participant and r.participant not in participants
    ]
    if unknown:
        raise InputError(unknown)
    return participants


EXPORT_COLUMNS = [
    "statement_id",
    "session",
    "participant",
    "text",
    "item",
    "item_statement",
    "ksab_type",
    "set_aside",
]


def export_csv(project: Project) -> str:
    """The project's statements as CSV, in the shape the import reads back (text cells
    defused, so none opens as a spreadsheet formula)."""
    return dicts_to_text(EXPORT_COLUMNS, export_rows(project))


def export_rows(project: Project) -> list[dict[str, str]]:
    """Every statement with its session, participant and accepted item, in import shape."""
    statements = project.statements.select_related("session", "participant", "item")
    return [
        {
            "statement_id": s.external_id,
            "session": s.session.code,
            "participant": s.participant.code if s.participant else "",
            "text": s.text,
            "item": s.item.code if s.item else "",
            "item_statement": s.item.statement if s.item else "",
            "ksab_type": s.item.ksab_type if s.item else "",
            "set_aside": "yes" if s.set_aside else "",
        }
        for s in statements
    ]


# --- suggestions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    statement: Statement
    cluster: int
    item_code: str  # the matched item (framework item, or in inductive mode a project item)
    similarity: float | None
    candidates: tuple[tuple[str, float], ...] = ()  # the likeliest items, best first


def open_statements(project: Project) -> QuerySet[Statement]:
    """Statements still to sort: in no item and not set aside."""
    return project.statements.filter(item__isnull=True, set_aside=False)


def _anchors(
    project: Project, framework: Framework | None
) -> tuple[list[str], list[str], list[str], dict[int, list[str]]]:
    """Codes, statements, group descriptions and accepted statements of the items to match.

    Deductive: the framework's competencies, with the statements the researcher accepted
    under each (items that matched it) as extra exemplars. Inductive: the project's own
    items, their statements being their exemplars.
    """
    if framework is None:
        items = list(project.items.order_by("code"))
        said = _accepted_texts(project, {i.pk: n for n, i in enumerate(items)}, "item_id")
        return [i.code for i in items], [i.statement for i in items], [""] * len(items), said
    competencies = list(framework.competencies.select_related("group").order_by("position"))
    index = {c.code: n for n, c in enumerate(competencies)}
    said = _accepted_texts(project, index, "item__matched_code")
    return (
        [c.code for c in competencies],
        [c.statement for c in competencies],
        [c.group.description if c.group_id else "" for c in competencies],
        said,
    )


def _accepted_texts(project: Project, index: dict[Any, int], key: str) -> dict[int, list[str]]:
    said: dict[int, list[str]] = {}
    for value, text in project.statements.filter(item__isnull=False).values_list(key, "text"):
        if value in index:
            said.setdefault(index[value], []).append(text)
    return said


def _ranked(
    project: Project, statements: list[Statement], method: str, framework: Framework | None
) -> tuple[list[str], list[str], list[list[matching.Candidate]]]:
    """Each statement's likeliest items, best first, leaving out the ones it was refused."""
    codes, texts, groups, said = _anchors(project, framework)
    scores = matching.item_scores([s.text for s in statements], texts, method, groups, said)
    column = {code: n for n, code in enumerate(codes)}
    for row, statement in enumerate(statements):
        for code in statement.rejected_codes:
            if code in column:
                scores[row, column[code]] = -np.inf
    ranked = [
        [c for c in candidates if np.isfinite(c.score)]
        for candidates in matching.top_candidates(scores)
    ]
    return codes, texts, ranked


def suggest(
    project: Project,
    method: str = "lexical",
    threshold: float | None = None,
    framework: Framework | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Suggestion]:
    """Propose an item for each open statement, and remember the proposal.

    Each statement gets the three likeliest items: the framework's (deductive) or, without
    a framework, the project's own items (inductive). It joins the first when its score
    reaches the match threshold; the rest are clustered among themselves as candidate new
    items. Accepted statements teach the matcher (`_anchors`); refused items are never
    proposed again for that statement. `progress`, if given, is called with "comparing"
    and "storing" (a background job's progress).
    """
    step = progress or (lambda stage: None)
    step("comparing")
    statements = list(open_statements(project).order_by("position"))
    codes, item_texts, ranked = _ranked(project, statements, method, framework)
    match_at = matching.MATCH_THRESHOLDS[method] if threshold is None else threshold
    best = [r[0] if r and r[0].score >= match_at else None for r in ranked]
    rest = [i for i, b in enumerate(best) if b is None]
    new = _cluster_rest(project, [statements[i] for i in rest], method, threshold, framework)
    labels: list[Any] = [("match", b.item) if b else None for b in best]
    for i, label in zip(rest, new, strict=True):
        labels[i] = ("new", label)
    numbers = clustering.relabel(labels)
    step("storing")
    for statement, number, top, candidates in zip(statements, numbers, best, ranked, strict=True):
        statement.suggested_cluster = number
        statement.suggested_code = codes[top.item] if top else ""
        statement.suggested_similarity = candidates[0].score if candidates else None
        statement.candidates = [
            {"code": codes[c.item], "similarity": c.score, "text": item_texts[c.item]}
            for c in candidates
        ]
    Statement.objects.bulk_update(
        statements,
        ["suggested_cluster", "suggested_code", "suggested_similarity", "candidates"],
    )
    return [
        Suggestion(
            s,
            n,
            s.suggested_code,
            s.suggested_similarity,
            tuple((c["code"], c["similarity"]) for c in s.candidates),
        )
        for s, n in zip(statements, numbers, strict=True)
    ]


def _cluster_rest(
    project: Project,
    statements: list[Statement],
    method: str,
    threshold: float | None,
    framework: Framework | None,
) -> list[int]:
    """Cluster the statements no item matched; deductive, one speaker's are kept apart."""
    texts = [s.text for s in statements]
    if framework is None:
        return clustering.suggest_clusters(texts, method, threshold, project.role)
    speakers = [(s.session_id, s.participant_id) if s.participant_id else None for s in statements]
    cut = matching.REST_THRESHOLDS[method] if threshold is None else threshold
    return clustering.suggest_clusters(texts, method, cut, project.role, speakers)


@dataclass
class Proposal:
    """Statements suggested to say the same thing, for the researcher to accept or split."""

    cluster: int | None
    statements: list[Statement]
    item_code: str

    @property
    def key(self) -> str:
        """Names the proposal's fields in the page's one form."""
        return str(self.cluster) if self.cluster is not None else f"s{self.statements[0].pk}"

    @property
    def item_text(self) -> str:
        """The matched item's own words, as stored with the suggestion."""
        for s in self.statements:
            for candidate in s.candidates:
                if candidate.get("code") == self.item_code:
                    return str(candidate.get("text", ""))
        return ""

    @property
    def statements_text(self) -> str:
        """The wording the statements suggest: the shortest that is not a bare word or two."""
        return min((s.text for s in self.statements), key=lambda t: (len(t) < 12, len(t)))

    @property
    def default_text(self) -> str:
        return self.item_text or self.statements_text


def proposals(project: Project) -> list[Proposal]:
    """Open suggestions, biggest first; statements never suggested stand alone."""
    clusters: dict[Any, Proposal] = {}
    for s in open_statements(project).select_related("session", "participant"):
        key = s.suggested_cluster if s.suggested_cluster is not None else f"alone-{s.pk}"
        proposal = clusters.setdefault(key, Proposal(s.suggested_cluster, [], s.suggested_code))
        proposal.statements.append(s)
    return sorted(clusters.values(), key=lambda p: (-len(p.statements), p.statements[0].position))


# --- items -------------------------------------------------------------------------------------


def _new_item_code(project: Project) -> str:
    codes = list(project.items.values_list("code", flat=True))
    return f"I{_next_number([c for c in codes if c.startswith('I')], 'I'):03d}"


@transaction.atomic
def accept(
    project: Project,
    statements: Sequence[Statement],
    text: str = "",
    item: Item | None = None,
) -> Item:
    """Make the statements one unique item (new, or `item`); they leave any item they were in."""
    if not statements:
        raise ElicitationError(_("choose at least one statement"))
    if any(s.project_id != project.pk for s in statements):
        raise ElicitationError(_("a statement belongs to another project"))
    if item is not None and item.project_id != project.pk:
        raise ElicitationError(_("that item belongs to another project"))
    if any(s.set_aside for s in statements):
        raise ElicitationError(_("a statement set aside cannot join an item; restore it first"))
    previous = {s.item_id for s in statements if s.item_id}
    codes = {s.suggested_code for s in statements}
    matched = codes.pop() if len(codes) == 1 else ""
    if item is None and matched:
        item = project.items.filter(code=matched).first()  # inductive: one of ours
    if item is None:
        text = text.strip() or Proposal(None, list(statements), matched).default_text
        item = Item.objects.create(
            project=project, code=_new_item_code(project), statement=text, matched_code=matched
        )
    for s in statements:
        s.item = item
        s.suggested_cluster = None
        s.suggested_code = ""
        s.suggested_similarity = None
        s.candidates = []
    bulk_update_with_history(
        statements,
        Statement,
        ["item", "suggested_cluster", "suggested_code", "suggested_similarity", "candidates"],
    )
    _drop_empty(previous)
    return item


@dataclass(frozen=True)
class Decision:
    """The researcher's answer to one suggestion: its ticked statements, wording, target."""

    statements: list[Statement]
    text: str = ""  # empty: the wording the ticked statements suggest (or the matched item's)
    item: Item | None = None  # an existing item of the project to join


DECISIONS = ("accept", "reject", "aside")


@transaction.atomic
def decide(project: Project, action: str, decisions: Sequence[Decision]) -> int:
    """Accept, reject or set aside several suggestions at once; the number of statements.

    Accepting makes each suggestion its own item (or joins its target); rejecting forgets
    the suggestions and never proposes the refused items again; setting aside takes the
    ticked statements out of the count as off-topic.
    """
    if action not in DECISIONS:
        raise ElicitationError(_("unknown action '%(action)s'") % {"action": action})
    chosen = [d for d in decisions if d.statements]
    if not chosen:
        raise ElicitationError(_("tick at least one statement"))
    everything = [s for d in chosen for s in d.statements]
    if action == "reject":
        reject(project, everything)
    elif action == "aside":
        set_aside(project, everything)
    else:
        for d in chosen:
            accept(project, d.statements, d.text, d.item)
    return len(everything)


@transaction.atomic
def reject(project: Project, statements: Sequence[Statement]) -> int:
    """The researcher says these statements are not their suggested item: forget the
    suggestion, and never propose that item for them again."""
    refused = 0
    for s in statements:
        if s.project_id != project.pk:
            raise ElicitationError(_("a statement belongs to another project"))
        if s.suggested_code and s.suggested_code not in s.rejected_codes:
            s.rejected_codes = [*s.rejected_codes, s.suggested_code]
            refused += 1
        s.suggested_cluster = None
        s.suggested_code = ""
        s.suggested_similarity = None
    bulk_update_with_history(
        statements,
        Statement,
        ["rejected_codes", "suggested_cluster", "suggested_code", "suggested_similarity"],
    )
    return refused


@transaction.atomic
def set_aside(project: Project, statements: Sequence[Statement], aside: bool = True) -> int:
    """Set off-topic remarks aside (kept, counted and exported, in no item), or restore them."""
    if any(s.project_id != project.pk for s in statements):
        raise ElicitationError(_("a statement belongs to another project"))
    previous = {s.item_id for s in statements if s.item_id}
    for s in statements:
        s.set_aside = aside
        if aside:
            s.item = None
            s.suggested_cluster = None
            s.suggested_code = ""
            s.suggested_similarity = None
    bulk_update_with_history(
        statements,
        Statement,
        ["set_aside", "item", "suggested_cluster", "suggested_code", "suggested_similarity"],
    )
    _drop_empty(previous)
    return len(statements)


def edit_statement(statement: Statement, text: str) -> Statement:
    """Correct a statement's words (a transcription slip); the change is kept in its history."""
    text = text.strip()
    if not text:
        raise ElicitationError(_("a statement needs some text"))
    if len(text) > MAX_STATEMENT_CHARS:
        raise ElicitationError(
            _("a statement has at most %(n)d characters") % {"n": MAX_STATEMENT_CHARS}
        )
    statement.text = text
    statement.save(update_fields=["text"])
    return statement


@transaction.atomic
def delete_statement(statement: Statement) -> None:
    """Remove a statement (its deletion is kept in the history); an item left empty goes."""
    previous = [statement.item_id] if statement.item_id else []
    statement.delete()
    _drop_empty(previous)


@transaction.atomic
def set_types(project: Project, items: Sequence[Item], ksab_type: str) -> int:
    """Give several items the same KSAB type at once."""
    if ksab_type not in Competency.Ksab.values:
        raise ElicitationError(_("'%(type)s' is not a KSAB type") % {"type": ksab_type})
    if any(i.project_id != project.pk for i in items):
        raise ElicitationError(_("that item belongs to another project"))
    for item in items:
        item.ksab_type = ksab_type
    Item.objects.bulk_update(items, ["ksab_type"])
    return len(items)


def _drop_empty(item_ids: Iterable[int]) -> None:
    Item.objects.filter(pk__in=list(item_ids), statements__isnull=True).delete()


@transaction.atomic
def release(statements: Sequence[Statement]) -> None:
    """Take statements out of their items (a split); an item left empty is removed."""
    previous = {s.item_id for s in statements if s.item_id}
    for s in statements:
        s.item = None
    bulk_update_with_history(statements, Statement, ["item"])
    _drop_empty(previous)


@transaction.atomic
def merge(target: Item, others: Sequence[Item]) -> Item:
    """Move the others' statements into `target` and remove the others."""
    others = [o for o in others if o.pk != target.pk]
    if any(o.project_id != target.project_id for o in others):
        raise ElicitationError(_("items from different projects cannot be merged"))
    moved = list(Statement.objects.filter(item__in=others))
    for s in moved:
        s.item = target
    bulk_update_with_history(moved, Statement, ["item"])
    Item.objects.filter(pk__in=[o.pk for o in others]).delete()
    return target


def merge_into(item: Item, code: str) -> Item:
    """Merge `item` into the other item of its project whose code is `code`."""
    target = item.project.items.filter(code=code.strip()).exclude(pk=item.pk).first()
    if target is None:
        raise ElicitationError(_("Name another item of this project to merge into."))
    return merge(target, [item])


def update_item(item: Item, statement: str, ksab_type: str) -> Item:
    statement = statement.strip()
    if not statement:
        raise ElicitationError(_("an item needs a statement"))
    if ksab_type and ksab_type not in Competency.Ksab.values:
        raise ElicitationError(_("'%(type)s' is not a KSAB type") % {"type": ksab_type})
    item.statement = statement
    item.ksab_type = ksab_type
    item.save(update_fields=["statement", "ksab_type"])
    return item


def items_with_counts(project: Project) -> QuerySet[Item]:
    """Items with `citations` (statements) and `session_count` (distinct sessions)."""
    return project.items.annotate(
        citations=Count("statements", distinct=True),
        session_count=Count("statements__session", distinct=True),
    ).order_by("code")


# --- card sorts -----------------------------------------------------------------------------


@transaction.atomic
def start_sort(
    project: Project, sorter: Any, label: str = "", framework: Framework | None = None
) -> CardSort:
    """A new sort, starting from the framework's groups or (open sort) from none."""
    count = project.sorts.count() + 1
    sort = CardSort.objects.create(
        project=project, sorter=sorter, label=label.strip()[:120] or f"Sort {count}"
    )
    if framework is not None:
        SortGroup.objects.bulk_create(
            SortGroup(sort=sort, position=g.position, name=g.name[:100])
            for g in framework.groups.order_by("position")
        )
        _place_matched(project, sort, framework)
    return sort


def _place_matched(project: Project, sort: CardSort, framework: Framework) -> None:
    """Items accepted as one of the framework's items start in that item's group."""
    groups = {g.name: g for g in sort.groups.all()}
    home = {
        c.code: groups.get(c.group.name[:100])
        for c in framework.competencies.select_related("group")
        if c.group_id
    }
    Placement.objects.bulk_create(
        Placement(sort=sort, item=item, group=home[item.matched_code])
        for item in project.items.exclude(matched_code="")
        if home.get(item.matched_code) is not None
    )


def add_group(sort: CardSort, name: str) -> SortGroup:
    name = " ".join(name.split())[:100]
    if not name:
        raise ElicitationError(_("a group needs a name"))
    if sort.groups.filter(name=name).exists():
        raise ElicitationError(_("there is already a group named '%(name)s'") % {"name": name})
    position = (sort.groups.aggregate(p=Max("position"))["p"] or 0) + 1
    return SortGroup.objects.create(sort=sort, position=position, name=name)


@transaction.atomic
def place(sort: CardSort, placements: dict[int, int | None]) -> None:
    """Put items (by id) into groups (by id); None takes an item out of every group."""
    items = set(sort.project.items.values_list("pk", flat=True))
    groups = set(sort.groups.values_list("pk", flat=True))
    for item_id, group_id in placements.items():
        if item_id not in items or (group_id is not None and group_id not in groups):
            raise ElicitationError(_("an item or group is not part of this sort"))
    for item_id, group_id in placements.items():
        if group_id is None:
            Placement.objects.filter(sort=sort, item_id=item_id).delete()
        else:
            Placement.objects.update_or_create(
                sort=sort, item_id=item_id, defaults={"group_id": group_id}
            )


def sort_mapping(sort: CardSort) -> dict[int, int]:
    return dict(sort.placements.values_list("item_id", "group_id"))


@dataclass
class SortAnalysis:
    items: list[Item]
    sorts: list[CardSort]
    matrix: Any  # co-occurrence similarity, items x items
    agreement: float | None  # mean adjusted Rand index between sorters
    consensus: list[tuple[str, list[Item]]]  # suggested name, items


def analyze_sorts(project: Project) -> SortAnalysis:
    """Co-occurrence, agreement between sorters and a consensus grouping to review."""
    items = list(project.items.order_by("code"))
    sorts = list(project.sorts.prefetch_related("groups"))
    mappings = [sort_mapping(s) for s in sorts]
    ids = [i.pk for i in items]
    matrix = clustering.cooccurrence(mappings, ids)
    labels = clustering.consensus(matrix) if items else []
    names = {g.pk: g.name for s in sorts for g in s.groups.all()}
    grouped: dict[int, list[Item]] = {}
    for item, label in zip(items, labels, strict=True):
        grouped.setdefault(label, []).append(item)
    consensus = []
    for members in grouped.values():
        votes = Counter(names[m[i.pk]] for i in members for m in mappings if i.pk in m)
        consensus.append((votes.most_common(1)[0][0] if votes else "", members))
    agreement = clustering.sorter_agreement(mappings, ids) if len(sorts) > 1 else None
    return SortAnalysis(items, sorts, matrix, agreement, consensus)


@transaction.atomic
def adopt_consensus(project: Project, sorter: Any) -> CardSort:
    """The consensus grouping as a new sort, to review and promote like any other."""
    analysis = analyze_sorts(project)
    sort = start_sort(project, sorter, "Consensus")
    taken: set[str] = set()
    for number, (name, members) in enumerate(analysis.consensus, start=1):
        label = name or f"Group {number}"
        while label in taken:
            label = f"{label} ({number})"
        taken.add(label)
        group = SortGroup.objects.create(sort=sort, position=number, name=label[:100])
        Placement.objects.bulk_create(Placement(sort=sort, item=i, group=group) for i in members)
    return sort


# --- promotion and survey selection ---------------------------------------------------------


@transaction.atomic
def promote(project: Project, sort: CardSort, slug: str, name: str, user: Any) -> Framework:
    """A new framework draft from a sort: its groups, the placed items, their provenance.
    The draft belongs to the project's owner and is shared with its collaborators."""
    if sort.project_id != project.pk:
        raise ElicitationError(_("that sort belongs to another project"))
    slug = slugify(slug)[:80]
    if not slug or not name.strip():
        raise ElicitationError(_("the framework needs a slug and a name"))
    try:
        frameworks.check_new_version(slug, user)
    except frameworks.SlugTaken as error:
        raise ElicitationError(str(error)) from None
    counts = {i.pk: i for i in items_with_counts(project)}
    placements = list(
        sort.placements.select_related("group", "item").order_by("group__position", "item__code")
    )
    if not placements:
        raise ElicitationError(_("no item is placed in a group yet"))
    untyped = [p.item.code for p in placements if not p.item.ksab_type]
    if untyped:
        raise ElicitationError(_("give these items a KSAB type first: ") + ", ".join(untyped))
    groups = [GroupRow(key=g.name) for g in sort.groups.filter(placements__isnull=False).distinct()]
    rows = FrameworkRows(
        groups=groups,
        competencies=[
            CompetencyRow(
                code=p.item.code,
                group=p.group.name,
                ksab_type=p.item.ksab_type,
                statement=p.item.statement,
                sources=[f"Focus groups: {project.name}"],
            )
            for p in placements
        ],
    )
    framework = frameworks.create_from_rows(
        rows,
        slug=slug,
        name=name.strip(),
        source=f"Focus groups: {project.name}",
        owner=project.owner or user,
    )
    framework.collaborators.set(project.collaborators.all())
    by_code = {c.code: c for c in framework.competencies.all()}
    Provenance.objects.bulk_create(
        Provenance(
            competency=by_code[p.item.code],
            item=p.item,
            citation_count=counts[p.item.pk].citations,
            session_count=counts[p.item.pk].session_count,
        )
        for p in placements
    )
    project.framework = framework
    project.save(update_fields=["framework"])
    return framework


def select_for_survey(
    project_or_framework: Project | Framework, n: int, extras: Sequence[str] = ()
) -> list[str]:
    """Codes of the n most cited competencies (ties: more sessions, then framework order),
    followed by the chosen extras not already among them."""
    framework = (
        project_or_framework.framework
        if isinstance(project_or_framework, Project)
        else project_or_framework
    )
    if framework is None:
        raise ElicitationError(_("nothing promoted yet: promote a sort to a framework first"))
    if n < 0:
        raise ElicitationError(_("n must not be negative"))
    competencies = list(framework.competencies.select_related("provenance"))
    known = {c.code for c in competencies}
    unknown = [code for code in extras if code not in known]
    if unknown:
        raise ElicitationError(_("not in the framework: ") + ", ".join(unknown))

    def rank(c: Competency) -> tuple[int, int, int]:
        p = getattr(c, "provenance", None)
        return (-(p.citation_count if p else 0), -(p.session_count if p else 0), c.position)

    chosen = [c.code for c in sorted(competencies, key=rank)[:n]]
    return chosen + [code for code in dict.fromkeys(extras) if code not in chosen]
