"""`rtwcomp framework list|load-default|export|import|publish|diff`."""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import Any

from rtwcomp.commands import django_setup


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("framework", help="list, load, export and import frameworks")
    commands = parser.add_subparsers(dest="framework_command", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="list frameworks and their versions")
    listing.set_defaults(handler=run_list)

    load = commands.add_parser("load-default", help="load the RTW coordinator framework")
    load.set_defaults(handler=run_load_default)

    export = commands.add_parser("export", help="write a framework as CSV or JSON")
    export.add_argument("slug")
    export.add_argument(
        "--format",
        choices=["csv", "json", "items", "case", "moodle"],
        default="csv",
        help="items: the items file `rtwcomp analyze --items` reads (item, group, statement); "
        "case: a CASE v1.1 package (JSON); moodle: Moodle's competency framework CSV",
    )
    export.add_argument("--version", type=int, help="a version number (default: current)")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    export.set_defaults(handler=run_export)

    imp = commands.add_parser(
        "import",
        help="import a framework (CSV, CASE package or Moodle CSV) as a new draft",
        description="Import a CSV with columns code, group, ksab_type, statement (and "
        "optionally group_description, notes, sources, indicators, statement_fr), a CASE "
        "package (JSON) or a Moodle competency framework CSV as a new draft version; the "
        "format is detected unless --format names it. A CASE package or Moodle file of a "
        "framework already here becomes its next version. All or nothing: any error "
        "imports nothing and exits with status 2.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", choices=["csv", "case", "moodle"], help="default: detected")
    imp.add_argument("--slug", help="framework slug (default: from the file name)")
    imp.add_argument("--name", help="framework name (default: from the slug)")
    imp.add_argument("--owner", metavar="USER", help=django_setup.OWNER_HELP)
    imp.set_defaults(handler=run_import)

    publish = commands.add_parser(
        "publish",
        help="publish a draft version, freezing it",
        description="Publish a draft version (default: the latest version). A published "
        "version can no longer be changed or deleted; edit a new draft instead.",
    )
    publish.add_argument("slug")
    publish.add_argument("--version", type=int, help="a version number (default: the latest)")
    publish.add_argument(
        "--as", dest="as_user", metavar="USER", help="publish as USER, who must own the framework"
    )
    publish.set_defaults(handler=run_publish)

    diff = commands.add_parser("diff", help="show the changes between two versions of a framework")
    diff.add_argument("slug")
    diff.add_argument("old", type=int, metavar="V1", help="the earlier version")
    diff.add_argument("new", type=int, metavar="V2", help="the later version")
    diff.set_defaults(handler=run_diff)


@django_setup.django_command(writes=False)
def run_list(args: argparse.Namespace) -> int:
    from rtwcomp.frameworks.models import Framework

    print(f"{'slug':<28} {'version':>7}  {'status':<10} {'items':>5}  name")
    for f in Framework.objects.order_by("slug", "version"):
        count = f.competencies.count()
        print(f"{f.slug:<28} {f.version:>7}  {f.status:<10} {count:>5}  {f.name}")
    return 0


@django_setup.django_command(writes=True)
def run_load_default(args: argparse.Namespace) -> int:
    from rtwcomp.frameworks.services import load_default

    framework, created = load_default()
    state = "loaded" if created else "already present"
    print(f"{framework.slug} version {framework.version}: {state}")
    return 0


@django_setup.django_command(writes=False)
def run_export(args: argparse.Namespace) -> int:
    from rtwcomp.commands import UsageError
    from rtwcomp.frameworks import services
    from rtwcomp.frameworks.models import Framework
    from rtwcomp.interop.framework_csv import write_framework_csv

    if args.version is not None:
        framework = Framework.objects.filter(slug=args.slug, version=args.version).first()
    else:
        framework = services.current(args.slug)
    if framework is None:
        raise UsageError(f"no framework '{args.slug}'; see 'rtwcomp framework list'")
    out = io.StringIO()
    if args.format == "json":
        json.dump(services.to_dict(framework), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format in ("case", "moodle"):
        from rtwcomp.frameworks.exchange import export_text

        out.write(export_text(framework, args.format))
    elif args.format == "items":
        from rtwcomp.interop.framework_csv import write_items_csv

        write_items_csv(services.item_rows(framework), out)
    else:
        write_framework_csv(services.to_rows(framework), out)
    if args.output:
        args.output.write_text(out.getvalue(), encoding="utf-8")
    else:
        sys.stdout.write(out.getvalue())
    return 0


@django_setup.django_command(writes=True)
def run_import(args: argparse.Namespace) -> int:
    from rtwcomp.commands import UsageError
    from rtwcomp.interop.errors import InputError
    from rtwcomp.interop.framework_csv import read_framework_csv

    fmt = args.format or _detected(args.file)
    if fmt != "csv":
        return _import_exchange(args, fmt)
    try:
        rows = read_framework_csv(args.file)
    except InputError as error:
        raise UsageError("nothing imported:\n" + "\n".join(error.problems)) from None
    from django.utils.text import slugify

    from rtwcomp.frameworks.services import RESERVED_SLUGS, create_from_rows, current

    slug = args.slug or slugify(args.file.stem) or "framework"
    if slug in RESERVED_SLUGS:
        raise UsageError(f"the slug '{slug}' is reserved: give another with --slug")
    existing = current(slug)
    name = args.name or (existing.name if existing else slug.replace("-", " ").capitalize())
    framework = create_from_rows(rows, slug=slug, name=name, owner=django_setup.owner(args.owner))
    print(
        f"Imported {len(rows.competencies)} competencies in {len(rows.groups)} groups "
        f"as {framework.slug} version {framework.version} (draft)."
    )
    return 0


def _detected(path: Path) -> str:
    from rtwcomp.commands import UsageError
    from rtwcomp.frameworks.exchange import detect_format

    try:
        with path.open("rb") as handle:
            return detect_format(handle.read(4096))
    except OSError as error:
        raise UsageError(f"{path}: cannot read it ({error.strerror})") from None


def _import_exchange(args: argparse.Namespace, fmt: str) -> int:
    """A CASE package or a Moodle CSV as a new draft (`run_import` has set Django up)."""
    from rtwcomp.commands import UsageError
    from rtwcomp.frameworks import exchange
    from rtwcomp.interop.errors import InputError

    owner = django_setup.owner(args.owner)
    try:
        if fmt == "case":
            with args.file.open("rb") as handle:
                data = exchange.read_limited(handle, args.file.name)
            imported = exchange.import_case(data, args.file.name, owner=owner)
        else:
            imported = exchange.import_moodle(args.file, args.file.name, owner=owner)
    except InputError as error:
        raise UsageError("nothing imported:\n" + "\n".join(error.problems)) from None
    except OSError as error:
        raise UsageError(f"{args.file}: cannot read it ({error.strerror})") from None
    framework = imported.framework
    kind = "a new version of" if imported.new_version else "new framework"
    print(
        f"Imported {framework.competencies.count()} competencies in "
        f"{framework.groups.count()} groups as {kind} {framework.slug} version "
        f"{framework.version} (draft)."
    )
    return 0


def _version_of(slug: str, number: int | None) -> Any:
    """Version `number` of `slug` (default: the latest); exit 2 when there is none."""
    from rtwcomp.commands import UsageError
    from rtwcomp.frameworks import services

    found = services.versions(slug)
    found = found.first() if number is None else found.filter(version=number).first()
    if found is None:
        which = f"'{slug}'" if number is None else f"'{slug}' version {number}"
        raise UsageError(f"no framework {which}; see 'rtwcomp framework list'")
    return found


@django_setup.django_command(writes=True)
def run_publish(args: argparse.Namespace) -> int:
    from rtwcomp.commands import UsageError
    from rtwcomp.frameworks import services

    framework = _version_of(args.slug, args.version)
    if framework.is_published:
        raise UsageError(
            f"{framework.slug} version {framework.version} is already published; nothing changed"
        )
    if args.as_user is not None:
        user = django_setup.owner(args.as_user)
        if not user.has_perm("frameworks.publish_framework", framework):
            raise UsageError(
                f"{args.as_user} may not publish {framework.slug} version {framework.version}: "
                "only its owner (or a superuser) publishes it"
            )
    services.publish(framework)
    print(f"{framework.slug} version {framework.version}: published (frozen)")
    return 0


@django_setup.django_command(writes=False)
def run_diff(args: argparse.Namespace) -> int:
    from rtwcomp.frameworks import selectors

    changes = selectors.diff(_version_of(args.slug, args.old), _version_of(args.slug, args.new))
    print(f"{args.slug}: changes from version {args.old} to version {args.new}")
    if not changes:
        print("no differences")
    for title, part in (("group", changes.groups), ("competency", changes.competencies)):
        for code, label in part.added:
            print(f"+ {title} {code}: {label}")
        for code, label in part.removed:
            print(f"- {title} {code}: {label}")
        for item in part.changed:
            print(f"~ {title} {item.code}:")
            for name, before, after in item.fields:
                print(f"    {name}: {before!r} -> {after!r}")
    return 0
