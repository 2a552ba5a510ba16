"""A framework version to and from CASE packages and Moodle competency CSV.

The formats themselves are read and written by `rtwcomp.interop.case` and
`rtwcomp.interop.moodle`; this module maps them onto groups, competencies and indicators.

Identifiers: every object gets a UUID5 of the framework's slug and its key
(`group:KEY`, `competency:CODE`, `indicator:CODE:N`, with `:fr` for a French text), so it
stays the same across exports and versions; an imported object keeps the package's
identifier instead. What a package carried that the models have no field for (source
identifiers, item types, other associations, items outside the hierarchy, definitions,
rubrics, extensions) is kept in `Framework.exchange["case"]` and written back out.

Import: groups are the items directly under the document; every item below a group is a
competency (a deeper hierarchy is flattened, its parent kept for the export), except items
of type `Indicator` under a competency, which become its behavioural indicators. A package
without depth (items only) becomes one group named after the document.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from rtwcomp.frameworks import services
from rtwcomp.frameworks.models import BehaviouralIndicator, Competency, Framework, Group
from rtwcomp.interop import case, moodle
from rtwcomp.interop.errors import InputError
from rtwcomp.interop.framework_csv import (
    KSAB_TYPES,
    MAX_CODE,
    MAX_GROUP,
    CompetencyRow,
    FrameworkRows,
    GroupRow,
)

DOMAIN, COMPETENCY, INDICATOR = "Domain", "Competency", "Indicator"
EXTENSION = "rtwcomp"  # our key inside CASE `extensions`
DEFAULT_KSAB = "knowledge"  # for competencies a package does not type
MAX_NAME = 200  # Framework.name, Group.name
MAX_LANGUAGE = 10  # Framework.language
PLACEHOLDER_BASE = "urn:rtwcomp:case/v1p1/"
# The importance scale of the rubric; tests keep it equal to surveys.models.DEFAULT_SCALE.
IMPORTANCE_SCALE = [
    (1, "not important", "pas important"),
    (2, "somewhat important", "quelque peu important"),
    (3, "moderately important", "moyennement important"),
    (4, "very important", "très important"),
    (5, "essential", "essentiel"),
]


# --- CASE export -------------------------------------------------------------------------


def document_id(framework: Framework) -> str:
    saved = framework.exchange.get("case", {})
    return str(saved.get("document") or case.derived_id(framework.slug))


class _Ids:
    """The identifiers kept from an import, else derived from the slug and the key."""

    def __init__(self, framework: Framework) -> None:
        self.slug = framework.slug
        self.saved: dict[str, Any] = framework.exchange.get("case", {})

    def of(self, key: str) -> str:
        return str(self.saved.get("ids", {}).get(key) or case.derived_id(self.slug, key))

    def link(self, key: str) -> str:
        return str(self.saved.get("links", {}).get(key) or case.derived_id(self.slug, key, "link"))

    def kept(self, key: str) -> dict[str, Any]:
        return dict(self.saved.get("extra", {}).get(key, {}))

    def node(self, key: str, item_type: str, statement: str, **fields: Any) -> case.CaseNode:
        extra = self.kept(key)
        ours = fields.pop("extension", None)
        if ours:
            extensions = dict(extra.get("extensions") or {})
            extensions[EXTENSION] = ours
            extra["extensions"] = extensions
        return case.CaseNode(
            identifier=self.of(key),
            item_type=item_type,
            statement=statement,
            extra=extra,
            link=self.link(key),
            link_extra=dict(self.saved.get("link_extra", {}).get(key, {})),
            **fields,
        )

    def translations(
        self, key: str, texts: dict[str, dict[str, str]], main: str, notes: str = ""
    ) -> list[case.Translation]:
        found = []
        for language, fields in sorted(texts.items()):
            statement = fields.get(main, "")
            if not statement:
                continue
            lkey = f"{key}:{language}"
            found.append(
                case.Translation(
                    identifier=self.of(lkey),
                    language=language,
                    statement=statement,
                    notes=fields.get(notes, "") if notes else "",
                    extra={"link": self.link(lkey), **self.kept(lkey)},
                )
            )
        return found


def case_tree(
    framework: Framework, validation: dict[str, dict[str, Any]] | None = None
) -> case.CaseTree:
    """The framework as a CASE tree: groups (Domain), competencies, indicators, French
    texts as `isTranslationOf` items, the scale as a rubric, `validation` statistics by
    competency code under each competency's `extensions`."""
    ids = _Ids(framework)
    saved = ids.saved
    validation = validation or {}
    nodes: list[case.CaseNode] = []
    by_id: dict[str, case.CaseNode] = {}
    competencies = framework.competencies.select_related("group").prefetch_related("indicators")
    by_group: dict[int, list[Competency]] = {}
    for competency in competencies:
        by_group.setdefault(competency.group_id, []).append(competency)
    for group in framework.groups.all():
        key = f"group:{group.key}"
        node = ids.node(
            key,
            DOMAIN,
            group.name,
            code=group.key,
            notes=group.description,
            language=framework.language,
        )
        name_fields = {
            lang: {
                "name": str(t.get("name") or group.name),
                "description": str(t.get("description", "")),
            }
            for lang, t in group.translations.items()
        }
        node.translations = ids.translations(key, name_fields, "name", "description")
        nodes.append(node)
        for competency in by_group.get(group.pk, []):
            child = _competency_node(ids, framework, competency, validation.get(competency.code))
            parent = by_id.get(saved.get("parents", {}).get(f"competency:{competency.code}", ""))
            (parent or node).children.append(child)
            by_id[child.identifier] = child
    if saved.get("synthetic_group") and len(nodes) == 1:
        nodes = nodes[0].children  # the package had no groups: its items sit on the document
    return case.CaseTree(
        document=_document(framework, saved),
        nodes=nodes,
        associations=list(saved.get("associations", [])),
        items=list(saved.get("items", [])),
        definitions=_definitions(framework, saved.get("definitions", {})),
        rubrics=[_scale_rubric(framework), *saved.get("rubrics", [])],
        extensions=dict(saved.get("extensions", {})),
    )


def _competency_node(
    ids: _Ids, framework: Framework, competency: Competency, statistics: dict[str, Any] | None
) -> case.CaseNode:
    key = f"competency:{competency.code}"
    extension: dict[str, Any] = {"ksabType": competency.ksab_type}
    if competency.source_list():
        extension["sources"] = competency.source_list()
    if statistics:
        extension["validation"] = statistics
    node = ids.node(
        key,
        COMPETENCY,
        competency.statement,
        code=competency.code,
        notes=competency.notes,
        language=framework.language,
        extension=extension,
    )
    node.translations = ids.translations(key, competency.translations, "statement")
    for indicator in competency.indicators.all():
        ikey = f"indicator:{competency.code}:{indicator.position}"
        child = ids.node(
            ikey,
            INDICATOR,
            indicator.text,
            code=f"{competency.code}.{indicator.position}",
            language=framework.language,
        )
        child.translations = ids.translations(ikey, indicator.translations, "text")
        node.children.append(child)
    return node


def _document(framework: Framework, saved: dict[str, Any]) -> case.CaseDocument:
    extra = dict(saved.get("document_extra", {}))
    extensions = dict(extra.get("extensions") or {})
    extensions[EXTENSION] = {
        "slug": framework.slug,
        "citation": framework.citation,
        "source": framework.source,
        "translations": framework.translations,
    }
    extra["extensions"] = extensions
    owner = framework.owner
    creator = (owner.get_full_name() or owner.get_username()) if owner else "rtwcomp"
    return case.CaseDocument(
        identifier=document_id(framework),
        title=framework.name,
        creator=str(saved.get("creator") or creator),
        description=framework.description,
        language=framework.language,
        version=str(framework.version),
        adoption_status="Published" if framework.is_published else "Draft",
        extra=extra,
    )


def item_type_id(title: str) -> str:
    """The same identifier for rtwcomp's item type in every framework."""
    return case.derived_id("item-type", title)


def _definitions(framework: Framework, kept: dict[str, Any]) -> dict[str, Any]:
    """The kept definitions, with rtwcomp's three item types among the CFItemTypes."""
    changed = _changed(framework)
    ours = [
        {
            "identifier": item_type_id(title),
            "uri": f"{PLACEHOLDER_BASE}CFItemTypes/{item_type_id(title)}",
            "title": title,
            "description": description,
            "hierarchyCode": str(level),
            "typeCode": title.lower(),
            "lastChangeDateTime": changed,
        }
        for level, (title, description) in enumerate(
            [
                (DOMAIN, "A group of competencies"),
                (COMPETENCY, "A knowledge, skill, attitude or behaviour item"),
                (INDICATOR, "An observable behaviour showing a competency"),
            ],
            start=1,
        )
    ]
    taken = {t["identifier"] for t in ours}
    definitions = dict(kept)
    other = [t for t in definitions.get("CFItemTypes", []) if t.get("identifier") not in taken]
    definitions["CFItemTypes"] = ours + other
    return definitions


def _scale_rubric(framework: Framework) -> dict[str, Any]:
    """The importance scale the framework's studies rate items on, as one criterion."""
    base, changed = PLACEHOLDER_BASE, _changed(framework)
    rubric = case.derived_id(framework.slug, "rubric:importance")
    criterion = case.derived_id(framework.slug, "rubric:importance:criterion")
    levels = [
        {
            "identifier": case.derived_id(framework.slug, "rubric:importance", str(value)),
            "uri": f"{base}CFRubricCriterionLevels/{value}",
            "description": label,
            "quality": label,
            "score": value,
            "feedback": french,
            "position": value,
            "rubricCriterionId": criterion,
            "lastChangeDateTime": changed,
        }
        for value, label, french in IMPORTANCE_SCALE
    ]
    return {
        "identifier": rubric,
        "uri": f"{base}CFRubrics/{rubric}",
        "title": "Importance",
        "description": "How important each competency is to the role (feedback: French).",
        "lastChangeDateTime": changed,
        "extensions": {EXTENSION: {"generated": True}},
        "CFRubricCriteria": [
            {
                "identifier": criterion,
                "uri": f"{base}CFRubricCriteria/{criterion}",
                "category": "importance",
                "description": "Importance rating",
                "weight": 1.0,
                "position": 1,
                "rubricId": rubric,
                "lastChangeDateTime": changed,
                "CFRubricCriterionLevels": levels,
            }
        ],
    }


def _changed(framework: Framework) -> str:
    when = framework.published_at or framework.created_at or timezone.now()
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def case_package(
    framework: Framework,
    base_uri: str = PLACEHOLDER_BASE,
    validation: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The framework as a CASE v1.1 CFPackage (plain JSON data)."""
    package = case.write_package(case_tree(framework, validation), base_uri, _changed(framework))
    problems = case.schema_problems(package)
    if problems:  # a bug of ours, never of the user's data
        raise ValueError("the CASE export breaks its schema: " + "; ".join(problems[:5]))
    return package


# --- CASE import -------------------------------------------------------------------------


@dataclass
class _Import:
    """What an import builds before storing anything."""

    rows: FrameworkRows = field(default_factory=lambda: FrameworkRows([], []))
    names: dict[str, str] = field(default_factory=dict)
    indicator_translations: dict[tuple[str, int], dict[str, dict[str, str]]] = field(
        default_factory=dict
    )
    saved: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _ours(extra: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(extra without rtwcomp's own extension, that extension)."""
    found = extra.get("extensions")
    extensions = dict(found) if isinstance(found, dict) else {}
    mine = extensions.pop(EXTENSION, None)
    rest = {k: v for k, v in extra.items() if k != "extensions"}
    if extensions:
        rest["extensions"] = extensions
    return rest, mine if isinstance(mine, dict) else {}


class _Builder:
    def __init__(self, tree: case.CaseTree, name: str) -> None:
        self.tree = tree
        self.name = name
        self.out = _Import()
        self.saved: dict[str, Any] = {
            "ids": {},
            "links": {},
            "extra": {},
            "link_extra": {},
            "parents": {},
        }
        self.codes: set[str] = set()

    def problem(self, node: case.CaseNode, message: str) -> None:
        self.out.problems.append(f"{self.name}: {node.path or node.identifier}: {message}")

    def keep(self, key: str, node: case.CaseNode, item_type: str) -> dict[str, Any]:
        extra, mine = _ours(node.extra)
        if extra.get("CFItemType") == item_type:
            extra.pop("CFItemType")
        self.saved["ids"][key] = node.identifier
        self.saved["links"][key] = node.link
        if extra:
            self.saved["extra"][key] = extra
        if node.link_extra:
            self.saved["link_extra"][key] = node.link_extra
        for translation in node.translations:
            lkey = f"{key}:{translation.language}"
            self.saved["ids"][lkey] = translation.identifier
            t_extra = dict(translation.extra)
            self.saved["links"][lkey] = t_extra.pop("link", "")
            if t_extra:
                self.saved["extra"][lkey] = t_extra
        return mine

    def group(self, node: case.CaseNode, members: list[case.CaseNode]) -> None:
        key = node.code if 0 < len(node.code) <= MAX_GROUP else node.statement[:60]
        base, n = key, 1
        while key in self.out.names:
            n += 1
            key = f"{base} {n}"
        if len(node.statement) > MAX_NAME:
            self.problem(
                node, f"fullStatement: longer than {MAX_NAME} characters, the longest group name"
            )
        self.keep(f"group:{key}", node, DOMAIN)
        if node.code != key:
            self.saved["extra"].setdefault(f"group:{key}", {})["humanCodingScheme"] = node.code
        self.out.names[key] = node.statement
        translations = {
            t.language: {"name": t.statement, "description": t.notes} for t in node.translations
        }
        self.out.rows.groups.append(
            GroupRow(key=key, description=node.notes, translations=translations)
        )
        for member in members:
            self.competency(member, key, node.identifier)

    def competency(self, node: case.CaseNode, group: str, parent: str) -> None:
        code = (
            node.code
            if 0 < len(node.code) <= MAX_CODE and node.code not in self.codes
            else f"C{len(self.out.rows.competencies) + 1:04d}"
        )
        while code in self.codes:
            code += "x"
        self.codes.add(code)
        key = f"competency:{code}"
        mine = self.keep(key, node, COMPETENCY)
        if node.code != code:
            self.saved["extra"].setdefault(key, {})["humanCodingScheme"] = node.code
        if parent != self.saved["ids"].get(f"group:{group}"):
            self.saved["parents"][key] = parent
        ksab = str(mine.get("ksabType", DEFAULT_KSAB))
        indicators = [c for c in node.children if c.item_type == INDICATOR]
        row = CompetencyRow(
            code=code,
            group=group,
            ksab_type=ksab if ksab in KSAB_TYPES else DEFAULT_KSAB,
            statement=node.statement,
            notes=node.notes,
            sources=[s for s in _list(mine.get("sources")) if isinstance(s, str)],
            indicators=[c.statement for c in indicators],
            translations={t.language: {"statement": t.statement} for t in node.translations},
        )
        self.out.rows.competencies.append(row)
        for position, indicator in enumerate(indicators, start=1):
            ikey = f"indicator:{code}:{position}"
            self.keep(ikey, indicator, INDICATOR)
            self.saved["extra"].setdefault(ikey, {}).setdefault("humanCodingScheme", indicator.code)
            if indicator.translations:
                self.out.indicator_translations[(code, position)] = {
                    t.language: {"text": t.statement} for t in indicator.translations
                }
            for deeper in indicator.children:
                self.competency(deeper, group, indicator.identifier)
        for child in node.children:
            if child.item_type != INDICATOR:
                self.competency(child, group, node.identifier)

    def build(self) -> _Import:
        tree = self.tree
        if any(node.children for node in tree.nodes):
            for node in tree.nodes:
                self.group(node, node.children)
        elif tree.nodes:
            whole = case.CaseNode(
                identifier=case.derived_id("group", tree.document.identifier),
                item_type=DOMAIN,
                statement=tree.document.title[:MAX_NAME],
                code="items",
            )
            self.group(whole, tree.nodes)
            self.saved["synthetic_group"] = True
        extra, mine = _ours(tree.document.extra)
        self.saved.update(
            document=tree.document.identifier,
            creator=tree.document.creator,
            document_extra=extra,
            associations=tree.associations,
            items=tree.items,
            definitions=tree.definitions,
            rubrics=[r for r in tree.rubrics if not _generated(r)],
            extensions=tree.extensions,
            renamed=tree.renamed,
        )
        self.out.saved = {k: v for k, v in self.saved.items() if v}
        self.out.saved["ours"] = mine
        return self.out


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _generated(rubric: Any) -> bool:
    extensions = rubric.get("extensions") if isinstance(rubric, dict) else None
    return isinstance(extensions, dict) and bool((extensions.get(EXTENSION) or {}).get("generated"))


@dataclass(frozen=True)
class Imported:
    framework: Framework
    new_version: bool


def find_by_document(identifier: str) -> str | None:
    """The slug of the framework a CASE document identifier belongs to, if any."""
    kept = (
        Framework.objects.filter(exchange__case__document=identifier)
        .values_list("slug", flat=True)
        .first()
    )
    if kept:
        return kept
    for slug in Framework.objects.values_list("slug", flat=True).distinct():
        if case.derived_id(slug) == identifier:
            return slug
    return None


def read_case(data: bytes | str, name: str) -> tuple[_Import, dict[str, Any]]:
    """A package checked and mapped onto rows, and the framework's own fields; nothing is
    stored. InputError lists every problem."""
    tree = case.read_package(data, name)
    built = _Builder(tree, name).build()
    document = tree.document
    if len(document.title) > MAX_NAME:
        built.problems.append(f"{name}: CFDocument.title: longer than {MAX_NAME} characters")
    if built.problems:
        raise InputError(built.problems[:50])
    ours = built.saved.pop("ours")
    fields = {
        "name": document.title,
        "description": document.description,
        "language": document.language if 0 < len(document.language) <= MAX_LANGUAGE else "en",
        "citation": _text_of(ours.get("citation")),
        "source": _text_of(ours.get("source")),
        "translations": _translations_of(ours.get("translations")),
        "slug_hint": _text_of(ours.get("slug")) or document.title,
        "document": document.identifier,
    }
    return built, fields


def _text_of(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _translations_of(value: Any) -> dict[str, dict[str, str]]:
    """{language: {field: text}} from an extension, anything else left out."""
    if not isinstance(value, dict):
        return {}
    return {
        str(language)[:MAX_LANGUAGE]: {k: v for k, v in texts.items() if isinstance(v, str)}
        for language, texts in value.items()
        if isinstance(texts, dict)
    }


def import_case(data: bytes | str, name: str, *, owner: Any = None, user: Any = None) -> Imported:
    """A CFPackage as a new draft: a new version of the framework whose document identifier
    it carries, else a new framework. All or nothing: InputError lists every problem;
    `services.SlugTaken` when `user` may not add a version to that framework."""
    built, fields = read_case(data, name)
    slug = find_by_document(fields.pop("document"))
    if slug is not None and user is not None:
        services.check_new_version(slug, user)
    hint = fields.pop("slug_hint")
    framework = _store(
        built,
        slug=slug or _free_slug(hint),
        owner=owner,
        exchange={"case": built.saved},
        **fields,
    )
    return Imported(framework, slug is not None)


def _free_slug(text: str) -> str:
    base = slugify(text)[:70] or "framework"
    slug, n = base, 1
    while slug in services.RESERVED_SLUGS or Framework.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def _store(built: _Import, **fields: Any) -> Framework:
    framework = services.create_from_rows(built.rows, **fields)
    for key, name in built.names.items():
        Group.objects.filter(framework=framework, key=key).update(name=name)
    for (code, position), translations in built.indicator_translations.items():
        BehaviouralIndicator.objects.filter(
            competency__framework=framework, competency__code=code, position=position
        ).update(translations=translations)
    return framework


# --- Moodle --------------------------------------------------------------------------------


def moodle_export(framework: Framework) -> str:
    """The framework as Moodle's competency framework CSV."""
    rows = services.to_rows(framework)
    groups = {g.key: g for g in framework.groups.all()}
    indicator_tr = {
        (i.competency.code, i.position): i.translations
        for i in BehaviouralIndicator.objects.filter(
            competency__framework=framework
        ).select_related("competency")
    }
    content = moodle.MoodleFramework(
        idnumber=framework.slug,
        name=framework.name,
        description=framework.description,
        translations=framework.translations,
        citation=framework.citation,
        source=framework.source,
        groups=[
            moodle.MoodleGroup(g.key, groups[g.key].name, g.description, g.translations)
            for g in rows.groups
        ],
        competencies=[
            moodle.MoodleCompetency(
                code=c.code,
                group=c.group,
                statement=c.statement,
                ksab_type=c.ksab_type,
                notes=c.notes,
                sources=c.sources,
                translations=c.translations,
                indicators=[
                    moodle.MoodleIndicator(text, indicator_tr.get((c.code, n), {}))
                    for n, text in enumerate(c.indicators, start=1)
                ],
            )
            for c in rows.competencies
        ],
    )
    out = io.StringIO()
    moodle.write_moodle(content, out)
    return out.getvalue()


def import_moodle(
    source: Any, name: str, *, owner: Any = None, user: Any = None, size: int | None = None
) -> Imported:
    """A Moodle competency framework CSV as a new draft (a new version when its id number
    is the slug of a framework here)."""
    content = moodle.read_moodle(source, name, size=size)
    slug = slugify(content.idnumber)[:80] if content.idnumber else ""
    existing = bool(slug) and Framework.objects.filter(slug=slug).exists()
    if existing and user is not None:
        services.check_new_version(slug, user)
    slug = slug if existing else _free_slug(content.idnumber or content.name)
    rows = FrameworkRows(
        groups=[GroupRow(g.key, g.description, g.translations) for g in content.groups],
        competencies=[
            CompetencyRow(
                code=c.code,
                group=c.group,
                ksab_type=c.ksab_type or DEFAULT_KSAB,
                statement=c.statement,
                notes=c.notes,
                sources=c.sources,
                indicators=[i.text for i in c.indicators],
                translations=c.translations,
            )
            for c in content.competencies
        ],
    )
    built = _Import(rows=rows, names={g.key: g.name for g in content.groups})
    built.indicator_translations = {
        (c.code, n): i.translations
        for c in content.competencies
        for n, i in enumerate(c.indicators, start=1)
        if i.translations
    }
    framework = _store(
        built,
        slug=slug,
        name=content.name,
        description=content.description,
        translations=content.translations,
        citation=content.citation,
        source=content.source,
        owner=owner,
    )
    return Imported(framework, existing)


# --- formats -------------------------------------------------------------------------------

IMPORT_FORMATS = ("csv", "case", "moodle")
EXPORT_FORMATS = ("csv", "json", "case", "moodle")


def detect_format(head: bytes) -> str:
    """The format of a framework file from its first bytes: a JSON object is a CASE
    package, a CSV whose header is Moodle's is Moodle's, anything else rtwcomp's CSV."""
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return "case"
    first = text.splitlines()[0] if text else ""
    if "Parent id number" in first and "Is framework" in first:
        return "moodle"
    return "csv"


def export_text(framework: Framework, fmt: str, base_uri: str = PLACEHOLDER_BASE) -> str:
    """The framework in one of EXPORT_FORMATS, as text."""
    import json

    from rtwcomp.interop.framework_csv import write_framework_csv

    if fmt == "case":
        return json.dumps(case_package(framework, base_uri), ensure_ascii=False, indent=2) + "\n"
    if fmt == "moodle":
        return moodle_export(framework)
    if fmt == "json":
        return json.dumps(services.to_dict(framework), ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    write_framework_csv(services.to_rows(framework), out)
    return out.getvalue()


def read_limited(stream: Any, name: str, limit: int = case.MAX_BYTES) -> bytes:
    """At most `limit` bytes of an upload or file; InputError when there are more."""
    data: bytes = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError([f"{name}: larger than {limit:,} bytes, the limit"])
    return data


def import_upload(upload: Any, name: str, fmt: str, user: Any) -> Imported:
    """An uploaded framework file as a new draft owned by `user` (format detected when
    `fmt` is blank); rtwcomp's own CSV takes its slug from the file name."""
    head = upload.read(4096)
    upload.seek(0)
    fmt = fmt or detect_format(head)
    if fmt == "case":
        return import_case(read_limited(upload, name), name, owner=user, user=user)
    if fmt == "moodle":
        return import_moodle(upload, name, owner=user, user=user, size=upload.size)
    from rtwcomp.interop.framework_csv import read_framework_csv

    rows = read_framework_csv(upload, name, size=upload.size)
    slug = slugify(name.rsplit(".", 1)[0])[:80] or "framework"
    existing = services.current(slug)
    if existing is not None:
        services.check_new_version(slug, user)
    title = existing.name if existing else slug.replace("-", " ").capitalize()
    framework = services.create_from_rows(rows, slug=slug, name=title, owner=user)
    return Imported(framework, existing is not None)


# --- what the CASE API serves --------------------------------------------------------------

_PACKAGES: dict[tuple[int, str], dict[str, Any]] = {}
_PACKAGES_KEPT = 32


def published_frameworks() -> list[Framework]:
    """The latest published version of each framework: what the CASE API serves."""
    published = Framework.objects.filter(status=Framework.Status.PUBLISHED)
    return [f for f in services.latest_per_slug(published) if f.is_published]


def published_package(framework: Framework, base_uri: str) -> dict[str, Any]:
    """The package of a published (hence frozen) version, built once per base URI."""
    key = (framework.pk, base_uri)
    if key not in _PACKAGES:
        if len(_PACKAGES) >= _PACKAGES_KEPT:
            _PACKAGES.pop(next(iter(_PACKAGES)))
        _PACKAGES[key] = case_package(framework, base_uri)
    return _PACKAGES[key]


def find_published(kind: str, identifier: str, base_uri: str) -> dict[str, Any] | None:
    """A document, package or object (CFItems, CFAssociations, CFRubrics, CFItemTypes) of a
    published framework by its identifier, or None."""
    for framework in published_frameworks():
        if kind in ("CFDocuments", "CFPackages") and document_id(framework) != identifier:
            continue
        package = published_package(framework, base_uri)
        if kind == "CFPackages":
            return package
        if kind == "CFDocuments":
            return dict(package["CFDocument"])
        found = case.package_objects(package)[kind].get(identifier)
        if found is not None:
            return found
    return None
