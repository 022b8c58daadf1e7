"""Working-day calendar for Vietnam: holidays, make-up days, swapped Saturdays, deadlines."""
