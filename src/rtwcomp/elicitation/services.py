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

from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rtwcomp.elicitation import clustering
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
    ids = _statement_ids(project, len(lines))
    position = _next_position(project)
    created = []
    for offset, line in enumerate(lines):
        who, said = participant, line
        match = PASTED_PARTICIPANT.match(line)
        if match:
            who, _created = Participant.objects.get_or_create(
                project=project, code=match[1], defaults={"session": session}
            )
            said = match[2]
        created.append(
            Statement(
                project=project,
                external_id=ids[offset],
                session=session,
                participant=who,
                text=said[:5_000],
                position=position + offset,
            )
        )
    return Statement.objects.bulk_create(created)


@transaction.atomic
def import_statements(project: Project, rows: Sequence[StatementRow], name: str) -> int:
    """Store parsed rows, all or nothing: an ID already in the project imports nothing."""
    _refuse_taken_ids(project, rows, name)
    sessions = _sessions_for(project, rows)
    participants = _participants_for(project, rows, sessions)
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
        )
        for offset, row in enumerate(rows)
    ]
    Statement.objects.bulk_create(created)
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
    project: Project, rows: Sequence[StatementRow], sessions: dict[str, Session]
) -> dict[str, Participant]:
    """The project's participants by code; a new one joins the session it first speaks in."""
    participants = {p.code: p for p in project.participants.all()}
    first_seen: dict[str, Session] = {}
    for row in rows:
        if row.participant and row.participant not in participants:
            first_seen.setdefault(row.participant, sessions[row.session])
    participants.update(
        (p.code, p)
        for p in Participant.objects.bulk_create(
            Participant(project=project, code=code, session=session)
            for code, session in first_seen.items()
        )
    )
    return participants


EXPORT_COLUMNS = [
    "statement_id",
    "session",
    "participant",
    "text",
    "item",
    "item_statement",
    "ksab_type",
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
        }
        for s in statements
    ]


# --- suggestions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    statement: Statement
    cluster: int
    item_code: str  # deductive mode: the matched framework item, "" when none
    similarity: float | None


def suggest(
    project: Project,
    method: str = "lexical",
    threshold: float | None = None,
    framework: Framework | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Suggestion]:
    """Propose clusters for the statements not yet in an item, and remember the proposal.

    Inductive (no framework): statements that say the same thing share a cluster.
    Deductive: each statement joins the framework item it matches; the rest are clustered
    among themselves and flagged as candidate new items (empty item code).
    `progress`, if given, is called with "comparing" before the statements are compared
    and grouped and "storing" before the proposal is saved (a background job's progress).
    """
    step = progress or (lambda stage: None)
    step("comparing")
    statements = list(project.statements.filter(item__isnull=True).order_by("position"))
    texts = [s.text for s in statements]
    codes = [""] * len(texts)
    similarities: list[float | None] = [None] * len(texts)
    if framework is None:
        labels: list[Any] = clustering.suggest_clusters(texts, method, threshold, project.role)
    else:
        competencies = list(framework.competencies.order_by("position"))
        matches = clustering.match_items(
            texts, [c.statement for c in competencies], method, threshold, project.role
        )
        unmatched = [i for i, m in enumerate(matches) if m.item is None]
        new = clustering.suggest_clusters(
            [texts[i] for i in unmatched], method, threshold, project.role
        )
        labels = [("match", m.item) for m in matches]
        for i, label in zip(unmatched, new, strict=True):
            labels[i] = ("new", label)
        for i, m in enumerate(matches):
            similarities[i] = m.similarity
            if m.item is not None:
                codes[i] = competencies[m.item].code
    numbers = clustering.relabel(labels)
    step("storing")
    for statement, number, code, sim in zip(statements, numbers, codes, similarities, strict=True):
        statement.suggested_cluster = number
        statement.suggested_code = code
        statement.suggested_similarity = sim
    Statement.objects.bulk_update(
        statements, ["suggested_cluster", "suggested_code", "suggested_similarity"]
    )
    return [
        Suggestion(s, n, c, sim)
        for s, n, c, sim in zip(statements, numbers, codes, similarities, strict=True)
    ]


@dataclass
class Proposal:
    """Statements suggested to say the same thing, for the researcher to accept or split."""

    cluster: int | None
    statements: list[Statement]
    item_code: str

    @property
    def default_text(self) -> str:
        return min((s.text for s in self.statements), key=lambda t: (len(t) < 12, len(t)))


def proposals(project: Project) -> list[Proposal]:
    """Open suggestions, biggest first; statements never suggested stand alone."""
    clusters: dict[Any, Proposal] = {}
    for s in project.statements.filter(item__isnull=True).select_related("session", "participant"):
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
    previous = {s.item_id for s in statements if s.item_id}
    if item is None:
        codes = {s.suggested_code for s in statements}
        matched = codes.pop() if len(codes) == 1 else ""
        text = text.strip() or Proposal(None, list(statements), matched).default_text
        item = Item.objects.create(
            project=project, code=_new_item_code(project), statement=text, matched_code=matched
        )
    for s in statements:
        s.item = item
        s.suggested_cluster = None
        s.suggested_code = ""
        s.suggested_similarity = None
    Statement.objects.bulk_update(
        statements, ["item", "suggested_cluster", "suggested_code", "suggested_similarity"]
    )
    _drop_empty(previous)
    return item


def _drop_empty(item_ids: Iterable[int]) -> None:
    Item.objects.filter(pk__in=list(item_ids), statements__isnull=True).delete()


@transaction.atomic
def release(statements: Sequence[Statement]) -> None:
    """Take statements out of their items (a split); an item left empty is removed."""
    previous = {s.item_id for s in statements if s.item_id}
    for s in statements:
        s.item = None
    Statement.objects.bulk_update(statements, ["item"])
    _drop_empty(previous)


@transaction.atomic
def merge(target: Item, others: Sequence[Item]) -> Item:
    """Move the others' statements into `target` and remove the others."""
    others = [o for o in others if o.pk != target.pk]
    if any(o.project_id != target.project_id for o in others):
        raise ElicitationError(_("items from different projects cannot be merged"))
    Statement.objects.filter(item__in=others).update(item=target)
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
    return sort


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
