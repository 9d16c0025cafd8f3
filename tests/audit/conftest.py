"""The audit tests use the organisation cast (Halden, Bærum and the people around them)."""

from tests.organizations.conftest import cast, client  # noqa: F401  (fixtures re-exported for tests/audit)
