"""Data access for tickets. Routes validate input; the repository binds values."""
from psycopg2 import sql
from psycopg2.extras import RealDictCursor, execute_values

TICKETS = "tickets"
TICKET_COLUMNS = ("id", "title", "status", "priority", "assignee_id", "reporter_id", "created_at")
SORT_COLUMNS = frozenset({"created_at", "priority", "status", "title"})


class TicketRepository:
    table = TICKETS
    select_sql = "SELECT id, title, status, priority, assignee_id, created_at FROM {table}"
    by_id_sql = "SELECT * FROM tickets WHERE id = %(id)s"

    def __init__(self, conn):
        self.conn = conn

    def get(self, ticket_id):
        with self.conn.cursor(cursor_factory=RealDictCursor) as cur:
            cur.execute(self.by_id_sql, {"id": ticket_id})  # ok: sqli
            return cur.fetchone()

    def list(self, status=None, assignee_id=None, sort="created_at", descending=True, limit=50, offset=0):
        clauses, params = [], []
        if status:
            clauses.append("status = %s")
            params.append(status)
        if assignee_id is not None:
            clauses.append("assignee_id = %s")
            params.append(assignee_id)
        if sort not in SORT_COLUMNS:
            raise ValueError(f"cannot sort by {sort!r}")
        query = self.select_sql.format(table=self.table)
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        query += f" ORDER BY {sort} {'DESC' if descending else 'ASC'} LIMIT %s OFFSET %s"
        params += [limit, offset]
        with self.conn.cursor(cursor_factory=RealDictCursor) as cur:
            cur.execute(query, params)  # ok: sqli
            return cur.fetchall()  # ok: pagination

    def search(self, text):
        pattern = text.replace("'", "''")
        with self.conn.cursor() as cur:
            cur.execute("SELECT id, title FROM tickets WHERE title ILIKE '%" + pattern + "%'")  # expect: sqli # unclear: sql-antipattern
            return cur.fetchall()  # expect: pagination

    def update(self, ticket_id, fields):
        assignments = ", ".join(f"{name} = %s" for name in fields)
        with self.conn.cursor() as cur:
            cur.execute(f"UPDATE tickets SET {assignments} WHERE id = %s", [*fields.values(), ticket_id])  # unclear: sqli

    def update_composed(self, ticket_id, fields):
        assignments = sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(name), sql.Placeholder()) for name in fields
        )
        query = sql.SQL("UPDATE {} SET {} WHERE id = %s").format(sql.Identifier(self.table), assignments)
        with self.conn.cursor() as cur:
            cur.execute(query, [*fields.values(), ticket_id])  # ok: sqli

    def bulk_insert(self, rows):
        with self.conn.cursor() as cur:
            values = b",".join(cur.mogrify("(%s, %s, %s)", (r["title"], r["status"], r["priority"])) for r in rows)
            cur.execute(b"INSERT INTO tickets (title, status, priority) VALUES " + values)  # ok: sqli

    def bulk_insert_v2(self, rows):
        with self.conn.cursor() as cur:
            execute_values(cur, "INSERT INTO tickets (title, status, priority) VALUES %s", rows)  # ok: sqli

    def count_by(self, column):
        with self.conn.cursor() as cur:
            cur.execute(sql.SQL("SELECT {col}, COUNT(*) FROM tickets GROUP BY {col}").format(col=sql.Identifier(column)))  # ok: sqli
            return cur.fetchall()

    def matching(self, condition):
        query = sql.SQL("SELECT id, title FROM tickets WHERE {}").format(sql.SQL(condition))
        with self.conn.cursor() as cur:
            cur.execute(query)  # unclear: sqli
            return cur.fetchall()  # ok: pagination

    def archive_older_than(self, days):
        with self.conn.cursor() as cur:
            cur.execute("UPDATE tickets SET archived = true WHERE created_at < now() - interval '%s days'" % days)  # expect: sqli
            return cur.rowcount

    def reassign(self, from_user, to_user):
        with self.conn.cursor() as cur:
            cur.execute(
                "UPDATE tickets SET assignee_id = %(to)s WHERE assignee_id = %(from)s AND status <> 'closed'",  # ok: sqli
                {"to": to_user, "from": from_user},
            )
            return cur.rowcount

    def delete_many(self, ids):
        with self.conn.cursor() as cur:
            cur.execute("DELETE FROM tickets WHERE id IN %s", (tuple(ids),))  # ok: sqli
