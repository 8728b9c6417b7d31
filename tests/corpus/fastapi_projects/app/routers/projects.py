import secrets

from fastapi import APIRouter, Depends, HTTPException, Query, status
from fastapi_pagination import Page
from fastapi_pagination.ext.sqlalchemy import paginate
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import crud
from ..db import get_db
from ..deps import get_current_user
from ..models import Invite, Project, ProjectMember, Task, User
from ..schemas import InviteIn, ProjectOut, TaskOut, UserOut

router = APIRouter(prefix="/projects", tags=["projects"])


@router.get("", response_model=list[ProjectOut])
def my_projects(user: User = Depends(get_current_user), db: Session = Depends(get_db)):
    return crud.projects_for_user(db, user.id)


@router.get("/paged", response_model=Page[ProjectOut])
def my_projects_paged(user: User = Depends(get_current_user), db: Session = Depends(get_db)):
    return paginate(db, select(Project).where(Project.owner_id == user.id).order_by(Project.name))  # ok: pagination


@router.get("/{project_id}", response_model=ProjectOut)
def get_project(project_id: int, db: Session = Depends(get_db), _: User = Depends(get_current_user)):
    project = db.get(Project, project_id)  # ok: pagination
    if project is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)
    return project


@router.get("/{project_id}/tasks", response_model=list[TaskOut])
def list_tasks(
    project_id: int,
    limit: int = Query(50, ge=1, le=100),
    offset: int = Query(0, ge=0),
    db: Session = Depends(get_db),
    _: User = Depends(get_current_user),
):
    stmt = select(Task).where(Task.project_id == project_id).order_by(Task.created_at.desc()).offset(offset).limit(limit)
    return db.scalars(stmt).all()  # ok: pagination


@router.get("/{project_id}/tasks/open", response_model=list[TaskOut])
def open_tasks(project_id: int, limit: int = Query(50, le=100), db: Session = Depends(get_db), _: User = Depends(get_current_user)):
    tasks = db.scalars(select(Task).where(Task.project_id == project_id, Task.done.is_(False))).all()  # expect: pagination
    return tasks


@router.get("/{project_id}/tasks/recent", response_model=list[TaskOut])
def recent_tasks(project_id: int, db: Session = Depends(get_db), _: User = Depends(get_current_user)):
    return crud.recent_tasks(db, project_id, limit=10)


@router.get("/{project_id}/members", response_model=list[UserOut])
def project_members(project_id: int, db: Session = Depends(get_db), _: User = Depends(get_current_user)):
    stmt = select(User).join(ProjectMember, ProjectMember.user_id == User.id).where(ProjectMember.project_id == project_id)
    return [UserOut.model_validate(u) for u in db.scalars(stmt).all()]  # expect: pagination


@router.post("/{project_id}/invites", status_code=status.HTTP_201_CREATED)
def invite(project_id: int, body: InviteIn, db: Session = Depends(get_db), _: User = Depends(get_current_user)):
    token = secrets.token_urlsafe(32)
    db.add(Invite(project_id=project_id, email=body.email, token=token))  # expect: plaintext-password
    db.commit()
    return {"invite_url": f"https://projects.example.com/invite/{token}"}
