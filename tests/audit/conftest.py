"""The audit tests use the organisation cast (Halden, Bærum and the people around them)."""

from tests.organizations.conftest import cast  # noqa: F401  (fixture re-exported for tests/audit)
