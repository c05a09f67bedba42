"""Background import of a large uploaded workbook (Django Tasks API; ``zhenwu worker``).

The upload view stores the file under a random name and creates an ImportBatch; small files
run here in the request (``run_batch``), large ones through ``import_batch.enqueue``. Either
way the stored upload is deleted afterwards."""

import logging
import uuid
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from zhenwu.core import context
from zhenwu.core.errors import DomainError
from zhenwu.registry.importer import ImportResult, import_households
from zhenwu.registry.models import ImportBatch, ImportStatus

logger = logging.getLogger(__name__)


def run_batch(batch: ImportBatch) -> ImportResult | None:
    """Import the batch's stored file. Never raises: a failure is recorded on the batch."""
    path = Path(batch.stored_path) if batch.stored_path else None
    try:
        if path is None or not path.exists():
            _fail(batch, _("上传的文件已不存在，请重新上传。"))
            return None
        return import_households(
            path,
            area=batch.area,
            actor=batch.uploaded_by,
            dry_run=batch.dry_run,
            filename=batch.filename,
            batch=batch,
        )
    except DomainError as error:  # e.g. the uploader lost the permission meanwhile
        _fail(batch, error.message)
    except Exception:
        # The importer has marked the batch failed; log without any cell content.
        logger.exception("import batch %s failed", batch.public_id)
    finally:
        _discard_upload(batch, path)
    return None


def _fail(batch: ImportBatch, message) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.FAILED, message=str(message)[:500], finished_at=timezone.now()
    )


def _discard_upload(batch: ImportBatch, path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)
    ImportBatch.objects.filter(pk=batch.pk).update(stored_path="")
    batch.stored_path = ""


@task()
def import_batch(batch_id: str) -> dict:
    """Run one pending import batch in the worker."""
    batch = ImportBatch.objects.select_related("area", "uploaded_by").get(
        public_id=uuid.UUID(batch_id)
    )
    token = context.current.set(
        context.RequestContext(request_id=f"import-{batch.public_id.hex[:12]}", channel="task")
    )
    try:
        result = run_batch(batch)
    finally:
        context.current.reset(token)
    return {"ok": bool(result and result.ok), "counts": result.counts if result else {}}
