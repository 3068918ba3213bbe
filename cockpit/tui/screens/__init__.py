"""Screens and modal dialogs of the cockpit."""
