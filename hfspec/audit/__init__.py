"""The disclosure audit (`hfspec audit`): the attacker's computation run on published results."""
