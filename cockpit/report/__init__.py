"""Reports made from a journal: the debrief (Markdown and HTML) and its planned-versus-actual
chart; and from a plan: the paper backup (`cockpit.report.paper`, for `cockpit print`).
Pure functions: no I/O, no Textual."""
