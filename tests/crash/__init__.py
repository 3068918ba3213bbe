"""Crash harness helpers: the victim processes the crash tests SIGKILL."""
