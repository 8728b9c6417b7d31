"""Nightly ETL: pull events from the OLTP replica, aggregate, load into the warehouse.

    python nightly_events.py --day 2024-05-01 --table events_2024_05 --types signup,purchase
"""
import argparse
import csv
import logging
import os
import sys
from datetime import date, timedelta
from string import Template

import pandas as pd
import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from sqlalchemy import create_engine, text

log = logging.getLogger("etl.nightly")

SOURCE_DSN = os.environ.get("SOURCE_DSN", "postgresql://replica/app")
WAREHOUSE_URL = os.environ.get("WAREHOUSE_URL", "postgresql+psycopg://warehouse/dw")
STAGING = "staging"
EVENT_TYPES = ("signup", "purchase", "refund", "churn")
ROLLUP_TABLES = ("daily_counts", "daily_revenue")
BATCH = 10_000

EXTRACT_SQL = Template("SELECT * FROM events WHERE occurred_on = '$day' AND event_type IN ($types)")
COUNT_SQL = "SELECT event_type, count(*) AS n FROM events WHERE occurred_on = %(day)s GROUP BY event_type"


def parse_args(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--day", default=(date.today() - timedelta(days=1)).isoformat())
    p.add_argument("--table", required=True)
    p.add_argument("--types", default=",".join(EVENT_TYPES))
    p.add_argument("--filter", action="append", default=[], help="column=value, may repeat")
    p.add_argument("--where", default="")
    p.add_argument("--csv")
    p.add_argument("--dry-run", action="store_true")
    return p.parse_args(argv)


def extract(conn, day, event_types):
    types = ", ".join(f"'{t}'" for t in event_types)
    query = EXTRACT_SQL.substitute(day=day, types=types)
    return pd.read_sql(query, conn)  # expect: sqli


def extract_safe(conn, day, event_types):
    return pd.read_sql_query(
        "SELECT * FROM events WHERE occurred_on = %(day)s AND event_type = ANY(%(types)s)",  # ok: sqli # expect: sql-antipattern
        conn,
        params={"day": day, "types": list(event_types)},
    )


def counts(conn, day):
    return pd.read_sql(COUNT_SQL, conn, params={"day": day})  # ok: sqli


def create_staging(conn, table):
    conn.execute(
        sql.SQL("CREATE TABLE IF NOT EXISTS {}.{} (LIKE public.events INCLUDING ALL)").format(  # ok: sqli
            sql.Identifier(STAGING), sql.Identifier(table)
        )
    )


def load_staging(conn, table, frame):
    columns = list(frame.columns)
    stmt = sql.SQL("COPY {}.{} ({}) FROM STDIN").format(
        sql.Identifier(STAGING), sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with conn.cursor() as cur:
        with cur.copy(stmt) as copy:  # ok: sqli
            for record in frame.itertuples(index=False):
                copy.write_row(record)


def rollup(conn, day):
    with conn.cursor() as cur:
        for et in EVENT_TYPES:
            cur.execute(
                f"INSERT INTO dw.daily_counts (day, event_type, n) SELECT %s, '{et}', count(*) FROM events WHERE event_type = '{et}' AND occurred_on = %s",  # ok: sqli
                (day, day),
            )
        for table in ROLLUP_TABLES:
            cur.execute(f"ANALYZE dw.{table}")  # ok: sqli


def purge_day(conn, table, day):
    stmt = sql.SQL("DELETE FROM {} WHERE occurred_on = {}").format(sql.Identifier(STAGING, table), day)
    conn.execute(stmt)  # ok: sqli


def mark_loaded(conn, day, rows):
    conn.execute(
        sql.SQL("INSERT INTO etl_log (day, rows, note) VALUES ({}, {}, {})").format(  # ok: sqli
            sql.Literal(day), sql.Literal(rows), sql.Literal(f"loaded {rows} rows for {day}")
        )
    )


def load_csv(conn, path):
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        cols = ", ".join(header)
        marks = ", ".join(["%s"] * len(header))
        with conn.cursor() as cur:
            cur.executemany(f"INSERT INTO {STAGING}.raw_import ({cols}) VALUES ({marks})", list(reader))  # expect: sqli


def load_csv_safe(conn, path):
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        stmt = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            sql.Identifier(STAGING, "raw_import"),
            sql.SQL(", ").join(map(sql.Identifier, header)),
            sql.SQL(", ").join([sql.Placeholder()] * len(header)),
        )
        with conn.cursor() as cur:
            cur.executemany(stmt, list(reader))  # ok: sqli


def run(args):
    event_types = [t.strip() for t in args.types.split(",") if t.strip()]
    engine = create_engine(WAREHOUSE_URL)

    with psycopg.connect(SOURCE_DSN, row_factory=dict_row) as src:
        frame = extract(src, args.day, event_types)
        log.info("extracted %d rows", len(frame))

        with src.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM events WHERE occurred_on = '{args.day}'")  # expect: sqli
            (expected,) = cur.fetchone().values()

            cur.execute(sql.SQL("SELECT max(id) FROM {}").format(sql.Identifier(args.table)))  # ok: sqli
            cur.execute(sql.SQL(f"SELECT min(id) FROM {args.table}"))  # expect: sqli

            where = sql.SQL(args.where) if args.where else sql.SQL("TRUE")
            cur.execute(sql.SQL("SELECT count(*) FROM events WHERE {}").format(where))  # expect: sqli

    with psycopg.connect(WAREHOUSE_URL.replace("+psycopg", "")) as dw:
        create_staging(dw, args.table)
        load_staging(dw, args.table, frame)
        dw.execute(f"ANALYZE {STAGING}.{args.table}")  # expect: sqli
        dw.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(STAGING, args.table)))  # ok: sqli
        rollup(dw, args.day)
        purge_day(dw, args.table, args.day)
        if args.csv:
            load_csv(dw, args.csv)
        mark_loaded(dw, args.day, len(frame))

    where = "WHERE 1=1"
    for kv in args.filter:
        column, value = kv.split("=", 1)
        where += f" AND {column} = '{value}'"
    report = pd.read_sql(f"SELECT * FROM dw.daily_counts {where}", engine)  # expect: sqli, sql-antipattern

    with engine.connect() as conn:
        recent = pd.read_sql(
            text("SELECT * FROM dw.daily_counts WHERE day >= :since"),  # ok: sqli # expect: sql-antipattern
            conn,
            params={"since": date.today() - timedelta(days=7)},
        )
        staged = pd.read_sql_table(args.table, conn, schema=STAGING)  # ok: sqli
        by_type = pd.read_sql(f"SELECT * FROM dw.daily_counts WHERE event_type = '{event_types[0]}'", conn)  # expect: sqli, sql-antipattern

    if args.dry_run:
        print(f"DELETE FROM {STAGING}.{args.table} WHERE occurred_on < '{args.day}'")  # ok: sqli
    else:
        with psycopg.connect(WAREHOUSE_URL.replace("+psycopg", "")) as dw:
            dw.execute(
                sql.SQL("DELETE FROM {} WHERE occurred_on < %s").format(sql.Identifier(STAGING, args.table)),  # ok: sqli
                (args.day,),
            )
    return report, recent, staged, by_type


if __name__ == "__main__":
    run(parse_args(sys.argv[1:]))
