from pyramid.config import Configurator


def main(global_config, **settings):
    with Configurator(settings=settings) as config:
        config.include("pyramid_jinja2")
        config.include(".db")
        config.include(".security")

        config.add_route("home", "/")
        config.add_route("health", "/health")
        config.add_route("login", "/login")
        config.add_route("logout", "/logout")
        config.add_route("signup", "/signup")
        config.add_route("password_reset", "/password/reset")
        config.add_route("password_reset_confirm", "/password/reset/confirm")
        config.add_route("password_change", "/password/change")
        config.add_route("api_tokens", "/api/tokens")

        config.add_route("pages", "/api/pages")
        config.add_route("page_names", "/api/pages/names")
        config.add_route("recent_changes", "/api/recent-changes")
        config.add_route("page", "/api/pages/{name}")
        config.add_route("page_history", "/api/pages/{name}/history")
        config.add_route("page_backlinks", "/api/pages/{name}/backlinks")
        config.add_route("search", "/api/search")

        config.add_route("admin_users", "/admin/users")
        config.add_route("admin_user_password", "/admin/users/{user_id}/password")
        config.add_route("admin_import", "/admin/import")
        config.scan()
    return config.make_wsgi_app()
