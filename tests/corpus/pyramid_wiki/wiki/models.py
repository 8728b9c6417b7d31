from datetime import datetime

import bcrypt
from sqlalchemy import Column, DateTime, ForeignKey, Integer, Text, Unicode, UnicodeText
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(Unicode(60), unique=True, nullable=False)
    email = Column(Unicode(255), unique=True, nullable=False)
    role = Column(Unicode(20), nullable=False, default="editor")
    _password = Column("password", Unicode(255), nullable=False)  # ok: plaintext-password
    legacy_pwd = Column(Unicode(64))  # expect: plaintext-password
    reset_code_hash = Column(Unicode(64))  # ok: plaintext-password
    reset_expires = Column(DateTime)

    @property
    def password(self):
        return self._password

    @password.setter
    def password(self, raw):
        self._password = bcrypt.hashpw(raw.encode("utf8"), bcrypt.gensalt()).decode("utf8")  # ok: plaintext-password

    def check_password(self, raw):
        if not self._password:
            return False
        return bcrypt.checkpw(raw.encode("utf8"), self._password.encode("utf8"))  # ok: plaintext-password


class Page(Base):
    __tablename__ = "pages"

    id = Column(Integer, primary_key=True)
    name = Column(Unicode(255), unique=True, nullable=False)
    data = Column(UnicodeText, nullable=False)
    creator_id = Column(ForeignKey("users.id"), nullable=False)  # expect: missing-index
    updated_at = Column(DateTime, default=datetime.utcnow, onupdate=datetime.utcnow)

    creator = relationship(User)

    def to_json(self):
        return {"name": self.name, "updated_at": self.updated_at.isoformat()}


class Revision(Base):
    __tablename__ = "revisions"

    id = Column(Integer, primary_key=True)
    page_id = Column(ForeignKey("pages.id"), nullable=False, index=True)
    author_id = Column(ForeignKey("users.id"), nullable=False)  # expect: missing-index
    data = Column(UnicodeText, nullable=False)
    comment = Column(Unicode(255))
    created_at = Column(DateTime, default=datetime.utcnow)

    def to_json(self):
        return {"id": self.id, "page_id": self.page_id, "comment": self.comment, "created_at": self.created_at.isoformat()}


class Link(Base):
    __tablename__ = "links"

    source_id = Column(ForeignKey("pages.id"), primary_key=True)
    target_id = Column(ForeignKey("pages.id"), primary_key=True, index=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id = Column(Integer, primary_key=True)
    user_id = Column(ForeignKey("users.id"), nullable=False)  # expect: missing-index
    label = Column(Unicode(80))
    token = Column(Text, unique=True, nullable=False)
    created_at = Column(DateTime, default=datetime.utcnow)
