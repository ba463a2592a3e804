"""One of two callbot processes writing to the same call log at once (run by test_concurrency.py).

python concurrent_writer.py DATABASE_URL NAME CALLS SHARED_EXPORT
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from assistant.calllog.export import read
from assistant.calllog.store import Store
from assistant.models import CallEvent, CallRequest, CallStatus, PlacedCall


def main(url: str, name: str, count: int, shared: str) -> None:
    store = Store(url)  # both processes migrate a fresh database at the same moment
    for i in range(count):
        request = CallRequest(to="+14155550134", contact_name=f"Lead {i}", rep=name)
        store.begin_call(request, provider="test")
        store.call_placed(PlacedCall(request.key, "test", f"CA{name}{i:030d}"))
        for status in (CallStatus.RINGING, CallStatus.IN_PROGRESS, CallStatus.COMPLETED):
            store.apply_event(request.key, CallEvent(status, datetime.now(UTC), duration=30))
        store.add_note(call_id=request.key, rep=name, text=f"note {i} from {name}")
    store.import_rows(read(shared), shared)  # the same calls from both processes
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
