"""Give the database its two PostgreSQL roles: the owner that migrates, the service's that cannot change a record.

manage.py database_roles --owner OWNER --service SERVICE           create/alter roles, ownership and grants
manage.py database_roles --owner OWNER --service SERVICE --print   print the SQL instead (for psql or review)

Run it after every ``migrate``, as a superuser or as OWNER, with DATABASE_URL
naming that user: it is idempotent, and a table a migration added is out of
the service's reach until it has run. Passwords are the operator's business
(``ALTER ROLE ... PASSWORD``). docs/operations.md, "Database roles".
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections

from ledger import roles


class Command(BaseCommand):
    help = "Create the owner and service roles on PostgreSQL and grant the service only what it needs."

    def add_arguments(self, parser):
        parser.add_argument("--owner", required=True, help="the role that owns the tables and runs migrate")
        parser.add_argument("--service", required=True, help="the role the service connects as")
        parser.add_argument("--print", action="store_true", dest="print_only", help="print the SQL, run nothing")
        parser.add_argument("--database", default="default", help="the database alias (default: default)")

    def handle(self, *args, owner, service, print_only=False, database="default", **options):
        connection = connections[database]
        try:
            if print_only:
                statements = roles.statements(connection, owner=owner, service=service)
                self.stdout.write("BEGIN;")
                for statement in statements:
                    self.stdout.write(f"{statement};")
                self.stdout.write("COMMIT;")
                return
            statements = roles.apply(connection, owner=owner, service=service)
        except roles.RoleError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(f"The roles could not be set up (nothing was changed): {error}") from error
        tables = len(connection.introspection.table_names())
        self.stderr.write(
            f"{owner} owns the {tables} tables; {service} may read and add to them, and change none of the "
            f"{len(roles.immutable_tables())} written once ({len(statements)} statements)."
        )
