"""The Textual cockpit. Renders from the core's state; writes only through the session."""
