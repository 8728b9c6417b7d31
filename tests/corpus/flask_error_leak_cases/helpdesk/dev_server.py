"""`python -m helpdesk.dev_server`: the development server with the debugger."""
from helpdesk import create_app

app = create_app("development")
app.config["DEBUG"] = True  # ok: error-leak
