"""`rtwcomp assess match-mentors ORG [--profile NAME] [--round NAME] [--apply]`: the proposed
mentor-mentee pairs with their reasons, made with --apply."""

from __future__ import annotations

import argparse
from typing import Any

from rtwcomp.commands import django_setup


def register(commands: Any) -> None:
    """Add the sub-command to `rtwcomp assess`'s actions."""
    parser = commands.add_parser(
        "match-mentors",
        help="propose mentors for coordinators without one (and make the pairs with --apply)",
        description="Propose a mentor for each coordinator who has none, covering the most "
        "need: gaps to the role profile, weighted by importance, where the mentor's combined "
        "level is 3 (proficient) or more, within each mentor's capacity. Prints each pair and "
        "why; --apply makes them.",
    )
    parser.add_argument("organisation", metavar="ORG")
    parser.add_argument(
        "--profile", metavar="NAME", help="the role profile (needed when there are several)"
    )
    parser.add_argument(
        "--round", metavar="NAME", help="use ratings given up to the end of this round"
    )
    parser.add_argument("--apply", action="store_true", help="make the proposed pairs")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return (run_apply if args.apply else run_propose)(args)


@django_setup.django_command(writes=False)
def run_propose(args: argparse.Namespace) -> int:
    from rtwcomp.mentoring import selectors

    organisation, basis = _basis(args)
    rows = selectors.proposal(organisation, basis)["pairs"]
    for row in rows:
        print(f"{row['mentee'].name} <- {row['mentor'].name}: {selectors.reason_text(row)}")
    print(f"{len(rows)} pairs proposed (make them with --apply)")
    return 0


@django_setup.django_command(writes=True)
def run_apply(args: argparse.Namespace) -> int:
    from rtwcomp.mentoring import services

    organisation, basis = _basis(args)
    made = services.apply_matching(organisation, basis, user=None)
    for pair in made:
        print(f"{pair.mentee.name} <- {pair.mentor.name}: {pair.reason}")
    print(f"{len(made)} pairs made")
    return 0


def _basis(args: argparse.Namespace) -> tuple[Any, Any]:
    from rtwcomp.assessments.models import Organisation
    from rtwcomp.commands import UsageError
    from rtwcomp.mentoring.selectors import Basis

    organisation = Organisation.objects.filter(slug=args.organisation).first()
    if organisation is None:
        raise UsageError(f"no organisation '{args.organisation}'")
    profiles = list(organisation.profiles.all())
    if args.profile:
        profiles = [p for p in profiles if p.name == args.profile]
    if len(profiles) != 1:
        names = ", ".join(p.name for p in organisation.profiles.all()) or "none yet"
        wanted = f"no role profile '{args.profile}'" if args.profile else "name a role profile"
        raise UsageError(f"{wanted} with --profile (the organisation's: {names})")
    chosen = None
    if args.round:
        chosen = organisation.rounds.filter(name=args.round).first()
        if chosen is None:
            names = ", ".join(r.name for r in organisation.rounds.all()) or "none yet"
            raise UsageError(f"no round '{args.round}' (the organisation's: {names})")
    return organisation, Basis(profiles[0], chosen)
