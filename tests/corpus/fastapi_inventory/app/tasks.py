"""In-process background runner (a stand-in until we move to a real queue)."""
import logging
from concurrent.futures import ThreadPoolExecutor

logger = logging.getLogger(__name__)


class BackgroundRunner:
    def __init__(self, workers: int = 4):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="inventory-bg")

    def execute(self, fn, *args, **kwargs):
        future = self._pool.submit(fn, *args, **kwargs)
        future.add_done_callback(self._log_failure)
        return future

    @staticmethod
    def _log_failure(future):
        if future.exception() is not None:
            logger.error("background job failed: %s", future.exception())


runner = BackgroundRunner()


def send_slack(message: str) -> None:
    logger.info("slack: %s", message)
