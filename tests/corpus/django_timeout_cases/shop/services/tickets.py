"""Support requests kept in a dict by id: `requests` here is no HTTP library."""


def pick(requests: dict, ticket_id: int):
    return requests.get(ticket_id)  # ok: timeout (bandit B113 reports it; backlint drops it)


def open_requests(requests: dict) -> list:
    return [r for r in requests.values() if r.get("open")]
