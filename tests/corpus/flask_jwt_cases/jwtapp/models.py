from dataclasses import dataclass


@dataclass
class User:
    id: int
    email: str
    role: str = "member"

    @classmethod
    def get(cls, user_id):
        return cls(id=int(user_id), email=f"user{user_id}@example.com")


@dataclass
class Partner:
    slug: str
    secret: str

    @classmethod
    def by_slug(cls, slug):
        return cls(slug=slug, secret=f"partner-secret-{slug}")
