from starlette.templating import Jinja2Templates

templates = Jinja2Templates(directory="templates")
