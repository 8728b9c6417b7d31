from fastapi import APIRouter, Depends, HTTPException, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..auth import current_cook
from ..db import get_db
from ..models import Recipe, Step
from ..schemas import RecipeIn, RecipeOut, StepIn

router = APIRouter(dependencies=[Depends(current_cook)])


@router.get("/recipes/{recipe_id}", response_model=RecipeOut)
def read_recipe(recipe_id: int, db: Session = Depends(get_db)):
    recipe = db.get(Recipe, recipe_id)
    if recipe is None:
        raise HTTPException(status_code=404, detail="recipe not found")  # ok: http-semantics
    return recipe


@router.get("/recipes/{recipe_id}/publish")
def publish_recipe(recipe_id: int, db: Session = Depends(get_db)):
    recipe = db.get(Recipe, recipe_id)
    if recipe is None:
        return {"error": "recipe not found"}  # expect: http-semantics
    recipe.published = True
    db.commit()  # expect: http-semantics
    return {"published": True}


@router.get("/recipes/{recipe_id}/steps/clear")
def clear_steps(recipe_id: int, db: Session = Depends(get_db)):
    db.execute(delete(Step).where(Step.recipe_id == recipe_id))  # expect: http-semantics
    db.commit()
    return {"cleared": recipe_id}


@router.delete("/recipes/{recipe_id}/steps", status_code=204)
def delete_steps(recipe_id: int, db: Session = Depends(get_db)):
    db.execute(delete(Step).where(Step.recipe_id == recipe_id))  # ok: http-semantics
    db.commit()


@router.post("/recipes", response_model=RecipeOut)
def create_recipe(payload: RecipeIn, db: Session = Depends(get_db)):  # expect: http-semantics
    recipe = Recipe(name=payload.name)
    db.add(recipe)
    db.commit()
    db.refresh(recipe)
    return recipe


@router.post("/recipes/{recipe_id}/steps", status_code=status.HTTP_201_CREATED)
def add_step(recipe_id: int, payload: StepIn, db: Session = Depends(get_db)):  # ok: http-semantics
    step = Step(recipe_id=recipe_id, text=payload.text)
    db.add(step)
    db.commit()
    return {"id": step.id}


@router.post("/recipes/{recipe_id}/copy")
def copy_recipe(recipe_id: int, db: Session = Depends(get_db)):  # ok: http-semantics
    source = db.get(Recipe, recipe_id)
    if source is None:
        raise HTTPException(status_code=404, detail="recipe not found")
    recipe = Recipe(name=source.name)
    db.add(recipe)
    db.commit()
    return JSONResponse({"id": recipe.id}, status_code=201)


@router.post("/recipes/{recipe_id}/validate")
def validate_recipe(recipe_id: int, db: Session = Depends(get_db)):  # ok: http-semantics
    steps = db.scalars(select(Step).where(Step.recipe_id == recipe_id).limit(100)).all()
    if not steps:
        return JSONResponse({"error": "a recipe needs steps"})  # expect: http-semantics
    return {"valid": True}


@router.post("/recipes/{recipe_id}/rename")
def rename_recipe(recipe_id: int, payload: RecipeIn, response: Response, db: Session = Depends(get_db)):
    recipe = db.get(Recipe, recipe_id)
    if recipe is None:
        response.status_code = status.HTTP_404_NOT_FOUND
        return {"error": "recipe not found"}  # ok: http-semantics
    recipe.name = payload.name
    db.commit()
    return {"id": recipe.id}


@router.post("/recipes/{recipe_id}/archive", status_code=status.HTTP_409_CONFLICT)
def archive_conflict(recipe_id: int):
    return {"error": "recipes cannot be archived"}  # ok: http-semantics


@router.post("/recipes/{recipe_id}/rate")
def rate_recipe(recipe_id: int, db: Session = Depends(get_db)):
    try:
        recipe = db.get(Recipe, recipe_id)
        return {"id": recipe.id}
    except Exception as exc:
        return {"success": False, "detail": "rating failed", "id": recipe_id}  # expect: http-semantics


@router.post("/graphql")
def graphql():
    return {"data": None, "errors": [{"message": "syntax error"}]}  # ok: http-semantics
