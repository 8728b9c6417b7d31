import sys

import psycopg2


def main(dsns):
    for account_id in range(1, 1000):
        conn = psycopg2.connect(dsns[0])  # ok: connection-pooling
        with conn.cursor() as cur:
            cur.execute("UPDATE accounts SET balance = 0 WHERE id = %s", (account_id,))
        conn.commit()
        conn.close()


if __name__ == "__main__":
    main(sys.argv[1:])
