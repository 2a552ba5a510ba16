from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "rtwcomp.site"
    label = "site"

    def ready(self) -> None:
        # Registers the object permissions every view, API call and admin page asks for.
        from rtwcomp import permissions  # noqa: F401
