"""Order service: FastAPI + asyncpg, one pooled connection per request."""
import json
from typing import Annotated, Literal

import asyncpg
from fastapi import BackgroundTasks, Depends, FastAPI, Header, HTTPException, Query, Request

from .schemas import BulkStatus, Direction, Note, OrderFilter, SortField

app = FastAPI(title="orders")

ORDER_COLUMNS = "id, customer_name, total_cents, status, created_at"
TENANT_SCHEMAS = {"acme": "tenant_acme", "globex": "tenant_globex"}
REPORTS = {
    "late": "SELECT id, customer_name FROM orders WHERE status = 'paid' AND created_at < now() - interval '3 days'",
    "big": "SELECT id, customer_name, total_cents FROM orders WHERE total_cents > 100000",
    "refunded": "SELECT id, customer_name FROM orders WHERE status = 'refunded'",
}
PERIODS = {"day": "1 day", "week": "7 days", "month": "30 days"}
STATEMENT_TIMEOUT_MS = 5000


@app.on_event("startup")
async def startup() -> None:
    app.state.pool = await asyncpg.create_pool(dsn="postgresql://orders@db/orders")


async def get_conn(request: Request):
    async with request.app.state.pool.acquire() as conn:
        await conn.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")  # ok: sqli
        yield conn


Conn = Annotated[asyncpg.Connection, Depends(get_conn)]


async def tenant_from_header(x_tenant: Annotated[str, Header()] = "public") -> str:
    return x_tenant


async def checked_tenant(x_tenant: Annotated[str, Header()]) -> str:
    schema = TENANT_SCHEMAS.get(x_tenant)
    if schema is None:
        raise HTTPException(status_code=403, detail="unknown tenant")
    return schema


def _period_interval(period: str) -> str:
    return PERIODS.get(period, "1 day")


@app.get("/orders")
async def list_orders(
    conn: Conn,
    sort: SortField = SortField.created,
    direction: Direction = Direction.desc,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
):
    return await conn.fetch(  # ok: pagination
        f"SELECT {ORDER_COLUMNS} FROM orders ORDER BY {sort.value} {direction.value} LIMIT $1 OFFSET $2",  # ok: sqli
        limit,
        offset,
    )


@app.get("/orders/recent")
async def recent_orders(conn: Conn, limit: int = Query(20, ge=1, le=100)):
    return await conn.fetch(f"SELECT {ORDER_COLUMNS} FROM orders ORDER BY created_at DESC LIMIT {limit}")  # ok: sqli # ok: pagination


@app.get("/orders/search")
async def search_orders(conn: Conn, q: str, sort: str = "created_at"):
    return await conn.fetch(  # expect: pagination
        f"SELECT {ORDER_COLUMNS} FROM orders WHERE customer_name ILIKE $1 ORDER BY {sort}",  # expect: sqli
        f"%{q}%",
    )


@app.get("/orders/search/v2")
async def search_orders_v2(
    conn: Conn,
    q: str,
    sort: str = Query("created_at", pattern="^(created_at|total_cents|customer_name)$"),
):
    return await conn.fetch(  # expect: pagination
        f"SELECT {ORDER_COLUMNS} FROM orders WHERE customer_name ILIKE $1 ORDER BY {sort}",  # ok: sqli
        f"%{q}%",
    )


@app.get("/customers/{customer_id}/orders")
async def customer_orders(customer_id: int, conn: Conn, order: Literal["asc", "desc"] = "desc"):
    return await conn.fetch(  # expect: pagination
        f"SELECT {ORDER_COLUMNS} FROM orders WHERE customer_id = $1 ORDER BY created_at {order}",  # ok: sqli
        customer_id,
    )


@app.get("/customers/by-name/{name}")
async def customer_by_name(name: str, conn: Conn):
    row = await conn.fetchrow("SELECT id, name, email FROM customers WHERE lower(name) = '" + name.lower() + "'")  # expect: sqli # ok: pagination
    if row is None:
        raise HTTPException(404)
    return dict(row)


@app.post("/orders/query")
async def query_orders(filters: OrderFilter, conn: Conn):
    where, args = [], []
    if filters.status:
        args.append(filters.status)
        where.append(f"status = ${len(args)}")
    if filters.customer:
        args.append(filters.customer)
        where.append(f"customer_name = ${len(args)}")
    if filters.created_after:
        args.append(filters.created_after)
        where.append(f"created_at > ${len(args)}")
    sql = f"SELECT {ORDER_COLUMNS} FROM orders"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {filters.sort} DESC"
    return await conn.fetch(sql, *args)  # ok: sqli # expect: pagination


@app.post("/orders/query/legacy")
async def query_orders_legacy(filters: OrderFilter, conn: Conn):
    sql = f"SELECT {ORDER_COLUMNS} FROM orders WHERE 1=1"
    if filters.status:
        sql += f" AND status = '{filters.status}'"
    if filters.customer:
        sql += " AND customer_name = '%s'" % filters.customer
    return await conn.fetch(sql)  # expect: sqli # expect: pagination


@app.post("/orders/{order_id}/notes")
async def add_note(order_id: int, note: Note, conn: Conn):  # unclear: authz
    await conn.execute(f"INSERT INTO order_notes (order_id, body) VALUES ($1, '{note.text}')", order_id)  # expect: sqli
    return {"ok": True}


@app.post("/orders/{order_id}/notes/v2")
async def add_note_v2(order_id: int, note: Note, conn: Conn):  # unclear: authz
    await conn.execute("INSERT INTO order_notes (order_id, body) VALUES ($1, $2)", order_id, note.text)  # ok: sqli
    return {"ok": True}


@app.post("/orders/bulk-status")
async def bulk_status(body: BulkStatus, conn: Conn):  # unclear: authz
    async with conn.transaction():
        await conn.execute(
            "UPDATE orders SET status = $1 WHERE id = ANY($2::bigint[])",  # ok: sqli
            body.status,
            body.order_ids,
        )
        await conn.execute(
            f"INSERT INTO order_audit (order_id, note) SELECT unnest($1::bigint[]), '{body.reason}'",  # expect: sqli
            body.order_ids,
        )
    return {"updated": len(body.order_ids)}


@app.get("/reports/daily")
async def daily_report(conn: Conn, schema: Annotated[str, Depends(tenant_from_header)]):
    return await conn.fetch(f"SELECT day, revenue_cents FROM {schema}.daily_revenue ORDER BY day DESC LIMIT 30")  # expect: sqli # ok: pagination


@app.get("/reports/weekly")
async def weekly_report(conn: Conn, schema: Annotated[str, Depends(checked_tenant)]):
    return await conn.fetch(f"SELECT week, revenue_cents FROM {schema}.weekly_revenue ORDER BY week DESC LIMIT 12")  # ok: sqli # ok: pagination


@app.get("/reports/named/{name}")
async def named_report(name: str, conn: Conn):
    if name not in REPORTS:
        raise HTTPException(404, "no such report")
    query = REPORTS[name]
    return await conn.fetch(query)  # ok: sqli # expect: pagination


@app.get("/reports/revenue")
async def revenue(conn: Conn, period: str = "day"):
    return await conn.fetchval(
        f"SELECT COALESCE(SUM(total_cents), 0) FROM orders WHERE created_at > now() - interval '{_period_interval(period)}'"  # ok: sqli
    )


@app.get("/reports/revenue/custom")
async def revenue_custom(conn: Conn, interval: str = "1 day"):
    return await conn.fetchval(
        "SELECT COALESCE(SUM(total_cents), 0) FROM orders WHERE created_at > now() - interval '%s'" % interval  # expect: sqli
    )


@app.get("/reports/revenue/custom/v2")
async def revenue_custom_v2(conn: Conn, interval: str = "1 day"):
    return await conn.fetchval(
        "SELECT COALESCE(SUM(total_cents), 0) FROM orders WHERE created_at > now() - $1::interval",  # ok: sqli
        interval,
    )


async def _notify_shipped(pool: asyncpg.Pool, order: dict) -> None:
    async with pool.acquire() as conn:
        await conn.execute(f"NOTIFY order_events, '{json.dumps(order)}'")  # expect: sqli


async def _notify_shipped_v2(pool: asyncpg.Pool, order: dict) -> None:
    async with pool.acquire() as conn:
        await conn.execute("SELECT pg_notify('order_events', $1)", json.dumps(order))  # ok: sqli


@app.post("/orders/{order_id}/ship")
async def ship(order_id: int, conn: Conn, request: Request, tasks: BackgroundTasks):  # unclear: authz
    row = await conn.fetchrow(
        "UPDATE orders SET status = 'shipped' WHERE id = $1 RETURNING id, customer_name, total_cents",  # ok: sqli
        order_id,
    )
    if row is None:
        raise HTTPException(404)
    tasks.add_task(_notify_shipped_v2, request.app.state.pool, dict(row))
    return dict(row)


@app.get("/export/{table}")
async def export_table(table: str, conn: Conn):
    records = await conn.fetch(f'SELECT * FROM "{table}" LIMIT 10000')  # expect: sqli # ok: pagination
    return [dict(r) for r in records]


@app.get("/orders/{order_id}")
async def get_order(order_id: int, conn: Conn):
    row = await conn.fetchrow(f"SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1", order_id)  # ok: sqli # ok: pagination
    if row is None:
        raise HTTPException(404)
    return dict(row)
