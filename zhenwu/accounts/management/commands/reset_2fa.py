"""``zhenwu reset_2fa USERNAME``: unbind a user's phone app on the server (lost phone),
for accounts no one else may reset in the UI, such as the security administrator's own.
The user binds a new phone at the next login if their roles require it. Audited."""

from django.core.management.base import BaseCommand, CommandError

from zhenwu.accounts.models import User
from zhenwu.accounts.two_factor import do_reset_2fa


class Command(BaseCommand):
    help = "Reset (delete) a user's TOTP devices."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        deleted = do_reset_2fa(user, actor=None)
        self.stdout.write(
            f"reset two-factor authentication of {user.username}: {deleted} device(s)"
        )
