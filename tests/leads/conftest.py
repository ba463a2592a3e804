"""The lead-list tests' shared list: seven leads in New York and Chicago, imported into a real log."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.calllog.store import Store
from assistant.leads.importers import read_leads

from .test_work import EARLY, LEADS


@pytest.fixture
def acme(store: Store, tmp_path: Path) -> Store:
    path = tmp_path / "acme.csv"
    path.write_text(LEADS)
    found = read_leads(path)
    store.import_leads("Acme", str(path), [(replace(lead, list_name="Acme"), c) for lead, c in found.leads])
    store.now = EARLY.now  # type: ignore[method-assign]
    return store
