"""cchc — administrative-reform (cải cách hành chính) platform for Vietnamese local government."""

__version__ = "0.1.0"
