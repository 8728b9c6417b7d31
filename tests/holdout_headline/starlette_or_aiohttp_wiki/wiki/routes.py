from starlette.routing import Mount, Route

from .endpoints import admin, api, auth, pages

routes = [
    Route("/", pages.page_index),
    Route("/login", auth.LoginEndpoint),
    Route("/logout", auth.logout, methods=["POST"]),
    Route("/signup", auth.signup, methods=["GET", "POST"]),
    Route("/forgot", auth.forgot_password, methods=["POST"]),
    Route("/reset", auth.reset_password, methods=["POST"]),
    Route("/magic", auth.request_magic_link, methods=["POST"]),
    Route("/magic/login", auth.magic_login),
    Route("/recent", pages.recent_changes),
    Route("/search", pages.search),
    Mount(
        "/pages/{slug}",
        routes=[
            Route("/", pages.show_page),
            Route("/unlock", pages.unlock_page, methods=["POST"]),
            Route("/history", pages.page_history),
            Route("/edit", pages.PageEditor),
        ],
    ),
    Mount(
        "/admin",
        routes=[
            Route("/users", admin.admin_users),
            Route("/users/{user_id:int}/password", admin.admin_set_password, methods=["POST"]),
            Route("/bots", admin.list_bots),
            Route("/bots", admin.create_bot, methods=["POST"]),
        ],
    ),
    Mount(
        "/api",
        routes=[
            Route("/pages", api.PagesApi),
            Route("/pages/{slug}", api.PageApi),
        ],
    ),
]
