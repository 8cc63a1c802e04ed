"""The municipality's own exports → the standard data: `hfspec map` writes the standard data folder
from a project's Mappings, `hfspec key` makes and shows the pseudonym key. The mapping itself is
core (hfspec.data.mapping), so that `hfspec eval` and `hfspec report` can also read exports
directly; this domain writes, summarises and guards the key."""
