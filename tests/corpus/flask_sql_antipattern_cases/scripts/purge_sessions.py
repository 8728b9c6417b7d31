import sqlite3
import sys


def main(path: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM sessions")  # unclear: sql-antipattern
    conn.execute("DELETE FROM sessions_log WHERE created < date('now', '-30 days')")  # ok: sql-antipattern
    conn.commit()


if __name__ == "__main__":
    main(sys.argv[1])
