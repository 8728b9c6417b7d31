"""The process-wide HTTP sessions."""
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from shop.http import TimeoutHTTPAdapter

# plain session: every call must pass its own timeout
rates_session = requests.Session()
rates_session.headers["User-Agent"] = "shop/1.0"

# every request of this one gets a default timeout from its adapter
payments = requests.Session()
payments.mount("https://", TimeoutHTTPAdapter(timeout=8))

# retries, but no timeout: a retry adapter sets none
geo = requests.Session()
geo.mount("https://", HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0.5)))
