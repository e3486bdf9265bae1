"""Exit 0 when the database at the given URL answers, 1 otherwise."""

import sys

import dj_database_url
import psycopg2


def main(url: str) -> int:
    config = dj_database_url.parse(url)
    try:
        connection = psycopg2.connect(
            dbname=config["NAME"],
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            connect_timeout=5,
        )
    except psycopg2.OperationalError:
        return 1
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
