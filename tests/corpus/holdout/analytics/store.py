"""Tiny analytics layer behind the internal dashboard: one SQLite file per site."""
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from databases import Database

SCHEMA_VERSION = 4
PAGE_SIZE = 25
DATA_DIR = Path("/var/lib/analytics")
ALLOWED_DIMENSIONS = {"country", "device", "channel", "plan"}
ALLOWED_METRICS = {"visits": "COUNT(*)", "revenue": "SUM(amount)", "users": "COUNT(DISTINCT user_id)"}
OPS = {"eq": "=", "ne": "<>", "gt": ">", "lt": "<", "like": "LIKE"}
IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    user_id INTEGER,
    event TEXT NOT NULL,
    country TEXT, device TEXT, channel TEXT, plan TEXT,
    amount REAL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
"""

REPORT_TMPL = Template("SELECT $dim AS dim, $metric AS value FROM events WHERE ts BETWEEN ? AND ? GROUP BY $dim")
COHORT_TMPL = Template("SELECT user_id FROM events WHERE event = '$event' AND ts >= '$since'")


@dataclass
class DashboardQuery:
    dimension: str
    metric: str = "visits"
    filters: list[tuple[str, str, str]] = field(default_factory=list)
    sort: str = "value"
    descending: bool = True
    page: int = 1


def connect(site: str) -> sqlite3.Connection:
    conn = sqlite3.connect(DATA_DIR / f"{site}.db")
    conn.executescript(SCHEMA)  # ok: sqli
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # ok: sqli
    return conn


def tune(conn: sqlite3.Connection, cache_kib) -> None:
    conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")  # ok: sqli
    conn.execute("PRAGMA journal_mode = WAL")  # ok: sqli


def build_where(filters):
    clauses, params = [], []
    for column, op, value in filters:
        if column not in ALLOWED_DIMENSIONS or op not in OPS:
            raise ValueError(f"bad filter {column} {op}")
        clauses.append(f"{column} {OPS[op]} ?")
        params.append(value)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def run(conn: sqlite3.Connection, q: DashboardQuery):
    if q.dimension not in ALLOWED_DIMENSIONS:
        raise ValueError(f"bad dimension {q.dimension}")
    metric = ALLOWED_METRICS.get(q.metric, "COUNT(*)")
    where, params = build_where(q.filters)
    order = "value" if q.sort == "value" else "dim"
    direction = "DESC" if q.descending else "ASC"
    offset = (max(q.page, 1) - 1) * PAGE_SIZE
    sql = (
        f"SELECT {q.dimension} AS dim, {metric} AS value FROM events{where} "
        f"GROUP BY dim ORDER BY {order} {direction} LIMIT {PAGE_SIZE} OFFSET {offset}"
    )
    return conn.execute(sql, params).fetchall()  # ok: sqli


def build_where_loose(filters):
    parts = []
    for column, op, value in filters:
        parts.append(f"{column} {OPS.get(op, '=')} '{value}'")
    return " AND ".join(parts) or "1=1"


def run_loose(conn: sqlite3.Connection, dimension: str, filters):
    where = build_where_loose(filters)
    return conn.execute(f"SELECT {dimension}, COUNT(*) FROM events WHERE {where} GROUP BY 1").fetchall()  # expect: sqli


def report(conn: sqlite3.Connection, dim: str, metric_name: str, start: str, end: str):
    if dim not in ALLOWED_DIMENSIONS:
        raise ValueError(dim)
    sql = REPORT_TMPL.substitute(dim=dim, metric=ALLOWED_METRICS[metric_name])
    return conn.execute(sql, (start, end)).fetchall()  # ok: sqli


def cohort(conn: sqlite3.Connection, event: str, since: str):
    sql = COHORT_TMPL.safe_substitute(event=event, since=since)
    return [r[0] for r in conn.execute(sql)]  # expect: sqli # ok: pagination


def funnel(conn: sqlite3.Connection, steps):
    sql = "SELECT "
    for i, step in enumerate(steps):
        sql += f"SUM(CASE WHEN event = '{step}' THEN 1 ELSE 0 END) AS step_{i}, "
    sql = sql.rstrip(", ") + " FROM events"
    return conn.execute(sql).fetchone()  # expect: sqli


def funnel_safe(conn: sqlite3.Connection, steps):
    cols = ", ".join(f"SUM(CASE WHEN event = ? THEN 1 ELSE 0 END) AS step_{i}" for i in range(len(steps)))
    return conn.execute(f"SELECT {cols} FROM events", list(steps)).fetchone()  # ok: sqli


def events_by_ids(conn: sqlite3.Connection, ids):
    marks = ",".join("?" * len(ids))
    return conn.execute("SELECT * FROM events WHERE id IN (%s)" % marks, list(ids)).fetchall()  # ok: sqli # expect: sql-antipattern


def events_for_users(conn: sqlite3.Connection, user_ids):
    return conn.execute("SELECT * FROM events WHERE user_id IN (%s)" % ",".join(map(str, user_ids))).fetchall()  # expect: sqli, sql-antipattern # ok: pagination


def table_columns(conn: sqlite3.Connection, table: str):
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]  # unclear: sqli


def table_columns_checked(conn: sqlite3.Connection, table: str):
    if not IDENT_RE.fullmatch(table):
        raise ValueError(f"not an identifier: {table!r}")
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]  # ok: sqli


def attach_archive(conn: sqlite3.Connection, site: str):
    path = DATA_DIR / "archive" / f"{site}.db"
    conn.execute(f"ATTACH DATABASE '{path}' AS archive")  # expect: sqli


def attach_archive_bound(conn: sqlite3.Connection, site: str):
    conn.execute("ATTACH DATABASE ? AS archive", (str(DATA_DIR / "archive" / f"{site}.db"),))  # ok: sqli


def add_dimension(conn: sqlite3.Connection, name: str):
    if name in ALLOWED_DIMENSIONS:
        return
    conn.execute(f"ALTER TABLE events ADD COLUMN {name} TEXT")  # unclear: sqli


def record(conn: sqlite3.Connection, rows):
    conn.executemany(
        "INSERT INTO events (ts, user_id, event, country, device, channel, plan, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # ok: sqli
        rows,
    )


def top_pages_cache_key(site: str, since: str) -> str:
    return f"SELECT path, COUNT(*) FROM pageviews WHERE site = '{site}' AND ts >= '{since}'"  # ok: sqli


async def top_pages(db: Database, site_id: int, since: str):
    return await db.fetch_all(  # ok: pagination
        query="SELECT path, COUNT(*) AS hits FROM pageviews WHERE site_id = :site AND ts >= :since GROUP BY path ORDER BY hits DESC",  # ok: sqli
        values={"site": site_id, "since": since},
    )


async def pages_matching(db: Database, pattern: str):
    return await db.fetch_all(query=f"SELECT path FROM pageviews WHERE path GLOB '{pattern}'")  # expect: sqli # ok: pagination


async def page_count(db: Database, site_id):
    return await db.fetch_val(query="SELECT COUNT(*) FROM pageviews WHERE site_id = " + str(int(site_id)))  # ok: sqli


async def referrers(db: Database, site_id: int, sort: str = "hits"):
    order = {"hits": "hits DESC", "name": "referrer ASC"}[sort]
    return await db.fetch_all(
        query=f"SELECT referrer, COUNT(*) AS hits FROM pageviews WHERE site_id = :site GROUP BY referrer ORDER BY {order}",  # ok: sqli
        values={"site": site_id},
    )
