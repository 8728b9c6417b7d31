from pydantic import BaseModel, ConfigDict


class ProjectCreate(BaseModel):
    title: str


class ProjectUpdate(BaseModel):
    title: str | None = None
    archived: bool | None = None


class IssueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    points: int = 0
