"""contractgen: generate contracts from a clause library; check contracts."""

__version__ = "0.1.0"
