import logging

from .models import Preference, Ticket

logger = logging.getLogger(__name__)


def reset_theme(user):
    try:
        Preference.objects.filter(user=user).update(theme="light")
    except Exception:  # unclear: error-handling
        pass


def reassign_all(old_user, new_user):
    try:
        Ticket.objects.filter(assignee=old_user).update(assignee=new_user)
    except Exception:  # ok: error-handling
        logger.exception("reassigning %s's tickets failed", old_user)
        raise


def optional_markdown():
    try:
        import markdown
    except Exception:  # ok: error-handling
        return None
    return markdown
