"""Administrative units: who is assessed, with validity intervals and lineage over time."""
