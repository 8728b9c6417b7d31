from pydantic import BaseModel, Field


class RecipeIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class StepIn(BaseModel):
    text: str = Field(min_length=1, max_length=500)


class RecipeOut(BaseModel):
    id: int
    name: str
