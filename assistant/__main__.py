"""python -m assistant: the callbot command line."""

from .cli import main

main()
