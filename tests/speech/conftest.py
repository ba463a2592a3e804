"""Speech tests share the root conftest's `speak` fixture (real recordings made with espeak-ng)."""
