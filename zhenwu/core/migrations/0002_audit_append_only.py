"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit log
(SECURITY.md 9). SQLite relies on the model guard and the hash chain."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION zhenwu_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'core_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_append_only
  BEFORE UPDATE OR DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION zhenwu_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS zhenwu_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
