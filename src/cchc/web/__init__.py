"""The Django web application: a thin client of the domain core."""
