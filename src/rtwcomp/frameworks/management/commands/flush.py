"""Django's `flush`, which empties every table, published framework versions included.

On SQLite it deletes row by row, which the freeze's triggers refuse (migration
`frameworks 0005_freeze`); they step aside while `frameworks_freeze_override` holds a row,
written here for the time of the flush only. PostgreSQL flushes with TRUNCATE, which row
triggers do not see.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

OVERRIDE = "frameworks_freeze_override"


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite" or OVERRIDE not in connection.introspection.table_names():
            super().handle(**options)
            return
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO frameworks_freeze_override (reason) VALUES ('flush')")
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM frameworks_freeze_override")
