"""``zhenwu createuser USERNAME --area CODE --role ROLE``: create an account from the server
console. It is the only way to create the auditor, system and security administrators
(三权分立): officers in the web UI may grant only the delegable roles."""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhenwu.accounts.actions import do_create_user
from zhenwu.accounts.models import User
from zhenwu.accounts.roles import Role
from zhenwu.areas.selectors import current
from zhenwu.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a user holding one role in one area (console; any role)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--area", required=True, help="area code, e.g. 360704101")
        parser.add_argument("--role", required=True, choices=[value for value, _ in Role.choices])
        parser.add_argument("--display-name", default="")
        parser.add_argument(
            "--password-from-env",
            metavar="VAR",
            help="read the password from this environment variable instead of prompting",
        )
        parser.add_argument(
            "--no-must-change-password",
            dest="must_change_password",
            action="store_false",
            help="do not force a password change at first login",
        )

    def handle(self, *args, username, area, role, password_from_env, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} already exists")
        area_obj = current().filter(code=area).first()
        if area_obj is None:
            raise CommandError(f"no current area with code {area!r}")
        password = self.password(password_from_env)
        try:
            user = do_create_user(
                username=username,
                password=password,
                area=area_obj,
                role=role,
                actor=None,
                display_name=options["display_name"],
                must_change_password=options["must_change_password"],
            )
        except ValidationError as error:
            raise CommandError("password rejected: " + " ".join(error.messages)) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"created {user.username}: {Role(role).label} @ {area_obj.name}")

    def password(self, variable: str | None) -> str:
        if variable:
            value = os.environ.get(variable, "")
            if not value:
                raise CommandError(f"environment variable {variable} is empty or unset")
            return value
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("the passwords do not match")
        return first
