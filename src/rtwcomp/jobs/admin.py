"""The tasks' own admin pages are not offered: a researcher follows a job on its page, and a
task's arguments and traceback are not for the admin's staff users."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
