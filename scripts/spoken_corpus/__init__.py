"""The parts of scripts/corpus.py: audio, voices, noise, people, what is said, and the build joining them."""
