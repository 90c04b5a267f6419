"""Drop the PostgreSQL databases of `make test-postgres` runs.

    python scripts/pg_test_databases.py drop simpul_ci_1234   # this run's database and test_ database
    python scripts/pg_test_databases.py leftovers             # those of runs whose process is gone

A run names its database simpul_ci_<pid of its shell>; pytest-django creates test_simpul_ci_<pid>, and
under pytest-xdist one per worker, test_simpul_ci_<pid>_gw<n>. A run killed before its cleanup leaves
them behind; they are dropped when that pid no longer runs here.
Connects as user postgres to PGHOST/PGPORT (default 127.0.0.1:5432), as CI's server allows (trust).
"""

import os
import re
import sys

import psycopg

PATTERN = re.compile(r"^(?:test_)?simpul_ci_(\d+)(?:_gw\d+)?$")


def connect() -> psycopg.Connection:
    host = os.environ.get("PGHOST", "127.0.0.1")
    port = os.environ.get("PGPORT", "5432")
    return psycopg.connect(f"host={host} port={port} user=postgres dbname=postgres", autocommit=True)


def drop(conn: psycopg.Connection, name: str) -> None:
    if not PATTERN.match(name):
        raise SystemExit(f"refusing to drop {name!r}: not a simpul_ci_<pid> database")
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1] not in {"drop", "leftovers"}:
        raise SystemExit(__doc__)
    with connect() as conn:
        names = [row[0] for row in conn.execute("SELECT datname FROM pg_database")]
        if argv[1] == "drop":
            for name in argv[2:]:
                for existing in names:
                    if existing in (name, f"test_{name}") or re.fullmatch(rf"test_{re.escape(name)}_gw\d+", existing):
                        drop(conn, existing)
            return
        for name in names:
            match = PATTERN.match(name)
            if match and not pid_alive(int(match.group(1))):
                print(f"dropping leftover database {name}")
                drop(conn, name)


if __name__ == "__main__":
    main(sys.argv)
