"""Command line entry point: `python -m reports.cli --month 2024-05`."""
import argparse
import logging
import sys

from sqlalchemy import text

from .db import SessionLocal, engine
from .exports import write_exports
from .queries import overdue

log = logging.getLogger("reports")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Billing reports")
    parser.add_argument("--month", required=True)
    parser.add_argument("--customer")
    parser.add_argument("--purge-before")
    parser.add_argument("--order-by", default="issued_at")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    with engine.begin() as conn:
        if args.purge_before:
            conn.execute(text("DELETE FROM report_cache WHERE created_at < :before"), {"before": args.purge_before})  # ok: sqli
            print(f"DELETE FROM report_cache WHERE created_at < {args.purge_before}: done")  # ok: sqli
        if args.customer:
            rows = conn.execute(text("SELECT id, amount FROM invoices WHERE customer_id = " + args.customer)).all()  # expect: sqli # ok: pagination
            log.info("customer %s has %d invoices", args.customer, len(rows))
        listing = conn.execute(text(f"SELECT id, amount FROM invoices ORDER BY {args.order_by} LIMIT 20")).all()  # expect: sqli
        log.info("first invoices: %s", listing)
    with SessionLocal() as session:
        late = overdue(session, as_of=args.month + "-01")
        log.info(f"select overdue invoices from {args.month}: {len(late)}")  # ok: sqli
    for path in write_exports(engine, args.month):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
