"""Said to `callbot text`: "work the Acme list" works it right there, and the session goes on after stop."""

from __future__ import annotations

from pathlib import Path

from ..conftest import EXAMPLE_CONTACTS, callbot
from .test_resume import DATA, env_for


def test_a_list_started_by_voice_from_the_session_and_back(tmp_path: Path):
    env = env_for(tmp_path)
    callbot(env, "contacts", "import", str(EXAMPLE_CONTACTS))
    callbot(env, "leads", "import", str(DATA / "hubspot-contacts.csv"), "--list", "Acme")
    lines = ["work the globex list", "work my list", "call", "not interested", "no", "stop the list"]
    lines += ["call jane doe", "yes", "no"]
    said = callbot(env, "text", "--echo", stdin="\n".join(lines) + "\n").stdout
    assert "I have no globex list. Lists: Acme." in said
    assert "you: work my list\ncallbot: Working the Acme list: 4 leads waiting." in said
    assert "Logged not interested for Priya Shah." in said
    assert "Stopped. 3 leads still waiting on the Acme list." in said
    assert said.index("Back to calling by name.") < said.index("Calling Jane Doe")
