"""The live page tests work the lead tests' list."""

from ..leads.conftest import acme  # noqa: F401  (the fixture)
