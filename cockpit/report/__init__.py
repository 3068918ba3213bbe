"""Reports made from a journal: the debrief (Markdown and HTML) and its planned-versus-actual
chart. Pure functions of the events: no I/O, no Textual."""
