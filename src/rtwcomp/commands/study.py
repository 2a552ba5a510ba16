"""`rtwcomp study create|list|export|analyze|report|invite`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rtwcomp.commands import django_setup

EXPORT_FORMATS = ["csv", "labels.csv", "xlsx", "sav", "json", "codebook.csv", "items.csv"]
INSTRUMENT_FORMATS = ["redcap-dictionary", "limesurvey-structure", "case"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("study", help="create, list, export and analyze survey studies")
    commands = parser.add_subparsers(dest="study_command", metavar="ACTION", required=True)

    create = commands.add_parser(
        "create",
        help="create a study; prints its slug, then the respondent URL",
        description="Create an importance survey of a framework's items. Prints the study's "
        "slug on the first line and the respondent URL on the second.",
    )
    create.add_argument("--name", required=True)
    create.add_argument("--framework", required=True, help="framework slug (current version)")
    create.add_argument(
        "--items", default="all", help="all, N (the N most cited, else the first N) or CODE,CODE"
    )
    create.add_argument("--extras", default="", help="codes to add to the chosen items")
    create.add_argument("--open", action="store_true", help="an open link, taking answers at once")
    create.add_argument(
        "--anonymous", action="store_true", help="responses not linked to invitations"
    )
    create.add_argument("--access-code", default="", help="a code respondents must enter")
    create.add_argument("--acquired", action="store_true", help="ask how each item was acquired")
    create.add_argument("--delphi", action="store_true", help="run in Delphi rounds")
    create.add_argument("--owner", metavar="USER", help=django_setup.OWNER_HELP)
    create.set_defaults(handler=run_create)

    listing = commands.add_parser("list", help="list studies")
    listing.set_defaults(handler=run_list)

    export = commands.add_parser("export", help="write a study's completed responses")
    export.add_argument("slug")
    export.add_argument(
        "--format",
        choices=EXPORT_FORMATS + INSTRUMENT_FORMATS,
        default="csv",
        help="redcap-dictionary, limesurvey-structure: the instrument, for REDCap or "
        "LimeSurvey; case: the study's framework version as CASE v1.1, each item with the "
        "study's validation statistics",
    )
    export.add_argument("--round", type=int, default=1)
    export.add_argument("-o", "--output", type=Path, required=True)
    export.set_defaults(handler=run_export)

    responses = commands.add_parser(
        "import-responses",
        help="import completed responses from rtwcomp's CSV, REDCap or LimeSurvey",
        description="Import completed responses into the study's current round: rtwcomp's "
        "own responses CSV, a REDCap records export (CSV, raw codes) of the study's "
        "REDCap dictionary, or a LimeSurvey responses export (CSV, question codes) of its "
        "LimeSurvey structure. Values are checked as on the web; all or nothing: any error "
        "imports nothing and exits with status 2.",
    )
    responses.add_argument("slug")
    responses.add_argument("file", type=Path)
    responses.add_argument("--format", choices=["csv", "redcap", "limesurvey"], required=True)
    responses.set_defaults(handler=run_import_responses)

    analyze = commands.add_parser(
        "analyze", help="analyze a study (the same outputs as `rtwcomp analyze`)"
    )
    analyze.add_argument("slug")
    analyze.add_argument("--out", type=Path, required=True)
    analyze.set_defaults(handler=run_analyze)

    report = commands.add_parser(
        "report",
        help="write the study's report as PDF or HTML",
        description="The paper-grade report of a study (docs/reports.md); the format follows "
        "the file name's ending, .pdf or .html.",
    )
    report.add_argument("slug")
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf|.html")
    report.set_defaults(handler=run_report)

    invite = commands.add_parser("invite", help="add a panel CSV and e-mail invitations")
    invite.add_argument("slug")
    invite.add_argument("panel", type=Path, help="CSV with email, and optionally name, language")
    invite.add_argument("--send", action="store_true", help="send the invitations now")
    invite.set_defaults(handler=run_invite)


def _study(slug: str) -> Any:
    from rtwcomp.commands import UsageError
    from rtwcomp.surveys.models import Study

    study = Study.objects.filter(slug=slug).first()
    if study is None:
        raise UsageError(f"no study '{slug}'; see 'rtwcomp study list'")
    return study


@django_setup.django_command(writes=True)
def run_create(args: argparse.Namespace) -> int:
    from django.urls import reverse

    from rtwcomp.commands import UsageError
    from rtwcomp.frameworks import services
    from rtwcomp.site import mail
    from rtwcomp.surveys import studies
    from rtwcomp.surveys.models import Study

    framework = services.current(args.framework)
    if framework is None:
        raise UsageError(f"no framework '{args.framework}'; see 'rtwcomp framework list'")
    try:
        study = studies.create_study(
            name=args.name,
            framework=framework,
            items=args.items,
            extras=[c for c in args.extras.split(",") if c.strip()],
            access=Study.Access.OPEN_LINK if args.open else Study.Access.INVITATION,
            access_code=args.access_code,
            anonymous=args.anonymous,
            ask_acquired=args.acquired,
            delphi=args.delphi,
            owner=django_setup.owner(args.owner),
        )
        if args.open:
            studies.open_study(study)
    except studies.SetupError as error:
        raise UsageError(str(error)) from None
    print(study.slug)
    print(mail.site_url() + reverse("surveys:landing", args=[study.slug]))
    return 0


@django_setup.django_command(writes=False)
def run_list(args: argparse.Namespace) -> int:
    from rtwcomp.surveys import selectors
    from rtwcomp.surveys.models import Study

    print(f"{'slug':<32} {'status':<8} {'items':>5} {'done':>6}  name")
    for study in Study.objects.order_by("created_at"):
        done = selectors.response_counts(study)[study.pk].completed
        print(
            f"{study.slug:<32} {study.status:<8} {study.items.count():>5} {done:>6}  {study.name}"
        )
    return 0


@django_setup.django_command(writes=False)
def run_export(args: argparse.Namespace) -> int:
    from rtwcomp.surveys import exports

    study = _study(args.slug)
    if args.format in INSTRUMENT_FORMATS:
        from rtwcomp.surveys import exchange

        args.output.write_bytes(exchange.export_bytes(study, args.format))
    elif args.format == "items.csv":  # the items file `rtwcomp analyze --items` reads
        _export_items(study, args.output)
    else:
        exports.export(study, args.format, args.output, args.round)
    print(f"Wrote {args.output}")
    return 0


def _export_items(study: Any, output: Path) -> None:
    from rtwcomp.interop.framework_csv import write_items_csv
    from rtwcomp.surveys.results import item_table

    items = item_table(study)[["item", "group", "statement"]]
    with output.open("w", encoding="utf-8", newline="") as out:
        write_items_csv(items.itertuples(index=False, name=None), out)


@django_setup.django_command(writes=False)
def run_analyze(args: argparse.Namespace) -> int:
    from rtwcomp.commands import UsageError
    from rtwcomp.commands.analyze import check_out_folder, write_outputs
    from rtwcomp.stats import SurveyDataError
    from rtwcomp.surveys import results

    study = _study(args.slug)
    check_out_folder(args.out)
    try:
        _data, analysis = results.analyze(study)
    except SurveyDataError as error:
        raise UsageError(str(error)) from None
    write_outputs(analysis, analysis.summary, args.out)
    print(f"Wrote the analysis of {study.slug} to {args.out}")
    return 0


@django_setup.django_command(writes=False)
def run_report(args: argparse.Namespace) -> int:
    from rtwcomp.commands import UsageError

    fmt = args.output.suffix.lower().lstrip(".")
    if fmt not in ("pdf", "html"):
        raise UsageError(f"-o {args.output}: the file name must end in .pdf or .html")
    from rtwcomp.stats import SurveyDataError
    from rtwcomp.surveys import report_data

    study = _study(args.slug)
    try:
        content = report_data.render(study, fmt)
    except (report_data.NothingToReport, SurveyDataError, ValueError) as error:
        raise UsageError(str(error)) from None
    try:
        args.output.write_bytes(content)
    except OSError as error:
        raise UsageError(f"-o {args.output}: cannot write it ({error.strerror})") from None
    print(f"Wrote {args.output}")
    return 0


@django_setup.django_command(writes=True)
def run_invite(args: argparse.Namespace) -> int:
    from rtwcomp.commands import UsageError
    from rtwcomp.interop.errors import InputError
    from rtwcomp.interop.panel_csv import read_panel_csv

    try:
        invitees = read_panel_csv(args.panel)
    except InputError as error:
        raise UsageError("nothing imported:\n" + "\n".join(error.problems)) from None
    from rtwcomp.surveys import invitations

    study = _study(args.slug)
    added = invitations.add_panel(study, invitees)
    print(f"{added.added} invitee(s) added, {added.already} already on the panel.")
    if args.send:
        print(f"{invitations.send(study)} invitation(s) sent.")
    return 0


@django_setup.django_command(writes=True)
def run_import_responses(args: argparse.Namespace) -> int:
    from rtwcomp.commands import UsageError
    from rtwcomp.interop.errors import InputError
    from rtwcomp.surveys import exchange

    study = _study(args.slug)
    try:
        report = exchange.import_responses(study, args.file, args.file.name, args.format)
    except InputError as error:
        raise UsageError("nothing imported:\n" + "\n".join(error.problems)) from None
    print("\n".join(report.lines()))
    return 0
