"""``zhenwu createtoken --user USERNAME --name NAME``: a new API token for a service account.

The token is printed once, on its own line on stdout; only its hash is stored, so it cannot
be shown again. Revoke it with ``zhenwu revoketoken --prefix PREFIX``."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhenwu.accounts.actions import do_create_api_token
from zhenwu.accounts.models import User
from zhenwu.core.errors import DomainError


class Command(BaseCommand):
    help = "Create an API token for a service account and print it once."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="username of a service account")
        parser.add_argument("--name", required=True, help="what the token is for")
        parser.add_argument(
            "--expires-days",
            type=int,
            default=365,
            help="days until the token expires (default 365; 0 = never)",
        )

    def handle(self, *args, user, name, expires_days, **options):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"no user {user!r}")
        if not account.is_service_account:
            raise CommandError(
                f"{user!r} is not a service account; create one with zhenwu createserviceaccount"
            )
        if expires_days < 0:
            raise CommandError("--expires-days must be 0 or more")
        expires_at = (
            timezone.now() + datetime.timedelta(days=expires_days) if expires_days else None
        )
        try:
            raw = do_create_api_token(account, name=name, actor=None, expires_at=expires_at)
        except DomainError as error:
            raise CommandError(error.message) from None
        until = f"expires {expires_at:%Y-%m-%d}" if expires_at else "never expires"
        self.stderr.write(
            f"token {raw[:10]}… for {account.username} ({until}). "
            "It is shown only now: store it in the integration's secret store."
        )
        self.stdout.write(raw)
