"""pandera models, one per table of the dataset contract, and the generators built on them."""
