"""Job queue workers: SQLite locally (aiosqlite), MySQL in production (aiomysql)."""
import asyncio
import logging
import os
import socket

import aiomysql
import aiosqlite

DB_PATH = os.environ.get("JOBS_DB", "jobs.sqlite3")
JOBS = "jobs"
log = logging.getLogger("workers")


async def claim_local(queue: str):
    async with aiosqlite.connect(DB_PATH) as db:
        db.row_factory = aiosqlite.Row
        async with db.execute(f"SELECT id, payload FROM {JOBS} WHERE queue = ? AND state = 'new' LIMIT 1", (queue,)) as cur:  # ok: sqli
            job = await cur.fetchone()
        if job is None:
            return None
        await db.execute("UPDATE jobs SET state = ? WHERE id = ?", ("running", job["id"]))  # ok: sqli
        await db.commit()
        return dict(job)


async def peek_local(queue: str):
    async with aiosqlite.connect(DB_PATH) as db:
        async with db.execute(f"SELECT id, payload FROM jobs WHERE queue = '{queue}'") as cur:  # expect: sqli
            return await cur.fetchall()  # ok: pagination


async def fail_local(job_id: int, error: str):
    async with aiosqlite.connect(DB_PATH) as db:
        await db.execute("UPDATE jobs SET state = 'failed', error = '" + error + "' WHERE id = ?", (job_id,))  # expect: sqli
        await db.commit()


async def claim_mysql(pool: aiomysql.Pool, worker_id: str):
    async with pool.acquire() as conn:
        async with conn.cursor(aiomysql.DictCursor) as cur:
            await cur.execute("SELECT id FROM jobs WHERE worker IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")  # ok: sqli
            row = await cur.fetchone()
            if row is None:
                return None
            await cur.execute("UPDATE jobs SET worker = %s WHERE id = %s", (worker_id, row["id"]))  # ok: sqli
            await conn.commit()
            return row["id"]


async def release_mysql(pool: aiomysql.Pool, worker_id: str, job_id):
    async with pool.acquire() as conn:
        async with conn.cursor() as cur:
            await cur.execute("UPDATE jobs SET worker = NULL WHERE worker = '" + worker_id + "' AND id = " + str(job_id))  # expect: sqli
            await conn.commit()


async def stats_mysql(pool: aiomysql.Pool, group_by: str):
    async with pool.acquire() as conn:
        async with conn.cursor() as cur:
            await cur.execute("SELECT %s, COUNT(*) FROM jobs GROUP BY %s" % (group_by, group_by))  # unclear: sqli
            return await cur.fetchall()  # ok: pagination


async def main() -> None:
    worker_id = f"{socket.gethostname()}-{os.getpid()}"
    pool = await aiomysql.create_pool(host=os.environ.get("JOBS_MYSQL", "localhost"), user="jobs", db="jobs", autocommit=False)
    try:
        while True:
            job_id = await claim_mysql(pool, worker_id)
            if job_id is None:
                await asyncio.sleep(1)
                continue
            log.info(f"update jobs set worker={worker_id} where id={job_id}: claimed")  # ok: sqli
            await release_mysql(pool, worker_id, job_id)
    finally:
        pool.close()
        await pool.wait_closed()


if __name__ == "__main__":
    asyncio.run(main())
