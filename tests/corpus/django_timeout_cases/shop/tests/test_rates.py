import requests


def test_rates_endpoint(live_server):
    response = requests.get(live_server.url + "/rates/")  # ok: timeout
    assert response.status_code == 200
