from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElicitationConfig(AppConfig):
    name = "rtwcomp.elicitation"
    verbose_name = _("Focus groups and affinity mapping")
