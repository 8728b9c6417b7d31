from dataclasses import dataclass


@dataclass
class Page:
    title: str
    body: str
    summary: str


_PAGES: dict[str, Page] = {}


def load_page(title):
    return _PAGES.get(title)
