"""The parts of a dialog that more than one mode uses: turn-taking, the call flow, and notes.

`session.Session` (one call per command) composes them; a mode that works a list of leads composes the
same parts with its own outcome step.
"""
