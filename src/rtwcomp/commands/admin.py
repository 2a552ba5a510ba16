"""`rtwcomp migrate` and `rtwcomp createadmin`."""

from __future__ import annotations

import argparse
from typing import Any

from rtwcomp.commands import django_setup


def register(subparsers: Any) -> None:
    migrate = subparsers.add_parser("migrate", help="apply pending database migrations")
    migrate.set_defaults(handler=run_migrate)
    create = subparsers.add_parser(
        "createadmin",
        help="make sure an admin account exists",
        description="Create the admin account if missing. The password comes from "
        "RTWCOMP_ADMIN_PASSWORD, otherwise one is generated and printed once.",
    )
    create.add_argument("--username", default="admin")
    create.set_defaults(handler=run_createadmin)
    researcher = subparsers.add_parser(
        "createresearcher",
        help="create a researcher account (password printed once)",
        description="Create a member of the researchers group, who may create focus-group "
        "projects, studies and framework drafts and sees only their own and those shared "
        "with them. The password comes from RTWCOMP_USER_PASSWORD, otherwise one is "
        "generated and printed once.",
    )
    researcher.add_argument("username")
    researcher.set_defaults(handler=run_createresearcher)
    token = subparsers.add_parser(
        "createtoken",
        help="issue an API token for a user (printed once)",
        description="Issue a bearer token for the REST API: send it as "
        "'Authorization: Bearer TOKEN'. Only its hash is stored.",
    )
    token.add_argument("username")
    token.add_argument("--name", default="", help="what the token is for")
    token.set_defaults(handler=run_createtoken)


@django_setup.django_command(writes=True, verbosity=1)
def run_migrate(args: argparse.Namespace) -> int:
    return 0


@django_setup.django_command(writes=True)
def run_createadmin(args: argparse.Namespace) -> int:
    from rtwcomp.site.accounts import ensure_admin

    if not ensure_admin(args.username):
        print(f"Admin account '{args.username}' already exists.")
    return 0


@django_setup.django_command(writes=True)
def run_createresearcher(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model

    from rtwcomp.commands import UsageError
    from rtwcomp.site.accounts import create_researcher

    if get_user_model().objects.filter(username=args.username).exists():
        raise UsageError(f"a user named '{args.username}' already exists")
    password = create_researcher(args.username)
    print(f"Created researcher '{args.username}' with password: {password}")
    return 0


@django_setup.django_command(writes=True)
def run_createtoken(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model

    from rtwcomp.commands import UsageError
    from rtwcomp.site.models import ApiToken

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        raise UsageError(f"no user '{args.username}'")
    print(ApiToken.issue(user, args.name))
    return 0
