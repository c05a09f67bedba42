import pytest

from zhenwu.core import audit
from zhenwu.core.models import AuditEvent


def test_audit_rows_chain_and_detect_tampering(db, township_officer):
    audit.record("test.one", actor=township_officer, data={"a": 1})
    audit.record("test.two", actor=township_officer, data={"b": 2})
    assert audit.verify_chain() == (True, None)
    row = AuditEvent.objects.get(event="test.one")
    # Tamper below the model guard (as someone with database access might on SQLite).
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip("the database trigger refuses the tampering itself (tested separately)")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET data = %s WHERE id = %s", ['{"a": 2}', row.id])
    assert audit.verify_chain() == (False, row.id)


def test_audit_rows_cannot_be_updated_or_deleted_through_the_app(db, township_officer):
    row = audit.record("test.event", actor=township_officer)
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


def test_postgresql_trigger_refuses_update_and_delete(db, township_officer):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    row = audit.record("test.event", actor=township_officer)
    for sql in (
        "UPDATE core_auditevent SET event='x' WHERE id=%s",
        "DELETE FROM core_auditevent WHERE id=%s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.id])
