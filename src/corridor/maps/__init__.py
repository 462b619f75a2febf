"""Maps shared by every channel: the base map of North Korea and the population map."""
