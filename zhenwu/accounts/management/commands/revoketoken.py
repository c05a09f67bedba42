"""``zhenwu revoketoken --prefix PREFIX``: revoke an API token by the prefix printed when it
was created (the first 10 characters, ``zw_...``). The token stops working at once."""

from django.core.management.base import BaseCommand, CommandError

from zhenwu.accounts.actions import do_revoke_api_token
from zhenwu.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Revoke an API token by its prefix."

    def add_arguments(self, parser):
        parser.add_argument("--prefix", required=True, help="first 10 characters, zw_...")

    def handle(self, *args, prefix, **options):
        tokens = list(ApiToken.objects.filter(prefix=prefix[:10], revoked_at__isnull=True))
        if not tokens:
            raise CommandError(f"no active token with prefix {prefix!r}")
        if len(tokens) > 1:
            raise CommandError(
                f"{len(tokens)} active tokens share prefix {prefix!r}; ask a developer"
            )
        do_revoke_api_token(tokens[0], actor=None)
        self.stdout.write(
            f"revoked token {tokens[0].prefix} ({tokens[0].name}) of {tokens[0].user}"
        )
