from tests.assessments.conftest import world  # noqa: F401
