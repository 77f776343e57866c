"""Every write to submissions: the entry and its lifecycle (`lifecycle`), the datasets it
cites (`citations`), its files (`artifacts`) and their validation (`validation`)."""
