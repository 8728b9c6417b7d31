"""The WSGI entry point for gunicorn."""
from helpdesk import create_app

app = create_app()

if __name__ == "__main__":
    app.debug = True  # ok: error-leak
    app.run(port=5001)
