"""How many characters each text of the model holds, at most.

The store's columns are made with these sizes (adapters/sql/tables.py), and
whatever takes a text in checks it against them first, so that a value too
long is refused naming its field: never cut short by the database nor
refused by it half-way through a write.
"""

from __future__ import annotations

ID = 100
"""An id of the directory (organisation, register, joint area), of a service
event or of a unit; a prohibition's target ref, which names one of them."""

CHOICE_ID = 64
"""A choice's id, and a permission's or prohibition's that a withdrawal names."""

NAME = 200
"""A person's, organisation's or register's name."""

OID = 200
"""A register's OID."""

BUSINESS_ID = 9
"""A business id (Y-tunnus), 1234567-8."""
