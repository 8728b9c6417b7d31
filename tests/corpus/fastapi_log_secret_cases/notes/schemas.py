from pydantic import BaseModel


class TokenRequest(BaseModel):
    username: str
    password: str


class NoteIn(BaseModel):
    title: str
    body: str
