"""Screening runs in the worker (``zhenwu worker``): the view records a pending RuleRun and
enqueues ``screening_run``; DuckDB never runs inside a web request."""

import logging

from django_tasks import task

from zhenwu.core import context
from zhenwu.core.errors import DomainError
from zhenwu.monitoring.engine.runner import run_screening
from zhenwu.monitoring.models import RuleRun

logger = logging.getLogger(__name__)


@task()
def screening_run(run_id: int) -> str:
    """Execute a pending run; the outcome (or the error) is recorded on the run."""
    run = RuleRun.objects.select_related("area", "created_by").filter(pk=run_id).first()
    if run is None:
        return "missing"
    token = context.current.set(
        context.RequestContext(request_id=f"screen-{run.public_id.hex[:12]}", channel="task")
    )
    try:
        run_screening(run.area, run.period, actor=run.created_by, run=run)
    except DomainError:
        pass  # the message is on the run
    except Exception:
        logger.exception("screening run %s failed", run.public_id)
    finally:
        context.current.reset(token)
    return RuleRun.objects.filter(pk=run_id).values_list("status", flat=True).first() or ""
