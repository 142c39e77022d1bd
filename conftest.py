"""Root conftest: makes the repository importable; the suite's plugins arrive with the critical run."""
