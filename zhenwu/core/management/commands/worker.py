"""``zhenwu worker``: runs background tasks (imports, reports) queued through the Django
Tasks API. It is django-tasks-db's ``db_worker`` with every one of its options
(``--queue-name``, ``--interval``, ``--batch``, ``--max-tasks``, ...)."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = "Run the background task worker (django-tasks-db db_worker)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # Every queue by default: a township runs one worker, not one per queue.
        parser.set_defaults(queue_name="*")
