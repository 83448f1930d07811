"""PostgreSQL: the function that links new audit rows to the chain inside the INSERT that writes them.

`pixcertif_audit_links(lock_key, contents)` takes the trail's append lock (transaction-scoped
advisory lock), reads the last row's hash, and returns for each content (the canonical JSON of a
row, `chain.row_content`) its position, its id (taken under the lock, so ids follow the chain),
the previous hash and its own: SHA-256 of previous hash + content, as `chain.row_hash` computes it.
A VOLATILE function's statements each see a fresh snapshot (READ COMMITTED), so its read, made after
the lock, sees the row the lock's previous holder committed, even though the INSERT calling it
began before.
"""

from django.db import migrations

LINKS = """
CREATE OR REPLACE FUNCTION pixcertif_audit_links(lock_key bigint, contents text[])
RETURNS TABLE (link_n integer, link_id bigint, link_prev text, link_hash text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    head text;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT e.hash INTO head FROM sessions_app_auditevent e ORDER BY e.id DESC LIMIT 1;
    head := coalesce(head, '');
    FOR i IN 1 .. coalesce(array_length(contents, 1), 0) LOOP
        link_n := i;
        link_id := nextval(pg_get_serial_sequence('sessions_app_auditevent', 'id'));
        link_prev := head;
        head := encode(sha256(convert_to(head || contents[i], 'UTF8')), 'hex');
        link_hash := head;
        RETURN NEXT;
    END LOOP;
END;
$$;
"""
DROP_LINKS = "DROP FUNCTION IF EXISTS pixcertif_audit_links(bigint, text[]);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LINKS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_LINKS)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_i17_audit_chain")]

    operations = [migrations.RunPython(create, drop)]
