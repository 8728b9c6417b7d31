from celery import shared_task


@shared_task
def import_notebook(user_id, url):
    return {"user": user_id, "url": url}
