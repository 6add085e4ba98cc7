"""The practice companion: the journal of steps, the Hebrew calendar's cycles, plans and progress."""
