from dataclasses import dataclass

import asyncpg

ITEMS_TABLE = "items"


@dataclass
class Item:
    id: int
    sku: str
    name: str
    qty: int


class ItemRepository:
    def __init__(self, conn: asyncpg.Connection):
        self.conn = conn

    async def get(self, item_id: int) -> Item | None:
        row = await self.conn.fetchrow(f"SELECT id, sku, name, qty FROM {ITEMS_TABLE} WHERE id = $1", item_id)  # ok: sqli
        return Item(**row) if row else None

    async def get_many(self, ids: list[int]) -> list[Item]:
        rows = await self.conn.fetch("SELECT id, sku, name, qty FROM items WHERE id = ANY($1::int[])", ids)  # ok: sqli
        return [Item(**r) for r in rows]

    async def by_name(self, name: str) -> Item | None:
        row = await self.conn.fetchrow("SELECT id, sku, name, qty FROM items WHERE name = '" + name + "'")  # expect: sqli
        return Item(**row) if row else None

    async def low_stock(self, threshold):
        sql = "SELECT id, sku, name, qty FROM items WHERE qty < {}".format(threshold)
        rows = await self.conn.fetch(sql)  # expect: sqli # ok: pagination
        return [Item(**r) for r in rows]

    async def page_after(self, column: str, after, size: int = 100):
        return await self.conn.fetch(
            f"SELECT id, sku, name, qty FROM items WHERE {column} > $1 ORDER BY {column} LIMIT $2",  # unclear: sqli
            after,
            size,
        )

    async def total_qty(self, category: str) -> int:
        return await self.conn.fetchval("SELECT COALESCE(SUM(qty), 0) FROM items WHERE category = $1", category)  # ok: sqli

    async def add_prefix(self, prefix: str) -> str:
        return await self.conn.execute("UPDATE items SET name = $1 || name WHERE name NOT LIKE $1 || '%'", prefix)  # ok: sqli

    async def insert(self, sku: str, name: str, qty: int) -> int:
        return await self.conn.fetchval(
            "INSERT INTO items (sku, name, qty) VALUES ($1, $2, $3) RETURNING id",  # ok: sqli
            sku,
            name,
            qty,
        )

    async def insert_many(self, rows: list[tuple[str, str, int]]) -> None:
        await self.conn.executemany("INSERT INTO items (sku, name, qty) VALUES ($1, $2, $3)", rows)  # ok: sqli

    async def restock_log(self, item_id, supplier):
        await self.conn.execute(
            "INSERT INTO restock_log (item_id, supplier) VALUES (%s, '%s')" % (item_id, supplier)  # expect: sqli
        )
