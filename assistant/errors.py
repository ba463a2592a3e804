"""callbot's errors: each carries a message a user can act on.

    CallbotError
    ├── ConfigError          settings missing or wrong (all of them at once)
    ├── MissingExtra         an optional engine/provider is not installed (names the extra)
    ├── ContactsError        a contacts file that cannot be read at all
    ├── SpeechError          no microphone, unreadable audio, an engine that failed
    │   └── TranscriptionFailed
    ├── CallFailed           the carrier refused or lost a call (reason, code, retryable)
    └── StoreError           the call log cannot be reached or written

Only the CLI catches CallbotError broadly; adapters translate their vendors' exceptions into these.
"""

from __future__ import annotations


class CallbotError(Exception):
    """Base error; str() is the user-facing message."""


class ConfigError(CallbotError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Configuration problems:\n" + "\n".join(f"  - {p}" for p in problems))


class MissingExtra(CallbotError):
    def __init__(self, what: str, extra: str):
        self.extra = extra
        super().__init__(f"{what} is not installed: run  pip install 'callbot[{extra}]'")


class ContactsError(CallbotError):
    pass


class SpeechError(CallbotError):
    pass


class TranscriptionFailed(SpeechError):
    pass


class CallFailed(CallbotError):
    """A call the carrier would not place or lost; `retryable` says whether trying again can help."""

    def __init__(self, reason: str, *, code: int | None = None, retryable: bool = False):
        self.reason = reason
        self.code = code
        self.retryable = retryable
        super().__init__(reason)


class StoreError(CallbotError):
    pass
