"""VACUUM ANALYZE the big tables of the crm_notes database after the monthly purge."""
from django.core.management.base import BaseCommand
from django.db import connections

TABLES = ("notes_note", "notes_mention")


class Command(BaseCommand):
    help = "Run VACUUM (ANALYZE) on crm_notes tables; needs autocommit, so not via the ORM."

    def handle(self, *args, **options):
        conn = connections["notes"]
        conn.ensure_connection()
        conn.connection.autocommit = True
        with conn.cursor() as cur:
            for table in TABLES:
                cur.execute(f"VACUUM (ANALYZE) {table}")
        self.stdout.write(self.style.SUCCESS(f"vacuumed {len(TABLES)} tables"))
