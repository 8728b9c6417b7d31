class StockError(Exception):
    """A stock rule the client broke: the message says which and is shown to the client."""


class OutOfStock(StockError):
    pass
