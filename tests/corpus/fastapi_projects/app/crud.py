from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Project, ProjectMember, Task, User
from .schemas import UserCreate
from .security import hash_password


def get_user_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == email.lower()))


def create_user(db: Session, data: UserCreate) -> User:
    user = User(
        email=data.email.lower(),
        full_name=data.full_name,
        hashed_password=hash_password(data.password),  # ok: plaintext-password
    )
    db.add(user)
    db.commit()
    db.refresh(user)
    return user


def projects_for_user(db: Session, user_id: int) -> list[Project]:
    stmt = (
        select(Project)
        .join(ProjectMember, ProjectMember.project_id == Project.id)
        .where(ProjectMember.user_id == user_id)
        .order_by(Project.name)
    )
    return list(db.scalars(stmt).all())  # expect: pagination


def recent_tasks(db: Session, project_id: int, limit: int = 10) -> list[Task]:
    stmt = select(Task).where(Task.project_id == project_id).order_by(Task.created_at.desc()).limit(limit)
    return list(db.scalars(stmt).all())  # ok: pagination
