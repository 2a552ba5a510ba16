"""`rtwcomp elicit import|suggest|export`: focus-group statements from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rtwcomp.commands import django_setup


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "elicit", help="focus-group statements: import, duplicate suggestions, export"
    )
    commands = parser.add_subparsers(dest="elicit_command", metavar="ACTION", required=True)

    imp = commands.add_parser(
        "import",
        help="import statements from CSV into a project",
        description="Import a CSV with columns session and text (optionally statement_id, "
        "participant, set_aside) into a project, created when new; sessions are created "
        "when new, but a participant code must already be in the project (add participants "
        "on the project page). All or nothing: any error, such as an unknown participant "
        "code, imports nothing and exits with status 2.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--project", required=True, help="project name")
    imp.add_argument("--owner", metavar="USER", help=django_setup.OWNER_HELP)
    imp.set_defaults(handler=run_import)

    suggest = commands.add_parser(
        "suggest",
        help="suggest which statements say the same thing",
        description="Cluster the statements not yet in an item (inductive), or with "
        "--framework map them onto that framework's items and cluster the rest (deductive).",
    )
    suggest.add_argument("--project", required=True, help="project name")
    suggest.add_argument("--method", choices=["lexical", "semantic"], default="lexical")
    suggest.add_argument("--framework", metavar="SLUG", help="map onto this framework's items")
    suggest.add_argument("--threshold", type=float, help="similarity threshold (-1 to 1)")
    suggest.add_argument("-o", "--output", type=Path, help="CSV to write (default: stdout)")
    suggest.set_defaults(handler=run_suggest)

    export = commands.add_parser("export", help="write a project's statements and items")
    export.add_argument("--project", required=True, help="project name")
    export.add_argument("-o", "--output", type=Path, help="CSV to write (default: stdout)")
    export.set_defaults(handler=run_export)


def _write(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _project(name: str) -> Any:
    from rtwcomp.commands import UsageError
    from rtwcomp.elicitation.services import project_named

    project = project_named(name)
    if project is None:
        raise UsageError(f"no project '{name}'; import statements into it first")
    return project


@django_setup.django_command(writes=True)
def run_import(args: argparse.Namespace) -> int:
    from rtwcomp.commands import UsageError
    from rtwcomp.interop.errors import InputError
    from rtwcomp.interop.statements_csv import read_statements_csv

    try:
        rows = read_statements_csv(args.file)
    except InputError as error:
        raise UsageError("nothing imported:\n" + "\n".join(error.problems)) from None
    from django.db import transaction

    from rtwcomp.elicitation import services

    try:
        # One transaction: a file the project refuses leaves no new, empty project behind.
        with transaction.atomic():
            project = services.project_named(args.project) or services.create_project(
                args.project, owner=django_setup.owner(args.owner)
            )
            count = services.import_statements(project, rows, str(args.file))
    except InputError as error:
        raise UsageError("nothing imported:\n" + "\n".join(error.problems)) from None
    except services.ElicitationError as error:
        raise UsageError(f"nothing imported: {error}") from None
    print(f"Imported {count} statements into project '{project.name}'.")
    return 0


@django_setup.django_command(writes=True)
def run_suggest(args: argparse.Namespace) -> int:
    from rtwcomp.commands import UsageError

    if args.threshold is not None and not -1.0 <= args.threshold <= 1.0:
        raise UsageError("--threshold must be between -1 and 1")
    from rtwcomp.elicitation import clustering, matching, services
    from rtwcomp.frameworks.services import current
    from rtwcomp.interop.csv_output import rows_to_text

    project = _project(args.project)
    framework = None
    if args.framework:
        framework = current(args.framework)
        if framework is None:
            raise UsageError(f"no framework '{args.framework}'; see 'rtwcomp framework list'")
    try:
        suggestions = services.suggest(project, args.method, args.threshold, framework)
    except clustering.SemanticUnavailable as error:
        raise UsageError(str(error)) from None
    deductive = framework is not None
    header = ["statement_id", "cluster"]
    if deductive:
        header += ["item_code", "similarity"]
        for rank in range(1, matching.TOP_K + 1):
            header += [f"item_code_{rank}", f"similarity_{rank}"]
    rows = [_suggestion_row(s, deductive) for s in suggestions]
    _write(rows_to_text(header, rows), args.output)
    if args.output:
        clusters = len({s.cluster for s in suggestions})
        print(f"{len(suggestions)} statements in {clusters} suggested clusters: {args.output}")
    return 0


def _suggestion_row(suggestion: Any, deductive: bool) -> list[object]:
    """One CSV row: the statement, its cluster and, deductive, its match and top items."""
    from rtwcomp.elicitation import matching

    row: list[object] = [suggestion.statement.external_id, suggestion.cluster]
    if not deductive:
        return row
    similarity = suggestion.similarity
    row += [suggestion.item_code, f"{similarity:.4f}" if similarity is not None else ""]
    candidates = list(suggestion.candidates)[: matching.TOP_K]
    candidates += [("", None)] * (matching.TOP_K - len(candidates))
    for code, score in candidates:
        row += [code, f"{score:.4f}" if score is not None else ""]
    return row


@django_setup.django_command(writes=False)
def run_export(args: argparse.Namespace) -> int:
    from rtwcomp.elicitation import services

    _write(services.export_csv(_project(args.project)), args.output)
    return 0
