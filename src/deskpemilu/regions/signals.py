"""What other apps may hear from the regions app without the regions app knowing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside `regions_load`'s transaction with `codes`, the regions it has just created: the
# results app makes their empty rollup rows there, before any sheet of them can be written.
regions_created = Signal()
