# sources of core/schema (owner: that folder)
