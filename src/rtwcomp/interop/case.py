"""1EdTech CASE packages (v1.0 and v1.1) read into a tree of nodes and written back.

A package is plain JSON. `read_package` checks its shape and returns it as a `CaseTree`:
the document, its items as a hierarchy built from `isChildOf` associations (the child is
the origin, the parent the destination; siblings ordered by `sequenceNumber`), the
translations (items that are the origin of an `isTranslationOf` association and carry a
`language`), and everything else kept as it came (other associations, items outside the
hierarchy, definitions, rubrics, extensions) so that it can be written back out.
`write_package` turns such a tree into a v1.1 package. Every problem is an `InputError`
naming its JSON path, e.g. `CFItems[12].identifier`; nothing here knows of Django.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from rtwcomp.interop.errors import InputError

MB = 1_000_000
MAX_BYTES = 20 * MB
MAX_OBJECTS = 20_000  # items, associations, rubrics: 100 times the default framework
MAX_TEXT = 10_000  # characters of any statement or note (the model columns' reader limit)
MAX_IDENTIFIER = 200
MAX_PROBLEMS = 50
NAMESPACE = uuid.UUID("6f1c1d52-2a4e-5b8e-9d3c-7a5e0b1c2d3e")  # rtwcomp's CASE identifiers
CASE_VERSION = "1.1"
CHILD_OF = "isChildOf"
TRANSLATION_OF = "isTranslationOf"
ASSOCIATION_TYPES = (
    "isChildOf",
    "isPeerOf",
    "isPartOf",
    "exactMatchOf",
    "precedes",
    "isRelatedTo",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
    "isTranslationOf",
)
# Fields of an item that the tree models; every other field is kept in `CaseNode.extra`.
NODE_FIELDS = (
    "identifier",
    "uri",
    "fullStatement",
    "humanCodingScheme",
    "notes",
    "language",
    "lastChangeDateTime",
    "CFDocumentURI",
)
UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[8-9a-b][0-9a-f]{3}-[0-9a-f]{12}\Z")
SCHEMA = "case-v1p1-cfpackage.json"


def derived_id(*parts: str) -> str:
    """A UUID that stays the same for the same object: UUID5 over rtwcomp's namespace."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


@dataclass
class Translation:
    """One item giving another's text in another language."""

    identifier: str
    language: str
    statement: str
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CaseNode:
    """A CFItem in the hierarchy: its own fields, its children in order, its translations."""

    identifier: str
    item_type: str
    statement: str
    code: str = ""
    notes: str = ""
    language: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    children: list[CaseNode] = field(default_factory=list)
    translations: list[Translation] = field(default_factory=list)
    #: the identifier of the `isChildOf` association linking it to its parent
    link: str = ""
    link_extra: dict[str, Any] = field(default_factory=dict)
    #: where the item was in the package read, e.g. `CFItems[3]` (for messages)
    path: str = ""


@dataclass
class CaseDocument:
    identifier: str
    title: str
    creator: str
    description: str = ""
    language: str = ""
    version: str = ""
    adoption_status: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CaseTree:
    document: CaseDocument
    nodes: list[CaseNode]
    #: associations, items, definitions and rubrics kept as they came
    associations: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    definitions: dict[str, Any] = field(default_factory=dict)
    rubrics: list[dict[str, Any]] = field(default_factory=list)
    extensions: dict[str, Any] = field(default_factory=dict)
    #: {identifier given here: the package's own}, for identifiers that were not RFC 4122
    renamed: dict[str, str] = field(default_factory=dict)


# --- reading ---------------------------------------------------------------------------


class _Problems:
    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[str] = []

    def add(self, path: str, message: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(f"{self.name}: {path}: {message}")

    def raise_any(self) -> None:
        if self.found:
            raise InputError(self.found)


def parse_json(data: bytes | str, name: str) -> Any:
    """JSON text (UTF-8, at most MAX_BYTES) as Python data; InputError with line and column."""
    size = len(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)
    if size > MAX_BYTES:
        raise InputError([f"{name}: the file is {size:,} bytes; the limit is {MAX_BYTES:,}"])
    try:
        text = data if isinstance(data, str) else data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError([f"{name}: byte {error.start + 1}: not UTF-8 text"]) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            [f"{name}: line {error.lineno}, column {error.colno}: not JSON ({error.msg})"]
        ) from None
    except RecursionError:
        raise InputError([f"{name}: the JSON is nested too deeply"]) from None


def read_package(data: bytes | str, name: str) -> CaseTree:
    """A CFPackage (v1.0 or v1.1) as a tree; InputError listing every problem by JSON path."""
    package = parse_json(data, name)
    problems = _Problems(name)
    check_package(package, problems)
    problems.raise_any()
    renamed = _canonical_identifiers(package)
    tree = _tree(package, problems)
    tree.renamed = renamed
    return tree


_ID_KEYS = ("identifier", "rubricId", "rubricCriterionId")


def _canonical_identifiers(package: dict[str, Any]) -> dict[str, str]:
    """Give every identifier that is not a lower-case RFC 4122 UUID a UUID5 derived from
    it, everywhere it occurs; the exports then pass the schema. {new: old}."""
    found: dict[str, str] = {}

    def rename(value: Any, depth: int = 0) -> None:
        if depth > 40:
            return
        if isinstance(value, dict):
            for key in _ID_KEYS:
                old = value.get(key)
                if isinstance(old, str) and not UUID_PATTERN.match(old):
                    value[key] = found.setdefault(old, derived_id("source", old))
            for child in value.values():
                rename(child, depth + 1)
        elif isinstance(value, list):
            for child in value:
                rename(child, depth + 1)

    rename(package)
    return {new: old for old, new in found.items()}


def _text(
    obj: Mapping[str, Any],
    key: str,
    path: str,
    problems: _Problems,
    *,
    required: bool,
    limit: int = MAX_TEXT,
) -> None:
    value = obj.get(key)
    if value is None:
        if required:
            problems.add(f"{path}.{key}", "a value is required")
        return
    if not isinstance(value, str):
        problems.add(f"{path}.{key}", "must be a string")
    elif required and not value.strip():
        problems.add(f"{path}.{key}", "must not be empty")
    elif len(value) > limit:
        problems.add(f"{path}.{key}", f"longer than {limit:,} characters")


def _objects(package: Mapping[str, Any], key: str, problems: _Problems) -> list[Any]:
    value = package.get(key, [])
    if not isinstance(value, list):
        problems.add(key, "must be a list")
        return []
    if len(value) > MAX_OBJECTS:
        problems.add(key, f"more than {MAX_OBJECTS:,} entries")
        return []
    for i, obj in enumerate(value):
        if not isinstance(obj, dict):
            problems.add(f"{key}[{i}]", "must be an object")
    return [obj if isinstance(obj, dict) else {} for obj in value]


def _object(obj: Mapping[str, Any], key: str, path: str, problems: _Problems) -> None:
    if key in obj and not isinstance(obj[key], dict):
        problems.add(f"{path}.{key}", "must be an object")


def _link(obj: Mapping[str, Any], key: str, path: str, problems: _Problems) -> None:
    link = obj.get(key)
    if not isinstance(link, dict):
        problems.add(f"{path}.{key}", "must be an object with title, identifier and uri")
        return
    _text(link, "identifier", f"{path}.{key}", problems, required=True, limit=MAX_IDENTIFIER)
    for part in ("title", "uri"):
        _text(link, part, f"{path}.{key}", problems, required=False)


def check_package(package: Any, problems: _Problems) -> None:
    """The shape the tree needs; other fields are kept unchecked, as the package gave them."""
    if not isinstance(package, dict):
        problems.add("$", "a CFPackage is a JSON object")
        return
    _check_document(package.get("CFDocument"), problems)
    _check_items(_objects(package, "CFItems", problems), problems)
    for i, association in enumerate(_objects(package, "CFAssociations", problems)):
        _check_association(association, f"CFAssociations[{i}]", problems)
    _objects(package, "CFRubrics", problems)
    for key in ("CFDefinitions", "extensions"):
        value = package.get(key)
        if value is not None and not isinstance(value, dict | list):
            problems.add(key, "must be an object")


def _check_document(document: Any, problems: _Problems) -> None:
    if not isinstance(document, dict):
        problems.add("CFDocument", "a CFPackage holds exactly one CFDocument object")
        return
    for key in ("identifier", "title", "creator"):
        limit = MAX_IDENTIFIER if key == "identifier" else MAX_TEXT
        _text(document, key, "CFDocument", problems, required=True, limit=limit)
    for key in ("description", "language", "version", "adoptionStatus"):
        _text(document, key, "CFDocument", problems, required=False)
    _object(document, "extensions", "CFDocument", problems)


def _check_items(items: list[dict[str, Any]], problems: _Problems) -> None:
    seen: dict[str, str] = {}
    for i, item in enumerate(items):
        path = f"CFItems[{i}]"
        _text(item, "identifier", path, problems, required=True, limit=MAX_IDENTIFIER)
        _text(item, "fullStatement", path, problems, required=True)
        for key in ("humanCodingScheme", "notes", "language", "CFItemType"):
            _text(item, key, path, problems, required=False)
        _object(item, "extensions", path, problems)
        identifier = item.get("identifier")
        if isinstance(identifier, str) and identifier in seen:
            problems.add(f"{path}.identifier", f"'{identifier}' already used by {seen[identifier]}")
        elif isinstance(identifier, str):
            seen[identifier] = path


def _check_association(association: dict[str, Any], path: str, problems: _Problems) -> None:
    _text(association, "identifier", path, problems, required=True, limit=MAX_IDENTIFIER)
    _text(association, "associationType", path, problems, required=True, limit=100)
    for key in ("originNodeURI", "destinationNodeURI"):
        _link(association, key, path, problems)
    _object(association, "extensions", path, problems)
    number = association.get("sequenceNumber")
    if isinstance(number, str) and number.strip().isdigit() and len(number) < 10:
        association["sequenceNumber"] = int(number)  # some tools write it as text
    elif number is not None and (isinstance(number, bool) or not isinstance(number, int)):
        problems.add(f"{path}.sequenceNumber", "must be an integer")


def _node_id(link: Mapping[str, Any]) -> str:
    return str(link["identifier"])


def _tree(package: Mapping[str, Any], problems: _Problems) -> CaseTree:
    document = package["CFDocument"]
    items = {str(i["identifier"]): i for i in package.get("CFItems", [])}
    paths = {
        str(i["identifier"]): f"CFItems[{n}]" for n, i in enumerate(package.get("CFItems", []))
    }
    associations: list[dict[str, Any]] = list(package.get("CFAssociations", []))
    translations = _translations(items, associations, str(document.get("language", "")))
    children: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
    kept: list[dict[str, Any]] = []
    parent_of: dict[str, str] = {}
    for order, association in enumerate(associations):
        child = _node_id(association["originNodeURI"])
        parent = _node_id(association["destinationNodeURI"])
        hierarchy = (
            association["associationType"] == CHILD_OF
            and child in items
            and child not in parent_of
            and child not in translations.by_item
            and (parent in items or parent == document["identifier"])
        )
        if not hierarchy:
            if association["identifier"] not in translations.links:
                kept.append(association)
            continue
        parent_of[child] = parent
        number = association.get("sequenceNumber")
        key = number if isinstance(number, int) else order
        children.setdefault(parent, []).append((key, order, association))
    placed: set[str] = set()

    def build(parent: str, depth: int) -> list[CaseNode]:
        nodes = []
        for _key, _order, association in sorted(children.get(parent, []), key=lambda t: t[:2]):
            identifier = _node_id(association["originNodeURI"])
            if identifier in placed or depth > 50:
                kept.append(association)  # a cycle or a second parent: kept, not followed
                continue
            placed.add(identifier)
            node = _node(items[identifier], translations.of.get(identifier, []))
            node.link = str(association["identifier"])
            node.path = paths[identifier]
            node.link_extra = _extra(association, _LINK_FIELDS)
            node.children = build(identifier, depth + 1)
            nodes.append(node)
        return nodes

    nodes = build(str(document["identifier"]), 0)
    loose = [
        item
        for identifier, item in items.items()
        if identifier not in placed and identifier not in translations.by_item
    ]
    definitions = package.get("CFDefinitions")
    extensions = package.get("extensions")
    return CaseTree(
        document=_document(document),
        nodes=nodes,
        associations=kept,
        items=loose,
        definitions=definitions if isinstance(definitions, dict) else {},
        rubrics=list(package.get("CFRubrics", [])),
        extensions=extensions if isinstance(extensions, dict) else {},
    )


_LINK_FIELDS = (
    "identifier",
    "uri",
    "associationType",
    "originNodeURI",
    "destinationNodeURI",
    "sequenceNumber",
    "lastChangeDateTime",
    "CFDocumentURI",
)


@dataclass
class _Translations:
    of: dict[str, list[Translation]] = field(default_factory=dict)
    by_item: set[str] = field(default_factory=set)
    links: set[str] = field(default_factory=set)


def _translations(
    items: Mapping[str, dict[str, Any]], associations: Iterable[Mapping[str, Any]], language: str
) -> _Translations:
    """Items that translate another item: the origin of `isTranslationOf`, in a language
    other than the document's (or the target's)."""
    found = _Translations()
    for association in associations:
        if association["associationType"] != TRANSLATION_OF:
            continue
        origin = _node_id(association["originNodeURI"])
        target = _node_id(association["destinationNodeURI"])
        item, original = items.get(origin), items.get(target)
        if item is None or original is None or origin in found.by_item:
            continue
        own = str(original.get("language") or language)
        tongue = str(item.get("language") or "")
        if not tongue or tongue == own or target in found.by_item:
            continue
        found.by_item.add(origin)
        found.links.add(str(association["identifier"]))
        found.of.setdefault(target, []).append(
            Translation(
                identifier=origin,
                language=tongue,
                statement=str(item["fullStatement"]),
                notes=str(item.get("notes") or ""),
                extra={"link": association["identifier"], **_extra(item, NODE_FIELDS)},
            )
        )
    return found


def _extra(obj: Mapping[str, Any], known: Iterable[str]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in known}


def _node(item: Mapping[str, Any], translations: list[Translation]) -> CaseNode:
    return CaseNode(
        identifier=str(item["identifier"]),
        item_type=str(item.get("CFItemType") or ""),
        statement=str(item["fullStatement"]),
        code=str(item.get("humanCodingScheme") or ""),
        notes=str(item.get("notes") or ""),
        language=str(item.get("language") or ""),
        extra=_extra(item, NODE_FIELDS),
        translations=translations,
    )


def _document(document: Mapping[str, Any]) -> CaseDocument:
    return CaseDocument(
        identifier=str(document["identifier"]),
        title=str(document["title"]),
        creator=str(document["creator"]),
        description=str(document.get("description") or ""),
        language=str(document.get("language") or ""),
        version=str(document.get("version") or ""),
        adoption_status=str(document.get("adoptionStatus") or ""),
        extra=_extra(
            document,
            (
                "identifier",
                "uri",
                "title",
                "creator",
                "description",
                "language",
                "version",
                "adoptionStatus",
                "lastChangeDateTime",
                "caseVersion",
                "frameworkType",
            ),
        ),
    )


def walk(nodes: Iterable[CaseNode]) -> Iterable[CaseNode]:
    """Every node, depth first, parents before children."""
    for node in nodes:
        yield node
        yield from walk(node.children)


# --- writing ---------------------------------------------------------------------------


def write_package(tree: CaseTree, base_uri: str, changed: str) -> dict[str, Any]:
    """A v1.1 CFPackage: `base_uri` ends in `/ims/case/v1p1/` (or is a placeholder);
    `changed` is the lastChangeDateTime of every object rtwcomp writes."""
    base = base_uri.rstrip("/") + "/"
    doc = tree.document
    doc_uri = f"{base}CFDocuments/{doc.identifier}"
    document: dict[str, Any] = {
        "identifier": doc.identifier,
        "uri": doc_uri,
        "creator": doc.creator,
        "title": doc.title,
        "lastChangeDateTime": changed,
        "caseVersion": CASE_VERSION,
        "frameworkType": "Competency",
        **{k: v for k, v in _document_options(doc).items() if v},
        **doc.extra,
    }
    document["CFPackageURI"] = _link_to(
        doc.title, doc.identifier, f"{base}CFPackages/{doc.identifier}"
    )
    doc_link = _link_to(doc.title, doc.identifier, doc_uri)
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []

    def item_of(node: CaseNode) -> dict[str, Any]:
        item = {
            "identifier": node.identifier,
            "uri": f"{base}CFItems/{node.identifier}",
            "fullStatement": node.statement,
            "CFItemType": node.item_type,
            "humanCodingScheme": node.code,
            "notes": node.notes,
            "language": node.language,
            "lastChangeDateTime": changed,
            "CFDocumentURI": doc_link,
        }
        item.update(node.extra)
        return {k: v for k, v in item.items() if v != ""}

    def add(nodes: list[CaseNode], parent: dict[str, Any]) -> None:
        for number, node in enumerate(nodes, start=1):
            item = item_of(node)
            items.append(item)
            link = _link_to(node.statement[:200], node.identifier, item["uri"])
            associations.append(
                _association(base, node.link, CHILD_OF, link, parent, changed, doc_link)
                | {"sequenceNumber": number}
                | node.link_extra
            )
            for translation in node.translations:
                items.append(_translation_item(base, node, translation, changed, doc_link))
                own = _link_to(
                    translation.statement[:200],
                    translation.identifier,
                    f"{base}CFItems/{translation.identifier}",
                )
                associations.append(
                    _association(
                        base,
                        str(
                            translation.extra.get("link")
                            or derived_id(translation.identifier, TRANSLATION_OF)
                        ),
                        TRANSLATION_OF,
                        own,
                        link,
                        changed,
                        doc_link,
                    )
                )
            add(node.children, link)

    add(tree.nodes, doc_link)
    package: dict[str, Any] = {
        "CFDocument": conform(document, "CFDocument"),
        "CFItems": [conform(i, "CFItem") for i in items + tree.items],
        "CFAssociations": [conform(a, "CFAssociation") for a in associations + tree.associations],
    }
    if tree.definitions:
        package["CFDefinitions"] = tree.definitions
    if tree.rubrics:
        package["CFRubrics"] = [conform(r, "CFRubric") for r in tree.rubrics]
    if tree.extensions:
        package["extensions"] = tree.extensions
    return package


def _document_options(doc: CaseDocument) -> dict[str, str]:
    return {
        "description": doc.description,
        "language": doc.language,
        "version": doc.version,
        "adoptionStatus": doc.adoption_status,
    }


def _link_to(title: str, identifier: str, uri: str) -> dict[str, str]:
    return {"title": title, "identifier": identifier, "uri": uri}


def _association(
    base: str,
    identifier: str,
    kind: str,
    origin: dict[str, Any],
    destination: dict[str, Any],
    changed: str,
    doc_link: dict[str, Any],
) -> dict[str, Any]:
    return {
        "identifier": identifier,
        "uri": f"{base}CFAssociations/{identifier}",
        "associationType": kind,
        "originNodeURI": origin,
        "destinationNodeURI": destination,
        "lastChangeDateTime": changed,
        "CFDocumentURI": doc_link,
    }


def _translation_item(
    base: str, node: CaseNode, translation: Translation, changed: str, doc_link: dict[str, Any]
) -> dict[str, Any]:
    extra = {k: v for k, v in translation.extra.items() if k != "link"}
    item = {
        "identifier": translation.identifier,
        "uri": f"{base}CFItems/{translation.identifier}",
        "fullStatement": translation.statement,
        "CFItemType": node.item_type,
        "humanCodingScheme": node.code,
        "notes": translation.notes,
        "language": translation.language,
        "lastChangeDateTime": changed,
        "CFDocumentURI": doc_link,
        **extra,
    }
    return {k: v for k, v in item.items() if v != ""}


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the v1.1 packages rtwcomp writes (interop/schemas)."""
    text = (resources.files("rtwcomp.interop") / "schemas" / SCHEMA).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def schema_problems(package: Mapping[str, Any]) -> list[str]:
    """Where `package` breaks the schema, by JSON path (empty: it passes)."""
    import jsonschema

    validator = jsonschema.Draft7Validator(schema())
    return [
        f"{_json_path(error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(package), key=lambda e: list(map(str, e.path)))
    ][:MAX_PROBLEMS]


def _json_path(parts: Iterable[Any]) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "$"


def _properties(kind: str) -> frozenset[str]:
    return frozenset(schema()["definitions"][kind]["properties"])


@cache
def _validator(kind: str) -> Any:
    import jsonschema

    return jsonschema.Draft7Validator(
        {"$ref": f"#/definitions/{kind}", "definitions": schema()["definitions"]}
    )


def conform(obj: dict[str, Any], kind: str) -> dict[str, Any]:
    """`obj` with the properties v1.1 does not know for `kind`, or whose value it does not
    accept, moved under `extensions` (the only place v1.1 allows anything), so that an
    object kept from another tool's package still passes the schema."""
    required = set(schema()["definitions"][kind].get("required", ()))
    allowed = _properties(kind) - {"extensions"}
    wrong = {
        str(error.path[0])
        for error in _validator(kind).iter_errors(obj)
        if error.path and str(error.path[0]) not in required
    }
    moved = {k: v for k, v in obj.items() if (k not in allowed or k in wrong) and k != "extensions"}
    if not moved:
        return obj
    kept = {k: v for k, v in obj.items() if k not in moved}
    extensions = obj.get("extensions")
    kept["extensions"] = {**(extensions if isinstance(extensions, dict) else {}), **moved}
    return kept


def package_objects(package: Mapping[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """The objects the CASE API serves one by one, by kind and identifier."""
    definitions = package.get("CFDefinitions") or {}
    return {
        "CFItems": {str(i["identifier"]): i for i in package.get("CFItems", [])},
        "CFAssociations": {str(a["identifier"]): a for a in package.get("CFAssociations", [])},
        "CFRubrics": {str(r["identifier"]): r for r in package.get("CFRubrics", [])},
        "CFItemTypes": {
            str(t["identifier"]): t
            for t in (definitions.get("CFItemTypes", []) if isinstance(definitions, dict) else [])
        },
    }
