from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class TracksAuthor:
    """A mixin: the table of each model using it is not known here."""

    @declared_attr
    def author_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("users.id"))  # ok: missing-index
