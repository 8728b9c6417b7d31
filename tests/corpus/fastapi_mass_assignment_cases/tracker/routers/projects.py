from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from sqlalchemy import update
from sqlalchemy.orm import Session

from tracker.db import get_db
from tracker.models import Issue, Project, User
from tracker.schemas import IssueIn, ProjectCreate, ProjectUpdate

router = APIRouter(prefix="/v1")


def current_user(db: Session = Depends(get_db)) -> User:
    ...


@router.post("/projects")
def create_project(body: ProjectCreate, user: User = Depends(current_user), db: Session = Depends(get_db)):  # expect: http-semantics
    project = Project(**body.model_dump(), owner_id=user.id)  # ok: mass-assignment
    db.add(project)
    db.commit()
    return {"id": project.id}


@router.patch("/projects/{project_id}")
def patch_project(project_id: int, body: ProjectUpdate, db: Session = Depends(get_db)):  # expect: authz
    project = db.get(Project, project_id)
    for key, value in body.model_dump(exclude_unset=True).items():
        setattr(project, key, value)  # ok: mass-assignment
    db.commit()
    return {"id": project.id}


@router.put("/projects/{project_id}")
def replace_project(project_id: int, payload: dict = Body(...), db: Session = Depends(get_db)):  # expect: authz
    project = db.get(Project, project_id)
    for key, value in payload.items():
        setattr(project, key, value)  # expect: mass-assignment
    db.commit()
    return {"id": project.id}


@router.post("/projects/{project_id}/issues")
def add_issue(project_id: int, payload: dict[str, Any], db: Session = Depends(get_db)):  # expect: http-semantics, authz
    issue = Issue(project_id=project_id, **payload)  # expect: mass-assignment
    db.add(issue)
    db.commit()
    return {"id": issue.id}


@router.post("/projects/{project_id}/issues/typed")
def add_typed_issue(project_id: int, payload: IssueIn, db: Session = Depends(get_db)):  # expect: http-semantics, authz
    issue = Issue(project_id=project_id, **payload.model_dump())  # ok: mass-assignment
    db.add(issue)
    db.commit()
    return {"id": issue.id}


@router.post("/users/me")
async def update_me(request: Request, user: User = Depends(current_user), db: Session = Depends(get_db)):
    changes = await request.json()
    db.execute(update(User).where(User.id == user.id).values(**changes))  # expect: mass-assignment, async-blocking
    db.commit()  # expect: async-blocking
    return {"ok": True}


@router.post("/users/me/name")
async def rename_me(request: Request, user: User = Depends(current_user), db: Session = Depends(get_db)):
    body = await request.json()
    db.execute(update(User).where(User.id == user.id).values(full_name=body["full_name"]))  # ok: mass-assignment # expect: async-blocking
    db.commit()  # expect: async-blocking
    return {"ok": True}


@router.post("/issues/import")
async def import_issue(req: Request, db: Session = Depends(get_db)):  # expect: authz
    issue = IssueIn(**await req.json())  # ok: mass-assignment
    db.add(Issue(**issue.model_dump(), project_id=1))  # ok: mass-assignment
    db.commit()  # expect: async-blocking
    return {"ok": True}


@router.post("/webhooks/{project_id}")
async def webhook(project_id: int, request: Request, db: Session = Depends(get_db)):  # expect: authz
    event = await request.json()
    db.add(Issue(project_id=project_id, **event["issue"]))  # expect: mass-assignment
    db.commit()  # expect: async-blocking
    return {"ok": True}
