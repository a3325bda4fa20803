"""Signals registry sends for other apps (registry never imports them).

`rows_written` goes out after a bulk write (COPY or executemany) that bypasses the models'
save signals, so a cache of figures built on those rows (core.cache) can let go.
"""

from django.dispatch import Signal

rows_written = Signal()  # sender: the model class
