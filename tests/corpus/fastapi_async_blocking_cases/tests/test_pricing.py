import time

import requests


async def test_fx_endpoint_answers(live_server):
    time.sleep(0.2)  # ok: async-blocking
    assert requests.get(f"{live_server}/v1/pricing/fx", timeout=3).status_code == 200  # ok: async-blocking
