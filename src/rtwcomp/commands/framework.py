"""`rtwcomp framework list|load-default|export|import`."""

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
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--version", type=int, help="a version number (default: current)")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    export.set_defaults(handler=run_export)

    imp = commands.add_parser(
        "import",
        help="import a framework CSV as a new draft",
        description="Import a CSV with columns code, group, ksab_type, statement (and "
        "optionally group_description, notes, sources, indicators, statement_fr) as a new "
        "draft version. All or nothing: any error imports nothing and exits with status 2.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--slug", help="framework slug (default: from the file name)")
    imp.add_argument("--name", help="framework name (default: from the slug)")
    imp.add_argument("--owner", metavar="USER", help=django_setup.OWNER_HELP)
    imp.set_defaults(handler=run_import)


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

    try:
        rows = read_framework_csv(args.file)
    except InputError as error:
        raise UsageError("nothing imported:\n" + "\n".join(error.problems)) from None
    from django.utils.text import slugify

    from rtwcomp.frameworks.services import create_from_rows, current

    slug = args.slug or slugify(args.file.stem) or "framework"
    existing = current(slug)
    name = args.name or (existing.name if existing else slug.replace("-", " ").capitalize())
    framework = create_from_rows(rows, slug=slug, name=name, owner=django_setup.owner(args.owner))
    print(
        f"Imported {len(rows.competencies)} competencies in {len(rows.groups)} groups "
        f"as {framework.slug} version {framework.version} (draft)."
    )
    return 0
