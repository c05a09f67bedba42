"""``zhenwu createserviceaccount --username NAME --area CODE --role ROLE``: an account for an
integration (接口账号). It has no usable password, cannot log in to the UI, and acts only
through API tokens (``zhenwu createtoken``) with the scope of its one role in one area."""

from django.core.management.base import BaseCommand, CommandError

from zhenwu.accounts.actions import do_create_user
from zhenwu.accounts.models import User
from zhenwu.accounts.roles import DELEGABLE_ROLES, Role
from zhenwu.areas.selectors import current
from zhenwu.core.errors import DomainError


class Command(BaseCommand):
    help = "Create a service account for an API integration (no password; tokens only)."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--area", required=True, help="area code, e.g. 360704101214")
        # The administrator triad never acts through an integration.
        parser.add_argument("--role", required=True, choices=sorted(DELEGABLE_ROLES))
        parser.add_argument("--display-name", default="", help="e.g. 医保局数据交换")

    def handle(self, *args, username, area, role, display_name, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"user {username!r} already exists")
        area_obj = current().filter(code=area).first()
        if area_obj is None:
            raise CommandError(f"no current area with code {area!r}")
        try:
            user = do_create_user(
                username=username,
                password="",
                area=area_obj,
                role=role,
                actor=None,
                display_name=display_name,
                is_service_account=True,
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"created service account {user.username}: {Role(role).label} @ {area_obj.name}"
        )
